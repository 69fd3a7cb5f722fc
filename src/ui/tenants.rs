//! The Tenants pane: the user pools of the account, then a pool's tenants.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use super::list::{self, ListLook};
use super::{Theme, safe};
use crate::app::State;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.tenants;
    if pane.choosing_pool() {
        let look = ListLook {
            title: "User pools",
            noun: "user pools",
            widths: &[Constraint::Fill(1), Constraint::Fill(2)],
            empty: " no user pools in this account and region (or set cognito.user_pool_id)",
            footer: Some(Line::styled(" Enter opens the pool's tenants", theme.dim)),
        };
        return list::render(state, &pane.pools, look, theme, frame, area);
    }
    let pool = pane.pool.as_ref().map(|p| {
        if p.name.is_empty() {
            p.id.clone()
        } else {
            format!("{} ({})", p.name, p.id)
        }
    });
    let title = format!("Tenants of {}", safe(pool.as_deref().unwrap_or("")));
    let other: Vec<&str> = pane.other_groups.iter().map(|g| g.name.as_str()).collect();
    let footer = (!other.is_empty()).then(|| {
        Line::from(vec![
            Span::styled(" other groups: ", theme.dim),
            Span::raw(safe(&other.join(", ")).into_owned()),
        ])
    });
    let look = ListLook {
        title: &title,
        noun: "groups",
        widths: &[
            Constraint::Min(12),
            Constraint::Min(22),
            Constraint::Fill(1),
        ],
        empty: " no groups follow the tenant pattern (cognito.group_pattern) in this pool",
        footer,
    };
    list::render(state, &pane.tenants, look, theme, frame, area);
}
