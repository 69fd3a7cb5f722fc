//! The adapter under each tenancy model: tenants found by scanning the pool's attribute, users and
//! groups read (none for a missing user), and uuid usernames.

use aws_sdk_cognitoidentityprovider::Client as Cognito;

use opsdeck::domain::tenancy::plan::Target;
use opsdeck::services::{Tenants, tenant_planning, tenant_queries};

use crate::{aws, group, groups_of, json, pool, run, stderr, stdout, support, two_tenants, user};

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
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
#[ignore = "needs the AWS emulator: run scripts/test"]
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
#[ignore = "needs the AWS emulator: run scripts/test"]
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
