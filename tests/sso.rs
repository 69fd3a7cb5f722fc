//! SSO profiles end to end, without AWS: a local fake of the SSO OIDC service (device flow), the
//! SSO portal (GetRoleCredentials) and STS (GetCallerIdentity), reached through `AWS_ENDPOINT_URL`.
//! An expired token is one line naming the fix, at once and without a call; `opsdeck login` writes
//! the token in the AWS CLI's cache format, and aws-config then signs in with it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

const ACCESS_TOKEN: &str = "sso-access-token-from-the-device-flow";
const ACCOUNT: &str = "111122223333";

/// What the fake saw: method and path of each request, and whether the portal got our token.
#[derive(Default)]
struct Seen {
    requests: Vec<String>,
    token_polls: usize,
    bearer_ok: bool,
}

/// Start the fake on a free loopback port; its endpoint and what it saw.
async fn fake_aws() -> (String, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let seen = state.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let seen = seen.clone();
                    async move { Ok::<_, hyper::Error>(answer(req, &seen).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (endpoint, seen)
}

fn json(status: u16, body: serde_json::Value, error_type: Option<&str>) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", "application/json");
    if let Some(kind) = error_type {
        builder = builder.header("x-amzn-errortype", kind);
    }
    builder
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap()
}

async fn answer(req: Request<Incoming>, seen: &Mutex<Seen>) -> Response<Full<Bytes>> {
    let (method, path) = (req.method().to_string(), req.uri().path().to_owned());
    let bearer = req
        .headers()
        .get("x-amz-sso_bearer_token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = req.into_body().collect().await.unwrap().to_bytes();
    let mut seen = seen.lock().unwrap();
    seen.requests.push(format!("{method} {path}"));
    match (method.as_str(), path.as_str()) {
        ("POST", "/client/register") => json(
            200,
            serde_json::json!({
                "clientId": "client-1", "clientSecret": "client-secret-1",
                "clientIdIssuedAt": 1_700_000_000, "clientSecretExpiresAt": 4_102_444_800u64
            }),
            None,
        ),
        ("POST", "/device_authorization") => json(
            200,
            serde_json::json!({
                "deviceCode": "device-1", "userCode": "WXYZ-1234",
                "verificationUri": "https://device.example/",
                "verificationUriComplete": "https://device.example/?user_code=WXYZ-1234",
                "expiresIn": 600, "interval": 1
            }),
            None,
        ),
        ("POST", "/token") => {
            seen.token_polls += 1;
            if seen.token_polls == 1 {
                json(
                    400,
                    serde_json::json!({"error": "authorization_pending"}),
                    Some("AuthorizationPendingException"),
                )
            } else {
                json(
                    200,
                    serde_json::json!({
                        "accessToken": ACCESS_TOKEN, "tokenType": "Bearer",
                        "expiresIn": 28_800, "refreshToken": "refresh-1"
                    }),
                    None,
                )
            }
        }
        ("GET", "/federation/credentials") => {
            if bearer.as_deref() != Some(ACCESS_TOKEN) {
                return json(
                    401,
                    serde_json::json!({"message": "bad token"}),
                    Some("UnauthorizedException"),
                );
            }
            seen.bearer_ok = true;
            let expiration = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_millis()
                + 3_600_000;
            json(
                200,
                serde_json::json!({"roleCredentials": {
                    "accessKeyId": "ASIAFAKESSO", "secretAccessKey": "sso-secret",
                    "sessionToken": "sso-session-token", "expiration": expiration as u64
                }}),
                None,
            )
        }
        ("POST", "/") if String::from_utf8_lossy(&body).contains("GetCallerIdentity") => {
            let xml = format!(
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\
                 <GetCallerIdentityResult><Arn>arn:aws:sts::{ACCOUNT}:assumed-role/Admin/ann</Arn>\
                 <UserId>AROA:ann</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult>\
                 <ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata>\
                 </GetCallerIdentityResponse>"
            );
            Response::builder()
                .status(200)
                .header("content-type", "text/xml")
                .body(Full::new(Bytes::from(xml)))
                .unwrap()
        }
        _ => json(404, serde_json::json!({"message": "not faked"}), None),
    }
}

const CONFIG: &str = "\
[profile corp]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = us-east-1

[profile bare]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin

[sso-session corp]
sso_start_url = https://corp.example.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
";

/// The binary with a scratch home holding only the SSO profiles, every call to `endpoint`, as
/// profile `corp`.
fn opsdeck(home: &Path, endpoint: &str, args: &[&str]) -> Command {
    opsdeck_as("corp", home, endpoint, args)
}

fn opsdeck_as(profile: &str, home: &Path, endpoint: &str, args: &[&str]) -> Command {
    std::fs::write(home.join("aws-config"), CONFIG).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsdeck"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1")
        .args(["--profile", profile])
        .args(args)
        .stdin(Stdio::null());
    cmd
}

async fn run(mut cmd: Command) -> (Output, Duration) {
    let started = Instant::now();
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("run opsdeck"))
        .await
        .unwrap();
    eprintln!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, started.elapsed())
}

