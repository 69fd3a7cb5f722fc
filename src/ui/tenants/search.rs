//! The users found by a search of the pool, streaming in page by page.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;

use crate::app::State;
use crate::app::tenants::TenantsPane;
use crate::ui::list::{self, ListLook};
use crate::ui::table::col;
use crate::ui::{Theme, safe};

/// The users whose email or username starts with the prefix searched for.
pub(super) fn render(
    state: &State,
    pane: &TenantsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let (what, prefix) = match &pane.search {
        Some(crate::services::UserFilter::UsernamePrefix(p)) => ("username", p.as_str()),
        Some(crate::services::UserFilter::EmailPrefix(p)) => ("email", p.as_str()),
        Some(crate::services::UserFilter::Email(e)) => ("email", e.as_str()),
        None => ("email", ""),
    };
    let title = format!("Users whose {what} starts with {}", safe(prefix));
    let footer = if pane.searching.is_some() {
        format!(
            " searching the pool… {} found so far",
            pane.found.items().len()
        )
    } else {
        " Enter user detail · w new search · Esc tenants".to_owned()
    };
    // Found by email or username: both share the room left by the status columns, which stay.
    let columns = [
        col("USERNAME", Constraint::Fill(1), 7),
        col("EMAIL", Constraint::Fill(1), 6),
        col("STATUS", Constraint::Length(21), 8),
        col("ENABLED", Constraint::Length(7), 9),
        col("CREATED", Constraint::Length(9), 3),
    ];
    let look = ListLook {
        title: &title,
        noun: "users",
        columns: &columns,
        empty: " no user matches (the search is by prefix, case-sensitive)",
        footer: Some(Line::styled(footer, theme.dim)),
    };
    list::render(state, &pane.found, look, theme, frame, area);
}

/// Where `:user` found the user: one row per pool of the organisation, streaming in as each
/// account × region answers.
pub(super) fn render_where(
    state: &State,
    pane: &TenantsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let Some(finding) = &pane.finding else {
        return;
    };
    let title = format!(
        // The list's own count follows: ` · 2 of 2 in the organisation`.
        "Where is user {} · {} ·",
        safe(&finding.query),
        finding.progress()
    );
    let footer = if finding.request.is_some() {
        Line::styled(
            format!(
                " {} searching every user pool of the organisation… {} found so far",
                crate::ui::spinner(state),
                pane.matches.items().len()
            ),
            theme.dim,
        )
    } else if finding.problems.is_empty() {
        Line::styled(
            " Enter opens the user in its account, region and pool · Esc closes",
            theme.dim,
        )
    } else {
        Line::styled(
            format!(
                " could not be searched: {}",
                safe(&finding.problems.join("; "))
            ),
            theme.warn,
        )
    };
    // Where it lives and its state stay; the username (the one asked for), then the tenants
    // give way.
    let columns = [
        col("ACCOUNT", Constraint::Fill(2), 9),
        col("REGION", Constraint::Length(10), 8),
        col("POOL", Constraint::Fill(1), 6),
        col("USERNAME", Constraint::Fill(1), 3),
        col("STATUS", Constraint::Length(10), 7),
        col("ENABLED", Constraint::Length(7), 7),
        col("TENANTS", Constraint::Fill(1), 5),
    ];
    let look = ListLook {
        title: &title,
        noun: "the user",
        columns: &columns,
        empty: " not found yet",
        footer: Some(footer),
    };
    list::render(state, &pane.matches, look, theme, frame, area);
}
