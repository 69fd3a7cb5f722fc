//! Executes confirmed changes: every step through `mutation::execute`, one audit line per call.

use std::sync::Arc;

use crate::app::{Msg, Mutation};
use crate::mutation::{Approved, AuditLog, execute as execute_plan};
use crate::services::{Backend, ServiceError};

/// Run an approved plan and say how it went. The actor in the audit log is the caller's ARN.
pub(super) async fn execute(
    approved: Approved<Mutation>,
    backend: Arc<dyn Backend>,
    audit: Arc<AuditLog>,
) -> Msg {
    let title = approved.plan().title.clone();
    let actor = match backend.caller_identity().await {
        Ok(me) => me.arn,
        Err(e) => {
            return Msg::Executed {
                title,
                result: Err(format!("cannot tell who is making the change: {e}")),
            };
        }
    };
    let execution = execute_plan(&approved, &audit, &actor, |_, step| {
        run(step.action.clone(), backend.clone())
    })
    .await;
    let result = if execution.is_success() {
        Ok(())
    } else {
        Err(execution.report(approved.plan()).join("; "))
    };
    Msg::Executed { title, result }
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
