//! Building the base SDK config from flags, config and the environment.

use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig, identity::IdentityCache, retry::RetryConfig};

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
}

/// How long before expiry cached credentials are refreshed: generous, so a long-running page load
/// never signs with credentials about to expire.
const CREDENTIALS_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);

/// Load the base config. Does no network I/O beyond what the credential chain needs lazily.
pub async fn load_base_config(settings: &AwsSettings) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(settings.max_attempts.max(1)))
        .identity_cache(
            IdentityCache::lazy()
                .buffer_time(CREDENTIALS_REFRESH_BUFFER)
                .build(),
        );
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
}
