//! Building the base SDK config from flags, config and the environment.

use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig, identity::IdentityCache, retry::RetryConfig};

pub use crate::config::CallTimeouts;

/// What opsdeck needs to know to talk to AWS, already merged from flags > config file > defaults.
/// `None` leaves the choice to the SDK's default chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL,
/// ~/.aws/config, SSO, credential_process, instance roles ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSettings {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// The role assumed into the organisation's accounts.
    pub role_name: String,
    pub external_id: Option<String>,
    pub session_name: String,
    /// Attempts per call, including the first (the SDK's standard retry mode, with backoff).
    pub max_attempts: u32,
    /// The bounds of every call (`[aws]` connect/read/operation timeouts).
    pub timeouts: CallTimeouts,
}

impl Default for CallTimeouts {
    fn default() -> Self {
        crate::config::AwsConfig::default().timeouts()
    }
}

/// How long before expiry cached credentials are refreshed: generous, so a long-running page load
/// never signs with credentials about to expire.
const CREDENTIALS_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);

/// A cache for one set of credentials (the current ones, or one account's assumed role). The SDK's
/// lazy cache holds the credentials of at most 64 providers and evicts an arbitrary one beyond
/// that: shared by every account of a 200-account organisation, it dropped credentials still in use
/// and each account assumed its role again (338 AssumeRole calls for 200 accounts). So every
/// account's config gets a cache of its own (`clients::Aws::assumed`).
pub fn credentials_cache() -> aws_smithy_runtime_api::client::identity::SharedIdentityCache {
    IdentityCache::lazy()
        .buffer_time(CREDENTIALS_REFRESH_BUFFER)
        .build()
}

/// Load the base config. Does no network I/O beyond what the credential chain needs lazily.
pub async fn load_base_config(settings: &AwsSettings) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts.max(1)))
        .timeout_config(timeout_config(&settings.timeouts))
        .identity_cache(credentials_cache())
        .http_client(shared_https_client());
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &settings.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    loader.load().await
}

/// The one HTTP client of every SDK client opsdeck builds, whatever the account: without it each
/// service client of each account builds its own (its own connection pool, its own TLS
/// configuration with the system's root certificates), about 0.4 MB per account. The same client
/// the SDK would build by default (hyper 1, rustls with aws-lc, the `HTTPS_PROXY`/`NO_PROXY`
/// environment honoured); it keeps one connector per timeout setting and one pool of connections
/// per endpoint.
pub fn shared_https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// Every call is bounded: the connection, each attempt until its answer is read (the SDK's read
/// timeout covers the wait for the first byte, the attempt timeout an answer that drips), and the
/// whole call with its retries.
pub fn timeout_config(t: &CallTimeouts) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(t.connect)
        .read_timeout(t.read)
        .operation_attempt_timeout(t.read)
        .operation_timeout(t.operation)
        .build()
}

/// The endpoint every client talks to when overridden (flag, config, or AWS_ENDPOINT_URL).
pub fn endpoint_of(sdk: &SdkConfig) -> Option<String> {
    sdk.endpoint_url().map(str::to_owned)
}

/// A service `demo seed` calls: the SDK's service id (for per-service endpoints) and the
/// environment variable that overrides its endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedService {
    pub service_id: &'static str,
    pub env: &'static str,
}

