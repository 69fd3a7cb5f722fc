//! SSO sessions: whether the token the AWS CLI (or `opsdeck login`) left in `~/.aws/sso/cache/` is
//! usable, read before anything is called so that a missing or expired one is one line naming the
//! fix instead of an SDK error; and the device authorisation flow of `opsdeck login` with the SDK's
//! SSO OIDC client, writing the token where the AWS CLI and aws-config read it, in the CLI's format.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use aws_config::{Region, SdkConfig};
use aws_sdk_ssooidc::error::ProvideErrorMetadata;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::profile::SsoLogin;
use super::session_cache::sha1_hex;

/// `~/.aws/sso/cache/<sha1 of the session name, or of the start URL of a legacy profile>.json`.
pub fn token_path(login: &SsoLogin) -> PathBuf {
    let home = std::env::home_dir().unwrap_or_default();
    home.join(".aws/sso/cache")
        .join(format!("{}.json", sha1_hex(login.cache_identifier())))
}

/// The token file, as the AWS CLI writes it (the optional fields are those of an `sso_session`).
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CachedToken {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub access_token: String,
    /// RFC 3339, UTC (`2026-12-03T18:00:00Z`).
    pub expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

fn parse_time(text: &str) -> Option<SystemTime> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| SystemTime::from(t.with_timezone(&Utc)))
}

fn format_time(time: SystemTime) -> String {
    DateTime::<Utc>::from(time).to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl CachedToken {
    /// The SDK renews an expired token itself when the file holds what it needs to.
    fn refreshable(&self, now: SystemTime) -> bool {
        self.refresh_token.is_some()
            && self.client_id.is_some()
            && self.client_secret.is_some()
            && self
                .registration_expires_at
                .as_deref()
                .and_then(parse_time)
                .is_some_and(|t| t > now)
    }
}

/// When the profile's SSO session ends, or what is wrong with it ("has no token", "expired at
/// ..."), for [`super::credentials::CredentialError::SsoLogin`]. Reads one small file.
pub fn usable_token(login: &SsoLogin) -> Result<SystemTime, String> {
    usable_token_at(&token_path(login), SystemTime::now())
}

fn usable_token_at(path: &std::path::Path, now: SystemTime) -> Result<SystemTime, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("has no token (never logged in on this machine, or logged out)".into());
        }
        Err(e) => return Err(format!("token {} cannot be read ({e})", path.display())),
    };
    let Ok(token) = serde_json::from_str::<CachedToken>(&text) else {
        return Err(format!("token {} is not a token file", path.display()));
    };
    let Some(expires) = parse_time(&token.expires_at) else {
        return Err(format!("token {} has no valid expiresAt", path.display()));
    };
    if expires > now || token.refreshable(now) {
        Ok(expires)
    } else {
        Err(format!("expired at {}", format_time(expires)))
    }
}

/// What the operator must do to approve the login in a browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCode {
    pub verification_uri: String,
    /// The same page with the code filled in, when the service gives one.
    pub verification_uri_complete: Option<String>,
    pub user_code: String,
    pub expires_in: Duration,
}

/// The SSO OIDC client for a login: the SSO region, and the configured endpoint when there is one.
pub fn oidc_client(sdk: &SdkConfig, login: &SsoLogin) -> aws_sdk_ssooidc::Client {
    let conf = aws_sdk_ssooidc::config::Builder::from(sdk)
        .region(Region::new(login.region.clone()))
        .build();
    aws_sdk_ssooidc::Client::from_conf(conf)
}

