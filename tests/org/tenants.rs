//! `tenants list --all-accounts --regions a,b` against the emulator: the tenants of every pool of
//! every account × region, with where each lives; one member denied → exit 4, the others complete.

use crate::{
    config, in_region, json, organisation, pool_with, proxy, role_of, run, stderr, support,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn tenants_of_every_pool_of_every_account_and_region_with_one_denied() {
    let account = support::isolated_account().await;
    let members = organisation(&account, &["prod", "locked"]).await;
    let (prod, prod_sdk) = &members[0];
    let (locked, locked_sdk) = &members[1];
    let prod_eu = in_region(prod_sdk, "eu-west-1");
    let home = pool_with(&account.sdk, "customers", "alice@acme.com", "acme:admin").await;
    let us = pool_with(
        prod_sdk,
        "us-customers",
        "bob@initech.com",
        "initech:member",
    )
    .await;
    let eu = pool_with(&prod_eu, "eu-customers", "carol@globex.com", "globex:admin").await;
    pool_with(locked_sdk, "hidden", "eve@hidden.com", "hidden:admin").await;

    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![proxy::Rule::assume_role(
            &role_of(locked),
            proxy::Fault::AccessDenied,
        )],
    )
    .await;
    let config = config(0);
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .arg("--config")
        .arg(&config)
        .args([
            "tenants",
            "list",
            "--all-accounts",
            "--regions",
            "us-east-1,eu-west-1",
            "-o",
            "json",
        ]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let rows = json(&out);
    let mut got: Vec<(String, String, String, String, String, u64, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
            (
                s("account_id"),
                s("region"),
                s("pool_id"),
                s("pool_name"),
                s("tenant"),
                r["users"].as_u64().unwrap(),
                r["roles"].to_string(),
            )
        })
        .collect();
    got.sort();
    let roles =
        |admin: u64, member: u64| format!(r#"{{"admin":{admin},"member":{member},"readonly":0}}"#);
    let mut want = vec![
        (
            account.id.clone(),
            "us-east-1".into(),
            home,
            "customers".into(),
            "acme".into(),
            1,
            roles(1, 0),
        ),
        (
            prod.clone(),
            "us-east-1".into(),
            us,
            "us-customers".into(),
            "initech".into(),
            1,
            roles(0, 1),
        ),
        (
            prod.clone(),
            "eu-west-1".into(),
            eu,
            "eu-customers".into(),
            "globex".into(),
            1,
            roles(1, 0),
        ),
    ];
    want.sort();
    assert_eq!(got, want);
    for row in rows.as_array().unwrap() {
        assert!(row["account_name"].is_string(), "{row}");
    }
    let err = stderr(&out);
    for region in ["us-east-1", "eu-west-1"] {
        assert!(
            err.lines().any(|l| l.contains(locked.as_str())
                && l.contains(region)
                && l.contains(": denied: ")),
            "{locked} {region}: {err}"
        );
    }
    assert!(
        err.lines()
            .any(|l| l.contains(prod.as_str())
                && l.contains("eu-west-1: ok: 1 user pools, 1 tenants")),
        "{err}"
    );
}
