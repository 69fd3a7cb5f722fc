//! Changes from the pane: stop, start, rerun, redrive; read-only refusals; the editor.

use crossterm::event::KeyCode;

use crate::app::pane::PaneState;
use crate::app::testkit::{chars, ctrl, key, press, press_event};
use crate::app::workflows::fixtures::*;
use crate::app::{Change, Effect, Mode, Msg, Pane, update};
use crate::domain::plan::Danger;
use crate::domain::workflows::{ExecutionStatus, WorkflowChange};

#[test]
fn stopping_a_running_execution_asks_for_its_name() {
    let (mut state, _) = detail_state();
    press(&mut state, KeyCode::Char('d'));
    // The form takes an optional cause (focused) and error.
    assert!(state.workflows.captures_keys());
    chars(&mut state, "INC-42");
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Confirm);
    assert!(matches!(
        &state.confirm.as_ref().unwrap().plan.steps[0].action,
        Change::Workflows(WorkflowChange::Stop { error, cause, .. })
            if error.as_deref() == Some("Operator.Stopped") && cause.as_deref() == Some("INC-42")
    ));
    let plan = &state.confirm.as_ref().unwrap().plan;
    assert_eq!(
        plan.danger,
        Danger::Destructive {
            confirm_text: "onboard-hooli".into()
        }
    );
    assert_eq!(plan.steps[0].operation, "StopExecution");
    chars(&mut state, "onboard-hooli");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::Execute(_)]));
    // Shown stopped at once, in the detail and in the list under it, before AWS answers; the
    // re-read when the stop ends confirms it.
    let detail = state.workflows.detail.as_ref().unwrap();
    assert_eq!(detail.execution.status, ExecutionStatus::Aborted);
    let view = state.workflows.executions.as_ref().unwrap();
    let hooli = view
        .items
        .iter()
        .find(|e| e.name == "onboard-hooli")
        .unwrap();
    assert_eq!(hooli.status, ExecutionStatus::Aborted);
}

#[test]
fn a_finished_execution_cannot_be_stopped() {
    let mut state = executions_state();
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Char('d'));
    assert_eq!(state.mode, Mode::Normal);
    assert!(
        state
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("only a running")
    );
}

#[test]
fn read_only_refuses_a_start_before_any_dialog() {
    let mut state = executions_state();
    state.session.read_only = true;
    press(&mut state, KeyCode::Char('n'));
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Normal);
    assert!(state.confirm.is_none());
    assert!(state.notice.as_ref().unwrap().text.contains("read-only"));
}

#[test]
fn an_account_the_config_marks_read_only_is_refused_whatever_the_account_list_says() {
    let mut state = executions_state();
    // The listed account is not read-only (or the list failed): the config still wins.
    let account = state.current_account_id().unwrap().to_owned();
    state.session.read_only_accounts = vec![account];
    press(&mut state, KeyCode::Char('n'));
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Normal);
    assert!(state.confirm.is_none());
    assert!(state.notice.as_ref().unwrap().text.contains("read-only"));
}

#[test]
fn a_finished_change_reloads_its_own_pane_even_after_the_operator_moved_on() {
    let mut state = executions_state();
    press(&mut state, KeyCode::Char('n'));
    press(&mut state, KeyCode::Enter);
    assert!(state.confirm.is_some());
    press(&mut state, KeyCode::Char('y'));
    let effects = press_event(&mut state, key(KeyCode::Enter));
    let [Effect::Execute(approved)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let title = approved.plan().title.clone();
    press(&mut state, KeyCode::Char('0'));
    let effects = update(
        &mut state,
        Msg::Executed {
            title,
            result: Ok(()),
            steps: vec!["done: 1. start".into()],
            nothing_to_do: None,
            replanned: None,
        },
    );
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Workflows(_))),
        "the Workflows pane reloads: {effects:?}"
    );
}

#[test]
fn the_start_form_checks_the_input_before_the_plan() {
    let mut state = executions_state();
    press(&mut state, KeyCode::Char('n'));
    assert!(state.workflows.captures_keys());
    // The input field has focus, holding `{}`: make it invalid.
    chars(&mut state, "x");
    press(&mut state, KeyCode::Enter);
    let form = state.workflows.form.as_ref().unwrap();
    assert!(form.error.as_ref().unwrap().contains("not valid JSON"));
    assert!(state.confirm.is_none());
    press(&mut state, KeyCode::Backspace);
    press(&mut state, KeyCode::Enter);
    assert!(state.workflows.form.is_none());
    let plan = &state.confirm.as_ref().unwrap().plan;
    assert_eq!(plan.steps[0].operation, "StartExecution");
    assert!(matches!(
        &plan.steps[0].action,
        Change::Workflows(WorkflowChange::Start { input, .. }) if input == "{}"
    ));
}

