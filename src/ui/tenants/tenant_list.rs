//! The pools list, the tenants list (counts, other groups, the attribute-model scan), and the
//! question before deleting a tenant that still has users.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::popup;
use crate::app::State;
use crate::app::tenants::TenantsPane;
use crate::config::keymap::{Action, Keymap};
use crate::domain::sanitize::truncate_to_width;
use crate::domain::time;
use crate::ui::list::{self, ListLook};
use crate::ui::table::col;
use crate::ui::{Theme, safe};

/// The account's user pools, to choose one from.
pub(super) fn render_pools(
    state: &State,
    pane: &TenantsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let look = ListLook {
        title: "User pools",
        noun: "user pools",
        columns: &[
            col("POOL", Constraint::Fill(1), 9),
            col("ID", Constraint::Fill(2), 8),
        ],
        empty: " no user pools in this account and region (or set cognito.user_pool_id)",
        footer: Some(Line::styled(" Enter opens the pool's tenants", theme.dim)),
    };
    list::render(state, &pane.pools, look, theme, frame, area);
}

pub(super) fn render_tenants(
    state: &State,
    pane: &TenantsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let pool = pane.pool.as_ref().map(|p| {
        if p.name.is_empty() {
            p.id.clone()
        } else {
            format!("{} ({})", p.name, p.id)
        }
    });
    let title = format!("Tenants of {}", safe(pool.as_deref().unwrap_or("")));
    let footer = if pane.options.attribute_model {
        let text = match (&pane.tenants.list, pane.scanned) {
            (crate::app::Loadable::Loading { .. }, read) => format!(
                " scanning the pool for {}: {} users read…{}",
                safe(&pane.options.attribute),
                read.unwrap_or(0),
                crate::ui::waiting(state, &pane.tenants.list)
            ),
            (crate::app::Loadable::Ready { fetched_at, .. }, _) => format!(
                " from a scan of {} cached since {}; r scans again",
                safe(&pane.options.attribute),
                time::clock(*fetched_at)
            ),
            _ => String::new(),
        };
        (!text.is_empty()).then(|| Line::styled(text, theme.dim))
    } else {
        let other: Vec<&str> = pane.other_groups.iter().map(|g| g.name.as_str()).collect();
        (!other.is_empty()).then(|| {
            Line::from(vec![
                Span::styled(" other groups: ", theme.dim),
                Span::raw(safe(&other.join(", ")).into_owned()),
            ])
        })
    };
    let look = ListLook {
        title: &title,
        noun: "tenants",
        // The tenant and its count stay; the roles, then the description give way.
        columns: &[
            col("TENANT", Constraint::Min(12), 9),
            col("USERS", Constraint::Length(6), 8),
            col("ROLES", Constraint::Min(28), 5),
            col("DESCRIPTION", Constraint::Fill(1), 2),
        ],
        empty: if pane.options.attribute_model {
            " no user has a tenant attribute in this pool: n onboards a tenant"
        } else {
            " no groups follow the tenant pattern (cognito.group_pattern) in this pool: n onboards a tenant"
        },
        footer,
    };
    list::render(state, &pane.tenants, look, theme, frame, area);
}

/// The tenants of every pool of the organisation × the scope's regions, with how far the read
/// has come and which account × region could not be read (a row each, in place of its pools).
pub(super) fn render_org(
    state: &State,
    pane: &TenantsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    // The list's own count follows: ` · 8 of 8 in org × …`.
    let title = format!("Organisation tenants · {} ·", pane.org_progress.text());
    let problems = pane.org_progress.problems.len();
    let footer = (problems > 0).then(|| {
        Line::styled(
            format!(
                " {problems} account×region could not be read (their rows say why); the rest is complete"
            ),
            theme.warn,
        )
    });
    let look = ListLook {
        title: &title,
        noun: "tenants",
        // The tenant (or why an account × region could not be read) and where it lives stay;
        // the roles, then the pool give way.
        columns: &[
            col("ACCOUNT", Constraint::Fill(2), 8),
            col("REGION", Constraint::Length(12), 7),
            col("POOL", Constraint::Fill(1), 5),
            col("TENANT", Constraint::Fill(2), 9),
            col("USERS", Constraint::Length(5), 6),
            col("ROLES", Constraint::Min(16), 3),
        ],
        empty: " no user pool with tenants in the organisation's accounts and the scope's regions",
        footer,
    };
    list::render(state, &pane.org, look, theme, frame, area);
}

/// The width of the force-delete question's box.
const POPUP_WIDTH: u16 = 64;

/// The question before deleting a tenant that still has users.
pub(super) fn render_force_delete(
    keymap: &Keymap,
    pane: &TenantsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let Some(ask) = &pane.force_delete else {
        return;
    };
    let tenant = safe(&ask.tenant);
    // The question must stay readable whatever the tenant id: a long id is cut to what fits
    // beside the question (the box does not wrap; the title and the group lines show more).
    let question = format!(" has {} user(s): delete its groups anyway?", ask.users);
    let inner = usize::from(area.width.min(POPUP_WIDTH).saturating_sub(2));
    let room = inner.saturating_sub(" tenant ".len() + question.width());
    let mut lines = vec![
        Line::raw(format!(
            " tenant {}{question}",
            truncate_to_width(&tenant, room.max(1))
        )),
        Line::raw(""),
        Line::raw(" The users stay in the pool; they lose their roles in it."),
        Line::raw(" Groups deleted:"),
    ];
    lines.extend(
        ask.groups
            .iter()
            .map(|g| Line::raw(format!("   {}", safe(g)))),
    );
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            " {} force: then type the tenant id to confirm · {} cancel",
            keymap.label(Action::ForceDelete),
            keymap.label(Action::Back)
        ),
        theme.dim,
    ));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = popup(area, POPUP_WIDTH, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(format!(" Delete tenant {tenant} ")),
        ),
        rect,
    );
}
