//! Route53, read in one account at a time, and the organisation-wide inventory built from it:
//! every account in flight at once (bounded only by `concurrency.accounts`, for sockets and
//! memory), each account paced on its own below its Route53 quota with its zones read side by side
//! within that pace, results reported as events while pages arrive.

use std::num::NonZeroU32;
use std::time::Duration;

use tokio::time::Instant;

use async_trait::async_trait;
use futures::StreamExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::mpsc::UnboundedSender;

use super::{ErrorKind, ServiceError};
use crate::domain::account::Account;
use crate::domain::dns::{
    AccountStatus, HostedZone, InventoryEvent, RecordChange, RecordSet, ZoneDetail,
};

mod listed;

pub use listed::{collect_listed, load_listed_inventory};

/// Paces one account's Route53 calls (the quota is per account: 5 requests per second on the
/// classic limit), and outlasts throttling: see [`Pace::call`].
pub struct Pace {
    limiter: Option<DefaultDirectRateLimiter>,
    /// How long one call may keep backing off while AWS throttles it.
    patience: Duration,
}

/// The first wait after a call the SDK gave up on as throttled; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

impl Pace {
    /// At most `rps` calls per second, with a burst of half of that (rounded up); no patience
    /// with throttling. The quota's own bucket holds a whole second's calls: keeping half of it
    /// spare absorbs the jitter between when a call leaves and when AWS counts it (calls bunched
    /// on the way would otherwise be throttled), at the cost of a few tenths of a second per
    /// account.
    pub fn per_second(rps: u32) -> Pace {
        let limiter = NonZeroU32::new(rps).map(|n| {
            let burst = NonZeroU32::new(n.get().div_ceil(2)).unwrap_or(NonZeroU32::MIN);
            RateLimiter::direct(Quota::per_second(n).allow_burst(burst))
        });
        Pace {
            limiter,
            patience: Duration::ZERO,
        }
    }

    pub fn unpaced() -> Pace {
        Pace {
            limiter: None,
            patience: Duration::ZERO,
        }
    }

    /// Keep retrying a throttled call for up to `patience` (waits included).
    pub fn with_patience(mut self, patience: Duration) -> Pace {
        self.patience = patience;
        self
    }

    /// Wait for the next call's turn.
    pub async fn wait(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
    }

    /// Make one call in its turn. When it still fails as throttled after the SDK's own retries
    /// (three attempts within a few seconds), the account is busy for longer (other tools, a
    /// burst of changes): wait 1 s, 2 s, 4 s, then 8 s at a time, and call again, until the
    /// patience is spent. So a throttled account completes late instead of not at all, and the
    /// calls stay few: one every few seconds, never a storm.
    pub async fn call<T, F, Fut>(&self, mut call: F) -> Result<T, ServiceError>
    where
        F: FnMut() -> Fut + Send,
        Fut: Future<Output = Result<T, ServiceError>> + Send,
    {
        let started = Instant::now();
        let mut backoff = FIRST_BACKOFF;
        loop {
            self.wait().await;
            match call().await {
                Err(e)
                    if e.kind == ErrorKind::Throttled
                        && started.elapsed() + backoff <= self.patience =>
                {
                    tracing::debug!(
                        "throttled, trying again in {} s: {e}",
                        backoff.as_secs_f32()
                    );
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
                result => return result,
            }
        }
    }
}

/// Route53, read in one account.
#[async_trait]
pub trait Dns: Send + Sync {
    /// The account's hosted zones (unpaced: one or two calls).
    async fn hosted_zones(&self, account_id: &str) -> Result<Vec<HostedZone>, ServiceError>;

    /// The account's hosted zones with the VPCs of the private ones, paced.
    async fn zone_details(
        &self,
        account_id: &str,
        pace: &Pace,
    ) -> Result<Vec<ZoneDetail>, ServiceError>;

    /// Every record set of a zone, page by page: `on_page` gets each page's record sets not seen
    /// before. Stops with an error when the service's cursor does not advance.
    async fn record_sets(
        &self,
        account_id: &str,
        zone_id: &str,
        pace: &Pace,
        on_page: &mut (dyn FnMut(Vec<RecordSet>) + Send),
    ) -> Result<(), ServiceError>;

