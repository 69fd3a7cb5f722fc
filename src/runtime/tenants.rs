//! Runs the Tenants pane's effects.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use super::log_failure;
use crate::app::Msg;
use crate::app::tenants::{TenantsEffect, TenantsMsg};
use crate::services::Backend;

pub(super) fn spawn(effect: TenantsEffect, backend: Arc<dyn Backend>, tx: UnboundedSender<Msg>) {
    match effect {
        TenantsEffect::LoadPools {
            request,
            account_id,
        } => {
            tokio::spawn(async move {
                let result = backend.user_pools(&account_id).await;
                log_failure("user_pools", &result);
                let _ = tx.send(Msg::Tenants(TenantsMsg::Pools {
                    request,
                    result,
                    at: Utc::now(),
                }));
            });
        }
        TenantsEffect::LoadGroups {
            request,
            account_id,
            pool_id,
        } => {
            tokio::spawn(async move {
                let result = backend.groups(&account_id, &pool_id).await;
                log_failure("groups", &result);
                let _ = tx.send(Msg::Tenants(TenantsMsg::Groups {
                    request,
                    result,
                    at: Utc::now(),
                }));
            });
        }
    }
}
