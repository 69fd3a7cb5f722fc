//! The scope of an org-wide read: every account × a list of regions, read the way the DNS
//! inventory reads accounts — targets in parallel (at most `concurrency` at once), each target's
//! calls of one service paced below its quota with patience for throttling ([`Pace`]), one target
//! failing never stopping the others, and a status per account × region.
//!
//! Quotas of Step Functions and Cognito are per account and per region, so each target gets its
//! own [`Pace`]; the clients are the account's (assumed role, own retry partition) in the target's
//! region, from `backend_for(region)` (the current backend for the current region, `in_region`
//! for the others).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;

use super::dns::{Pace, status_of};
use super::{Backend, ServiceError};
use crate::domain::account::Account;
use crate::domain::dns::AccountStatus;

/// One account in one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub account: Account,
    pub region: String,
}

impl Target {
    /// `name (id) region`, or `id region` for an account without a name.
    pub fn label(&self) -> String {
        if self.account.name.is_empty() {
            format!("{} {}", self.account.id, self.region)
        } else {
            format!(
                "{} ({}) {}",
                self.account.name, self.account.id, self.region
            )
        }
    }
}

/// Every account × every region, accounts first.
pub fn targets(accounts: &[Account], regions: &[String]) -> Vec<Target> {
    accounts
        .iter()
        .flat_map(|a| {
            regions.iter().map(move |r| Target {
                account: a.clone(),
                region: r.clone(),
            })
        })
        .collect()
}

/// What one target answered: the items read (also those read before an error), how many
/// resources (machines, pools) it has, and the error that stopped it.
#[derive(Debug)]
pub struct Read<T> {
    pub items: Vec<T>,
    pub resources: usize,
    pub error: Option<ServiceError>,
}

impl<T> Read<T> {
    pub fn ok(items: Vec<T>, resources: usize) -> Read<T> {
        Read {
            items,
            resources,
            error: None,
        }
    }

    pub fn failed(error: ServiceError) -> Read<T> {
        Read {
            items: Vec::new(),
            resources: 0,
            error: Some(error),
        }
    }
}

/// A target's status after its read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Read, and it has none of the resources asked about (no state machine, no user pool).
    NoResources,
    Denied(String),
    Throttled(String),
    Failed(String),
}

impl Status {
    pub fn of<T>(read: &Read<T>) -> Status {
        match &read.error {
            Some(e) => match status_of(e) {
                AccountStatus::Denied(t) => Status::Denied(t),
                AccountStatus::Throttled(t) => Status::Throttled(t),
                other => Status::Failed(other.error().unwrap_or_default().to_owned()),
            },
            None if read.resources == 0 => Status::NoResources,
            None => Status::Ok,
        }
    }

    /// `ok`, `no resources`, `denied`, `throttled`, `failed`.
    pub fn word(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NoResources => "no resources",
            Status::Denied(_) => "denied",
            Status::Throttled(_) => "throttled",
            Status::Failed(_) => "failed",
        }
    }

    pub fn error(&self) -> Option<&str> {
        match self {
            Status::Denied(e) | Status::Throttled(e) | Status::Failed(e) => Some(e),
            Status::Ok | Status::NoResources => None,
        }
    }
}

/// One target's outcome.
#[derive(Debug)]
pub struct Scoped<T> {
    pub target: Target,
    pub status: Status,
    pub read: Read<T>,
}

/// How a fan-out runs.
#[derive(Debug, Clone)]
pub struct ScopePlan {
    /// Targets read at the same time.
    pub concurrency: usize,
    /// Calls per second of the service read, per target (account × region).
    pub rps: u32,
    /// How long one throttled call keeps backing off (see [`Pace::call`]).
    pub throttle_patience: Duration,
}

/// The backend (clients) of a region.
pub type BackendFor<'a> = &'a (dyn Fn(&str) -> Arc<dyn Backend> + Send + Sync);

/// Read every target with `work` (given the region's backend, the target and its pace), at most
/// `plan.concurrency` targets at once; `on_done` sees each outcome as it arrives (streaming), and
/// the outcomes come back in the order of `targets`.
pub async fn fan_out<T, F, Fut>(
    targets: Vec<Target>,
    backend_for: BackendFor<'_>,
    plan: &ScopePlan,
    work: F,
    mut on_done: impl FnMut(&Scoped<T>),
) -> Vec<Scoped<T>>
where
    F: Fn(Arc<dyn Backend>, Target, Arc<Pace>) -> Fut,
    Fut: Future<Output = Read<T>>,
{
    let mut regions: Vec<(String, Arc<dyn Backend>)> = Vec::new();
    let mut jobs = Vec::with_capacity(targets.len());
    for (index, target) in targets.into_iter().enumerate() {
        let backend = match regions.iter().find(|(r, _)| *r == target.region) {
            Some((_, b)) => b.clone(),
            None => {
                let b = backend_for(&target.region);
                regions.push((target.region.clone(), b.clone()));
                b
            }
        };
        let pace = Arc::new(Pace::per_second(plan.rps).with_patience(plan.throttle_patience));
        let read = work(backend, target.clone(), pace);
        jobs.push(async move { (index, target, read.await) });
    }
    let mut done: Vec<(usize, Scoped<T>)> = Vec::new();
    let mut stream = futures::stream::iter(jobs).buffer_unordered(plan.concurrency.max(1));
    while let Some((index, target, read)) = stream.next().await {
        let scoped = Scoped {
            status: Status::of(&read),
            target,
            read,
        };
        on_done(&scoped);
        done.push((index, scoped));
    }
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, s)| s).collect()
}

