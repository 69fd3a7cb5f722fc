use super::*;
use crate::domain::dns::delegation::tests::{a, ns};

fn zone(id: &str, name: &str, private: bool, account: &str) -> ZoneTarget {
    ZoneTarget {
        account_id: account.into(),
        account_name: format!("acct-{account}"),
        zone: HostedZone {
            id: id.into(),
            name: name.into(),
            private,
            record_count: 0,
            comment: String::new(),
        },
    }
}

fn spec(name: &str, kind: &str, values: &[&str]) -> RecordSpec {
    RecordSpec {
        name: name.into(),
        kind: kind.into(),
        ttl: None,
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        alias: None,
        set_identifier: None,
    }
}

fn invalid(r: Result<Plan<DnsChange>, NoPlan>) -> String {
    match r {
        Err(NoPlan::Invalid(why)) => why,
        other => panic!("expected an invalid change, got {other:?}"),
    }
}

#[test]
fn the_deepest_zone_holds_the_name_and_ties_must_be_chosen() {
    let zones = vec![
        zone("Z1", "example.com", false, "1"),
        zone("Z2", "dev.example.com", false, "2"),
        zone("Z3", "dev.example.com", true, "2"),
    ];
    assert_eq!(
        choose_zone(&zones, "www.example.com", None)
            .unwrap()
            .zone
            .id,
        "Z1"
    );
    let e = choose_zone(&zones, "api.dev.example.com", None).unwrap_err();
    assert!(e.contains("is in 2 zones"), "{e}");
    assert!(e.contains("Z2, public") && e.contains("Z3, private"), "{e}");
    assert!(e.contains("--zone ID"), "{e}");
    let chosen = choose_zone(&zones, "api.dev.example.com", Some("Z3")).unwrap();
    assert!(chosen.zone.private);
    let e = choose_zone(&zones, "api.dev.example.com", Some("dev.example.com")).unwrap_err();
    assert!(e.contains("choose one with --zone ID"), "{e}");
    let e = choose_zone(&zones, "www.other.org", None).unwrap_err();
    assert!(
        e.contains("no zone of the organisation holds www.other.org"),
        "{e}"
    );
    let e = choose_zone(&zones, "www.other.org", Some("Z1")).unwrap_err();
    assert!(e.contains("not in zone example.com"), "{e}");
    let e = choose_zone(&zones, "www.example.com", Some("Z9")).unwrap_err();
    assert!(e.contains("no zone `Z9`"), "{e}");
}

#[test]
fn an_upsert_is_the_exact_batch_with_before_and_after_and_keeps_the_routing() {
    let target = zone("Z1", "example.com", false, "111111111111");
    let mut weighted = a("api.example.com", "192.0.2.9");
    weighted.set_identifier = Some("blue".into());
    weighted.routing = Routing {
        policy: "weighted".into(),
        weight: Some(90),
        health_check_id: Some("hc-1".into()),
        ..Routing::default()
    };
    let mut green = weighted.clone();
    green.set_identifier = Some("green".into());
    let existing = vec![weighted.clone(), green];
    let mut s = spec("api.example.com", "A", &["192.0.2.1"]);
    let e = invalid(plan_upsert(&target, &s, &existing, false, "us-east-1"));
    assert!(e.contains("a set of 2 record sets (blue, green)"), "{e}");
    s.set_identifier = Some("blue".into());
    s.ttl = Some(60);
    let plan = plan_upsert(&target, &s, &existing, false, "us-east-1").unwrap();
    assert_eq!(plan.account_id, "111111111111");
    assert_eq!(plan.title, "Change api.example.com A in zone example.com");
    assert_eq!(plan.danger, Danger::Normal);
    let [step] = plan.steps.as_slice() else {
        panic!("one batch")
    };
    let change = &step.action.changes[0];
    assert_eq!(change.action, ChangeAction::Upsert);
    assert_eq!(change.record.routing, weighted.routing, "routing kept");
    assert_eq!(change.record.set_identifier.as_deref(), Some("blue"));
    assert_eq!(change.record.values, ["192.0.2.1"]);
    assert_eq!(change.before.as_ref(), Some(&weighted));
    assert_eq!(
        step.summary,
        "UPSERT api.example.com A ttl 60: 192.0.2.1 [weighted weight=90 health=hc-1 id=blue] \
         (before: ttl 300: 192.0.2.9 [weighted weight=90 health=hc-1 id=blue])"
    );
    assert_eq!(step.target, "example.com (Z1)");

    // The TTL stays when none is given; the same values again is nothing to do.
    let plain = vec![a("www.example.com", "192.0.2.5")];
    let same = spec("www.example.com", "A", &["192.0.2.5"]);
    assert!(matches!(
        plan_upsert(&target, &same, &plain, false, "r"),
        Err(NoPlan::NothingToDo(_))
    ));
    let new = plan_upsert(
        &target,
        &spec("new.example.com", "A", &["192.0.2.7"]),
        &[],
        false,
        "r",
    )
    .unwrap();
    let change = &new.steps[0].action.changes[0];
    assert_eq!(change.record.ttl, Some(DEFAULT_TTL));
    assert_eq!(change.record.routing.policy, "simple");
    assert!(
        new.steps[0].summary.ends_with("(new)"),
        "{}",
        new.steps[0].summary
    );
}

