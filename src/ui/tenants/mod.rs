//! The Tenants pane: the user pools of the account, a pool's tenants with their user counts, a
//! tenant's users grouped by role, a user's detail, and the onboarding forms and user actions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::list::{self, ListLook};
use super::{Theme, safe};
use crate::app::State;
use crate::app::tenants::{TenantsPane, UserAction, View};
use crate::domain::sanitize::truncate_to_width;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let pane = &state.tenants;
    match pane.view() {
        View::Pools => {
            let look = ListLook {
                title: "User pools",
                noun: "user pools",
                widths: &[Constraint::Fill(1), Constraint::Fill(2)],
                empty: " no user pools in this account and region (or set cognito.user_pool_id)",
                footer: Some(Line::styled(" Enter opens the pool's tenants", theme.dim)),
            };
            list::render(state, &pane.pools, look, theme, frame, area);
        }
        View::Tenants => render_tenants(state, pane, theme, frame, area),
        View::Members => {
            let tenant = pane.tenant.as_deref().unwrap_or_default();
            let title = format!("Users of tenant {}", safe(tenant));
            let widths = [
                Constraint::Length(9),
                Constraint::Fill(1),
                Constraint::Fill(2),
                Constraint::Length(21),
                Constraint::Length(7),
                Constraint::Length(16),
                Constraint::Length(16),
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
        View::Search => {
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
            let widths = [
                Constraint::Fill(1),
                Constraint::Fill(2),
                Constraint::Length(21),
                Constraint::Length(7),
                Constraint::Length(16),
            ];
            let look = ListLook {
                title: &title,
                noun: "users",
                widths: &widths[..columns_for(area.width, &[(100, 5), (80, 4), (0, 3)])],
                empty: " no user matches (the search is by prefix, case-sensitive)",
                footer: Some(Line::styled(footer, theme.dim)),
            };
            list::render(state, &pane.found, look, theme, frame, area);
        }
        View::User => {
            let user = pane.user.as_deref().unwrap_or_default();
            let title = format!("User {}", safe(user));
            let look = ListLook {
                title: &title,
                noun: "the user",
                widths: &[Constraint::Length(18), Constraint::Fill(1)],
                empty: " no details",
                footer: Some(Line::styled(
                    " c user actions · d remove from tenant · Esc back",
                    theme.dim,
                )),
            };
            list::render(state, &pane.detail, look, theme, frame, area);
        }
    }
    if pane.form.is_some() {
        render_form(pane, theme, frame, area);
    } else if pane.menu.is_some() {
        render_menu(pane, theme, frame, area);
    } else if pane.force_delete.is_some() {
        render_force_delete(pane, theme, frame, area);
    }
}

/// How many leading columns of a list fit `width`: the count of the first `(min_width, count)`
/// tier whose minimum `width` reaches (tiers from the widest down, the last with minimum 0).
/// A table cell without a width is not drawn, so the trailing columns are the ones dropped.
fn columns_for(width: u16, tiers: &[(u16, usize)]) -> usize {
    tiers
        .iter()
        .find(|(min, _)| width >= *min)
        .map_or(1, |(_, count)| *count)
}

/// The width of the force-delete question's box.
const POPUP_WIDTH: u16 = 64;

/// The question before deleting a tenant that still has users.
fn render_force_delete(pane: &TenantsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
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
        " (f)orce: then type the tenant id to confirm · Esc cancel",
        theme.dim,
    ));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = popup(area, POPUP_WIDTH, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.title)
                .title(format!(" Delete tenant {tenant} ")),
        ),
        rect,
    );
}

