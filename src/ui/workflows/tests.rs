//! Snapshots of every view of the Workflows pane, and the viewer's and forms' edge cases.

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthStr;

use super::timeline::bar;
use crate::app::testkit::{chars, press};
use crate::app::tests::at;
use crate::app::workflows::WorkflowsMsg;
use crate::app::workflows::fixtures::*;
use crate::app::{Loadable, Msg, State, update};
use crate::domain::workflows::ExecutionPage;
use crate::services::{ErrorKind, ServiceError};
use crate::ui::Theme;
use crate::ui::form::tail_to_width;

fn draw(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| super::super::render(state, &Theme::new(false), f))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn bars_share_one_axis_and_never_vanish() {
    let t = |ms| DateTime::<Utc>::from_timestamp_millis(ms).unwrap();
    let span = (t(0), t(1000));
    assert_eq!(bar(t(0), Some(t(500)), span, 10), "█████");
    assert_eq!(bar(t(500), Some(t(1000)), span, 10), "     █████");
    assert_eq!(bar(t(999), Some(t(999)), span, 10), "         █");
    assert_eq!(bar(t(200), None, span, 10), "  ████████");
    assert_eq!(bar(t(0), None, span, 0), "");
}

#[test]
fn workflows_machines_with_counts() {
    insta::assert_snapshot!(draw(&machines_state(), 110, 10));
}

#[test]
fn workflows_executions_ready() {
    insta::assert_snapshot!(draw(&executions_state(), 100, 14));
}

#[test]
fn the_ages_in_a_list_move_on_with_the_clock_without_a_reload() {
    let mut state = executions_state();
    let before = draw(&state, 100, 14);
    assert!(before.contains("12s ago"), "{before}");
    state.now += chrono::Duration::minutes(5);
    let after = draw(&state, 100, 14);
    assert!(!after.contains("12s ago"), "{after}");
    assert!(after.contains("5m ago"), "{after}");
}

#[test]
fn workflows_executions_filtered_failures_first() {
    let mut state = executions_state();
    chars(&mut state, "!");
    insta::assert_snapshot!(draw(&state, 100, 14));
}

#[test]
fn workflows_executions_loading_and_failed() {
    let mut state = machines_state();
    let request = executions_request(&workflows(press(&mut state, KeyCode::Enter)));
    let loading = draw(&state, 100, 10);
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Err(ServiceError::new(
                ErrorKind::Throttled,
                Some("ThrottlingException".into()),
                "Step Functions ListExecutions failed: Rate exceeded",
            )),
            at: at(),
        }),
    );
    insta::assert_snapshot!(format!("{loading}\n{}", draw(&state, 100, 10)));
}

#[test]
fn workflows_executions_of_an_express_machine() {
    let mut state = machines_state();
    press(&mut state, KeyCode::Char('G'));
    let request = executions_request(&workflows(press(&mut state, KeyCode::Enter)));
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Ok(ExecutionPage::default()),
            at: at(),
        }),
    );
    insta::assert_snapshot!(draw(&state, 110, 10));
}

#[test]
fn workflows_timeline_while_watching() {
    let (state, _) = detail_state();
    insta::assert_snapshot!(draw(&state, 110, 16));
}

#[test]
fn workflows_timeline_narrow() {
    let (state, _) = detail_state();
    insta::assert_snapshot!(draw(&state, 60, 12));
}

#[test]
fn workflows_graph_coloured_by_progress() {
    let (mut state, _) = detail_state();
    chars(&mut state, "v");
    insta::assert_snapshot!(draw(&state, 100, 30));
}

#[test]
fn workflows_events_and_inspect() {
    let (mut state, _) = detail_state();
    chars(&mut state, "h");
    let events = draw(&state, 110, 16);
    for _ in 0..5 {
        press(&mut state, KeyCode::Char('j'));
    }
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(format!("{events}\n{}", draw(&state, 80, 14)));
}

/// The viewer's text rows on screen (between the box's borders), without the box.
fn viewer_rows(screen: &str) -> Vec<String> {
    let rows: Vec<&str> = screen.lines().collect();
    let top = rows.iter().position(|r| r.contains('┌')).expect("the box");
    let bottom = rows.iter().position(|r| r.contains('└')).expect("the box");
    rows[top + 1..bottom]
        .iter()
        .map(|r| {
            let inner: String = r.split('│').nth(1).unwrap_or_default().into();
            inner.trim_end().to_owned()
        })
        .collect()
}

