//! Executes confirmed changes: every step through `mutation::execute`, one audit line per call.

use std::num::NonZeroU32;
use std::sync::Arc;

use governor::{Quota, RateLimiter};
use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Msg, Mutation};
use crate::mutation::{Approved, AuditLog, execute as execute_plan};
use crate::services::{Backend, ServiceError};

/// Run an approved plan and say how it went. The actor in the audit log is the caller's ARN.
/// A plan of several steps reports its progress as it goes; user creations (a bulk import) are
/// paced to `create_rate` per second, below Cognito's AdminCreateUser quota.
pub(super) async fn execute(
    approved: Approved<Mutation>,
    backend: Arc<dyn Backend>,
    audit: Arc<AuditLog>,
    create_rate: u32,
    tx: UnboundedSender<Msg>,
) -> Msg {
    let title = approved.plan().title.clone();
    let actor = match backend.caller_identity().await {
        Ok(me) => me.arn,
        Err(e) => {
            return Msg::Executed {
                title,
                result: Err(format!("cannot tell who is making the change: {e}")),
                steps: Vec::new(),
            };
        }
    };
    let total = approved.plan().steps.len();
    let creates = RateLimiter::direct(Quota::per_second(
        NonZeroU32::new(create_rate).unwrap_or(NonZeroU32::MIN),
    ));
    let creates = &creates;
    let execution = execute_plan(&approved, &audit, &actor, |i, step| {
        if total > 1 {
            let _ = tx.send(Msg::Progress {
                title: title.clone(),
                done: i,
                total,
            });
        }
        let paced = step.operation == "AdminCreateUser";
        let action = step.action.clone();
        let backend = backend.clone();
        async move {
            if paced {
                creates.until_ready().await;
            }
            run(action, backend).await
        }
    })
    .await;
    let mut steps = execution.report(approved.plan());
    let result = if execution.is_success() {
        Ok(())
    } else {
        // The failed step, whether its effect is unknown (no answer came back) and what was done;
        // the same words as the commands use.
        let summary = execution.failure_summary(approved.plan());
        steps.extend(summary.iter().cloned());
        steps.push(
            "every call made is in the audit log; plan the change again to complete it: the plan \
             is made from what AWS holds then, so only the missing calls are made"
                .to_owned(),
        );
        Err(summary.join("; "))
    };
    Msg::Executed {
        title,
        result,
        steps,
    }
}

/// One step of a plan, against the service its pane owns.
async fn run(action: Mutation, backend: Arc<dyn Backend>) -> Result<(), ServiceError> {
    match action {
        Mutation::Tenants(call) => backend.apply(&call).await,
        Mutation::Workflows(change) => backend
            .apply_change(change.account_id(), &change)
            .await
            .map(|_| ()),
    }
}
