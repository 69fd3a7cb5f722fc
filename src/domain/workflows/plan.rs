//! The plan of a change an operator makes to Step Functions (start, stop, redrive): one API call,
//! for the TUI and the commands alike.

use super::{ExecutionStatus, WorkflowChange};
use crate::domain::plan::{Danger, Plan, Step};

/// Why a stop or a redrive has nothing to do on an execution in `status` (a stop needs a RUNNING
/// execution, a redrive a FAILED, TIMED_OUT or ABORTED one), or `None` when it applies. A start
/// always applies.
pub fn nothing_to_do(change: &WorkflowChange, status: ExecutionStatus) -> Option<String> {
    let name = match change {
        WorkflowChange::Start { .. } => return None,
        WorkflowChange::Stop { execution_arn, .. } | WorkflowChange::Redrive { execution_arn } => {
            WorkflowChange::short(execution_arn)
        }
    };
    let (applies, only) = match change {
        WorkflowChange::Stop { .. } => (
            status == ExecutionStatus::Running,
            "only a RUNNING execution can be stopped",
        ),
        _ => (
            status.is_failure(),
            "only a FAILED, TIMED_OUT or ABORTED execution can be redriven",
        ),
    };
    (!applies).then(|| {
        format!(
            "nothing to do: execution {name} is {}; {only}",
            status.as_str()
        )
    })
}

/// The plan of a change, for the TUI and the commands alike. Stopping is destructive: the
/// execution's name must be typed.
pub fn change_plan(change: WorkflowChange, account_id: &str, region: &str) -> Plan<WorkflowChange> {
    let (title, operation, target, summary, danger) = match &change {
        WorkflowChange::Start {
            machine_arn,
            name,
            input,
        } => (
            format!(
                "Start execution {name} of {}",
                WorkflowChange::short(machine_arn)
            ),
            "StartExecution",
            machine_arn.clone(),
            format!("start {name} with input {}", abbreviate(input, 60)),
            Danger::Normal,
        ),
        WorkflowChange::Stop {
            execution_arn,
            error,
            cause,
        } => {
            let name = WorkflowChange::short(execution_arn).to_owned();
            let mut summary = "stop the execution".to_owned();
            if let Some(e) = error {
                summary.push_str(&format!(", error {e}"));
            }
            if let Some(c) = cause {
                summary.push_str(&format!(", cause {}", abbreviate(c, 60)));
            }
            (
                format!("Stop execution {name}"),
                "StopExecution",
                execution_arn.clone(),
                summary,
                Danger::Destructive { confirm_text: name },
            )
        }
        WorkflowChange::Redrive { execution_arn } => (
            format!("Redrive execution {}", WorkflowChange::short(execution_arn)),
            "RedriveExecution",
            execution_arn.clone(),
            "run the execution again from the states that failed".to_owned(),
            Danger::Normal,
        ),
    };
    Plan {
        basis: None,
        title,
        account_id: account_id.to_owned(),
        region: region.to_owned(),
        steps: vec![Step::new("states", operation, target, summary).with_action(change)],
        danger,
    }
}

fn abbreviate(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_applies_to_running_executions_and_a_redrive_to_failed_ones() {
        let arn = "arn:aws:states:us-east-1:222233334444:execution:m:run-1".to_owned();
        let stop = WorkflowChange::Stop {
            execution_arn: arn.clone(),
            error: None,
            cause: None,
        };
        let redrive = WorkflowChange::Redrive { execution_arn: arn };
        for status in ExecutionStatus::ALL {
            let stops = nothing_to_do(&stop, status).is_none();
            assert_eq!(stops, status == ExecutionStatus::Running, "{status:?}");
            let redrives = nothing_to_do(&redrive, status).is_none();
            assert_eq!(redrives, status.is_failure(), "{status:?}");
        }
        assert_eq!(
            nothing_to_do(&stop, ExecutionStatus::Succeeded).unwrap(),
            "nothing to do: execution run-1 is SUCCEEDED; only a RUNNING execution can be stopped"
        );
    }

    #[test]
    fn plans_name_the_call_and_the_account_of_the_arn() {
        let change = WorkflowChange::Stop {
            execution_arn: "arn:aws:states:us-east-1:222233334444:execution:m:run-1".into(),
            error: Some("Ops".into()),
            cause: None,
        };
        assert_eq!(change.account_id(), "222233334444");
        let plan = change_plan(change, "222233334444", "us-east-1");
        assert_eq!(plan.title, "Stop execution run-1");
        assert_eq!(plan.steps[0].summary, "stop the execution, error Ops");
    }
}
