//! The organisation's zones: of one account, or of all.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

use super::grid::grid;
use crate::app::State;
use crate::app::dns::DnsPane;
use crate::domain::dns::Inventory;
use crate::ui::Theme;

pub(super) fn render(
    state: &State,
    pane: &DnsPane,
    inv: &Inventory,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    grid(
        state,
        &pane.org_zones,
        pane.org_zones.rows.len(),
        &[
            "ACCOUNT",
            "ZONE",
            "ID",
            "VISIBILITY",
            "RECORDS",
            "COMMENT",
            "VPCS",
        ],
        &[
            Constraint::Fill(1),
            Constraint::Fill(2),
            Constraint::Min(14),
            Constraint::Length(10),
            Constraint::Length(7),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ],
        " no hosted zones in this account",
        theme,
        frame,
        area,
        |zr| match inv.zone(*zr) {
            Some((a, z)) => (
                vec![
                    a.label(),
                    z.zone().name.clone(),
                    z.zone().id.clone(),
                    if z.zone().private {
                        "private"
                    } else {
                        "public"
                    }
                    .into(),
                    if z.records_done || !z.records.is_empty() {
                        z.records.len().to_string()
                    } else {
                        z.zone().record_count.to_string()
                    },
                    z.error.clone().unwrap_or_else(|| z.zone().comment.clone()),
                    z.detail.vpcs.join(" "),
                ],
                if z.error.is_some() {
                    theme.error
                } else {
                    Style::new()
                },
            ),
            None => (vec![String::new(); 7], Style::new()),
        },
    );
}
