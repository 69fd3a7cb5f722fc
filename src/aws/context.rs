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
