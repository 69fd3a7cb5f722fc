//! The mouse, when `ui.mouse = true` turns its capture on: the wheel scrolls (the current table,
//! or the help or report on top of it) and a left click selects a pane's tab or a table row. The
//! screen's rows are those of [`super::layout`], the ones the renderer draws.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use unicode_width::UnicodeWidthStr;

use super::layout::{HEADER_ROWS, TAB_ROWS, tab_labels};
use super::msg::Effect;
use super::state::{Mode, State};

/// Rows one wheel notch moves.
pub const WHEEL_ROWS: isize = 3;

pub(super) fn on_mouse(state: &mut State, mouse: MouseEvent) -> Vec<Effect> {
    match mouse.kind {
        MouseEventKind::ScrollDown => scroll(state, WHEEL_ROWS),
        MouseEventKind::ScrollUp => scroll(state, -WHEEL_ROWS),
        MouseEventKind::Down(MouseButton::Left) => click(state, mouse.column, mouse.row),
        _ => Vec::new(),
    }
}

fn scroll(state: &mut State, by: isize) -> Vec<Effect> {
    match state.mode {
        Mode::Help => {
            state.help_scroll = state.help_scroll.saturating_add_signed(by);
            Vec::new()
        }
        Mode::Report => {
            if let Some(report) = &mut state.report {
                report.scroll.scroll_by(by);
            }
            Vec::new()
        }
        // A form, question or viewer of the pane has the keyboard; the prompts and the dialog
        // sit over the table: the wheel leaves them alone.
        Mode::Normal if !state.pane_state(state.pane).captures_keys() => {
            let rows = state.table_rows();
            state.with_pane(state.pane, |pane, _| pane.table_mut().move_by(by, rows))
        }
        _ => Vec::new(),
    }
}

fn click(state: &mut State, column: u16, row: u16) -> Vec<Effect> {
    if state.mode != Mode::Normal || state.pane_state(state.pane).captures_keys() {
        return Vec::new();
    }
    if row == HEADER_ROWS {
        // The tab bar: a space, then each label and a space (as `ui::render_tabs` draws them).
        let mut x = 1u16;
        for (pane, label) in tab_labels(&state.keymap) {
            let width = u16::try_from(label.width()).unwrap_or(u16::MAX);
            if (x..x.saturating_add(width)).contains(&column) {
                state.pane = pane;
                return Vec::new();
            }
            x = x.saturating_add(width).saturating_add(1);
        }
        return Vec::new();
    }
    let Some(top) = state.pane_state(state.pane).rows_top() else {
        return Vec::new();
    };
    let first = HEADER_ROWS + TAB_ROWS + top;
    let rows = state.table_rows();
    let Some(line) = row.checked_sub(first).map(usize::from) else {
        return Vec::new();
    };
    if line >= rows {
        return Vec::new();
    }
    state.with_pane(state.pane, |pane, _| {
        let table = pane.table_mut();
        let position = table.window_start(rows) + line;
        if position < table.visible_len() {
            let delta = position as isize - table.selected_position() as isize;
            table.move_by(delta, rows);
        }
    })
}
