//! Configuration: the built-in defaults (`config/default.toml`), the user file and the flags,
//! merged in that order, validated, and reported with file, line and key when something is wrong.
//!
//! The structs' `Default` impls hold the same values as `config/default.toml`; a unit test pins the
//! two together. The user file is deserialized on top of the defaults (`#[serde(default)]`), so a
//! key left out keeps its default, and `deny_unknown_fields` turns typos into errors.

pub mod keymap;
mod locate;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::domain::account::{Account, is_account_id};
pub use keymap::{Action, KeyBinding, Keymap};
use locate::{Seg, Source};

/// The shipped defaults, documented line by line; `opsdeck config default` prints it.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Refuse every change to AWS.
    pub read_only: bool,
    pub aws: AwsConfig,
    pub organization: OrganizationConfig,
    pub concurrency: ConcurrencyConfig,
    pub cognito: CognitoConfig,
    pub workflows: WorkflowsConfig,
    pub ui: UiConfig,
    pub keymap: Keymap,
}

/// Which AWS account and region to talk to. `None` leaves the choice to the SDK (AWS_PROFILE,
/// AWS_REGION, AWS_ENDPOINT_URL, ~/.aws/config).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AwsConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Offered by `:region` completion.
    pub regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
}

impl Default for AwsConfig {
    fn default() -> AwsConfig {
        let regions = [
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "ca-central-1",
            "sa-east-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-central-1",
            "eu-north-1",
            "eu-south-1",
            "ap-south-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-southeast-1",
            "ap-southeast-2",
        ];
        AwsConfig {
            profile: None,
            region: None,
            regions: regions.map(String::from).to_vec(),
            endpoint_url: None,
        }
    }
}

/// How the organisation's accounts are found and entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrganizationConfig {
    pub role_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub session_name: String,
    /// List accounts with Organizations ListAccounts.
    pub discover: bool,
    /// Accounts used in addition to (or without discovery, instead of) the discovered ones.
    pub accounts: Vec<AccountConfig>,
}

impl Default for OrganizationConfig {
    fn default() -> OrganizationConfig {
        OrganizationConfig {
            role_name: "OrganizationAccountAccessRole".into(),
            external_id: None,
            session_name: "opsdeck".into(),
            discover: true,
            accounts: Vec::new(),
        }
    }
}

impl OrganizationConfig {
    /// The static accounts as domain accounts (status `CONFIGURED`, no e-mail known).
    pub fn static_accounts(&self) -> Vec<Account> {
        self.accounts
            .iter()
            .map(|a| Account {
                id: a.id.clone(),
                name: a.name.clone(),
                email: String::new(),
                status: "CONFIGURED".into(),
                read_only: a.read_only,
            })
            .collect()
    }
}

/// One `[[organization.accounts]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountConfig {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub read_only: bool,
}

/// Parallelism and pacing of AWS calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConcurrencyConfig {
    /// Accounts checked or fetched at the same time.
    pub accounts: u32,
    /// Route53 requests per second, per account.
    pub route53_rps: u32,
    /// Seconds a throttled Route53 call keeps backing off before its account is reported throttled.
    pub throttle_patience_secs: u32,
}

impl Default for ConcurrencyConfig {
    fn default() -> ConcurrencyConfig {
        ConcurrencyConfig {
            accounts: 8,
            route53_rps: 5,
            throttle_patience_secs: 30,
        }
    }
}

/// How a user belongs to a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantModel {
    /// One group per tenant and role, named by `group_pattern`.
    Groups,
    /// The tenant id in a custom attribute; roles are pool-wide groups.
    Attribute,
}

/// How the username of a user opsdeck creates is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UsernameKind {
    /// The email address is the username.
    #[default]
    Email,
    /// A random UUID v4, with the email as an attribute (pools where the email is an alias).
    Uuid,
}

impl UsernameKind {
    /// The domain's equivalent.
    pub fn usernames(self) -> crate::domain::tenancy::users::Usernames {
        use crate::domain::tenancy::users::Usernames;
        match self {
            UsernameKind::Email => Usernames::Email,
            UsernameKind::Uuid => Usernames::Uuid,
        }
    }
}

/// The Cognito user pool and the tenant model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CognitoConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    pub tenant_model: TenantModel,
    /// Contains `{tenant}` and `{role}`.
    pub group_pattern: String,
    pub tenant_attribute: String,
    pub roles: Vec<String>,
    /// Users created per second during a bulk import.
    pub import_rate: u32,
    /// The username of a user opsdeck creates.
    pub username: UsernameKind,
}

