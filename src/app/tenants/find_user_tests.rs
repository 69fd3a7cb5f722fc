//! `:user EMAIL_OR_USERNAME`: the search across the organisation in the background, one match
//! opened at once in its own account, region and pool, several listed to pick from, none said.

use crossterm::event::KeyCode;

use super::{TenantsEffect, TenantsMsg, View};
use crate::app::pane::PaneState;
use crate::app::testkit::{chars, keys, press};
use crate::app::tests::{account, at, loaded_state};
use crate::app::{Effect, Mode, Msg, Pane, RequestId, State, update};
use crate::domain::tenancy::users::Membership;
use crate::services::org_tenants::FoundUser;
use crate::services::scope::{Status, Target};

fn found(account_id: &str, name: &str, region: &str, pool: &str) -> FoundUser {
    let state = State::new(
        crate::app::tests::session(),
        crate::config::keymap::Keymap::default(),
        crate::app::tests::tenancy(),
    );
    FoundUser {
        account_id: account_id.into(),
        account_name: name.into(),
        region: region.into(),
        pool_id: format!("{region}_{pool}"),
        pool_name: pool.into(),
        username: "alice@acme.com".into(),
        email: "alice@acme.com".into(),
        status: "CONFIRMED".into(),
        enabled: true,
        tenants: vec![Membership {
            tenant: "acme".into(),
            role: "admin".into(),
        }],
        tenancy: state.tenants.tenancy(),
    }
}

/// `:user alice@acme.com` typed and sent; the search's request.
fn searching() -> (State, RequestId) {
    let (mut state, _) = loaded_state();
    state.tenants.org_settings.regions = vec!["eu-west-1".into(), "us-east-1".into()];
    keys(&mut state, ":");
    chars(&mut state, "user alice@acme.com");
    let effects = press(&mut state, KeyCode::Enter);
    let [
        Effect::Tenants(TenantsEffect::FindUser {
            request,
            query,
            org,
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(query, "alice@acme.com");
    assert_eq!(org.regions, ["eu-west-1", "us-east-1"]);
    assert_eq!(state.pane, Pane::Tenants);
    assert_eq!(state.tenants.view(), View::Where);
    assert!(
        state.tenants.is_busy(),
        "the spinner turns while it searches"
    );
    (state, *request)
}

fn answer(
    state: &mut State,
    request: RequestId,
    target: Target,
    status: Status,
    users: Vec<FoundUser>,
) -> Vec<Effect> {
    update(
        state,
        Msg::Tenants(TenantsMsg::UserTarget {
            request,
            target,
            status,
            found: users,
        }),
    )
}

fn done(state: &mut State, request: RequestId) -> Vec<Effect> {
    update(
        state,
        Msg::Tenants(TenantsMsg::UserDone {
            request,
            result: Ok(()),
            at: at(),
        }),
    )
}

fn target(id: &str, name: &str, region: &str) -> Target {
    Target {
        account: account(id, name),
        region: region.into(),
    }
}

#[test]
fn one_match_opens_the_user_at_once_in_its_own_account_region_and_pool() {
    let (mut state, request) = searching();
    let prod = "444444444444";
    answer(
        &mut state,
        request,
        target(prod, "prod", "us-east-1"),
        Status::Ok,
        vec![found(prod, "prod", "us-east-1", "customers")],
    );
    answer(
        &mut state,
        request,
        target("333333333333", "staging", "eu-west-1"),
        Status::Denied("AccessDenied".into()),
        Vec::new(),
    );
    // Shown as it streams in, before every account × region answered.
    assert_eq!(state.tenants.matches.items().len(), 1);
    let effects = done(&mut state, request);
    assert_eq!(state.tenants.view(), View::User);
    let place = state.tenants.place.as_ref().unwrap();
    assert_eq!(
        (place.account_id.as_str(), place.region.as_str()),
        (prod, "us-east-1")
    );
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Tenants(TenantsEffect::InRegion { region, effect })]
                if region == "us-east-1" && matches!(effect.as_ref(),
                    TenantsEffect::LoadUser { account_id, pool_id, username, .. }
                    if account_id == prod && pool_id == "us-east-1_customers"
                        && username == "alice@acme.com")
        ),
        "{effects:?}"
    );
    let notice = &state.notice.as_ref().unwrap().text;
    assert!(
        notice.contains("is in prod (444444444444) us-east-1"),
        "{notice}"
    );
    assert!(
        notice.contains("staging (333333333333) eu-west-1: denied"),
        "{notice}"
    );
    // Esc: back where the search started.
    assert_eq!(
        state.tenants.hint(crate::config::keymap::Action::Back),
        "back"
    );
    press(&mut state, KeyCode::Esc);
    assert!(state.tenants.place.is_none());
    assert_ne!(state.tenants.view(), View::User);
}

