//! Runs the Workflows pane's effects: loads, and each poll of a watched execution's history
//! (after the delay the pane chose).

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use super::{Backends, RuntimeConfig, log_failure};
use crate::app::Msg;
use crate::app::workflows::{EXECUTIONS_PAGE, Reach, WorkflowsEffect, WorkflowsMsg};
use crate::domain::account::Account;
use crate::domain::workflows::ExecutionStatus;
use crate::rows::workflows::Place;
use crate::services::ServiceError;
use crate::services::scope::{ScopePlan, Target, fan_out, targets};
use crate::services::workflows::scoped::{self, COUNT_WINDOW, ExecutionQuery};

/// Failed, timed-out and aborted executions read per machine and status in the failures view.
const FAILURES_LIMIT: usize = 1000;

pub(super) fn spawn(
    effect: WorkflowsEffect,
    backends: Backends,
    tx: UnboundedSender<Msg>,
    config: &RuntimeConfig,
) {
    let send = move |msg: WorkflowsMsg| {
        let _ = tx.send(Msg::Workflows(msg));
    };
    match effect {
        WorkflowsEffect::LoadScopedMachines { request, reach } => {
            let config = config.clone();
            tokio::spawn(async move {
                let (targets, plan) = match resolve(&backends, &reach, &config).await {
                    Ok(r) => r,
                    Err(e) => return send(done(request, 0, Some(e))),
                };
                let total = targets.len();
                let backend_for = |r: &str| backends.at(r);
                fan_out(
                    targets,
                    &backend_for,
                    &plan,
                    |backend, target, pace| async move {
                        scoped::target_machines(backend, &target, &pace, true).await
                    },
                    |s| {
                        send(WorkflowsMsg::ScopedMachines {
                            request,
                            place: place(&s.target),
                            status: s.status.clone(),
                            machines: s.read.items.clone(),
                        })
                    },
                )
                .await;
                send(done(request, total, None));
            });
        }
        WorkflowsEffect::LoadFailures {
            request,
            reach,
            window,
        } => {
            let config = config.clone();
            tokio::spawn(async move {
                let until = Utc::now();
                let (targets, plan) = match resolve(&backends, &reach, &config).await {
                    Ok(r) => r,
                    Err(e) => return send(done(request, 0, Some(e))),
                };
                let total = targets.len();
                let query = ExecutionQuery {
                    machine: None,
                    statuses: [
                        ExecutionStatus::Failed,
                        ExecutionStatus::TimedOut,
                        ExecutionStatus::Aborted,
                    ]
                    .map(Some)
                    .to_vec(),
                    since: Some(until - window),
                    limit: FAILURES_LIMIT,
                    details: true,
                };
                let query = &query;
                let backend_for = |r: &str| backends.at(r);
                fan_out(
                    targets,
                    &backend_for,
                    &plan,
                    |backend, target, pace| async move {
                        scoped::target_executions(backend, &target, &pace, query).await
                    },
                    |s| {
                        send(WorkflowsMsg::Failures {
                            request,
                            place: place(&s.target),
                            status: s.status.clone(),
                            executions: s.read.items.clone(),
                            until,
                        })
                    },
                )
                .await;
                send(done(request, total, None));
            });
        }
        WorkflowsEffect::LoadMachines {
            request,
            account_id,
        } => {
            let backend = backends.at("");
            tokio::spawn(async move {
                let result = backend.state_machines(&account_id).await;
                log_failure("state_machines", &result);
                send(WorkflowsMsg::Machines {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        WorkflowsEffect::LoadActivity {
            account_id,
            region,
            machine_arn,
        } => {
            let backend = backends.at(&region);
            tokio::spawn(async move {
                let result = activity(backend.as_ref(), &account_id, &machine_arn).await;
                log_failure("executions (24 h)", &result);
                send(WorkflowsMsg::Activity {
                    machine_arn,
                    result,
                });
            });
        }
        WorkflowsEffect::LoadCounts {
            account_id,
            region,
            machine_arn,
        } => {
            let backend = backends.at(&region);
            tokio::spawn(async move {
                let result = backend
                    .executions(&account_id, &machine_arn, None, None, COUNT_WINDOW)
                    .await;
                log_failure("executions (counts)", &result);
                send(WorkflowsMsg::Counts {
                    machine_arn,
                    result,
                });
            });
        }
        WorkflowsEffect::LoadExecutions {
            request,
            account_id,
            region,
            machine_arn,
            status,
            next_token,
        } => {
            let backend = backends.at(&region);
            tokio::spawn(async move {
                let result = backend
                    .executions(
                        &account_id,
                        &machine_arn,
                        status,
                        next_token,
                        EXECUTIONS_PAGE,
                    )
                    .await;
                log_failure("executions", &result);
                send(WorkflowsMsg::Executions {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        WorkflowsEffect::LoadExecution {
            request,
            account_id,
            region,
            arn,
        } => {
            let backend = backends.at(&region);
            tokio::spawn(async move {
                let result = backend.execution(&account_id, &arn).await;
                log_failure("execution", &result);
                send(WorkflowsMsg::Execution {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        WorkflowsEffect::LoadDefinition {
            request,
            account_id,
            region,
            machine_arn,
        } => {
            let backend = backends.at(&region);
            tokio::spawn(async move {
                let result = backend.state_machine(&account_id, &machine_arn).await;
                log_failure("state_machine", &result);
                send(WorkflowsMsg::Definition {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        WorkflowsEffect::CheckStatus {
            request,
            account_id,
            region,
            arn,
            delay,
        } => {
            let backend = backends.at(&region);
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let result = backend.execution(&account_id, &arn).await;
                log_failure("execution (status)", &result);
                send(WorkflowsMsg::Status { request, result });
            });
        }
        WorkflowsEffect::PollHistory {
            request,
            account_id,
            region,
            arn,
            after,
            page_size,
            delay,
        } => {
            let backend = backends.at(&region);
            tokio::spawn(async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let result = backend
                    .poll_new_events(&account_id, &arn, after, page_size)
                    .await;
                log_failure("execution history", &result);
                send(WorkflowsMsg::History {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
    }
}

/// A scoped read's targets, their pace, and the clients of the current region: the current
/// account in the current region, or every account of the directory × the regions (throttling
/// outlasted there, as in the DNS inventory).
async fn resolve(
    backends: &Backends,
    reach: &Reach,
    config: &RuntimeConfig,
) -> Result<(Vec<Target>, ScopePlan), ServiceError> {
    let (list, patience) = match reach {
        Reach::Here { account_id, region } => {
            let account = config
                .directory
                .configured
                .iter()
                .find(|a| &a.id == account_id)
                .cloned()
                .unwrap_or_else(|| Account {
                    id: account_id.clone(),
                    name: String::new(),
                    email: String::new(),
                    status: "ACTIVE".into(),
                    read_only: false,
                });
            let region = if region.is_empty() {
                config.region.clone()
            } else {
                region.clone()
            };
            (targets(&[account], &[region]), std::time::Duration::ZERO)
        }
        Reach::Organisation { regions } => {
            let accounts = config
                .directory
                .load(backends.at("").as_ref())
                .await?
                .accounts;
            (targets(&accounts, regions), config.throttle_patience)
        }
    };
    let plan = ScopePlan {
        concurrency: config.concurrency.max(1),
        rps: config.sfn_rps,
        throttle_patience: patience,
    };
    Ok((list, plan))
}

/// A machine's last 24 hours: ListExecutions pages of 100, newest first, until one reaches an
/// older execution (at most `activity::MAX_PAGES`), in the column's buckets.
async fn activity(
    backend: &dyn crate::services::Backend,
    account_id: &str,
    machine_arn: &str,
) -> Result<Vec<crate::app::workflows::Outcomes>, ServiceError> {
    use crate::app::workflows::activity;
    let now = Utc::now();
    let since = now - chrono::Duration::hours(activity::WINDOW_HOURS);
    let mut all = Vec::new();
    let mut token = None;
    for _ in 0..activity::MAX_PAGES {
        let page = backend
            .executions(account_id, machine_arn, None, token, 100)
            .await?;
        let older = page.executions.iter().any(|e| e.started < since);
        all.extend(page.executions);
        match page.next_token {
            Some(t) if !older => token = Some(t),
            _ => break,
        }
    }
    Ok(activity::buckets(&all, now))
}

fn place(t: &Target) -> Place {
    Place {
        account_id: t.account.id.clone(),
        account_name: t.account.name.clone(),
        region: t.region.clone(),
    }
}

fn done(
    request: crate::app::RequestId,
    targets: usize,
    error: Option<ServiceError>,
) -> WorkflowsMsg {
    if let Some(e) = &error {
        tracing::warn!(call = "scoped read", kind = ?e.kind, code = ?e.code, "{}", e.message);
    }
    WorkflowsMsg::ScopeDone {
        request,
        targets,
        error,
        at: Utc::now(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aws_sdk_sfn::Client;
    use aws_sdk_sfn::operation::get_execution_history::GetExecutionHistoryError;
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use aws_smithy_types::error::ErrorMetadata;
    use tokio::sync::mpsc;
    use tokio::time::Instant;

    use std::sync::Arc;

    use super::*;
    use crate::app::RequestId;
    use crate::aws::Aws;
    use crate::services::ErrorKind;

    fn test_config() -> RuntimeConfig {
        let dir = std::env::temp_dir().join(format!("opsdeck-rt-wf-{}", std::process::id()));
        RuntimeConfig {
            directory: crate::services::AccountDirectory {
                discover: false,
                configured: Vec::new(),
            },
            concurrency: 2,
            route53_rps: 0,
            throttle_patience: Duration::ZERO,
            export_dir: dir.join("exports"),
            audit: Arc::new(crate::mutation::AuditLog::open(dir.join("audit.log")).unwrap()),
            import_rate: 1000,
            onboarding: Default::default(),
            region: "us-east-1".into(),
            sfn_rps: 0,
        }
    }

    // An account id of its own: the history limiter is shared by the whole test process.
    const ACCOUNT: &str = "000000005603";

    /// The pane's watch polls through the same service code as `sfn watch`
    /// (`Workflows::poll_new_events`): the effect waits the delay the pane chose, and a poll the
    /// SDK gave up on reaches the pane as a message with the error classified, for the pane to
    /// back off (throttled) or stop.
    #[tokio::test(start_paused = true)]
    async fn a_poll_waits_its_delay_and_hands_a_throttled_answer_to_the_pane() {
        let rule = mock!(Client::get_execution_history).then_error(|| {
            GetExecutionHistoryError::generic(
                ErrorMetadata::builder()
                    .code("ThrottlingException")
                    .message("Rate exceeded")
                    .build(),
            )
        });
        let client = mock_client!(aws_sdk_sfn, RuleMode::MatchAny, [&rule]);
        let backend: Arc<dyn crate::services::Backend> =
            Arc::new(Aws::with_sfn_client(ACCOUNT, client));
        let (tx, mut rx) = mpsc::unbounded_channel();
        let delay = Duration::from_secs(4);
        let sent = Instant::now();
        spawn(
            WorkflowsEffect::PollHistory {
                request: RequestId(77),
                account_id: ACCOUNT.into(),
                region: String::new(),
                arn: format!("arn:aws:states:us-east-1:{ACCOUNT}:execution:m:run-1"),
                after: 12,
                page_size: 1,
                delay,
            },
            super::Backends {
                current: backend,
                region: "us-east-1".into(),
                others: Arc::default(),
            },
            tx,
            &test_config(),
        );
        let msg = rx.recv().await.expect("the poll answers");
        assert!(sent.elapsed() >= delay, "{:?}", sent.elapsed());
        match msg {
            Msg::Workflows(WorkflowsMsg::History {
                request,
                result: Err(e),
                ..
            }) => {
                assert_eq!(request, RequestId(77));
                assert_eq!(e.kind, ErrorKind::Throttled, "{e:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(rule.num_calls() >= 1);
    }
}
