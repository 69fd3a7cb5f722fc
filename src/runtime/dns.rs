//! Runs the DNS pane's effects: the current account's zones, and the organisation-wide inventory
//! (account directory → every account's zones and records, in parallel and paced), streamed back
//! to the pane event by event.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::{RuntimeConfig, log_failure};
use crate::app::Msg;
use crate::app::dns::{DnsEffect, DnsMsg};
use crate::services::{Backend, InventoryPlan, load_listed_inventory};

pub(super) fn spawn(
    effect: DnsEffect,
    backend: Arc<dyn Backend>,
    tx: UnboundedSender<Msg>,
    config: &RuntimeConfig,
) {
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
        DnsEffect::LoadInventory { request } => {
            let directory = config.directory.clone();
            let plan = InventoryPlan {
                concurrency: config.concurrency,
                route53_rps: config.route53_rps,
                throttle_patience: config.throttle_patience,
            };
            tokio::spawn(async move {
                let (events, mut rx) = unbounded_channel();
                let forward_tx = tx.clone();
                let forward = tokio::spawn(async move {
                    let tx = forward_tx;
                    while let Some(event) = rx.recv().await {
                        if tx
                            .send(Msg::Dns(DnsMsg::Inventory {
                                request,
                                event,
                                at: Utc::now(),
                            }))
                            .is_err()
                        {
                            // The app is gone: nobody reads the rest.
                            return;
                        }
                    }
                });
                // Each page of accounts is sent (and its accounts read) as it arrives.
                let result =
                    load_listed_inventory(backend.as_ref(), &directory, &plan, &|_| true, &events)
                        .await;
                drop(events);
                let _ = forward.await;
                log_failure("dns inventory accounts", &result);
                if let Err(e) = result {
                    // No account could be listed at all.
                    let _ = tx.send(Msg::Dns(DnsMsg::OrgAccounts {
                        request,
                        result: Err(e),
                        at: Utc::now(),
                    }));
                }
            });
        }
    }
}
