//! The record sets of one zone, or of every zone (with their account and zone, which give way
//! first on a narrow terminal).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

use super::grid::grid;
use crate::app::State;
use crate::app::dns::{DnsPane, record_cells};
use crate::domain::dns::Inventory;
use crate::ui::Theme;
use crate::ui::table::{Column, col};

const COLUMNS: [Column; 7] = [
    col("ACCOUNT", Constraint::Fill(1), 3),
    col("ZONE", Constraint::Fill(1), 4),
    col("NAME", Constraint::Fill(2), 9),
    col("TYPE", Constraint::Length(5), 8),
    col("TTL", Constraint::Length(6), 5),
    col("DATA", Constraint::Fill(2), 7),
    col("ROUTING", Constraint::Fill(1), 2),
];

pub(super) fn render(
    state: &State,
    pane: &DnsPane,
    inv: &Inventory,
    all: bool,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    // One zone: its account and zone are the same on every row, and said in the title.
    let (columns, skip) = if all {
        (&COLUMNS[..], 0)
    } else {
        (&COLUMNS[2..], 2)
    };
    grid(
        state,
        &pane.records,
        pane.all_record_count(),
        columns,
        " no records (yet)",
        theme,
        frame,
        area,
        |at| {
            let mut cells = record_cells(inv, at);
            cells.drain(..skip);
            (cells, Style::new())
        },
    );
}
