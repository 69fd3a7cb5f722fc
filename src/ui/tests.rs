//! Snapshot tests of the shell and the Accounts view (insta + ratatui's TestBackend), and a sweep
//! of terminal sizes that must never panic.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{Theme, render};
use crate::app::dns::{DnsEffect, DnsMsg};
use crate::app::tenants::{TenantsEffect, TenantsMsg};
use crate::app::tests::{at, loaded_state, me, session, tenancy};
use crate::app::workflows::{WorkflowsEffect, WorkflowsMsg};
use crate::app::{Effect, Msg, State, update};
use crate::config::keymap::Keymap;
use crate::domain::account::{Access, AccessVia};
use crate::services::{ErrorKind, ServiceError};

fn draw(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| render(state, &Theme::new(false), f))
        .unwrap();
    terminal.backend().to_string()
}

fn key(state: &mut State, code: KeyCode) {
    update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Loaded, with access checked: management by its own credentials, dev denied, the rest ok.
fn checked_state() -> State {
    let (mut state, checks) = loaded_state();
    for effect in checks {
        let Effect::CheckAccess {
            list_request,
            account_id,
        } = effect
        else {
            continue;
        };
        let result = match account_id.as_str() {
            "111111111111" => Ok(Access {
                identity: me(),
                via: AccessVia::CurrentCredentials,
            }),
            "222222222222" => Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDenied".into()),
                "STS AssumeRole failed: not authorized to assume the role",
            )),
            _ => Ok(Access {
                identity: me(),
                via: AccessVia::AssumedRole,
            }),
        };
        update(
            &mut state,
            Msg::Access {
                list_request,
                account_id,
                result,
            },
        );
    }
    state
}

#[test]
fn shell_while_loading() {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    state.start();
    insta::assert_snapshot!(draw(&state, 80, 12));
}

/// Twelve seconds later nothing has answered: the header and the pane say how long they wait.
#[test]
fn shell_while_waiting_long() {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    state.start();
    for _ in 0..48 {
        update(&mut state, Msg::Tick);
    }
    insta::assert_snapshot!(draw(&state, 80, 12));
}

#[test]
fn accounts_ready_with_one_denied() {
    insta::assert_snapshot!(draw(&checked_state(), 100, 12));
}

#[test]
fn accounts_failed_to_load() {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    let effects = state.start();
    let Effect::LoadAccounts { request } = effects[1] else {
        unreachable!()
    };
    update(
        &mut state,
        Msg::Accounts {
            request,
            result: Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AWSOrganizationsNotInUseException".into()),
                "Organizations ListAccounts failed: Your account is not a member of an organization.",
            )),
            at: at(),
        },
    );
    insta::assert_snapshot!(draw(&state, 100, 8));
}

#[test]
fn read_only_badge_and_endpoint() {
    let (mut state, _) = loaded_state();
    state.session.read_only = true;
    state.session.endpoint = Some("http://127.0.0.1:5000".into());
    insta::assert_snapshot!(draw(&state, 100, 6));
}

#[test]
fn the_header_shows_the_endpoint_without_user_and_password() {
    let (mut state, _) = loaded_state();
    state.session.endpoint = Some("http://admin:hunter2@127.0.0.1:5000".into());
    let screen = draw(&state, 100, 6);
    assert!(
        screen.contains("endpoint http://127.0.0.1:5000"),
        "{screen}"
    );
    assert!(!screen.contains("hunter2"), "{screen}");
}

#[test]
fn narrow_terminal() {
    insta::assert_snapshot!(draw(&checked_state(), 40, 10));
}

#[test]
fn help_is_built_from_the_keymap() {
    let mut state = checked_state();
    key(&mut state, KeyCode::Char('?'));
    insta::assert_snapshot!(draw(&state, 80, 24));
}

#[test]
fn command_line_shows_completions() {
    let mut state = checked_state();
    key(&mut state, KeyCode::Char(':'));
    for c in "account ".chars() {
        key(&mut state, KeyCode::Char(c));
    }
    let screen = draw(&state, 100, 10);
    let status = screen.lines().last().unwrap();
    assert!(status.contains(":account"), "{status}");
    assert!(status.contains("account management"), "{status}");
}

#[test]
fn hostile_account_names_are_made_visible_not_emitted() {
    let (mut state, _) = loaded_state();
    let effects = state.start();
    let Effect::LoadAccounts { request } = effects[1] else {
        unreachable!()
    };
    let mut evil = crate::app::tests::account("555555555555", "x\u{1b}]0;pwned\u{7}\u{202e}evil");
    evil.email = "\u{1b}[2Jwipe@example.com".into();
    update(
        &mut state,
        Msg::Accounts {
            request,
            result: Ok(crate::domain::account::AccountList {
                accounts: vec![evil],
                source: crate::domain::account::AccountSource::Organizations,
            }),
            at: at(),
        },
    );
    let screen = draw(&state, 100, 8);
    assert!(!screen.contains('\u{1b}'), "{screen}");
    assert!(!screen.contains('\u{202e}'), "{screen}");
    assert!(screen.contains("␛]0;pwned"), "{screen}");
}

