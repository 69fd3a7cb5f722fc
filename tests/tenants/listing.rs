//! Reading a pool: `tenants list` and `users list`/`users show` say what the pool holds, every
//! tenant and role.

use aws_sdk_cognitoidentityprovider::Client as Cognito;

use crate::{json, run, stderr, stdout, support, two_tenants};

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
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
#[ignore = "needs the AWS emulator: run scripts/test"]
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
