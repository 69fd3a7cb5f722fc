//! What the DNS benches share: records of a made-up organisation and the dashboard on its
//! all-records view, the inventory asked for (included by `benches/dns.rs` and
//! `benches/dashboard.rs`).

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use opsdeck::app::dns::{DnsEffect, DnsMsg};
use opsdeck::app::tenants::TenancySettings;
use opsdeck::app::{Effect, Msg, RequestId, Session, State, update};
use opsdeck::config::keymap::Keymap;
use opsdeck::domain::account::Account;
use opsdeck::domain::dns::{RecordSet, Routing};
use opsdeck::domain::tenancy::GroupPattern;

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn record(account: usize, zone: usize, i: usize) -> RecordSet {
    let kinds = ["A", "AAAA", "CNAME", "TXT", "MX"];
    RecordSet {
        name: format!("host-{i:06}.zone{zone}.env{account}.example.com"),
        kind: kinds[i % kinds.len()].into(),
        ttl: Some(300),
        values: vec![format!("192.0.2.{}", i % 250)],
        alias: None,
        set_identifier: None,
        routing: Routing {
            policy: "simple".into(),
            ..Routing::default()
        },
    }
}

/// The dashboard at `width` × `height` on the DNS pane's all-records view, the inventory of an
/// organisation of `accounts` accounts asked for.
pub fn org_state(accounts: usize, width: u16, height: u16) -> (State, RequestId) {
    let session = Session {
        profile: Some("ops".into()),
        region: Some("eu-west-1".into()),
        endpoint: None,
        read_only: false,
        regions: vec!["eu-west-1".into()],
        scope_regions: Vec::new(),
        read_only_accounts: Vec::new(),
        tag: "b3nch0".into(),
    };
    let tenancy = TenancySettings {
        pool_id: None,
        pattern: GroupPattern::parse("{tenant}:{role}").expect("the default pattern parses"),
        roles: vec!["admin".into()],
    };
    let mut state = State::new(session, Keymap::default(), tenancy);
    update(&mut state, Msg::Resize(width, height));
    update(&mut state, key(KeyCode::Char('2')));
    let effects = update(&mut state, key(KeyCode::Esc));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Dns(DnsEffect::LoadInventory { request }) => Some(*request),
            _ => None,
        })
        .expect("Esc on the DNS pane loads the inventory");
    let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
    let accounts = (0..accounts)
        .map(|i| Account {
            id: format!("{:012}", 200_000_000_000u64 + i as u64),
            name: format!("env{i}"),
            email: String::new(),
            status: "ACTIVE".into(),
            read_only: false,
        })
        .collect();
    update(
        &mut state,
        Msg::Dns(DnsMsg::OrgAccounts {
            request,
            result: Ok(accounts),
            at,
        }),
    );
    update(&mut state, key(KeyCode::Enter));
    (state, request)
}
