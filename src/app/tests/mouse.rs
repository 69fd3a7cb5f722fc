//! The mouse (`ui.mouse = true`): the wheel and clicks go through `update` like keys.

use crossterm::event::{MouseButton, MouseEventKind};
use unicode_width::UnicodeWidthStr;

use super::loaded_state;
use crate::app::layout::{COLUMN_ROWS, HEADER_ROWS, TAB_ROWS, TITLE_ROWS, tab_labels};
use crate::app::testkit::{click, keys, mouse, wheel};
use crate::app::workflows::WorkflowsEffect;
use crate::app::{Effect, Mode, Pane};

/// The screen row of the table's first row in the usual view.
const FIRST_ROW: u16 = HEADER_ROWS + TAB_ROWS + TITLE_ROWS + COLUMN_ROWS;

#[test]
fn the_wheel_moves_through_the_current_table() {
    let (mut state, _) = loaded_state();
    assert_eq!(state.pane, Pane::Accounts);
    assert_eq!(state.accounts.table.selected_position(), 0);
    wheel(&mut state, true);
    assert_eq!(state.accounts.table.selected_position(), 3);
    wheel(&mut state, true);
    assert_eq!(
        state.accounts.table.selected_position(),
        3,
        "stops at the last row"
    );
    wheel(&mut state, false);
    assert_eq!(state.accounts.table.selected_position(), 0);
}

#[test]
fn a_click_on_a_row_selects_it_and_a_click_below_the_rows_selects_nothing() {
    let (mut state, _) = loaded_state();
    click(&mut state, 20, FIRST_ROW + 2);
    assert_eq!(state.accounts.table.selected_position(), 2);
    click(&mut state, 20, FIRST_ROW);
    assert_eq!(state.accounts.table.selected_position(), 0);
    // Past the 4 accounts, on the title or the column headings: nothing moves.
    for row in [FIRST_ROW + 6, FIRST_ROW - 1, FIRST_ROW - 2] {
        click(&mut state, 20, row);
        assert_eq!(state.accounts.table.selected_position(), 0, "row {row}");
    }
}

#[test]
fn a_click_on_a_tab_switches_to_its_pane_and_loads_it() {
    let (mut state, _) = loaded_state();
    let mut x = 1;
    let mut middle = None;
    for (pane, label) in tab_labels(&state.keymap) {
        let width = u16::try_from(label.width()).unwrap();
        if pane == Pane::Workflows {
            middle = Some(x + width / 2);
        }
        x += width + 1;
    }
    let effects = click(&mut state, middle.unwrap(), HEADER_ROWS);
    assert_eq!(state.pane, Pane::Workflows);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Workflows(WorkflowsEffect::LoadMachines { .. }))),
        "{effects:?}"
    );
    // Between two tabs, or past the last: nothing changes.
    click(&mut state, 0, HEADER_ROWS);
    click(&mut state, x + 5, HEADER_ROWS);
    assert_eq!(state.pane, Pane::Workflows);
}

#[test]
fn the_wheel_scrolls_the_help_over_the_table_and_leaves_the_table_alone() {
    let (mut state, _) = loaded_state();
    keys(&mut state, "?");
    assert_eq!(state.mode, Mode::Help);
    wheel(&mut state, true);
    assert_eq!(state.help_scroll, 3);
    assert_eq!(state.accounts.table.selected_position(), 0);
    // A click on a row under the help does not select it either.
    click(&mut state, 20, FIRST_ROW + 2);
    assert_eq!(state.accounts.table.selected_position(), 0);
}

#[test]
fn other_mouse_events_do_nothing() {
    let (mut state, _) = loaded_state();
    for kind in [
        MouseEventKind::Moved,
        MouseEventKind::Up(MouseButton::Left),
        MouseEventKind::Down(MouseButton::Right),
        MouseEventKind::Drag(MouseButton::Left),
    ] {
        assert!(mouse(&mut state, kind, 20, FIRST_ROW + 2).is_empty());
        assert_eq!(state.accounts.table.selected_position(), 0, "{kind:?}");
    }
}
