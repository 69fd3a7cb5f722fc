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
        &pane.found,
        pane.found.rows.len(),
        &["WHAT", "ACCOUNT", "ZONE", "DETAIL"],
        &[
            Constraint::Length(18),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Fill(3),
        ],
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