/// `~/.aws/sso/cache/<sha1 of the session name>.json`, as the AWS CLI names it.
fn token_file(home: &Path) -> PathBuf {
    let cache = home.join(".aws/sso/cache");
    let files: Vec<PathBuf> = std::fs::read_dir(&cache)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(files.len() <= 1, "{files:?}");
    files
        .into_iter()
        .next()
        .unwrap_or_else(|| cache.join("none"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_sso_token_is_one_line_naming_the_fix_at_once_and_without_a_call() {
    let (endpoint, seen) = fake_aws().await;
    let home = scratch_dir();
    let cache = home.join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    // sha1("corp"): the name the AWS CLI gives the token of sso-session corp.
    let path = cache.join("ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
    let expired = serde_json::json!({
        "startUrl": "https://corp.example.com/start", "region": "us-east-1",
        "accessToken": "old", "expiresAt": "2020-01-01T00:00:00Z"
    });
    for (what, file) in [("missing", None), ("expired", Some(&expired))] {
        let _ = std::fs::remove_dir_all(&cache);
        std::fs::create_dir_all(&cache).unwrap();
        if let Some(body) = file {
            std::fs::write(&path, body.to_string()).unwrap();
        }
        let (out, took) = run(opsdeck(&home, &endpoint, &["whoami"])).await;
        assert_eq!(out.status.code(), Some(1), "{what}");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
        assert!(
            err.starts_with("opsdeck: the SSO session of profile corp ")
                && err.contains(
                    "run `aws sso login --profile corp` or `opsdeck login --profile corp`"
                ),
            "{what}: {err}"
        );
        assert!(took < Duration::from_secs(2), "{what}: took {took:?}");
        assert!(seen.lock().unwrap().requests.is_empty(), "{what}: no call");
    }
    // Said before anything else is looked up: a profile without a region gets the same line.
    let (out, _) = run(opsdeck_as("bare", &home, &endpoint, &["whoami"])).await;
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("the SSO session of profile bare expired at 2020-01-01T00:00:00Z: run `aws sso login --profile bare`"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_writes_the_cli_token_file_and_the_sdk_then_signs_in_with_it() {
    let (endpoint, seen) = fake_aws().await;
    let home = scratch_dir();
    let (out, _) = run(opsdeck(&home, &endpoint, &["login"])).await;
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("https://device.example/?user_code=WXYZ-1234") && err.contains("WXYZ-1234"),
        "the page and the code are shown: {err}"
    );
    assert!(!err.contains(ACCESS_TOKEN));
    assert_eq!(seen.lock().unwrap().token_polls, 2, "polled until approved");

    let path = token_file(&home);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name.len(), 40 + 5, "a SHA-1 file name: {name}");
    let token: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(token["accessToken"], ACCESS_TOKEN);
    assert_eq!(token["startUrl"], "https://corp.example.com/start");
    assert_eq!(token["region"], "us-east-1");
    assert_eq!(token["clientId"], "client-1");
    assert_eq!(token["refreshToken"], "refresh-1");
    assert!(token["expiresAt"].as_str().unwrap().ends_with('Z'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // aws-config reads the file and gets the role's credentials with the token.
    let (out, _) = run(opsdeck(&home, &endpoint, &["whoami", "-o", "json"])).await;
    assert_eq!(out.status.code(), Some(0));
    let me: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(me["account_id"], ACCOUNT);
    assert_eq!(me["credential_source"], "SSO (profile corp)");
    assert!(
        seen.lock().unwrap().bearer_ok,
        "the portal got the new token"
    );

    // The log holds neither the token nor the credentials it bought.
    for file in walk(&home.join("state")) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for secret in [
            ACCESS_TOKEN,
            "sso-secret",
            "sso-session-token",
            "client-secret-1",
        ] {
            assert!(!text.contains(secret), "{secret} in {}", file.display());
        }
    }

    // logout removes the token: the next command says to log in.
    let (out, _) = run(opsdeck(&home, &endpoint, &["logout"])).await;
    assert_eq!(out.status.code(), Some(0));
    assert!(!path.exists());
    let (out, _) = run(opsdeck(&home, &endpoint, &["whoami"])).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("opsdeck login --profile corp"));
}

/// A directory for one test's files, kept under cargo's target temp dir.
fn scratch_dir() -> PathBuf {
    tempfile::Builder::new()
        .prefix("opsdeck-test-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap()
        .keep()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}