#[test]
fn the_start_form_refuses_an_input_over_256_kib_and_a_bidi_name_before_the_plan() {
    use crate::app::workflows::forms::{INPUT, NAME};
    use tui_input::Input;
    let mut state = executions_state();
    press(&mut state, KeyCode::Char('n'));
    let big = format!("{{\"blob\": \"{}\"}}", "x".repeat(300_000));
    state.workflows.form.as_mut().unwrap().fields[INPUT].input = Input::new(big);
    press(&mut state, KeyCode::Enter);
    let form = state.workflows.form.as_ref().unwrap();
    let error = form.error.as_ref().unwrap();
    assert!(error.contains("at most 256 KiB (262144 bytes"), "{error}");
    assert!(state.confirm.is_none());

    let form = state.workflows.form.as_mut().unwrap();
    form.fields[INPUT].input = Input::new("{}".to_owned());
    form.fields[NAME].input = Input::new("run\u{202E}gpj".to_owned());
    press(&mut state, KeyCode::Enter);
    let error = state
        .workflows
        .form
        .as_ref()
        .unwrap()
        .error
        .clone()
        .unwrap();
    assert!(error.contains("U+202E"), "{error}");
    assert!(state.confirm.is_none());
}

#[test]
fn ctrl_e_edits_the_input_in_the_editor_and_keeps_it_on_one_line() {
    let (mut state, _) = detail_state();
    press(&mut state, KeyCode::Char('c'));
    let effects = press_event(&mut state, ctrl('e'));
    let [Effect::EditExternally { pane, text }] = effects.as_slice() else {
        panic!("expected the editor, got {effects:?}")
    };
    assert_eq!(*pane, Pane::Workflows);
    assert_eq!(text, "{\n  \"tenant_id\": \"hooli\"\n}");
    update(
        &mut state,
        Msg::Edited {
            pane: Pane::Workflows,
            result: Ok("{\n  \"tenant_id\": \"acme\",\n  \"dry\": true\n}\n".into()),
        },
    );
    let form = state.workflows.form.as_ref().unwrap();
    assert_eq!(
        form.fields[1].input.value(),
        r#"{"tenant_id":"acme","dry":true}"#
    );
    assert!(form.error.is_none());
    update(
        &mut state,
        Msg::Edited {
            pane: Pane::Workflows,
            result: Ok("{ broken\n".into()),
        },
    );
    let form = state.workflows.form.as_ref().unwrap();
    assert_eq!(form.fields[1].input.value(), "{ broken");
    assert!(form.error.as_ref().unwrap().contains("not JSON"));
}

#[test]
fn rerun_starts_from_the_executions_own_input() {
    let (mut state, _) = detail_state();
    press(&mut state, KeyCode::Char('c'));
    let form = state.workflows.form.as_ref().unwrap();
    assert_eq!(form.fields[1].input.value(), r#"{"tenant_id":"hooli"}"#);
    assert!(
        form.fields[0]
            .input
            .value()
            .starts_with("onboard-hooli-rerun-")
    );
}

#[test]
fn redrive_is_offered_for_failed_executions_only() {
    let (mut state, _) = detail_state();
    chars(&mut state, "x");
    assert!(state.confirm.is_none());
    assert!(
        state
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("only a failed")
    );
}

#[test]
fn two_sessions_propose_different_default_names_for_a_new_execution() {
    let name = |tag: &str| {
        let mut state = executions_state();
        state.session.tag = tag.into();
        press(&mut state, KeyCode::Char('n'));
        state.workflows.form.as_ref().unwrap().value(0)
    };
    let (first, second) = (name("aaaaaa"), name("bbbbbb"));
    assert_ne!(first, second, "the same request count in two sessions");
    assert!(first.starts_with("opsdeck-aaaaaa-"), "{first}");
    assert!(
        crate::domain::workflows::validate_execution_name(&first).is_ok(),
        "{first}"
    );
}

#[test]
fn session_tags_are_short_and_random() {
    let (a, b) = (
        crate::domain::workflows::session_tag(),
        crate::domain::workflows::session_tag(),
    );
    assert_eq!(a.len(), 6);
    assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
    assert_ne!(a, b);
}
