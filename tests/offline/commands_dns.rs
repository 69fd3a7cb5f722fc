//! `opsdeck dns upsert|delete|fix-delegation|audit` against the fake: the zone found in the
//! organisation, the plan made from what the zone holds, read-only refusal per account, typed
//! confirmation for deletions, the wait for INSYNC, the result read back; bad input sent nowhere.

use opsdeck::config::AccountConfig;
use opsdeck::domain::dns::{RecordSet, Routing};
use opsdeck::exit;
use opsdeck::mutation::Outcome;
use opsdeck::services::fake::{FakeBackend, ZoneSeed};

use crate::support::{ME, audit, context, denied, run, run_with, throttled};

const DEV: &str = "222222222222";
const PROD: &str = "333333333333";
const ROOT_NS: [&str; 2] = ["ns-1.awsdns-01.org.", "ns-2.awsdns-02.com."];
const DEV_NS: [&str; 2] = ["ns-3.awsdns-03.net.", "ns-4.awsdns-04.co.uk."];

fn ns(name: &str, values: &[&str]) -> RecordSet {
    RecordSet {
        name: name.into(),
        kind: "NS".into(),
        ttl: Some(3600),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        alias: None,
        set_identifier: None,
        routing: Routing {
            policy: "simple".into(),
            ..Routing::default()
        },
    }
}

fn weighted(id: &str, weight: i64, value: &str) -> RecordSet {
    RecordSet {
        name: "api.dev.example.com".into(),
        kind: "A".into(),
        ttl: Some(60),
        values: vec![value.into()],
        alias: None,
        set_identifier: Some(id.into()),
        routing: Routing {
            policy: "weighted".into(),
            weight: Some(weight),
            ..Routing::default()
        },
    }
}

