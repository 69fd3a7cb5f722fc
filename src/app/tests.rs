//! Pure update tests: state + message → new state + effects, no I/O.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::dns::{DnsEffect, DnsMsg};
use crate::app::tenants::{TenantsEffect, TenantsMsg};
use crate::app::workflows::{WorkflowsEffect, WorkflowsMsg};
use crate::config::keymap::Keymap;
use crate::domain::account::{AccessVia, AccountSource};
use crate::domain::dns::HostedZone;
use crate::domain::tenancy::{Group, UserPool};
use crate::services::ErrorKind;

pub(crate) fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

pub(crate) fn account(id: &str, name: &str) -> Account {
    Account {
        id: id.into(),
        name: name.into(),
        email: format!("aws+{name}@example.com"),
        status: "ACTIVE".into(),
        read_only: false,
    }
}

pub(crate) fn me() -> CallerIdentity {
    CallerIdentity {
        account_id: "111111111111".into(),
        arn: "arn:aws:sts::111111111111:assumed-role/Admin/alice".into(),
        user_id: "AROA:alice".into(),
    }
}

pub(crate) fn demo_accounts() -> Vec<Account> {
    vec![
        account("111111111111", "management"),
        account("222222222222", "dev"),
        account("333333333333", "staging"),
        account("444444444444", "prod"),
    ]
}

pub(crate) fn tenancy() -> TenancySettings {
    TenancySettings {
        pool_id: None,
        pattern: crate::domain::tenancy::GroupPattern::parse("{tenant}:{role}").unwrap(),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
    }
}

pub(crate) fn session() -> Session {
    Session {
        profile: Some("ops".into()),
        region: Some("eu-west-1".into()),
        endpoint: None,
        read_only: false,
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
        read_only_accounts: Vec::new(),
    }
}

/// A started state with identity and accounts loaded; returns the access-check effects.
pub(crate) fn loaded_state() -> (State, Vec<Effect>) {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    let effects = state.start();
    let (id_req, acc_req) = match effects.as_slice() {
        [
            Effect::LoadIdentity { request: a },
            Effect::LoadAccounts { request: b },
        ] => (*a, *b),
        other => panic!("unexpected start effects {other:?}"),
    };
    update(
        &mut state,
        Msg::Identity {
            request: id_req,
            result: Ok(me()),
            at: at(),
        },
    );
    let checks = update(
        &mut state,
        Msg::Accounts {
            request: acc_req,
            result: Ok(AccountList {
                accounts: demo_accounts(),
                source: AccountSource::Organizations,
            }),
            at: at(),
        },
    );
    (state, checks)
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn chars(state: &mut State, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| update(state, key(KeyCode::Char(c))))
        .collect()
}

#[test]
fn start_asks_for_identity_and_accounts() {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    let effects = state.start();
    assert_eq!(effects.len(), 2);
    assert!(state.identity.is_loading());
    assert!(state.accounts.list.is_loading());
    assert!(state.is_busy());
}

#[test]
fn loaded_accounts_are_checked_one_effect_each() {
    let (state, checks) = loaded_state();
    let ids: Vec<&str> = checks
        .iter()
        .map(|e| match e {
            Effect::CheckAccess { account_id, .. } => account_id.as_str(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        ids,
        [
            "111111111111",
            "222222222222",
            "333333333333",
            "444444444444"
        ]
    );
    assert_eq!(state.accounts.pending_checks(), 4);
}

#[test]
fn access_results_fill_in_per_account_and_a_failure_stays_on_its_row() {
    let (mut state, checks) = loaded_state();
    let Effect::CheckAccess { list_request, .. } = checks[0].clone() else {
        unreachable!()
    };
    update(
        &mut state,
        Msg::Access {
            list_request,
            account_id: "222222222222".into(),
            result: Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDenied".into()),
                "STS AssumeRole failed: not authorized",
            )),
        },
    );
    update(
        &mut state,
        Msg::Access {
            list_request,
            account_id: "111111111111".into(),
            result: Ok(Access {
                identity: me(),
                via: AccessVia::CurrentCredentials,
            }),
        },
    );
    assert_eq!(state.accounts.pending_checks(), 2);
    assert!(access_text(state.accounts.access.get("222222222222")).contains("AccessDenied"));
    assert_eq!(
        access_text(state.accounts.access.get("111111111111")),
        "ok (current credentials)"
    );
}