/// The device authorisation flow: register a client, start the authorisation, hand the code to
/// `show`, poll for the token at the pace the service asks, then write the token file `path`
/// ([`token_path`]). Returns when the session ends.
pub async fn login(
    client: &aws_sdk_ssooidc::Client,
    login: &SsoLogin,
    path: &std::path::Path,
    show: &mut (dyn FnMut(&DeviceCode) + Send),
) -> Result<SystemTime, String> {
    let scopes = if login.session.is_some() && login.scopes.is_empty() {
        vec!["sso:account:access".to_owned()]
    } else {
        login.scopes.clone()
    };
    let registered = client
        .register_client()
        .client_name(format!("opsdeck-{}", login.profile))
        .client_type("public")
        .set_scopes((!scopes.is_empty()).then_some(scopes))
        .send()
        .await
        .map_err(|e| failed("SSO OIDC RegisterClient", &e))?;
    let client_id = registered.client_id.unwrap_or_default();
    let client_secret = registered.client_secret.unwrap_or_default();
    let started = client
        .start_device_authorization()
        .client_id(&client_id)
        .client_secret(&client_secret)
        .start_url(&login.start_url)
        .send()
        .await
        .map_err(|e| failed("SSO OIDC StartDeviceAuthorization", &e))?;
    let code = DeviceCode {
        verification_uri: started.verification_uri.unwrap_or_default(),
        verification_uri_complete: started.verification_uri_complete,
        user_code: started.user_code.unwrap_or_default(),
        expires_in: Duration::from_secs(u64::try_from(started.expires_in).unwrap_or(600)),
    };
    show(&code);
    open_browser(
        code.verification_uri_complete
            .as_deref()
            .unwrap_or(&code.verification_uri),
    );
    let device_code = started.device_code.unwrap_or_default();
    let mut interval = Duration::from_secs(u64::try_from(started.interval.max(1)).unwrap_or(5));
    let deadline = tokio::time::Instant::now() + code.expires_in;
    let late = || tokio::time::Instant::now() >= deadline;
    let token = loop {
        tokio::time::sleep(interval).await;
        let answer = client
            .create_token()
            .client_id(&client_id)
            .client_secret(&client_secret)
            .grant_type("urn:ietf:params:oauth:grant-type:device_code")
            .device_code(&device_code)
            .send()
            .await;
        match answer {
            Ok(token) => break token,
            Err(e) => match e.as_service_error() {
                Some(s) if s.is_authorization_pending_exception() && !late() => {}
                Some(s) if s.is_slow_down_exception() => interval += Duration::from_secs(5),
                Some(s)
                    if s.is_authorization_pending_exception() || s.is_expired_token_exception() =>
                {
                    return Err(
                        "the login was not approved in time: run it again and approve it in the \
                         browser"
                            .into(),
                    );
                }
                Some(s) if s.is_access_denied_exception() => {
                    return Err("the login was denied in the browser".into());
                }
                _ => return Err(failed("SSO OIDC CreateToken", &e)),
            },
        }
    };
    let now = SystemTime::now();
    let expires = now + Duration::from_secs(u64::try_from(token.expires_in).unwrap_or(0));
    let registration_expires = SystemTime::UNIX_EPOCH
        + Duration::from_secs(u64::try_from(registered.client_secret_expires_at).unwrap_or(0));
    let file = CachedToken {
        start_url: Some(login.start_url.clone()),
        region: Some(login.region.clone()),
        access_token: token.access_token.unwrap_or_default(),
        expires_at: format_time(expires),
        client_id: Some(client_id),
        client_secret: Some(client_secret),
        registration_expires_at: Some(format_time(registration_expires)),
        refresh_token: token.refresh_token,
    };
    write_token(path, &file).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(expires)
}

/// Write the token file whole, readable by the user only (the AWS CLI's directory and mode).
fn write_token(path: &std::path::Path, token: &CachedToken) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(serde_json::to_string_pretty(token)?.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Open the page in the desktop's browser when there is a desktop; the URL is printed either way.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        Some("open")
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        Some("xdg-open")
    } else {
        None
    };
    if let Some(opener) = opener {
        let _ = std::process::Command::new(opener)
            .arg(url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
}

fn failed<E, R>(what: &str, e: &aws_smithy_runtime_api::client::result::SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match e.as_service_error() {
        Some(s) => format!(
            "{what} failed: {}",
            s.message().or(s.code()).unwrap_or("unknown error")
        ),
        None => format!(
            "{what} failed: {}",
            aws_smithy_types::error::display::DisplayErrorContext(e)
        ),
    }
}

#[cfg(test)]
mod tests;
