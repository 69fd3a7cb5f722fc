//! `dns find` (the serving zone, the delegation chain, the answers) and `dns delegations` (every
//! planted case, problems first), and the CNAME chain `dns find` follows across accounts.

use aws_sdk_route53::types::RrType;
use serde_json::Value;

use crate::{json, planted, run, support};

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn find_names_the_serving_zone_the_chain_and_the_answers() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let out =
        run(support::opsdeck(&account).args(["dns", "find", "API.dev.example.test", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    let found = json(&out);
    assert_eq!(found["name"], "api.dev.example.test");
    assert_eq!(found["zones"].as_array().unwrap().len(), 1);
    assert_eq!(found["zones"][0]["zone_id"], org.dev.as_str());
    assert_eq!(found["zones"][0]["account_id"], org.members[0].id.as_str());
    assert_eq!(found["chain"][0]["parent_zone"], "example.test");
    assert_eq!(found["chain"][0]["child_zone"], "dev.example.test");
    assert_eq!(found["chain"][0]["status"], "ok");
    let answers = found["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 3, "simple + two weighted: {answers:?}");
    assert!(answers.iter().all(|a| a["match"] == "exact"));

    let wild = json(&run(support::opsdeck(&account).args([
        "dns",
        "find",
        "x.dev.example.test",
        "-o",
        "json",
    ])));
    assert_eq!(wild["answers"][0]["match"], "wildcard");
    assert_eq!(wild["answers"][0]["name"], "*.dev.example.test");

    let stale = json(&run(support::opsdeck(&account).args([
        "dns",
        "find",
        "www.staging.example.test",
        "-o",
        "json",
    ])));
    assert_eq!(stale["chain"][0]["status"], "mismatch");

    let private = json(&run(support::opsdeck(&account).args([
        "dns",
        "find",
        "db.internal.example.test",
        "-o",
        "json",
    ])));
    let zones = private["zones"].as_array().unwrap();
    assert_eq!(
        zones.len(),
        2,
        "the root publicly, the private zone in its VPC"
    );
    assert_eq!(zones[1]["private"], true);
    assert_eq!(private["answers"][0]["values"][0], "10.0.0.5");

    let table = run(support::opsdeck(&account).args(["dns", "find", "api.dev.example.test"]));
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("Zones serving api.dev.example.test:"),
        "{text}"
    );
    assert!(text.contains("Delegation chain:"), "{text}");

    // A name no zone of the organisation serves: said on stderr, exit 5 (the check found a problem).
    let none = run(support::opsdeck(&account).args(["dns", "find", "www.nowhere.invalid"]));
    assert_eq!(none.status.code(), Some(5));
    assert!(
        String::from_utf8_lossy(&none.stderr)
            .contains("no zone of the organisation serves www.nowhere.invalid"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn delegations_report_every_planted_case_problems_first() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let out = run(support::opsdeck(&account).args(["dns", "delegations", "-o", "json"]));
    assert_eq!(
        out.status.code(),
        Some(5),
        "the check ran and found problems"
    );
    let rows = json(&out);
    let summary: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["child_zone"].as_str().unwrap().to_owned(),
                d["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |z: &str, s: &str| (z.to_owned(), s.to_owned());
    assert_eq!(
        summary,
        [
            expect("staging.example.test", "mismatch"),
            expect("sandbox.example.test", "missing"),
            expect("old.example.test", "dangling"),
            expect("partner.example.test", "external"),
            expect("dev.example.test", "ok"),
        ]
    );
    let staging = &rows[0];
    assert_eq!(staging["parent_account"], account.id.as_str());
    assert_eq!(staging["child_account"], org.members[1].id.as_str());
    assert_eq!(
        staging["parent_ns"],
        serde_json::json!(["ns-1361.awsdns-42.org", "ns-427.awsdns-53.com"])
    );
    assert_eq!(staging["child_ns"].as_array().unwrap().len(), 4);
    assert_eq!(rows[3]["child_account"], Value::Null);
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 7, "{keys:?}");
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn find_follows_a_cname_chain_across_two_accounts_and_says_where_it_leaves() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    crate::upsert(
        &account.sdk,
        &org.root,
        vec![
            crate::simple(
                "go.example.test",
                RrType::Cname,
                300,
                &["app.dev.example.test."],
            ),
            crate::simple(
                "ext.example.test",
                RrType::Cname,
                300,
                &["shop.example.net"],
            ),
        ],
    )
    .await;
    let out =
        run(support::opsdeck(&account).args(["dns", "find", "go.example.test", "-o", "json"]));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json(&out);
    let hops: Vec<(&str, &str, &str, &str)> = doc["cnames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["name"].as_str().unwrap(),
                h["target"].as_str().unwrap(),
                h["account_id"].as_str().unwrap(),
                h["next"].as_str().unwrap(),
            )
        })
        .collect();
    let dev = org.members[0].id.as_str();
    assert_eq!(
        hops,
        [
            (
                "go.example.test",
                "app.dev.example.test",
                account.id.as_str(),
                "in_org"
            ),
            // The wildcard *.dev.example.test answers app.dev.example.test.
            (
                "app.dev.example.test",
                "api.dev.example.test",
                dev,
                "answered"
            ),
        ]
    );
    assert_eq!(doc["cnames"][1]["zone"], "dev.example.test");

    let out = run(support::opsdeck(&account).args(["dns", "find", "ext.example.test"]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("CNAME chain:"), "{text}");
    assert!(text.contains("leaves_org"), "{text}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the CNAME chain of ext.example.test ends at shop.example.net: leaves org"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
