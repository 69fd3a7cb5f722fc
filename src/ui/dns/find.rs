//! Who serves a name: its zones, the delegation chain down to them, the answering records and
//! the CNAME chain.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

use super::grid::grid;
use crate::app::State;
use crate::app::dns::{DnsPane, FindRow, find_cells};
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
        col("WHAT", Constraint::Length(18), 9),
        col("ACCOUNT", Constraint::Fill(1), 5),
        col("ZONE", Constraint::Fill(1), 7),
        col("DETAIL", Constraint::Fill(3), 6),
    ];
    grid(
        state,
        &pane.found,
        pane.found.rows.len(),
        &columns,
        " no zone of the organisation serves this name",
        theme,
        frame,
        area,
        |row| {
            let style = match row {
                FindRow::Hop(h) if h.status.is_problem() => theme.error,
                FindRow::Hop(_) | FindRow::Zone(_) => theme.title,
                FindRow::Answer(..) => Style::new(),
                FindRow::Cname(h) => match h.next {
                    "in_org" | "answered" => Style::new(),
                    "leaves_org" => theme.dim,
                    _ => theme.error,
                },
            };
            (find_cells(inv, row), style)
        },
    );
}
