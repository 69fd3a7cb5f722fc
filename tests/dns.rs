//! The DNS inventory end to end: the built binary against the emulator, run as the management
//! account of an organisation of its own, reading member accounts through the assumed role.

#[path = "support/proxy.rs"]
mod proxy;
mod support;

use std::collections::BTreeSet;
use std::process::Output;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
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
    let orgs = aws_sdk_organizations::Client::new(&account.sdk);
    orgs.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("create organization");
    let mut members = Vec::new();
    for name in names {
        let created = orgs
            .create_account()
            .account_name(*name)
            .email(format!("aws+{name}@example.com"))
            .send()
            .await
            .expect("create account");
        let id = created
            .create_account_status()
            .and_then(|s| s.account_id())
            .expect("account id")
            .to_owned();
        members.push(Member {
            sdk: enter(account, &id).await,
            id,
        });
    }
    members
}

/// SDK config in `account_id` through OrganizationAccountAccessRole, as opsdeck gets there.
async fn enter(account: &support::TestAccount, account_id: &str) -> SdkConfig {
    let out = aws_sdk_sts::Client::new(&account.sdk)
        .assume_role()
        .role_arn(format!(
            "arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
        ))
        .role_session_name("dns-test")
        .send()
        .await
        .expect("assume role");
    let c = out.credentials().unwrap();
    support::sdk_config(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_owned()),
        None,
        "dns-test",
    ))
    .await
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

#[tokio::test]
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

#[tokio::test]
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
}