impl Default for CognitoConfig {
    fn default() -> CognitoConfig {
        CognitoConfig {
            user_pool_id: None,
            tenant_model: TenantModel::Groups,
            group_pattern: "{tenant}:{role}".into(),
            tenant_attribute: "custom:tenant_id".into(),
            roles: vec!["admin".into(), "member".into(), "readonly".into()],
            import_rate: 10,
            username: UsernameKind::Email,
        }
    }
}

/// Step Functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkflowsConfig {
    pub poll_interval_ms: u64,
}

impl Default for WorkflowsConfig {
    fn default() -> WorkflowsConfig {
        WorkflowsConfig {
            poll_interval_ms: 1000,
        }
    }
}

impl WorkflowsConfig {
    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_interval_ms)
    }
}

/// The terminal interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    /// Interval of the clock driving spinners and relative times.
    pub tick_ms: u64,
}

impl Default for UiConfig {
    fn default() -> UiConfig {
        UiConfig { tick_ms: 250 }
    }
}

impl UiConfig {
    pub fn tick(&self) -> Duration {
        Duration::from_millis(self.tick_ms)
    }
}

impl Config {
    /// Regions for `:region` completion: the configured region first, then the list, no repeats.
    pub fn region_choices(&self) -> Vec<String> {
        let mut out: Vec<String> = self.aws.region.iter().cloned().collect();
        for r in &self.aws.regions {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
        out
    }

    /// Every rule a type cannot express, in the order of the config file's sections.
    fn problems(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        self.aws.check(&mut p);
        self.organization.check(&mut p);
        self.concurrency.check(&mut p);
        self.cognito.check(&mut p);
        self.workflows.check(&mut p);
        self.ui.check(&mut p);
        check_keymap(&self.keymap, &mut p);
        p
    }
}

/// Command-line flags that override the config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Only turns read-only on: a flag cannot lift the config's protection.
    pub read_only: bool,
}

impl Overrides {
    fn apply(&self, config: &mut Config) -> Result<(), ConfigError> {
        if let Some(profile) = &self.profile {
            if profile.trim().is_empty() {
                return Err(ConfigError::Flag {
                    flag: "profile",
                    message: "the profile name is empty; name a profile from ~/.aws/config".into(),
                });
            }
            config.aws.profile = Some(profile.clone());
        }
        if let Some(region) = &self.region {
            if let Err(message) = check_region(region) {
                return Err(ConfigError::Flag {
                    flag: "region",
                    message,
                });
            }
            config.aws.region = Some(region.clone());
        }
        if let Some(url) = &self.endpoint_url {
            if let Err(message) = check_endpoint_url(url) {
                return Err(ConfigError::Flag {
                    flag: "endpoint-url",
                    message,
                });
            }
            config.aws.endpoint_url = Some(url.clone());
        }
        config.read_only |= self.read_only;
        Ok(())
    }
}

/// The effective configuration and the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub config: Config,
    /// The user file that was read; `None` when only the defaults (and flags) apply.
    pub source: Option<PathBuf>,
}

/// A configuration that cannot be used. Each message names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: config file not found; check the path given to --config", tilde(.path))]
    NotFound { path: PathBuf },
    #[error("{}: cannot read the config file: {source}; check that it is a readable UTF-8 file", tilde(.path))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Box<Invalid>),
    #[error("--{flag}: {message}")]
    Flag { flag: &'static str, message: String },
}

