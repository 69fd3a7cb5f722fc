//! The Accounts view: one row per account, only the visible window built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::table::col;
use super::{Theme, safe, spinner, table, waiting};
use crate::app::accounts::AccessCheck;
use crate::app::layout::TITLE_ROWS;
use crate::app::{Loadable, State, access_text};
use crate::domain::account::AccountSource;
use crate::domain::time;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let [title, body] =
        Layout::vertical([Constraint::Length(TITLE_ROWS), Constraint::Fill(1)]).areas(area);
    let pane = &state.accounts;
    frame.render_widget(Paragraph::new(title_line(state, theme)), title);
    if let Loadable::Failed { error } = &pane.list {
        let hint = "r retries. Without Organizations access, list the accounts in the config file \
                    ([[organization.accounts]]) and set organization.discover = false.";
        return table::failure(error, hint, theme, frame, body);
    }

    // The last line of a tall enough view tells why the selected account failed, in full: the
    // ACCESS column cuts long messages.
    let failure = pane
        .selected()
        .and_then(|a| match pane.access.get(&a.id) {
            Some(AccessCheck::Failed(e)) => Some(e),
            _ => None,
        })
        .filter(|_| body.height > 4);
    let body = match failure {
        Some(error) => {
            let [t, d] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(body);
            frame.render_widget(
                Paragraph::new(Line::styled(
                    format!(" {}", safe(&error.to_string())),
                    theme.error,
                )),
                d,
            );
            t
        }
        None => body,
    };

    let accounts = pane.accounts();
    let current = state.current_account_id();
    // The marker, name and access stay; the email, the status, then the id give way.
    let columns = [
        col("", Constraint::Length(1), 9),
        col("NAME", Constraint::Min(10), 9),
        col("ID", Constraint::Length(12), 7),
        col("ACCESS", Constraint::Fill(2), 8),
        col("STATUS", Constraint::Length(9), 5),
        col("EMAIL", Constraint::Fill(1), 3),
    ];
    table::draw(state, &pane.table, &columns, theme, frame, body, |i| {
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
        Some(vec![
            Line::raw(marker),
            Line::raw(name),
            Line::raw(safe(&a.id).into_owned()),
            Line::styled(safe(&access_text(check)).into_owned(), access_style),
            Line::raw(safe(&a.status).into_owned()),
            Line::raw(safe(&a.email).into_owned()),
        ])
    });
    if pane.list.value().is_some() {
        let empty =
            " no accounts: the organisation lists none, or the config's static list is empty";
        table::empty_note(&pane.table, accounts.len(), empty, theme, frame, body);
    }
}

fn title_line<'a>(state: &State, theme: &Theme) -> Line<'a> {
    let pane = &state.accounts;
    let head = Span::styled(" Accounts ", theme.title);
    match &pane.list {
        Loadable::NotAsked => Line::raw(""),
        Loadable::Loading { .. } => Line::from(vec![
            head,
            Span::raw(format!(
                "{} loading the organisation's accounts…{}",
                spinner(state),
                waiting(state, &pane.list)
            )),
        ]),
        Loadable::Failed { .. } => Line::from(vec![
            head,
            Span::styled("could not list the accounts", theme.error),
        ]),
        Loadable::Ready { value, fetched_at } => {
            let source = match value.source {
                AccountSource::Organizations => "from Organizations",
                AccountSource::Config => "from the config file",
            };
            let mut spans = vec![
                head,
                Span::raw(format!(
                    "{} of {} {source} at {}",
                    pane.table.visible_len(),
                    value.accounts.len(),
                    time::clock(*fetched_at)
                )),
            ];
            let pending = pane.pending_checks();
            if pending > 0 {
                spans.push(Span::styled(
                    format!("  {} checking access to {pending}", spinner(state)),
                    theme.dim,
                ));
            }
            spans.extend(table::filter_note(&pane.table, theme));
            Line::from(spans)
        }
    }
}
