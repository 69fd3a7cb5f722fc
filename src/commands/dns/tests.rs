//! Tests of the `dns` commands' logic (their rows are tested in `rows::dns`).

use super::*;
use crate::domain::account::Account;

fn account(id: &str, name: &str) -> Account {
    Account {
        id: id.into(),
        name: name.into(),
        email: String::new(),
        status: "ACTIVE".into(),
        read_only: false,
    }
}

#[test]
fn accounts_are_restricted_by_id_or_name() {
    let all = vec![
        account("111111111111", "dev"),
        account("222222222222", "Prod"),
    ];
    let kept = restrict(all.clone(), &["prod".into(), "111111111111".into()]).unwrap();
    assert_eq!(kept.len(), 2);
    let kept = restrict(all.clone(), &["dev".into()]).unwrap();
    assert_eq!(kept[0].id, "111111111111");
    let err = restrict(all, &["qa".into()]).unwrap_err().to_string();
    assert!(
        err.contains("no account `qa`") && err.contains("dev (111111111111)"),
        "{err}"
    );
}

mod zones {
    use std::time::Duration;

    use crate::cli::Cli;
    use crate::services::fake::{FakeBackend, ZoneSeed};
    use crate::services::{AccountDirectory, InventoryPlan};
    use clap::Parser;

    async fn dns(fake: &FakeBackend, args: &[&str]) -> (anyhow::Result<i32>, String) {
        let cli = Cli::try_parse_from(["opsdeck", "dns"].iter().chain(args)).unwrap();
        let Some(crate::cli::Command::Dns(command)) = cli.command else {
            panic!("not a dns command");
        };
        let directory = AccountDirectory {
            discover: false,
            configured: Vec::new(),
        };
        let plan = InventoryPlan {
            concurrency: 1,
            route53_rps: 0,
            throttle_patience: Duration::ZERO,
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = super::run(fake, &directory, &plan, &command, &mut out, &mut err).await;
        (code, String::from_utf8(out).unwrap())
    }

    #[tokio::test]
    async fn a_zone_that_matches_nothing_is_an_error_naming_the_zones() {
        let fake = FakeBackend::new("111111111111")
            .with_zone(ZoneSeed::public("Z1", "example.com").simple(
                "example.com",
                "A",
                &["192.0.2.1"],
            ))
            .with_zone(ZoneSeed::public("Z2", "b.com"));
        let (result, out) = dns(&fake, &["records", "--zone", "nosuch.com"]).await;
        let e = result.unwrap_err().to_string();
        assert_eq!(
            e,
            "no zone `nosuch.com` in the accounts read; give a zone name or id: known zones: b.com (Z2), example.com (Z1)"
        );
        assert!(out.is_empty(), "{out}");
        // By name (with or without the dot) or by id, the zone is found.
        for zone in ["example.com.", "Z1"] {
            let (result, out) = dns(&fake, &["records", "--zone", zone, "-o", "csv"]).await;
            assert_eq!(result.unwrap(), 0);
            assert!(out.contains("192.0.2.1"), "{out}");
        }
    }
}
