//! The user management commands (onboard, set-role, remove, disable, enable, reset-password,
//! resend-invitation): each changes what it says and nothing else.

use aws_sdk_cognitoidentityprovider::Client as Cognito;

use crate::{group, groups_of, run, stderr, stdout, support, two_tenants};

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
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

    // Resend only as a dry run: the emulator would replace the user (see docs/emulator.md).
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