#[test]
fn results_of_a_superseded_request_are_dropped() {
    let (mut state, checks) = loaded_state();
    let Effect::CheckAccess {
        list_request: old, ..
    } = checks[0].clone()
    else {
        unreachable!()
    };
    let reload = update(&mut state, key(KeyCode::Char('r')));
    assert!(
        reload
            .iter()
            .any(|e| matches!(e, Effect::LoadAccounts { .. }))
    );
    // The old list's answers arrive late: neither the list nor the checks change.
    update(
        &mut state,
        Msg::Accounts {
            request: old,
            result: Ok(AccountList {
                accounts: vec![account("999999999999", "stale")],
                source: AccountSource::Organizations,
            }),
            at: at(),
        },
    );
    update(
        &mut state,
        Msg::Access {
            list_request: old,
            account_id: "222222222222".into(),
            result: Err(ServiceError::new(ErrorKind::Other, None, "late")),
        },
    );
    assert!(state.accounts.list.is_loading());
    assert!(state.accounts.access.is_empty());
}

#[test]
fn enter_makes_the_selected_account_current() {
    let (mut state, _) = loaded_state();
    assert_eq!(state.current_account_id(), Some("111111111111"));
    update(&mut state, key(KeyCode::Char('j')));
    update(&mut state, key(KeyCode::Char('j')));
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.current_account_id(), Some("333333333333"));
    assert!(state.notice.as_ref().unwrap().text.contains("staging"));
}

#[test]
fn command_line_switches_account_by_name_or_id_and_reports_unknown_ones() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char(':')));
    assert_eq!(state.mode, Mode::Command);
    chars(&mut state, "account prod");
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.current_account_id(), Some("444444444444"));
    assert_eq!(state.mode, Mode::Normal);

    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "account nope");
    update(&mut state, key(KeyCode::Enter));
    let notice = state.notice.clone().unwrap();
    assert!(notice.is_error);
    assert!(notice.text.contains("no account `nope`"));
    assert_eq!(state.current_account_id(), Some("444444444444"));
}

#[test]
fn tab_cycles_through_completions() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "account ");
    assert_eq!(state.prompt.completions.len(), 8);
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.prompt.input.value(), "account management");
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.prompt.input.value(), "account 111111111111");
    update(&mut state, key(KeyCode::BackTab));
    assert_eq!(state.prompt.input.value(), "account management");
}

#[test]
fn region_command_rebuilds_clients_then_reloads() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "region us-east-1");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(matches!(&effects[0], Effect::SwitchRegion { region } if region == "us-east-1"));
    assert!(matches!(effects[1], Effect::LoadIdentity { .. }));
    assert!(matches!(effects[2], Effect::LoadAccounts { .. }));
    assert_eq!(state.session.region.as_deref(), Some("us-east-1"));
}

#[test]
fn a_bad_region_changes_nothing() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "region moon-1");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(effects.is_empty());
    assert_eq!(state.session.region.as_deref(), Some("eu-west-1"));
    assert!(state.notice.unwrap().is_error);
}

#[test]
fn filter_narrows_live_and_escape_clears_it() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char('/')));
    chars(&mut state, "stag");
    assert_eq!(state.accounts.table.visible_len(), 1);
    assert_eq!(state.accounts.selected().unwrap().name, "staging");
    update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.mode, Mode::Normal);
    assert_eq!(state.accounts.table.visible_len(), 1);
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.accounts.table.visible_len(), 4);
}

#[test]
fn copy_puts_the_selected_account_id_on_the_clipboard() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char('G')));
    let effects = update(&mut state, key(KeyCode::Char('y')));
    assert_eq!(
        effects,
        [Effect::Copy {
            text: "444444444444".into()
        }]
    );
}

#[test]
fn export_writes_the_visible_rows_only() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char('/')));
    chars(&mut state, "prod");
    update(&mut state, key(KeyCode::Enter));
    let effects = update(&mut state, key(KeyCode::Char('e')));
    let [Effect::Export { name, rows, .. }] = effects.as_slice() else {
        panic!("expected one export, got {effects:?}")
    };
    assert_eq!(name, "accounts");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "444444444444");
}

