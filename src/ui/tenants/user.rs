//! One user: their detail as field rows, and the user-action menu.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::popup;
use crate::app::State;
use crate::app::tenants::{TenantsPane, UserAction};
use crate::ui::list::{self, ListLook};
use crate::ui::table::col;
use crate::ui::{Theme, safe};

/// A user's detail: status, tenants and roles, MFA, attributes.
pub(super) fn render(
    state: &State,
    pane: &TenantsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let user = pane.user.as_deref().unwrap_or_default();
    let title = match &pane.place {
        Some(place) => format!("User {} in {}", safe(user), safe(&place.label())),
        None => format!("User {}", safe(user)),
    };
    let look = ListLook {
        title: &title,
        noun: "the user",
        columns: &[
            col("FIELD", Constraint::Length(18), 9),
            col("VALUE", Constraint::Fill(1), 8),
        ],
        empty: " no details",
        footer: Some(Line::styled(
            " c user actions · d remove from tenant · Esc back",
            theme.dim,
        )),
    };
    list::render(state, &pane.detail, look, theme, frame, area);
}

pub(super) fn render_menu(pane: &TenantsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(menu) = &pane.menu else {
        return;
    };
    let mut lines: Vec<Line> = UserAction::ALL
        .iter()
        .enumerate()
        .map(|(i, action)| {
            let text = format!(" {} {}", i + 1, action.label(menu.enabled));
            if i == menu.selected {
                Line::styled(text, theme.selected)
            } else {
                Line::raw(text)
            }
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " j/k choose · Enter or 1-6 act · Esc close",
        theme.dim,
    ));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = popup(area, 60, height);
    frame.render_widget(Clear, rect);
    let role = if menu.role.is_empty() {
        String::new()
    } else {
        format!(", {}", menu.role)
    };
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(format!(
                    " {} in {}{} ",
                    safe(&menu.username),
                    safe(&menu.tenant),
                    safe(&role)
                )),
        ),
        rect,
    );
}
