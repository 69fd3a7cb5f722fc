//! The machine list and one machine's executions: counts, filters, order, paging, resizes.

use crossterm::event::KeyCode;

use crate::app::testkit::{chars, press};
use crate::app::tests::at;
use crate::app::workflows::fixtures::*;
use crate::app::workflows::{WorkflowsEffect, WorkflowsMsg};
use crate::app::{Msg, update};
use crate::domain::workflows::{Execution, ExecutionPage, ExecutionStatus, MachineType};

#[test]
fn loaded_machines_ask_for_the_counts_of_standard_machines_only() {
    let state = machines_state();
    let pane = &state.workflows;
    assert_eq!(pane.counts.len(), 2);
    let invoice = machine("invoice-export", MachineType::Standard).arn;
    assert_eq!(pane.counts[&invoice], (1, 1));
}

#[test]
fn enter_opens_the_executions_newest_first_and_esc_goes_back() {
    let mut state = executions_state();
    let view = state.workflows.executions.as_ref().unwrap();
    assert_eq!(view.selected().unwrap().name, "onboard-hooli");
    assert_eq!(view.counts(), (1, 2));
    press(&mut state, KeyCode::Esc);
    assert!(state.workflows.executions.is_none());
}

#[test]
fn status_keys_reload_with_the_filter_and_the_same_key_clears_it() {
    let mut state = executions_state();
    let effects = workflows(chars(&mut state, "F"));
    match effects.as_slice() {
        [
            WorkflowsEffect::LoadExecutions {
                status, next_token, ..
            },
        ] => {
            assert_eq!(*status, Some(ExecutionStatus::Failed));
            assert_eq!(*next_token, None);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        state
            .workflows
            .executions
            .as_ref()
            .unwrap()
            .items
            .is_empty()
    );
    let effects = workflows(chars(&mut state, "F"));
    assert!(matches!(
        effects.as_slice(),
        [WorkflowsEffect::LoadExecutions { status: None, .. }]
    ));
}

#[test]
fn failures_first_puts_failed_aborted_and_timed_out_on_top() {
    let mut state = executions_state();
    chars(&mut state, "!");
    let view = state.workflows.executions.as_ref().unwrap();
    let names: Vec<&str> = view.items.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "onboard-umbrella",
            "onboard-stark",
            "onboard-hooli",
            "onboard-initech",
            "onboard-acme"
        ]
    );
    // The selection stays on the execution it was on.
    assert_eq!(view.selected().unwrap().name, "onboard-hooli");
}

#[test]
fn pages_load_lazily_as_the_selection_nears_the_end() {
    let mut state = machines_state();
    let request = executions_request(&workflows(press(&mut state, KeyCode::Enter)));
    let page: Vec<Execution> = (0..60)
        .map(|i| {
            execution(
                "tenant-onboarding",
                &format!("run-{i:02}"),
                ExecutionStatus::Succeeded,
                1000 - i,
            )
        })
        .collect();
    let effects = workflows(update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Ok(ExecutionPage {
                executions: page,
                next_token: Some("t1".into()),
            }),
            at: at(),
        }),
    ));
    assert!(
        effects.is_empty(),
        "the first page fills the screen: {effects:?}"
    );
    let mut asked = Vec::new();
    for _ in 0..55 {
        asked.extend(workflows(press(&mut state, KeyCode::Char('j'))));
    }
    let tokens: Vec<Option<String>> = asked
        .iter()
        .filter_map(|e| match e {
            WorkflowsEffect::LoadExecutions { next_token, .. } => Some(next_token.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        tokens,
        [Some("t1".to_owned())],
        "exactly one next-page load"
    );
}

#[test]
fn the_executions_fit_a_terminal_resized_while_an_execution_was_open() {
    let mut state = executions_state();
    // Two rows of executions: the last one selected scrolls the table.
    update(&mut state, Msg::Resize(100, 8));
    press(&mut state, KeyCode::Char('G'));
    let table = &state.workflows.executions.as_ref().unwrap().table;
    assert_eq!((table.selected_position(), table.offset()), (4, 3));
    press(&mut state, KeyCode::Enter);
    // Resized while the execution is open: its table is told, the executions' is not.
    update(&mut state, Msg::Resize(100, 40));
    press(&mut state, KeyCode::Esc);
    assert!(state.workflows.detail.is_none());
    let table = &state.workflows.executions.as_ref().unwrap().table;
    assert_eq!(table.offset(), 0, "all five fit");
    assert_eq!(table.window(crate::app::layout::table_rows(40)).len(), 5);
    assert_eq!(table.selected_position(), 4);
}

#[test]
fn a_status_key_rebound_in_the_config_filters_and_the_old_key_no_longer_does() {
    let mut state = executions_state();
    state.keymap = toml::from_str("[workflows]\nshow_failed = [\"f\"]\n").unwrap();
    assert!(
        workflows(chars(&mut state, "F")).is_empty(),
        "F is free now"
    );
    let effects = workflows(chars(&mut state, "f"));
    assert!(
        matches!(
            effects.as_slice(),
            [WorkflowsEffect::LoadExecutions {
                status: Some(ExecutionStatus::Failed),
                ..
            }]
        ),
        "{effects:?}"
    );
}

#[test]
fn a_pane_key_acts_only_in_its_pane() {
    let mut state = executions_state();
    // `F` filters executions in the Workflows pane, and means nothing in the DNS pane.
    press(&mut state, KeyCode::Char('2'));
    let effects = chars(&mut state, "F");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(state.workflows.executions.as_ref().unwrap().status, None);
}
