//! Keys of the shell: copy, export, quit and suspend, the configured keymap, pane switching,
//! notices and resizing.

use crossterm::event::KeyCode;

use super::{account, at, loaded_state, session, tenancy};
use crate::app::state::NOTICE_TICKS;
use crate::app::testkit::{chars, ctrl, key, press, press_event};
use crate::app::{Effect, Msg, Pane, State, layout, update};
use crate::config::keymap::Keymap;
use crate::domain::account::{Account, AccountList, AccountSource};

#[test]
fn copy_puts_the_selected_account_id_on_the_clipboard() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char('G'));
    let effects = press(&mut state, KeyCode::Char('y'));
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
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, "prod");
    press(&mut state, KeyCode::Enter);
    let effects = press(&mut state, KeyCode::Char('e'));
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
    let effects = press_event(&mut state, ctrl('z'));
    assert_eq!(effects, [Effect::Suspend]);
    assert!(state.running);
    press(&mut state, KeyCode::Char('q'));
    assert!(!state.running);

    let (mut state, _) = loaded_state();
    press_event(&mut state, ctrl('c'));
    assert!(!state.running);
}

#[test]
fn keys_follow_the_configured_keymap() {
    let mut keymap = Keymap::default();
    keymap.set(
        crate::config::keymap::Action::Quit,
        vec![crate::config::keymap::KeyBinding::from_event(&key(
            KeyCode::Char('x'),
        ))],
    );
    let mut state = State::new(session(), keymap, tenancy());
    press(&mut state, KeyCode::Char('q'));
    assert!(state.running);
    press(&mut state, KeyCode::Char('x'));
    assert!(!state.running);
}

#[test]
fn pane_keys_switch_panes_and_tab_cycles() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Char('2'));
    assert_eq!(state.pane, Pane::Dns);
    press(&mut state, KeyCode::Tab);
    assert_eq!(state.pane, Pane::Workflows);
    press(&mut state, KeyCode::Tab);
    assert_eq!(state.pane, Pane::Accounts);
    press(&mut state, KeyCode::BackTab);
    assert_eq!(state.pane, Pane::Workflows);
    press(&mut state, KeyCode::Char('0'));
    assert_eq!(state.pane, Pane::Accounts);
}

#[test]
fn notices_expire_after_some_ticks() {
    let (mut state, _) = loaded_state();
    press(&mut state, KeyCode::Enter);
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
    press(&mut state, KeyCode::Char('G'));
    update(&mut state, Msg::Resize(80, 10));
    let rows = layout::table_rows(10);
    let window = state.accounts.table.window(rows);
    assert!(window.contains(&99), "window {window:?}");
}