#[test]
fn the_actions_of_a_user_opened_by_user_act_on_its_tenant_as_its_detail_says() {
    let (mut state, request) = searching();
    let prod = "444444444444";
    answer(
        &mut state,
        request,
        target(prod, "prod", "us-east-1"),
        Status::Ok,
        vec![found(prod, "prod", "us-east-1", "customers")],
    );
    let effects = done(&mut state, request);
    let [Effect::Tenants(TenantsEffect::InRegion { effect, .. })] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let TenantsEffect::LoadUser { request, .. } = effect.as_ref() else {
        panic!("{effect:?}");
    };
    // The detail says: disabled, admin of acme.
    let detail = crate::domain::tenancy::users::UserDetail {
        user: crate::domain::tenancy::users::User {
            enabled: false,
            ..super::fixtures::user("alice@acme.com")
        },
        mfa: Vec::new(),
        preferred_mfa: None,
        groups: vec!["acme:admin".into()],
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::User {
            request: *request,
            result: Ok(Some(detail)),
            at: at(),
        }),
    );
    // No member list holds the user; `c` still opens the actions, on acme, offering enable.
    chars(&mut state, "c");
    let menu = state
        .tenants
        .menu
        .as_ref()
        .expect("the user's actions open");
    assert_eq!(
        (menu.tenant.as_str(), menu.role.as_str(), menu.enabled),
        ("acme", "admin", false)
    );
}

#[test]
fn several_matches_are_listed_and_enter_opens_the_one_picked() {
    let (mut state, request) = searching();
    answer(
        &mut state,
        request,
        target("111111111111", "management", "eu-west-1"),
        Status::Ok,
        vec![found(
            "111111111111",
            "management",
            "eu-west-1",
            "customers",
        )],
    );
    answer(
        &mut state,
        request,
        target("222222222222", "dev", "us-east-1"),
        Status::Ok,
        vec![found("222222222222", "dev", "us-east-1", "dev-users")],
    );
    done(&mut state, request);
    assert_eq!(state.tenants.view(), View::Where);
    assert!(!state.tenants.is_busy());
    press(&mut state, KeyCode::Down);
    let effects = press(&mut state, KeyCode::Enter);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::Tenants(TenantsEffect::InRegion { region, effect })]
                if region == "us-east-1" && matches!(effect.as_ref(),
                    TenantsEffect::LoadUser { account_id, .. } if account_id == "222222222222")
        ),
        "{effects:?}"
    );
    // Esc: the list again; Esc again closes it.
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.tenants.view(), View::Where);
    press(&mut state, KeyCode::Esc);
    assert!(state.tenants.finding.is_none());
}

#[test]
fn no_match_says_so_and_a_superseded_search_is_dropped() {
    let (mut state, first) = searching();
    keys(&mut state, ":");
    chars(&mut state, "user nobody");
    let effects = press(&mut state, KeyCode::Enter);
    let [Effect::Tenants(TenantsEffect::FindUser { request, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let second = *request;
    // The first search's answers come late: dropped.
    answer(
        &mut state,
        first,
        target("111111111111", "management", "eu-west-1"),
        Status::Ok,
        vec![found(
            "111111111111",
            "management",
            "eu-west-1",
            "customers",
        )],
    );
    assert!(state.tenants.matches.items().is_empty());
    done(&mut state, second);
    assert!(state.tenants.finding.is_none());
    let notice = state.notice.as_ref().unwrap();
    assert!(notice.text.contains("no user nobody"), "{}", notice.text);
}

#[test]
fn u_on_the_tenants_pane_opens_the_command_line_at_user() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char('1'));
    press(&mut state, KeyCode::Char('U'));
    assert_eq!(state.mode, Mode::Command);
    assert_eq!(state.prompt.input.value(), "user ");
}

/// `:user alice@acme.com` found in two accounts, one account × region denied.
pub(crate) fn two_matches() -> State {
    let (mut state, request) = searching();
    answer(
        &mut state,
        request,
        target("111111111111", "management", "eu-west-1"),
        Status::Ok,
        vec![found(
            "111111111111",
            "management",
            "eu-west-1",
            "customers",
        )],
    );
    answer(
        &mut state,
        request,
        target("222222222222", "dev", "us-east-1"),
        Status::Ok,
        vec![found("222222222222", "dev", "us-east-1", "dev-users")],
    );
    answer(
        &mut state,
        request,
        target("333333333333", "staging", "eu-west-1"),
        Status::Denied("STS AssumeRole failed (AccessDenied)".into()),
        Vec::new(),
    );
    done(&mut state, request);
    state
}
