//! The credential chain opsdeck resolves itself (see [`super::profile`] for when): the aws-vault
//! pattern for MFA — one code buys an STS GetSessionToken session, cached 0600
//! ([`super::session_cache`]), from which the profile's role and then every organisation account's
//! role are assumed without asking again — and plain role chains, with every STS call sent to the
//! configured endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL[_STS]`, the profile's `endpoint_url`).
//!
//! When the source credentials are themselves temporary (an SSO profile, keys with a session
//! token), STS refuses GetSessionToken; the first role is then assumed directly with the serial
//! and code (`SerialNumber`/`TokenCode`), which is what a trust policy demanding
//! `aws:MultiFactorAuthPresent` needs too, and that role session is what is cached.
//!
//! The MFA code is read through a callback, used for one call, and never logged or stored.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider, future};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::profile::{self, Chain, Hop, Plan, Source, SsoLogin};
use super::session_cache::{self, CachedSession, SessionKind};
use super::sso;

/// A cached session is reused only while it lasts at least this long: a command started on a
/// session about to end would fail half-way.
const REUSE_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Why there are no credentials, in one line that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "the MFA code was not accepted for {serial}; codes last 30 s: wait for the next code and \
         try again"
    )]
    MfaRejected { serial: String },
    #[error("profile {profile} needs an MFA code for {serial}: {why}")]
    MfaCodeMissing {
        profile: String,
        serial: String,
        why: String,
    },
    #[error(
        "the SSO session of profile {profile} {state}: run `aws sso login --profile {profile}` or \
         `opsdeck login --profile {profile}`"
    )]
    SsoLogin { profile: String, state: String },
    #[error("{0}")]
    Other(String),
}

/// Where the credentials in use come from, for `whoami` and the dashboard's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    /// The SDK's default chain (environment, static keys, `credential_process`, instance role),
    /// in words.
    Sdk(String),
    /// An SSO profile's role credentials; the SSO session ends at `expires`.
    Sso {
        profile: String,
        expires: SystemTime,
    },
    /// A role (chain) assumed from the profile's source credentials.
    AssumedRole { role_arn: String },
    /// An MFA session (cached) and the role assumed from it, if the profile has one.
    Mfa {
        serial: String,
        role_arn: Option<String>,
        expires: SystemTime,
    },
}

impl CredentialSource {
    /// When the session behind the credentials ends (a new MFA code or SSO login is needed then).
    pub fn session_end(&self) -> Option<SystemTime> {
        match self {
            CredentialSource::Sso { expires, .. } | CredentialSource::Mfa { expires, .. } => {
                Some(*expires)
            }
            _ => None,
        }
    }

    /// In words, for `whoami`.
    pub fn describe(&self) -> String {
        match self {
            CredentialSource::Sdk(what) => what.clone(),
            CredentialSource::Sso { profile, .. } => format!("SSO (profile {profile})"),
            CredentialSource::AssumedRole { role_arn } => format!("assumed role {role_arn}"),
            CredentialSource::Mfa {
                serial,
                role_arn: Some(role_arn),
                ..
            } => format!("MFA session ({serial}), assumed role {role_arn}"),
            CredentialSource::Mfa { serial, .. } => format!("MFA session ({serial})"),
        }
    }
}

