//! The organisation's accounts with their load status, below the rows that open every record and
//! the delegation check.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;

use super::grid::grid;
use crate::app::State;
use crate::app::dns::{AccountRow, DnsPane};
use crate::domain::dns::{AccountStatus, Inventory};
use crate::ui::Theme;

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
    grid(
        state,
        &pane.accounts,
        pane.accounts.rows.len(),
        &["ACCOUNT", "ZONES", "RECORDS", "STATUS"],
        &[
            Constraint::Fill(1),
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Fill(2),
        ],
        " no accounts in the organisation",
        theme,
        frame,
        area,
        |row| match row {
            AccountRow::AllRecords => (
                vec![
                    "▸ all records".into(),
                    inv.accounts
                        .iter()
                        .map(|a| a.zones.len())
                        .sum::<usize>()
                        .to_string(),
                    inv.record_count().to_string(),
                    "every record of every account: / filters, type:MX, sort:ttl".into(),
                ],
                theme.title,
            ),
            AccountRow::Delegations => (
                vec![
                    "▸ delegations".into(),
                    String::new(),
                    String::new(),
                    "parent NS records against child zones' name servers".into(),
                ],
                theme.title,
            ),
            AccountRow::Audit => (
                vec![
                    "▸ audit".into(),
                    String::new(),
                    String::new(),
                    "what points into nothing: dangling delegations, CNAMEs, aliases".into(),
                ],
                theme.title,
            ),
            AccountRow::Account(i) => match inv.accounts.get(*i) {
                Some(a) => (
                    vec![
                        a.label(),
                        a.zones.len().to_string(),
                        a.records.to_string(),
                        a.status_text(),
                    ],
                    status_style(&a.status, theme),
                ),
                None => (vec![String::new(); 4], Style::new()),
            },
        },
    );
}
