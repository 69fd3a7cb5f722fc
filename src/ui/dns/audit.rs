//! The audit: what points into nothing, high severity first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::grid::grid;
use crate::app::State;
use crate::app::dns::{DnsPane, audit_cells};
use crate::ui::Theme;
use crate::ui::table::col;

pub(super) fn render(state: &State, pane: &DnsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
    // The severity, the kind and the name stay; the detail, the target and the account give way.
    let columns = [
        col("SEVERITY", Constraint::Length(8), 9),
        col("KIND", Constraint::Length(21), 8),
        col("ACCOUNT", Constraint::Length(16), 4),
        col("NAME", Constraint::Fill(1), 7),
        col("TYPE", Constraint::Length(5), 5),
        col("TARGET", Constraint::Fill(1), 3),
        col("DETAIL", Constraint::Fill(2), 2),
    ];
    grid(
        state,
        &pane.findings,
        pane.findings.rows.len(),
        &columns,
        " nothing points into nothing: no finding",
        theme,
        frame,
        area,
        |f| {
            let style = if f.severity == "high" {
                theme.error
            } else {
                theme.warn
            };
            (audit_cells(f), style)
        },
    );
}
