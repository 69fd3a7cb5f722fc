//! MFA-protected role profiles against the emulator, behind the test proxy playing IAM's MFA
//! condition (moto checks none): one code for the whole organisation, every STS call of the chain
//! to the configured endpoint, a refused code ending the command with no further call, the 0600
//! session cache reused by the next command and removed by `opsdeck logout`, and no code or token
//! in the logs or the audit trail.

#[path = "support/proxy.rs"]
mod proxy;
#[path = "support/pty.rs"]
mod pty;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use proxy::Proxy;
use support::TestAccount;

const CODE: &str = "246810";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An organisation (management + dev + prod) in `account`, the account the MFA role lives in.
async fn organisation(account: &TestAccount) -> Vec<String> {
    let orgs = aws_sdk_organizations::Client::new(&account.sdk);
    orgs.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("create organization");
    for name in ["dev", "prod"] {
        orgs.create_account()
            .account_name(name)
            .email(format!("aws+{name}@example.com"))
            .send()
            .await
            .expect("create account");
    }
    let listed = orgs.list_accounts().send().await.expect("list accounts");
    listed
        .accounts()
        .iter()
        .map(|a| a.id().unwrap().to_owned())
        .collect()
}

struct Setup {
    account: TestAccount,
    proxy: Proxy,
    home: PathBuf,
    role: String,
    serial: String,
}

/// A scratch `~/.aws` with two profiles for the MFA role of `account`: `ops` from long-term keys
/// (GetSessionToken, then AssumeRole), `ops-direct` from temporary keys (AssumeRole with the code).
async fn setup() -> Setup {
    let account = support::isolated_account().await;
    let proxy = Proxy::start(&support::endpoint(), Vec::new()).await;
    let role = format!("arn:aws:iam::{}:role/ops", account.id);
    let serial = format!("arn:aws:iam::{}:mfa/ann", account.id);
    proxy.require_mfa(&role, CODE);
    let home = support::scratch_dir();
    std::fs::create_dir_all(home.join("config/opsdeck")).unwrap();
    std::fs::write(
        home.join("config/opsdeck/config.toml"),
        "[aws]\nmfa_session_hours = 2\n",
    )
    .unwrap();
    std::fs::write(
        home.join("aws-config"),
        format!(
            "[profile ops]\nrole_arn = {role}\nsource_profile = base\nmfa_serial = {serial}\n\
             role_session_name = ann\nregion = us-east-1\n\n\
             [profile ops-direct]\nrole_arn = {role}\nsource_profile = temp\n\
             mfa_serial = {serial}\nregion = us-east-1\n"
        ),
    )
    .unwrap();
    std::fs::write(
        home.join("aws-credentials"),
        format!(
            "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n\
             [temp]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
            account.access_key_id,
            account.secret_access_key,
            account.access_key_id,
            account.secret_access_key,
            account.session_token
        ),
    )
    .unwrap();
    Setup {
        account,
        proxy,
        home,
        role,
        serial,
    }
}

