//! SDK adapters implementing the `services` traits. The only module that names `aws_sdk_*` types.
//!
//! [`Aws`] holds the base SDK config (default credential chain, profile, region, endpoint) and a
//! cache of per-account client sets built from an assume-role credentials provider.

mod calls;
mod clients;
mod context;
mod credentials;
mod dns;
mod error;
mod identity;
mod login;
mod organizations;
mod profile;
pub mod seed;
mod session_cache;
mod sso;
mod tenants;
mod workflows;

pub use clients::{AccountClients, Aws};
pub use context::{
    AwsSettings, SEED_SERVICES, SeedService, load_base_config, preflight, service_endpoint,
};
pub use credentials::{
    ChainSettings, CredentialError, CredentialSource, PendingMfa, Prepared, Resolved, check_sso,
    prepare, resolve,
};
pub use error::map_sdk_error;
pub use login::{
    LoginTarget, forget_mfa_sessions, login_target, logout, profile_names, session_dir,
    sso_device_login,
};
pub use profile::SsoLogin;
pub use sso::DeviceCode;