#[test]
fn no_size_panics_in_any_state() {
    let mut loading = State::new(session(), Keymap::default(), tenancy());
    loading.start();
    let ready = checked_state();
    let mut help = checked_state();
    key(&mut help, KeyCode::Char('?'));
    let mut typing = checked_state();
    key(&mut typing, KeyCode::Char(':'));
    key(&mut typing, KeyCode::Char('a'));
    for state in [&loading, &ready, &help, &typing] {
        for width in (1..=100).step_by(3) {
            for height in 1..=30 {
                draw(state, width, height);
            }
        }
    }
}

/// Open a pane and answer its load with `answer(request) -> Msg`.
fn open_pane(code: char, answer: impl Fn(crate::app::RequestId) -> Vec<Msg>) -> State {
    let mut state = checked_state();
    let effects = {
        update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Char(code), KeyModifiers::NONE)),
        )
    };
    let request = match effects.first() {
        Some(
            Effect::Dns(DnsEffect::LoadZones { request, .. })
            | Effect::Workflows(WorkflowsEffect::LoadMachines { request, .. })
            | Effect::Tenants(TenantsEffect::LoadPools { request, .. }),
        ) => *request,
        other => panic!("unexpected {other:?}"),
    };
    for msg in answer(request) {
        let follow = update(&mut state, msg);
        if let Some(Effect::Tenants(TenantsEffect::LoadGroups { request, .. })) = follow.first() {
            let groups = [
                "acme:admin",
                "acme:member",
                "acme:readonly",
                "globex:admin",
                "Admins",
            ]
            .map(|name| crate::domain::tenancy::Group {
                name: name.into(),
                description: format!("{} corp", name.split(':').next().unwrap()),
                precedence: None,
            })
            .to_vec();
            update(
                &mut state,
                Msg::Tenants(TenantsMsg::Groups {
                    request: *request,
                    result: Ok(groups),
                    at: at(),
                }),
            );
        }
    }
    state
}

#[test]
fn dns_pane_with_zones() {
    let state = open_pane('2', |request| {
        vec![Msg::Dns(DnsMsg::Zones {
            request,
            result: Ok(vec![
                crate::domain::dns::HostedZone {
                    id: "Z0ROOT".into(),
                    name: "example.com".into(),
                    private: false,
                    record_count: 25,
                    comment: "root".into(),
                },
                crate::domain::dns::HostedZone {
                    id: "Z0INT".into(),
                    name: "internal.example.com".into(),
                    private: true,
                    record_count: 21,
                    comment: String::new(),
                },
            ]),
            at: at(),
        })]
    });
    insta::assert_snapshot!(draw(&state, 100, 9));
}

#[test]
fn tenants_pane_with_other_groups() {
    let state = open_pane('1', |request| {
        vec![Msg::Tenants(TenantsMsg::Pools {
            request,
            result: Ok(vec![crate::domain::tenancy::UserPool {
                id: "eu-west-1_abc".into(),
                name: "customers".into(),
            }]),
            at: at(),
        })]
    });
    insta::assert_snapshot!(draw(&state, 100, 10));
}

#[test]
fn workflows_pane_failed() {
    let state = open_pane('3', |request| {
        vec![Msg::Workflows(WorkflowsMsg::Machines {
            request,
            result: Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDeniedException".into()),
                "Step Functions ListStateMachines failed: not authorized",
            )),
            at: at(),
        })]
    });
    insta::assert_snapshot!(draw(&state, 100, 8));
}

#[test]
fn the_selected_accounts_failure_is_shown_in_full() {
    let mut state = checked_state();
    key(&mut state, KeyCode::Char('j'));
    insta::assert_snapshot!(draw(&state, 80, 12));
}

#[test]
fn a_plan_taller_than_the_screen_keeps_the_question_visible() {
    use crate::app::confirm::ConfirmDialog;
    use crate::domain::plan::{Danger, Plan, Step};
    use crate::domain::workflows::WorkflowChange;
    let mut state = checked_state();
    let steps = (0..200)
        .map(|i| {
            Step::new(
                "states",
                "StopExecution",
                format!("arn:aws:states:eu-west-1:111111111111:execution:m:run-{i}"),
                format!("stop run-{i}"),
            )
            .with_action(crate::app::Change::Workflows(WorkflowChange::Stop {
                execution_arn: format!("run-{i}"),
                error: None,
                cause: None,
            }))
        })
        .collect();
    state.confirm = Some(ConfirmDialog::new(Plan {
        basis: None,
        title: "Stop 200 runs".into(),
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        steps,
        danger: Danger::Normal,
    }));
    state.mode = crate::app::Mode::Confirm;
    let screen = draw(&state, 80, 24);
    assert!(screen.contains("Plan: Stop 200 runs"), "{screen}");
    assert!(screen.contains("more lines of the plan"), "{screen}");
    assert!(screen.contains("Proceed? type y"), "{screen}");
    assert!(screen.contains("> "), "{screen}");
}