#[tokio::test]
async fn delegations_report_every_planted_case_problems_first() {
    let account = support::isolated_account().await;
    let org = planted(&account).await;
    let out = run(support::opsdeck(&account).args(["dns", "delegations", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
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
async fn a_cursor_that_does_not_advance_stops_that_zone_with_exit_4_and_keeps_the_rest() {
    let account = support::isolated_account().await;
    organisation(&account, &[]).await;
    let (stuck, _) = zone(&account.sdk, "stuck.test", false).await;
    let (fine, _) = zone(&account.sdk, "fine.test", false).await;
    // A weighted set larger than a page: the emulator pages inside it without an identifier.
    let set: Vec<ResourceRecordSet> = (0..305)
        .map(|i| weighted("w.stuck.test", &format!("id-{i:03}"), 1, "192.0.2.1"))
        .collect();
    upsert(&account.sdk, &stuck, set).await;
    upsert(
        &account.sdk,
        &fine,
        vec![simple("a.fine.test", RrType::A, 60, &["192.0.2.2"])],
    )
    .await;

    let out = run(support::opsdeck(&account).args(["dns", "records", "-o", "json"]));
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("stuck.test"), "{stderr}");
    assert!(stderr.contains("same cursor"), "{stderr}");
    assert!(stderr.contains("CursorNotAdvancing"), "{stderr}");
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    assert!(rows.iter().any(|r| r["name"] == "a.fine.test"));
    let in_set = rows.iter().filter(|r| r["name"] == "w.stuck.test").count();
    // The first page's part of the set, each record once.
    assert_eq!(in_set, 298);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_account_denied_and_one_throttled_for_a_while_the_throttled_one_completes_late_exit_4()
{
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    // Route53 throttles charlie for 5 s: longer than the SDK's three attempts last, shorter than
    // the default patience (30 s).
    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![
            proxy::Rule::assume_role(&role_of(&members[1]), proxy::Fault::AccessDenied),
            proxy::Rule::on("route53", proxy::Fault::Throttle)
                .account(&members[2].id)
                .when(proxy::When::For(Duration::from_secs(5))),
        ],
    )
    .await;
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["dns", "records", "-o", "json"]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let lines = account_lines(&out);
    assert_eq!(
        lines.len(),
        1,
        "only the denied account is reported: {lines:?}"
    );
    assert!(
        lines[0].contains(&members[1].id)
            && lines[0].contains("denied")
            && lines[0].contains("AccessDenied"),
        "{}",
        lines[0]
    );
    assert_eq!(
        a_record_names(&out),
        BTreeSet::from(["www.alpha.test".to_owned(), "www.charlie.test".to_owned()])
    );
    let calls = proxy.calls();
    assert!(
        calls
            .iter()
            .any(|c| c.fault == Some(proxy::Fault::AccessDenied))
    );
    let charlie: Vec<&proxy::Call> = calls
        .iter()
        .filter(|c| c.service == "route53" && c.account.as_deref() == Some(&members[2].id))
        .collect();
    let throttled = charlie.iter().filter(|c| c.fault.is_some()).count();
    eprintln!(
        "charlie: {throttled} throttled calls, {} in all, the last at {:?}",
        charlie.len(),
        charlie.last().unwrap().at - charlie[0].at
    );
    // Backing off: at most three SDK attempts per round, rounds 1, 2, 4 s apart within the 5 s.
    assert!(
        (3..=12).contains(&throttled),
        "{throttled} throttled calls: {charlie:#?}"
    );
    assert!(charlie.last().unwrap().fault.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_throttled_past_the_patience_is_reported_after_few_paced_calls() {
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![proxy::Rule::on("route53", proxy::Fault::Throttle).account(&members[2].id)],
    )
    .await;
    let config = support::scratch_dir().join("config.toml");
    std::fs::write(&config, "[concurrency]\nthrottle_patience_secs = 4\n").unwrap();
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .arg("--config")
        .arg(&config)
        .args(["dns", "records", "-o", "json"]);
    let started = std::time::Instant::now();
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(4));
    let lines = account_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(&members[2].id)
            && lines[0].contains("throttled")
            && lines[0].contains("Throttling"),
        "{}",
        lines[0]
    );
    assert_eq!(
        a_record_names(&out),
        BTreeSet::from(["www.alpha.test".to_owned(), "www.bravo.test".to_owned()])
    );
    // The account's first call (ListHostedZones) is the one throttled: the SDK's three attempts,
    // then rounds after 1 s and 2 s (a 4 s wait would pass the 4 s patience), three attempts each.
    let charlie: Vec<proxy::Call> = proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "route53" && c.account.as_deref() == Some(&members[2].id))
        .collect();
    assert!(
        charlie
            .iter()
            .all(|c| c.fault == Some(proxy::Fault::Throttle))
    );
    assert!(
        (3..=9).contains(&charlie.len()),
        "{} calls: {charlie:#?}",
        charlie.len()
    );
    let spread = charlie.last().unwrap().at - charlie[0].at;
    eprintln!(
        "charlie: {} throttled calls over {spread:?}; the command took {took:?}",
        charlie.len()
    );
    assert!(
        spread >= Duration::from_secs(3),
        "the calls were not spaced out: {spread:?} from first to last"
    );
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_assume_role_throttled_for_a_while_delays_that_account_but_it_completes() {
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![
            proxy::Rule::assume_role(&role_of(&members[2]), proxy::Fault::Throttle)
                .when(proxy::When::For(Duration::from_secs(4))),
        ],
    )
    .await;
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["dns", "records", "-o", "json"]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    let throttled = proxy.faults();
    eprintln!("AssumeRole throttled {throttled} times");
    assert!(
        throttled >= 2,
        "the fault was not hit: {:#?}",
        proxy.calls()
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", account_lines(&out));
    assert_eq!(
        a_record_names(&out),
        BTreeSet::from([
            "www.alpha.test".to_owned(),
            "www.bravo.test".to_owned(),
            "www.charlie.test".to_owned()
        ])
    );
}

/// Reads whose service keeps failing: the SDK's three attempts, then one clear line per failure,
/// the right exit code, no debug dump.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_that_keep_failing_give_up_after_three_attempts_with_one_clear_line() {
    use proxy::{Fault, Rule, When};
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    // (rule, command, exit code, what each failure line says, failure lines)
    let cases: Vec<(Rule, &[&str], i32, &str, usize)> = vec![
        (
            Rule::on("organizations", Fault::Drop),
            &["accounts"],
            1,
            "Organizations ListAccounts: network error: ",
            1,
        ),
        (
            Rule::on("organizations", Fault::Status(503)),
            &["dns", "zones"],
            1,
            "Organizations ListAccounts failed: Service unavailable (ServiceUnavailable)",
            1,
        ),
        (
            Rule::on("sts", Fault::Drop).operation("GetCallerIdentity"),
            &["whoami"],
            1,
            "STS GetCallerIdentity: network error: ",
            1,
        ),
        (
            Rule::on("route53", Fault::Drop).account(&members[0].id),
            &["dns", "zones"],
            4,
            "failed: Route53 ListHostedZones: network error: ",
            1,
        ),
        (
            Rule::on("route53", Fault::Status(500)).account(&members[1].id),
            &["dns", "records"],
            4,
            "failed: Route53 ListHostedZones failed: Internal error (InternalFailure)",
            1,
        ),
        // A slow Route53 is only slow.
        (
            Rule::on("route53", Fault::Delay(Duration::from_secs(1))).when(When::First(3)),
            &["dns", "zones"],
            0,
            "",
            0,
        ),
    ];
    for (rule, args, code, says, lines) in cases {
        let proxy = proxy::Proxy::start(&support::endpoint(), vec![rule.clone()]).await;
        let mut cmd = support::opsdeck(&account);
        cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint).args(args);
        let out = tokio::task::spawn_blocking(move || run(&mut cmd))
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let failures: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("opsdeck: "))
            .collect();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?} under {rule:?}: {stderr}"
        );
        assert_eq!(failures.len(), lines, "{args:?} under {rule:?}: {stderr}");
        for line in &failures {
            assert!(line.contains(says), "{args:?}: {line}");
            assert!(
                !line.contains("DispatchFailure") && !line.contains(" {") && line.len() < 300,
                "{args:?}: not one clear sentence: {line}"
            );
        }
        // Bounded: each failing call was tried exactly three times (max_attempts).
        let faulted = proxy.faults();
        if code != 0 {
            assert_eq!(faulted, 3, "{args:?} under {rule:?}: {:#?}", proxy.calls());
        }
    }
}