    /// Every record set named `name` (normalised) in a zone, whatever its type.
    async fn records_named(
        &self,
        account_id: &str,
        zone_id: &str,
        name: &str,
    ) -> Result<Vec<RecordSet>, ServiceError>;

    /// Send one change batch (ChangeResourceRecordSets): Route53 applies it whole or not at all.
    /// Returns the change id, for [`Dns::change_in_sync`].
    async fn change_record_sets(
        &self,
        account_id: &str,
        zone_id: &str,
        changes: &[RecordChange],
    ) -> Result<String, ServiceError>;

    /// Whether a change has reached every Route53 name server (GetChange says `INSYNC`).
    async fn change_in_sync(&self, account_id: &str, change_id: &str)
    -> Result<bool, ServiceError>;
}

/// How long to wait for a change to be `INSYNC` (Route53 says usually within 60 seconds).
#[derive(Debug, Clone, Copy)]
pub struct SyncWait {
    /// Between two GetChange calls.
    pub interval: Duration,
    /// Give up (the change stays made; it only is not confirmed everywhere yet) after this long.
    pub timeout: Duration,
}

impl Default for SyncWait {
    fn default() -> Self {
        SyncWait {
            interval: Duration::from_secs(2),
            timeout: Duration::from_secs(180),
        }
    }
}

/// Wait until every change is `INSYNC`, asking GetChange every `wait.interval` (throttling outlasted
/// by `pace`); `progress` is told the seconds waited so far before each call. `Ok(false)` when the
/// time ran out first.
pub async fn wait_in_sync<D: Dns + ?Sized>(
    backend: &D,
    changes: &[(String, String)],
    wait: SyncWait,
    pace: &Pace,
    mut progress: impl FnMut(u64),
) -> Result<bool, ServiceError> {
    let started = Instant::now();
    for (account, id) in changes {
        loop {
            progress(started.elapsed().as_secs());
            if pace.call(|| backend.change_in_sync(account, id)).await? {
                break;
            }
            if started.elapsed() + wait.interval > wait.timeout {
                return Ok(false);
            }
            tokio::time::sleep(wait.interval).await;
        }
    }
    Ok(true)
}

/// How an inventory load runs.
#[derive(Debug, Clone)]
pub struct InventoryPlan {
    /// Accounts read at the same time: a bound on sockets and memory, not a pace (each account
    /// is paced on its own).
    pub concurrency: usize,
    /// Route53 calls per second per account.
    pub route53_rps: u32,
    /// How long one call keeps backing off while Route53 throttles it (see [`Pace::call`]).
    pub throttle_patience: Duration,
}

/// Which zones' records to read; zones it refuses are listed without records.
pub type ZoneWanted<'a> = &'a (dyn Fn(&ZoneDetail) -> bool + Send + Sync);

/// Load the inventory of `accounts` (indices into it name them in the events), sending events as
/// they happen. One account failing never stops the others.
pub async fn load_inventory<D: Dns + ?Sized>(
    backend: &D,
    accounts: &[Account],
    plan: &InventoryPlan,
    wanted: ZoneWanted<'_>,
    events: &UnboundedSender<InventoryEvent>,
) {
    fan_out(
        backend,
        futures::stream::iter(accounts.iter().cloned()),
        plan,
        wanted,
        events,
    )
    .await;
}

/// Every account of `accounts`, indexed in the order they come, at most `plan.concurrency` at
/// once; a new account starts as soon as it comes and a slot is free.
async fn fan_out<D: Dns + ?Sized>(
    backend: &D,
    accounts: impl futures::Stream<Item = Account>,
    plan: &InventoryPlan,
    wanted: ZoneWanted<'_>,
    events: &UnboundedSender<InventoryEvent>,
) {
    accounts
        .enumerate()
        .for_each_concurrent(plan.concurrency.max(1), |(index, account)| async move {
            let status = load_account(backend, index, &account, plan, wanted, events).await;
            let _ = events.send(InventoryEvent::Finished {
                account: index,
                status,
            });
        })
        .await;
}

/// Zones of one account read at the same time: enough to keep the account's pace busy (a zone's
/// pages come one after another), never more than the pace lets through in a second.
pub const MAX_ZONES_AT_ONCE: usize = 8;

fn zones_at_once(route53_rps: u32) -> usize {
    match usize::try_from(route53_rps) {
        Ok(0) | Err(_) => MAX_ZONES_AT_ONCE,
        Ok(rps) => rps.min(MAX_ZONES_AT_ONCE),
    }
}

async fn load_account<D: Dns + ?Sized>(
    backend: &D,
    index: usize,
    account: &Account,
    plan: &InventoryPlan,
    wanted: ZoneWanted<'_>,
    events: &UnboundedSender<InventoryEvent>,
) -> AccountStatus {
    let _ = events.send(InventoryEvent::Started { account: index });
    // One pace per account, shared by its zones: the quota is the account's.
    let pace = Pace::per_second(plan.route53_rps).with_patience(plan.throttle_patience);
    let zones = match backend.zone_details(&account.id, &pace).await {
        Ok(zones) => zones,
        Err(e) => return status_of(&e),
    };
    let wanted: Vec<bool> = zones.iter().map(wanted).collect();
    let ids: Vec<String> = zones.iter().map(|z| z.zone.id.clone()).collect();
    let _ = events.send(InventoryEvent::Zones {
        account: index,
        zones,
    });
    // Denial, throttling and bad credentials hold for the whole account: once one zone meets
    // them, no further zone is started.
    let whole_account: std::sync::Mutex<Option<ServiceError>> = std::sync::Mutex::new(None);
    let first_error: std::sync::Mutex<Option<ServiceError>> = std::sync::Mutex::new(None);
    let stopped = || {
        whole_account
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    };
    let pace = &pace;
    let stopped = &stopped;
    futures::stream::iter(ids.iter().enumerate())
        .for_each_concurrent(zones_at_once(plan.route53_rps), |(zone, id)| {
            let (whole_account, first_error, wanted) = (&whole_account, &first_error, &wanted);
            async move {
                if !wanted[zone] {
                    let _ = events.send(InventoryEvent::ZoneDone {
                        account: index,
                        zone,
                    });
                    return;
                }
                if stopped() {
                    return;
                }
                let mut on_page = |records: Vec<RecordSet>| {
                    let _ = events.send(InventoryEvent::Records {
                        account: index,
                        zone,
                        records,
                    });
                };
                let result = backend
                    .record_sets(&account.id, id, pace, &mut on_page)
                    .await;
                let _ = events.send(InventoryEvent::ZoneDone {
                    account: index,
                    zone,
                });
                if let Err(e) = result {
                    let _ = events.send(InventoryEvent::ZoneFailed {
                        account: index,
                        zone,
                        error: e.to_string(),
                    });
                    let slot = if matches!(
                        e.kind,
                        ErrorKind::Denied | ErrorKind::Throttled | ErrorKind::Credentials
                    ) {
                        whole_account
                    } else {
                        first_error
                    };
                    slot.lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get_or_insert(e);
                }
            }
        })
        .await;
    let whole_account = whole_account
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    let first_error = first_error.into_inner().unwrap_or_else(|p| p.into_inner());
    match whole_account.or(first_error) {
        None => AccountStatus::Ok,
        Some(e) => status_of(&e),
    }
}

/// The account's status after this error.
pub fn status_of(e: &ServiceError) -> AccountStatus {
    let text = e.to_string();
    match e.kind {
        ErrorKind::Denied | ErrorKind::Credentials => AccountStatus::Denied(text),
        ErrorKind::Throttled => AccountStatus::Throttled(text),
        _ => AccountStatus::Failed(text),
    }
}

/// Load the inventory and apply its events.
pub async fn collect<D: Dns + ?Sized>(
    backend: &D,
    accounts: Vec<Account>,
    plan: &InventoryPlan,
    wanted: &(dyn Fn(&ZoneDetail) -> bool + Send + Sync),
) -> crate::domain::dns::Inventory {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    load_inventory(backend, &accounts, plan, wanted, &tx).await;
    drop(tx);
    let mut inventory = crate::domain::dns::Inventory::new(accounts);
    while let Some(event) = rx.recv().await {
        inventory.apply(event);
    }
    inventory
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use super::*;
    use crate::domain::dns::{Inventory, Routing};

    /// A zone's name and its pages of record names.
    type FakeZone = (String, Vec<Vec<String>>);

    /// Accounts by id: zones, each with pages of records; or an error for the whole account.
    #[derive(Default)]
    struct Fake {
        zones: HashMap<String, Result<Vec<FakeZone>, ServiceError>>,
        /// Zone ids whose listing fails after its first page.
        broken: Vec<String>,
        /// Zone ids whose listing is denied.
        denied: Vec<String>,
        calls: Mutex<Vec<Instant>>,
        /// How long each page takes to come (a round trip).
        latency: Duration,
    }

    fn rec(name: &str) -> RecordSet {
        RecordSet {
            name: name.into(),
            kind: "A".into(),
            ttl: Some(60),
            values: vec![],
            alias: None,
            set_identifier: None,
            routing: Routing::default(),
        }
    }

    #[async_trait]
    impl Dns for Fake {
        async fn hosted_zones(&self, _: &str) -> Result<Vec<HostedZone>, ServiceError> {
            unreachable!("the inventory asks for zone details")
        }

        async fn records_named(
            &self,
            _: &str,
            _: &str,
            _: &str,
        ) -> Result<Vec<RecordSet>, ServiceError> {
            unreachable!("the inventory lists whole zones")
        }

        async fn change_record_sets(
            &self,
            _: &str,
            _: &str,
            _: &[RecordChange],
        ) -> Result<String, ServiceError> {
            unreachable!("the inventory changes nothing")
        }

        async fn change_in_sync(&self, _: &str, _: &str) -> Result<bool, ServiceError> {
            unreachable!("the inventory changes nothing")
        }

        async fn zone_details(
            &self,
            account_id: &str,
            pace: &Pace,
        ) -> Result<Vec<ZoneDetail>, ServiceError> {
            pace.wait().await;
            self.calls.lock().unwrap().push(Instant::now());
            let zones = self.zones[account_id].clone()?;
            Ok(zones
                .iter()
                .map(|(name, _)| ZoneDetail {
                    zone: HostedZone {
                        id: name.clone(),
                        name: name.clone(),
                        private: false,
                        record_count: 0,
                        comment: String::new(),
                    },
                    vpcs: vec![],
                })
                .collect())
        }

        async fn record_sets(
            &self,
            account_id: &str,
            zone_id: &str,
            pace: &Pace,
            on_page: &mut (dyn FnMut(Vec<RecordSet>) + Send),
        ) -> Result<(), ServiceError> {
            let zones = self.zones[account_id].clone()?;
            let (_, pages) = zones.iter().find(|(n, _)| n == zone_id).unwrap();
            for (i, page) in pages.iter().enumerate() {
                pace.wait().await;
                self.calls.lock().unwrap().push(Instant::now());
                tokio::time::sleep(self.latency).await;
                if self.denied.iter().any(|d| d == zone_id) {
                    return Err(ServiceError::new(ErrorKind::Denied, None, "no"));
                }
                if i == 1 && self.broken.iter().any(|b| b == zone_id) {
                    return Err(ServiceError::new(ErrorKind::Other, None, "cursor stuck"));
                }
                on_page(page.iter().map(|n| rec(n)).collect());
            }
            Ok(())
        }
    }

    fn account(id: &str) -> Account {
        Account {
            id: id.into(),
            name: String::new(),
            email: String::new(),
            status: "ACTIVE".into(),
            read_only: false,
        }
    }

    async fn run(fake: &Fake, ids: &[&str], rps: u32) -> Inventory {
        run_with(fake, ids, rps, 2).await
    }

    async fn run_with(fake: &Fake, ids: &[&str], rps: u32, concurrency: usize) -> Inventory {
        let accounts: Vec<Account> = ids.iter().map(|id| account(id)).collect();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let plan = InventoryPlan {
            concurrency,
            route53_rps: rps,
            throttle_patience: Duration::ZERO,
        };
        load_inventory(fake, &accounts, &plan, &|_| true, &tx).await;
        drop(tx);
        let mut inv = Inventory::new(accounts);
        while let Some(e) = rx.recv().await {
            inv.apply(e);
        }
        inv
    }

    fn pages(names: &[&[&str]]) -> Vec<Vec<String>> {
        names
            .iter()
            .map(|p| p.iter().map(|s| (*s).to_owned()).collect())
            .collect()
    }

    /// Calls `Pace::call` with answers taken in turn from `answers`; returns the result, the
    /// number of calls and the (paused, so exact) time it took.
    async fn paced(
        patience: u64,
        answers: &[Option<ErrorKind>],
    ) -> (Result<usize, ServiceError>, usize, Duration) {
        let pace = Pace::unpaced().with_patience(Duration::from_secs(patience));
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let started = tokio::time::Instant::now();
        let result = pace
            .call(|| async {
                let n = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                match answers.get(n).copied().flatten() {
                    Some(kind) => Err(ServiceError::new(kind, None, "no")),
                    None => Ok(n),
                }
            })
            .await;
        (result, calls.into_inner(), started.elapsed())
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttled_call_is_tried_again_after_growing_waits_and_completes() {
        let throttled = Some(ErrorKind::Throttled);
        let (result, calls, took) = paced(30, &[throttled, throttled, None]).await;
        assert_eq!(result.unwrap(), 2);
        assert_eq!(calls, 3);
        assert_eq!(took, Duration::from_secs(1 + 2));
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_that_outlasts_the_patience_gives_up_with_few_calls() {
        let (result, calls, took) = paced(30, &[Some(ErrorKind::Throttled); 100]).await;
        assert_eq!(result.unwrap_err().kind, ErrorKind::Throttled);
        // Waits of 1, 2, 4, 8 and 8 s; one more 8 s wait would pass 30 s.
        assert_eq!(calls, 6);
        assert_eq!(took, Duration::from_secs(23));
    }

    #[tokio::test(start_paused = true)]
    async fn no_patience_or_another_error_means_a_single_call() {
        let (result, calls, _) = paced(0, &[Some(ErrorKind::Throttled)]).await;
        assert!(result.is_err());
        assert_eq!(calls, 1);
        let (result, calls, _) = paced(30, &[Some(ErrorKind::Denied)]).await;
        assert_eq!(result.unwrap_err().kind, ErrorKind::Denied);
        assert_eq!(calls, 1);
    }

    #[tokio::test]
    async fn one_denied_and_one_throttled_account_do_not_hide_the_others() {
        let mut fake = Fake::default();
        fake.zones.insert(
            "1".into(),
            Ok(vec![("a.com".into(), pages(&[&["x.a.com"], &["y.a.com"]]))]),
        );
        fake.zones.insert(
            "2".into(),
            Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDenied".into()),
                "STS AssumeRole failed",
            )),
        );
        fake.zones.insert(
            "3".into(),
            Err(ServiceError::new(
                ErrorKind::Throttled,
                Some("Throttling".into()),
                "Rate exceeded",
            )),
        );
        fake.zones.insert(
            "4".into(),
            Ok(vec![("b.com".into(), pages(&[&["x.b.com"]]))]),
        );
        let inv = run(&fake, &["1", "2", "3", "4"], 0).await;
        let words: Vec<&str> = inv.accounts.iter().map(|a| a.status.word()).collect();
        assert_eq!(words, ["ok", "denied", "throttled", "ok"]);
        assert_eq!(inv.record_count(), 3);
        assert_eq!(
            inv.accounts[1].status.error(),
            Some("STS AssumeRole failed (AccessDenied)")
        );
    }

    #[tokio::test]
    async fn a_zone_that_fails_midway_keeps_its_first_pages_and_the_other_zones() {
        let mut fake = Fake::default();
        fake.zones.insert(
            "1".into(),
            Ok(vec![
                ("a.com".into(), pages(&[&["1.a.com"], &["2.a.com"]])),
                ("b.com".into(), pages(&[&["1.b.com"]])),
            ]),
        );
        fake.broken.push("a.com".into());
        let inv = run(&fake, &["1"], 0).await;
        let a = &inv.accounts[0];
        assert_eq!(a.status.word(), "failed");
        assert_eq!(a.zones[0].records.len(), 1);
        assert!(
            a.zones[0]
                .error
                .as_deref()
                .unwrap()
                .contains("cursor stuck")
        );
        assert_eq!(a.zones[1].records.len(), 1);
    }

    #[tokio::test]
    async fn calls_of_one_account_are_paced() {
        let mut fake = Fake::default();
        fake.zones.insert(
            "1".into(),
            Ok(vec![(
                "a.com".into(),
                pages(&[&["1"], &["2"], &["3"], &["4"], &["5"]]),
            )]),
        );
        let start = Instant::now();
        run(&fake, &["1"], 2).await;
        // 6 calls at 2 per second with a burst of 1: the last waits at least 2.5 s.
        let calls = fake.calls.lock().unwrap();
        assert_eq!(calls.len(), 6);
        assert!(
            calls[5] - start >= Duration::from_millis(2400),
            "{:?}",
            calls[5] - start
        );
    }

    /// An account of `zones` zones of `pages` one-record pages each.
    fn zones(zones: usize, pages_each: usize) -> Result<Vec<FakeZone>, ServiceError> {
        Ok((0..zones)
            .map(|z| {
                let name = format!("z{z}.com");
                let pages = (0..pages_each)
                    .map(|p| vec![format!("r{p}.{name}")])
                    .collect();
                (name, pages)
            })
            .collect())
    }

    #[tokio::test(start_paused = true)]
    async fn zones_of_an_account_are_read_side_by_side_within_its_pace() {
        let mut fake = Fake {
            latency: Duration::from_millis(100),
            ..Fake::default()
        };
        fake.zones.insert("1".into(), zones(4, 2));
        let start = tokio::time::Instant::now();
        let inv = run(&fake, &["1"], 100).await;
        assert_eq!(inv.record_count(), 8);
        assert_eq!(inv.accounts[0].status.word(), "ok");
        // One after another the 8 pages would take 800 ms; side by side, two round trips.
        let took = start.elapsed();
        assert!(took < Duration::from_millis(300), "{took:?}");
        // Every zone's pages in their order all the same.
        for (z, zone) in inv.accounts[0].zones.iter().enumerate() {
            let names: Vec<&str> = zone.records.iter().map(|r| r.name()).collect();
            assert_eq!(names, [format!("r0.z{z}.com"), format!("r1.z{z}.com")]);
        }
    }

    #[tokio::test]
    async fn zones_read_side_by_side_share_the_accounts_pace() {
        let mut fake = Fake::default();
        fake.zones.insert("1".into(), zones(3, 2));
        let start = Instant::now();
        run(&fake, &["1"], 2).await;
        // 7 calls (the zone list, then 6 pages) at 2 per second with a burst of 1: the last one
        // waits at least 3 s, however many zones are read at once.
        let calls = fake.calls.lock().unwrap();
        assert_eq!(calls.len(), 7);
        assert!(
            calls[6] - start >= Duration::from_millis(2900),
            "{:?}",
            calls[6] - start
        );
    }

    #[tokio::test]
    async fn every_account_is_in_flight_each_paced_on_its_own() {
        let mut fake = Fake {
            latency: Duration::from_millis(10),
            ..Fake::default()
        };
        let ids: Vec<String> = (0..200).map(|a| format!("{a:012}")).collect();
        for id in &ids {
            fake.zones.insert(id.clone(), zones(1, 5));
        }
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let start = Instant::now();
        let inv = run_with(&fake, &ids, 5, 256).await;
        assert_eq!(inv.record_count(), 1000);
        // Each account: 6 calls at 5 a second with a burst of 3 (the sixth waits 0.6 s) and 5
        // round trips of 10 ms, about 0.65 s; 200 accounts in waves of 8 would take 25 times that.
        let took = start.elapsed();
        assert!(took < Duration::from_secs(2), "{took:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_denied_zone_stops_the_zones_not_started_yet() {
        let mut fake = Fake {
            latency: Duration::from_millis(100),
            ..Fake::default()
        };
        fake.zones.insert("1".into(), zones(20, 1));
        fake.denied.push("z0.com".into());
        let inv = run(&fake, &["1"], 0).await;
        // The zones started beside the denied one finish; the other 12 are not asked for.
        assert_eq!(inv.record_count(), MAX_ZONES_AT_ONCE - 1);
        assert_eq!(fake.calls.lock().unwrap().len(), 1 + MAX_ZONES_AT_ONCE);
        assert_eq!(inv.accounts[0].status.word(), "denied");
    }

    #[tokio::test]
    async fn a_pace_bursts_half_of_its_rate_then_spaces_the_calls() {
        let pace = Pace::per_second(5);
        let start = Instant::now();
        let mut at = Vec::new();
        for _ in 0..5 {
            pace.wait().await;
            at.push(start.elapsed());
        }
        // Three at once (half of 5, rounded up), then one every 200 ms.
        assert!(at[2] < Duration::from_millis(50), "{at:?}");
        assert!(at[3] >= Duration::from_millis(150), "{at:?}");
        assert!(at[4] >= Duration::from_millis(350), "{at:?}");
    }
}
