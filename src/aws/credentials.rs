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
}

/// Resolve the credentials of the chosen profile: the SDK's own when it gets them right, else the
/// chain walked here. Asks for an MFA code (through `ask`) only when no cached session lasts.
/// Nothing is called after a refused code.
pub async fn resolve(
    sdk: SdkConfig,
    settings: &ChainSettings,
    ask: AskCode<'_>,
) -> Result<Resolved, CredentialError> {
    let profiles = profile::load_profiles()
        .await
        .map_err(CredentialError::Other)?;
    let explicit = settings.profile.is_some()
        || std::env::var_os("AWS_PROFILE").is_some_and(|p| !p.is_empty());
    let name = profile::chosen_profile(settings.profile.as_deref());
    match profile::plan(&profiles, &name, explicit).map_err(CredentialError::Other)? {
        Plan::Sdk(what) => Ok(Resolved {
            sdk,
            source: CredentialSource::Sdk(what),
        }),
        Plan::Sso(login) => {
            let expires = sso_session_end(&login)?;
            Ok(Resolved {
                sdk,
                source: CredentialSource::Sso {
                    profile: login.profile,
                    expires,
                },
            })
        }
        Plan::Chain(chain) => resolve_chain(sdk, &chain, settings, ask).await,
    }
}

/// The end of a usable SSO session, or the one line that says to log in.
fn sso_session_end(login: &SsoLogin) -> Result<SystemTime, CredentialError> {
    sso::usable_token(login).map_err(|state| CredentialError::SsoLogin {
        profile: login.profile.clone(),
        state,
    })
}

async fn resolve_chain(
    sdk: SdkConfig,
    chain: &Chain,
    settings: &ChainSettings,
    ask: AskCode<'_>,
) -> Result<Resolved, CredentialError> {
    let source = source_provider(&chain.source)?;
    let mut hops = chain.hops.clone();
    let last_role = hops.last().map(|h| h.role_arn.clone());
    let (start, source_kind) = match &chain.mfa_serial {
        None => {
            let Some(role_arn) = last_role else {
                return Err(CredentialError::Other(format!(
                    "profile {} has neither role_arn nor mfa_serial",
                    chain.profile
                )));
            };
            (source, CredentialSource::AssumedRole { role_arn })
        }
        Some(serial) => {
            let session =
                mfa_session(&sdk, chain, serial, &source, &mut hops, settings, ask).await?;
            let kind = CredentialSource::Mfa {
                serial: serial.clone(),
                role_arn: last_role,
                expires: session.expiry(),
            };
            (SharedCredentialsProvider::new(session.credentials()), kind)
        }
    };
    let provider = ChainProvider {
        inner: Arc::new(ChainInner {
            sdk: sdk.clone(),
            profile: chain.profile.clone(),
            start,
            hops,
            session_name: settings.session_name.clone(),
        }),
    };
    let sdk = sdk
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build();
    Ok(Resolved {
        sdk,
        source: source_kind,
    })
}

