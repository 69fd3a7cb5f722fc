//! A tenant's users, one row per role held.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::State;
use crate::app::tenants::TenantsPane;
use crate::ui::list::{self, ListLook};
use crate::ui::table::col;
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
    let title = match &pane.place {
        Some(place) => format!(
            "Users of tenant {} in {}",
            safe(tenant),
            safe(&place.label())
        ),
        None => format!("Users of tenant {}", safe(tenant)),
    };
    // Whether the user can sign in never gives way: the dates first, then the email, the role.
    let columns = [
        col("ROLE", Constraint::Length(9), 6),
        col("USERNAME", Constraint::Fill(1), 7),
        col("EMAIL", Constraint::Fill(2), 5),
        col("STATUS", Constraint::Length(21), 8),
        col("ENABLED", Constraint::Length(7), 9),
        col("CREATED", Constraint::Length(9), 3),
        col("MODIFIED", Constraint::Length(9), 2),
    ];
    let look = ListLook {
        title: &title,
        noun: "users",
        columns: &columns,
        empty: " no users in this tenant: n onboards one",
        footer: Some(Line::styled(
            " Enter user detail · n onboard user · c user actions · d remove from tenant",
            theme.dim,
        )),
    };
    if pane.across.is_empty() {
        return list::render(state, &pane.members, look, theme, frame, area);
    }
    // The tenant across services (`[onboarding]`): a box under the users.
    let height = u16::try_from(pane.across.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height / 2);
    let [list_area, across] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(height)]).areas(area);
    list::render(state, &pane.members, look, theme, frame, list_area);
    let lines: Vec<Line> = pane
        .across
        .iter()
        .map(|l| Line::raw(format!(" {}", safe(l))))
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(format!(" Tenant {} across services ", safe(tenant))),
        ),
        across,
    );
}