/// The viewer open on the Parallel's entered event, its text replaced by `text`.
fn viewer(text: String) -> State {
    let (mut state, _) = detail_state();
    chars(&mut state, "h");
    for _ in 0..5 {
        press(&mut state, KeyCode::Char('j'));
    }
    press(&mut state, KeyCode::Enter);
    let detail = state.workflows.detail.as_mut().unwrap();
    detail.inspect.as_mut().unwrap().text = text;
    state
}

#[test]
fn the_input_output_viewer_pages_to_its_last_row_and_back() {
    let text = (1..=40)
        .map(|i| format!("line {i:02}"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut state = viewer(text);
    // 80x14: the box is 9 rows tall, 7 of them text.
    let first = viewer_rows(&draw(&state, 80, 14));
    assert_eq!(first.len(), 7);
    assert_eq!(first[0], "line 01");
    let last_page: Vec<String> = (34..=40).map(|i| format!("line {i:02}")).collect();
    for _ in 0..10 {
        press(&mut state, KeyCode::PageDown);
        draw(&state, 80, 14);
    }
    assert_eq!(viewer_rows(&draw(&state, 80, 14)), last_page, "PageDown");
    press(&mut state, KeyCode::Char('j'));
    assert_eq!(viewer_rows(&draw(&state, 80, 14)), last_page, "j");
    press(&mut state, KeyCode::Home);
    draw(&state, 80, 14);
    press(&mut state, KeyCode::End);
    assert_eq!(viewer_rows(&draw(&state, 80, 14)), last_page, "End");
    // One PageUp is one page back, not the pages PageDown went past the end.
    press(&mut state, KeyCode::PageUp);
    assert_eq!(viewer_rows(&draw(&state, 80, 14))[0], "line 27");
    press(&mut state, KeyCode::Home);
    assert_eq!(viewer_rows(&draw(&state, 80, 14)), first);
}

#[test]
fn the_input_output_viewer_wraps_long_lines_and_reaches_their_end() {
    let cause = format!("START {} END", "word ".repeat(60).trim_end());
    let mut state = viewer(format!("── cause ──\n{cause}\n── resource ──\nlast line"));
    // Tall enough for all of it: the cause in full over several rows, each within the box
    // (74 columns of text in an 80-column terminal), nothing cut at its edge.
    let rows = viewer_rows(&draw(&state, 80, 20));
    assert_eq!(rows[0], "── cause ──");
    let end = rows
        .iter()
        .position(|r| r.ends_with("END"))
        .expect("the end");
    assert!(end > 2, "wrapped over several rows: {rows:#?}");
    assert_eq!(rows[1..=end].join(" "), cause);
    assert!(rows.iter().all(|r| r.chars().count() <= 74), "{rows:#?}");
    assert_eq!(rows[end + 1..end + 3], ["── resource ──", "last line"]);
    // Shorter: the wrapped rows count, End puts the last one at the bottom.
    draw(&state, 80, 12);
    press(&mut state, KeyCode::End);
    let rows = viewer_rows(&draw(&state, 80, 12));
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[3..], ["── resource ──", "last line"], "{rows:#?}");
    assert!(rows[2].ends_with("END"), "{rows:#?}");
}

#[test]
fn workflows_summary() {
    let (mut state, _) = detail_state();
    chars(&mut state, "s");
    insta::assert_snapshot!(draw(&state, 100, 18));
}

#[test]
fn workflows_start_form_with_an_error() {
    let mut state = executions_state();
    press(&mut state, KeyCode::Char('n'));
    chars(&mut state, "x");
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(draw(&state, 100, 16));
}

#[test]
fn workflows_stop_form_then_confirmation() {
    let (mut state, _) = detail_state();
    press(&mut state, KeyCode::Char('d'));
    chars(&mut state, "INC-42");
    let form = draw(&state, 100, 16);
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(format!("{form}\n{}", draw(&state, 100, 16)));
}

#[test]
fn workflows_views_survive_tiny_terminals() {
    let (mut state, _) = detail_state();
    for tab in ["s", "t", "v", "h"] {
        chars(&mut state, tab);
        for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 8)] {
            draw(&state, w, h);
        }
    }
    press(&mut state, KeyCode::Char('n'));
    for (w, h) in [(1, 1), (10, 3), (20, 5)] {
        draw(&state, w, h);
    }
}