/// The cached MFA session of this profile and device, or a new one bought with a code. With a
/// direct assumption the first hop is used up (its credentials are the session).
async fn mfa_session(
    sdk: &SdkConfig,
    chain: &Chain,
    serial: &str,
    source: &SharedCredentialsProvider,
    hops: &mut Vec<Hop>,
    settings: &ChainSettings,
    ask: AskCode<'_>,
) -> Result<CachedSession, CredentialError> {
    let direct = !matches!(
        chain.source,
        Source::Static {
            session_token: None,
            ..
        }
    );
    if direct && hops.is_empty() {
        return Err(CredentialError::Other(format!(
            "profile {}: mfa_serial without role_arn needs long-term keys (aws_access_key_id and \
             aws_secret_access_key without aws_session_token) for STS GetSessionToken",
            chain.profile
        )));
    }
    let cached = session_cache::load(&settings.cache_dir, &chain.profile, serial, REUSE_MARGIN)
        .filter(|c| direct == (c.kind == SessionKind::AssumedRole));
    if let Some(cached) = cached {
        if direct {
            hops.remove(0);
        }
        tracing::info!(profile = %chain.profile, "reusing the cached MFA session");
        return Ok(cached);
    }
    // SSO source credentials need a live SSO session: say so before asking for a code.
    if let Source::Profile {
        sso: Some(login), ..
    } = &chain.source
    {
        sso_session_end(login)?;
    }
    let code = ask(serial).map_err(|why| CredentialError::MfaCodeMissing {
        profile: chain.profile.clone(),
        serial: serial.to_owned(),
        why,
    })?;
    let code = check_code(&code).map_err(|why| CredentialError::MfaCodeMissing {
        profile: chain.profile.clone(),
        serial: serial.to_owned(),
        why,
    })?;
    let source_creds = source.provide_credentials().await.map_err(|e| {
        CredentialError::Other(format!("profile {}: {}", chain.profile, chain_text(&e)))
    })?;
    let (credentials, kind) = if direct {
        let hop = hops.remove(0);
        let creds = assume(
            sdk,
            &hop,
            source_creds,
            &settings.session_name,
            Some((serial, &code)),
        )
        .await?;
        (creds, SessionKind::AssumedRole)
    } else {
        let mut request = sts(sdk, source_creds)
            .get_session_token()
            .serial_number(serial)
            .token_code(&code);
        if let Some(seconds) = chain.session_seconds {
            request = request.duration_seconds(seconds);
        }
        let out = request
            .send()
            .await
            .map_err(|e| refused(e, "STS GetSessionToken", serial))?;
        let c = out.credentials.ok_or_else(|| {
            CredentialError::Other("STS GetSessionToken returned no credentials".into())
        })?;
        (to_credentials(c), SessionKind::SessionToken)
    };
    let session =
        CachedSession::new(&chain.profile, serial, kind, &credentials).ok_or_else(|| {
            CredentialError::Other(
                "STS returned credentials without an expiry or session token".into(),
            )
        })?;
    if let Err(e) = session_cache::store(&settings.cache_dir, &session) {
        // Not fatal: this command has its session; the next one asks again.
        tracing::warn!(dir = %settings.cache_dir.display(), "cannot cache the MFA session: {e}");
    }
    tracing::info!(profile = %chain.profile, "new MFA session");
    Ok(session)
}

/// What `opsdeck login` does for a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginTarget {
    /// The device authorisation flow of the profile's SSO session (or its chain's source's).
    Sso(SsoLogin),
    /// A new MFA session (the cached one is dropped first).
    Mfa { profile: String, serial: String },
    /// Nothing to log in to: the name of the profile and where its credentials come from.
    Neither { profile: String, what: String },
}

/// What the chosen profile logs in to.
pub async fn login_target(profile: Option<&str>) -> Result<LoginTarget, String> {
    let profiles = profile::load_profiles().await?;
    let name = profile::chosen_profile(profile);
    Ok(match profile::plan(&profiles, &name, true)? {
        Plan::Sso(login) => LoginTarget::Sso(login),
        Plan::Chain(Chain {
            source: Source::Profile {
                sso: Some(login), ..
            },
            ..
        }) => LoginTarget::Sso(login),
        Plan::Chain(Chain {
            mfa_serial: Some(serial),
            ..
        }) => LoginTarget::Mfa {
            profile: name,
            serial,
        },
        Plan::Chain(chain) => LoginTarget::Neither {
            profile: name,
            what: format!(
                "a role chain from {}",
                match chain.source {
                    Source::Static { profile, .. } | Source::Profile { profile, .. } =>
                        format!("profile {profile}"),
                    Source::Named(named) => named,
                }
            ),
        },
        Plan::Sdk(what) => LoginTarget::Neither {
            profile: name,
            what,
        },
    })
}

/// `opsdeck login` for an SSO profile: the device flow, the token written where the AWS CLI
/// keeps it. Returns the file and when the session ends.
pub async fn sso_device_login(
    sdk: &SdkConfig,
    login: &SsoLogin,
    show: &mut dyn FnMut(&sso::DeviceCode),
) -> Result<(PathBuf, SystemTime), String> {
    let path = sso::token_path(login);
    let client = sso::oidc_client(sdk, login);
    let expires = sso::login(&client, login, &path, show).await?;
    Ok((path, expires))
}

/// `opsdeck logout`: the cached MFA sessions of the profile, and the SSO token of its session.
/// The files removed.
pub async fn logout(
    profile: Option<&str>,
    cache_dir: &std::path::Path,
) -> Result<Vec<PathBuf>, String> {
    let name = profile::chosen_profile(profile);
    let mut removed = session_cache::remove(cache_dir, Some(&name))
        .map_err(|e| format!("cannot remove the sessions in {}: {e}", cache_dir.display()))?;
    if let Ok(LoginTarget::Sso(login)) = login_target(Some(&name)).await {
        let path = sso::token_path(&login);
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {}: {e}", path.display())),
        }
    }
    Ok(removed)
}

/// Where the MFA sessions are cached, under opsdeck's state directory.
pub fn session_dir(state_dir: &std::path::Path) -> PathBuf {
    session_cache::dir(state_dir)
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
