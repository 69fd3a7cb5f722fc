//! The delegation check: each parent NS record against the child zone's name servers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::grid::grid;
use crate::app::State;
use crate::app::dns::{DnsPane, delegation_cells};
use crate::domain::dns::DelegationStatus;
use crate::ui::Theme;
use crate::ui::table::col;

pub(super) fn render(state: &State, pane: &DnsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
    // The status and the zones stay; the name servers, then the child's account give way.
    let columns = [
        col("STATUS", Constraint::Length(9), 9),
        col("PARENT", Constraint::Fill(1), 7),
        col("CHILD", Constraint::Fill(1), 8),
        col("CHILD ACCOUNT", Constraint::Length(14), 4),
        col("PARENT NS", Constraint::Fill(2), 3),
        col("CHILD NS", Constraint::Fill(2), 2),
    ];
    grid(
        state,
        &pane.delegations,
        pane.delegations.rows.len(),
        &columns,
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
            (delegation_cells(d), style)
        },
    );
}