impl Resolved {
    /// When the credentials in use stop working: the end of the MFA or SSO session, or of the
    /// role credentials if sooner. Gets the credentials (an STS call for a role chain).
    pub async fn expiry(&self) -> Option<SystemTime> {
        let session = self.source.session_end();
        let provider = self.sdk.credentials_provider()?;
        let creds = provider.provide_credentials().await.ok()?.expiry();
        match (session, creds) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The SDK config to build every client from, and where its credentials come from.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub sdk: SdkConfig,
    pub source: CredentialSource,
}

/// How an MFA code is obtained: the flag or variable, or a question on the terminal.
pub type AskCode<'a> = &'a mut (dyn FnMut(&str) -> Result<String, String> + Send);

/// What the credential chain needs besides the base SDK config.
#[derive(Debug, Clone)]
pub struct ChainSettings {
    /// The profile named by the flag, the config or `AWS_PROFILE` (None: `default`).
    pub profile: Option<String>,
    /// The role session name when the profile names none.
    pub session_name: String,
    /// `$XDG_STATE_HOME/opsdeck/sessions`.
    pub cache_dir: PathBuf,
    /// How long an MFA session from GetSessionToken lasts (`aws.mfa_session_hours`), unless the
    /// profile (one without a role) says otherwise with `duration_seconds`.
    pub mfa_session_seconds: Option<i32>,
}

/// Resolve the credentials of the chosen profile: the SDK's own when it gets them right, else the
/// chain walked here. Asks for an MFA code (through `ask`) only when no cached session lasts.
/// Nothing is called after a refused code.
pub async fn resolve(
    sdk: SdkConfig,
    settings: &ChainSettings,
    ask: AskCode<'_>,
) -> Result<Resolved, CredentialError> {
    match prepare(sdk, settings).await? {
        Prepared::Ready(resolved) => Ok(resolved),
        Prepared::NeedsCode(pending) => {
            let code = ask(pending.serial()).map_err(|why| pending.missing(why))?;
            pending.with_code(&code).await
        }
    }
}

/// Credentials ready to use, or an MFA session that needs a code first.
// One of these per run or profile switch: the size of the variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Prepared {
    Ready(Resolved),
    NeedsCode(PendingMfa),
}

/// Everything but the code: [`PendingMfa::with_code`] can be called again after a refused code.
#[derive(Debug, Clone)]
pub struct PendingMfa {
    sdk: SdkConfig,
    chain: Chain,
    serial: String,
    source: SharedCredentialsProvider,
    settings: ChainSettings,
    /// Assume the first role with the code (temporary source keys) rather than GetSessionToken.
    direct: bool,
}

/// The first phase of [`resolve`]: read the profile, check an SSO token, reuse a cached MFA
/// session; calls nothing.
pub async fn prepare(
    sdk: SdkConfig,
    settings: &ChainSettings,
) -> Result<Prepared, CredentialError> {
    let profiles = profile::load_profiles()
        .await
        .map_err(CredentialError::Other)?;
    let explicit = settings.profile.is_some()
        || std::env::var_os("AWS_PROFILE").is_some_and(|p| !p.is_empty());
    let name = profile::chosen_profile(settings.profile.as_deref());
    let sdk = if profile::profile_over_environment(&profiles, &name, explicit) {
        // The profile's own keys, SSO or credential_process (no role: no STS call).
        let own = aws_config::profile::ProfileFileCredentialsProvider::builder()
            .profile_name(&name)
            .build();
        sdk.to_builder()
            .credentials_provider(SharedCredentialsProvider::new(own))
            .build()
    } else {
        sdk
    };
    let ready = |sdk, source| Ok(Prepared::Ready(Resolved { sdk, source }));
    let chain = match profile::plan(&profiles, &name, explicit).map_err(CredentialError::Other)? {
        Plan::Sdk(what) => return ready(sdk, CredentialSource::Sdk(what)),
        Plan::Sso(login) => {
            let expires = sso_session_end(&login)?;
            let source = CredentialSource::Sso {
                profile: login.profile,
                expires,
            };
            return ready(sdk, source);
        }
        Plan::Chain(chain) => chain,
    };
    let source = source_provider(&chain.source)?;
    let Some(serial) = chain.mfa_serial.clone() else {
        let Some(role_arn) = chain.hops.last().map(|h| h.role_arn.clone()) else {
            return Err(CredentialError::Other(format!(
                "profile {} has neither role_arn nor mfa_serial",
                chain.profile
            )));
        };
        let sdk = chained(sdk, &chain, source, chain.hops.clone(), settings);
        return ready(sdk, CredentialSource::AssumedRole { role_arn });
    };
    let direct = !matches!(
        chain.source,
        Source::Static {
            session_token: None,
            ..
        }
    );
    if direct && chain.hops.is_empty() {
        return Err(CredentialError::Other(format!(
            "profile {}: mfa_serial without role_arn needs long-term keys (aws_access_key_id and \
             aws_secret_access_key without aws_session_token) for STS GetSessionToken",
            chain.profile
        )));
    }
    let pending = PendingMfa {
        sdk,
        chain,
        serial,
        source,
        settings: settings.clone(),
        direct,
    };
    let cached = session_cache::load(
        &settings.cache_dir,
        &pending.chain.profile,
        &pending.serial,
        REUSE_MARGIN,
    )
    .filter(|c| direct == (c.kind == SessionKind::AssumedRole));
    if let Some(cached) = cached {
        tracing::info!(profile = %pending.chain.profile, "reusing the cached MFA session");
        return Ok(Prepared::Ready(pending.resolved(&cached)));
    }
    // SSO source credentials need a live SSO session: say so before asking for a code.
    if let Source::Profile {
        sso: Some(login), ..
    } = &pending.chain.source
    {
        sso_session_end(login)?;
    }
    Ok(Prepared::NeedsCode(pending))
}

