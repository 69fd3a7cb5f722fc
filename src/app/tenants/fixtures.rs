//! Test states of the Tenants pane: a pool opened with its tenants listed, a tenant with users
//! counted, and plans to answer with.

use crossterm::event::KeyCode;

use super::{TenantsEffect, TenantsMsg};
use crate::app::testkit::press;
use crate::app::tests::{at, loaded_state};
use crate::app::{Effect, Msg, State, update};
use crate::domain::plan::Plan;
use crate::domain::tenancy::plan::{CognitoCall, Target};
use crate::domain::tenancy::users::{Counts, Model, User, Usernames};
use crate::domain::tenancy::{Group, GroupPattern, UserPool};

pub(crate) fn group(name: &str) -> Group {
    Group {
        name: name.into(),
        description: "d".into(),
        precedence: None,
    }
}

pub(crate) fn user(name: &str) -> User {
    User {
        username: name.into(),
        email: format!("{name}@x.com"),
        status: "CONFIRMED".into(),
        enabled: true,
        ..User::default()
    }
}

/// The Tenants pane open on pool `p1` with acme (3 roles) and globex (admin), counts unasked.
pub(crate) fn tenants_state() -> (State, Vec<Effect>) {
    let (mut state, _) = loaded_state();
    let effects = press(&mut state, KeyCode::Char('1'));
    let Some(Effect::Tenants(TenantsEffect::LoadPools { request, .. })) = effects.first() else {
        panic!("{effects:?}")
    };
    let effects = update(
        &mut state,
        Msg::Tenants(TenantsMsg::Pools {
            request: *request,
            result: Ok(vec![UserPool {
                id: "p1".into(),
                name: "customers".into(),
            }]),
            at: at(),
        }),
    );
    let Some(Effect::Tenants(TenantsEffect::LoadGroups { request, .. })) = effects.first() else {
        panic!("{effects:?}")
    };
    let groups = ["acme:admin", "acme:member", "acme:readonly", "globex:admin"]
        .map(group)
        .to_vec();
    let effects = update(
        &mut state,
        Msg::Tenants(TenantsMsg::Groups {
            request: *request,
            result: Ok(groups),
            at: at(),
        }),
    );
    (state, effects)
}

pub(crate) fn answer_plan(state: &mut State, effects: &[Effect], plan: Option<Plan<CognitoCall>>) {
    let Some(Effect::Tenants(TenantsEffect::Plan { request, .. })) = effects.first() else {
        panic!("expected a plan request, got {effects:?}")
    };
    update(
        state,
        Msg::Tenants(TenantsMsg::Planned {
            request: *request,
            result: Ok(plan),
            nothing: "nothing to do".into(),
        }),
    );
}

pub(crate) fn a_plan() -> Plan<CognitoCall> {
    let target = Target {
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        pool_id: "p1".into(),
    };
    let tenancy = crate::domain::tenancy::users::Tenancy {
        model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
        attribute: "custom:tenant_id".into(),
        usernames: Usernames::Email,
    };
    crate::domain::tenancy::plan::onboard_tenant(
        &tenancy,
        &target,
        &Default::default(),
        "wonka",
        "",
        "w@wonka.com",
        None,
    )
    .unwrap()
    .unwrap()
}

/// The tenants state with acme counted: ann (admin) and bob (member).
pub(crate) fn acme_with_users() -> State {
    let (mut state, effects) = tenants_state();
    let Effect::Tenants(TenantsEffect::CountTenant { request, .. }) = &effects[0] else {
        panic!("{effects:?}")
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Counted {
            request: *request,
            tenant: "acme".into(),
            result: Ok(Counts::from_role_members(&[
                ("admin".into(), vec!["ann".into()]),
                ("member".into(), vec!["bob".into()]),
            ])),
        }),
    );
    state
}