#[test]
fn quit_keys_and_ctrl_c_stop_the_app_and_ctrl_z_suspends() {
    let (mut state, _) = loaded_state();
    let effects = update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)),
    );
    assert_eq!(effects, [Effect::Suspend]);
    assert!(state.running);
    update(&mut state, key(KeyCode::Char('q')));
    assert!(!state.running);

    let (mut state, _) = loaded_state();
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(!state.running);
}

#[test]
fn q_typed_in_the_command_line_is_text_not_quit() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "q");
    assert!(state.running);
    update(&mut state, key(KeyCode::Enter));
    assert!(!state.running);
}

#[test]
fn keys_follow_the_configured_keymap() {
    let mut keymap = Keymap::default();
    keymap.set(
        crate::config::keymap::Action::Quit,
        vec![crate::config::keymap::KeyBinding::from_event(
            &KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE),
        )],
    );
    let mut state = State::new(session(), keymap, tenancy());
    update(&mut state, key(KeyCode::Char('q')));
    assert!(state.running);
    update(&mut state, key(KeyCode::Char('x')));
    assert!(!state.running);
}

#[test]
fn pane_keys_switch_panes_and_tab_cycles() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char('2')));
    assert_eq!(state.pane, Pane::Dns);
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.pane, Pane::Workflows);
    update(&mut state, key(KeyCode::Tab));
    assert_eq!(state.pane, Pane::Accounts);
    update(&mut state, key(KeyCode::BackTab));
    assert_eq!(state.pane, Pane::Workflows);
    update(&mut state, key(KeyCode::Char('0')));
    assert_eq!(state.pane, Pane::Accounts);
}

#[test]
fn notices_expire_after_some_ticks() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Enter));
    assert!(state.notice.is_some());
    for _ in 0..NOTICE_TICKS {
        update(&mut state, Msg::Tick);
    }
    assert!(state.notice.is_none());
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    let effects = state.start();
    let Effect::LoadAccounts { request } = effects[1] else {
        unreachable!()
    };
    let many: Vec<Account> = (0..100)
        .map(|i| account(&format!("{:012}", i), &format!("acct{i}")))
        .collect();
    update(
        &mut state,
        Msg::Accounts {
            request,
            result: Ok(AccountList {
                accounts: many,
                source: AccountSource::Organizations,
            }),
            at: at(),
        },
    );
    update(&mut state, key(KeyCode::Char('G')));
    update(&mut state, Msg::Resize(80, 10));
    let rows = layout::table_rows(10);
    let window = state.accounts.table.window(rows);
    assert!(window.contains(&99), "window {window:?}");
}

fn zone(name: &str) -> HostedZone {
    HostedZone {
        id: format!("Z{}", name.len()),
        name: name.into(),
        private: false,
        record_count: 3,
        comment: String::new(),
    }
}

fn group(name: &str) -> Group {
    Group {
        name: name.into(),
        description: format!("{name} group"),
        precedence: None,
    }
}

fn pool(id: &str, name: &str) -> UserPool {
    UserPool {
        id: id.into(),
        name: name.into(),
    }
}

#[test]
fn opening_the_dns_pane_loads_the_current_accounts_zones_once() {
    let (mut state, _) = loaded_state();
    let effects = update(&mut state, key(KeyCode::Char('2')));
    let [
        Effect::Dns(DnsEffect::LoadZones {
            request,
            account_id,
        }),
    ] = effects.as_slice()
    else {
        panic!("expected one zone load, got {effects:?}")
    };
    assert_eq!(account_id, "111111111111");
    let request = *request;
    // Moving around does not load again.
    assert!(update(&mut state, key(KeyCode::Char('j'))).is_empty());
    update(
        &mut state,
        Msg::Dns(DnsMsg::Zones {
            request,
            result: Ok(vec![zone("example.com"), zone("dev.example.com")]),
            at: at(),
        }),
    );
    assert_eq!(state.dns.zones.items().len(), 2);
    assert!(update(&mut state, key(KeyCode::Char('0'))).is_empty());
    assert!(update(&mut state, key(KeyCode::Char('2'))).is_empty());
}

