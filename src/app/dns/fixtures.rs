//! The DNS pane's test organisation: three accounts (one denied), their zones and records, and
//! the pane opened on them; shared with the UI's snapshot tests.

use crossterm::event::KeyCode;

use super::{DnsEffect, DnsMsg, View};
use crate::app::loadable::RequestId;
use crate::app::testkit::press;
use crate::app::tests::{account, at, loaded_state};
use crate::app::{Effect, Msg, State, update};
use crate::domain::dns::{
    AccountStatus, HostedZone, InventoryEvent, RecordSet, Routing, ZoneDetail,
};

pub(crate) fn zone(name: &str, private: bool) -> ZoneDetail {
    ZoneDetail {
        zone: HostedZone {
            id: format!("Z{}", name.replace('.', "").to_uppercase()),
            name: name.into(),
            private,
            record_count: 2,
            comment: format!("{name} zone"),
        },
        vpcs: if private {
            vec!["us-east-1/vpc-0abc".into()]
        } else {
            vec![]
        },
    }
}

pub(crate) fn rec(name: &str, kind: &str, ttl: i64, values: &[&str]) -> RecordSet {
    RecordSet {
        name: name.into(),
        kind: kind.into(),
        ttl: Some(ttl),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        alias: None,
        set_identifier: None,
        routing: Routing {
            policy: "simple".into(),
            ..Routing::default()
        },
    }
}

pub(crate) fn event(state: &mut State, request: RequestId, event: InventoryEvent) {
    update(
        state,
        Msg::Dns(DnsMsg::Inventory {
            request,
            event,
            at: at(),
        }),
    );
}

/// The DNS pane opened and `Esc` pressed: the organisation's load asked for.
pub(crate) fn org_view() -> (State, RequestId) {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char('2'));
    let effects = press(&mut state, KeyCode::Esc);
    let [Effect::Dns(DnsEffect::LoadInventory { request })] = effects.as_slice() else {
        panic!("expected the inventory load, got {effects:?}")
    };
    assert_eq!(state.dns.view, View::Accounts);
    (state, *request)
}

/// The organisation of one account (`one`, 111111111111) loading `zones`, with the all-records
/// view open.
pub(crate) fn all_records_of(zones: Vec<ZoneDetail>) -> (State, RequestId) {
    let (mut state, request) = org_view();
    let msg = DnsMsg::OrgAccounts {
        request,
        result: Ok(vec![account("111111111111", "one")]),
        at: at(),
    };
    update(&mut state, Msg::Dns(msg));
    press(&mut state, KeyCode::Enter);
    event(&mut state, request, InventoryEvent::Started { account: 0 });
    event(
        &mut state,
        request,
        InventoryEvent::Zones { account: 0, zones },
    );
    (state, request)
}

/// The organisation with its accounts: management ok with the root zone, dev ok with two
/// zones, prod denied; `dev` still loading unless `finish`.
pub(crate) fn org_loaded(finish: bool) -> (State, RequestId) {
    let (mut state, request) = org_view();
    update(
        &mut state,
        Msg::Dns(DnsMsg::OrgAccounts {
            request,
            result: Ok(vec![
                account("111111111111", "management"),
                account("222222222222", "dev"),
                account("333333333333", "prod"),
            ]),
            at: at(),
        }),
    );
    for account in 0..3 {
        event(&mut state, request, InventoryEvent::Started { account });
    }
    event(
        &mut state,
        request,
        InventoryEvent::Zones {
            account: 0,
            zones: vec![zone("example.com", false)],
        },
    );
    event(
        &mut state,
        request,
        InventoryEvent::Records {
            account: 0,
            zone: 0,
            records: vec![
                rec("example.com", "NS", 172800, &["ns-1.awsdns-01.org."]),
                rec("dev.example.com", "NS", 172800, &["ns-1.awsdns-01.org."]),
                rec("www.example.com", "A", 300, &["192.0.2.1"]),
            ],
        },
    );
    event(
        &mut state,
        request,
        InventoryEvent::Finished {
            account: 0,
            status: AccountStatus::Ok,
        },
    );
    event(
        &mut state,
        request,
        InventoryEvent::Zones {
            account: 1,
            zones: vec![
                zone("dev.example.com", false),
                zone("internal.dev.example.com", true),
            ],
        },
    );
    event(
        &mut state,
        request,
        InventoryEvent::Records {
            account: 1,
            zone: 0,
            records: vec![
                rec("dev.example.com", "NS", 172800, &["ns-1.awsdns-01.org"]),
                rec("api.dev.example.com", "A", 60, &["192.0.2.10"]),
                rec("dev.example.com", "MX", 3600, &["10 mx.example.com."]),
            ],
        },
    );
    event(
        &mut state,
        request,
        InventoryEvent::Finished {
            account: 2,
            status: AccountStatus::Denied(
                "STS AssumeRole failed: not authorized (AccessDenied)".into(),
            ),
        },
    );
    if finish {
        event(
            &mut state,
            request,
            InventoryEvent::Finished {
                account: 1,
                status: AccountStatus::Ok,
            },
        );
    }
    (state, request)
}
