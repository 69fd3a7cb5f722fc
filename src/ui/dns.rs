//! The DNS pane: the current account's hosted zones, and the organisation's inventory (accounts
//! with their load status, zones, records, delegations, who serves a name). Only the visible
//! window of rows is built, so 100,000 records cost what 20 do.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use super::list::{self, ListLook};
use super::{Theme, safe, spinner, table};
use crate::app::dns::{AccountRow, DnsPane, FindRow, Grid, Org, View, find_cells};
use crate::app::layout::TITLE_ROWS;
use crate::app::{Loadable, State};
use crate::domain::dns::{AccountStatus, DelegationStatus, Inventory};

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    if !state.dns.export_prompt {
        return render_view(state, theme, frame, area);
    }
    // The question takes the pane's last line while it is open; the view stays above it.
    let [view, prompt] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    render_view(state, theme, frame, view);
    let line = Line::from(vec![
        Span::styled(" export as (c)sv or (j)son? ", theme.title),
        Span::raw(" Esc cancels"),
    ]);
    frame.render_widget(Paragraph::new(line), prompt);
}

fn render_view(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.dns;
    if pane.view == View::Zones {
        let look = ListLook {
            title: "Hosted zones",
            noun: "hosted zones",
            widths: &[
                Constraint::Fill(2),
                Constraint::Min(14),
                Constraint::Length(10),
                Constraint::Length(7),
                Constraint::Fill(1),
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
    frame.render_widget(Paragraph::new(title_line(state, pane, org, theme)), title);
    if let Loadable::Failed { error } = &org.accounts {
        return table::failure(error, "r retries", theme, frame, body);
    }
    let inv = &org.inventory;
    match &pane.view {
        View::Zones => {}
        View::Accounts => accounts(state, pane, inv, theme, frame, body),
        View::OrgZones { .. } => zones(state, pane, inv, theme, frame, body),
        View::Records { zone } => records(state, pane, inv, zone.is_none(), theme, frame, body),
        View::Delegations => delegations(state, pane, theme, frame, body),
        View::Find { .. } => found(state, pane, inv, theme, frame, body),
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
        View::Find { name } => format!("Who serves {name}"),
    };
    let mut spans = vec![Span::styled(format!(" {} ", safe(&what)), theme.title)];
    match &org.accounts {
        Loadable::Loading { .. } | Loadable::NotAsked => {
            spans.push(Span::raw(format!(
                "{} listing the accounts…",
                spinner(state)
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
    let mut progress = format!("{shown} shown · {} records", inv.record_count());
    if inv.is_complete() {
        progress.push_str(&format!(" · {} accounts", inv.accounts.len()));
        if let Some(at) = org.finished {
            progress.push_str(&format!(" at {}", at.format("%H:%M:%S")));
        }
    } else {
        progress = format!(
            "{} {progress} · {done}/{} accounts",
            spinner(state),
            inv.accounts.len()
        );
    }
    spans.push(Span::raw(progress));
    if failed > 0 {
        spans.push(Span::styled(format!(" · {failed} failed"), theme.error));
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

/// A table of a grid: headers, widths, and the cells (with a style) of one row.
#[allow(clippy::too_many_arguments)]
fn grid<'a, R>(
    state: &State,
    g: &Grid<R>,
    total: usize,
    headers: &'a [&'a str],
    widths: &[Constraint],
    empty: &str,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    cells: impl Fn(&R) -> (Vec<String>, Style),
) {
    let rows = table::window_rows(state, &g.table, area, theme, |i| {
        let (cells, style) = cells(g.rows.get(i)?);
        Some(
            cells
                .iter()
                .map(|c| Line::styled(safe(c).into_owned(), style))
                .collect(),
        )
    });
    let header = Row::new(headers.iter().copied()).style(theme.heading);
    frame.render_widget(
        Table::new(rows, widths.iter().copied()).header(header),
        area,
    );
    table::empty_note(&g.table, total, empty, theme, frame, area);
}

fn status_style(status: &AccountStatus, theme: &Theme) -> Style {
    match status {
        AccountStatus::Ok => theme.ok,
        AccountStatus::Denied(_) | AccountStatus::Failed(_) => theme.error,
        AccountStatus::Throttled(_) => theme.warn,
        _ => Style::new(),
    }
}

fn accounts(
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

fn zones(
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

fn records(
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

fn delegations(state: &State, pane: &DnsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
    grid(
        state,
        &pane.delegations,
        pane.delegations.rows.len(),
        &[
            "STATUS",
            "PARENT",
            "CHILD",
            "CHILD ACCOUNT",
            "PARENT NS",
            "CHILD NS",
        ],
        &[
            Constraint::Length(9),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(14),
            Constraint::Fill(2),
            Constraint::Fill(2),
        ],
        " no public zone of the organisation sits under another",
        theme,
        frame,
        area,
        |d| {
            let style = match d.status {
                DelegationStatus::Ok => theme.ok,
                DelegationStatus::External => theme.dim,
                _ => theme.error,
            };
            (
                vec![
                    d.status.word().to_owned(),
                    d.parent_zone.clone(),
                    d.child_zone.clone(),
                    d.child_account.clone().unwrap_or_else(|| "-".into()),
                    d.parent_ns.join(" "),
                    d.child_ns.join(" "),
                ],
                style,
            )
        },
    );
}

fn found(
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
            };
            (find_cells(inv, row), style)
        },
    );
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::super::{Theme, render as render_all};
    use crate::app::dns::DnsMsg;
    use crate::app::dns::fixtures::{org_loaded, org_view};
    use crate::app::tests::at;
    use crate::app::{Msg, State, update};
    use crate::services::{ErrorKind, ServiceError};

    fn draw(state: &State, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| render_all(state, &Theme::new(false), f))
            .unwrap();
        terminal.backend().to_string()
    }

    fn key(state: &mut State, code: KeyCode) {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    #[test]
    fn dns_org_listing_accounts() {
        let (state, _) = org_view();
        insta::assert_snapshot!(draw(&state, 100, 10));
    }

    #[test]
    fn dns_org_accounts_loading_ok_and_denied() {
        let (state, _) = org_loaded(false);
        insta::assert_snapshot!(draw(&state, 110, 12));
    }

    #[test]
    fn dns_org_account_list_failed() {
        let (mut state, request) = org_view();
        update(
            &mut state,
            Msg::Dns(DnsMsg::OrgAccounts {
                request,
                result: Err(ServiceError::new(
                    ErrorKind::Denied,
                    Some("AccessDeniedException".into()),
                    "Organizations ListAccounts failed: not the management account",
                )),
                at: at(),
            }),
        );
        insta::assert_snapshot!(draw(&state, 100, 10));
    }

    #[test]
    fn dns_all_records_filtered_by_type() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('/'));
        for c in "type:ns".chars() {
            key(&mut state, KeyCode::Char(c));
        }
        key(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(draw(&state, 120, 10));
    }

    #[test]
    fn dns_all_records_empty_filter() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('/'));
        for c in "type:caa".chars() {
            key(&mut state, KeyCode::Char(c));
        }
        key(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(draw(&state, 100, 9));
    }

    #[test]
    fn dns_delegations_read_only() {
        let (mut state, _) = org_loaded(true);
        state.session.read_only = true;
        key(&mut state, KeyCode::Char('j'));
        key(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(draw(&state, 110, 9));
    }

    #[test]
    fn dns_who_serves_a_name() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        for _ in 0..4 {
            key(&mut state, KeyCode::Char('j'));
        }
        key(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(draw(&state, 110, 11));
    }

    #[test]
    fn dns_export_asks_csv_or_json() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        key(&mut state, KeyCode::Char('e'));
        insta::assert_snapshot!(draw(&state, 100, 12));
    }

    #[test]
    fn dns_all_records_narrow() {
        let (mut state, _) = org_loaded(true);
        key(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(draw(&state, 60, 12));
    }

    #[test]
    fn dns_tiny_terminal_does_not_panic() {
        let (mut state, _) = org_loaded(false);
        for (w, h) in [(1, 1), (10, 3), (30, 6)] {
            draw(&state, w, h);
        }
        key(&mut state, KeyCode::Enter);
        draw(&state, 20, 5);
    }
}
