//! The one change executor: the dashboard's runtime and every command run an approved plan here.
//!
//! It knows who makes the change (the caller's ARN, for the audit log), turns each step's
//! [`Change`] into its service call, spaces out the steps that ask for it ([`Pace::Creation`]),
//! reports progress, and audits every call before it is sent and when it ended (through
//! [`execute_until`]); a command's Ctrl-C ends the call in flight ([`Executor::run_until`]). What it
//! returns says step by step what happened, and for a run that stopped part-way, the failed step,
//! whether its effect is unknown, and how to complete it.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::execute::{dry_run, execute_until};
use super::results::StepResults;
use super::{Approved, AuditLog, Change, Pace, Plan, Step, StepOutcome};
use crate::domain::tenancy::plan::Basis;
use crate::domain::workflows::WorkflowChange;
use crate::domain::workflows::plan::nothing_to_do;
use crate::services::tenant_planning;
use crate::services::{Backend, ServiceError};

/// Why an approved plan is not run: re-read at apply, what it changes has moved.
enum Moved {
    /// Nothing left to do (the execution ended, the user is already in the group): why.
    NothingToDo(String),
    /// Made again, the plan has other calls: the new plan.
    Replanned(Plan<Change>),
}

/// The calls a plan makes, for comparing a plan with the same plan made again: service,
/// operation, target and summary of each step, with the name a user-creating step makes up (a
/// new UUID each time with `cognito.username = "uuid"`) written the same way in both.
fn calls(steps: &[&Step<Change>]) -> Vec<(&'static str, &'static str, String, String)> {
    let created = steps
        .iter()
        .find(|s| s.operation == "AdminCreateUser")
        .map(|s| s.target.clone());
    steps
        .iter()
        .map(|s| {
            let same = |text: &str| match &created {
                Some(name) if !name.is_empty() => text.replace(name.as_str(), "<new user>"),
                _ => text.to_owned(),
            };
            (s.service, s.operation, same(&s.target), same(&s.summary))
        })
        .collect()
}

/// What a finished run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// One outcome per step, in plan order.
    pub steps: StepResults,
    /// The ARN of the execution a Step Functions start created, when the plan started one.
    pub started: Option<String>,
    /// The Route53 changes made: (account id, change id), to wait for `INSYNC`.
    pub dns_changes: Vec<(String, String)>,
}

/// What one call made that the caller may follow up.
enum Made {
    Nothing,
    Started(String),
    DnsChange { account_id: String, id: String },
}

impl Applied {
    /// Every step done and audited.
    pub fn is_success(&self) -> bool {
        self.steps.is_success()
    }
}

/// Runs approved plans against one backend, auditing every call.
pub struct Executor {
    backend: Arc<dyn Backend>,
    /// The region of `backend`'s clients, when known: a Step Functions change whose ARN names
    /// another region is sent there.
    region: Option<String>,
    audit: Arc<AuditLog>,
    creations: DefaultDirectRateLimiter,
}

impl Executor {
    /// `creations_per_second` spaces out [`Pace::Creation`] steps (e.g. AdminCreateUser of an
    /// import, 25 per second at most in Cognito).
    pub fn new(backend: Arc<dyn Backend>, audit: Arc<AuditLog>, creations_per_second: u32) -> Self {
        let rate = NonZeroU32::new(creations_per_second).unwrap_or(NonZeroU32::MIN);
        Executor {
            backend,
            region: None,
            audit,
            creations: RateLimiter::direct(Quota::per_second(rate)),
        }
    }

    /// The same executor, knowing its clients are in `region`.
    pub fn in_region(mut self, region: &str) -> Self {
        self.region = Some(region.to_owned()).filter(|r| !r.is_empty());
        self
    }

    /// The backend in the region a Step Functions ARN names (this one when unknown or the same).
    fn backend_for(&self, arn: &str) -> Arc<dyn Backend> {
        let region = arn.split(':').nth(3).unwrap_or_default();
        match &self.region {
            Some(home) if !region.is_empty() && region != home => self.backend.in_region(region),
            _ => self.backend.clone(),
        }
    }

    /// Who makes the change, for the audit log: the caller's ARN.
    pub async fn actor(&self) -> Result<String, ServiceError> {
        Ok(self.backend.caller_identity().await?.arn)
    }

    /// Audit every step of `plan` as a dry run and call nothing.
    pub fn dry_run(&self, plan: &Plan<Change>, actor: &str) -> StepResults {
        dry_run(plan, &self.audit, actor)
    }

    /// Run the approved plan's steps in order, stopping at the first failure. `progress` is told
    /// before each step how many of how many are done.
    pub async fn run(
        &self,
        approved: &Approved<Change>,
        actor: &str,
        progress: impl FnMut(usize, usize),
    ) -> Applied {
        self.run_until(approved, actor, progress, std::future::pending())
            .await
    }