/// An SSO profile (or a role chain from one) whose token is missing or expired, refused from the
/// files alone before the SDK is even loaded: one line naming the fix, at once.
pub async fn check_sso(settings: &ChainSettings) -> Result<(), CredentialError> {
    let profiles = profile::load_profiles()
        .await
        .map_err(CredentialError::Other)?;
    let explicit = settings.profile.is_some()
        || std::env::var_os("AWS_PROFILE").is_some_and(|p| !p.is_empty());
    let name = profile::chosen_profile(settings.profile.as_deref());
    match profile::plan(&profiles, &name, explicit).map_err(CredentialError::Other)? {
        Plan::Sso(login)
        | Plan::Chain(Chain {
            source: Source::Profile {
                sso: Some(login), ..
            },
            ..
        }) => sso_session_end(&login).map(|_| ()),
        _ => Ok(()),
    }
}

/// The end of a usable SSO session, or the one line that says to log in.
fn sso_session_end(login: &SsoLogin) -> Result<SystemTime, CredentialError> {
    sso::usable_token(login).map_err(|state| CredentialError::SsoLogin {
        profile: login.profile.clone(),
        state,
    })
}

/// The SDK config whose credentials are `start`, then each hop assumed in turn.
fn chained(
    sdk: SdkConfig,
    chain: &Chain,
    start: SharedCredentialsProvider,
    hops: Vec<Hop>,
    settings: &ChainSettings,
) -> SdkConfig {
    let provider = ChainProvider {
        inner: Arc::new(ChainInner {
            sdk: sdk.clone(),
            profile: chain.profile.clone(),
            start,
            hops,
            session_name: settings.session_name.clone(),
        }),
    };
    sdk.to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build()
}

impl PendingMfa {
    /// The MFA device the code is for.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The profile being resolved.
    pub fn profile(&self) -> &str {
        &self.chain.profile
    }

    fn missing(&self, why: String) -> CredentialError {
        CredentialError::MfaCodeMissing {
            profile: self.chain.profile.clone(),
            serial: self.serial.clone(),
            why,
        }
    }

    /// The credentials from a session (cached or new): the roles left to assume from it.
    fn resolved(&self, session: &CachedSession) -> Resolved {
        let mut hops = self.chain.hops.clone();
        if self.direct {
            // The session is the first role's.
            hops.remove(0);
        }
        let source = CredentialSource::Mfa {
            serial: self.serial.clone(),
            role_arn: self.chain.hops.last().map(|h| h.role_arn.clone()),
            expires: session.expiry(),
        };
        let start = SharedCredentialsProvider::new(session.credentials());
        Resolved {
            sdk: chained(self.sdk.clone(), &self.chain, start, hops, &self.settings),
            source,
        }
    }

