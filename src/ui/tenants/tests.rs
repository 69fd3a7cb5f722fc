use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::tenants::{TenantsEffect, TenantsMsg};
use crate::app::testkit::{chars, keys, press};
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

/// The pane with its pool list asked for; the pools request.
fn opened() -> (State, RequestId) {
    let (mut state, _) = loaded_state();
    let effects = press(&mut state, KeyCode::Char('1'));
    let Some(Effect::Tenants(TenantsEffect::LoadPools { request, .. })) = effects.first() else {
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
    let Some(Effect::Tenants(TenantsEffect::LoadGroups { request, .. })) = effects.first() else {
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
    let Some(Effect::Tenants(TenantsEffect::CountTenant { request, .. })) = effects.first() else {
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
    let effects = press(&mut state, KeyCode::Enter);
    let Some(Effect::Tenants(TenantsEffect::LoadMembers { request, .. })) = effects.first() else {
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
fn a_tenants_view_with_its_record_and_onboarding_executions_under_its_users() {
    let mut state = members_ready();
    state.tenants.across = vec![
        "DNS: acme.apps.example.com CNAME edge.apps.example.com (zone apps.example.com, account \
         222222222222)"
            .into(),
        "onboarding: onboard-acme FAILED".into(),
        "onboarding: onboard-acme-2 SUCCEEDED \u{1b}[31m".into(),
    ];
    insta::assert_snapshot!(draw(&state, 110, 16));
}

#[test]
fn tenants_user_detail() {
    let mut state = members_ready();
    let effects = press(&mut state, KeyCode::Enter);
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
    press(&mut state, KeyCode::Char('n'));
    chars(&mut state, "acme");
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(draw(&state, 100, 16));
}

#[test]
fn tenants_forced_delete_question_lists_the_groups_that_go() {
    let mut state = tenants_ready();
    press(&mut state, KeyCode::Char('d'));
    insta::assert_snapshot!(draw(&state, 100, 16));
}

#[test]
fn tenants_user_actions_menu() {
    let mut state = members_ready();
    press(&mut state, KeyCode::Char('c'));
    press(&mut state, KeyCode::Char('j'));
    insta::assert_snapshot!(draw(&state, 100, 16));
}

#[test]
fn tenants_search_results_streaming_in() {
    let mut state = tenants_ready();
    press(&mut state, KeyCode::Char('w'));
    chars(&mut state, "ann");
    let effects = press(&mut state, KeyCode::Enter);
    let Some(Effect::Tenants(TenantsEffect::SearchUsers { request, .. })) = effects.first() else {
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
    let effects = press(&mut state, KeyCode::Char('1'));
    let Some(Effect::Tenants(TenantsEffect::LoadPools { request, .. })) = effects.first() else {
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
    let Some(Effect::Tenants(TenantsEffect::ScanTenants { request, .. })) = effects.first() else {
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
    for width in [80, 100] {
        let screen = draw(&members_ready(), width, 12);
        for text in ["USERNAME", "EMAIL", "ann.adams", "bob.brooks"] {
            assert!(screen.contains(text), "{width}: {text}\n{screen}");
        }
    }
    // Narrower: the email gives way before whether a user can sign in.
    let screen = draw(&members_ready(), 60, 12);
    for text in ["USERNAME", "STATUS", "ENABLED", "ann.adams"] {
        assert!(screen.contains(text), "60: {text}\n{screen}");
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

/// Whether a user can sign in never gives way: at 80x24 and 60x15 the ENABLED column shows, and
/// the disabled user reads `no`.
#[test]
fn a_disabled_user_reads_disabled_at_80x24_and_60x15() {
    let state = members_ready();
    let mut screens = Vec::new();
    for (width, height) in [(80, 24), (60, 15)] {
        let screen = draw(&state, width, height);
        let header = screen.lines().find(|l| l.contains("USERNAME")).unwrap();
        assert!(header.contains("ENABLED"), "{width}x{height}\n{screen}");
        // The ENABLED column is the last shown.
        let enabled = |name: &str| {
            let row = screen.lines().find(|l| l.contains(name)).unwrap();
            row.trim_matches('"')
                .split_whitespace()
                .last()
                .map(str::to_owned)
        };
        assert_eq!(enabled("cid").as_deref(), Some("no"), "{screen}");
        assert_eq!(enabled("ann.adams").as_deref(), Some("yes"), "{screen}");
        screens.push(screen);
    }
    insta::assert_snapshot!(screens.join("\n"));
}

/// `i` on a user: every field whole (the email the table cut, the dates in full, the
/// attributes), in a box that fits 60x15.
#[test]
fn a_users_detail_view_shows_every_field_whole() {
    let mut state = members_ready();
    keys(&mut state, "jj");
    keys(&mut state, "i");
    let mut screens = Vec::new();
    for (width, height) in [(80, 24), (60, 15)] {
        let screen = draw(&state, width, height);
        assert!(screen.contains("cid␛[31m@acme.example"), "{screen}");
        assert!(!screen.contains('\u{1b}'), "{screen}");
        screens.push(screen);
    }
    insta::assert_snapshot!(screens.join("\n"));
}
