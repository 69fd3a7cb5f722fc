//! `opsdeck whoami`: who the current credentials are, and where they point.

use std::io::Write;

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::domain::sanitize::without_userinfo;
use crate::rows::Cells;
use crate::rows::write_record;
use crate::services::Backend;

/// JSON: `{"account_id", "arn", "user_id", "region", "profile", "endpoint", "credential_source",
/// "expires"}`; `expires` is RFC 3339 (UTC) or null for credentials that do not expire.
#[derive(Debug, Serialize)]
pub struct WhoAmI {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint: Option<String>,
    /// Static keys, environment, SSO, assumed role, MFA session (with the device).
    pub credential_source: String,
    pub expires: Option<String>,
}

impl Cells for WhoAmI {
    fn headers() -> &'static [&'static str] {
        &[
            "account_id",
            "arn",
            "user_id",
            "region",
            "profile",
            "endpoint",
            "credential_source",
            "expires",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.account_id.clone(),
            self.arn.clone(),
            self.user_id.clone(),
            self.region.clone().unwrap_or_default(),
            self.profile.clone().unwrap_or_default(),
            self.endpoint.clone().unwrap_or_default(),
            self.credential_source.clone(),
            self.expires.clone().unwrap_or_default(),
        ]
    }
}

pub struct Where {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint: Option<String>,
    /// Where the credentials come from, in words.
    pub credential_source: String,
    /// When they stop working.
    pub expires: Option<std::time::SystemTime>,
}

pub async fn run(
    backend: &dyn Backend,
    place: Where,
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let me = backend.caller_identity().await?;
    let row = WhoAmI {
        account_id: me.account_id,
        arn: me.arn,
        user_id: me.user_id,
        region: place.region,
        profile: place.profile,
        // `user:pass@` in the URL may be a secret: never printed.
        endpoint: place
            .endpoint
            .map(|url| without_userinfo(&url).into_owned()),
        credential_source: place.credential_source,
        expires: place.expires.map(|t| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        }),
    };
    write_record(out, format, &row)?;
    Ok(crate::exit::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fake::FakeBackend;

    #[tokio::test]
    async fn the_endpoint_is_printed_without_its_user_and_password() {
        let fake = FakeBackend::new("111122223333");
        let place = Where {
            region: Some("eu-west-1".into()),
            profile: None,
            endpoint: Some("http://admin:hunter2@127.0.0.1:5000".into()),
            credential_source: "MFA session (arn:aws:iam::1:mfa/ann)".into(),
            expires: Some(
                std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400),
            ),
        };
        let mut out = Vec::new();
        run(&fake, place, OutputFormat::Json, &mut out)
            .await
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("\"endpoint\": \"http://127.0.0.1:5000\""),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
        assert!(
            text.contains("\"credential_source\": \"MFA session (arn:aws:iam::1:mfa/ann)\"")
                && text.contains("\"expires\": \"1970-01-02T00:00:00Z\""),
            "{text}"
        );
    }
}