/// Error text comes from AWS too: an error message built to attack the terminal is shown harmlessly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_error_messages_reach_stderr_harmlessly() {
    use proxy::{Fault, Rule};
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    let hostile = "no\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}kcab\u{202c}\r\nforged line";
    // XML cannot carry C0 controls (Route53's answer would not parse): C1 and bidi there.
    let xml_hostile = "no\u{9d}0;pwned\u{9c}\u{9b}31m\u{202e}kcab\u{202c}\u{85}forged line";
    let error = |status, message: &str| Fault::Error {
        status,
        code: "AccessDenied".into(),
        message: message.into(),
    };
    for (rule, args) in [
        (
            Rule::on("organizations", error(400, hostile)),
            &["accounts"][..],
        ),
        (
            Rule::on("organizations", error(400, hostile)),
            &["dns", "records"][..],
        ),
        (
            Rule::on("route53", error(403, xml_hostile)).account(&members[0].id),
            &["dns", "zones", "-o", "csv"][..],
        ),
    ] {
        let proxy = proxy::Proxy::start(&support::endpoint(), vec![rule]).await;
        let mut cmd = support::opsdeck(&account);
        cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint).args(args);
        let out = tokio::task::spawn_blocking(move || run(&mut cmd))
            .await
            .unwrap();
        assert!(proxy.faults() >= 1, "{args:?}: the fault was not hit");
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("pwned"),
            "{args:?}: the message is not shown: {stderr}"
        );
        for text in [&stderr, &String::from_utf8_lossy(&out.stdout)] {
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| {
                    (c.is_control() && c != '\n')
                        || ('\u{202a}'..='\u{202e}').contains(&c)
                        || ('\u{2066}'..='\u{2069}').contains(&c)
                })
                .collect();
            assert!(
                bad.is_empty(),
                "{args:?}: {bad:?} reached the terminal: {text:?}"
            );
            assert!(
                !text.lines().any(|l| l.starts_with("forged line")),
                "{args:?}: the message forged a line of its own: {text}"
            );
        }
    }
}
