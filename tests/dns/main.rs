//! The DNS inventory end to end: the built binary against the emulator, run as the management
//! account of an organisation of its own, reading member accounts through the assumed role.

#[path = "../support/proxy.rs"]
mod proxy;
#[path = "../support/pty.rs"]
mod pty;
#[path = "../support/mod.rs"]
mod support;

mod changes;
mod failures;
mod inventory;
mod lookups;
mod throttling;
mod tui;

use std::collections::BTreeSet;
use std::process::Output;

use aws_config::SdkConfig;
use aws_sdk_route53::Client as Route53;
use aws_sdk_route53::types::{
    AliasTarget, Change, ChangeAction, ChangeBatch, HostedZoneConfig, ResourceRecord,
    ResourceRecordSet, RrType, Vpc, VpcRegion,
};
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

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// A member account: id, name, and an SDK config inside it.
struct Member {
    id: String,
    sdk: SdkConfig,
}

/// An organisation in the test's account with the named member accounts.
async fn organisation(account: &support::TestAccount, names: &[&str]) -> Vec<Member> {
    support::organisation(account, names)
        .await
        .into_iter()
        .map(|(id, sdk)| Member { id, sdk })
        .collect()
}

/// Create a zone; returns its id (without prefix) and name servers (normalised).
async fn zone(sdk: &SdkConfig, name: &str, private: bool) -> (String, Vec<String>) {
    let mut create = Route53::new(sdk)
        .create_hosted_zone()
        .name(name)
        .caller_reference(format!("dns-test/{name}"))
        .hosted_zone_config(
            HostedZoneConfig::builder()
                .comment(format!("{name} zone"))
                .private_zone(private)
                .build(),
        );
    if private {
        create = create.vpc(
            Vpc::builder()
                .vpc_id("vpc-0dns0test")
                .vpc_region(VpcRegion::UsEast1)
                .build(),
        );
    }
    let out = create.send().await.expect("create zone");
    let id = out
        .hosted_zone()
        .unwrap()
        .id()
        .trim_start_matches("/hostedzone/")
        .to_owned();
    let ns = out
        .delegation_set()
        .map(|d| d.name_servers().to_vec())
        .unwrap_or_default();
    (id, ns)
}

fn simple(name: &str, kind: RrType, ttl: i64, values: &[&str]) -> ResourceRecordSet {
    ResourceRecordSet::builder()
        .name(name)
        .r#type(kind)
        .ttl(ttl)
        .set_resource_records(Some(
            values
                .iter()
                .map(|v| ResourceRecord::builder().value(*v).build().unwrap())
                .collect(),
        ))
        .build()
        .unwrap()
}

fn weighted(name: &str, id: &str, weight: i64, value: &str) -> ResourceRecordSet {
    let mut r = simple(name, RrType::A, 60, &[value]);
    r.set_identifier = Some(id.into());
    r.weight = Some(weight);
    r
}