/// A problem inside a config file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub file: PathBuf,
    /// 1-based line and column, when the problem is at a place in the file.
    pub position: Option<(usize, usize)>,
    /// Dotted key path, e.g. `organization.accounts[1].id`.
    pub key: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Invalid {
    /// `FILE:LINE:COL: key `a.b`: what is wrong; how to fix`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", tilde(&self.file))?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Shows paths under the home directory as `~/...`, the way people type them.
fn tilde(path: &Path) -> String {
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty() && h != "/")
        && let Ok(rest) = path.strip_prefix(&home)
    {
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
}

/// Where the user file is by default: `$XDG_CONFIG_HOME/opsdeck/config.toml`, else
/// `~/.config/opsdeck/config.toml`; `None` without either variable.
pub fn default_path() -> Option<PathBuf> {
    default_path_from(
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
}

fn default_path_from(
    xdg_config_home: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    // The XDG spec says relative values are invalid and must be ignored.
    let base = match xdg_config_home.map(PathBuf::from) {
        Some(xdg) if xdg.is_absolute() => xdg,
        _ => PathBuf::from(home.filter(|h| !h.is_empty())?).join(".config"),
    };
    Some(base.join("opsdeck").join("config.toml"))
}

/// defaults < file (explicit path must exist; default path may be missing) < overrides.
pub fn load(explicit: Option<&Path>, overrides: &Overrides) -> Result<Loaded, ConfigError> {
    let (mut config, source) = match explicit {
        Some(path) => (check_file(path)?, Some(path.to_path_buf())),
        None => match default_path() {
            Some(path) if path.exists() => (check_file(&path)?, Some(path)),
            _ => (Config::default(), None),
        },
    };
    overrides.apply(&mut config)?;
    Ok(Loaded { config, source })
}

/// `opsdeck config check FILE`: the file on top of the defaults, validated, flags not applied.
pub fn check_file(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            ConfigError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            ConfigError::Read {
                path: path.to_path_buf(),
                source,
            }
        }
    })?;
    parse_str(&text, path)
}

/// Parses config text on top of the defaults and validates it; `file` only labels errors.
pub fn parse_str(text: &str, file: &Path) -> Result<Config, ConfigError> {
    let invalid = |position, key, message| {
        ConfigError::Invalid(Box::new(Invalid {
            file: file.to_path_buf(),
            position,
            key,
            message,
        }))
    };
    let source = match Source::parse(text) {
        Ok(source) => source,
        Err((e, path)) => {
            let position = e.span().map(|s| locate::line_col(text, s.start));
            let message = locate::humanize(e.message(), path.as_deref());
            return Err(invalid(position, path.map(|p| locate::dotted(&p)), message));
        }
    };
    let config: Config = match toml::from_str(text) {
        Ok(config) => config,
        Err(e) => {
            let mut at = e.span().map(|s| s.start);
            let mut path = at.and_then(|pos| source.path_at(pos));
            if let Some((element, span)) = path
                .as_deref()
                .and_then(|p| source.quoted_element(p, e.message()))
            {
                at = Some(span.start);
                path = Some(element);
            }
            let message = locate::humanize(e.message(), path.as_deref());
            return Err(invalid(
                at.map(|pos| locate::line_col(text, pos)),
                path.map(|p| locate::dotted(&p)),
                message,
            ));
        }
    };
    let mut located: Vec<(Option<usize>, Vec<Seg>, String)> = config
        .problems()
        .into_iter()
        .map(|problem| {
            let found = problem
                .candidates
                .iter()
                .filter_map(|path| source.span_of(path).map(|span| (span.start, path.clone())))
                .max_by_key(|(start, _)| *start);
            match found {
                Some((start, path)) => (Some(start), path, problem.message),
                None => (None, problem.candidates[0].clone(), problem.message),
            }
        })
        .collect();
    // Report the problem a reader meets first in the file.
    located.sort_by_key(|(start, _, _)| start.unwrap_or(usize::MAX));
    match located.into_iter().next() {
        None => Ok(config),
        Some((start, path, message)) => Err(invalid(
            start.map(|pos| locate::line_col(text, pos)),
            Some(locate::dotted(&path)),
            message,
        )),
    }
}

/// `opsdeck config show`: the effective config as TOML (unset options are left out).
pub fn to_toml(config: &Config) -> String {
    toml::to_string_pretty(config).expect("the config types serialize to TOML")
}

/// A broken rule, reported at whichever of `candidates` is written last in the file: for a key
/// bound twice, the later line is the one that introduced the clash.
struct Problem {
    candidates: Vec<Vec<Seg>>,
    message: String,
}

fn path(keys: &[&str]) -> Vec<Seg> {
    keys.iter().map(|k| Seg::Key((*k).to_string())).collect()
}

fn problem(p: &mut Vec<Problem>, at: Vec<Seg>, message: impl Into<String>) {
    p.push(Problem {
        candidates: vec![at],
        message: message.into(),
    });
}

fn indexed(mut base: Vec<Seg>, i: usize) -> Vec<Seg> {
    base.push(Seg::Index(i));
    base
}

