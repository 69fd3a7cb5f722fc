//! Runs the DNS pane's effects.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use super::log_failure;
use crate::app::Msg;
use crate::app::dns::{DnsEffect, DnsMsg};
use crate::services::Backend;

pub(super) fn spawn(effect: DnsEffect, backend: Arc<dyn Backend>, tx: UnboundedSender<Msg>) {
    match effect {
        DnsEffect::LoadZones {
            request,
            account_id,
        } => {
            tokio::spawn(async move {
                let result = backend.hosted_zones(&account_id).await;
                log_failure("hosted_zones", &result);
                let _ = tx.send(Msg::Dns(DnsMsg::Zones {
                    request,
                    result,
                    at: Utc::now(),
                }));
            });
        }
    }
}
