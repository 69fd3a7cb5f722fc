use super::*;
use crate::domain::dns::delegation::tests::{DEV_NS, PROD_NS, ROOT_NS, a, ns, org, planted};
use crate::domain::dns::{AliasTarget, RecordSet};

fn cname(name: &str, target: &str) -> RecordSet {
    RecordSet {
        kind: "CNAME".into(),
        values: vec![target.into()],
        ..a(name, "x")
    }
}

fn kinds(found: &[Finding]) -> Vec<(&str, &str, &str)> {
    found
        .iter()
        .map(|f| (f.kind, f.name.as_str(), f.account_id.as_str()))
        .collect()
}

#[test]
fn the_planted_delegations_are_findings_and_ok_or_external_ones_are_not() {
    let found = audit(&planted());
    assert_eq!(
        kinds(&found),
        [
            ("dangling_delegation", "old.example.com", "111111111111"),
            (
                "mismatched_delegation",
                "staging.example.com",
                "111111111111"
            ),
            ("orphan_zone", "sandbox.example.com", "222222222222"),
        ]
    );
    assert_eq!(found[0].severity, "high");
    assert_eq!(found[0].zone, "example.com");
    assert_eq!(found[0].record_type, "NS");
    assert_eq!(found[0].target, "ns-1.awsdns-01.org");
    assert_eq!(found[2].target, "example.com");
    let keys = serde_json::to_value(&found[0]).unwrap();
    let keys: Vec<&str> = keys
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "kind",
            "severity",
            "account_id",
            "account_name",
            "zone",
            "name",
            "type",
            "target",
            "detail"
        ]
    );
}

#[test]
fn cnames_mx_and_aliases_into_names_nobody_holds_are_dangling() {
    let alias = |name: &str, zone_id: &str, target: &str| RecordSet {
        ttl: None,
        values: vec![],
        alias: Some(AliasTarget {
            dns_name: target.into(),
            hosted_zone_id: zone_id.into(),
            evaluate_target_health: false,
        }),
        ..a(name, "x")
    };
    let mx = RecordSet {
        kind: "MX".into(),
        values: vec!["10 mx.dev.example.com.".into()],
        ..a("example.com", "x")
    };
    let inv = org(vec![
        (
            "1",
            vec![(
                "example.com",
                false,
                vec![
                    ns("example.com", &ROOT_NS),
                    ns("dev.example.com", &DEV_NS),
                    ns("partner.example.com", &["ns1.partner-dns.net."]),
                    a("www.example.com", "192.0.2.1"),
                    cname("ok.example.com", "www.example.com."),
                    cname("gone.example.com", "old-app.example.com"),
                    cname("cross.example.com", "api.dev.example.com"),
                    cname("wild.example.com", "x.dev.example.com"),
                    cname("away.example.com", "a.partner.example.com"),
                    cname("outside.example.com", "shop.example.net"),
                    mx,
                    alias("apex-alias.example.com", "Zexamplecom", "www.example.com"),
                    alias(
                        "bad-alias.example.com",
                        "Zdevexamplecom",
                        "nothing.dev.example.com",
                    ),
                    alias("cdn.example.com", "Z2FDTNDATAQYW2", "d111.cloudfront.net"),
                ],
            )],
        ),
        (
            "2",
            vec![(
                "dev.example.com",
                false,
                vec![
                    ns("dev.example.com", &DEV_NS),
                    a("api.dev.example.com", "192.0.2.2"),
                ],
            )],
        ),
    ]);
    let found = audit(&inv);
    let got: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| (f.kind, f.name.as_str(), f.target.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "dangling_alias",
                "bad-alias.example.com",
                "nothing.dev.example.com (Zdevexamplecom)"
            ),
            ("dangling_cname", "gone.example.com", "old-app.example.com"),
            ("dangling_cname", "wild.example.com", "x.dev.example.com"),
            ("dangling_mx", "example.com", "mx.dev.example.com"),
        ]
    );
    assert!(
        found[1].detail.contains("zone example.com (Zexamplecom)"),
        "{}",
        found[1].detail
    );

    // A wildcard answers; an incomplete zone is not judged.
    let mut inv = inv;
    inv.accounts[1].zones[0]
        .records
        .push(vec![a("*.dev.example.com", "192.0.2.3")]);
    let found = audit(&inv);
    assert!(
        found
            .iter()
            .all(|f| f.name != "wild.example.com" && f.kind != "dangling_mx")
    );
    inv.accounts[0].zones[0].error = Some("throttled".into());
    assert!(audit(&inv).iter().all(|f| f.name != "gone.example.com"));
}

#[test]
fn zones_of_the_same_name_say_which_one_is_delegated_to() {
    let inv = org(vec![
        (
            "1",
            vec![(
                "example.com",
                false,
                vec![ns("example.com", &ROOT_NS), ns("shop.example.com", &DEV_NS)],
            )],
        ),
        (
            "2",
            vec![(
                "shop.example.com",
                false,
                vec![ns("shop.example.com", &DEV_NS)],
            )],
        ),
        (
            "3",
            vec![(
                "shop.example.com",
                false,
                vec![ns("shop.example.com", &PROD_NS)],
            )],
        ),
        (
            "4",
            vec![
                ("solo.org", false, vec![]),
                ("shop.example.com", true, vec![]),
            ],
        ),
        ("5", vec![("solo.org", false, vec![])]),
    ]);
    let found = audit(&inv);
    assert_eq!(
        kinds(&found),
        [
            ("duplicate_zone", "shop.example.com", "3"),
            ("duplicate_zone", "solo.org", "4"),
            ("duplicate_zone", "solo.org", "5"),
        ]
    );
    assert!(
        found[0]
            .detail
            .contains("delegates to Zshopexamplecom in account acct-2 (2)"),
        "{}",
        found[0].detail
    );
    assert!(found[0].detail.contains("this one answers nothing"));
    assert!(
        found[1]
            .detail
            .contains("only the one the registrar delegates to answers")
    );
}

/// Prints the time (`--nocapture`): about 0.13 s in a debug build.
#[test]
fn audit_of_a_large_zone_finds_the_one_dangling_cname() {
    let mut records = vec![ns("example.com", &ROOT_NS)];
    for i in 0..20_000 {
        records.push(a(&format!("host-{i}.example.com"), "192.0.2.1"));
        records.push(cname(
            &format!("alias-{i}.example.com"),
            &format!("host-{}.example.com", i + 1),
        ));
    }
    let inv = org(vec![("1", vec![("example.com", false, records)])]);
    let started = std::time::Instant::now();
    let found = audit(&inv);
    eprintln!(
        "40,001 records, 20,000 CNAMEs: {:?}, {} findings",
        started.elapsed(),
        found.len()
    );
    assert_eq!(found.len(), 1, "alias-19999 points at host-20000");
}