#[test]
fn switching_account_reloads_the_pane_and_drops_the_old_accounts_answer() {
    let (mut state, _) = loaded_state();
    let first = update(&mut state, key(KeyCode::Char('2')));
    let Effect::Dns(DnsEffect::LoadZones { request: old, .. }) = first[0].clone() else {
        unreachable!()
    };
    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "account dev");
    let effects = update(&mut state, key(KeyCode::Enter));
    let [
        Effect::Dns(DnsEffect::LoadZones {
            request: new,
            account_id,
        }),
    ] = effects.as_slice()
    else {
        panic!("expected a reload, got {effects:?}")
    };
    assert_eq!(account_id, "222222222222");
    update(
        &mut state,
        Msg::Dns(DnsMsg::Zones {
            request: old,
            result: Ok(vec![zone("stale.example.com")]),
            at: at(),
        }),
    );
    assert!(state.dns.zones.list.is_loading());
    update(
        &mut state,
        Msg::Dns(DnsMsg::Zones {
            request: *new,
            result: Ok(vec![zone("dev.example.com")]),
            at: at(),
        }),
    );
    assert_eq!(state.dns.zones.items()[0].name, "dev.example.com");
}

#[test]
fn a_single_user_pool_opens_by_itself_and_groups_become_tenants() {
    let (mut state, _) = loaded_state();
    let effects = update(&mut state, key(KeyCode::Char('1')));
    let [Effect::Tenants(TenantsEffect::LoadPools { request, .. })] = effects.as_slice() else {
        panic!("expected a pool load, got {effects:?}")
    };
    let effects = update(
        &mut state,
        Msg::Tenants(TenantsMsg::Pools {
            request: *request,
            result: Ok(vec![pool("eu-west-1_abc", "customers")]),
            at: at(),
        }),
    );
    let [
        Effect::Tenants(TenantsEffect::LoadGroups {
            request, pool_id, ..
        }),
    ] = effects.as_slice()
    else {
        panic!("expected a group load, got {effects:?}")
    };
    assert_eq!(pool_id, "eu-west-1_abc");
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Groups {
            request: *request,
            result: Ok(vec![
                group("acme:admin"),
                group("acme:member"),
                group("Admins"),
            ]),
            at: at(),
        }),
    );
    assert_eq!(state.tenants.tenants.items().len(), 1);
    assert_eq!(state.tenants.other_groups.len(), 1);
    // The only pool was opened for the operator: Esc goes back to the pool list.
    update(&mut state, key(KeyCode::Esc));
    assert!(state.tenants.choosing_pool());
}

#[test]
fn with_several_pools_enter_opens_the_selected_one() {
    let (mut state, _) = loaded_state();
    let effects = update(&mut state, key(KeyCode::Char('1')));
    let [Effect::Tenants(TenantsEffect::LoadPools { request, .. })] = effects.as_slice() else {
        unreachable!()
    };
    let none = update(
        &mut state,
        Msg::Tenants(TenantsMsg::Pools {
            request: *request,
            result: Ok(vec![pool("p1", "staff"), pool("p2", "customers")]),
            at: at(),
        }),
    );
    assert!(none.is_empty());
    update(&mut state, key(KeyCode::Char('j')));
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Tenants(TenantsEffect::LoadGroups { pool_id, .. })] if pool_id == "p2"
    ));
}

#[test]
fn a_configured_pool_is_opened_without_listing_pools() {
    let mut tenancy = tenancy();
    tenancy.pool_id = Some("eu-west-1_conf".into());
    let mut state = State::new(session(), Keymap::default(), tenancy);
    let effects = state.start();
    let Effect::LoadIdentity { request } = effects[0] else {
        unreachable!()
    };
    update(&mut state, key(KeyCode::Char('1')));
    let effects = update(
        &mut state,
        Msg::Identity {
            request,
            result: Ok(me()),
            at: at(),
        },
    );
    assert!(matches!(
        effects.as_slice(),
        [Effect::Tenants(TenantsEffect::LoadGroups { pool_id, .. })] if pool_id == "eu-west-1_conf"
    ));
    update(&mut state, key(KeyCode::Esc));
    assert!(!state.tenants.choosing_pool());
}

#[test]
fn a_failed_pane_load_keeps_the_error_and_r_retries() {
    let (mut state, _) = loaded_state();
    let effects = update(&mut state, key(KeyCode::Char('3')));
    let [Effect::Workflows(WorkflowsEffect::LoadMachines { request, .. })] = effects.as_slice()
    else {
        unreachable!()
    };
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Machines {
            request: *request,
            result: Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDeniedException".into()),
                "Step Functions ListStateMachines failed: denied",
            )),
            at: at(),
        }),
    );
    assert!(matches!(
        state.workflows.machines.list,
        Loadable::Failed { .. }
    ));
    let retry = update(&mut state, key(KeyCode::Char('r')));
    assert!(matches!(
        retry.as_slice(),
        [Effect::Workflows(WorkflowsEffect::LoadMachines { .. })]
    ));
}

