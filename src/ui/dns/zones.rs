//! The organisation's zones: of one account, or of all.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

use super::grid::grid;
use crate::app::State;
use crate::app::dns::{DnsPane, zone_cells};
use crate::domain::dns::Inventory;
use crate::ui::Theme;
use crate::ui::table::col;

pub(super) fn render(
    state: &State,
    pane: &DnsPane,
    inv: &Inventory,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let columns = [
        col("ACCOUNT", Constraint::Fill(1), 6),
        col("ZONE", Constraint::Fill(2), 9),
        col("ID", Constraint::Min(14), 4),
        col("VISIBILITY", Constraint::Length(10), 7),
        col("RECORDS", Constraint::Length(7), 8),
        col("COMMENT", Constraint::Fill(1), 3),
        col("VPCS", Constraint::Fill(1), 2),
    ];
    grid(
        state,
        &pane.org_zones,
        pane.org_zones.rows.len(),
        &columns,
        " no hosted zones in this account",
        theme,
        frame,
        area,
        |zr| {
            let failed = inv.zone(*zr).is_some_and(|(_, z)| z.error.is_some());
            let style = if failed { theme.error } else { Style::new() };
            (zone_cells(inv, zr), style)
        },
    );
}
