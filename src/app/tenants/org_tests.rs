//! The Tenants pane across the organisation: the tenants of every pool of every account × region
//! with a status per target, and a tenant opened in its own account, region and pool, where every
//! read and change goes.

use crossterm::event::KeyCode;

use super::{OrgRow, TenantsEffect, TenantsMsg, View};
use crate::app::pane::PaneState;
use crate::app::scope::Scope;
use crate::app::testkit::press;
use crate::app::tests::{account, at, loaded_state};
use crate::app::{Effect, Msg, State, update};
use crate::domain::tenancy::Tenant;
use crate::domain::tenancy::UserPool;
use crate::domain::tenancy::plan::Intent;
use crate::domain::tenancy::users::Counts;
use crate::services::org_tenants::PoolTenants;
use crate::services::scope::{Status, Target};

use super::fixtures::user;

const PROD: &str = "444444444444";

fn target(id: &str, name: &str, region: &str) -> Target {
    Target {
        account: account(id, name),
        region: region.into(),
    }
}

fn pool(id: &str, name: &str, tenants: &[(&str, usize)], counted: bool) -> PoolTenants {
    let state = State::new(
        crate::app::tests::session(),
        crate::config::keymap::Keymap::default(),
        crate::app::tests::tenancy(),
    );
    PoolTenants {
        pool: UserPool {
            id: id.into(),
            name: name.into(),
        },
        tenancy: state.tenants.tenancy(),
        tenants: tenants
            .iter()
            .map(|(t, users)| {
                (
                    Tenant {
                        id: (*t).into(),
                        description: format!("{t} corp"),
                        roles: vec!["admin".into(), "member".into()],
                    },
                    Counts {
                        users: *users,
                        roles: [("admin".to_owned(), 1), ("member".to_owned(), users - 1)].into(),
                    },
                )
            })
            .collect(),
        counted,
    }
}

/// The Tenants pane with the organisation scope over two regions: management (eu-west-1) with
/// acme, prod (us-east-1) with globex and initech, staging denied.
pub(crate) fn org_state() -> State {
    let (mut state, _) = loaded_state();
    state.scope = Scope::Organisation {
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
    };
    let effects = press(&mut state, KeyCode::Char('1'));
    let [Effect::Tenants(TenantsEffect::LoadOrg { request, org })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(org.regions, ["eu-west-1", "us-east-1"]);
    let request = *request;
    assert_eq!(state.tenants.view(), View::Org);
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::OrgTargets {
            request,
            targets: 4,
        }),
    );
    let answers = [
        (
            target("111111111111", "management", "eu-west-1"),
            Status::Ok,
            vec![pool("eu-west-1_a", "customers", &[("acme", 3)], true)],
        ),
        (
            target(PROD, "prod", "us-east-1"),
            Status::Ok,
            vec![pool(
                "us-east-1_p",
                "prod-users",
                &[("globex", 2), ("initech", 5)],
                false,
            )],
        ),
        (
            target("333333333333", "staging", "eu-west-1"),
            Status::Denied("STS AssumeRole failed (AccessDenied)".into()),
            Vec::new(),
        ),
    ];
    let mut asked = Vec::new();
    for (target, status, pools) in answers {
        asked.extend(update(
            &mut state,
            Msg::Tenants(TenantsMsg::OrgTarget {
                request,
                target,
                status,
                pools,
                at: at(),
            }),
        ));
    }
    // prod's pool came without counts (groups model): its tenants on screen are counted there.
    assert_eq!(asked.len(), 2, "{asked:?}");
    for effect in asked {
        let Effect::Tenants(TenantsEffect::InRegion { region, effect }) = effect else {
            panic!("{effect:?}")
        };
        assert_eq!(region, "us-east-1");
        let TenantsEffect::CountTenant {
            request,
            account_id,
            pool_id,
            tenant,
            ..
        } = *effect
        else {
            panic!("{effect:?}")
        };
        assert_eq!(
            (account_id.as_str(), pool_id.as_str()),
            (PROD, "us-east-1_p")
        );
        let users = if tenant.id == "globex" { 2 } else { 5 };
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Counted {
                request,
                tenant: tenant.id,
                result: Ok(Counts {
                    users,
                    roles: [("admin".to_owned(), 1), ("member".to_owned(), users - 1)].into(),
                }),
            }),
        );
    }
    state
}

fn cells(state: &State) -> Vec<Vec<String>> {
    state
        .tenants
        .org
        .items()
        .iter()
        .map(crate::rows::Cells::cells)
        .collect()
}

