//! Changes once confirmed: progress, the per-step report, and which pane reloads when each ends.

use crossterm::event::KeyCode;

use super::loaded_state;
use crate::app::tenants::TenantsMsg;
use crate::app::testkit::{chars, press};
use crate::app::{Effect, Mode, Msg, Pane, RequestId, State, update};

#[test]
fn a_running_change_shows_its_progress_until_it_ends() {
    let (mut state, _) = loaded_state();
    update(
        &mut state,
        Msg::Progress {
            title: "Import 40 users into acme".into(),
            done: 12,
            total: 40,
        },
    );
    assert_eq!(state.progress.as_ref().map(|p| p.done), Some(12));
    assert!(state.is_busy());
    update(
        &mut state,
        Msg::Executed {
            title: "Import 40 users into acme".into(),
            result: Ok(()),
            steps: vec!["done: 1. create user a@acme.example".into()],
            nothing_to_do: None,
            replanned: None,
        },
    );
    assert!(state.progress.is_none());
    assert!(state.notice.as_ref().unwrap().text.contains("done: Import"));
    assert_eq!(state.mode, Mode::Normal, "one step: no report to read");
}

#[test]
fn a_change_of_several_calls_reports_every_step_and_esc_closes_it() {
    let (mut state, _) = loaded_state();
    let steps: Vec<String> = (1..=30)
        .map(|i| format!("done: {i}. create user u{i}@acme.example"))
        .chain(["FAILED: 31. create user bad@acme.example: LimitExceeded".to_owned()])
        .collect();
    update(
        &mut state,
        Msg::Executed {
            title: "Import 31 users into acme".into(),
            result: Err("step 31 failed: LimitExceeded".into()),
            steps: steps.clone(),
            nothing_to_do: None,
            replanned: None,
        },
    );
    assert_eq!(state.mode, Mode::Report);
    assert_eq!(state.report.as_ref().unwrap().lines, steps);
    assert!(state.report.as_ref().unwrap().title.starts_with("stopped"));
    // A frame drew the 31 lines, 18 of them fit: G puts the last one at the bottom of the box.
    state.report.as_ref().unwrap().scroll.show(31, 18);
    press(&mut state, KeyCode::Char('G'));
    assert_eq!(state.report.as_ref().unwrap().scroll.top(), 13);
    let copied = press(&mut state, KeyCode::Char('y'));
    assert!(matches!(&copied[..], [Effect::Copy { text }] if text.lines().count() == 31));
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.mode, Mode::Normal);
    assert!(state.report.is_none());
}

#[test]
fn each_finished_change_reloads_the_pane_that_planned_it() {
    use crate::app::workflows::fixtures::executions_state;
    use crate::domain::plan::{Danger, Plan, Step};
    use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};

    // A start confirmed on the Workflows pane...
    let mut state = executions_state();
    press(&mut state, KeyCode::Char('n'));
    press(&mut state, KeyCode::Enter);
    chars(&mut state, "y");
    let effects = press(&mut state, KeyCode::Enter);
    let [Effect::Execute(start)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let start = start.plan().title.clone();
    // ...then a Tenants plan whose pool was slow to read arrives, still on the Workflows pane,
    // and is confirmed while the start runs.
    let request = RequestId(9_999);
    state.tenants.planning = Some(request);
    let plan = Plan {
        basis: None,
        title: "Enable ava".into(),
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        steps: vec![
            Step::new("cognito-idp", "AdminEnableUser", "ava", "enable the user").with_action(
                CognitoCall {
                    account_id: "111111111111".into(),
                    pool_id: "p1".into(),
                    op: CognitoOp::EnableUser {
                        username: "ava".into(),
                    },
                },
            ),
        ],
        danger: Danger::Normal,
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Planned {
            request,
            result: Ok(Some(plan)),
            nothing: String::new(),
        }),
    );
    assert_eq!((state.mode, state.pane), (Mode::Confirm, Pane::Workflows));
    chars(&mut state, "y");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::Execute(_)]));

    // Each end reloads its own pane, in whatever order they end: not the pane on screen, and
    // not the pane of the change confirmed last.
    let done = |state: &mut State, title: &str| {
        update(
            state,
            Msg::Executed {
                title: title.into(),
                result: Ok(()),
                steps: vec!["done: 1.".into()],
                nothing_to_do: None,
                replanned: None,
            },
        )
    };
    let effects = done(&mut state, "Enable ava");
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Tenants(_)))
            && !effects.iter().any(|e| matches!(e, Effect::Workflows(_))),
        "the Tenants pane reloads: {effects:?}"
    );
    let effects = done(&mut state, &start);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Workflows(_))),
        "the Workflows pane reloads: {effects:?}"
    );
}

