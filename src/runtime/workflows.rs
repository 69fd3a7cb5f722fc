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
        WorkflowsEffect::CheckStatus {
            request,
            account_id,
            arn,
            delay,
        } => {
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aws_sdk_sfn::Client;
    use aws_sdk_sfn::operation::get_execution_history::GetExecutionHistoryError;
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use aws_smithy_types::error::ErrorMetadata;
    use tokio::sync::mpsc;
    use tokio::time::Instant;

    use super::*;
    use crate::app::RequestId;
    use crate::aws::Aws;
    use crate::services::ErrorKind;

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
                arn: format!("arn:aws:states:us-east-1:{ACCOUNT}:execution:m:run-1"),
                after: 12,
                page_size: 1,
                delay,
            },
            backend,
            tx,
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
