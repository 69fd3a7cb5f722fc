//! What the chosen profile of `~/.aws/config` and `~/.aws/credentials` asks for, read with
//! aws-config's own profile parser (so `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, `[default]`
//! and the credentials file's precedence behave as in every AWS tool), and turned into a plan:
//! leave it to the SDK, check an SSO token first, or walk a role chain ourselves — the SDK sends a
//! profile's AssumeRole to the public STS endpoint whatever the configured endpoint, and ignores
//! `mfa_serial` altogether.

// aws-config's loader takes this (deprecated) alias of aws-runtime's type, which is not a direct
// dependency of opsdeck.
#[allow(deprecated)]
use aws_config::profile::profile_file::ProfileFiles;
use aws_config::profile::{Profile, ProfileSet};
use aws_types::os_shim_internal::{Env, Fs};

/// How the credentials of the chosen profile are obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The SDK's default chain as it is (environment, static keys, `credential_process`, instance
    /// roles ...): nothing the SDK gets wrong. Says which, in words.
    Sdk(String),
    /// An SSO profile: the SDK does the work once its token is known to be there.
    Sso(SsoLogin),
    /// A role chain (and/or MFA) walked by opsdeck, every STS call to the configured endpoint.
    Chain(Chain),
}

/// Where the token of an SSO profile lives and how to get a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoLogin {
    pub profile: String,
    /// The `sso_session` name, or None for a legacy profile with `sso_start_url` of its own.
    pub session: Option<String>,
    pub start_url: String,
    pub region: String,
    /// `sso_registration_scopes` of the session (comma separated in the file).
    pub scopes: Vec<String>,
}

impl SsoLogin {
    /// What names the token file: the session name, or the start URL of a legacy profile.
    pub fn cache_identifier(&self) -> &str {
        self.session.as_deref().unwrap_or(&self.start_url)
    }
}

/// A profile whose credentials come from a source, then zero or more roles assumed in turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    /// The profile chosen.
    pub profile: String,
    pub source: Source,
    /// Roles to assume from the source, in order (the chosen profile's last).
    pub hops: Vec<Hop>,
    /// The MFA device of the chosen profile (or, failing that, of the first profile down the chain
    /// that names one).
    pub mfa_serial: Option<String>,
    /// How long an MFA session from GetSessionToken lasts (the profile's `duration_seconds` when it
    /// has no role to assume; AWS's default of 12 h otherwise).
    pub session_seconds: Option<i32>,
}

/// Where the first credentials of a chain come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Keys written in the profile (credentials or config file).
    Static {
        profile: String,
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
    },
    /// Whatever else the SDK can get for this profile without STS (SSO, `credential_process`).
    Profile {
        profile: String,
        sso: Option<SsoLogin>,
    },
    /// `credential_source` of the role profile: `Environment`, `Ec2InstanceMetadata`,
    /// `EcsContainer`.
    Named(String),
}

/// One `role_arn` to assume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub profile: String,
    pub role_arn: String,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    pub duration_seconds: Option<i32>,
}

/// Read the shared config and credentials files the way the SDK does.
pub async fn load_profiles() -> Result<ProfileSet, String> {
    load_profiles_from(&Fs::real(), &Env::real()).await
}

#[allow(deprecated)]
pub(crate) async fn load_profiles_from(fs: &Fs, env: &Env) -> Result<ProfileSet, String> {
    aws_config::profile::load(fs, env, &ProfileFiles::default(), None)
        .await
        .map_err(|e| format!("cannot read the AWS config files: {e}"))
}

/// The profile opsdeck uses: the one chosen (flag, config, `AWS_PROFILE`), else `default`.
pub fn chosen_profile(chosen: Option<&str>) -> String {
    chosen
        .map(str::to_owned)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".to_owned())
}

