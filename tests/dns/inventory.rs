//! The inventory of the planted organisation: every record of every account as the emulator holds
//! it, zones with their account and private zones' VPCs, and the records' filters.

use std::collections::BTreeSet;

use aws_config::SdkConfig;
use aws_sdk_route53::Client as Route53;
use aws_sdk_route53::types::RrType;
use serde_json::Value;

use crate::{json, planted, run, support};

/// Every record set of a zone as the SDK lists it (no weighted sets across pages here):
/// (name, type, set identifier, ttl, sorted values).
async fn emulator_records(
    sdk: &SdkConfig,
    zone_id: &str,
) -> BTreeSet<(String, String, String, i64, Vec<String>)> {
    let client = Route53::new(sdk);
    let mut out = BTreeSet::new();
    let mut start: Option<(String, RrType)> = None;
    loop {
        let mut req = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .max_items(100);
        if let Some((name, kind)) = &start {
            req = req.start_record_name(name).start_record_type(kind.clone());
        }
        let page = req.send().await.unwrap();
        for r in page.resource_record_sets() {
            let mut values: Vec<String> = r
                .resource_records()
                .iter()
                .map(|v| v.value().to_owned())
                .collect();
            values.sort();
            out.insert((
                r.name().trim_end_matches('.').replace("\\052", "*"),
                r.r#type().as_str().to_owned(),
                r.set_identifier().unwrap_or_default().to_owned(),
                r.ttl().unwrap_or(-1),
                values,
            ));
        }
        if !page.is_truncated() {
            return out;
        }
        start = Some((
            page.next_record_name().unwrap().to_owned(),
            page.next_record_type().unwrap().clone(),
        ));
    }
}

fn json_records(rows: &Value) -> BTreeSet<(String, String, String, i64, Vec<String>)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut values: Vec<String> = r["values"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect();
            values.sort();
            (
                r["name"].as_str().unwrap().to_owned(),
                r["type"].as_str().unwrap().to_owned(),
                r["set_identifier"].as_str().unwrap_or_default().to_owned(),
                r["ttl"].as_i64().unwrap_or(-1),
                values,
            )
        })
        .collect()
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn every_record_of_every_account_is_listed_as_the_emulator_holds_it() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let out = run(support::opsdeck(&account).args(["dns", "records", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    let rows = json(&out);

    let mut expected = BTreeSet::new();
    let mut zones = vec![(&account.sdk, org.root.clone())];
    for sdk in [&org.members[0].sdk, &org.members[1].sdk] {
        let listed = Route53::new(sdk).list_hosted_zones().send().await.unwrap();
        for z in listed.hosted_zones() {
            zones.push((sdk, z.id().trim_start_matches("/hostedzone/").to_owned()));
        }
    }
    assert_eq!(zones.len(), 5);
    for (sdk, zone) in &zones {
        expected.extend(emulator_records(sdk, zone).await);
    }
    assert_eq!(json_records(&rows), expected);
    assert_eq!(rows.as_array().unwrap().len(), expected.len());

    // The documented shape, on a weighted record, an alias and a private zone's record.
    let rows = rows.as_array().unwrap();
    let blue = rows.iter().find(|r| r["set_identifier"] == "blue").unwrap();
    assert_eq!(blue["account_id"], org.members[0].id.as_str());
    assert_eq!(blue["account_name"], "dev");
    assert_eq!(blue["zone_id"], org.dev.as_str());
    assert_eq!(blue["zone"], "dev.example.test");
    assert_eq!(blue["private"], false);
    assert_eq!(blue["alias"], Value::Null);
    assert_eq!(blue["routing"]["policy"], "weighted");
    assert_eq!(blue["routing"]["weight"], 90);
    let alias = rows
        .iter()
        .find(|r| r["name"] == "www.sandbox.example.test")
        .unwrap();
    assert_eq!(alias["alias"]["dns_name"], "sandbox.example.test");
    assert_eq!(alias["ttl"], Value::Null);
    let db = rows
        .iter()
        .find(|r| r["name"] == "db.internal.example.test")
        .unwrap();
    assert_eq!(db["private"], true);
    assert_eq!(db["zone_id"], org.private.as_str());
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn zones_name_their_account_and_the_vpcs_of_private_zones() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let out = run(support::opsdeck(&account).args(["dns", "zones", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let internal = rows.iter().find(|r| r["private"] == true).unwrap();
    assert_eq!(internal["account_id"], org.members[1].id.as_str());
    assert_eq!(
        internal["vpcs"],
        serde_json::json!(["us-east-1/vpc-0dns0test"])
    );
    let staging = rows
        .iter()
        .find(|r| r["zone_id"] == org.staging.as_str())
        .unwrap();
    assert_eq!(staging["account_name"], "prod");
    assert_eq!(staging["record_count"], 2);

    let table = run(support::opsdeck(&account).args(["dns", "zones", "--account", "prod"]));
    assert_eq!(table.status.code(), Some(0));
    let text = String::from_utf8(table.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.starts_with("ACCOUNT"), "{text}");
    assert!(text.contains("internal.example.test"), "{text}");

    let unknown = run(support::opsdeck(&account).args(["dns", "zones", "--account", "qa"]));
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no account `qa`"));
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn records_filter_by_zone_type_and_name() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let out = run(support::opsdeck(&account).args([
        "dns",
        "records",
        "--zone",
        "dev.example.test.",
        "--type",
        "a",
        "--name",
        "API",
        "-o",
        "csv",
    ]));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(
        text.starts_with("ACCOUNT,ZONE,NAME,TYPE,TTL,DATA,ROUTING\n"),
        "{text}"
    );
    assert!(text.contains("weighted weight=90 id=blue"), "{text}");
    let by_id =
        run(support::opsdeck(&account).args(["dns", "records", "--zone", &org.dev, "-o", "json"]));
    assert_eq!(json(&by_id).as_array().unwrap().len(), 8);
}
