//! Runs the Workflows pane's effects.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use super::log_failure;
use crate::app::Msg;
use crate::app::workflows::{WorkflowsEffect, WorkflowsMsg};
use crate::services::Backend;

pub(super) fn spawn(effect: WorkflowsEffect, backend: Arc<dyn Backend>, tx: UnboundedSender<Msg>) {
    match effect {
        WorkflowsEffect::LoadMachines {
            request,
            account_id,
        } => {
            tokio::spawn(async move {
                let result = backend.state_machines(&account_id).await;
                log_failure("state_machines", &result);
                let _ = tx.send(Msg::Workflows(WorkflowsMsg::Machines {
                    request,
                    result,
                    at: Utc::now(),
                }));
            });
        }
    }
}
