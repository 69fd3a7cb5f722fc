//! `opsdeck login` / `opsdeck logout` (and `:login` in the dashboard): what a profile logs in to,
//! the SSO device flow, and forgetting sessions; the profile names for completion.

use std::path::PathBuf;
use std::time::SystemTime;

use aws_config::SdkConfig;

use super::profile::{self, Chain, Plan, Source, SsoLogin};
use super::{session_cache, sso};

/// The profile names of `~/.aws/config` and `~/.aws/credentials`, sorted (`:profile` completion).
pub async fn profile_names() -> Vec<String> {
    let Ok(profiles) = profile::load_profiles().await else {
        return Vec::new();
    };
    let mut names: Vec<String> = profiles.profiles().map(str::to_owned).collect();
    names.sort();
    names
}

/// Forget the cached MFA sessions of `profile` (None: the chosen one), so the next resolution
/// asks for a new code.
pub fn forget_mfa_sessions(
    profile: Option<&str>,
    cache_dir: &std::path::Path,
) -> Result<(), String> {
    let name = profile::chosen_profile(profile);
    session_cache::remove(cache_dir, Some(&name))
        .map(|_| ())
        .map_err(|e| format!("cannot remove the sessions in {}: {e}", cache_dir.display()))
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
    show: &mut (dyn FnMut(&sso::DeviceCode) + Send),
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