    /// Buy the MFA session with `code` (one STS call), cache it, and resolve from it. A refused
    /// code is [`CredentialError::MfaRejected`], and nothing else is called.
    pub async fn with_code(&self, code: &str) -> Result<Resolved, CredentialError> {
        let code = check_code(code).map_err(|why| self.missing(why))?;
        let (profile, serial) = (&self.chain.profile, self.serial.as_str());
        let source_creds = self.source.provide_credentials().await.map_err(|e| {
            CredentialError::Other(format!("profile {profile}: {}", chain_text(&e)))
        })?;
        let sdk = &self.sdk;
        let (credentials, kind) = if self.direct {
            let hop = &self.chain.hops[0];
            let session_name = &self.settings.session_name;
            let creds = assume(sdk, hop, source_creds, session_name, Some((serial, &code))).await?;
            (creds, SessionKind::AssumedRole)
        } else {
            let request = sts(sdk, source_creds)
                .get_session_token()
                .serial_number(serial)
                .token_code(&code)
                .set_duration_seconds(
                    self.chain
                        .session_seconds
                        .or(self.settings.mfa_session_seconds),
                );
            let out = request
                .send()
                .await
                .map_err(|e| refused(e, "STS GetSessionToken", serial))?;
            let c = out.credentials.ok_or_else(|| {
                CredentialError::Other("STS GetSessionToken returned no credentials".into())
            })?;
            (to_credentials(c), SessionKind::SessionToken)
        };
        let session = CachedSession::new(profile, serial, kind, &credentials).ok_or_else(|| {
            CredentialError::Other(
                "STS returned credentials without an expiry or session token".into(),
            )
        })?;
        let dir = &self.settings.cache_dir;
        if let Err(e) = session_cache::store(dir, &session) {
            // Not fatal: this run has its session; the next one asks again.
            tracing::warn!(dir = %dir.display(), "cannot cache the MFA session: {e}");
        }
        tracing::info!(profile = %profile, "new MFA session");
        Ok(self.resolved(&session))
    }
}

/// AWS MFA codes are six digits; anything else is a typo caught before STS sees it.
fn check_code(code: &str) -> Result<String, String> {
    let code = code.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_owned())
    } else {
        Err("an MFA code is the 6 digits your device shows".into())
    }
}

/// The credentials at the bottom of the chain.
fn source_provider(source: &Source) -> Result<SharedCredentialsProvider, CredentialError> {
    Ok(match source {
        Source::Static {
            access_key_id,
            secret_access_key,
            session_token,
            ..
        } => SharedCredentialsProvider::new(Credentials::new(
            access_key_id,
            secret_access_key,
            session_token.clone(),
            None,
            "profile keys",
        )),
        // A profile without a role: the SDK's provider for it calls no STS.
        Source::Profile { profile, .. } => SharedCredentialsProvider::new(
            aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_name(profile)
                .build(),
        ),
        Source::Named(name) => match name.as_str() {
            "Environment" => SharedCredentialsProvider::new(
                aws_config::environment::EnvironmentVariableCredentialsProvider::new(),
            ),
            "Ec2InstanceMetadata" => SharedCredentialsProvider::new(
                aws_config::imds::credentials::ImdsCredentialsProvider::builder().build(),
            ),
            "EcsContainer" => SharedCredentialsProvider::new(
                aws_config::ecs::EcsCredentialsProvider::builder().build(),
            ),
            other => {
                return Err(CredentialError::Other(format!(
                    "credential_source = {other} is not one of Environment, \
                     Ec2InstanceMetadata, EcsContainer"
                )));
            }
        },
    })
}

