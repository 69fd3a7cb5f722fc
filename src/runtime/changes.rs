//! Runs the dashboard's confirmed changes through the one executor and tells the app how they went.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Change, Msg};
use crate::mutation::{Approved, AuditLog, Executor};
use std::time::Duration;

use crate::services::{Backend, Pace, SyncWait, wait_in_sync};

/// How fast the changes of a plan may go.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rates {
    /// Creations per second (`Pace::Creation` steps).
    pub create: u32,
    /// Route53 calls per second (the GetChange polls after a DNS change).
    pub route53: u32,
}

/// Run an approved plan and say how it went, with progress for plans of several steps; creations
/// are spaced to `rates.create` per second. After a DNS change it waits until Route53 says
/// `INSYNC` (shown as progress), so the reload that follows shows the change.
pub(super) async fn execute(
    approved: Approved<Change>,
    backend: Arc<dyn Backend>,
    region: &str,
    audit: Arc<AuditLog>,
    rates: Rates,
    tx: UnboundedSender<Msg>,
) -> Msg {
    let plan = approved.plan();
    let title = plan.title.clone();
    // A Step Functions change whose ARN names another region (an execution opened from the
    // organisation or the failures view) is sent to that region.
    let executor = Executor::new(backend.clone(), audit, rates.create).in_region(region);
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
    if !applied.dns_changes.is_empty() {
        let pace = Pace::per_second(rates.route53).with_patience(Duration::from_secs(30));
        let wait = SyncWait::default();
        let progress = |secs: u64| {
            let _ = tx.send(Msg::Progress {
                title: format!("{title}: waiting for INSYNC ({secs} s)"),
                done: 0,
                total: 1,
            });
        };
        let synced = wait_in_sync(
            backend.as_ref(),
            &applied.dns_changes,
            wait,
            &pace,
            progress,
        )
        .await;
        // In sync is what a change is expected to be (the notice says done); anything else is
        // worth the report box.
        match synced {
            Ok(true) => {}
            Ok(false) => steps.push(format!(
                "Route53: not in sync after {} s yet; the change is made",
                wait.timeout.as_secs()
            )),
            Err(e) => steps.push(format!(
                "Route53: the change is made; whether it is in sync could not be read: {e}"
            )),
        }
    }
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