fn render_tenants(state: &State, pane: &TenantsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
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
                " scanning the pool for {}: {} users read…",
                safe(&pane.options.attribute),
                read.unwrap_or(0)
            ),
            (crate::app::Loadable::Ready { fetched_at, .. }, _) => format!(
                " from a scan of {} cached since {}; r scans again",
                safe(&pane.options.attribute),
                fetched_at.format("%H:%M:%S")
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
        widths: &[
            Constraint::Min(12),
            Constraint::Length(6),
            Constraint::Min(28),
            Constraint::Fill(1),
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

fn render_form(pane: &TenantsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(form) = &pane.form else {
        return;
    };
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { "▸ " } else { "  " };
        let value = if field.choices.is_empty() {
            let v = safe(field.input.value()).into_owned();
            if focused { format!("{v}▏") } else { v }
        } else {
            format!("◂ {} ▸", safe(&field.value()))
        };
        let style = if focused { theme.title } else { theme.dim };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker}{:<13}", field.label), style),
            Span::raw(value),
        ]));
    }
    lines.push(Line::raw(""));
    match &form.error {
        Some(e) => lines.push(Line::styled(safe(e).into_owned(), theme.error)),
        None => lines.push(Line::styled(
            "Tab next field · ←/→ choose · Enter plan the change · Esc cancel",
            theme.dim,
        )),
    }
    // The error may wrap: one more line per inner width of text.
    let wrapped = form.error.as_ref().map_or(0, |e| {
        e.chars().count() / usize::from(area.width.clamp(3, 76) - 2)
    });
    let height = u16::try_from(lines.len() + 2 + wrapped).unwrap_or(u16::MAX);
    let rect = popup(area, 76, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.title)
                .title(format!(" {} ", safe(&form.kind.title()))),
        ),
        rect,
    );
}

