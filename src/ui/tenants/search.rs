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
