//! What every table offers whatever its rows: the detail view of a row (`i`), and the sort by
//! any column (`o`, `O`).

use chrono::Duration as Span;
use crossterm::event::KeyCode;

use super::{at, loaded_state};
use crate::app::testkit::{keys, press};
use crate::app::workflows::WorkflowsMsg;
use crate::app::workflows::fixtures::{execution, executions_request, machines_state, workflows};
use crate::app::{Effect, Mode, Msg, Pane, State, update};
use crate::domain::workflows::{ExecutionPage, ExecutionStatus};

/// The names of the accounts in the order the table shows them.
fn account_names(state: &State) -> Vec<String> {
    let accounts = state.accounts.accounts();
    state
        .accounts
        .table
        .visible()
        .iter()
        .map(|&i| accounts[i].name.clone())
        .collect()
}

#[test]
fn i_opens_every_field_of_the_row_and_y_copies_the_selected_one() {
    let (mut state, _) = loaded_state();
    assert_eq!(state.pane, Pane::Accounts);
    keys(&mut state, "j");
    keys(&mut state, "i");
    assert_eq!(state.mode, Mode::Detail);
    let detail = state.detail.as_ref().unwrap();
    assert_eq!(detail.title, "dev");
    let names: Vec<&str> = detail.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["NAME", "ID", "ACCESS", "STATUS", "EMAIL", "READ-ONLY"]
    );
    assert_eq!(detail.fields[4].1, "aws+dev@example.com", "whole, not cut");
    // j selects the next field; y copies its value, not the row's key.
    let effects = keys(&mut state, "jy");
    assert!(
        matches!(effects.as_slice(), [Effect::Copy { text }] if text == "222222222222"),
        "{effects:?}"
    );
    assert_eq!(state.notice.as_ref().unwrap().text, "copied ID");
    keys(&mut state, "G");
    assert_eq!(state.detail.as_ref().unwrap().selected, 5);
    keys(&mut state, "g");
    assert_eq!(state.detail.as_ref().unwrap().selected, 0);
    // Esc closes it; the table is as it was (the selection on dev).
    keys(&mut state, "<Esc>");
    assert_eq!(state.mode, Mode::Normal);
    assert!(state.detail.is_none());
    assert_eq!(
        state.accounts.selected().map(|a| a.name.as_str()),
        Some("dev")
    );
}

#[test]
fn the_detail_view_pages_through_fields_longer_than_the_screen() {
    let (mut state, _) = loaded_state();
    // 10 rows: 4 table rows, the page before the first frame.
    state.size = (80, 10);
    keys(&mut state, "i");
    let detail = state.detail.as_ref().unwrap();
    assert_eq!(detail.lines().len(), 12, "6 fields: name and value each");
    keys(&mut state, "<PageDown>");
    let detail = state.detail.as_ref().unwrap();
    assert_eq!(detail.scroll.top(), 4);
    assert_eq!(detail.selected, 2, "the field at the top after a page");
    keys(&mut state, "<PageUp>");
    assert_eq!(state.detail.as_ref().unwrap().scroll.top(), 0);
    keys(&mut state, "q");
    assert_eq!(state.mode, Mode::Normal);
    assert!(state.running, "q closes the detail view, not opsdeck");
}

#[test]
fn enter_shows_a_row_whole_where_it_opens_nothing_else() {
    let (mut state, _) = loaded_state();
    // In the Accounts pane Enter selects an account: it does not open the detail view.
    keys(&mut state, "<Enter>");
    assert_eq!(state.mode, Mode::Normal);
    // In the DNS "who serves this name" view a row opens nothing: Enter shows it whole.
    let (mut state, _) = crate::app::dns::fixtures::org_loaded(true);
    keys(&mut state, "<Enter>");
    press(&mut state, KeyCode::Enter);
    assert!(
        matches!(state.dns.view, crate::app::dns::View::Find { .. }),
        "{:?}",
        state.dns.view
    );
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.mode, Mode::Detail);
    let names: Vec<String> = state
        .detail
        .as_ref()
        .unwrap()
        .fields
        .iter()
        .map(|(n, _)| n.clone())
        .collect();
    assert_eq!(names, ["WHAT", "ACCOUNT", "ZONE", "DETAIL"]);
}