fn render_menu(pane: &TenantsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
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
                .border_style(theme.title)
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

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::app::tenants::{TenantsEffect, TenantsMsg};
    use crate::app::tests::{at, loaded_state};
    use crate::app::{Effect, Msg, RequestId, State, update};
    use crate::domain::tenancy::users::{Counts, User};
    use crate::domain::tenancy::{Group, UserPool};
    use crate::services::{ErrorKind, ServiceError};
    use crate::ui::{Theme, render};

    fn draw(state: &State, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| render(state, &Theme::new(false), f))
            .unwrap();
        terminal.backend().to_string()
    }

    fn key(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    /// The pane with its pool list asked for; the pools request.
    fn opened() -> (State, RequestId) {
        let (mut state, _) = loaded_state();
        let effects = key(&mut state, KeyCode::Char('1'));
        let Some(Effect::Tenants(TenantsEffect::LoadPools { request, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        (state, *request)
    }

    /// The pool's groups asked for; the groups request.
    fn pool_opened() -> (State, RequestId) {
        let (mut state, request) = opened();
        let effects = update(
            &mut state,
            Msg::Tenants(TenantsMsg::Pools {
                request,
                result: Ok(vec![UserPool {
                    id: "eu-west-1_abc".into(),
                    name: "customers".into(),
                }]),
                at: at(),
            }),
        );
        let Some(Effect::Tenants(TenantsEffect::LoadGroups { request, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        (state, *request)
    }

    fn group(name: &str, description: &str) -> Group {
        Group {
            name: name.into(),
            description: description.into(),
            precedence: None,
        }
    }

    fn user(name: &str, status: &str, enabled: bool) -> User {
        User {
            username: name.into(),
            email: format!("{name}@acme.example"),
            status: status.into(),
            enabled,
            created: Some(at()),
            modified: Some(at()),
            attributes: vec![
                ("email".into(), format!("{name}@acme.example")),
                ("custom:tenant_id".into(), "acme".into()),
            ],
        }
    }

    /// Tenants listed: acme counted, globex failed, initech still counting.
    fn tenants_ready() -> State {
        let (mut state, request) = pool_opened();
        let groups = vec![
            group("acme:admin", "Acme Corp"),
            group("acme:member", "Acme Corp"),
            group("acme:readonly", "Acme Corp"),
            group("globex:admin", "Globex"),
            group("initech:admin", "Initech"),
            group("Admins", "pool-wide"),
        ];
        let effects = update(
            &mut state,
            Msg::Tenants(TenantsMsg::Groups {
                request,
                result: Ok(groups),
                at: at(),
            }),
        );
        let Some(Effect::Tenants(TenantsEffect::CountTenant { request, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        let counted = Counts::from_role_members(&[
            ("admin".into(), vec!["ann".into()]),
            ("member".into(), vec!["bob".into(), "cid".into()]),
        ]);
        for (tenant, result) in [
            ("acme", Ok(counted)),
            (
                "globex",
                Err(ServiceError::new(
                    ErrorKind::Throttled,
                    Some("TooManyRequestsException".into()),
                    "Cognito ListUsersInGroup failed: rate exceeded",
                )),
            ),
        ] {
            update(
                &mut state,
                Msg::Tenants(TenantsMsg::Counted {
                    request: *request,
                    tenant: tenant.into(),
                    result,
                }),
            );
        }
        state
    }

    fn members_ready() -> State {
        let mut state = tenants_ready();
        let effects = key(&mut state, KeyCode::Enter);
        let Some(Effect::Tenants(TenantsEffect::LoadMembers { request, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Members {
                request: *request,
                result: Ok(vec![
                    ("admin".into(), vec![user("ann.adams", "CONFIRMED", true)]),
                    (
                        "member".into(),
                        vec![
                            user("bob.brooks", "FORCE_CHANGE_PASSWORD", true),
                            user("cid\u{1b}[31m", "CONFIRMED", false),
                        ],
                    ),
                    ("readonly".into(), Vec::new()),
                ]),
                at: at(),
            }),
        );
        state
    }

    #[test]
    fn tenants_loading() {
        let (state, _) = pool_opened();
        insta::assert_snapshot!(draw(&state, 100, 8));
    }

    #[test]
    fn tenants_ready_with_counts_streaming_in() {
        insta::assert_snapshot!(draw(&tenants_ready(), 100, 12));
    }

    #[test]
    fn tenants_failed() {
        let (mut state, request) = pool_opened();
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Groups {
                request,
                result: Err(ServiceError::new(
                    ErrorKind::NotFound,
                    Some("ResourceNotFoundException".into()),
                    "Cognito ListGroups failed: User pool eu-west-1_abc does not exist.",
                )),
                at: at(),
            }),
        );
        insta::assert_snapshot!(draw(&state, 100, 10));
    }

    #[test]
    fn tenants_empty() {
        let (mut state, request) = pool_opened();
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Groups {
                request,
                result: Ok(Vec::new()),
                at: at(),
            }),
        );
        insta::assert_snapshot!(draw(&state, 100, 8));
    }

    #[test]
    fn tenants_read_only() {
        let mut state = tenants_ready();
        state.session.read_only = true;
        insta::assert_snapshot!(draw(&state, 100, 10));
    }

    #[test]
    fn tenants_narrow() {
        insta::assert_snapshot!(draw(&tenants_ready(), 40, 12));
    }

    #[test]
    fn tenants_users_grouped_by_role_with_hostile_names_made_visible() {
        insta::assert_snapshot!(draw(&members_ready(), 110, 12));
    }

    #[test]
    fn tenants_user_detail() {
        let mut state = members_ready();
        let effects = key(&mut state, KeyCode::Enter);
        let Some(Effect::Tenants(TenantsEffect::LoadUser { request, .. })) = effects.first() else {
            panic!("{effects:?}")
        };
        let detail = crate::domain::tenancy::users::UserDetail {
            user: user("ann.adams", "CONFIRMED", true),
            mfa: vec!["SOFTWARE_TOKEN_MFA".into()],
            preferred_mfa: Some("SOFTWARE_TOKEN_MFA".into()),
            groups: vec!["acme:admin".into(), "globex:readonly".into()],
        };
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::User {
                request: *request,
                result: Ok(Some(detail)),
                at: at(),
            }),
        );
        insta::assert_snapshot!(draw(&state, 90, 20));
    }

    #[test]
    fn tenants_onboarding_form_with_an_error() {
        let mut state = tenants_ready();
        key(&mut state, KeyCode::Char('n'));
        for c in "acme".chars() {
            key(&mut state, KeyCode::Char(c));
        }
        key(&mut state, KeyCode::Enter);
        insta::assert_snapshot!(draw(&state, 100, 16));
    }

    #[test]
    fn tenants_forced_delete_question_lists_the_groups_that_go() {
        let mut state = tenants_ready();
        key(&mut state, KeyCode::Char('d'));
        insta::assert_snapshot!(draw(&state, 100, 16));
    }

    #[test]
    fn tenants_user_actions_menu() {
        let mut state = members_ready();
        key(&mut state, KeyCode::Char('c'));
        key(&mut state, KeyCode::Char('j'));
        insta::assert_snapshot!(draw(&state, 100, 16));
    }

    #[test]
    fn tenants_search_results_streaming_in() {
        let mut state = tenants_ready();
        key(&mut state, KeyCode::Char('w'));
        for c in "ann".chars() {
            key(&mut state, KeyCode::Char(c));
        }
        let effects = key(&mut state, KeyCode::Enter);
        let Some(Effect::Tenants(TenantsEffect::SearchUsers { request, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Found {
                request: *request,
                result: Ok(vec![user("ann.adams", "CONFIRMED", true)]),
                done: false,
                at: at(),
            }),
        );
        insta::assert_snapshot!(draw(&state, 100, 10));
    }

    #[test]
    fn tenants_scan_in_progress_in_the_attribute_model() {
        let (mut state, _) = loaded_state();
        state.tenants.options.attribute_model = true;
        let effects = key(&mut state, KeyCode::Char('1'));
        let Some(Effect::Tenants(TenantsEffect::LoadPools { request, .. })) = effects.first()
        else {
            unreachable!()
        };
        let effects = update(
            &mut state,
            Msg::Tenants(TenantsMsg::Pools {
                request: *request,
                result: Ok(vec![UserPool {
                    id: "eu-west-1_abc".into(),
                    name: "customers".into(),
                }]),
                at: at(),
            }),
        );
        let Some(Effect::Tenants(TenantsEffect::ScanTenants { request, .. })) = effects.first()
        else {
            unreachable!()
        };
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::ScanProgress {
                request: *request,
                users: 1260,
            }),
        );
        insta::assert_snapshot!(draw(&state, 100, 10));
    }

    #[test]
    fn users_keep_their_usernames_and_emails_on_narrow_terminals() {
        for width in [60, 80, 100] {
            let screen = draw(&members_ready(), width, 12);
            for text in ["USERNAME", "EMAIL", "ann.adams", "bob.brooks"] {
                assert!(screen.contains(text), "{width}: {text}\n{screen}");
            }
        }
    }

    #[test]
    fn the_force_delete_question_stays_readable_whatever_the_tenant_id() {
        let mut state = tenants_ready();
        let tenant = format!("t{}", "\u{1b}]0;x\u{7}".repeat(40));
        state.tenants.force_delete = Some(crate::app::tenants::ForceDelete {
            tenant: tenant.clone(),
            users: 3,
            groups: vec![format!("{tenant}:admin")],
        });
        for width in [100, 60] {
            let screen = draw(&state, width, 16);
            assert!(screen.contains("delete its groups anyway?"), "{screen}");
            assert!(screen.contains("t␛]0;x␇"), "{screen}");
            assert!(!screen.contains('\u{1b}'), "{screen}");
        }
    }

    #[test]
    fn columns_for_picks_the_widest_tier_that_fits() {
        let tiers = [(110, 7), (80, 4), (0, 3)];
        assert_eq!(super::columns_for(120, &tiers), 7);
        assert_eq!(super::columns_for(110, &tiers), 7);
        assert_eq!(super::columns_for(109, &tiers), 4);
        assert_eq!(super::columns_for(0, &tiers), 3);
        assert_eq!(super::columns_for(5, &[(10, 2)]), 1);
    }
}