fn check_region(region: &str) -> Result<(), String> {
    // Region names are lower-case words joined by hyphens ending in a number: eu-west-1, us-gov-west-1.
    let ok = region.split('-').count() >= 3
        && region.starts_with(|c: char| c.is_ascii_lowercase())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && region.ends_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{region}` is not a region name; write one like \"eu-west-1\""
        ))
    }
}

fn check_endpoint_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(format!(
            "`{url}` is not an endpoint URL; write one like \"http://127.0.0.1:5000\""
        )),
    }
}

/// IAM's character set for role and session names, plus extras (e.g. `:` `/` for external ids).
fn iam_chars(s: &str, extra: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) || extra.contains(c))
}

impl AwsConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        if self.profile.as_deref().is_some_and(|s| s.trim().is_empty()) {
            problem(
                p,
                path(&["aws", "profile"]),
                "the profile name is empty; name a profile from ~/.aws/config or remove the key",
            );
        }
        if let Some(region) = &self.region
            && let Err(m) = check_region(region)
        {
            problem(p, path(&["aws", "region"]), m);
        }
        if self.regions.is_empty() {
            problem(
                p,
                path(&["aws", "regions"]),
                "the list is empty; name at least one region, e.g. [\"eu-west-1\"]",
            );
        }
        for (i, region) in self.regions.iter().enumerate() {
            if let Err(m) = check_region(region) {
                problem(p, indexed(path(&["aws", "regions"]), i), m);
            } else if self.regions[..i].contains(region) {
                problem(
                    p,
                    indexed(path(&["aws", "regions"]), i),
                    format!("`{region}` is listed twice; remove one"),
                );
            }
        }
        if let Some(url) = &self.endpoint_url
            && let Err(m) = check_endpoint_url(url)
        {
            problem(p, path(&["aws", "endpoint_url"]), m);
        }
    }
}

impl OrganizationConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        let n = self.role_name.chars().count();
        if !(1..=64).contains(&n) || !iam_chars(&self.role_name, "") {
            problem(
                p,
                path(&["organization", "role_name"]),
                format!(
                    "`{}` is not an IAM role name; use 1-64 letters, digits or + = , . @ _ -",
                    self.role_name
                ),
            );
        }
        if let Some(id) = &self.external_id {
            let n = id.chars().count();
            if !(2..=1224).contains(&n) {
                problem(
                    p,
                    path(&["organization", "external_id"]),
                    format!("the external id has {n} characters; AWS accepts 2 to 1224"),
                );
            } else if !iam_chars(id, ":/") {
                problem(
                    p,
                    path(&["organization", "external_id"]),
                    "the external id may only contain letters, digits and + = , . @ : / _ -",
                );
            }
        }
        let n = self.session_name.chars().count();
        if !(2..=64).contains(&n) || !iam_chars(&self.session_name, "") {
            problem(
                p,
                path(&["organization", "session_name"]),
                format!(
                    "`{}` is not a role session name; use 2-64 letters, digits or + = , . @ _ -",
                    self.session_name
                ),
            );
        }
        for (i, account) in self.accounts.iter().enumerate() {
            let at = |key: &str| {
                let mut at = indexed(path(&["organization", "accounts"]), i);
                at.push(Seg::Key(key.into()));
                at
            };
            if !is_account_id(&account.id) {
                problem(
                    p,
                    at("id"),
                    format!(
                        "`{}` is not an AWS account id; write the 12 digits as a string, e.g. \"111122223333\"",
                        account.id
                    ),
                );
            } else if self.accounts[..i].iter().any(|a| a.id == account.id) {
                problem(
                    p,
                    at("id"),
                    format!("account `{}` is listed twice; remove one entry", account.id),
                );
            }
            if account.name.trim().is_empty() {
                problem(
                    p,
                    at("name"),
                    "the account name is empty; give it the name people know it by",
                );
            }
        }
    }
}

impl ConcurrencyConfig {
    pub fn throttle_patience(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.throttle_patience_secs.into())
    }

    fn check(&self, p: &mut Vec<Problem>) {
        if self.accounts == 0 {
            problem(
                p,
                path(&["concurrency", "accounts"]),
                "must be at least 1 (accounts handled at the same time)",
            );
        }
        if self.route53_rps == 0 {
            problem(
                p,
                path(&["concurrency", "route53_rps"]),
                "must be at least 1 (Route53 requests per second per account; AWS allows about 5)",
            );
        }
        if self.throttle_patience_secs > 600 {
            problem(
                p,
                path(&["concurrency", "throttle_patience_secs"]),
                "must be at most 600 (seconds a throttled call keeps backing off; 0 turns it off)",
            );
        }
    }
}

impl CognitoConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        if let Some(id) = &self.user_pool_id {
            // AWS's pattern for pool ids: [\w-]+_[0-9a-zA-Z]+, at most 55 characters.
            let valid = id.len() <= 55
                && id.split_once('_').is_some_and(|(region, suffix)| {
                    !region.is_empty()
                        && region
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                        && !suffix.is_empty()
                        && suffix.chars().all(|c| c.is_ascii_alphanumeric())
                });
            if !valid {
                problem(
                    p,
                    path(&["cognito", "user_pool_id"]),
                    format!(
                        "`{id}` is not a user pool id; copy it from the Cognito console, e.g. \"eu-west-1_AbCdEf123\""
                    ),
                );
            }
        }
        let missing: Vec<&str> = ["{tenant}", "{role}"]
            .into_iter()
            .filter(|ph| !self.group_pattern.contains(ph))
            .collect();
        if !missing.is_empty() {
            problem(
                p,
                path(&["cognito", "group_pattern"]),
                format!(
                    "the pattern lacks {}; it must contain both {{tenant}} and {{role}}, e.g. \"{{tenant}}:{{role}}\"",
                    missing.join(" and ")
                ),
            );
        }
        let name_len = self
            .tenant_attribute
            .strip_prefix("custom:")
            .map(|n| n.chars().count());
        if !matches!(name_len, Some(1..=20)) {
            problem(
                p,
                path(&["cognito", "tenant_attribute"]),
                format!(
                    "`{}` is not a custom attribute; write \"custom:\" and a name of 1-20 characters, e.g. \"custom:tenant_id\"",
                    self.tenant_attribute
                ),
            );
        }
        if self.roles.is_empty() {
            problem(
                p,
                path(&["cognito", "roles"]),
                "the list is empty; name at least one role, e.g. [\"admin\", \"member\"]",
            );
        }
        for (i, role) in self.roles.iter().enumerate() {
            if role.trim().is_empty() {
                problem(
                    p,
                    indexed(path(&["cognito", "roles"]), i),
                    "a role name is empty; remove it or name the role",
                );
            } else if self.roles[..i].contains(role) {
                problem(
                    p,
                    indexed(path(&["cognito", "roles"]), i),
                    format!("role `{role}` is listed twice; remove one"),
                );
            }
        }
        if self.import_rate == 0 {
            problem(
                p,
                path(&["cognito", "import_rate"]),
                "must be at least 1 (users created per second; Cognito allows 25)",
            );
        }
    }
}

impl WorkflowsConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        if !(200..=60_000).contains(&self.poll_interval_ms) {
            problem(
                p,
                path(&["workflows", "poll_interval_ms"]),
                format!(
                    "{} ms is out of range; use 200 to 60000 (Step Functions throttles faster polling)",
                    self.poll_interval_ms
                ),
            );
        }
    }
}

impl UiConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        if !(16..=1000).contains(&self.tick_ms) {
            problem(
                p,
                path(&["ui", "tick_ms"]),
                format!("{} ms is out of range; use 16 to 1000", self.tick_ms),
            );
        }
    }
}

fn check_keymap(keymap: &Keymap, p: &mut Vec<Problem>) {
    if keymap.keys_for(Action::Quit).is_empty() {
        problem(
            p,
            path(&["keymap", "quit"]),
            "quit has no key; bind at least one, e.g. [\"q\"]",
        );
    }
    for conflict in keymap.conflicts() {
        let at = |action: Action, index: usize| indexed(path(&action.config_path()), index);
        let mut candidates = vec![at(conflict.action, conflict.index)];
        // The clash may come from the user rebinding the earlier action onto a default key of the
        // later one; then point at the user's line.
        if let Some(taken_by) = conflict.taken_by
            && let Some(i) = keymap
                .keys_for(taken_by)
                .iter()
                .position(|k| *k == conflict.key)
            && taken_by.is_configurable()
        {
            candidates.push(at(taken_by, i));
        }
        p.push(Problem {
            candidates,
            message: conflict.to_string(),
        });
    }
}

#[cfg(test)]
mod tests;
