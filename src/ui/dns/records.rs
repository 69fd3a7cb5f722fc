//! The record sets of one zone, or of every zone (with their account and zone when wide enough).

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
    all: bool,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let narrow = area.width < 100;
    let (headers, widths): (&[&str], Vec<Constraint>) = if all && !narrow {
        (
            &["ACCOUNT", "ZONE", "NAME", "TYPE", "TTL", "DATA", "ROUTING"],
            vec![
                Constraint::Fill(1),
                Constraint::Fill(1),
                Constraint::Fill(2),
                Constraint::Length(5),
                Constraint::Length(6),
                Constraint::Fill(2),
                Constraint::Fill(1),
            ],
        )
    } else {
        (
            &["NAME", "TYPE", "TTL", "DATA", "ROUTING"],
            vec![
                Constraint::Fill(2),
                Constraint::Length(5),
                Constraint::Length(6),
                Constraint::Fill(2),
                Constraint::Fill(1),
            ],
        )
    };
    let wide = headers.len() == 7;
    grid(
        state,
        &pane.records,
        pane.all_record_count(),
        headers,
        &widths,
        " no records (yet)",
        theme,
        frame,
        area,
        |at| match inv.record(*at) {
            Some((a, z, r)) => {
                let mut cells = Vec::with_capacity(7);
                if wide {
                    cells.push(if a.account.name.is_empty() {
                        a.account.id.clone()
                    } else {
                        a.account.name.clone()
                    });
                    cells.push(z.zone().name.clone());
                }
                cells.extend([
                    r.name.clone(),
                    r.kind.clone(),
                    r.ttl.map(|t| t.to_string()).unwrap_or_default(),
                    r.data_text(),
                    r.routing_text(),
                ]);
                (cells, Style::new())
            }
            None => (vec![String::new(); headers.len()], Style::new()),
        },
    );
}
