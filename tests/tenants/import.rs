//! `users import`: the whole file is validated first, then imported, and a rerun is safe.

use std::path::Path;

use aws_sdk_cognitoidentityprovider::Client as Cognito;

use crate::{audit_lines, opsdeck_with_state, run, stderr, stdout, support, two_tenants};

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
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
    assert_eq!(
        calls,
        2 * 39 * 2,
        "create + add per new row, intent and ok each; ann needs nothing"
    );

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