/// What to do for `profile`. `explicit`: the profile was named (flag, config, AWS_PROFILE), so it
/// wins over keys in the environment, as in the AWS CLI.
///
/// Whether the profile's own credentials must replace the SDK's default chain, which would read
/// keys from the environment before the profile named.
pub fn profile_over_environment(profiles: &ProfileSet, profile: &str, explicit: bool) -> bool {
    explicit
        && std::env::var_os("AWS_ACCESS_KEY_ID").is_some_and(|v| !v.is_empty())
        && profiles.get_profile(profile).is_some()
}

pub fn plan(profiles: &ProfileSet, profile: &str, explicit: bool) -> Result<Plan, String> {
    let env_keys = std::env::var_os("AWS_ACCESS_KEY_ID").is_some_and(|v| !v.is_empty());
    let environment = || Plan::Sdk("environment variables".into());
    if env_keys && !explicit {
        return Ok(environment());
    }
    let Some(chosen) = profiles.get_profile(profile) else {
        return Ok(if env_keys {
            environment()
        } else {
            Plan::Sdk("the SDK's default chain (container or instance role)".into())
        });
    };
    if chosen.get("role_arn").is_none() && chosen.get("mfa_serial").is_none() {
        if let Some(sso) = sso_login(profiles, chosen)? {
            return Ok(Plan::Sso(sso));
        }
        // A named profile wins over keys in the environment (as in the AWS CLI): see
        // `credentials::prepare`, which makes the SDK read the profile's own.
        let what = if chosen.get("aws_access_key_id").is_some() {
            "static keys"
        } else if chosen.get("credential_process").is_some() {
            "credential_process"
        } else if chosen.get("web_identity_token_file").is_some() {
            "web identity token"
        } else {
            "the SDK's default chain (container or instance role)"
        };
        return Ok(Plan::Sdk(format!("{what} (profile {profile})")));
    }
    chain(profiles, chosen).map(Plan::Chain)
}

fn chain(profiles: &ProfileSet, chosen: &Profile) -> Result<Chain, String> {
    let mut hops = Vec::new();
    let mut mfa_serial = chosen.get("mfa_serial").map(str::to_owned);
    let mut seen = vec![chosen.name().to_owned()];
    let mut current = chosen;
    let source = loop {
        if mfa_serial.is_none() {
            mfa_serial = current.get("mfa_serial").map(str::to_owned);
        }
        let Some(role_arn) = current.get("role_arn") else {
            break source_of(profiles, current)?;
        };
        hops.push(Hop {
            profile: current.name().to_owned(),
            role_arn: role_arn.to_owned(),
            external_id: current.get("external_id").map(str::to_owned),
            session_name: current.get("role_session_name").map(str::to_owned),
            duration_seconds: seconds(current, "duration_seconds")?,
        });
        match (
            current.get("source_profile"),
            current.get("credential_source"),
        ) {
            (Some(_), Some(_)) => {
                return Err(format!(
                    "profile {}: has both source_profile and credential_source; keep one",
                    current.name()
                ));
            }
            (None, Some(named)) => break Source::Named(named.to_owned()),
            (None, None) => {
                return Err(format!(
                    "profile {}: role_arn needs source_profile or credential_source",
                    current.name()
                ));
            }
            (Some(next), None) => {
                // A profile that names itself is the AWS CLI's way of saying "my own keys".
                if next == current.name() {
                    break source_of(profiles, current)?;
                }
                if seen.iter().any(|s| s == next) {
                    return Err(format!(
                        "profile {}: source_profile {next} leads back to itself",
                        chosen.name()
                    ));
                }
                let Some(found) = profiles.get_profile(next) else {
                    return Err(format!(
                        "profile {}: source_profile {next} is not in ~/.aws/config nor \
                         ~/.aws/credentials",
                        current.name()
                    ));
                };
                seen.push(next.to_owned());
                current = found;
            }
        }
    };
    hops.reverse();
    let session_seconds = if hops.is_empty() {
        seconds(chosen, "duration_seconds")?
    } else {
        None
    };
    Ok(Chain {
        profile: chosen.name().to_owned(),
        source,
        hops,
        mfa_serial,
        session_seconds,
    })
}

