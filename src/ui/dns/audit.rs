//! The audit: what points into nothing, high severity first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use super::grid::grid;
use crate::app::State;
use crate::app::dns::DnsPane;
use crate::rows::dns::account_label;
use crate::ui::Theme;

pub(super) fn render(state: &State, pane: &DnsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
    grid(
        state,
        &pane.findings,
        pane.findings.rows.len(),
        &[
            "SEVERITY", "KIND", "ACCOUNT", "NAME", "TYPE", "TARGET", "DETAIL",
        ],
        &[
            Constraint::Length(8),
            Constraint::Length(21),
            Constraint::Length(16),
            Constraint::Fill(1),
            Constraint::Length(5),
            Constraint::Fill(1),
            Constraint::Fill(2),
        ],
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
            (
                vec![
                    f.severity.to_owned(),
                    f.kind.to_owned(),
                    account_label(&f.account_id, &f.account_name),
                    f.name.clone(),
                    f.record_type.clone(),
                    f.target.clone(),
                    f.detail.clone(),
                ],
                style,
            )
        },
    );
}