#[test]
fn a_plan_arriving_while_another_dialog_is_open_does_not_replace_it() {
    use crate::app::workflows::fixtures::executions_state;
    use crate::domain::plan::{Danger, Plan, Step};
    use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};

    // The operator is answering the dialog of a start, `y` typed...
    let mut state = executions_state();
    press(&mut state, KeyCode::Char('n'));
    press(&mut state, KeyCode::Enter);
    let shown = state.confirm.as_ref().unwrap().plan.clone();
    chars(&mut state, "y");
    // ...when a Tenants plan whose pool was slow to read arrives.
    let request = RequestId(9_999);
    state.tenants.planning = Some(request);
    let remove = Plan {
        basis: None,
        title: "Remove ava from tenant acme".into(),
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        steps: vec![
            Step::new("cognito-idp", "AdminRemoveUserFromGroup", "ava", "remove").with_action(
                CognitoCall {
                    account_id: "111111111111".into(),
                    pool_id: "p1".into(),
                    op: CognitoOp::RemoveFromGroup {
                        username: "ava".into(),
                        group: "acme:admin".into(),
                    },
                },
            ),
        ],
        danger: Danger::Destructive {
            confirm_text: "ava".into(),
        },
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Planned {
            request,
            result: Ok(Some(remove)),
            nothing: String::new(),
        }),
    );
    // The dialog and the answer typed into it stay; the late plan is dropped, and said so.
    let dialog = state.confirm.as_ref().unwrap();
    assert_eq!((&dialog.plan, dialog.input.value()), (&shown, "y"));
    assert_eq!(state.mode, Mode::Confirm);
    let notice = state.notice.as_ref().unwrap();
    assert!(
        notice.is_error && notice.text.contains("Remove ava from tenant acme"),
        "{notice:?}"
    );
    let effects = press(&mut state, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Execute(a)] if a.plan() == &shown),
        "{effects:?}"
    );
}

#[test]
fn a_change_that_no_longer_applied_says_nothing_was_done_never_done() {
    let (mut state, _) = loaded_state();
    update(
        &mut state,
        Msg::Executed {
            title: "Stop execution run-7".into(),
            result: Ok(()),
            steps: vec!["nothing to do: execution run-7 is SUCCEEDED".into()],
            nothing_to_do: Some("execution run-7 is SUCCEEDED".into()),
            replanned: None,
        },
    );
    let notice = state.notice.as_ref().unwrap();
    assert!(
        notice.text.starts_with("nothing to do: execution run-7"),
        "{}",
        notice.text
    );
    assert!(!notice.text.contains("done:"));
    assert_eq!(state.mode, Mode::Normal);
}

#[test]
fn a_change_whose_plan_came_out_different_at_apply_asks_to_confirm_the_new_plan() {
    use crate::domain::plan::{Danger, Plan};
    let (mut state, _) = loaded_state();
    let fresh = Plan {
        basis: None,
        title: "Make bob admin of tenant acme (was readonly)".into(),
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        steps: Vec::new(),
        danger: Danger::Normal,
    };
    update(
        &mut state,
        Msg::Executed {
            title: "Make bob admin of tenant acme (was member)".into(),
            result: Err("not applied".into()),
            steps: Vec::new(),
            nothing_to_do: None,
            replanned: Some(Box::new(fresh.clone())),
        },
    );
    assert_eq!(
        state.mode,
        Mode::Confirm,
        "the new plan is shown to confirm"
    );
    assert_eq!(state.confirm.as_ref().unwrap().plan, fresh);
    let notice = state.notice.as_ref().unwrap();
    assert!(notice.text.contains("nothing was changed"), "{notice:?}");
    assert!(!notice.text.contains("done:"));
}
