//! Runs the Workflows pane's effects: loads, and each poll of a watched execution's history
//! (after the delay the pane chose).

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use super::log_failure;
use crate::app::Msg;
use crate::app::workflows::{EXECUTIONS_PAGE, WorkflowsEffect, WorkflowsMsg};
use crate::services::Backend;

/// Executions read per machine for the machine list's running/failed counts.
const COUNT_WINDOW: i32 = 100;

pub(super) fn spawn(effect: WorkflowsEffect, backend: Arc<dyn Backend>, tx: UnboundedSender<Msg>) {
    let send = move |msg: WorkflowsMsg| {
        let _ = tx.send(Msg::Workflows(msg));
    };
    match effect {
        WorkflowsEffect::LoadMachines {
            request,
            account_id,
        } => {
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
        WorkflowsEffect::LoadCounts {
            account_id,
            machine_arn,
        } => {
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
            machine_arn,
            status,
            next_token,
        } => {
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
            arn,
        } => {
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
            machine_arn,
        } => {
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
        WorkflowsEffect::PollHistory {
            request,
            account_id,
            arn,
            after,
            page_size,
            delay,
        } => {
            tokio::spawn(async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let result = backend
                    .fetch_new_events(&account_id, &arn, after, page_size)
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
