//! The pane across a scope: the switch, the organisation's machines, the failures view and its
//! chart, and the drill into an execution of another account and region (with that account's
//! read-only setting).

use chrono::Duration as Span;
use crossterm::event::KeyCode;

use crate::app::loadable::RequestId;
use crate::app::scope::Scope;
use crate::app::testkit::{keys, press};
use crate::app::tests::at;
use crate::app::workflows::fixtures::*;
use crate::app::workflows::scoped::BUCKETS;
use crate::app::workflows::{Reach, WorkflowsEffect, WorkflowsMsg};
use crate::app::{Change, Mode, Msg, update};
use crate::domain::workflows::ExecutionStatus;
use crate::services::scope::Status;
use crate::services::workflows::scoped::CountedMachine;

#[test]
fn the_scope_switch_reloads_the_pane_across_the_organisation_and_back() {
    let (mut state, _) = org_state();
    assert_eq!(
        state.scope,
        Scope::Organisation {
            regions: vec!["eu-west-1".into(), "us-east-1".into()]
        }
    );
    assert!(
        state
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("organisation × eu-west-1, us-east-1")
    );
    // The key toggles back to this account and region: the current account's list again.
    let effects = workflows(keys(&mut state, "@"));
    assert!(
        matches!(effects.as_slice(), [WorkflowsEffect::LoadMachines { .. }]),
        "{effects:?}"
    );
    assert_eq!(state.scope, Scope::Here);
    assert!(state.workflows.org.is_none());
    // And again: no regions given nor configured, the current region.
    let effects = workflows(keys(&mut state, "@"));
    assert!(matches!(
        effects.as_slice(),
        [WorkflowsEffect::LoadScopedMachines { reach: Reach::Organisation { regions }, .. }]
            if regions == &["eu-west-1".to_owned()]
    ));
}

#[test]
fn the_configured_regions_are_the_default_and_a_bad_region_changes_nothing() {
    let mut state = machines_state();
    state.session.scope_regions = vec!["us-east-1".into(), "ap-south-1".into()];
    keys(&mut state, ":scope org euwest1<Enter>");
    assert_eq!(state.scope, Scope::Here);
    let notice = state.notice.clone().unwrap();
    assert!(notice.is_error && notice.text.contains("`euwest1` is not a region name"));
    keys(&mut state, ":scope org<Enter>");
    assert_eq!(
        state.scope,
        Scope::Organisation {
            regions: vec!["us-east-1".into(), "ap-south-1".into()]
        }
    );
}

#[test]
fn the_organisation_machines_stream_in_with_a_failed_target_as_a_row() {
    let (mut state, request) = org_state();
    answer_org_machines(&mut state, request);
    // A stale answer is dropped.
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::ScopedMachines {
            request: RequestId(request.0 - 1),
            place: place("1", "x", "eu-west-1"),
            status: Status::Ok,
            machines: vec![CountedMachine {
                machine: machine_in("1", "eu-west-1", "stale"),
                counts: None,
            }],
        }),
    );
    let org = state.workflows.org.as_ref().unwrap();
    assert_eq!(org.items.len(), 1);
    assert_eq!(org.progress.unread.len(), 1);
    let rows = crate::app::pane::PaneState::rows(&state.workflows).unwrap();
    assert_eq!(rows.count(), 2);
    assert_eq!(
        rows.cells(0).unwrap()[..3],
        [
            "denied: the role could not be assumed".to_owned(),
            "prod".into(),
            "eu-west-1".into()
        ]
    );
    assert_eq!(
        rows.cells(1).unwrap()[..6],
        ["billing", "staging", "us-east-1", "standard", "1", "2"]
    );
    drop(rows);
    // Enter on the machine: its executions in its own account and region.
    let effects = workflows(keys(&mut state, "j<Enter>"));
    assert!(
        matches!(
            effects.as_slice(),
            [WorkflowsEffect::LoadExecutions { account_id, region, .. }]
                if account_id == STAGING && region == "us-east-1"
        ),
        "{effects:?}"
    );
}

