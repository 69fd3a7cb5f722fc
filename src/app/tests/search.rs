//! The `/` filter of a large table runs off the UI thread: the keystroke hands the search to the
//! runtime and returns, the rows of the previous filter stay until the answer replaces them, and
//! an answer to an older search is dropped.

use std::sync::Arc;

use crossterm::event::KeyCode;

use super::{account, at, loaded_state};
use crate::app::table::{JobAnswer, ON_UI_ROWS, TableJob};
use crate::app::testkit::{chars, keys, press};
use crate::app::{Effect, Msg, State, update};
use crate::domain::account::{AccountList, AccountSource};

/// The Accounts view with `n` accounts (`prod-…`, `dev-…`, `staging-…` in turn) listed.
pub(super) fn accounts_state(n: usize) -> State {
    let (mut state, _) = loaded_state();
    let request = keys(&mut state, "r")
        .iter()
        .find_map(|e| match e {
            Effect::LoadAccounts { request } => Some(*request),
            _ => None,
        })
        .expect("r reloads the accounts");
    let envs = ["prod", "dev", "staging"];
    let accounts = (0..n)
        .map(|i| {
            account(
                &format!("{:012}", 100_000_000_000u64 + i as u64),
                &format!("{}-{i:06}", envs[i % envs.len()]),
            )
        })
        .collect();
    update(
        &mut state,
        Msg::Accounts {
            request,
            result: Ok(AccountList {
                accounts,
                source: AccountSource::Organizations,
            }),
            at: at(),
        },
    );
    assert_eq!(state.accounts.table.visible_len(), n);
    state
}

fn searches(effects: &[Effect]) -> Vec<Arc<TableJob>> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::TableJob(s) if !s.is_order() => Some(s.clone()),
            _ => None,
        })
        .collect()
}

/// Run a search as the runtime does and give its answer to the app.
fn answer(state: &mut State, search: &TableJob) -> Vec<Effect> {
    let answer = search.run().expect("not superseded");
    update(
        state,
        Msg::TableJobDone {
            generation: search.generation(),
            answer,
        },
    )
}

fn visible_names(state: &State) -> Vec<String> {
    let accounts = state.accounts.accounts();
    state
        .accounts
        .table
        .visible()
        .iter()
        .map(|&i| accounts[i].name.clone())
        .collect()
}

#[test]
fn a_filter_over_a_large_table_is_searched_off_the_ui_thread() {
    let n = 30_000;
    let mut state = accounts_state(n);
    keys(&mut state, "/");
    let effects = chars(&mut state, "^prod-0001");
    let handed = searches(&effects);
    assert!(
        !handed.is_empty(),
        "a keystroke over {n} rows searched them on the UI thread"
    );
    // Until the answer: the rows as they were, and the title says it is filtering.
    assert!(state.accounts.table.is_searching());
    assert_eq!(state.accounts.table.visible_len(), n);
    assert_eq!(state.accounts.table.filter(), "^prod-0001");
    let search = handed.last().unwrap();
    answer(&mut state, search);
    assert!(!state.accounts.table.is_searching());
    let names = visible_names(&state);
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|n| n.starts_with("prod-0001")),
        "{names:?}"
    );
}

#[test]
fn a_late_answer_of_an_older_search_is_dropped() {
    let mut state = accounts_state(30_000);
    keys(&mut state, "/");
    let first = searches(&chars(&mut state, "^d"))
        .pop()
        .expect("searched off the UI thread");
    let second = searches(&chars(&mut state, "e"))
        .pop()
        .expect("the next keystroke too");
    assert!(second.generation() > first.generation());
    assert!(
        first.is_cancelled(),
        "the newer search supersedes the older"
    );
    assert_eq!(first.run(), None, "a superseded search stops");
    // The older answer arrives late anyway: dropped, the rows stay, still waiting.
    update(
        &mut state,
        Msg::TableJobDone {
            generation: first.generation(),
            answer: JobAnswer::Found(vec![0, 1, 2]),
        },
    );
    assert_eq!(state.accounts.table.visible_len(), 30_000);
    assert!(state.accounts.table.is_searching());
    answer(&mut state, &second);
    assert!(!state.accounts.table.is_searching());
    assert!(visible_names(&state).iter().all(|n| n.starts_with("dev-")));
}

#[test]
fn the_selection_stays_on_its_row_when_the_answer_replaces_the_rows() {
    let mut state = accounts_state(30_000);
    // The 101st account, dev-000100.
    for _ in 0..100 {
        press(&mut state, KeyCode::Char('j'));
    }
    let chosen = state.accounts.selected().unwrap().id.clone();
    keys(&mut state, "/");
    let search = searches(&chars(&mut state, "^dev-0001"))
        .pop()
        .expect("searched off the UI thread");
    assert_eq!(state.accounts.selected().unwrap().id, chosen);
    answer(&mut state, &search);
    assert!(state.accounts.table.visible_len() < 30_000);
    assert_eq!(
        state.accounts.selected().map(|a| a.id.clone()),
        Some(chosen),
        "the selection moved when the rows were replaced"
    );
}

#[test]
fn an_answer_for_a_view_left_is_asked_again_when_it_is_back() {
    let mut state = accounts_state(30_000);
    keys(&mut state, "/");
    let search = searches(&chars(&mut state, "^staging"))
        .pop()
        .expect("searched off the UI thread");
    keys(&mut state, "<Enter>2");
    assert_eq!(state.pane, crate::app::Pane::Dns, "{:?}", state.mode);
    // The answer comes while another pane is on screen: not for its table.
    answer(&mut state, &search);
    assert!(state.accounts.table.is_searching());
    // Back on the Accounts pane, the search it waits for is asked again.
    let again = searches(&keys(&mut state, "0"));
    assert_eq!(state.pane, crate::app::Pane::Accounts);
    assert!(state.accounts.table.is_searching());
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].generation(), search.generation());
    answer(&mut state, &again[0]);
    assert!(
        visible_names(&state)
            .iter()
            .all(|n| n.starts_with("staging-"))
    );
}

#[test]
fn small_tables_are_searched_at_once() {
    let mut state = accounts_state(ON_UI_ROWS);
    keys(&mut state, "/");
    let effects = chars(&mut state, "^prod-");
    assert!(searches(&effects).is_empty(), "{effects:?}");
    assert!(!state.accounts.table.is_searching());
    assert!(visible_names(&state).iter().all(|n| n.starts_with("prod-")));
}
