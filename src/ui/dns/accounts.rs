//! The organisation's accounts with their load status, below the rows that open every record and
//! the delegation check.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

use super::grid::grid;
use crate::app::State;
use crate::app::dns::{AccountRow, DnsPane, account_cells};
use crate::domain::dns::{AccountStatus, Inventory};
use crate::ui::Theme;
use crate::ui::table::col;

fn status_style(status: &AccountStatus, theme: &Theme) -> Style {
    match status {
        AccountStatus::Ok => theme.ok,
        AccountStatus::Denied(_) | AccountStatus::Failed(_) => theme.error,
        AccountStatus::Throttled(_) => theme.warn,
        _ => Style::new(),
    }
}

pub(super) fn render(
    state: &State,
    pane: &DnsPane,
    inv: &Inventory,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let columns = [
        col("ACCOUNT", Constraint::Fill(1), 9),
        col("ZONES", Constraint::Length(6), 6),
        col("RECORDS", Constraint::Length(8), 5),
        col("STATUS", Constraint::Fill(2), 8),
    ];
    grid(
        state,
        &pane.accounts,
        pane.accounts.rows.len(),
        &columns,
        " no accounts in the organisation",
        theme,
        frame,
        area,
        |row| {
            let style = match row {
                AccountRow::AllRecords | AccountRow::Delegations | AccountRow::Audit => theme.title,
                AccountRow::Account(i) => inv
                    .accounts
                    .get(*i)
                    .map_or(Style::new(), |a| status_style(&a.status, theme)),
            };
            (account_cells(inv, row), style)
        },
    );
}