#[test]
fn failures_are_listed_by_when_they_ended_as_their_age_says() {
    let (mut state, _) = failures_state();
    let effects = workflows(keys(&mut state, ":failures 24h<Enter>"));
    let request = match effects.as_slice() {
        [WorkflowsEffect::LoadFailures { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    // Started 5 h ago and failed a minute ago; started 2 h ago and failed at once.
    let mut long = failed_in(
        STAGING,
        "us-east-1",
        "billing",
        "long-run",
        ExecutionStatus::Failed,
        300,
    );
    long.execution.stopped = Some(at() - Span::minutes(1));
    let short = failed_in(
        STAGING,
        "us-east-1",
        "billing",
        "short-run",
        ExecutionStatus::Failed,
        120,
    );
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Failures {
            request,
            place: place(STAGING, "staging", "us-east-1"),
            status: Status::Ok,
            executions: vec![short, long],
            until: at(),
        }),
    );
    let view = state.workflows.failures.as_ref().unwrap();
    let names: Vec<&str> = view
        .items
        .iter()
        .map(|f| f.found.execution.name.as_str())
        .collect();
    assert_eq!(names, ["long-run", "short-run"]);
}

#[test]
fn the_failures_view_lists_the_scope_newest_first_with_error_and_the_unread_target() {
    let (state, _) = failures_state();
    let view = state.workflows.failures.as_ref().unwrap();
    let names: Vec<&str> = view
        .items
        .iter()
        .map(|f| f.found.execution.name.as_str())
        .collect();
    assert_eq!(names, ["run-new", "run-mid", "run-old"]);
    assert_eq!(view.progress.targets, Some(3));
    let rows = crate::app::pane::PaneState::rows(&state.workflows).unwrap();
    assert_eq!(
        rows.cells(0).unwrap()[1..4],
        ["throttled", "prod", "eu-west-1"]
    );
    assert_eq!(
        rows.cells(1).unwrap(),
        [
            "4m ago",
            "FAILED",
            "staging",
            "us-east-1",
            "billing",
            "run-new",
            "States.TaskFailed",
            "run-new broke"
        ]
    );
}

#[test]
fn the_chart_counts_each_outcome_in_the_bucket_it_failed_in() {
    let (state, _) = failures_state();
    let view = state.workflows.failures.as_ref().unwrap();
    let buckets = view.buckets(BUCKETS);
    assert_eq!(buckets.len(), 24);
    // 24 h in 24 buckets of an hour, the newest last: failed 5 min ago, aborted 90 min ago,
    // timed out 10 h ago (each counted when it stopped, 30 s after its start).
    assert_eq!(buckets[23], [1, 0, 0]);
    assert_eq!(buckets[22], [0, 0, 1]);
    assert_eq!(buckets[14], [0, 1, 0]);
    let total: u64 = buckets.iter().flatten().sum();
    assert_eq!(total, 3);
    // A window of 1 h: the same 24 buckets of 150 s; only the newest two are inside.
    let mut state = state;
    let effects = workflows(keys(&mut state, ":failures 1h<Enter>"));
    assert!(matches!(
        effects.as_slice(),
        [WorkflowsEffect::LoadFailures { window, .. }] if *window == Span::hours(1)
    ));
}

#[test]
fn enter_on_a_failure_opens_it_in_its_own_account_and_region_and_changes_go_there() {
    let (mut state, _) = failures_state();
    // The first row is the unread target: Enter there opens no execution.
    assert_eq!(
        crate::app::pane::PaneState::hint(&state.workflows, crate::config::keymap::Action::Enter),
        ""
    );
    let effects = workflows(keys(&mut state, "j<Enter>"));
    let there = |account_id: &str, region: &str| account_id == STAGING && region == "us-east-1";
    assert!(effects.iter().any(|e| matches!(e,
        WorkflowsEffect::LoadExecution { account_id, region, arn, .. }
            if there(account_id, region) && arn.ends_with(":billing:run-new"))));
    assert!(effects.iter().any(|e| matches!(e,
        WorkflowsEffect::LoadDefinition { account_id, region, machine_arn, .. }
            if there(account_id, region) && machine_arn.ends_with(":stateMachine:billing"))));
    assert!(effects.iter().any(|e| matches!(e,
        WorkflowsEffect::PollHistory { account_id, region, .. } if there(account_id, region))));
    // A redrive is planned in that account and region.
    keys(&mut state, "x");
    assert_eq!(state.mode, Mode::Confirm);
    let plan = &state.confirm.as_ref().unwrap().plan;
    assert_eq!(plan.account_id, STAGING);
    assert_eq!(plan.region, "us-east-1");
    assert!(matches!(&plan.steps[0].action, Change::Workflows(c) if c.account_id() == STAGING));
    // Back: the failures view, then the machines of the organisation.
    keys(&mut state, "<Esc><Esc>");
    assert!(state.workflows.detail.is_none() && state.workflows.failures.is_some());
    keys(&mut state, "<Esc>");
    assert!(state.workflows.failures.is_none() && state.workflows.org.is_some());
}

#[test]
fn that_accounts_read_only_setting_refuses_a_rerun_before_any_form() {
    let (mut state, _) = failures_state();
    state.session.read_only_accounts = vec![STAGING.into()];
    keys(&mut state, "j<Enter>");
    press(&mut state, KeyCode::Char('n'));
    assert!(state.workflows.form.is_none());
    let notice = state.notice.clone().unwrap();
    assert!(notice.is_error, "{notice:?}");
    assert!(notice.text.contains(STAGING), "{notice:?}");
    // And a redrive, which has no form, is refused before the dialog.
    keys(&mut state, "x");
    assert_ne!(state.mode, Mode::Confirm);
}

#[test]
fn failures_here_read_the_current_account_and_region() {
    let mut state = machines_state();
    let effects = workflows(keys(&mut state, ":failures 7d<Enter>"));
    assert!(
        matches!(
            effects.as_slice(),
            [WorkflowsEffect::LoadFailures { reach: Reach::Here { account_id, region }, window, .. }]
                if account_id == ACCOUNT && region == "eu-west-1" && *window == Span::days(7)
        ),
        "{effects:?}"
    );
}

#[test]
fn the_24h_column_is_read_for_the_rows_on_screen_two_at_a_time() {
    use crate::app::workflows::Outcomes;
    let (mut state, _) = crate::app::tests::loaded_state();
    let request = match workflows(press(&mut state, KeyCode::Char('3'))).as_slice() {
        [WorkflowsEffect::LoadMachines { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    let names: Vec<String> = (0..30).map(|i| format!("m{i:02}")).collect();
    let machines = names
        .iter()
        .map(|n| machine(n, crate::domain::workflows::MachineType::Standard))
        .collect();
    let asked = |effects: Vec<crate::app::Effect>| -> Vec<String> {
        workflows(effects)
            .into_iter()
            .filter_map(|e| match e {
                WorkflowsEffect::LoadActivity { machine_arn, .. } => {
                    Some(machine_arn.rsplit(':').next().unwrap().to_owned())
                }
                _ => None,
            })
            .collect()
    };
    let effects = update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Machines {
            request,
            result: Ok(machines),
            at: crate::app::tests::at(),
        }),
    );
    assert_eq!(asked(effects), ["m00", "m01"]);
    let answer = |state: &mut crate::app::State, name: &str| {
        update(
            state,
            Msg::Workflows(WorkflowsMsg::Activity {
                machine_arn: machine(name, crate::domain::workflows::MachineType::Standard).arn,
                result: Ok(vec![Outcomes::default(); 12]),
            }),
        )
    };
    assert_eq!(asked(answer(&mut state, "m00")), ["m02"]);
    // To the end: nothing more while two are in flight, then the rows now on screen.
    assert!(asked(keys(&mut state, "G")).is_empty());
    let next = asked(answer(&mut state, "m01"));
    assert_eq!(next.len(), 1);
    assert!(
        next[0].as_str() >= "m10",
        "{next:?}: a row on screen after G"
    );
}
