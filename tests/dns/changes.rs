//! Record changes, delegation fixes and the audit against the emulator: upsert and delete in a
//! zone of another account verified with the AWS API, a read-only account refused, the planted
//! missing and mismatched delegations fixed, the audit's findings on planted data, and through
//! the fault proxy a change denied in one account and a throttled GetChange.

use std::time::Duration;

use aws_sdk_route53::Client as Route53;
use aws_sdk_route53::types::{AliasTarget, ResourceRecordSet, RrType};

use crate::{json, planted, proxy, run, simple, support, upsert, zone};

/// The record sets named `name` in a zone, as the AWS API lists them: (type, values, weight).
async fn records(
    sdk: &aws_config::SdkConfig,
    zone_id: &str,
    name: &str,
) -> Vec<(String, Vec<String>, Option<i64>)> {
    let out = Route53::new(sdk)
        .list_resource_record_sets()
        .hosted_zone_id(zone_id)
        .send()
        .await
        .expect("list records");
    out.resource_record_sets()
        .iter()
        .filter(|r| r.name().trim_end_matches('.') == name)
        .map(|r| {
            (
                r.r#type().as_str().to_owned(),
                r.resource_records()
                    .iter()
                    .map(|v| v.value().to_owned())
                    .collect(),
                r.weight(),
            )
        })
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn upsert_and_delete_in_another_accounts_zone_and_a_read_only_account_is_refused() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let dev = &org.members[0];

    let out = run(support::opsdeck(&account).args([
        "dns",
        "upsert",
        "api2.dev.example.test",
        "A",
        "192.0.2.50",
        "192.0.2.51",
        "--ttl",
        "120",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("INSYNC"), "{}", stderr(&out));
    let rows = json(&out);
    assert_eq!(rows[0]["account_id"], dev.id.as_str());
    assert_eq!(rows[0]["ttl"], 120);
    assert_eq!(
        records(&dev.sdk, &org.dev, "api2.dev.example.test").await,
        [(
            "A".to_owned(),
            vec!["192.0.2.50".to_owned(), "192.0.2.51".to_owned()],
            None
        )]
    );

    // A weighted record set keeps its weight.
    let out = run(support::opsdeck(&account).args([
        "dns",
        "upsert",
        "api.dev.example.test",
        "A",
        "192.0.2.77",
        "--set-identifier",
        "blue",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let api = records(&dev.sdk, &org.dev, "api.dev.example.test").await;
    assert!(
        api.contains(&("A".into(), vec!["192.0.2.77".into()], Some(90))),
        "{api:?}"
    );

    let out = run(support::opsdeck(&account).args([
        "dns",
        "delete",
        "api2.dev.example.test",
        "A",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        records(&dev.sdk, &org.dev, "api2.dev.example.test")
            .await
            .is_empty()
    );

    // Read-only for dev in the config: refused before anything is asked, nothing changed.
    let home = support::scratch_dir();
    let config = home.join("opsdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[[organization.accounts]]\nid = \"{}\"\nname = \"dev\"\nread_only = true\n",
            dev.id
        ),
    )
    .unwrap();
    let out = run(support::opsdeck(&account)
        .arg("--config")
        .arg(&config)
        .args([
            "dns",
            "upsert",
            "ro.dev.example.test",
            "A",
            "192.0.2.1",
            "--yes",
        ]));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("is configured as read-only"));
    assert!(
        records(&dev.sdk, &org.dev, "ro.dev.example.test")
            .await
            .is_empty()
    );

    // Bad input: a clear error, exit 2, nothing sent.
    for (args, why) in [
        (
            vec!["www.dev.example.test", "A", "10.0.0.300"],
            "not an IPv4 address",
        ),
        (
            vec!["dev.example.test", "CNAME", "x.example.org"],
            "CNAME cannot be at the zone apex",
        ),
        (
            vec!["www.nowhere.invalid", "A", "192.0.2.1"],
            "no zone of the organisation holds",
        ),
    ] {
        let out = run(support::opsdeck(&account)
            .args(["dns", "upsert"])
            .args(&args)
            .arg("--yes"));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{}", stderr(&out));
    }
    let out = run(support::opsdeck(&account).args([
        "dns",
        "delete",
        "nope.dev.example.test",
        "A",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nothing to delete"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn fix_delegation_makes_the_planted_missing_and_mismatched_delegations_ok() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    for child in ["staging.example.test", "sandbox.example.test"] {
        let out = run(support::opsdeck(&account).args([
            "dns",
            "fix-delegation",
            child,
            "--yes",
            "-o",
            "json",
        ]));
        assert_eq!(out.status.code(), Some(0), "{child}: {}", stderr(&out));
        assert_eq!(json(&out)[0]["status"], "ok", "{child}");
    }
    // The NS records are in the parent's (the management) account, with the parent's TTL.
    let staging = Route53::new(&account.sdk)
        .list_resource_record_sets()
        .hosted_zone_id(&org.root)
        .send()
        .await
        .unwrap();
    let sandbox = staging
        .resource_record_sets()
        .iter()
        .find(|r| r.name() == "sandbox.example.test." && r.r#type() == &RrType::Ns)
        .expect("the delegation of sandbox");
    assert_eq!(sandbox.ttl(), Some(172800));
    let out = run(support::opsdeck(&account).args(["dns", "delegations", "-o", "json"]));
    let rows = json(&out);
    for child in ["staging.example.test", "sandbox.example.test"] {
        let row = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["child_zone"] == child)
            .unwrap();
        assert_eq!(row["status"], "ok", "{child}: {row}");
    }
    // The dangling one goes only with its name typed.
    let out = run(support::opsdeck(&account).args(["dns", "fix-delegation", "old.example.test"]));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let out = run(support::opsdeck(&account).args([
        "dns",
        "fix-delegation",
        "old.example.test",
        "--yes",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(support::opsdeck(&account).args(["dns", "delegations", "-o", "json"]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "every delegation is fine now: {}",
        stderr(&out)
    );
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn the_audit_finds_planted_dangling_names_a_duplicate_zone_and_exits_5() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let (dev, prod) = (&org.members[0], &org.members[1]);
    upsert(
        &dev.sdk,
        &org.dev,
        vec![simple(
            "legacy.dev.example.test",
            RrType::Cname,
            300,
            &["gone.sandbox.example.test"],
        )],
    )
    .await;
    let mut alias = ResourceRecordSet::builder()
        .name("cdn.example.test")
        .r#type(RrType::A)
        .build()
        .unwrap();
    alias.alias_target = Some(
        AliasTarget::builder()
            .hosted_zone_id(&org.staging)
            .dns_name("missing.staging.example.test")
            .evaluate_target_health(false)
            .build()
            .unwrap(),
    );
    upsert(
        &account.sdk,
        &org.root,
        vec![
            simple(
                "shop.example.test",
                RrType::Cname,
                300,
                &["nothing.staging.example.test"],
            ),
            simple(
                "ok.example.test",
                RrType::Cname,
                300,
                &["api.dev.example.test"],
            ),
            alias,
        ],
    )
    .await;
    // The same public zone in a second account.
    zone(&prod.sdk, "sandbox.example.test", false).await;

    let out = run(support::opsdeck(&account).args(["dns", "audit", "-o", "json"]));
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    let found: Vec<(String, String, String)> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_owned(),
                f["name"].as_str().unwrap().to_owned(),
                f["account_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let has = |kind: &str, name: &str, acct: &str| {
        assert!(
            found.contains(&(kind.into(), name.into(), acct.into())),
            "{kind} {name} {acct} not in {found:#?}"
        )
    };
    has("dangling_delegation", "old.example.test", &account.id);
    has("dangling_cname", "legacy.dev.example.test", &dev.id);
    has("dangling_cname", "shop.example.test", &account.id);
    has("dangling_alias", "cdn.example.test", &account.id);
    has("duplicate_zone", "sandbox.example.test", &prod.id);
    has("dangling_mx", "mail.dev.example.test", &dev.id);
    assert!(found.iter().all(|(_, name, _)| name != "ok.example.test"));
    let first = &json(&out)[0];
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 9, "{keys:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_change_denied_in_one_account_fails_cleanly_and_a_throttled_getchange_is_waited_out() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let dev = &org.members[0];
    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![
            proxy::Rule::on("route53", proxy::Fault::AccessDenied)
                .operation("ChangeResourceRecordSets")
                .account(&dev.id),
            proxy::Rule::on("route53", proxy::Fault::Throttle)
                .operation("GetChange")
                .when(proxy::When::For(Duration::from_secs(3))),
        ],
    )
    .await;
    let endpoint = proxy.endpoint.clone();
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &endpoint).args([
        "dns",
        "upsert",
        "x.dev.example.test",
        "A",
        "192.0.2.1",
        "--yes",
    ]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("AccessDenied"), "{}", stderr(&out));
    assert!(
        records(&dev.sdk, &org.dev, "x.dev.example.test")
            .await
            .is_empty()
    );

    // In the management account the change goes through; GetChange is throttled for 3 s.
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &endpoint).args([
        "dns",
        "upsert",
        "x.example.test",
        "A",
        "192.0.2.1",
        "--yes",
        "-o",
        "json",
    ]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)[0]["values"][0], "192.0.2.1");
    let throttled = proxy
        .calls()
        .iter()
        .filter(|c| c.operation == "GetChange" && c.fault.is_some())
        .count();
    assert!(throttled >= 1, "GetChange was throttled {throttled} times");
}
