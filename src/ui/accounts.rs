//! The Accounts view: one row per account, only the visible window built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use super::{Theme, safe, spinner};
use crate::app::accounts::AccessCheck;
use crate::app::layout::TITLE_ROWS;
use crate::app::{Loadable, State, access_text, layout};
use crate::domain::account::AccountSource;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let [title, table] =
        Layout::vertical([Constraint::Length(TITLE_ROWS), Constraint::Fill(1)]).areas(area);
    let pane = &state.accounts;
    let title_line = match &pane.list {
        Loadable::NotAsked => Line::raw(""),
        Loadable::Loading { .. } => Line::from(vec![
            Span::styled(" Accounts ", theme.title),
            Span::raw(format!(
                "{} loading the organisation's accounts…",
                spinner(state)
            )),
        ]),
        Loadable::Failed { .. } => Line::from(vec![
            Span::styled(" Accounts ", theme.title),
            Span::styled("could not list the accounts", theme.error),
        ]),
        Loadable::Ready { value, fetched_at } => {
            let source = match value.source {
                AccountSource::Organizations => "from Organizations",
                AccountSource::Config => "from the config file",
            };
            let mut spans = vec![
                Span::styled(" Accounts ", theme.title),
                Span::raw(format!(
                    "{} of {} {source} at {}",
                    pane.table.visible_len(),
                    value.accounts.len(),
                    fetched_at.format("%H:%M:%S")
                )),
            ];
            let pending = pane.pending_checks();
            if pending > 0 {
                spans.push(Span::styled(
                    format!("  {} checking access to {pending}", spinner(state)),
                    theme.dim,
                ));
            }
            if !pane.table.filter().is_empty() {
                spans.push(Span::styled(
                    format!("  filter: {}", safe(pane.table.filter())),
                    theme.warn,
                ));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(title_line), title);
    if let Loadable::Failed { error } = &pane.list {
        let text = vec![
            Line::styled(format!(" {}", safe(&error.to_string())), theme.error),
            Line::raw(""),
            Line::styled(
                " r retries. Without Organizations access, list the accounts in the config file \
                 ([[organization.accounts]]) and set organization.discover = false.",
                theme.dim,
            ),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), table);
        return;
    }

    let accounts = pane.accounts();
    let current = state.current_account_id();
    let columns = Columns::for_width(table.width);
    let rows_fit =
        layout::table_rows(state.size.1).min(usize::from(table.height.saturating_sub(1)));
    let window = pane.table.window(rows_fit);
    let selected = pane
        .table
        .selected_position()
        .checked_sub(pane.table.offset());
    let rows = window.iter().enumerate().filter_map(|(pos, &i)| {
        let a = accounts.get(i)?;
        let check = pane.access.get(&a.id);
        let access_style = match check {
            Some(AccessCheck::Ok(_)) => theme.ok,
            Some(AccessCheck::Failed(_)) => theme.error,
            _ => theme.dim,
        };
        let marker = if current == Some(a.id.as_str()) {
            "●"
        } else {
            " "
        };
        let mut name = safe(&a.name).into_owned();
        if a.read_only {
            name.push_str(" [ro]");
        }
        let mut cells = vec![
            Line::raw(marker),
            Line::raw(name),
            Line::raw(safe(&a.id).into_owned()),
            Line::styled(safe(&access_text(check)).into_owned(), access_style),
        ];
        if columns >= Columns::Status {
            cells.push(Line::raw(safe(&a.status).into_owned()));
        }
        if columns >= Columns::Email {
            cells.push(Line::raw(safe(&a.email).into_owned()));
        }
        let row = Row::new(cells);
        Some(if Some(pos) == selected {
            row.style(theme.selected)
        } else {
            row
        })
    });
    let headers = ["", "NAME", "ID", "ACCESS", "STATUS", "EMAIL"];
    let widths = [
        Constraint::Length(1),
        Constraint::Min(10),
        Constraint::Length(12),
        Constraint::Fill(2),
        Constraint::Length(9),
        Constraint::Fill(1),
    ];
    let shown = match columns {
        Columns::Essential => 4,
        Columns::Status => 5,
        Columns::Email => 6,
    };
    let header = Row::new(headers[..shown].to_vec()).style(theme.heading);
    let widths = widths[..shown].to_vec();
    frame.render_widget(Table::new(rows, widths).header(header), table);
    if pane.list.value().is_some() && pane.table.visible_len() == 0 && table.height > 1 {
        let text = if accounts.is_empty() {
            " no accounts: the organisation lists none, or the config's static list is empty"
        } else {
            " no account matches the filter (Esc clears it)"
        };
        frame.render_widget(
            Paragraph::new(Line::styled(text, theme.dim)),
            Rect {
                y: table.y + 1,
                height: 1,
                ..table
            },
        );
    }
}

/// Which columns fit: the name, id and access always; status and email when there is room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Columns {
    Essential,
    Status,
    Email,
}

impl Columns {
    fn for_width(width: u16) -> Columns {
        match width {
            0..60 => Columns::Essential,
            60..90 => Columns::Status,
            _ => Columns::Email,
        }
    }
}
