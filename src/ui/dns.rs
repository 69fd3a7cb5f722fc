//! The DNS pane: the hosted zones of the current account.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::Theme;
use super::list::{self, ListLook};
use crate::app::State;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let look = ListLook {
        title: "Hosted zones",
        noun: "hosted zones",
        widths: &[
            Constraint::Fill(2),
            Constraint::Min(14),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Fill(1),
        ],
        empty: " no hosted zones in this account",
        footer: None,
    };
    list::render(state, &state.dns.zones, look, theme, frame, area);
}