#[test]
fn narrow_terminals_keep_the_execution_names_and_the_event_details() {
    let screen = draw(&executions_state(), 60, 14);
    assert!(screen.contains("NAME"), "{screen}");
    assert!(screen.contains("onboard-"), "{screen}");
    let (mut state, _) = detail_state();
    chars(&mut state, "h");
    let screen = draw(&state, 60, 14);
    assert!(screen.contains("DETAILS"), "{screen}");
}

#[test]
fn a_long_cause_comes_last_and_is_cut_with_a_note_keeping_every_other_field() {
    let (mut state, _) = detail_state();
    chars(&mut state, "s");
    if let Some(d) = state.workflows.detail.as_mut()
        && let Loadable::Ready { value, .. } = &mut d.describe
    {
        value.error = Some("States.TaskFailed".into());
        value.cause = Some("boom ".repeat(2_000));
    }
    for (width, height) in [(100, 18), (60, 20), (40, 12)] {
        let screen = draw(&state, width, height);
        assert!(screen.contains(" cause       boom"), "{screen}");
        assert!(screen.contains("cut here"), "{screen}");
        // On a tiny terminal the cause's first row and the note win over the other fields.
        if width >= 60 {
            assert!(screen.contains(" error       States"), "{screen}");
            assert!(screen.contains(" arn "), "{screen}");
        }
    }
}

#[test]
fn a_rerun_form_filled_with_long_values_keeps_its_error_and_keys_in_the_box() {
    let (mut state, _) = detail_state();
    press(&mut state, KeyCode::Char('n'));
    let form = state.workflows.form.as_mut().expect("the rerun form");
    form.fields[0].input = tui_input::Input::new("n".repeat(300));
    form.fields[1].input = tui_input::Input::new(format!("{{\"a\": \"{}\"}}", "x".repeat(5_000)));
    press(&mut state, KeyCode::Enter);
    for (width, height) in [(100, 16), (60, 20)] {
        let screen = draw(&state, width, height);
        assert!(screen.contains("1 to 80 characters"), "{screen}");
        assert!(screen.contains("Esc cancels"), "{screen}");
        // The focused input shows its end, where typing goes.
        assert!(screen.contains("xx\"}"), "{screen}");
    }
}

#[test]
fn the_tail_of_a_value_fits_its_width_and_says_it_was_cut() {
    assert_eq!(tail_to_width("abcdef", 6), "abcdef");
    assert_eq!(tail_to_width("abcdef", 4), "…def");
    assert_eq!(tail_to_width("東京都庁舎", 5), "…庁舎");
    assert_eq!(tail_to_width("ae\u{301}b", 2), "…b");
    assert_eq!(tail_to_width("abc", 0), "");
    for width in 0..12 {
        assert!(tail_to_width("a東👩‍💻e\u{301}b", width).width() <= width.max(1));
    }
}

/// At 60x15 the summary keeps the status and the error in view, and Enter opens every field
/// whole in the detail view, which scrolls to the end of a long cause.
#[test]
fn a_failed_executions_summary_at_60x15_shows_its_error_and_scrolls_in_detail() {
    let (mut state, _) = detail_state();
    chars(&mut state, "s");
    if let Some(d) = state.workflows.detail.as_mut()
        && let Loadable::Ready { value, .. } = &mut d.describe
    {
        value.error = Some("States.TaskFailed".into());
        value.cause = Some(format!("{} the end", "boom ".repeat(300)));
    }
    let summary = draw(&state, 60, 15);
    assert!(
        summary.contains(" error       States.TaskFailed"),
        "{summary}"
    );
    press(&mut state, KeyCode::Enter);
    let detail = draw(&state, 60, 15);
    assert!(detail.contains("STATUS"), "{detail}");
    press(&mut state, KeyCode::End);
    let end = draw(&state, 60, 15);
    assert!(end.contains("OUTPUT") || end.contains("the end"), "{end}");
    insta::assert_snapshot!(format!("{summary}\n{detail}"));
}

