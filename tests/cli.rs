//! The commands end to end: the built binary against the emulator, in an account of its own.

mod support;

use std::process::Output;

use serde_json::Value;

fn run(cmd: &mut std::process::Command) -> Output {
    let out = cmd.output().expect("run opsdeck");
    eprintln!(
        "stderr of {:?}:\n{}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// An organisation in the test's account with two member accounts, as the SDK sees it.
async fn organisation(account: &support::TestAccount) -> Vec<(String, String, String, String)> {
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
        .map(|a| {
            (
                a.id().unwrap().to_owned(),
                a.name().unwrap().to_owned(),
                a.email().unwrap().to_owned(),
                a.state().map(|s| s.as_str().to_owned()).unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn whoami_reports_the_caller_of_the_current_credentials() {
    let account = support::isolated_account().await;
    let out = run(support::opsdeck(&account).args(["whoami", "-o", "json"]));
    assert!(out.status.success());
    let me = json(&out);
    assert_eq!(me["account_id"], account.id.as_str());
    assert!(me["arn"].as_str().unwrap().contains(&account.id));
    assert_eq!(me["region"], "us-east-1");
    assert_eq!(me["endpoint"], support::endpoint().as_str());
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn accounts_json_matches_what_the_organisation_holds() {
    let account = support::isolated_account().await;
    let expected = organisation(&account).await;
    assert_eq!(expected.len(), 3, "management + dev + prod");

    let out = run(support::opsdeck(&account).args(["accounts", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    for (id, name, email, status) in &expected {
        let row = rows
            .iter()
            .find(|r| r["id"] == id.as_str())
            .unwrap_or_else(|| panic!("account {id} missing from {rows:?}"));
        assert_eq!(row["name"], name.as_str());
        assert_eq!(row["email"], email.as_str());
        assert_eq!(row["status"], status.as_str());
        assert_eq!(
            row["role_arn"],
            format!("arn:aws:iam::{id}:role/OrganizationAccountAccessRole").as_str()
        );
        assert_eq!(row["assume_role"], "ok");
        let via = if *id == account.id {
            "current_credentials"
        } else {
            "assumed_role"
        };
        assert_eq!(row["access"], via, "{row}");
    }
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn accounts_table_and_csv_carry_the_same_rows() {
    let account = support::isolated_account().await;
    let expected = organisation(&account).await;

    let csv = run(support::opsdeck(&account).args(["accounts", "-o", "csv"]));
    assert!(csv.status.success());
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("ID,NAME,EMAIL,STATUS,ASSUME_ROLE,ROLE_ARN")
    );
    assert_eq!(lines.count(), expected.len());

    let table = run(support::opsdeck(&account).args(["accounts"]));
    let text = String::from_utf8(table.stdout).unwrap();
    for (id, name, ..) in &expected {
        assert!(
            text.lines()
                .any(|l| l.contains(id.as_str()) && l.contains(name.as_str())),
            "{text}"
        );
    }
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn accounts_come_from_the_config_when_discovery_is_off() {
    let account = support::isolated_account().await;
    let dir = support::scratch_dir();
    let config = dir.join("static.toml");
    std::fs::write(
        &config,
        format!(
            "[organization]\ndiscover = false\n\n[[organization.accounts]]\nid = \"{}\"\nname = \"home\"\n\n\
             [[organization.accounts]]\nid = \"210987654321\"\nname = \"audit\"\nread_only = true\n",
            account.id
        ),
    )
    .unwrap();
    let out = run(support::opsdeck(&account)
        .args(["accounts", "-o", "json", "--config"])
        .arg(&config));
    assert!(out.status.success());
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], "home");
    assert_eq!(rows[0]["access"], "current_credentials");
    assert_eq!(rows[1]["name"], "audit");
    assert_eq!(rows[1]["status"], "CONFIGURED");
    assert_eq!(rows[1]["read_only"], true);
    assert_eq!(rows[1]["assume_role"], "ok");
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_config_typo_names_the_file_line_and_key_and_stops_before_any_call() {
    let account = support::isolated_account().await;
    let dir = support::scratch_dir();
    let config = dir.join("typo.toml");
    std::fs::write(
        &config,
        "read_only = false\n\n[organization]\nrole_nme = \"Ops\"\n",
    )
    .unwrap();
    for args in [
        vec!["accounts".to_owned()],
        vec!["config".to_owned(), "check".to_owned()],
    ] {
        let mut cmd = support::opsdeck(&account);
        cmd.args(&args);
        if args[0] == "config" {
            cmd.arg(&config);
        } else {
            cmd.arg("--config").arg(&config);
        }
        let out = run(&mut cmd);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("typo.toml:4:"), "{err}");
        assert!(err.contains("role_nme"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn config_show_prints_the_effective_config_with_flags_applied() {
    let account = support::isolated_account().await;
    let out = run(support::opsdeck(&account).args([
        "config",
        "show",
        "--read-only",
        "--region",
        "eu-central-1",
    ]));
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let parsed: toml::Table = toml::from_str(&text).expect("config show prints TOML");
    assert_eq!(parsed["read_only"].as_bool(), Some(true));
    assert_eq!(parsed["aws"]["region"].as_str(), Some("eu-central-1"));
    assert_eq!(
        parsed["organization"]["role_name"].as_str(),
        Some("OrganizationAccountAccessRole")
    );
    // The printed config is itself a valid config file.
    let dir = support::scratch_dir();
    let file = dir.join("shown.toml");
    std::fs::write(&file, &text).unwrap();
    let check = run(support::opsdeck(&account)
        .args(["config", "check"])
        .arg(&file));
    assert!(check.status.success());
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn usage_errors_exit_2_and_bad_flag_values_exit_1_with_the_fix() {
    let account = support::isolated_account().await;
    let out = run(support::opsdeck(&account).args(["accounts", "--frobnicate"]));
    assert_eq!(out.status.code(), Some(2));

    let out = run(support::opsdeck(&account).args(["whoami", "--region", "mars"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--region"));
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn the_dashboard_refuses_to_start_without_a_terminal() {
    let account = support::isolated_account().await;
    let out = run(&mut support::opsdeck(&account));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a terminal"));
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn demo_seed_is_refused_in_read_only_mode_before_any_write() {
    let account = support::isolated_account().await;
    let out = run(support::opsdeck(&account).args([
        "demo",
        "seed",
        "--read-only",
        "--endpoint-url",
        &support::endpoint(),
    ]));
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    let orgs = aws_sdk_organizations::Client::new(&account.sdk);
    assert!(
        orgs.describe_organization().send().await.is_err(),
        "nothing may be written in read-only mode"
    );
}
