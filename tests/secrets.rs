//! Credentials never leak: every command family runs at `--log-level trace` with an isolated
//! account's known credentials, and neither its stdout, its stderr, nor any file it leaves under
//! its state directory (daily logs, audit log, exports) holds the secret access key or the session
//! token; the audit log does not hold the access key id either. The dashboard's side of the same
//! promise is in tests/tui_pty.rs.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_route53::Client as Route53;
use aws_sdk_sfn::Client as Sfn;
use support::TestAccount;

/// A Cognito pool with one tenant (`acme`, roles admin and member), one hosted zone and one state
/// machine: enough for every read command to return rows and every change command to act.
async fn seed(account: &TestAccount) {
    let cognito = Cognito::new(&account.sdk);
    let pool = cognito
        .create_user_pool()
        .pool_name("secrets-test")
        .send()
        .await
        .expect("create user pool")
        .user_pool
        .and_then(|p| p.id)
        .expect("the new pool has an id");
    for group in ["acme:admin", "acme:member"] {
        cognito
            .create_group()
            .user_pool_id(&pool)
            .group_name(group)
            .description("Acme")
            .send()
            .await
            .expect("create group");
    }
    Route53::new(&account.sdk)
        .create_hosted_zone()
        .name("secrets.example.com")
        .caller_reference("secrets-test")
        .send()
        .await
        .expect("create hosted zone");
    let definition = r#"{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}"#;
    Sfn::new(&account.sdk)
        .create_state_machine()
        .name("secrets-pass")
        .role_arn(format!("arn:aws:iam::{}:role/sfn", account.id))
        .definition(definition)
        .send()
        .await
        .expect("create state machine");
}

fn run(mut command: std::process::Command) -> Output {
    command
        .stdin(std::process::Stdio::null())
        .output()
        .expect("cannot run opsdeck")
}

/// Every file under `dir`, recursively (symlinks to files included, as `opsdeck.log` is one).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
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

/// Where in `text` (named `what`) any of `secrets` appears, as readable complaints.
fn leaks(what: &str, text: &[u8], secrets: &[(&str, &str)]) -> Vec<String> {
    secrets
        .iter()
        .filter(|(_, secret)| text.windows(secret.len()).any(|w| w == secret.as_bytes()))
        .map(|(name, _)| format!("the {name} appears in {what}"))
        .collect()
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn no_command_writes_the_secret_key_or_session_token_anywhere_even_at_trace_level() {
    let account = support::isolated_account().await;
    seed(&account).await;
    let state = support::scratch_dir();
    let commands: &[&[&str]] = &[
        &["whoami"],
        &["whoami", "-o", "json"],
        &["accounts", "-o", "json"],
        &["dns", "records", "-o", "json"],
        &["dns", "records", "-o", "csv"],
        &["tenants", "list"],
        &[
            "users",
            "onboard",
            "--tenant",
            "acme",
            "--email",
            "ann@example.com",
            "--role",
            "member",
            "--yes",
        ],
        &["sfn", "machines", "-o", "json"],
        &["sfn", "start", "secrets-pass", "--name", "s1", "--yes"],
        // A failing call too: error paths print the most context.
        &["sfn", "start", "no-such-machine", "--yes"],
    ];
    let secrets = [
        ("secret access key", account.secret_access_key.as_str()),
        ("session token", account.session_token.as_str()),
    ];
    let mut found = Vec::new();
    let mut succeeded = 0;
    for args in commands {
        let mut command = support::opsdeck(&account);
        command
            .args(*args)
            .args(["--log-level", "trace"])
            .env("XDG_STATE_HOME", &state)
            // Even with every crate opened up: the filter must keep credentials out regardless.
            .env("OPSDECK_LOG", "trace");
        let out = run(command);
        succeeded += usize::from(out.status.success());
        let line = args.join(" ");
        found.extend(leaks(&format!("stdout of `{line}`"), &out.stdout, &secrets));
        found.extend(leaks(&format!("stderr of `{line}`"), &out.stderr, &secrets));
    }
    assert_eq!(
        succeeded,
        commands.len() - 1,
        "all but the deliberately failing command must succeed, or the scan proves little"
    );
    let files = files_under(&state);
    let audit: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "audit.log"))
        .collect();
    assert_eq!(audit.len(), 1, "one audit log expected, found {files:?}");
    assert!(
        files
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "log") && !audit.contains(&p)),
        "no log file was written under {}: {files:?}",
        state.display()
    );
    for file in &files {
        let text = std::fs::read(file).expect("cannot read a state file");
        found.extend(leaks(&file.display().to_string(), &text, &secrets));
    }
    let audit_text = std::fs::read(audit[0]).expect("cannot read the audit log");
    assert!(
        audit_text.len() > 10,
        "the changes must have been audited: {}",
        String::from_utf8_lossy(&audit_text)
    );
    found.extend(leaks(
        "the audit log",
        &audit_text,
        &[("access key id", account.access_key_id.as_str())],
    ));
    assert!(
        found.is_empty(),
        "credentials leaked:\n{}",
        found.join("\n")
    );
}

/// At `--log-level debug` the log has one line per AWS call: service, operation, account, region,
/// endpoint, attempts, duration and outcome; and no credential of any kind, not even the key id.
#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn the_debug_log_has_a_line_per_aws_call_and_no_credentials() {
    let account = support::isolated_account().await;
    seed(&account).await;
    let state = support::scratch_dir();
    let missing = format!(
        "arn:aws:states:us-east-1:{}:execution:secrets-pass:no-such-run",
        account.id
    );
    for args in [
        &["whoami"][..],
        &["sfn", "machines"],
        &["sfn", "show", &missing],
    ] {
        let mut command = support::opsdeck(&account);
        command
            .args(args)
            .args(["--log-level", "debug"])
            .env("XDG_STATE_HOME", &state);
        run(command);
    }
    let log = std::fs::read_to_string(state.join("opsdeck/opsdeck.log")).expect("the log file");
    let calls: Vec<&str> = log.lines().filter(|l| l.contains("aws call")).collect();
    eprintln!("{}", calls.join("\n"));
    let find = |operation: &str| {
        calls
            .iter()
            .find(|l| l.contains(&format!("operation=\"{operation}\"")))
            .unwrap_or_else(|| panic!("no log line for {operation}:\n{log}"))
    };
    let identity = find("GetCallerIdentity");
    assert!(identity.contains("service=\"STS\""), "{identity}");
    let listed = find("ListStateMachines");
    for part in [
        "service=\"Step Functions\"".to_owned(),
        format!("account=\"{}\"", account.id),
        "region=\"us-east-1\"".to_owned(),
        format!("endpoint={}", support::endpoint()),
        "attempts=1".to_owned(),
        "duration_ms=".to_owned(),
        "outcome=\"ok (HTTP 200)\"".to_owned(),
    ] {
        assert!(listed.contains(&part), "{part} missing in {listed}");
    }
    assert!(
        calls
            .iter()
            .any(|l| l.contains("outcome=\"failed (HTTP 400)\"")),
        "the failed call is logged with its status"
    );
    let secrets = [
        ("access key id", account.access_key_id.as_str()),
        ("secret access key", account.secret_access_key.as_str()),
        ("session token", account.session_token.as_str()),
    ];
    let found = leaks("the log", log.as_bytes(), &secrets);
    assert!(found.is_empty(), "{found:?}");
}