/// The credentials at the bottom of a chain.
fn source_of(profiles: &ProfileSet, profile: &Profile) -> Result<Source, String> {
    match (
        profile.get("aws_access_key_id"),
        profile.get("aws_secret_access_key"),
    ) {
        (Some(key), Some(secret)) => Ok(Source::Static {
            profile: profile.name().to_owned(),
            access_key_id: key.to_owned(),
            secret_access_key: secret.to_owned(),
            session_token: profile.get("aws_session_token").map(str::to_owned),
        }),
        (Some(_), None) => Err(format!(
            "profile {}: aws_access_key_id without aws_secret_access_key",
            profile.name()
        )),
        _ => {
            let sso = sso_login(profiles, profile)?;
            if sso.is_none() && profile.get("credential_process").is_none() {
                return Err(format!(
                    "profile {}: no credentials (aws_access_key_id + aws_secret_access_key, \
                     sso_session, credential_process or role_arn)",
                    profile.name()
                ));
            }
            Ok(Source::Profile {
                profile: profile.name().to_owned(),
                sso,
            })
        }
    }
}

/// The SSO settings of a profile, from its `sso_session` section or (legacy) its own keys.
fn sso_login(profiles: &ProfileSet, profile: &Profile) -> Result<Option<SsoLogin>, String> {
    let name = profile.name();
    if let Some(session) = profile.get("sso_session") {
        let Some(section) = profiles.sso_session(session) else {
            return Err(format!(
                "profile {name}: sso_session {session} has no [sso-session {session}] section"
            ));
        };
        let need = |key: &str| {
            section.get(key).map(str::to_owned).ok_or_else(|| {
                format!("[sso-session {session}] has no {key}: add it (aws configure sso)")
            })
        };
        return Ok(Some(SsoLogin {
            profile: name.to_owned(),
            session: Some(session.to_owned()),
            start_url: need("sso_start_url")?,
            region: need("sso_region")?,
            scopes: section
                .get("sso_registration_scopes")
                .map(|s| {
                    s.split(',')
                        .map(|x| x.trim().to_owned())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }));
    }
    let Some(start_url) = profile.get("sso_start_url") else {
        return Ok(None);
    };
    let Some(region) = profile.get("sso_region") else {
        return Err(format!("profile {name}: sso_start_url without sso_region"));
    };
    Ok(Some(SsoLogin {
        profile: name.to_owned(),
        session: None,
        start_url: start_url.to_owned(),
        region: region.to_owned(),
        scopes: Vec::new(),
    }))
}

fn seconds(profile: &Profile, key: &str) -> Result<Option<i32>, String> {
    profile
        .get(key)
        .map(|v| {
            v.trim()
                .parse::<i32>()
                .ok()
                .filter(|s| *s > 0)
                .ok_or_else(|| {
                    format!(
                        "profile {}: {key} = {v} is not a number of seconds",
                        profile.name()
                    )
                })
        })
        .transpose()
}

/// The profile set of config and credentials files given as text.
#[cfg(test)]
pub(crate) async fn parse_for_test(config: &str, credentials: &str) -> ProfileSet {
    let fs = Fs::from_slice(&[("/c", config), ("/k", credentials)]);
    let env = Env::from_slice(&[
        ("AWS_CONFIG_FILE", "/c"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/k"),
    ]);
    load_profiles_from(&fs, &env).await.unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[profile ops]
role_arn = arn:aws:iam::111122223333:role/ops
source_profile = base
mfa_serial = arn:aws:iam::999988887777:mfa/ann
external_id = ext-1
role_session_name = ann
duration_seconds = 3600

[profile deep]
role_arn = arn:aws:iam::444455556666:role/deep
source_profile = ops

[profile loop-a]
role_arn = arn:aws:iam::111122223333:role/a
source_profile = loop-b

[profile loop-b]
role_arn = arn:aws:iam::111122223333:role/b
source_profile = loop-a

[profile mfa-user]
mfa_serial = arn:aws:iam::999988887777:mfa/ann
duration_seconds = 7200

[profile box]
role_arn = arn:aws:iam::111122223333:role/box
credential_source = Ec2InstanceMetadata

[profile corp]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin

[profile old-sso]
sso_start_url = https://old.awsapps.com/start
sso_region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
sso_registration_scopes = sso:account:access

[profile plain]
region = eu-west-1
";
    const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIABASE
aws_secret_access_key = base-secret

[mfa-user]
aws_access_key_id = AKIAUSER
aws_secret_access_key = user-secret
";

    async fn plan_of(profile: &str) -> Result<Plan, String> {
        plan(&parse_for_test(CONFIG, CREDENTIALS).await, profile, true)
    }

    #[tokio::test]
    async fn a_role_profile_with_mfa_is_a_chain_from_the_static_keys_of_its_source() {
        let Plan::Chain(chain) = plan_of("ops").await.unwrap() else {
            panic!("not a chain")
        };
        assert_eq!(
            chain.mfa_serial.as_deref(),
            Some("arn:aws:iam::999988887777:mfa/ann")
        );
        assert!(
            matches!(&chain.source, Source::Static { access_key_id, session_token: None, .. } if access_key_id == "AKIABASE")
        );
        assert_eq!(
            chain.hops,
            [Hop {
                profile: "ops".into(),
                role_arn: "arn:aws:iam::111122223333:role/ops".into(),
                external_id: Some("ext-1".into()),
                session_name: Some("ann".into()),
                duration_seconds: Some(3600),
            }]
        );
    }

    #[tokio::test]
    async fn chained_roles_are_assumed_source_first_and_the_mfa_serial_is_found_down_the_chain() {
        let Plan::Chain(chain) = plan_of("deep").await.unwrap() else {
            panic!("not a chain")
        };
        let roles: Vec<&str> = chain.hops.iter().map(|h| h.role_arn.as_str()).collect();
        assert_eq!(
            roles,
            [
                "arn:aws:iam::111122223333:role/ops",
                "arn:aws:iam::444455556666:role/deep"
            ]
        );
        assert!(chain.mfa_serial.is_some());
    }

    #[tokio::test]
    async fn an_mfa_user_without_a_role_gets_a_session_of_its_own_duration() {
        let Plan::Chain(chain) = plan_of("mfa-user").await.unwrap() else {
            panic!("not a chain")
        };
        assert!(chain.hops.is_empty());
        assert_eq!(chain.session_seconds, Some(7200));
        assert!(matches!(chain.source, Source::Static { .. }));
    }

    #[tokio::test]
    async fn broken_chains_say_what_to_fix() {
        let e = plan_of("loop-a").await.unwrap_err();
        assert!(e.contains("leads back to itself"), "{e}");
        let Plan::Chain(chain) = plan_of("box").await.unwrap() else {
            panic!("not a chain")
        };
        assert_eq!(chain.source, Source::Named("Ec2InstanceMetadata".into()));
    }

    #[tokio::test]
    async fn sso_profiles_name_their_session_or_start_url() {
        let Plan::Sso(sso) = plan_of("corp").await.unwrap() else {
            panic!("not sso")
        };
        assert_eq!(sso.cache_identifier(), "corp");
        assert_eq!(sso.region, "eu-central-1");
        assert_eq!(sso.scopes, ["sso:account:access"]);
        let Plan::Sso(old) = plan_of("old-sso").await.unwrap() else {
            panic!("not sso")
        };
        assert_eq!(old.cache_identifier(), "https://old.awsapps.com/start");
    }

    #[tokio::test]
    async fn plain_and_unknown_profiles_are_the_sdks() {
        assert!(matches!(plan_of("plain").await.unwrap(), Plan::Sdk(_)));
        assert!(matches!(plan_of("nope").await.unwrap(), Plan::Sdk(_)));
        let Plan::Sdk(what) = plan_of("base").await.unwrap() else {
            panic!("not the SDK's")
        };
        assert_eq!(what, "static keys (profile base)");
    }
}
