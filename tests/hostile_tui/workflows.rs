//! The Workflows views with hostile state machine, state and execution names, errors and causes.

use aws_sdk_sfn::Client as Sfn;
use aws_sdk_sfn::types::{ExecutionStatus, StateMachineType};
use serde_json::json;

use crate::hostile::{
    BIDI, C0, C1, CSI, HOSTILE, OSC_CLIPBOARD, OSC_HYPERLINK, OSC_TITLE, long_value,
};
use crate::support::TestAccount;
use crate::walk::{ANSWER, Expect, PAGE_DOWN, Walk};
use crate::{NARROW_SIZE, WIDE_SIZE, block_on, dashboard, hostile, support};

const FAILED: &str = "fails";
const SUCCEEDED: &str = "succeeds";
const RUNNING: &str = "waits";

/// The running execution the pass at `size` stops: CSI and C1 in the name.
fn running_name((cols, _): (u16, u16)) -> String {
    format!("{RUNNING}{cols}{CSI}{C1}")
}

/// The machine of tests/hostile.rs (a state named with CSI and bidi controls, a Pass result
/// with OSC 52, a Fail with an OSC 8 error and a cause of OSC title, C0, C1 and 10,000
/// characters), plus a task no execution reaches with a hostile resource, retry and catch, and
/// executions named with hostile strings; a second machine waits an hour, so
/// one hostile-named execution runs.
async fn seed_workflows(account: &TestAccount) {
    let sfn = Sfn::new(&account.sdk);
    let long = long_value();
    let state = format!("Step {CSI}{BIDI}");
    let cause = format!("{OSC_TITLE}{C0}{C1}{long}");
    let error = format!("Err.{OSC_HYPERLINK}");
    let definition = json!({
        "StartAt": state,
        "States": {
            state.clone(): {"Type": "Pass", "Result": {"echo": OSC_CLIPBOARD}, "ResultPath": "$.echo", "Next": "Decide"},
            "Decide": {"Type": "Choice", "Choices": [
                {"Variable": "$.fail", "BooleanEquals": true, "Next": "Boom"},
                {"Variable": "$.never", "BooleanEquals": true, "Next": "Unreached"}
            ], "Default": "Done"},
            // Never run, only drawn in the graph: a resource, retry and catch of hostile text.
            "Unreached": {
                "Type": "Task",
                "Resource": format!("arn:aws:lambda:us-east-1:{}:function:f{OSC_TITLE}", account.id),
                "Retry": [{"ErrorEquals": [format!("Err.{CSI}")]}],
                "Catch": [{"ErrorEquals": [format!("Err.{BIDI}")], "Next": "Boom"}],
                "End": true
            },
            "Boom": {"Type": "Fail", "Error": error, "Cause": cause},
            "Done": {"Type": "Succeed"}
        }
    });
    let role = format!("arn:aws:iam::{}:role/sfn", account.id);
    let create = |name: &'static str, definition: String| {
        let sfn = &sfn;
        let role = &role;
        async move {
            sfn.create_state_machine()
                .name(name)
                .r#type(StateMachineType::Standard)
                .role_arn(role)
                .definition(definition)
                .send()
                .await
                .expect("the emulator takes hostile state names")
                .state_machine_arn
        }
    };
    let machine = create("hostile", definition.to_string()).await;
    let waiter = create(
        "waiter",
        json!({"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 3600, "End": true}}})
            .to_string(),
    )
    .await;
    for (prefix, fail) in [(FAILED, true), (SUCCEEDED, false)] {
        let input = json!({"fail": fail, "hostile": HOSTILE, "long": long}).to_string();
        let arn = sfn
            .start_execution()
            .state_machine_arn(&machine)
            .name(format!("{prefix}{OSC_TITLE}{BIDI}"))
            .input(&input)
            .send()
            .await
            .expect("the emulator takes hostile execution names")
            .execution_arn;
        let expected = if fail {
            ExecutionStatus::Failed
        } else {
            ExecutionStatus::Succeeded
        };
        assert_eq!(hostile::wait_for_end(&sfn, &arn).await, expected);
    }
    // One per pass of the walk: each pass stops one.
    for size in [WIDE_SIZE, NARROW_SIZE] {
        sfn.start_execution()
            .state_machine_arn(&waiter)
            .name(running_name(size))
            .input(json!({"hostile": HOSTILE}).to_string())
            .send()
            .await
            .expect("start the waiting execution");
    }
}

/// Machines → executions (status filters, failures first) → a failed execution: summary,
/// timeline and its input/output, graph, events and an event's JSON, the rerun form and its
/// error → a succeeded execution's events and output → the running execution's stop form and
/// plan.
fn walk_workflows(account: &TestAccount, size: (u16, u16)) {
    let mut walk = Walk::start(
        "workflows",
        dashboard(account),
        size,
        Expect::view(&["NAME", "from Organizations at"]).shows(&[]),
    );
    walk.view(
        "state machines",
        "3",
        Expect::view(&["State machines", "hosti", "waiter"]).shows(&[]),
    );
    walk.view(
        "executions of the hostile machine",
        "/^hostile\r\r",
        Expect::view(&["Executions of hostile", "FAILED", "SUCCEEDED"]),
    );
    walk.view(
        "failed executions",
        "F",
        Expect::view(&["Executions of hostile 1 loaded, 0 running, 1 failed"]),
    );
    walk.view(
        "the failed execution: summary",
        "\rs",
        Expect::view(&["cause", "error"]),
    );
    walk.view(
        "the failed execution: timeline",
        "t",
        Expect::view(&["STATE", "Boom"]),
    );
    walk.view(
        "the first state's input and output",
        "g\r",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the input and output, scrolled",
        "jjjj",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the input and output, a page on",
        PAGE_DOWN,
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the failed execution: graph",
        "⎋v",
        Expect::view(&["┃ Decide", "┃ Unreached"]),
    );
    walk.view(
        "the failed execution: events",
        "h",
        Expect::view(&["ExecutionStart"]),
    );
    walk.view(
        "the failed execution: the first event's JSON",
        "g\r",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the failed execution: the last event's JSON",
        "⎋G\r",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "the rerun form",
        "⎋n",
        Expect::view(&["start an execution", "State machine hostile", "Esc cancels"]),
    );
    walk.view(
        "the rerun form's error",
        "\r",
        Expect::view(&["an execution name cannot contain"]),
    );
    walk.view(
        "the plan to redrive the failed execution",
        "⎋x",
        Expect::view(&["confirm a change", "Proceed?", ANSWER]),
    );
    // The emulator has no redrive (HTTP 500): the change fails; its report and its error
    // notice name the execution.
    walk.view(
        "the failed redrive's report and error",
        "y\r",
        Expect::view(&["stopped: Redrive execution fails␛]0;", "FAILED: 1."])
            .notice(" Redrive execution fails␛]0;"),
    );
    walk.view(
        "the failed execution, the report closed",
        "⎋",
        Expect::view(&["ExecutionFailed"]),
    );
    walk.view(
        "executions, failed only",
        "⎋",
        Expect::view(&["Executions of hostile 1 loaded, 0 running, 1 failed"]),
    );
    walk.view(
        "succeeded executions",
        "S",
        Expect::view(&["Executions of hostile 1 loaded, 0 running, 0 failed"]),
    );
    walk.view(
        "the succeeded execution: events",
        "\rh",
        Expect::view(&["ExecutionSucceeded"]),
    );
    walk.view(
        "the succeeded execution: its output",
        "G\r",
        Expect::view(&["Esc close"]),
    );
    walk.view(
        "every execution, failures first",
        "⎋⎋*!",
        Expect::view(&["Executions of hostile 2 loaded"]),
    );
    walk.view(
        "executions of the waiting machine",
        "⎋⎋/^waiter\r\r",
        Expect::view(&["Executions of waiter", "RUNNING"]),
    );
    let running = running_name(size);
    walk.view(
        "the running execution this pass stops",
        &format!("/'{RUNNING}{}\r", size.0),
        Expect::view(&["Executions of waiter", "RUNNING"]),
    );
    walk.view(
        "the stop form of the running execution",
        "d",
        Expect::view(&["stop an execution"]),
    );
    walk.view(
        "the plan to stop it",
        "\r",
        Expect::view(&["confirm a change", "(Esc cancels)", ANSWER]),
    );
    // A destructive plan wants the name typed as the screen shows it: made safe.
    let typed = opsdeck::domain::sanitize::sanitize(&running).into_owned();
    walk.view(
        "the plan, the execution's name typed",
        &typed,
        Expect::view(&[&format!("│> {RUNNING}{}␛[2J", size.0)]),
    );
    let done = format!(" done: Stop execution {RUNNING}{}␛[2J", size.0);
    walk.view(
        "the stopped execution, and the notice naming it",
        "\r",
        Expect::view(&["ABORTED"]).notice(&done),
    );
    walk.quit();
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn workflows_views_show_hostile_executions_states_and_causes_harmlessly() {
    let account = block_on(support::isolated_account());
    block_on(seed_workflows(&account));
    walk_workflows(&account, WIDE_SIZE);
    walk_workflows(&account, NARROW_SIZE);
}