/// An STS client with these credentials, sent where every other client is.
fn sts(sdk: &SdkConfig, credentials: Credentials) -> aws_sdk_sts::Client {
    let conf = aws_sdk_sts::config::Builder::from(sdk)
        .credentials_provider(credentials)
        .build();
    aws_sdk_sts::Client::from_conf(conf)
}

/// AssumeRole of one hop, with the MFA serial and code when given.
async fn assume(
    sdk: &SdkConfig,
    hop: &Hop,
    from: Credentials,
    default_session_name: &str,
    mfa: Option<(&str, &str)>,
) -> Result<Credentials, CredentialError> {
    let mut request = sts(sdk, from)
        .assume_role()
        .role_arn(&hop.role_arn)
        .role_session_name(hop.session_name.as_deref().unwrap_or(default_session_name))
        .set_external_id(hop.external_id.clone())
        .set_duration_seconds(hop.duration_seconds);
    if let Some((serial, code)) = mfa {
        request = request.serial_number(serial).token_code(code);
    }
    let out = request.send().await.map_err(|e| match mfa {
        Some((serial, _)) => refused(e, &format!("STS AssumeRole {}", hop.role_arn), serial),
        None => CredentialError::Other(
            super::map_sdk_error(
                e,
                &format!("STS AssumeRole {} (profile {})", hop.role_arn, hop.profile),
            )
            .message,
        ),
    })?;
    let c = out
        .credentials
        .ok_or_else(|| CredentialError::Other("STS AssumeRole returned no credentials".into()))?;
    Ok(to_credentials(c))
}

/// An STS call that carried an MFA code: access denied means the code (nothing else is checked
/// before the code for a caller allowed to call STS at all).
fn refused<E>(
    err: aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
    what: &str,
    serial: &str,
) -> CredentialError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let denied = err
        .as_service_error()
        .and_then(|e| e.code())
        .is_some_and(|c| c.starts_with("AccessDenied"));
    if denied {
        CredentialError::MfaRejected {
            serial: serial.to_owned(),
        }
    } else {
        CredentialError::Other(super::map_sdk_error(err, what).message)
    }
}

fn to_credentials(c: aws_sdk_sts::types::Credentials) -> Credentials {
    let expiry = SystemTime::try_from(c.expiration).ok();
    Credentials::new(
        c.access_key_id,
        c.secret_access_key,
        Some(c.session_token),
        expiry,
        "opsdeck role chain",
    )
}

/// An error and its causes, in one line.
fn chain_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The credentials provider of a resolved chain: the start (an MFA session or the source), then
/// each role in turn. The SDK's identity cache keeps the result until shortly before it expires.
#[derive(Debug, Clone)]
struct ChainProvider {
    inner: Arc<ChainInner>,
}

#[derive(Debug)]
struct ChainInner {
    sdk: SdkConfig,
    profile: String,
    start: SharedCredentialsProvider,
    hops: Vec<Hop>,
    session_name: String,
}

impl ChainInner {
    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut creds = self.start.provide_credentials().await?;
        if creds.expiry().is_some_and(|e| e <= SystemTime::now()) {
            return Err(CredentialsError::provider_error(format!(
                "the MFA session of profile {} has ended: run the command again to enter a new \
                 code",
                self.profile
            )));
        }
        for hop in &self.hops {
            creds = assume(&self.sdk, hop, creds, &self.session_name, None)
                .await
                .map_err(|e| CredentialsError::provider_error(e.to_string()))?;
        }
        Ok(creds)
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.inner.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(check_code(" 123456\n").unwrap(), "123456");
        assert!(check_code("12345").is_err());
        assert!(check_code("12345a").is_err());
    }

    #[test]
    fn a_refused_code_names_the_device_and_how_long_codes_last() {
        let e = CredentialError::MfaRejected {
            serial: "arn:aws:iam::1:mfa/ops".into(),
        };
        assert_eq!(
            e.to_string(),
            "the MFA code was not accepted for arn:aws:iam::1:mfa/ops; codes last 30 s: wait for \
             the next code and try again"
        );
    }
}