/// Every service the demo seed sends requests to.
pub const SEED_SERVICES: [SeedService; 5] = [
    SeedService {
        service_id: "STS",
        env: "AWS_ENDPOINT_URL_STS",
    },
    SeedService {
        service_id: "Organizations",
        env: "AWS_ENDPOINT_URL_ORGANIZATIONS",
    },
    SeedService {
        service_id: "Route 53",
        env: "AWS_ENDPOINT_URL_ROUTE_53",
    },
    SeedService {
        service_id: "Cognito Identity Provider",
        env: "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    },
    SeedService {
        service_id: "SFN",
        env: "AWS_ENDPOINT_URL_SFN",
    },
];

/// The endpoint a client of `service_id` built from `sdk` sends to, resolved the way the SDK's
/// `Config::from(&SdkConfig)` does: an endpoint set in code (`--endpoint-url`, `aws.endpoint_url`
/// in the config) wins over everything; otherwise the service's own endpoint
/// (`AWS_ENDPOINT_URL_<SERVICE>`, or `endpoint_url` in the profile's `services` section), then the
/// global one (`AWS_ENDPOINT_URL`, the profile's `endpoint_url`). `None`: AWS's own endpoint.
pub fn service_endpoint(sdk: &SdkConfig, service_id: &str) -> Option<String> {
    let global = sdk.endpoint_url().map(str::to_owned);
    if sdk.get_origin("endpoint_url").is_client_config() {
        return global;
    }
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id(service_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()?;
    sdk.service_config()
        .and_then(|c| c.load_config(key))
        .or(global)
}

/// What the SDK would otherwise turn into a panic or a debug dump, refused before it is loaded
/// with the one thing to fix: a profile that does not exist, an endpoint variable that is empty or
/// not a URL.
pub fn preflight(settings: &AwsSettings) -> Result<(), String> {
    check_endpoint_variables(std::env::vars_os())?;
    check_profile(settings)
}

/// `AWS_ENDPOINT_URL` and the per-service `AWS_ENDPOINT_URL_<SERVICE>`: set means a URL (the SDK
/// panics on an empty one and dumps its request on anything without a scheme).
fn check_endpoint_variables(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Result<(), String> {
    for (name, value) in vars {
        let Some(name) = name.to_str() else { continue };
        if name != "AWS_ENDPOINT_URL" && !name.starts_with("AWS_ENDPOINT_URL_") {
            continue;
        }
        let value = value.to_string_lossy();
        if let Err(problem) = crate::config::check_endpoint_url(value.trim()) {
            return Err(format!("{name}: {problem}, or unset the variable"));
        }
    }
    Ok(())
}

/// The profile opsdeck will use, when one is chosen (config, --profile, or AWS_PROFILE), must
/// exist: without this check the SDK falls through to the instance metadata service and reports
/// *that* failure instead. Checked before the SDK config is loaded, from the section names of the
/// shared config and credentials files.
fn check_profile(settings: &AwsSettings) -> Result<(), String> {
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let Some(profile) = settings
        .profile
        .clone()
        .or_else(|| env("AWS_PROFILE").map(|p| p.to_string_lossy().into_owned()))
    else {
        return Ok(());
    };
    let home = std::env::home_dir().unwrap_or_default();
    let config = env("AWS_CONFIG_FILE").map_or_else(|| home.join(".aws/config"), Into::into);
    let credentials = env("AWS_SHARED_CREDENTIALS_FILE")
        .map_or_else(|| home.join(".aws/credentials"), Into::into);
    let read = |path: &std::path::Path| std::fs::read_to_string(path).unwrap_or_default();
    if profile == "default"
        || profile_names(&read(&config), true).any(|p| p == profile)
        || profile_names(&read(&credentials), false).any(|p| p == profile)
    {
        return Ok(());
    }
    Err(format!(
        "profile {profile} not found in ~/.aws/config (or $AWS_CONFIG_FILE) nor in \
         ~/.aws/credentials (or $AWS_SHARED_CREDENTIALS_FILE): name a profile that exists \
         (`aws configure list-profiles`) with --profile, aws.profile or AWS_PROFILE"
    ))
}

/// The profile names of a shared config file (`[profile NAME]`, `[default]`; `[NAME]` too, as
/// some tools write it) or of a credentials file (`[NAME]`).
fn profile_names(text: &str, config_file: bool) -> impl Iterator<Item = String> + '_ {
    text.lines().filter_map(move |line| {
        let inner = line.trim().strip_prefix('[')?.split(']').next()?;
        let words: Vec<&str> = inner.split_whitespace().collect();
        match words.as_slice() {
            ["profile", name] if config_file => Some((*name).to_owned()),
            [name] => Some((*name).to_owned()),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_types::origin::Origin;
    use aws_types::service_config::{LoadServiceConfig, ServiceConfigKey};

    /// Per-service endpoints as the environment or the profile's `services` section give them.
    #[derive(Debug)]
    struct PerService(Vec<(&'static str, &'static str)>);

    impl LoadServiceConfig for PerService {
        fn load_config(&self, key: ServiceConfigKey<'_>) -> Option<String> {
            assert_eq!(
                (key.env(), key.profile()),
                ("AWS_ENDPOINT_URL", "endpoint_url")
            );
            let found = self.0.iter().find(|(id, _)| *id == key.service_id());
            found.map(|(_, url)| (*url).to_owned())
        }
    }

    fn sdk(global: Option<(&str, Origin)>, per_service: PerService) -> SdkConfig {
        let mut builder = SdkConfig::builder().service_config(per_service);
        if let Some((url, origin)) = global {
            builder.insert_origin("endpoint_url", origin);
            builder.set_endpoint_url(Some(url.to_owned()));
        }
        builder.build()
    }

    const LOCAL: &str = "http://127.0.0.1:5000";
    const REMOTE: &str = "http://192.0.2.1:9";

    #[test]
    fn a_service_endpoint_overrides_the_global_one_from_the_environment_for_its_service_only() {
        for service in SEED_SERVICES {
            let per_service = PerService(vec![(service.service_id, REMOTE)]);
            let global = Some((LOCAL, Origin::shared_environment_variable()));
            let sdk = sdk(global, per_service);
            for other in SEED_SERVICES {
                let want = if other == service { REMOTE } else { LOCAL };
                let got = service_endpoint(&sdk, other.service_id);
                assert_eq!(got.as_deref(), Some(want), "{} set", service.env);
            }
        }
    }

    #[test]
    fn an_endpoint_set_in_code_wins_and_none_means_aws() {
        let per_service = PerService(vec![("SFN", REMOTE)]);
        let sdk = sdk(Some((LOCAL, Origin::shared_config())), per_service);
        assert_eq!(service_endpoint(&sdk, "SFN").as_deref(), Some(LOCAL));
        let nothing = SdkConfig::builder().build();
        assert_eq!(service_endpoint(&nothing, "SFN"), None);
        let only_sfn = SdkConfig::builder()
            .service_config(PerService(vec![("SFN", REMOTE)]))
            .build();
        assert_eq!(service_endpoint(&only_sfn, "STS"), None);
    }

    #[test]
    fn endpoint_variables_must_be_urls() {
        let vars = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect::<Vec<_>>()
                .into_iter()
        };
        assert!(
            check_endpoint_variables(vars(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")]))
                .is_ok()
        );
        assert!(check_endpoint_variables(vars(&[("AWS_ENDPOINT_URLS_X", "")])).is_ok());
        let e = check_endpoint_variables(vars(&[("AWS_ENDPOINT_URL_STS", "")])).unwrap_err();
        assert!(
            e.starts_with("AWS_ENDPOINT_URL_STS: `` is not an endpoint URL"),
            "{e}"
        );
        assert!(e.ends_with("or unset the variable"), "{e}");
        assert!(check_endpoint_variables(vars(&[("AWS_ENDPOINT_URL", "notaurl")])).is_err());
    }

    #[test]
    fn profile_names_are_read_from_the_section_headers() {
        let config = "[default]\nregion = x\n[profile  prod ]\n[sso-session corp]\n[services s]\n";
        let names: Vec<String> = profile_names(config, true).collect();
        assert_eq!(names, ["default", "prod"]);
        let credentials = "[dev]\naws_access_key_id = A\n# [ghost]\n";
        let names: Vec<String> = profile_names(credentials, false).collect();
        assert_eq!(names, ["dev"]);
    }
}
