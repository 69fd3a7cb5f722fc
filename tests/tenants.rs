//! The Tenants pane's adapter, planning and commands against the emulator, each test in an
//! account of its own with a pool it builds itself.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
use opsdeck::aws::{Aws, AwsSettings};
use opsdeck::domain::plan::Policy;
use opsdeck::domain::tenancy::GroupPattern;
use opsdeck::domain::tenancy::plan::{Intent, Target};
use opsdeck::domain::tenancy::users::{Model, Tenancy, Usernames};
use opsdeck::mutation::{AuditLog, confirm_on_terminal, execute};
use opsdeck::services::{ErrorKind, ServiceError, Tenants, tenant_planning, tenant_queries};
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

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(out)))
}

fn aws(account: &support::TestAccount) -> Aws {
    Aws::new(
        account.sdk.clone(),
        AwsSettings {
            max_attempts: 2,
            ..AwsSettings::default()
        },
    )
}

fn groups_model() -> Tenancy {
    Tenancy {
        model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
        attribute: "custom:tenant_id".into(),
        usernames: Usernames::Email,
    }
}

/// A pool with the `custom:tenant_id` attribute, as a real multi-tenant pool has.
async fn pool(cognito: &Cognito, name: &str) -> String {
    support::user_pool(cognito, name, true).await
}

async fn group(cognito: &Cognito, pool: &str, name: &str, description: &str) {
    cognito
        .create_group()
        .user_pool_id(pool)
        .group_name(name)
        .description(description)
        .send()
        .await
        .unwrap();
}

/// A user (invitation suppressed: the emulator sends nothing anyway) in the given groups.
async fn user(cognito: &Cognito, pool: &str, name: &str, tenant: Option<&str>, groups: &[&str]) {
    let mut request = cognito
        .admin_create_user()
        .user_pool_id(pool)
        .username(name)
        .message_action(MessageActionType::Suppress)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value(format!("{name}@example.com"))
                .build()
                .unwrap(),
        )
        .user_attributes(
            AttributeType::builder()
                .name("email_verified")
                .value("true")
                .build()
                .unwrap(),
        );
    if let Some(t) = tenant {
        request = request.user_attributes(
            AttributeType::builder()
                .name("custom:tenant_id")
                .value(t)
                .build()
                .unwrap(),
        );
    }
    request.send().await.unwrap();
    for g in groups {
        cognito
            .admin_add_user_to_group()
            .user_pool_id(pool)
            .username(name)
            .group_name(*g)
            .send()
            .await
            .unwrap();
    }
}

/// acme (3 roles, 3 users, one of them also in globex) and globex (admin only), plus a
/// pool-wide group that is no tenant's.
async fn two_tenants(cognito: &Cognito) -> String {
    let pool = pool(cognito, "tenants-test").await;
    for (g, d) in [
        ("acme:admin", "Acme"),
        ("acme:member", "Acme"),
        ("acme:readonly", "Acme"),
        ("globex:admin", "Globex"),
        ("Staff", "everyone"),
    ] {
        group(cognito, &pool, g, d).await;
    }
    user(cognito, &pool, "ann", Some("acme"), &["acme:admin"]).await;
    user(
        cognito,
        &pool,
        "bob",
        Some("acme"),
        &["acme:member", "globex:admin"],
    )
    .await;
    user(
        cognito,
        &pool,
        "cid",
        Some("acme"),
        &["acme:member", "Staff"],
    )
    .await;
    user(cognito, &pool, "dan", None, &[]).await;
    pool
}

async fn groups_of(cognito: &Cognito, pool: &str, username: &str) -> Vec<String> {
    let mut groups: Vec<String> = cognito
        .admin_list_groups_for_user()
        .user_pool_id(pool)
        .username(username)
        .send()
        .await
        .unwrap()
        .groups()
        .iter()
        .filter_map(|g| g.group_name().map(str::to_owned))
        .collect();
    groups.sort();
    groups
}