/// example.com in the management account delegating dev.example.com (in dev) correctly, and
/// old.example.com to our own name servers with no such zone; staging.example.com in prod,
/// not delegated at all.
fn org() -> FakeBackend {
    FakeBackend::new(ME)
        .with_account(DEV, "dev")
        .with_account(PROD, "prod")
        .with_zone(
            ZoneSeed::public("ZROOT", "example.com")
                .record(ns("example.com", &ROOT_NS))
                .record(ns("dev.example.com", &DEV_NS))
                .record(ns("old.example.com", &DEV_NS[..1]))
                .simple("www.example.com", "A", &["192.0.2.1"]),
        )
        .with_zone_in(
            DEV,
            ZoneSeed::public("ZDEV", "dev.example.com")
                .record(ns("dev.example.com", &DEV_NS))
                .record(weighted("blue", 90, "192.0.2.11"))
                .record(weighted("green", 10, "192.0.2.12"))
                .simple("app.dev.example.com", "CNAME", &["gone.dev.example.com"]),
        )
        .with_zone_in(
            DEV,
            ZoneSeed::private("ZDEVPRIV", "dev.example.com", "us-east-1/vpc-1").simple(
                "db.dev.example.com",
                "A",
                &["10.0.0.5"],
            ),
        )
        .with_zone_in(
            PROD,
            ZoneSeed::public("ZSTAGING", "staging.example.com")
                .record(ns("staging.example.com", &["ns-7.awsdns-07.org."])),
        )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn changes(fake: &FakeBackend) -> Vec<String> {
    fake.call_log()
        .into_iter()
        .filter(|c| c.change)
        .map(|c| format!("{} {} {}", c.account, c.operation, c.target))
        .collect()
}

#[tokio::test]
async fn an_upsert_lands_in_the_zones_account_waits_for_insync_and_reads_the_record_back() {
    let fake = org().with_pending_changes(2);
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(
        &ctx,
        &[
            "dns",
            "upsert",
            "www.example.com",
            "A",
            "192.0.2.7",
            "192.0.2.8",
            "--ttl",
            "60",
            "--yes",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert_eq!(
        changes(&fake),
        [format!("{ME} ChangeResourceRecordSets ZROOT")]
    );
    let rows = json(&ran.out);
    assert_eq!(
        rows[0]["values"],
        serde_json::json!(["192.0.2.7", "192.0.2.8"])
    );
    assert_eq!(rows[0]["ttl"], 60);
    assert_eq!(rows[0]["zone_id"], "ZROOT");
    assert!(
        ran.err.contains(
            "UPSERT www.example.com A ttl 60: 192.0.2.7 | 192.0.2.8 (before: ttl 300: 192.0.2.1)"
        ),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("(INSYNC)"), "{}", ran.err);
    let polls = fake.calls().iter().filter(|c| *c == "GetChange").count();
    assert_eq!(polls, 3, "two PENDING answers, then INSYNC");
    let lines = audit(&dir.path().join("audit.log"));
    let outcomes: Vec<_> = lines
        .iter()
        .map(|l| (l.account_id.as_str(), l.outcome))
        .collect();
    assert_eq!(outcomes, [(ME, Outcome::Intent), (ME, Outcome::Ok)]);
    assert_eq!(lines[0].operation, "ChangeResourceRecordSets");

    // In another account's zone, keeping the weighted record's routing.
    let ran = run(
        &ctx,
        &[
            "dns",
            "upsert",
            "api.dev.example.com",
            "a",
            "192.0.2.99",
            "--zone",
            "ZDEV",
            "--set-identifier",
            "green",
            "--yes",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let green = fake
        .records("ZDEV")
        .into_iter()
        .find(|r| r.set_identifier.as_deref() == Some("green"))
        .unwrap();
    assert_eq!(green.values, ["192.0.2.99"]);
    assert_eq!((green.routing.weight, green.ttl), (Some(10), Some(60)));
    assert!(changes(&fake).last().unwrap().starts_with(DEV));
}

#[tokio::test]
async fn a_read_only_account_is_refused_with_exit_3_and_nothing_changes() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = context(&fake, dir.path());
    ctx.config.organization.accounts.push(AccountConfig {
        id: DEV.into(),
        name: "dev".into(),
        read_only: true,
    });
    let ran = run(
        &ctx,
        &[
            "dns",
            "delete",
            "app.dev.example.com",
            "CNAME",
            "--zone",
            "ZDEV",
            "--yes",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::REFUSED);
    assert!(
        ran.err
            .contains("account 222222222222 is configured as read-only"),
        "{}",
        ran.err
    );
    assert!(changes(&fake).is_empty());
    // The management account is not read-only.
    let ran = run(
        &ctx,
        &[
            "dns",
            "upsert",
            "new.example.com",
            "TXT",
            "hello world",
            "--yes",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    let txt = fake
        .records("ZROOT")
        .into_iter()
        .find(|r| r.name == "new.example.com")
        .unwrap();
    assert_eq!(txt.values, ["\"hello world\""]);
}

#[tokio::test]
async fn bad_input_is_a_usage_error_and_nothing_is_sent() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let cases: [(&[&str], &str); 7] = [
        (
            &[
                "dns",
                "upsert",
                "www.example.com",
                "A",
                "192.0.2.300",
                "--yes",
            ],
            "not an IPv4 address",
        ),
        (
            &[
                "dns",
                "upsert",
                "example.com",
                "CNAME",
                "lb.example.org",
                "--yes",
            ],
            "CNAME cannot be at the zone apex",
        ),
        (
            &[
                "dns",
                "upsert",
                "www.nowhere.org",
                "A",
                "192.0.2.1",
                "--yes",
            ],
            "no zone of the organisation holds www.nowhere.org",
        ),
        (
            &[
                "dns",
                "upsert",
                "x.example.com",
                "A",
                "192.0.2.1",
                "--zone",
                "ZNOPE",
                "--yes",
            ],
            "no zone `ZNOPE`",
        ),
        (
            &["dns", "delete", "nope.example.com", "A", "--yes"],
            "no A record nope.example.com",
        ),
        (
            &[
                "dns",
                "upsert",
                "db.dev.example.com",
                "A",
                "10.0.0.6",
                "--yes",
            ],
            "choose one with --zone ID",
        ),
        (
            &[
                "dns",
                "upsert",
                "example.com",
                "NS",
                "ns-1.example.net",
                "--yes",
            ],
            "--force",
        ),
    ];
    for (args, why) in cases {
        fake.clear_calls();
        let ran = run(&ctx, args).await;
        assert_eq!(ran.code(), exit::USAGE, "{args:?}: {}", ran.err);
        assert!(ran.err.contains(why), "{args:?}: {}", ran.err);
        assert!(ran.err.contains("nothing was changed"), "{}", ran.err);
        assert!(changes(&fake).is_empty(), "{args:?}");
    }
    // An invalid value is refused before any call at all.
    fake.clear_calls();
    run(
        &ctx,
        &["dns", "upsert", "www.example.com", "MX", "mail.example.com"],
    )
    .await;
    assert!(fake.calls().is_empty(), "{:?}", fake.calls());
}

#[tokio::test]
async fn a_delete_needs_the_name_typed_and_a_dry_run_changes_nothing() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let args = [
        "dns",
        "delete",
        "app.dev.example.com",
        "CNAME",
        "--zone",
        "ZDEV",
    ];
    let ran = run_with(&ctx, &args, "y\n", true).await;
    assert_eq!(ran.code(), exit::REFUSED);
    assert!(
        ran.err.contains("Type app.dev.example.com to confirm:"),
        "{}",
        ran.err
    );
    let dry = run(
        &ctx,
        &[
            "dns",
            "delete",
            "app.dev.example.com",
            "CNAME",
            "--zone",
            "ZDEV",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(dry.code(), exit::SUCCESS);
    assert!(
        dry.out
            .contains("DELETE app.dev.example.com CNAME ttl 300: gone.dev.example.com"),
        "{}",
        dry.out
    );
    assert!(changes(&fake).is_empty());
    let ran = run_with(&ctx, &args, "app.dev.example.com\n", true).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(
        fake.records("ZDEV")
            .iter()
            .all(|r| r.name != "app.dev.example.com")
    );
    assert_eq!(
        changes(&fake),
        [format!("{DEV} ChangeResourceRecordSets ZDEV")]
    );
}

#[tokio::test]
async fn a_throttled_getchange_is_outlasted_and_a_denied_change_is_reported() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    fake.fail_next("GetChange", throttled("Route53 GetChange"));
    let ran = run(
        &ctx,
        &[
            "dns",
            "upsert",
            "www.example.com",
            "A",
            "192.0.2.9",
            "--yes",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(ran.out.contains("192.0.2.9"), "{}", ran.out);
    fake.fail_next_in(
        DEV,
        "ChangeResourceRecordSets",
        denied("Route53 ChangeResourceRecordSets"),
    );
    let ran = run(
        &ctx,
        &[
            "dns",
            "upsert",
            "x.dev.example.com",
            "A",
            "192.0.2.1",
            "--zone",
            "ZDEV",
            "--yes",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::ERROR);
    assert!(ran.err.contains("not authorized"), "{}", ran.err);
    assert!(
        fake.records("ZDEV")
            .iter()
            .all(|r| r.name != "x.dev.example.com")
    );
}

#[tokio::test]
async fn fix_delegation_mends_missing_and_dangling_delegations_and_checks_again() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(
        &ctx,
        &[
            "dns",
            "fix-delegation",
            "staging.example.com",
            "--yes",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert_eq!(json(&ran.out)[0]["status"], "ok");
    let delegation = fake
        .records("ZROOT")
        .into_iter()
        .find(|r| r.name == "staging.example.com")
        .unwrap();
    assert_eq!(delegation.values, ["ns-7.awsdns-07.org."]);
    assert_eq!(delegation.ttl, Some(3600), "the parent's usual TTL");
    assert_eq!(
        changes(&fake),
        [format!("{ME} ChangeResourceRecordSets ZROOT")]
    );

    // Dangling: deleted only with the name typed.
    let ran = run(&ctx, &["dns", "fix-delegation", "old.example.com"]).await;
    assert_eq!(ran.code(), exit::REFUSED);
    let ran = run(&ctx, &["dns", "fix-delegation", "old.example.com", "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(
        ran.err
            .contains("old.example.com: no longer delegated (ok)"),
        "{}",
        ran.err
    );
    assert!(
        fake.records("ZROOT")
            .iter()
            .all(|r| r.name != "old.example.com")
    );

    let ran = run(&ctx, &["dns", "fix-delegation", "dev.example.com", "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS);
    assert!(ran.err.contains("nothing to do"), "{}", ran.err);
    let ran = run(
        &ctx,
        &["dns", "fix-delegation", "nope.example.com", "--yes"],
    )
    .await;
    assert_eq!(ran.code(), exit::USAGE);
}

#[tokio::test]
async fn the_audit_exits_5_with_findings_and_4_when_an_account_is_unreadable() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(&ctx, &["dns", "audit", "-o", "json"]).await;
    assert_eq!(ran.code(), exit::PROBLEMS);
    let found: Vec<(String, String)> = json(&ran.out)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().into(),
                f["name"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expect = |k: &str, n: &str| (k.to_owned(), n.to_owned());
    assert_eq!(
        found,
        [
            expect("dangling_delegation", "old.example.com"),
            expect("dangling_cname", "app.dev.example.com"),
            expect("orphan_zone", "staging.example.com"),
        ]
    );

    let clean = FakeBackend::new(ME).with_account(DEV, "dev").with_zone(
        ZoneSeed::public("Z1", "example.org").simple("www.example.org", "A", &["192.0.2.1"]),
    );
    let ran = run(&context(&clean, dir.path()), &["dns", "audit"]).await;
    assert_eq!(ran.code(), exit::SUCCESS);
    let partial = clean.with_denied_account(DEV);
    let ran = run(&context(&partial, dir.path()), &["dns", "audit"]).await;
    assert_eq!(ran.code(), exit::PARTIAL);
}

#[tokio::test]
async fn a_name_in_a_public_and_a_private_zone_is_asked_about_on_a_terminal() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let args = ["dns", "upsert", "db.dev.example.com", "A", "10.0.0.6"];
    // 2: the private zone; then `y` confirms the plan.
    let ran = run_with(&ctx, &args, "2\ny\n", true).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(
        ran.err.contains("db.dev.example.com is in 2 zones:"),
        "{}",
        ran.err
    );
    assert!(
        ran.err
            .contains("2. dev.example.com (ZDEVPRIV, private, account dev 222222222222)"),
        "{}",
        ran.err
    );
    let db = fake
        .records("ZDEVPRIV")
        .into_iter()
        .find(|r| r.name == "db.dev.example.com")
        .unwrap();
    assert_eq!(db.values, ["10.0.0.6"]);
    let ran = run_with(&ctx, &args, "7\n", true).await;
    assert_eq!(ran.code(), exit::USAGE);
    assert!(
        ran.err.contains("chooses none of the 2 zones"),
        "{}",
        ran.err
    );
}
