//! Shared setup for integration tests against the emulator (moto server, see docs/emulator.md).
//!
//! Every test that needs the emulator is marked `#[ignore = "needs the AWS emulator: run
//! scripts/test"]`, so a plain `cargo test` runs the offline tests and lists the others as ignored,
//! with that reason. scripts/test starts a moto server, exports `OPSDECK_TEST_ENDPOINT` and runs
//! everything with `cargo test --all-targets -- --include-ignored`. By hand:
//! `eval "$(scripts/emulator start)"`, then `cargo test -- --include-ignored` (or `--ignored` for
//! the emulator tests alone, `--test NAME` for one binary), and `scripts/emulator stop` at the end.
//!
//! Every test binary talks to the one server named by `OPSDECK_TEST_ENDPOINT` and never resets it:
//! tests are isolated by giving each its own fresh account, which moto derives from the access key
//! that `sts:AssumeRole` hands out. An emulator test that runs without a reachable emulator fails,
//! never skips: [`endpoint`] panics when the variable is unset or the server does not answer. And
//! when the variable is set, every binary's offline check `support::tests` fails if the server does
//! not answer, so a stale endpoint fails a plain `cargo test` too instead of passing unnoticed.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;

const HOW_TO_RUN: &str = "run scripts/test, or start the emulator with `eval \"$(scripts/emulator start)\"` (it exports OPSDECK_TEST_ENDPOINT) and run `cargo test -- --include-ignored`";

/// The default account of moto, where unknown keys land; tests never use it.
const MOTO_DEFAULT_ACCOUNT: &str = "123456789012";

const REGION: &str = "us-east-1";

/// The emulator's endpoint, checked once per test binary to answer on `/moto-api/`.
pub fn endpoint() -> String {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT
        .get_or_init(|| {
            let endpoint = std::env::var("OPSDECK_TEST_ENDPOINT")
                .ok()
                .filter(|e| !e.trim().is_empty())
                .unwrap_or_else(|| panic!("OPSDECK_TEST_ENDPOINT is not set: {HOW_TO_RUN}"));
            let endpoint = endpoint.trim().trim_end_matches('/').to_owned();
            if let Err(problem) = probe(&endpoint) {
                panic!("the emulator at {endpoint} does not answer ({problem}): {HOW_TO_RUN}");
            }
            endpoint
        })
        .clone()
}

/// `GET /moto-api/` over plain HTTP/1.0: enough to tell a live moto server from anything else.
fn probe(endpoint: &str) -> Result<(), String> {
    let authority = endpoint
        .strip_prefix("http://")
        .ok_or("only http:// endpoints are supported")?
        .split('/')
        .next()
        .unwrap_or_default();
    let addr = authority
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {authority}: {e}"))?
        .next()
        .ok_or_else(|| format!("{authority} resolves to nothing"))?;
    let timeout = Duration::from_secs(5);
    let mut stream =
        TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET /moto-api/ HTTP/1.0\r\nHost: {authority}\r\n\r\n"
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut head = [0u8; 12];
    stream
        .read_exact(&mut head)
        .map_err(|e| format!("read: {e}"))?;
    let status = String::from_utf8_lossy(&head[9..12]).into_owned();
    if status == "200" {
        Ok(())
    } else {
        Err(format!("GET /moto-api/ answered HTTP {status}"))
    }
}

/// An account of its own on the shared emulator, with credentials that land in it.
#[allow(dead_code)]
pub struct TestAccount {
    pub id: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub sdk: SdkConfig,
}

/// A 12-digit account id no other test (in this or another test binary) will pick.
fn fresh_account_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    // A leading 1-9 keeps the id 12 digits however it is parsed.
    let id = format!("{}", 100_000_000_000 + hasher.finish() % 900_000_000_000);
    if id == MOTO_DEFAULT_ACCOUNT {
        return fresh_account_id();
    }
    id
}

/// A new organisation in `account` with the named member accounts: each one's id and an SDK
/// config inside it (us-east-1), through OrganizationAccountAccessRole as opsdeck gets there.
#[allow(dead_code)]
pub async fn organisation(account: &TestAccount, names: &[&str]) -> Vec<(String, SdkConfig)> {
    let orgs = aws_sdk_organizations::Client::new(&account.sdk);
    orgs.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("create organization");
    let mut members = Vec::new();
    for name in names {
        let created = orgs
            .create_account()
            .account_name(*name)
            .email(format!("aws+{name}@example.com"))
            .send()
            .await
            .expect("create account");
        let id = created
            .create_account_status()
            .and_then(|s| s.account_id())
            .expect("account id")
            .to_owned();
        members.push((id.clone(), enter_member(account, &id).await));
    }
    members
}

