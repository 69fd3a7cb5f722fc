//! The Workflows pane: the state machines of the current account.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::Theme;
use super::list::{self, ListLook};
use crate::app::State;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let look = ListLook {
        title: "State machines",
        noun: "state machines",
        widths: &[
            Constraint::Fill(1),
            Constraint::Length(8),
            Constraint::Length(16),
            Constraint::Fill(2),
        ],
        empty: " no state machines in this account and region",
        footer: None,
    };
    list::render(state, &state.workflows.machines, look, theme, frame, area);
}
