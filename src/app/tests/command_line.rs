//! The `:` command line (accounts, regions, completions, find) and the `/` filter.

use crossterm::event::KeyCode;

use super::loaded_state;
use crate::app::testkit::{chars, press};
use crate::app::{Effect, Mode, Pane};

#[test]
fn command_line_switches_account_by_name_or_id_and_reports_unknown_ones() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    assert_eq!(state.mode, Mode::Command);
    chars(&mut state, "account prod");
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.current_account_id(), Some("444444444444"));
    assert_eq!(state.mode, Mode::Normal);

    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "account nope");
    press(&mut state, KeyCode::Enter);
    let notice = state.notice.clone().unwrap();
    assert!(notice.is_error);
    assert!(notice.text.contains("no account `nope`"));
    assert_eq!(state.current_account_id(), Some("444444444444"));
}

#[test]
fn tab_cycles_through_completions() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "account ");
    assert_eq!(state.prompt.completions.len(), 8);
    press(&mut state, KeyCode::Tab);
    assert_eq!(state.prompt.input.value(), "account management");
    press(&mut state, KeyCode::Tab);
    assert_eq!(state.prompt.input.value(), "account 111111111111");
    press(&mut state, KeyCode::BackTab);
    assert_eq!(state.prompt.input.value(), "account management");
}

#[test]
fn region_command_rebuilds_clients_then_reloads() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "region us-east-1");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(&effects[0], Effect::SwitchRegion { region } if region == "us-east-1"));
    assert!(matches!(effects[1], Effect::LoadIdentity { .. }));
    assert!(matches!(effects[2], Effect::LoadAccounts { .. }));
    assert_eq!(state.session.region.as_deref(), Some("us-east-1"));
}

#[test]
fn a_bad_region_changes_nothing() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "region moon-1");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(effects.is_empty());
    assert_eq!(state.session.region.as_deref(), Some("eu-west-1"));
    assert!(state.notice.unwrap().is_error);
}

#[test]
fn filter_narrows_live_and_escape_clears_it() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, "stag");
    assert_eq!(state.accounts.table.visible_len(), 1);
    assert_eq!(state.accounts.selected().unwrap().name, "staging");
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Normal);
    assert_eq!(state.accounts.table.visible_len(), 1);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.accounts.table.visible_len(), 4);
}

#[test]
fn q_typed_in_the_command_line_is_text_not_quit() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "q");
    assert!(state.running);
    press(&mut state, KeyCode::Enter);
    assert!(!state.running);
}

#[test]
fn find_and_delegations_on_the_command_line_open_the_dns_pane_and_load_the_organisation() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "find api.dev.example.com");
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(state.pane, Pane::Dns);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Dns(_))),
        "the organisation inventory starts loading: {effects:?}"
    );

    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "delegations");
    let effects = press(&mut state, KeyCode::Enter);
    assert_eq!(state.pane, Pane::Dns);
    assert!(effects.iter().any(|e| matches!(e, Effect::Dns(_))));
}

#[test]
fn the_current_account_stays_across_a_region_switch() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "account prod");
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "region us-east-1");
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.session.region.as_deref(), Some("us-east-1"));
    assert_eq!(state.current_account_id(), Some("444444444444"));
}

#[test]
fn tab_completes_a_command_that_takes_an_argument_with_its_space() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char(':'));
    chars(&mut state, "f");
    press(&mut state, KeyCode::Tab);
    chars(&mut state, "api.example.com");
    assert_eq!(state.prompt.input.value(), "find api.example.com");
}
