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

    /// A backend whose caller identity and account listing each take a second (paused time).
    struct Slow(FakeBackend);

    #[async_trait::async_trait]
    impl crate::services::Identity for Slow {
        async fn caller_identity(
            &self,
        ) -> Result<crate::domain::account::CallerIdentity, crate::services::ServiceError> {
            tokio::time::sleep(Duration::from_secs(1)).await;
            self.0.caller_identity().await
        }
    }

    #[async_trait::async_trait]
    impl crate::services::Organization for Slow {
        async fn list_accounts(
            &self,
        ) -> Result<Vec<crate::domain::account::Account>, crate::services::ServiceError> {
            tokio::time::sleep(Duration::from_secs(1)).await;
            self.0.list_accounts().await
        }

        async fn check_access(
            &self,
            account_id: &str,
        ) -> Result<crate::domain::account::Access, crate::services::ServiceError> {
            self.0.check_access(account_id).await
        }
    }

    #[async_trait::async_trait]
    impl crate::services::Dns for Slow {
        async fn hosted_zones(
            &self,
            account_id: &str,
        ) -> Result<Vec<crate::domain::dns::HostedZone>, crate::services::ServiceError> {
            self.0.hosted_zones(account_id).await
        }

        async fn zone_details(
            &self,
            account_id: &str,
            pace: &crate::services::Pace,
        ) -> Result<Vec<crate::domain::dns::ZoneDetail>, crate::services::ServiceError> {
            self.0.zone_details(account_id, pace).await
        }

        async fn record_sets(
            &self,
            account_id: &str,
            zone_id: &str,
            pace: &crate::services::Pace,
            on_page: &mut (dyn FnMut(Vec<crate::domain::dns::RecordSet>) + Send),
        ) -> Result<(), crate::services::ServiceError> {
            self.0.record_sets(account_id, zone_id, pace, on_page).await
        }

        async fn records_named(
            &self,
            account_id: &str,
            zone_id: &str,
            name: &str,
        ) -> Result<Vec<crate::domain::dns::RecordSet>, crate::services::ServiceError> {
            self.0.records_named(account_id, zone_id, name).await
        }

        async fn change_record_sets(
            &self,
            _: &str,
            _: &str,
            _: &[crate::domain::dns::RecordChange],
        ) -> Result<String, crate::services::ServiceError> {
            unreachable!("reads only")
        }

        async fn change_in_sync(
            &self,
            _: &str,
            _: &str,
        ) -> Result<bool, crate::services::ServiceError> {
            unreachable!("reads only")
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_callers_identity_is_asked_beside_the_account_listing() {
        let slow = Slow(org().with_account("111111111111", "management"));
        let cli = Cli::try_parse_from(["opsdeck", "dns", "records", "-o", "json"]).unwrap();
        let Some(crate::cli::Command::Dns(command)) = cli.command else {
            panic!("not a dns command");
        };
        let directory = AccountDirectory {
            discover: true,
            configured: Vec::new(),
        };
        let plan = InventoryPlan {
            concurrency: 8,
            route53_rps: 0,
            throttle_patience: Duration::ZERO,
        };
        let started = tokio::time::Instant::now();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = super::run(&slow, &directory, &plan, &command, &mut out, &mut err).await;
        assert_eq!(code.unwrap(), 0, "{}", String::from_utf8_lossy(&err));
        assert!(String::from_utf8(out).unwrap().contains("h6.example.com"));
        // One second for both, not one after the other.
        assert_eq!(started.elapsed(), Duration::from_secs(1));
    }
}
