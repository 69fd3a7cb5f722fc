//! The list views of the Tenants, DNS and Workflows panes: one renderer for any `Listing`, building
//! only the visible window of rows.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, safe, spinner, table, waiting};
use crate::app::layout::TITLE_ROWS;
use crate::app::list::{ListPane, Listing};
use crate::app::{Loadable, State};
use crate::domain::time;

/// How one list is titled and laid out.
pub struct ListLook<'a> {
    pub title: &'a str,
    /// What is being loaded, e.g. "hosted zones".
    pub noun: &'a str,
    /// One per column of the rows' [`Cells`](crate::rows::Cells), in order.
    pub columns: &'a [table::Column],
    /// Shown when the list is empty.
    pub empty: &'a str,
    /// An extra line under the table (e.g. "other groups"), if any.
    pub footer: Option<Line<'a>>,
}

pub fn render<T: Listing>(
    state: &State,
    pane: &ListPane<T>,
    look: ListLook<'_>,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let [title, body] =
        Layout::vertical([Constraint::Length(TITLE_ROWS), Constraint::Fill(1)]).areas(area);
    let account = pane.account.as_deref().unwrap_or("");
    let head = Span::styled(format!(" {} ", look.title), theme.title);
    let title_line = match &pane.list {
        Loadable::NotAsked => Line::from(vec![
            head,
            Span::styled(
                format!(
                    "waiting for the current account…{}",
                    waiting(state, &state.identity)
                ),
                theme.dim,
            ),
        ]),
        Loadable::Loading { .. } => Line::from(vec![
            head,
            Span::raw(format!(
                "{} loading {} in {}…{}",
                spinner(state),
                look.noun,
                safe(account),
                waiting(state, &pane.list)
            )),
        ]),
        Loadable::Failed { .. } => Line::from(vec![
            head,
            Span::styled(
                format!("could not load {} in {}", look.noun, safe(account)),
                theme.error,
            ),
        ]),
        Loadable::Ready { value, fetched_at } => {
            let mut spans = vec![
                head,
                Span::raw(format!(
                    "{} of {} in {} at {}",
                    pane.table.visible_len(),
                    value.len(),
                    safe(account),
                    time::clock(*fetched_at)
                )),
            ];
            spans.extend(refresh_note(
                state,
                pane.refreshing,
                &pane.refresh_error,
                theme,
            ));
            spans.extend(table::filter_note(&pane.table, theme));
            Line::from(spans)
        }
    };
    // A title longer than the line ends in `…`.
    let title_line = table::fit_line(title_line, usize::from(title.width));
    frame.render_widget(Paragraph::new(title_line), title);

    if let Loadable::Failed { error } = &pane.list {
        return table::failure(error, "r retries", theme, frame, body);
    }

    let (table_area, footer_area) = match &look.footer {
        Some(_) if body.height > 3 => {
            let [t, f] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(body);
            (t, Some(f))
        }
        _ => (body, None),
    };
    let items = pane.items();
    table::draw(
        state,
        &pane.table,
        look.columns,
        theme,
        frame,
        table_area,
        |i| {
            Some(
                items
                    .get(i)?
                    .screen_cells(state.now)
                    .into_iter()
                    .map(|c| Line::raw(safe(&c).into_owned()))
                    .collect(),
            )
        },
    );
    if pane.list.value().is_some() {
        table::empty_note(
            &pane.table,
            items.len(),
            look.empty,
            theme,
            frame,
            table_area,
        );
    }
    if let (Some(line), Some(area)) = (look.footer, footer_area) {
        frame.render_widget(Paragraph::new(line), area);
    }
}

/// A background re-read in flight (the spinner), or why the last one failed (the rows are from
/// before it).
pub(crate) fn refresh_note(
    state: &State,
    refreshing: Option<crate::app::RequestId>,
    error: &Option<crate::services::ServiceError>,
    theme: &Theme,
) -> Option<Span<'static>> {
    match (refreshing, error) {
        (Some(_), _) => Some(Span::styled(format!(" {}", spinner(state)), theme.dim)),
        (None, Some(e)) => Some(Span::styled(
            format!("  refresh failed: {}", safe(&e.to_string())),
            theme.warn,
        )),
        (None, None) => None,
    }
}
