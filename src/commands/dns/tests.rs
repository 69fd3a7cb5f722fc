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

    fn org() -> FakeBackend {
        let mut zone = ZoneSeed::public("Z1", "example.com");
        for i in 0..7 {
            zone = zone.simple(&format!("h{i}.example.com"), "A", &["192.0.2.1"]);
        }
        FakeBackend::new("111111111111")
            .with_zone(zone)
            .with_zone(ZoneSeed::public("Z2", "b.com").simple("x.b.com", "TXT", &["\"hi\""]))
            .with_record_page_size(2)
    }

    #[tokio::test]
    async fn records_as_json_and_csv_are_streamed_with_the_rows_of_the_whole_listing() {
        let fake = org();
        for filter in [
            &[][..],
            &["--type", "a"],
            &["--zone", "b.com"],
            &["--name", "h3"],
        ] {
            let args = |format: &'static str| {
                let mut args = vec!["records", "-o", format];
                args.extend_from_slice(filter);
                args
            };
            let (code, table) = dns(&fake, &args("table")).await;
            assert_eq!(code.unwrap(), 0);
            let (code, json) = dns(&fake, &args("json")).await;
            assert_eq!(code.unwrap(), 0);
            let (code, csv) = dns(&fake, &args("csv")).await;
            assert_eq!(code.unwrap(), 0);
            let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
            let mut names: Vec<String> = rows
                .iter()
                .map(|r| r["name"].as_str().unwrap().to_owned())
                .collect();
            names.sort();
            let mut in_csv: Vec<String> = csv::Reader::from_reader(csv.as_bytes())
                .records()
                .map(|r| r.unwrap()[2].to_owned())
                .collect();
            in_csv.sort();
            assert_eq!(names, in_csv, "{filter:?}");
            assert_eq!(table.lines().count(), rows.len() + 1, "{filter:?}: {table}");
            assert!(!rows.is_empty(), "{filter:?}");
            assert_eq!(csv.lines().count(), rows.len() + 1, "{filter:?}: {csv}");
            assert!(csv.starts_with("ACCOUNT"), "{csv}");
        }
        // Nothing matched: still a valid (empty) array, and the CSV header.
        let (code, json) = dns(&fake, &["records", "-o", "json", "--name", "nothing"]).await;
        assert_eq!((code.unwrap(), json.as_str()), (0, "[]\n"));
        let (_, csv) = dns(&fake, &["records", "-o", "csv", "--name", "nothing"]).await;
        assert_eq!(csv.lines().count(), 1);
    }

    /// Fails every write, as a pipe whose reader has gone.
    struct Closed;

    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_closed_output_ends_a_streamed_listing_with_its_error() {
        let fake = org();
        let cli = Cli::try_parse_from(["opsdeck", "dns", "records", "-o", "json"]).unwrap();
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
        let e = super::run(
            &fake,
            &directory,
            &plan,
            &command,
            &mut Closed,
            &mut Vec::new(),
        )
        .await
        .unwrap_err();
        let io = e.downcast_ref::<std::io::Error>().unwrap();
        assert_eq!(io.kind(), std::io::ErrorKind::BrokenPipe);
    }
}