async fn upsert(sdk: &SdkConfig, zone_id: &str, records: Vec<ResourceRecordSet>) {
    let changes = records
        .into_iter()
        .map(|r| {
            Change::builder()
                .action(ChangeAction::Upsert)
                .resource_record_set(r)
                .build()
                .unwrap()
        })
        .collect();
    Route53::new(sdk)
        .change_resource_record_sets()
        .hosted_zone_id(zone_id)
        .change_batch(
            ChangeBatch::builder()
                .set_changes(Some(changes))
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("change record sets");
}

/// The planted organisation: a root zone in the management account delegating correctly to
/// `dev`, stale to `staging` (in prod), not at all to `sandbox` (in dev), to an outside provider
/// for `partner`, and to our own name servers for `old` of which no zone exists; a private zone.
struct Planted {
    members: Vec<Member>,
    root: String,
    dev: String,
    staging: String,
    private: String,
}

async fn planted(account: &support::TestAccount) -> Planted {
    let members = organisation(account, &["dev", "prod"]).await;
    let (root, _) = zone(&account.sdk, "example.test", false).await;
    let (dev, dev_ns) = zone(&members[0].sdk, "dev.example.test", false).await;
    let (sandbox, _) = zone(&members[0].sdk, "sandbox.example.test", false).await;
    let (staging, _) = zone(&members[1].sdk, "staging.example.test", false).await;
    let (private, _) = zone(&members[1].sdk, "internal.example.test", true).await;
    let dev_ns: Vec<String> = dev_ns.iter().map(|n| format!("{n}.")).collect();
    let dev_ns: Vec<&str> = dev_ns.iter().map(String::as_str).collect();
    upsert(
        &account.sdk,
        &root,
        vec![
            simple("example.test", RrType::A, 300, &["192.0.2.1"]),
            simple("dev.example.test", RrType::Ns, 172800, &dev_ns),
            simple(
                "staging.example.test",
                RrType::Ns,
                172800,
                &["ns-1361.awsdns-42.org.", "ns-427.awsdns-53.com."],
            ),
            simple(
                "partner.example.test",
                RrType::Ns,
                172800,
                &["ns1.partner-dns.net.", "ns2.partner-dns.net."],
            ),
            simple("old.example.test", RrType::Ns, 172800, &[dev_ns[0]]),
        ],
    )
    .await;
    upsert(
        &members[0].sdk,
        &dev,
        vec![
            simple("api.dev.example.test", RrType::A, 60, &["192.0.2.10"]),
            weighted("api.dev.example.test", "blue", 90, "192.0.2.11"),
            weighted("api.dev.example.test", "green", 10, "192.0.2.12"),
            simple(
                "*.dev.example.test",
                RrType::Cname,
                300,
                &["api.dev.example.test"],
            ),
            simple(
                "mail.dev.example.test",
                RrType::Mx,
                3600,
                &["10 mx.example.test."],
            ),
            simple("dev.example.test", RrType::Txt, 3600, &["\"v=spf1 -all\""]),
        ],
    )
    .await;
    let mut alias = ResourceRecordSet::builder()
        .name("www.sandbox.example.test")
        .r#type(RrType::A)
        .build()
        .unwrap();
    alias.alias_target = Some(
        AliasTarget::builder()
            .hosted_zone_id(&sandbox)
            .dns_name("sandbox.example.test")
            .evaluate_target_health(false)
            .build()
            .unwrap(),
    );
    upsert(
        &members[0].sdk,
        &sandbox,
        vec![
            simple("sandbox.example.test", RrType::A, 300, &["192.0.2.20"]),
            alias,
        ],
    )
    .await;
    upsert(
        &members[1].sdk,
        &private,
        vec![simple(
            "db.internal.example.test",
            RrType::A,
            300,
            &["10.0.0.5"],
        )],
    )
    .await;
    Planted {
        members,
        root,
        dev,
        staging,
        private,
    }
}

/// An organisation of three members, each with a zone `<name>.test` holding `www.<name>.test`.
async fn three_members_with_a_zone_each(account: &support::TestAccount) -> Vec<Member> {
    let members = organisation(account, &["alpha", "bravo", "charlie"]).await;
    for (member, name) in members
        .iter()
        .zip(["alpha.test", "bravo.test", "charlie.test"])
    {
        let (id, _) = zone(&member.sdk, name, false).await;
        upsert(
            &member.sdk,
            &id,
            vec![simple(
                &format!("www.{name}"),
                RrType::A,
                60,
                &["192.0.2.1"],
            )],
        )
        .await;
    }
    members
}

fn a_record_names(out: &Output) -> BTreeSet<String> {
    json(out)
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["type"] == "A")
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

fn account_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("opsdeck: account"))
        .map(str::to_owned)
        .collect()
}

fn role_of(member: &Member) -> String {
    format!(
        "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
        member.id
    )
}
