//! Configuration: the built-in defaults (`config/default.toml`), the user file and the flags,
//! merged in that order, validated, and reported with file, line and key when something is wrong.
//!
//! The structs' `Default` impls hold the same values as `config/default.toml`; a unit test pins the
//! two together. The user file is deserialized on top of the defaults (`#[serde(default)]`), so a
//! key left out keeps its default, and `deny_unknown_fields` turns typos into errors.

mod check;
mod error;
pub mod keymap;
mod load;
mod locate;
mod model;
mod runbook;
pub mod theme;

pub use check::{check_endpoint_url, warnings};
pub use error::{ConfigError, Invalid};
pub use keymap::{Action, KeyBinding, Keymap};
pub use load::{Loaded, Overrides, check_file, default_path, load, parse_str, to_toml};
pub use model::{
    AccountConfig, AwsConfig, CallTimeouts, CognitoConfig, ConcurrencyConfig, Config, DEFAULT_TOML,
    OrganizationConfig, PoolModelConfig, ScopeConfig, TenantModel, UiConfig, UsernameKind,
    WorkflowsConfig,
};
pub use runbook::{DnsRunbook, OffboardingConfig, OnboardingConfig, WorkflowRunbook};
pub use theme::{ThemeConfig, ThemeName};

#[cfg(test)]
mod tests;