/// Whether any target could not be read completely (exit code 4).
pub fn partial<T>(outcomes: &[Scoped<T>]) -> bool {
    outcomes.iter().any(|s| s.status.error().is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::ErrorKind;
    use crate::services::fake::FakeBackend;

    fn account(id: &str) -> Account {
        Account {
            id: id.into(),
            name: format!("n{id}"),
            email: String::new(),
            status: "ACTIVE".into(),
            read_only: false,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn targets_run_in_parallel_and_each_failure_has_its_status() {
        let fake: Arc<dyn Backend> = Arc::new(FakeBackend::new("1"));
        let backend_for = move |_: &str| fake.clone();
        let accounts = [account("1"), account("2"), account("3"), account("4")];
        let regions = ["eu-west-1".to_owned(), "us-east-1".to_owned()];
        let plan = ScopePlan {
            concurrency: 8,
            rps: 0,
            throttle_patience: Duration::ZERO,
        };
        let started = tokio::time::Instant::now();
        let mut streamed = 0;
        let out = fan_out(
            targets(&accounts, &regions),
            &backend_for,
            &plan,
            |_, t, _| async move {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let kind = match t.account.id.as_str() {
                    "2" => Some(ErrorKind::Denied),
                    "3" => Some(ErrorKind::Throttled),
                    "4" if t.region == "us-east-1" => Some(ErrorKind::Other),
                    _ => None,
                };
                match kind {
                    Some(k) => Read::failed(ServiceError::new(k, None, "no")),
                    None if t.account.id == "4" => Read::ok(Vec::<u8>::new(), 0),
                    None => Read::ok(vec![1], 1),
                }
            },
            |_| streamed += 1,
        )
        .await;
        // Eight targets of one second each, all at once: about one second, not eight.
        assert_eq!(started.elapsed(), Duration::from_secs(1));
        assert_eq!(streamed, 8);
        let words: Vec<String> = out
            .iter()
            .map(|s| format!("{} {}", s.target.label(), s.status.word()))
            .collect();
        assert_eq!(
            words,
            [
                "n1 (1) eu-west-1 ok",
                "n1 (1) us-east-1 ok",
                "n2 (2) eu-west-1 denied",
                "n2 (2) us-east-1 denied",
                "n3 (3) eu-west-1 throttled",
                "n3 (3) us-east-1 throttled",
                "n4 (4) eu-west-1 no resources",
                "n4 (4) us-east-1 failed",
            ]
        );
        assert!(partial(&out));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrency_is_bounded_and_each_region_gets_its_own_backend_once() {
        let asked = Arc::new(std::sync::Mutex::new(Vec::new()));
        let fake = FakeBackend::new("1");
        let record = asked.clone();
        let backend_for = move |r: &str| {
            record.lock().unwrap().push(r.to_owned());
            fake.in_region(r)
        };
        let accounts = [account("1"), account("2"), account("3")];
        let regions = ["eu-west-1".to_owned(), "us-east-1".to_owned()];
        let plan = ScopePlan {
            concurrency: 2,
            rps: 0,
            throttle_patience: Duration::ZERO,
        };
        let started = tokio::time::Instant::now();
        let out = fan_out(
            targets(&accounts, &regions),
            &backend_for,
            &plan,
            |b, t, _| async move {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let machines = b.state_machines(&t.account.id).await;
                Read::ok(vec![machines.is_ok()], 1)
            },
            |_| {},
        )
        .await;
        // Six targets two at a time.
        assert_eq!(started.elapsed(), Duration::from_secs(3));
        assert!(!partial(&out));
        assert_eq!(*asked.lock().unwrap(), ["eu-west-1", "us-east-1"]);
    }

    #[tokio::test]
    async fn each_target_is_paced_on_its_own() {
        let fake: Arc<dyn Backend> = Arc::new(FakeBackend::new("1"));
        let backend_for = move |_: &str| fake.clone();
        let plan = ScopePlan {
            concurrency: 8,
            rps: 2,
            throttle_patience: Duration::ZERO,
        };
        let started = std::time::Instant::now();
        let out = fan_out(
            targets(&[account("1"), account("2")], &["r".to_owned()]),
            &backend_for,
            &plan,
            |_, _, pace| async move {
                // Six calls at 2 per second, burst 1 (half the rate): the last waits 2.5 s.
                for _ in 0..6 {
                    pace.wait().await;
                }
                Read::ok(vec![std::time::Instant::now()], 1)
            },
            |_| {},
        )
        .await;
        for s in &out {
            let took = s.read.items[0] - started;
            assert!(
                took >= Duration::from_millis(2400) && took < Duration::from_millis(3500),
                "{took:?}"
            );
        }
    }
}