#[test]
fn switching_region_forgets_what_the_panes_loaded() {
    let (mut state, _) = loaded_state();
    let effects = update(&mut state, key(KeyCode::Char('2')));
    let Effect::Dns(DnsEffect::LoadZones { request, .. }) = effects[0].clone() else {
        unreachable!()
    };
    update(
        &mut state,
        Msg::Dns(DnsMsg::Zones {
            request,
            result: Ok(vec![zone("example.com")]),
            at: at(),
        }),
    );
    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "region us-east-1");
    update(&mut state, key(KeyCode::Enter));
    assert!(state.dns.zones.items().is_empty());
}

#[test]
fn copy_and_export_follow_the_visible_pane() {
    let (mut state, _) = loaded_state();
    let effects = update(&mut state, key(KeyCode::Char('2')));
    let Effect::Dns(DnsEffect::LoadZones { request, .. }) = effects[0].clone() else {
        unreachable!()
    };
    update(
        &mut state,
        Msg::Dns(DnsMsg::Zones {
            request,
            result: Ok(vec![zone("example.com")]),
            at: at(),
        }),
    );
    assert_eq!(
        update(&mut state, key(KeyCode::Char('y'))),
        [Effect::Copy { text: "Z11".into() }]
    );
    // `e` asks for the format first; `c` is CSV.
    assert!(update(&mut state, key(KeyCode::Char('e'))).is_empty());
    let export = update(&mut state, key(KeyCode::Char('c')));
    assert!(matches!(
        export.as_slice(),
        [Effect::Export { name, rows, .. }] if name == "hosted-zones" && rows.len() == 1
    ));
}

#[test]
fn find_and_delegations_on_the_command_line_open_the_dns_pane_and_load_the_organisation() {
    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "find api.dev.example.com");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.pane, Pane::Dns);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Dns(_))),
        "the organisation inventory starts loading: {effects:?}"
    );

    let (mut state, _) = loaded_state();
    update(&mut state, key(KeyCode::Char(':')));
    chars(&mut state, "delegations");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert_eq!(state.pane, Pane::Dns);
    assert!(effects.iter().any(|e| matches!(e, Effect::Dns(_))));
}

#[test]
fn a_running_change_shows_its_progress_until_it_ends() {
    let (mut state, _) = loaded_state();
    update(
        &mut state,
        Msg::Progress {
            title: "Import 40 users into acme".into(),
            done: 12,
            total: 40,
        },
    );
    assert_eq!(state.progress.as_ref().map(|p| p.done), Some(12));
    assert!(state.is_busy());
    update(
        &mut state,
        Msg::Executed {
            title: "Import 40 users into acme".into(),
            result: Ok(()),
            steps: vec!["done: 1. create user a@acme.example".into()],
        },
    );
    assert!(state.progress.is_none());
    assert!(state.notice.as_ref().unwrap().text.contains("done: Import"));
    assert_eq!(state.mode, Mode::Normal, "one step: no report to read");
}

#[test]
fn a_change_of_several_calls_reports_every_step_and_esc_closes_it() {
    let (mut state, _) = loaded_state();
    let steps: Vec<String> = (1..=30)
        .map(|i| format!("done: {i}. create user u{i}@acme.example"))
        .chain(["FAILED: 31. create user bad@acme.example: LimitExceeded".to_owned()])
        .collect();
    update(
        &mut state,
        Msg::Executed {
            title: "Import 31 users into acme".into(),
            result: Err("step 31 failed: LimitExceeded".into()),
            steps: steps.clone(),
        },
    );
    assert_eq!(state.mode, Mode::Report);
    assert_eq!(state.report.as_ref().unwrap().lines, steps);
    assert!(state.report.as_ref().unwrap().title.starts_with("stopped"));
    // A frame drew the 31 lines, 18 of them fit: G puts the last one at the bottom of the box.
    state.report.as_ref().unwrap().scroll.show(31, 18);
    update(&mut state, key(KeyCode::Char('G')));
    assert_eq!(state.report.as_ref().unwrap().scroll.top(), 13);
    let copied = update(&mut state, key(KeyCode::Char('y')));
    assert!(matches!(&copied[..], [Effect::Copy { text }] if text.lines().count() == 31));
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.mode, Mode::Normal);
    assert!(state.report.is_none());
}

