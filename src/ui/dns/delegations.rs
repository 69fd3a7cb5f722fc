//! The delegation check: each parent NS record against the child zone's name servers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::grid::grid;
use crate::app::State;
use crate::app::dns::DnsPane;
use crate::domain::dns::DelegationStatus;
use crate::ui::Theme;

pub(super) fn render(state: &State, pane: &DnsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
    grid(
        state,
        &pane.delegations,
        pane.delegations.rows.len(),
        &[
            "STATUS",
            "PARENT",
            "CHILD",
            "CHILD ACCOUNT",
            "PARENT NS",
            "CHILD NS",
        ],
        &[
            Constraint::Length(9),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(14),
            Constraint::Fill(2),
            Constraint::Fill(2),
        ],
        " no public zone of the organisation sits under another",
        theme,
        frame,
        area,
        |d| {
            let style = match d.status {
                DelegationStatus::Ok => theme.ok,
                DelegationStatus::External => theme.dim,
                _ => theme.error,
            };
            (
                vec![
                    d.status.word().to_owned(),
                    d.parent_zone.clone(),
                    d.child_zone.clone(),
                    d.child_account.clone().unwrap_or_else(|| "-".into()),
                    d.parent_ns.join(" "),
                    d.child_ns.join(" "),
                ],
                style,
            )
        },
    );
}