fn audit_lines(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("opsdeck/audit.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The command with the test's own state dir, to read its audit log afterwards.
fn opsdeck_with_state(
    account: &support::TestAccount,
) -> (std::process::Command, std::path::PathBuf) {
    let state = support::scratch_dir();
    let mut cmd = support::opsdeck(account);
    cmd.env("XDG_STATE_HOME", &state);
    (cmd, state)
}

#[tokio::test]
async fn tenants_list_json_matches_what_the_pool_holds() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = two_tenants(&cognito).await;

    let out = run(support::opsdeck(&account).args(["tenants", "list", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out),
        serde_json::json!([
            {"tenant": "acme", "description": "Acme", "users": 3,
             "roles": {"admin": 1, "member": 2, "readonly": 0}},
            {"tenant": "globex", "description": "Globex", "users": 1,
             "roles": {"admin": 1, "member": 0, "readonly": 0}}
        ])
    );
    let out = run(support::opsdeck(&account).args(["tenants", "list", "--pool", &pool]));
    assert!(stdout(&out).starts_with("TENANT"), "{}", stdout(&out));
    assert!(stderr(&out).contains("other groups (no tenant): Staff"));
}

#[tokio::test]
async fn users_list_and_show_give_every_tenant_and_role() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    two_tenants(&cognito).await;

    let out = run(support::opsdeck(&account).args(["users", "list", "-o", "json"]));
    let users = json(&out);
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ann", "bob", "cid", "dan"]);
    let bob = &users[1];
    assert_eq!(
        bob["tenants"],
        serde_json::json!([{"tenant": "acme", "role": "member"}, {"tenant": "globex", "role": "admin"}])
    );
    assert_eq!(bob["email"], "bob@example.com");
    assert_eq!(bob["status"], "FORCE_CHANGE_PASSWORD");
    assert_eq!(bob["enabled"], true);
    assert!(bob["created"].as_str().unwrap().ends_with('Z'));
    // Field order is part of the documented shape.
    let text = stdout(&out);
    let at = |key: &str| text.find(&format!("\"{key}\"")).unwrap();
    let order = [
        "username", "email", "status", "enabled", "created", "tenants",
    ]
    .map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");

    let out =
        run(support::opsdeck(&account).args(["users", "list", "--tenant", "globex", "-o", "json"]));
    assert_eq!(json(&out).as_array().unwrap().len(), 1);
    let out = run(support::opsdeck(&account).args([
        "users",
        "list",
        "--email-prefix",
        "ci",
        "-o",
        "csv",
    ]));
    assert_eq!(
        stdout(&out).lines().collect::<Vec<_>>()[1..].len(),
        1,
        "{}",
        stdout(&out)
    );

    let out = run(support::opsdeck(&account).args(["users", "show", "cid", "-o", "json"]));
    let cid = json(&out);
    let mut groups: Vec<&str> = cid["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    groups.sort_unstable();
    assert_eq!(groups, ["Staff", "acme:member"]);
    assert_eq!(cid["attributes"]["custom:tenant_id"], "acme");
    assert_eq!(cid["mfa"], serde_json::json!([]));

    let out = run(support::opsdeck(&account).args(["tenants", "show", "acme", "-o", "json"]));
    let acme = json(&out);
    assert_eq!(acme["users"], 3);
    let members: Vec<(String, String)> = acme["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["role"].as_str().unwrap().to_owned(),
                m["username"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [("admin", "ann"), ("member", "bob"), ("member", "cid")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
}

#[tokio::test]
async fn tenants_create_onboards_and_a_rerun_does_nothing() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = pool(&cognito, "create-test").await;

    let (mut cmd, state) = opsdeck_with_state(&account);
    let out = run(cmd.args([
        "tenants",
        "create",
        "wayne",
        "--admin-email",
        "Bruce@Wayne.com",
        "--name",
        "Wayne Enterprises",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let groups = cognito
        .list_groups()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let mut made: Vec<(String, i32, String)> = groups
        .groups()
        .iter()
        .map(|g| {
            (
                g.group_name().unwrap().to_owned(),
                g.precedence().unwrap(),
                g.description().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    made.sort();
    assert_eq!(
        made,
        [
            ("wayne:admin", 1),
            ("wayne:member", 2),
            ("wayne:readonly", 3)
        ]
        .map(|(g, p)| (g.to_owned(), p, "Wayne Enterprises".to_owned()))
    );
    let admin = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("bruce@wayne.com")
        .send()
        .await
        .unwrap();
    let attrs: BTreeMap<&str, &str> = admin
        .user_attributes()
        .iter()
        .map(|a| (a.name(), a.value().unwrap_or_default()))
        .collect();
    assert_eq!(attrs["email"], "bruce@wayne.com");
    assert_eq!(attrs["email_verified"], "true");
    assert_eq!(attrs["custom:tenant_id"], "wayne");
    assert_eq!(
        groups_of(&cognito, &pool, "bruce@wayne.com").await,
        ["wayne:admin"]
    );
    let audit = audit_lines(&state);
    assert_eq!(audit.len(), 5, "one line per call");
    assert!(audit.iter().all(|l| l["outcome"] == "ok"));
    assert_eq!(audit[3]["operation"], "AdminCreateUser");

    let mut again = support::opsdeck(&account);
    again.env("XDG_STATE_HOME", &state);
    let out = run(again.args([
        "tenants",
        "create",
        "wayne",
        "--admin-email",
        "bruce@wayne.com",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("nothing to do"), "{}", stdout(&out));
    assert_eq!(audit_lines(&state).len(), 5, "the rerun made no call");
}

/// A failure part-way (the third call fails), then a rerun: only the missing calls are planned,
/// nothing is duplicated, and the tenant ends complete.
#[tokio::test]
async fn a_rerun_after_a_failure_part_way_completes_the_missing_steps() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = pool(&cognito, "rerun-test").await;
    let aws = aws(&account);
    let tenancy = groups_model();
    let target = Target {
        account_id: account.id.clone(),
        region: "us-east-1".into(),
        pool_id: pool.clone(),
    };
    let intent = Intent::OnboardTenant {
        tenant: "umbrella".into(),
        display_name: String::new(),
        admin_email: "alice@umbrella.com".into(),
    };
    let plan = tenant_planning::plan(&aws, &tenancy, &target, intent.clone())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(plan.steps.len(), 5);
    let approved = confirm_on_terminal(
        &Policy::default(),
        &plan,
        true,
        &mut &b""[..],
        &mut Vec::new(),
        false,
    )
    .unwrap();
    let dir = support::scratch_dir();
    let audit = AuditLog::open(dir.join("audit.log")).unwrap();
    let execution = execute(&approved, &audit, "tester", |i, step| {
        let call = step.action.clone();
        let aws = &aws;
        async move {
            if i == 2 {
                Err(ServiceError::new(
                    ErrorKind::Throttled,
                    Some("TooManyRequestsException".into()),
                    "injected failure",
                ))
            } else {
                aws.apply(&call).await
            }
        }
    })
    .await;
    assert_eq!(execution.first_failure().map(|(i, _)| i), Some(2));

    let rerun = tenant_planning::plan(&aws, &tenancy, &target, intent.clone())
        .await
        .unwrap()
        .unwrap();
    let ops: Vec<(&str, &str)> = rerun
        .steps
        .iter()
        .map(|s| (s.operation, s.target.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            ("CreateGroup", "umbrella:readonly"),
            ("AdminCreateUser", "alice@umbrella.com"),
            ("AdminAddUserToGroup", "alice@umbrella.com"),
        ]
    );
    let approved = confirm_on_terminal(
        &Policy::default(),
        &rerun,
        true,
        &mut &b""[..],
        &mut Vec::new(),
        false,
    )
    .unwrap();
    let execution = execute(&approved, &audit, "tester", |_, step| {
        let call = step.action.clone();
        let aws = &aws;
        async move { aws.apply(&call).await }
    })
    .await;
    assert!(execution.is_success());
    assert_eq!(
        tenant_planning::plan(&aws, &tenancy, &target, intent)
            .await
            .unwrap(),
        None
    );
    let lines = std::fs::read_to_string(dir.join("audit.log")).unwrap();
    assert_eq!(lines.lines().count(), 3 + 3, "failed call audited too");
}

#[tokio::test]
async fn user_management_commands_change_what_they_say_and_nothing_else() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = two_tenants(&cognito).await;
    group(&cognito, &pool, "globex:member", "Globex").await;
    group(&cognito, &pool, "globex:readonly", "Globex").await;
    let ok = |args: &[&str]| {
        let out = run(support::opsdeck(&account).args(args).arg("--yes"));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stdout(&out));
        stdout(&out)
    };

    // A new user: created with the tenant attribute, in the role group.
    ok(&[
        "users",
        "onboard",
        "--tenant",
        "globex",
        "--email",
        "eve@x.com",
        "--role",
        "member",
    ]);
    let eve = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("eve@x.com")
        .send()
        .await
        .unwrap();
    assert!(
        eve.user_attributes()
            .iter()
            .any(|a| a.name() == "custom:tenant_id" && a.value() == Some("globex"))
    );
    assert_eq!(
        groups_of(&cognito, &pool, "eve@x.com").await,
        ["globex:member"]
    );

    // An existing user found by email: added, not recreated (same sub), home tenant kept.
    let sub =
        |u: &aws_sdk_cognitoidentityprovider::operation::admin_get_user::AdminGetUserOutput| {
            u.user_attributes()
                .iter()
                .find(|a| a.name() == "sub")
                .and_then(|a| a.value().map(str::to_owned))
        };
    let before = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("ann")
        .send()
        .await
        .unwrap();
    let text = ok(&[
        "users",
        "onboard",
        "--tenant",
        "globex",
        "--email",
        "ann@example.com",
        "--role",
        "readonly",
    ]);
    assert!(!text.contains("AdminCreateUser"), "{text}");
    let after = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(sub(&before), sub(&after));
    assert_eq!(
        groups_of(&cognito, &pool, "ann").await,
        ["acme:admin", "globex:readonly"]
    );

    // Set-role: add to the new group first, then remove from the old.
    let text = ok(&[
        "users", "set-role", "bob", "--tenant", "acme", "--role", "admin",
    ]);
    let add = text.find("AdminAddUserToGroup").unwrap();
    let remove = text.find("AdminRemoveUserFromGroup").unwrap();
    assert!(add < remove, "{text}");
    assert_eq!(
        groups_of(&cognito, &pool, "bob").await,
        ["acme:admin", "globex:admin"]
    );

    // Remove from one tenant keeps the user; with --delete-user a user in no other tenant goes.
    ok(&[
        "users",
        "remove",
        "bob",
        "--tenant",
        "acme",
        "--delete-user",
    ]);
    assert_eq!(groups_of(&cognito, &pool, "bob").await, ["globex:admin"]);
    ok(&[
        "users",
        "remove",
        "cid",
        "--tenant",
        "acme",
        "--delete-user",
    ]);
    let gone = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("cid")
        .send()
        .await
        .unwrap_err();
    assert!(gone.into_service_error().is_user_not_found_exception());

    // Disable, enable, reset password.
    ok(&["users", "disable", "ann"]);
    let state = |u: &str| {
        let cognito = cognito.clone();
        let pool = pool.clone();
        let u = u.to_owned();
        async move {
            let out = cognito
                .admin_get_user()
                .user_pool_id(&pool)
                .username(&u)
                .send()
                .await
                .unwrap();
            (
                out.enabled(),
                out.user_status().unwrap().as_str().to_owned(),
            )
        }
    };
    assert!(!state("ann").await.0);
    assert!(ok(&["users", "disable", "ann"]).contains("already disabled"));
    ok(&["users", "enable", "ann"]);
    assert!(state("ann").await.0);
    let out = run(support::opsdeck(&account).args(["users", "reset-password", "ann", "--yes"]));
    assert!(stderr(&out).contains("never signed in"), "{}", stderr(&out));
    cognito
        .admin_set_user_password()
        .user_pool_id(&pool)
        .username("ann")
        .password("Test-Password-1!")
        .permanent(true)
        .send()
        .await
        .unwrap();
    ok(&["users", "reset-password", "ann"]);
    assert_eq!(state("ann").await.1, "RESET_REQUIRED");

    // Resend only as a dry run: the emulator would replace the user (see EMULATOR.md).
    let out =
        run(support::opsdeck(&account).args(["users", "resend-invitation", "dan", "--dry-run"]));
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("dry run (not called): 1. resend the invitation"));
    let out = run(support::opsdeck(&account).args(["users", "resend-invitation", "ann", "--yes"]));
    assert_eq!(
        out.status.code(),
        Some(1),
        "ann is no longer waiting for a first sign-in"
    );
    assert!(
        stderr(&out).contains("no invitation to resend"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_and_changes_nothing() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = two_tenants(&cognito).await;
    let (_, state) = opsdeck_with_state(&account);
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "users", "onboard", "--tenant", "acme", "--email", "x@y.com", "--role", "owner",
            ],
            "unknown role `owner`",
        ),
        (
            &[
                "users",
                "onboard",
                "--tenant",
                "acme",
                "--email",
                "not-an-email",
                "--role",
                "admin",
            ],
            "not a valid email address",
        ),
        (
            &[
                "tenants",
                "create",
                "bad tenant",
                "--admin-email",
                "x@y.com",
            ],
            "contains a space",
        ),
        (
            &["tenants", "create", "a:b", "--admin-email", "x@y.com"],
            "separator",
        ),
        (
            &[
                "users", "onboard", "--tenant", "nope", "--email", "x@y.com", "--role", "admin",
            ],
            "unknown tenant nope",
        ),
        (&["users", "disable", "nobody"], "unknown user nobody"),
        (
            &[
                "users", "set-role", "dan", "--tenant", "acme", "--role", "admin",
            ],
            "not in tenant acme",
        ),
        (
            &["tenants", "list", "--pool", "us-east-1_missing"],
            "user pool us-east-1_missing not found",
        ),
        (&["tenants", "delete", "acme"], "still has 3 user(s)"),
    ];
    for (args, message) in cases {
        let mut cmd = support::opsdeck(&account);
        cmd.env("XDG_STATE_HOME", &state);
        let out = run(cmd.args(*args));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert!(audit_lines(&state).is_empty(), "nothing was attempted");
    let groups = cognito
        .list_groups()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert_eq!(groups.groups().len(), 5);
}

#[tokio::test]
async fn read_only_refuses_every_change_with_exit_3() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = two_tenants(&cognito).await;
    for args in [
        &["tenants", "create", "new", "--admin-email", "a@b.com"][..],
        &["tenants", "delete", "globex", "--force"],
        &["users", "disable", "ann"],
        &[
            "users", "onboard", "--tenant", "acme", "--email", "z@z.com", "--role", "member",
        ],
    ] {
        let out = run(support::opsdeck(&account)
            .args(args)
            .args(["--yes", "--read-only"]));
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    }
    // Not confirmed (no terminal, no --yes): refused too.
    let out = run(support::opsdeck(&account).args(["users", "disable", "ann"]));
    assert_eq!(out.status.code(), Some(3));
    let ann = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert!(ann.enabled());
}

#[tokio::test]
async fn tenants_delete_needs_force_while_users_remain_and_removes_the_groups() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = two_tenants(&cognito).await;
    let out = run(support::opsdeck(&account).args(["tenants", "delete", "globex", "--yes"]));
    assert_eq!(out.status.code(), Some(1));
    let out =
        run(support::opsdeck(&account).args(["tenants", "delete", "globex", "--force", "--yes"]));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let names: Vec<String> = cognito
        .list_groups()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .groups()
        .iter()
        .filter_map(|g| g.group_name().map(str::to_owned))
        .collect();
    assert!(!names.iter().any(|g| g.starts_with("globex:")), "{names:?}");
    // Without a terminal, the typed confirmation cannot be given: refused.
    let out = run(support::opsdeck(&account).args(["tenants", "delete", "acme", "--force"]));
    assert_eq!(out.status.code(), Some(3));
}

#[tokio::test]
async fn import_validates_the_whole_file_first_then_imports_and_reruns_safely() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = two_tenants(&cognito).await;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tenants");

    let (mut cmd, state) = opsdeck_with_state(&account);
    let bad = fixtures.join("import-bad.csv");
    let out = run(cmd
        .args(["users", "import", "--tenant", "acme"])
        .arg(&bad)
        .arg("--yes"));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in ["line 4:", "line 7:", "line 9:", "line 10:"] {
        assert!(err.contains(line), "{line} missing in {err}");
    }
    assert!(err.contains("4 bad row(s); nothing was changed"), "{err}");
    assert!(audit_lines(&state).is_empty());

    let good = fixtures.join("import-good.csv");
    let mut cmd = support::opsdeck(&account);
    cmd.env("XDG_STATE_HOME", &state);
    let out = run(cmd
        .args(["users", "import", "--tenant", "acme", "--rate", "50"])
        .arg(&good)
        .arg("--yes"));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let members = |group: &str| {
        let cognito = cognito.clone();
        let pool = pool.clone();
        let group = group.to_owned();
        async move {
            let mut pages = cognito
                .list_users_in_group()
                .user_pool_id(&pool)
                .group_name(group)
                .limit(60)
                .into_paginator()
                .items()
                .send();
            let mut n = 0;
            while let Some(u) = pages.next().await {
                u.unwrap();
                n += 1;
            }
            n
        }
    };
    // 40 rows: 30 members, 9 readonly, and ann (already admin) as admin again.
    assert_eq!(members("acme:member").await, 2 + 30);
    assert_eq!(members("acme:readonly").await, 9);
    assert_eq!(members("acme:admin").await, 1);
    let named = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("user01@import.example")
        .send()
        .await
        .unwrap();
    assert!(
        named
            .user_attributes()
            .iter()
            .any(|a| a.name() == "name" && a.value() == Some("User One"))
    );
    let calls = audit_lines(&state).len();
    assert_eq!(calls, 39 * 2, "create + add per new row; ann needs nothing");

    let mut cmd = support::opsdeck(&account);
    cmd.env("XDG_STATE_HOME", &state);
    let out = run(cmd
        .args(["users", "import", "--tenant", "acme"])
        .arg(&good)
        .arg("--yes"));
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("nothing to do"), "{}", stdout(&out));
    assert_eq!(audit_lines(&state).len(), calls);
}

#[tokio::test]
async fn the_attribute_model_finds_tenants_by_scanning_the_pool() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = pool(&cognito, "attribute-test").await;
    for role in ["Admin", "ReadOnly", "Staff"] {
        group(&cognito, &pool, role, "pool-wide").await;
    }
    // More than one ListUsers page (60).
    for i in 0..65 {
        let tenant = if i % 2 == 0 { "acme" } else { "globex" };
        let role: &[&str] = if i < 2 { &["Admin"] } else { &["ReadOnly"] };
        user(&cognito, &pool, &format!("u{i:02}"), Some(tenant), role).await;
    }
    user(&cognito, &pool, "nobody", None, &[]).await;
    let config = support::scratch_dir().join("attribute.toml");
    std::fs::write(
        &config,
        "[cognito]\ntenant_model = \"attribute\"\nroles = [\"Admin\", \"ReadOnly\"]\n",
    )
    .unwrap();
    let out = run(support::opsdeck(&account)
        .arg("--config")
        .arg(&config)
        .args(["tenants", "list", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out),
        serde_json::json!([
            {"tenant": "acme", "description": "", "users": 33,
             "roles": {"Admin": 1, "ReadOnly": 32}},
            {"tenant": "globex", "description": "", "users": 32,
             "roles": {"Admin": 1, "ReadOnly": 31}}
        ])
    );
    let out = run(support::opsdeck(&account)
        .arg("--config")
        .arg(&config)
        .args(["users", "list", "--tenant", "globex", "-o", "json"]));
    assert_eq!(json(&out).as_array().unwrap().len(), 32);

    // The scan reports progress page by page.
    let aws = aws(&account);
    let mut seen = Vec::new();
    let users = tenant_queries::scan_users(&aws, &account.id, &pool, None, |n| seen.push(n))
        .await
        .unwrap();
    assert_eq!(users.len(), 66);
    assert_eq!(seen, [60, 66]);
}

#[tokio::test]
async fn the_adapter_reads_users_groups_and_answers_none_for_a_missing_user() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = two_tenants(&cognito).await;
    let aws = aws(&account);
    assert!(
        aws.defines_attribute(&account.id, &pool, "custom:tenant_id")
            .await
            .unwrap()
    );
    assert!(
        !aws.defines_attribute(&account.id, &pool, "custom:other")
            .await
            .unwrap()
    );
    let bob = aws.user(&account.id, &pool, "bob").await.unwrap().unwrap();
    assert_eq!(bob.groups.len(), 2);
    assert_eq!(bob.user.email, "bob@example.com");
    assert!(bob.user.created.is_some());
    assert_eq!(aws.user(&account.id, &pool, "zed").await.unwrap(), None);
    let members = aws
        .users_in_group(&account.id, &pool, "acme:member")
        .await
        .unwrap();
    assert_eq!(members.len(), 2);
    let found = tenant_planning::find_user(
        &aws,
        &Target {
            account_id: account.id.clone(),
            region: "us-east-1".into(),
            pool_id: pool.clone(),
        },
        "CID@example.com",
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(found.user.username, "cid");
}

#[tokio::test]
async fn uuid_usernames_name_new_users_by_uuid_and_find_existing_ones_by_email() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = pool(&cognito, "uuid-test").await;
    let config = support::scratch_dir().join("uuid.toml");
    std::fs::write(&config, "[cognito]\nusername = \"uuid\"\n").unwrap();
    let ok = |args: &[&str]| {
        let out = run(support::opsdeck(&account)
            .arg("--config")
            .arg(&config)
            .args(args)
            .arg("--yes"));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let users = || async {
        let listed = cognito
            .list_users()
            .user_pool_id(&pool)
            .send()
            .await
            .unwrap();
        let mut users: Vec<(String, String)> = listed
            .users()
            .iter()
            .map(|u| {
                let email = u
                    .attributes()
                    .iter()
                    .find(|a| a.name() == "email")
                    .and_then(|a| a.value())
                    .unwrap_or_default();
                (email.to_owned(), u.username().unwrap().to_owned())
            })
            .collect();
        users.sort();
        users
    };

    ok(&[
        "tenants",
        "create",
        "wayne",
        "--admin-email",
        "Bruce@Wayne.com",
    ]);
    let created = users().await;
    assert_eq!(created.len(), 1, "{created:?}");
    let (email, bruce) = &created[0];
    assert_eq!(email, "bruce@wayne.com");
    let parsed = uuid::Uuid::parse_str(bruce).unwrap();
    assert_eq!(parsed.get_version_num(), 4);
    assert_eq!(groups_of(&cognito, &pool, bruce).await, ["wayne:admin"]);

    // A rerun finds the admin by email: nothing to do, still one user.
    let text = ok(&[
        "tenants",
        "create",
        "wayne",
        "--admin-email",
        "bruce@wayne.com",
    ]);
    assert!(text.contains("nothing to do"), "{text}");
    assert_eq!(users().await, created);

    // User onboarding names a new user by a UUID too, and finds an existing one by email.
    ok(&[
        "users",
        "onboard",
        "--tenant",
        "wayne",
        "--email",
        "alfred@wayne.com",
        "--role",
        "member",
    ]);
    let after = users().await;
    assert_eq!(after.len(), 2, "{after:?}");
    let alfred = &after[0];
    assert_eq!(alfred.0, "alfred@wayne.com");
    assert!(uuid::Uuid::parse_str(&alfred.1).is_ok(), "{alfred:?}");
    assert_ne!(alfred.1, *bruce);
    assert_eq!(
        groups_of(&cognito, &pool, &alfred.1).await,
        ["wayne:member"]
    );
    let text = ok(&[
        "users",
        "onboard",
        "--tenant",
        "wayne",
        "--email",
        "alfred@wayne.com",
        "--role",
        "member",
    ]);
    assert!(text.contains("nothing to do"), "{text}");
    assert_eq!(users().await, after);
}