#[test]
fn bad_upserts_are_refused_before_anything_is_sent() {
    let target = zone("Z1", "example.com", false, "1");
    let e = invalid(plan_upsert(
        &target,
        &spec("example.com", "CNAME", &["x.org"]),
        &[],
        false,
        "r",
    ));
    assert!(e.contains("CNAME cannot be at the zone apex"), "{e}");
    let existing = vec![a("www.example.com", "192.0.2.1")];
    let e = invalid(plan_upsert(
        &target,
        &spec("www.example.com", "CNAME", &["lb.example.org"]),
        &existing,
        false,
        "r",
    ));
    assert!(e.contains("cannot be beside other types"), "{e}");
    let mut cname = a("app.example.com", "lb.example.org");
    cname.kind = "CNAME".into();
    let e = invalid(plan_upsert(
        &target,
        &spec("app.example.com", "TXT", &["hello"]),
        &[cname],
        false,
        "r",
    ));
    assert!(e.contains("is a CNAME"), "{e}");
    let e = invalid(plan_upsert(
        &target,
        &spec("www.example.com", "A", &["300.1.1.1"]),
        &[],
        false,
        "r",
    ));
    assert!(e.contains("not an IPv4 address"), "{e}");
    let e = invalid(plan_upsert(
        &target,
        &spec("www.other.com", "A", &["192.0.2.1"]),
        &[],
        false,
        "r",
    ));
    assert!(e.contains("not in zone example.com"), "{e}");
    let apex_ns = spec("example.com", "NS", &["ns-1.awsdns-01.org"]);
    let e = invalid(plan_upsert(&target, &apex_ns, &[], false, "r"));
    assert!(e.contains("--force"), "{e}");
    assert!(plan_upsert(&target, &apex_ns, &[], true, "r").is_ok());
    let mut bad_ttl = spec("www.example.com", "A", &["192.0.2.1"]);
    bad_ttl.ttl = Some(-1);
    assert!(invalid(plan_upsert(&target, &bad_ttl, &[], false, "r")).contains("TTL -1"));
    let mut alias = spec("example.com", "A", &[]);
    alias.alias = Some(AliasTarget {
        dns_name: "lb.example.org".into(),
        hosted_zone_id: "Z2".into(),
        evaluate_target_health: false,
    });
    let plan = plan_upsert(&target, &alias, &[], false, "r").unwrap();
    assert_eq!(plan.steps[0].action.changes[0].record.ttl, None);
    alias.values = vec!["192.0.2.1".into()];
    assert!(invalid(plan_upsert(&target, &alias, &[], false, "r")).contains("no values"));
}

#[test]
fn a_delete_sends_the_record_as_it_is_and_must_be_typed() {
    let target = zone("Z1", "example.com", false, "1");
    let www = a("www.example.com", "192.0.2.1");
    let plan = plan_delete(
        &target,
        "www.example.com",
        "A",
        None,
        std::slice::from_ref(&www),
        false,
        "r",
    )
    .unwrap();
    assert_eq!(
        plan.danger,
        Danger::Destructive {
            confirm_text: "www.example.com".into()
        }
    );
    let change = &plan.steps[0].action.changes[0];
    assert_eq!(
        (change.action, &change.record),
        (ChangeAction::Delete, &www)
    );
    assert_eq!(
        plan.steps[0].summary,
        "DELETE www.example.com A ttl 300: 192.0.2.1"
    );
    let e = invalid(plan_delete(
        &target,
        "nope.example.com",
        "A",
        None,
        &[www],
        false,
        "r",
    ));
    assert!(e.contains("no A record nope.example.com"), "{e}");
    let apex = ns("example.com", &["ns-1.awsdns-01.org"]);
    let e = invalid(plan_delete(
        &target,
        "example.com",
        "NS",
        None,
        &[apex],
        false,
        "r",
    ));
    assert!(e.contains("--force"), "{e}");
}

#[test]
fn batches_are_split_at_route53_limits() {
    let change = |i: usize, values: usize, action: ChangeAction| RecordChange {
        action,
        record: RecordSet {
            values: (0..values)
                .map(|v| format!("192.0.{}.{}", v / 250, v % 250))
                .collect(),
            ..a(&format!("h{i}.example.com"), "x")
        },
        before: None,
    };
    // 1,000 values a batch: 600 CREATEs of one value fit in one batch, 600 UPSERTs in two.
    let creates: Vec<_> = (0..600)
        .map(|i| change(i, 1, ChangeAction::Create))
        .collect();
    assert_eq!(split_batches(creates).unwrap().len(), 1);
    let upserts: Vec<_> = (0..600)
        .map(|i| change(i, 1, ChangeAction::Upsert))
        .collect();
    let batches = split_batches(upserts).unwrap();
    assert_eq!(batches.iter().map(Vec::len).collect::<Vec<_>>(), [500, 100]);
    // 32,000 characters: 100 TXT values of 400 characters is two batches.
    let txt: Vec<_> = (0..100)
        .map(|i| RecordChange {
            action: ChangeAction::Create,
            record: RecordSet {
                kind: "TXT".into(),
                values: vec!["t".repeat(400)],
                ..a(&format!("t{i}.example.com"), "x")
            },
            before: None,
        })
        .collect();
    let batches = split_batches(txt.clone()).unwrap();
    assert_eq!(batches.iter().map(Vec::len).collect::<Vec<_>>(), [80, 20]);
    let plan = batch_plan(
        "Bulk".into(),
        &zone("Z1", "example.com", false, "1"),
        txt,
        Danger::Normal,
        "r",
    )
    .unwrap();
    assert_eq!(plan.steps.len(), 2);
    assert!(
        plan.steps[1]
            .summary
            .starts_with("batch 2/2, 20 changes: CREATE t80")
    );
    let too_big = change(0, 600, ChangeAction::Upsert);
    let e = split_batches(vec![too_big]).unwrap_err();
    assert!(e.contains("alone exceeds"), "{e}");
}
