use super::*;
use aws_sdk_ssooidc::Client;
use aws_sdk_ssooidc::operation::create_token::{CreateTokenError, CreateTokenOutput};
use aws_sdk_ssooidc::operation::register_client::RegisterClientOutput;
use aws_sdk_ssooidc::operation::start_device_authorization::StartDeviceAuthorizationOutput;
use aws_sdk_ssooidc::types::error::AuthorizationPendingException;
use aws_smithy_mocks::{RuleMode, mock, mock_client};

fn corp() -> SsoLogin {
    SsoLogin {
        profile: "corp".into(),
        session: Some("corp".into()),
        start_url: "https://corp.awsapps.com/start".into(),
        region: "eu-central-1".into(),
        scopes: Vec::new(),
    }
}

#[test]
fn the_token_file_is_named_by_the_sha1_of_the_session_name_as_the_cli_does() {
    let path = token_path(&corp());
    let want = format!(".aws/sso/cache/{}.json", sha1_hex("corp"));
    assert!(path.ends_with(&want), "{}", path.display());
    assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

fn write(dir: &std::path::Path, token: &CachedToken) -> PathBuf {
    let path = dir.join("t.json");
    write_token(&path, token).unwrap();
    path
}

fn token(expires: SystemTime) -> CachedToken {
    CachedToken {
        start_url: None,
        region: None,
        access_token: "at".into(),
        expires_at: format_time(expires),
        client_id: None,
        client_secret: None,
        registration_expires_at: None,
        refresh_token: None,
    }
}

#[test]
fn missing_and_expired_tokens_say_so_and_a_live_or_renewable_one_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let now = SystemTime::now();
    let e = usable_token_at(&dir.path().join("none.json"), now).unwrap_err();
    assert!(e.starts_with("has no token"), "{e}");
    let hour = Duration::from_secs(3600);
    let path = write(dir.path(), &token(now - hour));
    let e = usable_token_at(&path, now).unwrap_err();
    assert!(e.starts_with("expired at 20"), "{e}");
    let path = write(dir.path(), &token(now + hour));
    assert!(usable_token_at(&path, now).is_ok());
    let mut renewable = token(now - hour);
    renewable.refresh_token = Some("rt".into());
    renewable.client_id = Some("id".into());
    renewable.client_secret = Some("secret".into());
    renewable.registration_expires_at = Some(format_time(now + hour));
    let path = write(dir.path(), &renewable);
    assert!(usable_token_at(&path, now).is_ok());
}

#[tokio::test(start_paused = true)]
async fn the_device_flow_shows_the_code_polls_until_approved_and_writes_the_cli_format() {
    let register = mock!(Client::register_client).then_output(|| {
        RegisterClientOutput::builder()
            .client_id("client-1")
            .client_secret("client-secret")
            .client_secret_expires_at(4_102_444_800)
            .build()
    });
    let start = mock!(Client::start_device_authorization).then_output(|| {
        StartDeviceAuthorizationOutput::builder()
            .device_code("device-1")
            .user_code("ABCD-EFGH")
            .verification_uri("https://device.sso.eu-central-1.amazonaws.com/")
            .verification_uri_complete(
                "https://device.sso.eu-central-1.amazonaws.com/?user_code=ABCD-EFGH",
            )
            .expires_in(600)
            .interval(1)
            .build()
    });
    let pending = mock!(Client::create_token)
        .match_requests(|r| r.device_code() == Some("device-1"))
        .sequence()
        .error(|| {
            CreateTokenError::AuthorizationPendingException(
                AuthorizationPendingException::builder().build(),
            )
        })
        .output(|| {
            CreateTokenOutput::builder()
                .access_token("access-1")
                .refresh_token("refresh-1")
                .expires_in(28_800)
                .build()
        })
        .build();
    let client = mock_client!(
        aws_sdk_ssooidc,
        RuleMode::MatchAny,
        [&register, &start, &pending]
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sso/cache/x.json");
    let mut shown = Vec::new();
    let expires = login(&client, &corp(), &path, &mut |code: &DeviceCode| {
        shown.push(code.clone())
    })
    .await
    .unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].user_code, "ABCD-EFGH");
    assert_eq!(pending.num_calls(), 2, "polled until approved");
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["accessToken"], "access-1");
    assert_eq!(written["refreshToken"], "refresh-1");
    assert_eq!(written["clientId"], "client-1");
    assert_eq!(written["clientSecret"], "client-secret");
    assert_eq!(written["startUrl"], "https://corp.awsapps.com/start");
    assert_eq!(written["region"], "eu-central-1");
    assert_eq!(written["registrationExpiresAt"], "2100-01-01T00:00:00Z");
    let at = written["expiresAt"].as_str().unwrap();
    assert!(at.ends_with('Z') && at.len() == 20, "{at}");
    assert_eq!(
        usable_token_at(&path, SystemTime::now()).unwrap(),
        parse_time(at).unwrap()
    );
    assert!(expires > SystemTime::now());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