/// An SDK config in `account_id` through OrganizationAccountAccessRole, as opsdeck gets there.
#[allow(dead_code)]
pub async fn enter_member(account: &TestAccount, account_id: &str) -> SdkConfig {
    let out = aws_sdk_sts::Client::new(&account.sdk)
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("opsdeck-test-member")
        .send()
        .await
        .expect("assume role");
    let c = out.credentials().expect("credentials");
    sdk_config(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        None,
        "opsdeck-test-member",
    ))
    .await
}

/// The SDK config tests use: the emulator, us-east-1, at most 2 attempts (moto answers some calls
/// with HTTP 500, which the SDK would otherwise retry three times).
pub async fn sdk_config(credentials: Credentials) -> SdkConfig {
    // The loader rather than SdkConfig::builder(): it supplies the sleep and time sources retries need.
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(endpoint())
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .load()
        .await
}

/// A fresh account, entered by assuming a role in it from moto's default account.
pub async fn isolated_account() -> TestAccount {
    let id = fresh_account_id();
    let bootstrap = sdk_config(Credentials::new(
        "testing",
        "testing",
        None,
        None,
        "opsdeck-tests",
    ))
    .await;
    let role_arn = format!("arn:aws:iam::{id}:role/opsdeck-test");
    let assumed = aws_sdk_sts::Client::new(&bootstrap)
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("opsdeck-test")
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "AssumeRole {role_arn} against {} failed: {}: {HOW_TO_RUN}",
                endpoint(),
                aws_sdk_sts::error::DisplayErrorContext(&e)
            )
        });
    let creds = assumed
        .credentials()
        .expect("AssumeRole returned no credentials");
    let (access_key_id, secret_access_key, session_token) = (
        creds.access_key_id().to_owned(),
        creds.secret_access_key().to_owned(),
        creds.session_token().to_owned(),
    );
    let sdk = sdk_config(Credentials::new(
        &access_key_id,
        &secret_access_key,
        Some(session_token.clone()),
        None,
        "opsdeck-tests",
    ))
    .await;
    TestAccount {
        id,
        access_key_id,
        secret_access_key,
        session_token,
        sdk,
    }
}

/// The built `opsdeck` binary, set up to run as `account` against the emulator, with its own empty
/// config and state directories (under cargo's per-target temp dir, kept after the test).
#[allow(dead_code)]
pub fn opsdeck(account: &TestAccount) -> Command {
    let home = scratch_dir();
    let mut command = Command::new(env!("CARGO_BIN_EXE_opsdeck"));
    command
        .env("AWS_ACCESS_KEY_ID", &account.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &account.secret_access_key)
        .env("AWS_SESSION_TOKEN", &account.session_token)
        .env("AWS_REGION", REGION)
        .env("AWS_ENDPOINT_URL", endpoint())
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_PROFILE")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL_STS")
        .env_remove("AWS_ENDPOINT_URL_ROUTE_53")
        .env_remove("AWS_ENDPOINT_URL_SFN")
        .env_remove("AWS_ENDPOINT_URL_ORGANIZATIONS")
        .env_remove("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER");
    command
}

/// A new directory for one test's files. It outlives the test on purpose (a `Command` cannot own
/// it); cargo's target temp dir keeps the leftovers out of the way.
#[allow(dead_code)]
pub fn scratch_dir() -> PathBuf {
    tempfile::Builder::new()
        .prefix("opsdeck-test-")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("cannot create a temp dir under CARGO_TARGET_TMPDIR")
        .keep()
}

/// A new Cognito user pool, optionally with the `custom:tenant_id` attribute a multi-tenant pool
/// of the attribute model has; its id.
#[allow(dead_code)]
pub async fn user_pool(
    cognito: &aws_sdk_cognitoidentityprovider::Client,
    name: &str,
    tenant_attribute: bool,
) -> String {
    use aws_sdk_cognitoidentityprovider::types::{AttributeDataType, SchemaAttributeType};
    let mut request = cognito.create_user_pool().pool_name(name);
    if tenant_attribute {
        request = request.schema(
            SchemaAttributeType::builder()
                .name("tenant_id")
                .attribute_data_type(AttributeDataType::String)
                .mutable(true)
                .build(),
        );
    }
    request
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "CreateUserPool {name}: {}",
                aws_sdk_cognitoidentityprovider::error::DisplayErrorContext(&e)
            )
        })
        .user_pool
        .and_then(|p| p.id)
        .expect("CreateUserPool returned no pool id")
}

#[cfg(test)]
mod tests {
    /// With `OPSDECK_TEST_ENDPOINT` set, the emulator must answer, even in a run that skips the
    /// emulator tests (a plain `cargo test`).
    #[test]
    fn a_test_endpoint_that_is_set_answers() {
        if std::env::var("OPSDECK_TEST_ENDPOINT").is_ok_and(|e| !e.trim().is_empty()) {
            super::endpoint();
        }
    }
}
