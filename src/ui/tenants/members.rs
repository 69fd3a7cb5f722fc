//! A tenant's users, one row per role held.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;

use super::columns_for;
use crate::app::State;
use crate::app::tenants::TenantsPane;
use crate::ui::list::{self, ListLook};
use crate::ui::{Theme, safe};

/// The users of the tenant opened.
pub(super) fn render(
    state: &State,
    pane: &TenantsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let tenant = pane.tenant.as_deref().unwrap_or_default();
    let title = format!("Users of tenant {}", safe(tenant));
    let widths = [
        Constraint::Length(9),
        Constraint::Fill(1),
        Constraint::Fill(2),
        Constraint::Length(21),
        Constraint::Length(7),
        // Ages, e.g. `3m ago` (at most `1000d ago`).
        Constraint::Length(9),
        Constraint::Length(9),
    ];
    let look = ListLook {
        title: &title,
        noun: "users",
        // Who the users are first: the dates, then the status give way on narrow
        // terminals (the fixed columns alone would leave no room for username and email).
        widths: &widths[..columns_for(area.width, &[(110, 7), (80, 4), (0, 3)])],
        empty: " no users in this tenant: n onboards one",
        footer: Some(Line::styled(
            " Enter user detail · n onboard user · c user actions · d remove from tenant",
            theme.dim,
        )),
    };
    list::render(state, &pane.members, look, theme, frame, area);
}
