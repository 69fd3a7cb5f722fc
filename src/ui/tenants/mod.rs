//! The Tenants pane: the user pools of the account, a pool's tenants with their user counts, a
//! tenant's users grouped by role, a user's detail, and the onboarding forms and user actions.
//!
//! This file picks the view on screen and the box drawn over it; the views are drawn in
//! `tenant_list.rs` (pools, tenants, the forced-delete question), `members.rs` (a tenant's
//! users), `search.rs` (users found), `user.rs` (a user's detail and the user-action menu) and
//! `forms.rs`, named as in `app/tenants/` where the two layers share a feature.

mod forms;
mod members;
mod search;
mod tenant_list;
mod user;

#[cfg(test)]
mod org_tests;
#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::Theme;
use crate::app::State;
use crate::app::tenants::View;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.tenants;
    match pane.view() {
        View::Pools => tenant_list::render_pools(state, pane, theme, frame, area),
        View::Tenants => tenant_list::render_tenants(state, pane, theme, frame, area),
        View::Members => members::render(state, pane, theme, frame, area),
        View::Search => search::render(state, pane, theme, frame, area),
        View::User => user::render(state, pane, theme, frame, area),
        View::Org => tenant_list::render_org(state, pane, theme, frame, area),
        View::Where => search::render_where(state, pane, theme, frame, area),
    }
    if pane.form.is_some() {
        forms::render_form(pane, &state.keymap, theme, frame, area);
    } else if pane.menu.is_some() {
        user::render_menu(pane, theme, frame, area);
    } else if pane.force_delete.is_some() {
        tenant_list::render_force_delete(&state.keymap, pane, theme, frame, area);
    }
}

/// A box in the middle of `area`, at most `width` wide and `height` high.
fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
