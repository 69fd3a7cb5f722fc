//! The panes as the shell drives them: loading when shown, reloading for another account or
//! region, retries, and copy and export of the visible pane.

use crossterm::event::KeyCode;

use super::{at, loaded_state, me, session, tenancy};
use crate::app::dns::{DnsEffect, DnsMsg};
use crate::app::tenants::{TenantsEffect, TenantsMsg};
use crate::app::testkit::{chars, press};
use crate::app::workflows::{WorkflowsEffect, WorkflowsMsg};
use crate::app::{Effect, Loadable, Msg, State, update};
use crate::config::keymap::Keymap;
use crate::domain::dns::HostedZone;
use crate::domain::tenancy::{Group, UserPool};
use crate::services::{ErrorKind, ServiceError};

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
    let effects = press(&mut state, KeyCode::Char('2'));
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
    assert!(press(&mut state, KeyCode::Char('j')).is_empty());
    update(
        &mut state,
        Msg::Dns(DnsMsg::Zones {
            request,
            result: Ok(vec![zone("example.com"), zone("dev.example.com")]),
            at: at(),
        }),
    );
    assert_eq!(state.dns.zones.items().len(), 2);
    assert!(press(&mut state, KeyCode::Char('0')).is_empty());
    assert!(press(&mut state, KeyCode::Char('2')).is_empty());
}

#[test]
fn switching_account_reloads_the_pane_and_drops_the_old_accounts_answer() {
    let (mut state, _) = loaded_state();
    let first = press(&mut state, KeyCode::Char('2'));
    let Effect::Dns(DnsEffect::LoadZones { request: old, .. }) = first[0].clone() else {
        unreachable!()
    };
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "account dev");
    let effects = press(&mut state, KeyCode::Enter);
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
    let effects = press(&mut state, KeyCode::Char('1'));
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
    press(&mut state, KeyCode::Esc);
    assert!(state.tenants.choosing_pool());
}

#[test]
fn with_several_pools_enter_opens_the_selected_one() {
    let (mut state, _) = loaded_state();
    let effects = press(&mut state, KeyCode::Char('1'));
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
    press(&mut state, KeyCode::Char('j'));
    let effects = press(&mut state, KeyCode::Enter);
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
    press(&mut state, KeyCode::Char('1'));
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
    press(&mut state, KeyCode::Esc);
    assert!(!state.tenants.choosing_pool());
}

#[test]
fn a_failed_pane_load_keeps_the_error_and_r_retries() {
    let (mut state, _) = loaded_state();
    let effects = press(&mut state, KeyCode::Char('3'));
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
    let retry = press(&mut state, KeyCode::Char('r'));
    assert!(matches!(
        retry.as_slice(),
        [Effect::Workflows(WorkflowsEffect::LoadMachines { .. })]
    ));
}

#[test]
fn switching_region_forgets_what_the_panes_loaded() {
    let (mut state, _) = loaded_state();
    let effects = press(&mut state, KeyCode::Char('2'));
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
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "region us-east-1");
    press(&mut state, KeyCode::Enter);
    assert!(state.dns.zones.items().is_empty());
}

#[test]
fn copy_and_export_follow_the_visible_pane() {
    let (mut state, _) = loaded_state();
    let effects = press(&mut state, KeyCode::Char('2'));
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
        press(&mut state, KeyCode::Char('y')),
        [Effect::Copy { text: "Z11".into() }]
    );
    // `e` asks for the format first; `c` is CSV.
    assert!(press(&mut state, KeyCode::Char('e')).is_empty());
    let export = press(&mut state, KeyCode::Char('c'));
    assert!(matches!(
        export.as_slice(),
        [Effect::Export { name, rows, .. }] if name == "hosted-zones" && rows.len() == 1
    ));
}