#[test]
fn the_organisation_scope_lists_every_pools_tenants_as_targets_answer() {
    let mut state = org_state();
    assert!(state.tenants.is_busy(), "one target has not answered");
    assert_eq!(
        state.tenants.org_progress.text(),
        "3/4 account×region · 1 denied"
    );
    let rows = cells(&state);
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(
        rows[1],
        [
            "prod (444444444444)",
            "us-east-1",
            "prod-users",
            "globex",
            "2",
            "admin=1 member=1"
        ]
    );
    assert!(rows[3][3].starts_with("denied: STS AssumeRole"), "{rows:?}");
    let request = state.tenants.org_request.unwrap();
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::OrgDone {
            request,
            result: Ok(()),
            at: at(),
        }),
    );
    assert!(!state.tenants.is_busy());
    assert_eq!(cells(&state).len(), 4);
    // Back in the current account and region: the pool's own tenant list again.
    state.scope = Scope::Here;
    let effects = press(&mut state, KeyCode::Char('r'));
    assert!(
        matches!(
            effects.first(),
            Some(Effect::Tenants(TenantsEffect::LoadPools { .. }))
        ),
        "{effects:?}"
    );
}

fn select(state: &mut State, tenant: &str) {
    let i = state
        .tenants
        .org
        .items()
        .iter()
        .position(|r: &OrgRow| {
            r.place
                .as_ref()
                .and_then(|p| p.tenant.as_ref())
                .is_some_and(|t| t.id == tenant)
        })
        .unwrap();
    for _ in 0..i {
        press(state, KeyCode::Down);
    }
}

/// prod's initech opened from the organisation list, its users answered with bob.
pub(crate) fn initech_opened() -> State {
    let mut state = org_state();
    select(&mut state, "initech");
    let effects = press(&mut state, KeyCode::Enter);
    let [Effect::Tenants(TenantsEffect::InRegion { region, effect })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(region, "us-east-1");
    let TenantsEffect::LoadMembers {
        request,
        account_id,
        pool_id,
        tenant,
        ..
    } = effect.as_ref()
    else {
        panic!("{effect:?}")
    };
    assert_eq!(
        (account_id.as_str(), pool_id.as_str(), tenant.id.as_str()),
        (PROD, "us-east-1_p", "initech")
    );
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Members {
            request: *request,
            result: Ok(vec![("member".into(), vec![user("bob")])]),
            at: at(),
        }),
    );
    state
}

#[test]
fn enter_opens_a_tenant_in_its_own_account_region_and_pool_and_its_changes_go_there() {
    let mut state = initech_opened();
    assert_eq!(state.tenants.view(), View::Members);
    // A user's view, read there too.
    let effects = press(&mut state, KeyCode::Enter);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Tenants(TenantsEffect::InRegion { region, effect })]
                if region == "us-east-1" && matches!(effect.as_ref(),
                    TenantsEffect::LoadUser { account_id, pool_id, username, .. }
                    if account_id == PROD && pool_id == "us-east-1_p" && username == "bob")
        ),
        "{effects:?}"
    );
    press(&mut state, KeyCode::Esc);
    // Disable bob: planned in prod, us-east-1, the tenant's pool.
    press(&mut state, KeyCode::Char('c'));
    assert!(state.tenants.menu.is_some());
    let effects = press(&mut state, KeyCode::Char('4'));
    let [Effect::Tenants(TenantsEffect::InRegion { region, effect })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(region, "us-east-1");
    let TenantsEffect::Plan { target, intent, .. } = effect.as_ref() else {
        panic!("{effect:?}")
    };
    assert_eq!(
        (
            target.account_id.as_str(),
            target.region.as_str(),
            target.pool_id.as_str()
        ),
        (PROD, "us-east-1", "us-east-1_p")
    );
    assert!(matches!(intent, Intent::SetEnabled { enabled: false, .. }));
    // Onboarding a user into the tenant goes there too.
    press(&mut state, KeyCode::Char('n'));
    assert!(state.tenants.form.is_some());
    press(&mut state, KeyCode::Esc);
    // Esc: back to the organisation's list, the place left.
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.tenants.view(), View::Org);
    assert!(state.tenants.place.is_none());
}

#[test]
fn a_read_only_account_of_the_organisation_refuses_before_a_form_or_menu_opens() {
    let mut state = initech_opened();
    state.session.read_only_accounts = vec![PROD.into()];
    for key in ['n', 'c', 'd'] {
        state.notice = None;
        let effects = press(&mut state, KeyCode::Char(key));
        assert!(effects.is_empty(), "{key}: {effects:?}");
        assert!(state.tenants.form.is_none() && state.tenants.menu.is_none());
        assert!(
            state.notice.as_ref().unwrap().text.contains("read-only"),
            "{key}"
        );
    }
}

#[test]
fn enter_on_an_unreadable_target_says_why_and_opens_nothing() {
    let mut state = org_state();
    for _ in 0..3 {
        press(&mut state, KeyCode::Down);
    }
    let effects = press(&mut state, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(state.tenants.place.is_none());
    assert!(
        state
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("staging (333333333333) eu-west-1: denied")
    );
}
