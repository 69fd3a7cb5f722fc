//! The DNS pane: the current account's hosted zones, and the organisation's inventory (accounts
//! with their load status, zones, records, delegations, the audit, who serves a name). Only the
//! visible window of rows is built, so 100,000 records cost what 20 do.
//!
//! This file draws the view on screen under its title line (progress of the organisation's load);
//! each organisation view is drawn by its file, with the names of `app::dns`: `accounts`, `zones`,
//! `records`, `delegations`, `audit`, `find`, as a `grid`; `export` draws the "csv or json?"
//! question, `form` the record form.

mod accounts;
mod audit;
mod delegations;
mod export;
mod find;
mod form;
mod grid;
mod records;
mod zones;

#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::list::{self, ListLook};
use super::table::col;
use super::{Theme, count, safe, spinner, table, waiting};
use crate::app::dns::{DnsPane, Org, View};
use crate::app::layout::TITLE_ROWS;
use crate::app::{Loadable, State};
use crate::domain::dns::Listing;
use crate::domain::time;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    if let Some(f) = &state.dns.form {
        render_view(state, theme, frame, area);
        return form::render(f, &state.keymap, theme, frame, area);
    }
    if !state.dns.export_prompt {
        return render_view(state, theme, frame, area);
    }
    // The question takes the pane's last line while it is open; the view stays above it.
    let [view, prompt] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    render_view(state, theme, frame, view);
    export::prompt(&state.keymap, theme, frame, prompt);
}

fn render_view(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.dns;
    if pane.view == View::Zones {
        let look = ListLook {
            title: "Hosted zones",
            noun: "hosted zones",
            columns: &[
                col("ZONE", Constraint::Fill(2), 9),
                col("ID", Constraint::Min(14), 5),
                col("VISIBILITY", Constraint::Length(10), 7),
                col("RECORDS", Constraint::Length(7), 6),
                col("COMMENT", Constraint::Fill(1), 2),
            ],
            empty: " no hosted zones in this account",
            footer: None,
        };
        return list::render(state, &pane.zones, look, theme, frame, area);
    }
    let [title, body] =
        Layout::vertical([Constraint::Length(TITLE_ROWS), Constraint::Fill(1)]).areas(area);
    let Some(org) = &pane.org else {
        return;
    };
    // A title longer than the line ends in `…`.
    let line = crate::ui::table::fit_line(
        title_line(state, pane, org, theme),
        usize::from(title.width),
    );
    frame.render_widget(Paragraph::new(line), title);
    if let Loadable::Failed { error } = &org.accounts {
        return table::failure(error, "r retries", theme, frame, body);
    }
    let inv = &org.inventory;
    match &pane.view {
        View::Zones => {}
        View::Accounts => accounts::render(state, pane, inv, theme, frame, body),
        View::OrgZones { .. } => zones::render(state, pane, inv, theme, frame, body),
        View::Records { zone } => {
            records::render(state, pane, inv, zone.is_none(), theme, frame, body)
        }
        View::Delegations => delegations::render(state, pane, theme, frame, body),
        View::Audit => audit::render(state, pane, theme, frame, body),
        View::Find { .. } => find::render(state, pane, inv, theme, frame, body),
    }
}

fn title_line<'a>(state: &State, pane: &'a DnsPane, org: &'a Org, theme: &Theme) -> Line<'a> {
    let inv = &org.inventory;
    let what = match &pane.view {
        View::Zones | View::Accounts => "Organisation DNS".to_owned(),
        View::OrgZones { account: Some(i) } => format!(
            "Zones of {}",
            inv.accounts.get(*i).map(|a| a.label()).unwrap_or_default()
        ),
        View::OrgZones { account: None } => "Zones".to_owned(),
        View::Records { zone: Some(z) } => format!(
            "Records of {}",
            inv.zone(*z)
                .map(|(_, z)| z.zone().name.clone())
                .unwrap_or_default()
        ),
        View::Records { zone: None } => "All records".to_owned(),
        View::Delegations => "Delegations".to_owned(),
        View::Audit => "Audit: what points into nothing".to_owned(),
        View::Find { name } => format!("Who serves {name}"),
    };
    let mut spans = vec![Span::styled(format!(" {} ", safe(&what)), theme.title)];
    match &org.accounts {
        Loadable::Loading { .. } | Loadable::NotAsked => {
            spans.push(Span::raw(format!(
                "{} listing the accounts…{}",
                spinner(state),
                waiting(state, &org.accounts)
            )));
            return Line::from(spans);
        }
        Loadable::Failed { .. } => {
            spans.push(Span::styled("could not list the accounts", theme.error));
            return Line::from(spans);
        }
        Loadable::Ready { .. } => {}
    }
    let done = inv
        .accounts
        .iter()
        .filter(|a| a.status.is_finished())
        .count();
    let failed = inv.failures().count();
    let shown = pane_table_len(pane);
    let mut progress = format!("{shown} shown · {}", count(inv.record_count(), "record"));
    if inv.is_complete() {
        progress.push_str(&format!(" · {}", count(inv.accounts.len(), "account")));
        if let Some(at) = org.finished {
            progress.push_str(&format!(" at {}", time::clock(at)));
        }
    } else {
        progress = format!(
            "{} {progress} · {done}/{} accounts",
            spinner(state),
            inv.accounts.len()
        );
    }
    if inv.listing == Listing::Going {
        progress.push_str(", listing more…");
    }
    spans.push(Span::raw(progress));
    if failed > 0 {
        spans.push(Span::styled(format!(" · {failed} failed"), theme.error));
    }
    if let Listing::Failed(error) = &inv.listing {
        spans.push(Span::styled(
            format!(" · account listing stopped: {}", safe(error)),
            theme.error,
        ));
    }
    if let View::Records { .. } = pane.view {
        let f = pane.record_filter();
        if let Some(kind) = &f.kind {
            spans.push(Span::styled(format!("  type: {}", safe(kind)), theme.warn));
        }
    }
    spans.extend(table::filter_note(
        crate::app::pane::PaneState::table(pane),
        theme,
    ));
    Line::from(spans)
}

fn pane_table_len(pane: &DnsPane) -> usize {
    crate::app::pane::PaneState::table(pane).visible_len()
}