#[test]
fn each_finished_change_reloads_the_pane_that_planned_it() {
    use crate::app::workflows::fixtures::executions_state;
    use crate::domain::plan::{Danger, Plan, Step};
    use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};

    // A start confirmed on the Workflows pane...
    let mut state = executions_state();
    update(&mut state, key(KeyCode::Char('n')));
    update(&mut state, key(KeyCode::Enter));
    chars(&mut state, "y");
    let effects = update(&mut state, key(KeyCode::Enter));
    let [Effect::Execute(start)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let start = start.plan().title.clone();
    // ...then a Tenants plan whose pool was slow to read arrives, still on the Workflows pane,
    // and is confirmed while the start runs.
    let request = RequestId(9_999);
    state.tenants.planning = Some(request);
    let plan = Plan {
        title: "Enable ava".into(),
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        steps: vec![
            Step::new("cognito-idp", "AdminEnableUser", "ava", "enable the user").with_action(
                CognitoCall {
                    account_id: "111111111111".into(),
                    pool_id: "p1".into(),
                    op: CognitoOp::EnableUser {
                        username: "ava".into(),
                    },
                },
            ),
        ],
        danger: Danger::Normal,
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Planned {
            request,
            result: Ok(Some(plan)),
            nothing: String::new(),
        }),
    );
    assert_eq!((state.mode, state.pane), (Mode::Confirm, Pane::Workflows));
    chars(&mut state, "y");
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Execute(_)]));

    // Each end reloads its own pane, in whatever order they end: not the pane on screen, and
    // not the pane of the change confirmed last.
    let done = |state: &mut State, title: &str| {
        update(
            state,
            Msg::Executed {
                title: title.into(),
                result: Ok(()),
                steps: vec!["done: 1.".into()],
            },
        )
    };
    let effects = done(&mut state, "Enable ava");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Tenants(_)))
            && !effects.iter().any(|e| matches!(e, Effect::Workflows(_))),
        "the Tenants pane reloads: {effects:?}"
    );
    let effects = done(&mut state, &start);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Workflows(_))),
        "the Workflows pane reloads: {effects:?}"
    );
}

#[test]
fn a_plan_arriving_while_another_dialog_is_open_does_not_replace_it() {
    use crate::app::workflows::fixtures::executions_state;
    use crate::domain::plan::{Danger, Plan, Step};
    use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};

    // The operator is answering the dialog of a start, `y` typed...
    let mut state = executions_state();
    update(&mut state, key(KeyCode::Char('n')));
    update(&mut state, key(KeyCode::Enter));
    let shown = state.confirm.as_ref().unwrap().plan.clone();
    chars(&mut state, "y");
    // ...when a Tenants plan whose pool was slow to read arrives.
    let request = RequestId(9_999);
    state.tenants.planning = Some(request);
    let remove = Plan {
        title: "Remove ava from tenant acme".into(),
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        steps: vec![
            Step::new("cognito-idp", "AdminRemoveUserFromGroup", "ava", "remove").with_action(
                CognitoCall {
                    account_id: "111111111111".into(),
                    pool_id: "p1".into(),
                    op: CognitoOp::RemoveFromGroup {
                        username: "ava".into(),
                        group: "acme:admin".into(),
                    },
                },
            ),
        ],
        danger: Danger::Destructive {
            confirm_text: "ava".into(),
        },
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Planned {
            request,
            result: Ok(Some(remove)),
            nothing: String::new(),
        }),
    );
    // The dialog and the answer typed into it stay; the late plan is dropped, and said so.
    let dialog = state.confirm.as_ref().unwrap();
    assert_eq!((&dialog.plan, dialog.input.value()), (&shown, "y"));
    assert_eq!(state.mode, Mode::Confirm);
    let notice = state.notice.as_ref().unwrap();
    assert!(
        notice.is_error && notice.text.contains("Remove ava from tenant acme"),
        "{notice:?}"
    );
    let effects = update(&mut state, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::Execute(a)] if a.plan() == &shown),
        "{effects:?}"
    );
}
