//! Runs the dashboard's confirmed changes through the one executor and tells the app how they went.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Change, Msg};
use crate::mutation::{Approved, AuditLog, Executor};
use crate::services::Backend;

/// Run an approved plan and say how it went, with progress for plans of several steps; creations
/// are spaced to `create_rate` per second.
pub(super) async fn execute(
    approved: Approved<Change>,
    backend: Arc<dyn Backend>,
    audit: Arc<AuditLog>,
    create_rate: u32,
    tx: UnboundedSender<Msg>,
) -> Msg {
    let plan = approved.plan();
    let title = plan.title.clone();
    let executor = Executor::new(backend, audit, create_rate);
    let actor = match executor.actor().await {
        Ok(actor) => actor,
        Err(e) => {
            return Msg::Executed {
                title,
                result: Err(format!("cannot tell who is making the change: {e}")),
                steps: Vec::new(),
                nothing_to_do: None,
                replanned: None,
            };
        }
    };
    let applied = executor
        .run(&approved, &actor, |done, total| {
            if total > 1 {
                let _ = tx.send(Msg::Progress {
                    title: title.clone(),
                    done,
                    total,
                });
            }
        })
        .await;
    let mut steps = applied.steps.report(plan);
    let result = if applied.is_success() {
        Ok(())
    } else {
        // The failed step, whether its effect is unknown (no answer came back) and what was done;
        // the same words as the commands use.
        let summary = applied.steps.failure_summary(plan);
        steps.extend(summary.iter().cloned());
        steps.push(if applied.steps.refused() {
            // AWS said no (e.g. an execution that cannot be redriven): planning the same change
            // again would be refused the same way.
            "every call made is in the audit log; the refused step changed nothing: plan the \
             change again only once what AWS refused has changed"
                .to_owned()
        } else {
            "every call made is in the audit log; plan the change again to complete it: the plan \
             is made from what AWS holds then, so only the missing calls are made"
                .to_owned()
        });
        Err(summary.join("; "))
    };
    Msg::Executed {
        title,
        result,
        steps,
        nothing_to_do: applied.steps.nothing_to_do,
        replanned: applied.steps.replanned.map(Box::new),
    }
}