#[test]
fn o_sorts_by_the_next_column_and_o_again_past_the_last_restores_the_order() {
    let (mut state, _) = loaded_state();
    let own = account_names(&state);
    assert_eq!(own, ["management", "dev", "staging", "prod"]);
    // On staging, then sorted by NAME: the selection stays on staging.
    keys(&mut state, "jj");
    keys(&mut state, "o");
    let sort = state.accounts.table.sort().unwrap();
    assert_eq!(sort.label(), "↑NAME");
    assert_eq!(
        account_names(&state),
        ["dev", "management", "prod", "staging"]
    );
    assert_eq!(
        state.accounts.selected().map(|a| a.name.as_str()),
        Some("staging")
    );
    assert_eq!(state.accounts.table.selected_position(), 3);
    // O reverses.
    keys(&mut state, "O");
    assert_eq!(state.accounts.table.sort().unwrap().label(), "↓NAME");
    assert_eq!(
        account_names(&state),
        ["staging", "prod", "management", "dev"]
    );
    assert_eq!(
        state.accounts.selected().map(|a| a.name.as_str()),
        Some("staging")
    );
    // The filter keeps the sort; clearing it too.
    keys(&mut state, "/'ag<Enter>");
    assert_eq!(account_names(&state), ["staging", "management"]);
    keys(&mut state, "<Esc>");
    assert_eq!(
        account_names(&state),
        ["staging", "prod", "management", "dev"]
    );
    // Past the last of the 6 columns: the rows' own order again.
    keys(&mut state, "ooooo");
    assert_eq!(state.accounts.table.sort().unwrap().name, "READ-ONLY");
    keys(&mut state, "o");
    assert!(state.accounts.table.sort().is_none());
    assert_eq!(account_names(&state), own);
    assert_eq!(
        state.accounts.selected().map(|a| a.name.as_str()),
        Some("staging")
    );
}

/// The executions of a machine, with run times 850ms, 1.5s, 12.0s and 2m05s (in this order of
/// value, but not of text).
fn executions_with_durations() -> State {
    let mut state = machines_state();
    let effects = workflows(press(&mut state, KeyCode::Enter));
    let request = executions_request(&effects);
    let m = "tenant-onboarding";
    let mut runs = Vec::new();
    for (name, ms) in [("b", 12_000), ("d", 125_000), ("a", 850), ("c", 1_500)] {
        let mut e = execution(m, name, ExecutionStatus::Succeeded, 300);
        e.stopped = Some(e.started + Span::milliseconds(ms));
        runs.push(e);
    }
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Ok(ExecutionPage {
                executions: runs,
                next_token: None,
            }),
            at: at(),
        }),
    );
    state
}

fn execution_names(state: &State) -> Vec<String> {
    let view = state.workflows.executions.as_ref().unwrap();
    view.table
        .visible()
        .iter()
        .map(|&i| view.items[i].name.clone())
        .collect()
}

#[test]
fn durations_sort_by_value_not_by_text() {
    let mut state = executions_with_durations();
    // NAME, STATUS, STARTED, STOPPED, DURATION.
    keys(&mut state, "ooooo");
    let view = state.workflows.executions.as_ref().unwrap();
    assert_eq!(view.table.sort().unwrap().label(), "↑DURATION");
    assert_eq!(execution_names(&state), ["a", "c", "b", "d"]);
    keys(&mut state, "O");
    assert_eq!(execution_names(&state), ["d", "b", "c", "a"]);
    // Rows read again are sorted as they arrive, the selection kept on the same execution.
    keys(&mut state, "j");
    let before = state.workflows.executions.as_ref().unwrap().items.clone();
    let effects = workflows(keys(&mut state, "r"));
    let request = executions_request(&effects);
    let mut runs = vec![execution(
        "tenant-onboarding",
        "e",
        ExecutionStatus::Running,
        3_600,
    )];
    runs.extend(before);
    update(
        &mut state,
        Msg::Workflows(WorkflowsMsg::Executions {
            request,
            result: Ok(ExecutionPage {
                executions: runs,
                next_token: None,
            }),
            at: at(),
        }),
    );
    assert_eq!(execution_names(&state), ["e", "d", "b", "c", "a"]);
    let view = state.workflows.executions.as_ref().unwrap();
    assert_eq!(view.selected().map(|e| e.name.as_str()), Some("b"));
}