#[test]
fn workflows_org_machines_80x24() {
    let (mut state, request) = org_state();
    answer_org_machines(&mut state, request);
    let screen = draw(&state, 80, 24);
    // The header says the scope; account and region columns stay at 80 columns.
    assert!(screen.contains("scope org × 2 regions"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn workflows_failures_with_chart_80x24() {
    let (state, _) = failures_state();
    let screen = draw(&state, 80, 24);
    // A total never runs into its first bucket (`1··` read as a bar of its own).
    for series in ["failed", "timed out", "aborted"] {
        let line = screen
            .lines()
            .find(|l| l.starts_with(&format!("\" {series} ")))
            .unwrap();
        assert!(line.contains("1 ·"), "{line}");
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn workflows_failures_streaming_in_120x16() {
    let (mut state, request) = org_state();
    answer_org_machines(&mut state, request);
    let effects = crate::app::testkit::keys(&mut state, "E");
    let request = match workflows(effects).as_slice() {
        [crate::app::workflows::WorkflowsEffect::LoadFailures { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Failures {
            request,
            place: place(STAGING, "staging", "us-east-1"),
            status: crate::services::scope::Status::Ok,
            executions: vec![failed_in(
                STAGING,
                "us-east-1",
                "billing",
                "run-1",
                crate::domain::workflows::ExecutionStatus::Failed,
                30,
            )],
            until: at(),
        }),
    );
    insta::assert_snapshot!(draw(&state, 120, 16));
}

#[test]
fn workflows_machines_24h_column_80x10() {
    use crate::app::workflows::Outcomes;
    let mut state = machines_state();
    let arn = |name: &str| machine(name, crate::domain::workflows::MachineType::Standard).arn;
    let mut busy = vec![Outcomes::default(); 12];
    busy[3].succeeded = 4;
    busy[10].succeeded = 1;
    busy[11].failed = 2;
    busy[11].succeeded = 6;
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Activity {
            machine_arn: arn("invoice-export"),
            result: Ok(busy),
        }),
    );
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Activity {
            machine_arn: arn("tenant-onboarding"),
            result: Err(ServiceError::new(
                ErrorKind::Throttled,
                None,
                "Rate exceeded",
            )),
        }),
    );
    let screen = draw(&state, 80, 10);
    assert!(screen.contains("24H"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_failures_view_shows_hostile_errors_and_names_visibly() {
    let (mut state, request) = org_state();
    answer_org_machines(&mut state, request);
    let effects = crate::app::testkit::keys(&mut state, "E");
    let request = match workflows(effects).as_slice() {
        [crate::app::workflows::WorkflowsEffect::LoadFailures { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    let mut found = failed_in(
        STAGING,
        "us-east-1",
        "billing",
        "run\u{1b}[2J",
        crate::domain::workflows::ExecutionStatus::Failed,
        3,
    );
    found.error = Some("Err\u{202e}or\u{7}".into());
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Failures {
            request,
            place: place(STAGING, "sta\u{1b}]0;x\u{7}ging", "us-east-1"),
            status: crate::services::scope::Status::Ok,
            executions: vec![found],
            until: at(),
        }),
    );
    let screen = draw(&state, 160, 16);
    for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(
            !screen.contains(bad),
            "{bad:?} reached the screen: {screen}"
        );
    }
}

#[test]
fn an_execution_of_another_account_says_where_it_is_read_before_anything_is_cut() {
    let (mut state, _) = failures_state();
    crate::app::testkit::keys(&mut state, "j<Enter>");
    let screen = draw(&state, 80, 24);
    let title = screen.lines().nth(3).unwrap();
    assert!(
        title.contains("billing in staging (333333333333) us-east-1"),
        "{screen}"
    );
    // Its machine's executions, opened from the organisation's machines, say it too.
    crate::app::testkit::keys(&mut state, "<Esc><Esc>");
    // The unread target comes first, then staging's billing.
    crate::app::testkit::keys(&mut state, "j<Enter>");
    let screen = draw(&state, 80, 24);
    assert!(
        screen.contains("Executions of billing in staging (333333333333) us-east-1"),
        "{screen}"
    );
    // In the header's own account and region nothing is added.
    let (state, _) = detail_state();
    let screen = draw(&state, 100, 24);
    assert!(!screen.lines().nth(3).unwrap().contains(" in "), "{screen}");
}
