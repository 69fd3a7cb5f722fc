//! What the commands refuse: bad input, any change in read-only mode, and deleting a tenant that
//! has users without --force (or without a confirmation).

use aws_sdk_cognitoidentityprovider::Client as Cognito;

use crate::{audit_lines, opsdeck_with_state, run, stderr, stdout, support, two_tenants};

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
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
#[ignore = "needs the AWS emulator: run scripts/test"]
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
#[ignore = "needs the AWS emulator: run scripts/test"]
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