#[test]
fn tenants_sorted_by_user_count_take_their_place_as_counts_arrive() {
    use crate::app::tenants::fixtures::tenants_state;
    use crate::app::tenants::{TenantsEffect, TenantsMsg};
    use crate::domain::tenancy::users::Counts;

    let (mut state, effects) = tenants_state();
    let counts: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Tenants(TenantsEffect::CountTenant {
                request, tenant, ..
            }) => Some((*request, tenant.id.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(counts.len(), 2, "{effects:?}");
    let answer = |state: &mut State, tenant: &str, users: usize| {
        let (request, _) = counts.iter().find(|(_, t)| t == tenant).unwrap();
        let members: Vec<String> = (0..users).map(|i| format!("u{i}")).collect();
        update(
            state,
            Msg::Tenants(TenantsMsg::Counted {
                request: *request,
                tenant: tenant.into(),
                result: Ok(Counts::from_role_members(&[("admin".into(), members)])),
            }),
        );
    };
    let order = |state: &State| -> Vec<String> {
        let items = state.tenants.tenants.items();
        state
            .tenants
            .tenants
            .table
            .visible()
            .iter()
            .map(|&i| items[i].tenant.id.clone())
            .collect()
    };
    answer(&mut state, "acme", 7);
    // TENANT, USERS.
    keys(&mut state, "oo");
    assert_eq!(
        state.tenants.tenants.table.sort().unwrap().label(),
        "↑USERS"
    );
    assert_eq!(order(&state), ["globex", "acme"], "not counted yet: first");
    answer(&mut state, "globex", 12);
    assert_eq!(order(&state), ["acme", "globex"], "7 before 12, by value");
}

#[test]
fn machines_sort_by_their_failed_count() {
    let mut state = machines_state();
    // NAME, TYPE, CREATED, RUNNING, FAILED; descending.
    keys(&mut state, "oooooO");
    let list = &state.workflows.machines;
    assert_eq!(list.table.sort().unwrap().label(), "↓FAILED");
    let names: Vec<&str> = list
        .table
        .visible()
        .iter()
        .map(|&i| list.items()[i].name.as_str())
        .collect();
    // invoice-export: 1 failed; tenant-onboarding: 0; audit-stream: express, not counted.
    assert_eq!(
        names,
        ["invoice-export", "tenant-onboarding", "audit-stream"]
    );
}

#[test]
fn accounts_sorted_by_access_take_their_place_as_the_checks_answer() {
    use crate::services::{ErrorKind, ServiceError};

    let (mut state, checks) = loaded_state();
    let Some(Effect::CheckAccess { list_request, .. }) = checks.first() else {
        panic!("{checks:?}")
    };
    let list_request = *list_request;
    // NAME, ID, ACCESS, descending: every account is `checking`, in the list's order.
    keys(&mut state, "oooO");
    assert_eq!(
        account_names(&state),
        ["management", "dev", "staging", "prod"]
    );
    update(
        &mut state,
        Msg::Access {
            list_request,
            account_id: "444444444444".into(),
            result: Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDenied".into()),
                "STS AssumeRole failed: not authorized",
            )),
        },
    );
    assert_eq!(
        account_names(&state),
        ["prod", "management", "dev", "staging"],
        "`STS AssumeRole failed` sorts after `checking`: first, descending"
    );
}