/// The binary with the scratch `~/.aws` and state, through the proxy, keys only in the files.
fn opsdeck(s: &Setup, args: &[&str]) -> Command {
    let mut cmd = support::opsdeck(&s.account);
    cmd.env("AWS_ENDPOINT_URL", &s.proxy.endpoint)
        .env("HOME", &s.home)
        .env("AWS_CONFIG_FILE", s.home.join("aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            s.home.join("aws-credentials"),
        )
        .env("XDG_STATE_HOME", s.home.join("state"))
        .env("XDG_CONFIG_HOME", s.home.join("config"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("OPSDECK_MFA_CODE")
        .args(["--log-level", "trace"])
        .args(args);
    cmd
}

/// Run off the async runtime (the proxy runs on it), without a terminal.
async fn run(mut cmd: Command) -> Output {
    let out = tokio::task::spawn_blocking(move || {
        cmd.stdin(Stdio::null()).output().expect("run opsdeck")
    })
    .await
    .unwrap();
    eprintln!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.is_file() {
                found.push(path);
            }
        }
    }
    found
}

fn session_files(s: &Setup) -> Vec<PathBuf> {
    files_under(&s.home.join("state/opsdeck/sessions"))
}

/// Neither the code nor any secret or token of the test appears in the log or audit files.
fn assert_no_secrets_in_logs(s: &Setup, session: &[String]) {
    let mut secrets = vec![
        ("the MFA code", CODE),
        ("the secret key", s.account.secret_access_key.as_str()),
        ("the session token", s.account.session_token.as_str()),
    ];
    secrets.extend(
        session
            .iter()
            .map(|x| ("a secret of the MFA session", x.as_str())),
    );
    let logs: Vec<PathBuf> = files_under(&s.home.join("state/opsdeck"))
        .into_iter()
        .filter(|p| !p.starts_with(s.home.join("state/opsdeck/sessions")))
        .collect();
    assert!(!logs.is_empty(), "a trace-level run leaves a log");
    for path in logs {
        let content = std::fs::read(&path).unwrap();
        for &(what, secret) in &secrets {
            assert!(
                !content
                    .windows(secret.len())
                    .any(|w| w == secret.as_bytes()),
                "{what} appears in {}",
                path.display()
            );
        }
    }
    // The cached session holds temporary credentials only: never the long-term secret or the code.
    for path in session_files(s) {
        let content = std::fs::read_to_string(&path).unwrap();
        assert!(!content.contains(CODE), "{}", path.display());
        assert!(
            !content.contains(&format!("\"{}\"", s.account.secret_access_key)),
            "{}",
            path.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn one_code_on_the_terminal_then_the_whole_organisation_without_another_until_logout() {
    let s = setup().await;
    let accounts = organisation(&s.account).await;
    assert_eq!(accounts.len(), 3);

    // whoami in a terminal: one question, the role's identity, the MFA session named.
    let cmd = opsdeck(&s, &["--profile", "ops", "whoami", "-o", "json"]);
    let out = tokio::task::spawn_blocking(move || {
        let mut tui = pty::Tui::spawn(cmd, 120, 40);
        tui.wait_for_output(0, "MFA code for ", Duration::from_secs(20));
        tui.send(format!("{CODE}\r").as_bytes());
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while tui.alive() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let done = tui.finish();
        assert!(done.status.success(), "{}", text(&done.output));
        text(&done.output)
    })
    .await
    .unwrap();
    assert_eq!(out.matches("MFA code for ").count(), 1, "{out}");
    assert!(out.contains(&s.serial), "{out}");
    assert!(
        out.contains(&format!("\"account_id\": \"{}\"", s.account.id)),
        "{out}"
    );
    assert!(out.contains("assumed-role/ops/ann"), "{out}");
    assert!(
        out.contains(&format!(
            "\"credential_source\": \"MFA session ({}), assumed role {}\"",
            s.serial, s.role
        )),
        "{out}"
    );
    assert!(out.contains("\"expires\": \"20"), "{out}");
    // Every STS call went through the configured endpoint: the session, then the role.
    assert_eq!(s.proxy.count("sts", "GetSessionToken"), 1);
    assert_eq!(s.proxy.faults(), 0, "{:?}", s.proxy.calls());
    let files = session_files(&s);
    assert_eq!(files.len(), 1, "one cached session");
    // As long as aws.mfa_session_hours (2) says.
    let cached: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let lasts = cached["expires"].as_u64().unwrap() - now;
    assert!((7000..=7200).contains(&lasts), "{lasts} s");
    let session_secrets: Vec<String> = ["secret_access_key", "session_token"]
        .iter()
        .map(|k| cached[*k].as_str().unwrap().to_owned())
        .collect();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The next command: no terminal and no code, yet every account, from the cached session.
    s.proxy.clear_calls();
    let out = run(opsdeck(&s, &["--profile", "ops", "accounts", "-o", "json"])).await;
    assert_eq!(out.status.code(), Some(0));
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for row in rows {
        assert_eq!(row["assume_role"], "ok", "{row}");
    }
    assert_eq!(s.proxy.count("sts", "GetSessionToken"), 0);
    assert_eq!(s.proxy.faults(), 0, "{:?}", s.proxy.calls());
    let assumed: Vec<String> = s
        .proxy
        .calls()
        .into_iter()
        .filter(|c| c.operation == "AssumeRole")
        .filter_map(|c| c.role_arn)
        .collect();
    assert!(assumed.contains(&s.role), "{assumed:?}");
    for id in accounts.iter().filter(|id| **id != s.account.id) {
        let org_role = format!("arn:aws:iam::{id}:role/OrganizationAccountAccessRole");
        assert!(assumed.contains(&org_role), "{assumed:?}");
    }

    // A change through the MFA session is audited with the role's identity, never a secret.
    let definition = r#"{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}"#;
    aws_sdk_sfn::Client::new(&s.account.sdk)
        .create_state_machine()
        .name("mfa-pass")
        .role_arn(format!("arn:aws:iam::{}:role/sfn", s.account.id))
        .definition(definition)
        .send()
        .await
        .expect("create state machine");
    let out = run(opsdeck(
        &s,
        &[
            "--profile",
            "ops",
            "sfn",
            "start",
            "mfa-pass",
            "--name",
            "m1",
            "--yes",
        ],
    ))
    .await;
    assert_eq!(out.status.code(), Some(0));
    let audit = std::fs::read_to_string(s.home.join("state/opsdeck/audit.log")).unwrap();
    assert!(audit.contains("assumed-role/ops/ann"), "{audit}");

    // logout forgets the session: the next command needs a code again.
    let out = run(opsdeck(&s, &["--profile", "ops", "logout"])).await;
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("forgot 1 cached session"));
    assert!(session_files(&s).is_empty());
    let out = run(opsdeck(&s, &["--profile", "ops", "whoami"])).await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("needs an MFA code") && err.contains("--mfa-code"),
        "{err}"
    );
    assert_no_secrets_in_logs(&s, &session_secrets);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_wrong_code_is_one_clear_error_and_no_further_call() {
    let s = setup().await;
    for profile in ["ops", "ops-direct"] {
        s.proxy.clear_calls();
        let out = run(opsdeck(
            &s,
            &["--profile", profile, "--mfa-code", "135790", "whoami"],
        ))
        .await;
        assert_eq!(out.status.code(), Some(1), "{profile}");
        let err = text(&out.stderr);
        assert_eq!(
            err.trim_end(),
            format!(
                "opsdeck: the MFA code was not accepted for {}; codes last 30 s: wait for the \
                 next code and try again",
                s.serial
            ),
            "{profile}"
        );
        let calls = s.proxy.calls();
        assert_eq!(
            calls.len(),
            1,
            "{profile}: nothing after the refusal: {calls:?}"
        );
        assert!(calls[0].fault.is_some());
        assert!(session_files(&s).is_empty());
    }
    assert_no_secrets_in_logs(&s, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn temporary_source_keys_assume_the_role_with_the_code_and_the_environment_code_works() {
    let s = setup().await;
    let mut cmd = opsdeck(&s, &["--profile", "ops-direct", "whoami", "-o", "json"]);
    cmd.env("OPSDECK_MFA_CODE", CODE);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0));
    let me = json(&out);
    assert_eq!(me["account_id"], s.account.id.as_str());
    assert_eq!(s.proxy.count("sts", "GetSessionToken"), 0);
    assert_eq!(s.proxy.faults(), 0);
    assert_eq!(session_files(&s).len(), 1);
    // Cached: the next command asks nothing.
    s.proxy.clear_calls();
    let out = run(opsdeck(&s, &["--profile", "ops-direct", "whoami"])).await;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        s.proxy.count("sts", "AssumeRole"),
        0,
        "the cached role session is used"
    );
    assert_no_secrets_in_logs(&s, &[]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_named_profile_wins_over_keys_in_the_environment() {
    let s = setup().await;
    let other = support::isolated_account().await;
    std::fs::write(
        s.home.join("aws-config"),
        "[profile plain]\nregion = us-east-1\n",
    )
    .unwrap();
    std::fs::write(
        s.home.join("aws-credentials"),
        format!(
            "[plain]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
            s.account.access_key_id, s.account.secret_access_key, s.account.session_token
        ),
    )
    .unwrap();
    let mut cmd = opsdeck(&s, &["--profile", "plain", "whoami", "-o", "json"]);
    cmd.env("AWS_ACCESS_KEY_ID", &other.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &other.secret_access_key)
        .env("AWS_SESSION_TOKEN", &other.session_token);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0));
    let me = json(&out);
    assert_eq!(
        me["account_id"],
        s.account.id.as_str(),
        "the profile's keys"
    );
    assert_eq!(me["credential_source"], "static keys (profile plain)");
    // Without a named profile the environment's keys are used, as by the SDK.
    let mut cmd = opsdeck(&s, &["whoami", "-o", "json"]);
    cmd.env("AWS_ACCESS_KEY_ID", &other.access_key_id)
        .env("AWS_SECRET_ACCESS_KEY", &other.secret_access_key)
        .env("AWS_SESSION_TOKEN", &other.session_token);
    let out = run(cmd).await;
    assert_eq!(json(&out)["account_id"], other.id.as_str());
    assert_eq!(json(&out)["credential_source"], "environment variables");
}