    /// [`Executor::run`], ended early when `interrupt` completes (a command's Ctrl-C): the call in
    /// flight is dropped and audited `unknown`, nothing further is called.
    pub async fn run_until(
        &self,
        approved: &Approved<Change>,
        actor: &str,
        mut progress: impl FnMut(usize, usize),
        interrupt: impl std::future::Future<Output = ()>,
    ) -> Applied {
        let total = approved.plan().steps.len();
        if let Some(moved) = self.moved_on(approved.plan()).await {
            let (nothing_to_do, replanned) = match moved {
                Moved::NothingToDo(reason) => (Some(reason), None),
                Moved::Replanned(fresh) => (None, Some(fresh)),
            };
            return Applied {
                steps: StepResults {
                    outcomes: vec![StepOutcome::NotAttempted; total],
                    nothing_to_do,
                    replanned,
                    ..StepResults::default()
                },
                started: None,
                dns_changes: Vec::new(),
            };
        }
        let started = Mutex::new(None);
        let dns_changes = Mutex::new(Vec::new());
        let steps = execute_until(
            approved,
            &self.audit,
            actor,
            interrupt,
            |i, step: &Step<Change>| {
                progress(i, total);
                let pace = step.pace;
                let change = step.action.clone();
                let started = &started;
                let dns_changes = &dns_changes;
                async move {
                    if pace == Pace::Creation {
                        self.creations.until_ready().await;
                    }
                    match self.call(change).await? {
                        Made::Nothing => {}
                        Made::Started(arn) => {
                            if let Ok(mut slot) = started.lock() {
                                *slot = Some(arn);
                            }
                        }
                        Made::DnsChange { account_id, id } => {
                            if let Ok(mut made) = dns_changes.lock() {
                                made.push((account_id, id));
                            }
                        }
                    }
                    Ok(())
                }
            },
        )
        .await;
        Applied {
            steps,
            started: started.into_inner().ok().flatten(),
            dns_changes: dns_changes.into_inner().unwrap_or_default(),
        }
    }

    /// Whether what a plan changes has moved since it was planned so that the plan no longer
    /// applies, re-read just before the first call: an execution to stop that has ended, one to
    /// redrive that is running again. `None` when it still applies, or when the re-read fails
    /// (the call itself then answers).
    async fn moved_on(&self, plan: &Plan<Change>) -> Option<Moved> {
        if let Some(basis) = &plan.basis {
            return self.replan(plan, basis).await;
        }
        let [step] = plan.steps.as_slice() else {
            return None;
        };
        let Change::Workflows(change) = &step.action else {
            return None;
        };
        let (WorkflowChange::Stop { execution_arn, .. }
        | WorkflowChange::Redrive { execution_arn }) = change
        else {
            return None;
        };
        let detail = self
            .backend
            .execution(change.account_id(), execution_arn)
            .await
            .ok()?;
        nothing_to_do(change, detail.execution.status).map(Moved::NothingToDo)
    }

    /// Make a tenant plan again from what it was made from, on the pool as it is now: nothing
    /// left to do, the same calls (`None`: run it), or other calls (the user left the group
    /// since, the tenant was created by someone else meanwhile) for the operator to confirm.
    /// When the reads fail, `None`: the calls themselves then answer.
    async fn replan(&self, plan: &Plan<Change>, basis: &Basis) -> Option<Moved> {
        let fresh = tenant_planning::plan(
            self.backend.as_ref(),
            &basis.tenancy,
            &basis.target,
            basis.intent.clone(),
        )
        .await
        .ok()?;
        // A plan across services (a tenant's onboarding) keeps its other steps as they are: their
        // own reads at planning (the record, the execution) are made again by a rerun.
        let cognito = |s: &&Step<Change>| matches!(s.action, Change::Tenants(_));
        let others: Vec<Step<Change>> =
            plan.steps.iter().filter(|s| !cognito(s)).cloned().collect();
        let Some(fresh) = fresh else {
            if !others.is_empty() {
                return Some(Moved::Replanned(Plan {
                    steps: others,
                    basis: None,
                    ..plan.clone()
                }));
            }
            let reason = basis.intent.nothing_to_do();
            let reason = reason.trim_end_matches(": nothing to do").to_owned();
            return Some(Moved::NothingToDo(reason));
        };
        let fresh = fresh.map_actions(Change::Tenants);
        let planned: Vec<&Step<Change>> = plan.steps.iter().filter(cognito).collect();
        if calls(&fresh.steps.iter().collect::<Vec<_>>()) == calls(&planned) {
            return None;
        }
        if others.is_empty() {
            return Some(Moved::Replanned(fresh));
        }
        let mut steps = fresh.steps;
        steps.extend(others);
        Some(Moved::Replanned(Plan {
            steps,
            basis: fresh.basis,
            ..plan.clone()
        }))
    }

    /// One step's call against the service it changes: the execution it started, the Route53
    /// change it made.
    async fn call(&self, change: Change) -> Result<Made, ServiceError> {
        match change {
            Change::Tenants(call) => self.backend.apply(&call).await.map(|()| Made::Nothing),
            Change::Workflows(change) => Ok(self
                .backend_for(match &change {
                    WorkflowChange::Start { machine_arn, .. } => machine_arn,
                    WorkflowChange::Stop { execution_arn, .. }
                    | WorkflowChange::Redrive { execution_arn } => execution_arn,
                })
                .apply_change(change.account_id(), &change)
                .await?
                .map_or(Made::Nothing, Made::Started)),
            Change::Dns(change) => {
                let id = self
                    .backend
                    .change_record_sets(&change.account_id, &change.zone_id, &change.changes)
                    .await?;
                Ok(Made::DnsChange {
                    account_id: change.account_id,
                    id,
                })
            }
        }
    }
}