#[test]
fn a_destructive_plan_naming_something_long_keeps_the_answer_visible() {
    use crate::app::confirm::ConfirmDialog;
    use crate::domain::plan::{Danger, Plan, Step};
    use crate::domain::workflows::WorkflowChange;
    let name = format!("run\u{1b}]0;x\u{7}{}", "word ".repeat(40));
    let mut state = checked_state();
    state.confirm = Some(ConfirmDialog::new(Plan {
        basis: None,
        title: format!("Stop {name}"),
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        steps: vec![
            Step::new(
                "states",
                "StopExecution",
                name.clone(),
                format!("stop {name}"),
            )
            .with_action(crate::app::Change::Workflows(WorkflowChange::Stop {
                execution_arn: name.clone(),
                error: None,
                cause: None,
            })),
        ],
        danger: Danger::Destructive {
            confirm_text: name.clone(),
        },
    }));
    state.mode = crate::app::Mode::Confirm;
    for (width, height) in [(100, 24), (60, 20), (40, 12)] {
        let screen = draw(&state, width, height);
        assert!(
            screen.contains("(Esc cancels)"),
            "{width}x{height}\n{screen}"
        );
        assert!(screen.contains("│> "), "{width}x{height}\n{screen}");
        assert!(!screen.contains('\u{1b}'), "{screen}");
    }
}

#[test]
fn the_status_bar_shows_a_running_changes_progress() {
    let mut state = checked_state();
    update(
        &mut state,
        Msg::Progress {
            title: "Import 40 users into acme".into(),
            done: 10,
            total: 40,
        },
    );
    let screen = draw(&state, 80, 10);
    let status = screen.lines().last().unwrap();
    assert!(status.contains("Import 40 users into acme"), "{status}");
    assert!(status.contains("█████░░░░░░░░░░░░░░░"), "{status}");
    assert!(status.contains("10/40"), "{status}");
}

#[test]
fn a_report_shows_only_the_lines_that_fit() {
    let mut state = checked_state();
    let steps: Vec<String> = (1..=500)
        .map(|i| format!("done: {i}. create user u{i}@acme.example"))
        .collect();
    update(
        &mut state,
        Msg::Executed {
            title: "Import 500 users into acme".into(),
            result: Ok(()),
            steps,
            nothing_to_do: None,
            replanned: None,
        },
    );
    insta::assert_snapshot!(draw(&state, 80, 12));
}

#[test]
fn the_tabs_are_drawn_where_mouse_clicks_look_for_them() {
    use crate::app::layout::{HEADER_ROWS, tab_labels};
    use unicode_width::UnicodeWidthStr;
    let (state, _) = loaded_state();
    let mut terminal = Terminal::new(TestBackend::new(100, 12)).unwrap();
    terminal
        .draw(|f| render(&state, &Theme::new(false), f))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut x = 1u16;
    for (pane, label) in tab_labels(&state.keymap) {
        let drawn: String = (x..x + u16::try_from(label.width()).unwrap())
            .map(|c| buffer[(c, HEADER_ROWS)].symbol())
            .collect();
        assert_eq!(drawn, label, "{pane:?}");
        x += u16::try_from(label.width()).unwrap() + 1;
    }
}

#[test]
fn a_narrow_header_drops_the_profile_whole_and_never_the_read_only_badge() {
    let (mut state, _) = loaded_state();
    crate::app::testkit::keys(&mut state, ":scope org eu-west-1,us-east-1<Enter>");
    let header = |state: &State, width| draw(state, width, 6).lines().next().unwrap().to_owned();
    // Wide enough: everything, in its usual order.
    assert!(header(&state, 120).contains("scope org × 2 regions │ profile ops"));
    // 80 columns: the profile goes whole rather than being cut mid-word.
    let narrow = header(&state, 80);
    assert!(narrow.contains("scope org × 2 regions"), "{narrow}");
    assert!(
        !narrow.contains("pro") && !narrow.trim_end().ends_with('│'),
        "{narrow}"
    );
    // Read-only: the badge stays on screen, next to the name when nothing else leaves room.
    state.session.read_only = true;
    let narrow = header(&state, 80);
    assert!(narrow.contains("READ-ONLY"), "{narrow}");
    assert!(narrow.contains("scope org"), "{narrow}");
    let tiny = header(&state, 40);
    assert!(tiny.contains("READ-ONLY"), "{tiny}");
}
