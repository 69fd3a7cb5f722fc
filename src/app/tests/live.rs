//! Live views across the panes: which views re-read themselves, what a re-read keeps (rows,
//! selection, counts), what a finished change re-reads, and the bell.

use crossterm::event::KeyCode;

use super::{at, loaded_state};
use crate::app::live::Live;
use crate::app::tenants::fixtures::{acme_with_users, group, tenants_state};
use crate::app::tenants::{Counting, TenantsEffect, TenantsMsg};
use crate::app::testkit::press;
use crate::app::{Effect, Msg, State, update};

/// Tick until a background re-read is due; what that tick asked for.
fn until_refresh(state: &mut State) -> Vec<Effect> {
    for _ in 0..1000 {
        let effects = update(state, Msg::Tick);
        if !effects.is_empty() {
            return effects;
        }
    }
    panic!("no refresh within 1000 ticks");
}

fn groups_request(effects: &[Effect]) -> crate::app::RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Tenants(TenantsEffect::LoadGroups { request, .. }) => Some(*request),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no LoadGroups in {effects:?}"))
}

fn tenant_ids(state: &State) -> Vec<String> {
    state
        .tenants
        .tenants
        .items()
        .iter()
        .map(|r| r.tenant.id.clone())
        .collect()
}

#[test]
fn the_tenant_list_refreshes_keeping_counts_and_selection() {
    let mut state = acme_with_users();
    assert_eq!(state.live_view(), Live::Auto);
    press(&mut state, KeyCode::Down);
    assert_eq!(
        state.tenants.tenants.selected().unwrap().tenant.id,
        "globex"
    );
    let request = groups_request(&until_refresh(&mut state));
    assert!(state.tenants.tenants.list.value().is_some(), "rows stay");
    // A tenant onboarded from elsewhere sorts before globex.
    let groups = [
        "acme:admin",
        "acme:member",
        "acme:readonly",
        "beta:admin",
        "globex:admin",
    ]
    .map(group)
    .to_vec();
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Groups {
            request,
            result: Ok(groups),
            at: at(),
        }),
    );
    assert_eq!(tenant_ids(&state), ["acme", "beta", "globex"]);
    assert_eq!(
        state.tenants.tenants.selected().unwrap().tenant.id,
        "globex",
        "the selection follows the item, not the position"
    );
    let acme = &state.tenants.tenants.items()[0];
    assert!(
        matches!(acme.counts, Counting::Ready(_)),
        "counted tenants keep their counts: {:?}",
        acme.counts
    );
}

/// Tenant acme open, its users read: ann, its admin.
fn acme_open_with_ann() -> State {
    let mut state = acme_with_users();
    let effects = press(&mut state, KeyCode::Enter);
    let members = effects
        .iter()
        .find_map(|e| match e {
            Effect::Tenants(TenantsEffect::LoadMembers { request, .. }) => Some(*request),
            _ => None,
        })
        .expect("members asked");
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Members {
            request: members,
            result: Ok(vec![(
                "admin".into(),
                vec![crate::app::tenants::fixtures::user("ann")],
            )]),
            at: at(),
        }),
    );
    state
}

#[test]
fn a_finished_change_rereads_the_open_tenant_and_counts_it_again() {
    let mut state = acme_open_with_ann();
    let effects = update(
        &mut state,
        Msg::Executed {
            title: "Add bob to acme".into(),
            result: Ok(()),
            steps: vec!["done".into()],
            nothing_to_do: None,
            replanned: None,
        },
    );
    // The tenant list (its counts) and the members on screen are read again, rows kept.
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Tenants(TenantsEffect::LoadMembers { .. }))),
        "{effects:?}"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Tenants(TenantsEffect::LoadGroups { .. }))),
        "{effects:?}"
    );
    assert_eq!(
        state.tenants.members.items().len(),
        1,
        "rows stay meanwhile"
    );
    let acme = &state.tenants.tenants.items()[0];
    assert_eq!(acme.counts, Counting::NotAsked, "counted again when shown");
}

#[test]
fn expensive_views_are_paused_and_say_why() {
    let (mut state, _) = tenants_state();
    // Accounts: a re-read would assume a role in every account.
    press(&mut state, KeyCode::Char('0'));
    assert!(matches!(state.live_view(), Live::Paused(_)));
    // DNS: the current account's zones are live, the organisation's views are not.
    press(&mut state, KeyCode::Char('2'));
    assert_eq!(state.live_view(), Live::Auto);
    state.dns.view = crate::app::dns::View::Delegations;
    assert_eq!(
        state.live_view(),
        Live::Paused("a re-read reads the whole organisation")
    );
    // A paused view asks for nothing when the interval comes.
    let mut effects = Vec::new();
    for _ in 0..100 {
        effects.extend(update(&mut state, Msg::Tick));
    }
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn a_long_change_rings_the_bell_when_it_ends_and_a_quick_one_does_not() {
    let (mut state, _) = tenants_state();
    let run = |state: &mut State, ticks: u64| {
        state.changing.push(crate::app::state::Changing {
            title: "Create tenant wonka".into(),
            pane: crate::app::Pane::Tenants,
            since: state.tick,
        });
        state.tick += ticks;
        update(
            state,
            Msg::Executed {
                title: "Create tenant wonka".into(),
                result: Ok(()),
                steps: vec!["done".into()],
                nothing_to_do: None,
                replanned: None,
            },
        )
    };
    // 250 ms ticks: 4 ticks is a second, 40 ten.
    assert!(!run(&mut state, 4).contains(&Effect::Bell));
    assert!(run(&mut state, 40).contains(&Effect::Bell));
    state.live.bell = false;
    assert!(!run(&mut state, 40).contains(&Effect::Bell));
}

#[test]
fn a_confirmed_disable_shows_the_user_disabled_before_aws_answers() {
    use crate::app::pane::PaneState;
    use crate::domain::plan::{Change, Danger, Plan, Step};
    use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};
    let mut state = acme_open_with_ann();
    let disable = Plan {
        basis: None,
        title: "Disable ann".into(),
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        steps: vec![
            Step::new("cognito-idp", "AdminDisableUser", "ann", "disable the user").with_action(
                Change::Tenants(CognitoCall {
                    account_id: "111111111111".into(),
                    pool_id: "p1".into(),
                    op: CognitoOp::DisableUser {
                        username: "ann".into(),
                    },
                }),
            ),
        ],
        danger: Danger::Normal,
    };
    state.tenants.expect(&disable);
    assert!(!state.tenants.members.items()[0].user.enabled);
}

#[test]
fn the_pool_list_refreshes_itself_too() {
    let (mut state, _) = loaded_state();
    let effects = press(&mut state, KeyCode::Char('1'));
    let Some(Effect::Tenants(TenantsEffect::LoadPools { request, .. })) = effects.first() else {
        panic!("{effects:?}")
    };
    let pool = |id: &str| crate::domain::tenancy::UserPool {
        id: id.into(),
        name: id.into(),
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Pools {
            request: *request,
            result: Ok(vec![pool("p1"), pool("p2")]),
            at: at(),
        }),
    );
    assert_eq!(state.live_view(), Live::Auto);
    let effects = until_refresh(&mut state);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Tenants(TenantsEffect::LoadPools { .. })]
        ),
        "{effects:?}"
    );
    assert_eq!(state.tenants.pools.items().len(), 2, "rows stay meanwhile");
}
