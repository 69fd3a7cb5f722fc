//! The fake DNS service: hosted zones and the organisation's inventory events.

use opsdeck::app::RequestId;
use opsdeck::app::dns::{DnsEffect, DnsMsg};
use opsdeck::domain::dns::{AccountStatus, HostedZone, InventoryEvent, ZoneDetail};

use crate::fake::{accounts, at, count, error};
use crate::scenario::Answer;

fn zone(i: usize) -> HostedZone {
    HostedZone {
        id: format!("Z{i:05}"),
        name: format!("t{i}.example.com."),
        private: i % 2 == 1,
        record_count: 2 + i as i64,
        comment: String::new(),
    }
}

/// DNS answers. An inventory request is answered with its account list first; answering it
/// again sends one inventory event, with indices inside what that list could hold.
pub(crate) fn respond_dns(
    effect: &DnsEffect,
    answer: Answer,
    wrong: Option<RequestId>,
) -> Vec<DnsMsg> {
    let Answer { ok, variant } = answer;
    let id = |request: &RequestId| wrong.unwrap_or(*request);
    match effect {
        DnsEffect::LoadZones { request, .. } => vec![DnsMsg::Zones {
            request: id(request),
            result: if ok {
                Ok((0..count(variant, 5)).map(zone).collect())
            } else {
                Err(error(variant))
            },
            at: at(),
        }],
        DnsEffect::LoadInventory { request } => {
            let request = id(request);
            let listed = accounts(4, 0);
            let mut msgs = vec![DnsMsg::OrgAccounts {
                request,
                result: if ok {
                    Ok(listed.clone())
                } else {
                    Err(error(variant))
                },
                at: at(),
            }];
            if ok {
                // The events of a whole fetch, some accounts cut short by `variant`.
                for (account, _) in listed.iter().enumerate() {
                    let mut events = vec![InventoryEvent::Started { account }];
                    let zones = count(variant.rotate_left(account as u32), 3);
                    events.push(InventoryEvent::Zones {
                        account,
                        zones: (0..zones)
                            .map(|z| ZoneDetail {
                                zone: zone(z),
                                vpcs: Vec::new(),
                            })
                            .collect(),
                    });
                    for z in 0..zones {
                        events.push(InventoryEvent::Records {
                            account,
                            zone: z,
                            records: Vec::new(),
                        });
                        events.push(if (variant >> z) & 1 == 0 {
                            InventoryEvent::ZoneDone { account, zone: z }
                        } else {
                            InventoryEvent::ZoneFailed {
                                account,
                                zone: z,
                                error: "Throttling".into(),
                            }
                        });
                    }
                    if (variant >> account) & 2 == 0 {
                        events.push(InventoryEvent::Finished {
                            account,
                            status: if account == 1 {
                                AccountStatus::Denied("AccessDenied".into())
                            } else {
                                AccountStatus::Ok
                            },
                        });
                    }
                    msgs.extend(events.into_iter().map(|event| DnsMsg::Inventory {
                        request,
                        event,
                        at: at(),
                    }));
                }
            }
            msgs
        }
    }
}
