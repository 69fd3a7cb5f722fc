//! The account list, the access checks and making an account current.

use crossterm::event::KeyCode;

use super::{account, at, loaded_state, me, session, tenancy};
use crate::app::testkit::press;
use crate::app::{Effect, Msg, State, access_text, update};
use crate::config::keymap::Keymap;
use crate::domain::account::{Access, AccessVia, AccountList, AccountSource};
use crate::services::{ErrorKind, ServiceError};

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
    let reload = press(&mut state, KeyCode::Char('r'));
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
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.current_account_id(), Some("333333333333"));
    assert!(state.notice.as_ref().unwrap().text.contains("staging"));
}

/// A slow call is shown, never hidden: from the tick, how long each request has been waited for,
/// said once it passes a few seconds; a request made later counts from its own start.
#[test]
fn a_slow_request_says_how_long_it_has_waited() {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    let effects = state.start();
    let Effect::LoadIdentity { request } = effects[0] else {
        unreachable!()
    };
    // 250 ms ticks: 11 ticks are 2.75 s, quick; 12 are 3 s, slow.
    for _ in 0..11 {
        update(&mut state, Msg::Tick);
    }
    assert_eq!(state.slow_wait(request), None);
    update(&mut state, Msg::Tick);
    assert_eq!(state.slow_wait(request), Some(3));
    for _ in 0..36 {
        update(&mut state, Msg::Tick);
    }
    assert_eq!(state.slow_wait(request), Some(12));
    // A slower clock (ui.tick_ms = 1000) counts the same ticks as longer.
    state.waits.tick = std::time::Duration::from_secs(1);
    assert_eq!(state.slow_wait(request), Some(48));
    state.waits.tick = std::time::Duration::from_millis(250);

    // The identity answers; the accounts, asked at the start too, are still awaited.
    update(
        &mut state,
        Msg::Identity {
            request,
            result: Ok(me()),
            at: at(),
        },
    );
    let Effect::LoadAccounts { request: accounts } = effects[1] else {
        unreachable!()
    };
    assert_eq!(state.slow_wait(accounts), Some(12));
    // A request made now is quick, however long the dashboard has been running.
    press(&mut state, KeyCode::Char('r'));
    let crate::app::Loadable::Loading { request: later } = state.accounts.list else {
        panic!("r reloads the accounts: {:?}", state.accounts.list)
    };
    assert!(later > accounts);
    assert_eq!(state.slow_wait(later), None);
    for _ in 0..12 {
        update(&mut state, Msg::Tick);
    }
    assert_eq!(state.slow_wait(later), Some(3));
}
