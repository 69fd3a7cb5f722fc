use crossterm::event::KeyCode;

use super::fixtures::{a_plan, acme_with_users, answer_plan, group, tenants_state, user};
use super::*;
use crate::app::loadable::RequestId;
use crate::app::testkit::{chars, press};
use crate::app::tests::{at, loaded_state};
use crate::app::{Change, Effect, Mode, Msg, State, update};
use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};
use crate::domain::tenancy::users::Counts;
use crate::rows::Cells;

#[test]
fn counts_are_asked_only_for_the_tenants_on_screen_and_fill_in() {
    let (mut state, effects) = tenants_state();
    let counted: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Tenants(TenantsEffect::CountTenant { tenant, .. }) => Some(tenant.id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(counted, ["acme", "globex"]);
    let Effect::Tenants(TenantsEffect::CountTenant { request, .. }) = &effects[0] else {
        unreachable!()
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Counted {
            request: *request,
            tenant: "acme".into(),
            result: Ok(Counts::from_role_members(&[(
                "admin".into(),
                vec!["ann".into()],
            )])),
        }),
    );
    let acme = &state.tenants.tenants.items()[0];
    assert_eq!(acme.cells()[1], "1");
    assert_eq!(acme.cells()[2], "admin=1 member=0 readonly=0");
    assert_eq!(state.tenants.tenants.items()[1].cells()[1], "…");
    // Moving does not ask again for what is counted or being counted.
    let again = press(&mut state, KeyCode::Char('j'));
    assert!(
        !again
            .iter()
            .any(|e| matches!(e, Effect::Tenants(TenantsEffect::CountTenant { .. })))
    );
}

#[test]
fn counts_of_a_superseded_list_are_dropped() {
    let (mut state, effects) = tenants_state();
    let Effect::Tenants(TenantsEffect::CountTenant { request, .. }) = &effects[0] else {
        unreachable!()
    };
    let old = *request;
    press(&mut state, KeyCode::Char('r'));
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Counted {
            request: old,
            tenant: "acme".into(),
            result: Ok(Counts::default()),
        }),
    );
    assert!(state.tenants.tenants.list.is_loading());
}

#[test]
fn enter_drills_into_users_grouped_by_role_then_a_user_and_esc_comes_back() {
    let (mut state, _) = tenants_state();
    let effects = press(&mut state, KeyCode::Enter);
    let [
        Effect::Tenants(TenantsEffect::LoadMembers {
            request, tenant, ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(tenant.id, "acme");
    assert_eq!(tenant.roles, ["admin", "member", "readonly"]);
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Members {
            request: *request,
            result: Ok(vec![
                ("admin".into(), vec![user("ann")]),
                ("member".into(), vec![user("bob"), user("cid")]),
            ]),
            at: at(),
        }),
    );
    assert_eq!(state.tenants.view(), View::Members);
    let roles: Vec<&str> = state
        .tenants
        .members
        .items()
        .iter()
        .map(|m| m.role.as_str())
        .collect();
    assert_eq!(roles, ["admin", "member", "member"]);
    press(&mut state, KeyCode::Char('j'));
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Tenants(TenantsEffect::LoadUser { username, .. })] if username == "bob"
    ));
    assert_eq!(state.tenants.view(), View::User);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.tenants.view(), View::Members);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.tenants.view(), View::Tenants);
}

#[test]
fn the_onboarding_form_validates_before_asking_aws_then_plans_and_confirms() {
    let (mut state, _) = tenants_state();
    press(&mut state, KeyCode::Char('n'));
    assert!(state.tenants.captures_keys());
    // Keys go to the form, not the keymap: q is text.
    chars(&mut state, "acme");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(effects.is_empty());
    let error = state.tenants.form.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("already exists"), "{error}");
    for _ in 0..4 {
        press(&mut state, KeyCode::Backspace);
    }
    chars(&mut state, "wonka");
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Tab);
    chars(&mut state, "not-an-email");
    press(&mut state, KeyCode::Enter);
    let error = state.tenants.form.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("not a valid email"), "{error}");
    for _ in 0.."not-an-email".len() {
        press(&mut state, KeyCode::Backspace);
    }
    chars(&mut state, "W@Wonka.com");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(state.tenants.form.is_none());
    let Some(Effect::Tenants(TenantsEffect::Plan { intent, target, .. })) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        intent,
        &Intent::OnboardTenant {
            tenant: "wonka".into(),
            display_name: String::new(),
            admin_email: "w@wonka.com".into(),
        }
    );
    assert_eq!(target.pool_id, "p1");
    assert!(state.tenants.is_busy());
    let effects = effects.clone();
    answer_plan(&mut state, &effects, Some(a_plan()));
    assert_eq!(state.mode, Mode::Confirm);
    let dialog = state.confirm.as_ref().unwrap();
    assert_eq!(dialog.plan.steps.len(), 5);
    assert!(matches!(
        &dialog.plan.steps[3].action,
        Change::Tenants(CognitoCall {
            op: CognitoOp::CreateUser { .. },
            ..
        })
    ));
    chars(&mut state, "y");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::Execute(_)]));
}

#[test]
fn escape_cancels_a_form_and_nothing_is_planned() {
    let (mut state, _) = tenants_state();
    press(&mut state, KeyCode::Char('n'));
    chars(&mut state, "x");
    let effects = press(&mut state, KeyCode::Esc);
    assert!(
        effects
            .iter()
            .all(|e| !matches!(e, Effect::Tenants(TenantsEffect::Plan { .. })))
    );
    assert!(state.tenants.form.is_none());
    assert_eq!(state.tenants.view(), View::Tenants);
}

#[test]
fn delete_of_a_tenant_with_users_asks_before_planning_a_forced_delete() {
    let mut state = acme_with_users();
    let effects = press(&mut state, KeyCode::Char('d'));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(
        state.tenants.force_delete,
        Some(ForceDelete {
            tenant: "acme".into(),
            users: 2,
            groups: ["acme:admin", "acme:member", "acme:readonly"]
                .map(String::from)
                .to_vec(),
        })
    );
    assert!(state.tenants.captures_keys());
    // Other keys do nothing while the question is open.
    assert!(press(&mut state, KeyCode::Char('x')).is_empty());
    let effects = press(&mut state, KeyCode::Char('f'));
    let Some(Effect::Tenants(TenantsEffect::Plan { intent, .. })) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        intent,
        &Intent::DeleteTenant {
            tenant: "acme".into(),
            force: true
        }
    );
    assert!(state.tenants.force_delete.is_none());
    assert!(!state.tenants.captures_keys());
}

#[test]
fn escape_from_the_forced_delete_question_changes_nothing() {
    let mut state = acme_with_users();
    press(&mut state, KeyCode::Char('d'));
    let effects = press(&mut state, KeyCode::Esc);
    assert!(
        effects
            .iter()
            .all(|e| !matches!(e, Effect::Tenants(TenantsEffect::Plan { .. })))
    );
    assert!(state.tenants.force_delete.is_none());
    assert!(state.notice.as_ref().unwrap().text.contains("cancelled"));
}

#[test]
fn read_only_refuses_a_change_before_anything_is_planned_or_opened() {
    let (mut state, _) = tenants_state();
    state.session.read_only = true;
    for key in ['d', 'n'] {
        let effects = press(&mut state, KeyCode::Char(key));
        assert!(
            effects.is_empty(),
            "{key}: nothing read or planned: {effects:?}"
        );
        assert_eq!(state.mode, Mode::Normal);
        assert!(state.confirm.is_none());
        assert!(state.tenants.form.is_none(), "{key}: no form to type into");
        assert!(
            state.notice.as_ref().unwrap().text.contains("read-only"),
            "{key}"
        );
    }
}

#[test]
fn a_read_only_account_refuses_its_changes_before_the_form_opens() {
    let (mut state, _) = tenants_state();
    let account = state.current_account_id().unwrap().to_owned();
    state.session.read_only_accounts = vec![account];
    press(&mut state, KeyCode::Char('n'));
    assert!(state.tenants.form.is_none());
    assert!(state.notice.as_ref().unwrap().text.contains("read-only"));
}

#[test]
fn a_stale_or_empty_plan_opens_no_dialog() {
    let (mut state, _) = tenants_state();
    let effects = press(&mut state, KeyCode::Char('d'));
    answer_plan(&mut state, &effects, None);
    assert!(state.confirm.is_none());
    assert_eq!(state.notice.as_ref().unwrap().text, "nothing to do");
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Planned {
            request: RequestId(9999),
            result: Ok(Some(a_plan())),
            nothing: String::new(),
        }),
    );
    assert!(state.confirm.is_none());
}

#[test]
fn the_user_menu_offers_every_action_and_plans_the_chosen_one() {
    let (mut state, _) = tenants_state();
    let effects = press(&mut state, KeyCode::Enter);
    let [Effect::Tenants(TenantsEffect::LoadMembers { request, .. })] = effects.as_slice() else {
        unreachable!()
    };
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Members {
            request: *request,
            result: Ok(vec![("member".into(), vec![user("bob")])]),
            at: at(),
        }),
    );
    press(&mut state, KeyCode::Char('c'));
    assert_eq!(state.tenants.menu.as_ref().unwrap().username, "bob");
    let effects = press(&mut state, KeyCode::Char('4'));
    assert!(matches!(
        effects.first(),
        Some(Effect::Tenants(TenantsEffect::Plan {
            intent: Intent::SetEnabled { enabled: false, .. },
            ..
        }))
    ));
    // Change role: the form starts on the current role; Right picks the next.
    press(&mut state, KeyCode::Char('c'));
    press(&mut state, KeyCode::Enter);
    assert_eq!(
        state.tenants.form.as_ref().unwrap().fields[0].value(),
        "member"
    );
    press(&mut state, KeyCode::Right);
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(
        effects.first(),
        Some(Effect::Tenants(TenantsEffect::Plan {
            intent: Intent::SetRole { role, .. },
            ..
        })) if role == "readonly"
    ));
    // d on a user removes them from the tenant (a destructive plan: typed confirmation).
    let effects = press(&mut state, KeyCode::Char('d'));
    assert!(matches!(
        effects.first(),
        Some(Effect::Tenants(TenantsEffect::Plan {
            intent: Intent::Remove {
                delete_user: false,
                ..
            },
            ..
        }))
    ));
}

#[test]
fn the_attribute_model_scans_with_progress() {
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
                id: "p1".into(),
                name: "customers".into(),
            }]),
            at: at(),
        }),
    );
    let [Effect::Tenants(TenantsEffect::ScanTenants { request, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let request = *request;
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::ScanProgress {
            request,
            users: 120,
        }),
    );
    assert_eq!(state.tenants.scanned, Some(120));
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Scanned {
            request,
            result: Ok((
                vec![(
                    Tenant {
                        id: "acme".into(),
                        description: String::new(),
                        roles: vec!["admin".into()],
                    },
                    Counts::default(),
                )],
                vec![group("Staff")],
            )),
            at: at(),
        }),
    );
    assert_eq!(state.tenants.tenants.items().len(), 1);
    assert_eq!(
        state.tenants.tenants.items()[0].counts,
        Counting::Ready(Counts::default())
    );
}

#[test]
fn a_server_side_search_streams_pages_in_and_drops_a_superseded_one() {
    let (mut state, _) = tenants_state();
    press(&mut state, KeyCode::Char('w'));
    chars(&mut state, "ava");
    let effects = press(&mut state, KeyCode::Enter);
    let [
        Effect::Tenants(TenantsEffect::SearchUsers {
            request, filter, ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(filter, &UserFilter::EmailPrefix("ava".into()));
    let request = *request;
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Found {
            request,
            result: Ok(vec![user("ava1")]),
            done: false,
            at: at(),
        }),
    );
    assert_eq!(state.tenants.found.items().len(), 1);
    assert!(state.tenants.is_busy(), "more pages to come");
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Found {
            request,
            result: Ok(vec![user("ava2"), user("ava3")]),
            done: true,
            at: at(),
        }),
    );
    assert_eq!(state.tenants.found.items().len(), 3);
    assert_eq!(state.tenants.searching, None);
    // A new search: pages of the old one are dropped.
    press(&mut state, KeyCode::Char('w'));
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Right);
    press(&mut state, KeyCode::Tab);
    chars(&mut state, "bo");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Tenants(TenantsEffect::SearchUsers { filter: UserFilter::UsernamePrefix(p), .. })] if p == "bo"
    ));
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Found {
            request,
            result: Ok(vec![user("stale")]),
            done: true,
            at: at(),
        }),
    );
    assert!(state.tenants.found.items().is_empty());
    let effects = press(&mut state, KeyCode::Esc);
    assert!(effects.is_empty());
    assert_eq!(state.tenants.view(), View::Tenants);
}

#[test]
fn w_on_a_tenants_users_imports_a_csv_file_through_a_plan() {
    let (mut state, _) = tenants_state();
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.tenants.hint(Action::Watch), "import CSV");
    press(&mut state, KeyCode::Char('w'));
    let effects = press(&mut state, KeyCode::Enter);
    assert!(effects.is_empty(), "an empty path is refused in the form");
    chars(&mut state, "users.csv");
    let effects = press(&mut state, KeyCode::Enter);
    let Some(Effect::Tenants(TenantsEffect::PlanImport { tenant, path, .. })) = effects.first()
    else {
        panic!("{effects:?}")
    };
    assert_eq!((tenant.as_str(), path.as_str()), ("acme", "users.csv"));
    assert!(state.tenants.is_busy());

    // A file with bad rows: every one is listed, with its line, and nothing is planned.
    let Some(Effect::Tenants(TenantsEffect::PlanImport { request, .. })) = effects.first() else {
        unreachable!()
    };
    let errors: Vec<String> = (2..=40)
        .map(|line| format!("line {line}: invalid email"))
        .collect();
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::ImportRejected {
            request: *request,
            file: "users.csv".into(),
            errors: errors.clone(),
        }),
    );
    assert_eq!(state.mode, crate::app::Mode::Report);
    assert_eq!(state.report.as_ref().unwrap().lines, errors);
    assert!(state.confirm.is_none());
}

#[test]
fn hints_name_what_each_view_offers() {
    let (state, _) = tenants_state();
    let pane = &state.tenants;
    assert_eq!(pane.hint(Action::New), "onboard tenant");
    assert_eq!(pane.hint(Action::Delete), "delete tenant");
    assert_eq!(pane.hint(Action::Edit), "");
}

/// The Tenants pane with an `[onboarding]` runbook whose templates use `{plan}`: the onboarding
/// form filled with wonka, its admin and `plan`, submitted.
fn onboard_with_runbook(plan: &str) -> (State, Vec<Effect>) {
    let (mut state, _) = tenants_state();
    state.tenants.runbook = Some(vec!["plan".into()]);
    press(&mut state, KeyCode::Char('n'));
    let labels: Vec<String> = state
        .tenants
        .form
        .as_ref()
        .unwrap()
        .fields
        .iter()
        .map(|f| f.label.to_string())
        .collect();
    assert_eq!(
        labels,
        ["tenant id", "display name", "admin email", "{plan}"]
    );
    chars(&mut state, "wonka");
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Tab);
    chars(&mut state, "w@wonka.com");
    press(&mut state, KeyCode::Tab);
    chars(&mut state, plan);
    let effects = press(&mut state, KeyCode::Enter);
    (state, effects)
}

/// A combined plan: a Cognito step in the pool's account, the workflow's start in another.
fn combined_plan() -> crate::domain::plan::Plan<Change> {
    let mut plan = a_plan().map_actions(Change::Tenants);
    let start = crate::domain::workflows::plan::change_plan(
        crate::domain::workflows::WorkflowChange::Start {
            machine_arn: "arn:aws:states:eu-west-1:222222222222:stateMachine:tenant-provision"
                .into(),
            name: "onboard-wonka".into(),
            input: "{}".into(),
        },
        "222222222222",
        "eu-west-1",
    );
    plan.steps
        .extend(start.map_actions(Change::Workflows).steps);
    plan
}

fn answer_onboarding(
    state: &mut State,
    effects: &[Effect],
    plan: crate::domain::plan::Plan<Change>,
) {
    let Some(Effect::Tenants(TenantsEffect::PlanOnboarding { request, .. })) = effects.first()
    else {
        panic!("expected an onboarding plan request, got {effects:?}")
    };
    update(
        state,
        Msg::Tenants(TenantsMsg::PlannedChange {
            request: *request,
            result: Ok(Some(plan)),
            nothing: "nothing to do".into(),
        }),
    );
}

#[test]
fn with_a_runbook_the_onboarding_form_asks_its_variables_and_plans_the_combined_plan() {
    let (mut state, effects) = onboard_with_runbook("");
    // A variable the runbook uses must be given.
    assert!(effects.is_empty(), "{effects:?}");
    let error = state.tenants.form.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("{plan}"), "{error}");
    chars(&mut state, "gold");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(state.tenants.form.is_none());
    let Some(Effect::Tenants(TenantsEffect::PlanOnboarding {
        onboard, target, ..
    })) = effects.first()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        onboard,
        &crate::services::onboarding::OnboardRequest {
            tenant: "wonka".into(),
            display_name: String::new(),
            admin_email: "w@wonka.com".into(),
            vars: vec!["plan=gold".into()],
        }
    );
    assert_eq!(target.pool_id, "p1");
    assert!(state.tenants.is_busy());
    let effects = effects.clone();
    answer_onboarding(&mut state, &effects, combined_plan());
    assert_eq!(state.mode, Mode::Confirm);
    assert_eq!(state.confirm.as_ref().unwrap().plan.steps.len(), 6);
    chars(&mut state, "y");
    let effects = press(&mut state, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::Execute(_)]));
}

#[test]
fn without_a_runbook_the_onboarding_form_has_no_variables() {
    let (mut state, _) = tenants_state();
    press(&mut state, KeyCode::Char('n'));
    assert_eq!(state.tenants.form.as_ref().unwrap().fields.len(), 3);
}

#[test]
fn a_combined_plan_with_a_step_in_a_read_only_account_is_refused_before_the_dialog() {
    let (mut state, effects) = onboard_with_runbook("gold");
    state.session.read_only_accounts = vec!["222222222222".into()];
    answer_onboarding(&mut state, &effects, combined_plan());
    assert!(state.confirm.is_none());
    assert_ne!(state.mode, Mode::Confirm);
    let notice = &state.notice.as_ref().unwrap().text;
    assert!(
        notice.contains("222222222222") && notice.contains("read-only"),
        "{notice}"
    );
}

/// acme's view opened with a runbook: the members and the runbook read asked.
fn acme_opened_with_runbook() -> (State, Vec<Effect>) {
    let (mut state, _) = tenants_state();
    state.tenants.runbook = Some(Vec::new());
    let effects = press(&mut state, KeyCode::Enter);
    (state, effects)
}

fn the_runbook_of_acme() -> crate::services::onboarding::TenantRunbook {
    use crate::domain::tenancy::onboarding::Attempt;
    use crate::domain::workflows::ExecutionStatus;
    crate::services::onboarding::TenantRunbook {
        dns: Some(Ok(crate::services::onboarding::TenantRecords {
            zone: "apps.example.com".into(),
            account_id: "222222222222".into(),
            records: vec![crate::domain::dns::RecordSet {
                name: "acme.apps.example.com".into(),
                kind: "CNAME".into(),
                ttl: Some(300),
                values: vec!["edge.apps.example.com".into()],
                alias: None,
                set_identifier: None,
                routing: Default::default(),
            }],
        })),
        executions: Some(Ok(vec![
            Attempt {
                name: "onboard-acme".into(),
                arn: "arn:x:onboard-acme".into(),
                status: ExecutionStatus::Failed,
            },
            Attempt {
                name: "onboard-acme-2".into(),
                arn: "arn:x:onboard-acme-2".into(),
                status: ExecutionStatus::Succeeded,
            },
        ])),
    }
}

#[test]
fn with_a_runbook_the_tenants_view_reads_its_record_and_executions_in_the_background() {
    let (mut state, effects) = acme_opened_with_runbook();
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Tenants(TenantsEffect::LoadRunbook {
                request, tenant, ..
            }) => {
                assert_eq!(tenant, "acme");
                Some(*request)
            }
            _ => None,
        })
        .expect("the runbook read is asked");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Tenants(TenantsEffect::LoadMembers { .. })))
    );
    assert!(state.tenants.across[0].starts_with("reading"));
    // An answer to an older read is dropped.
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Runbook {
            request: RequestId(request.0 + 100),
            view: the_runbook_of_acme(),
        }),
    );
    assert!(state.tenants.across[0].starts_with("reading"));
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Runbook {
            request,
            view: the_runbook_of_acme(),
        }),
    );
    assert_eq!(
        state.tenants.across,
        [
            "DNS: acme.apps.example.com CNAME edge.apps.example.com (zone apps.example.com, \
             account 222222222222)",
            "onboarding: onboard-acme FAILED",
            "onboarding: onboard-acme-2 SUCCEEDED",
        ]
    );
}

#[test]
fn without_a_runbook_the_tenants_view_reads_only_its_users() {
    let (mut state, _) = tenants_state();
    let effects = press(&mut state, KeyCode::Enter);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::Tenants(TenantsEffect::LoadRunbook { .. })))
    );
    assert!(state.tenants.across.is_empty());
}

#[test]
fn a_part_of_the_runbook_that_cannot_be_read_is_said_and_the_rest_shown() {
    let (mut state, effects) = acme_opened_with_runbook();
    let Some(request) = effects.iter().find_map(|e| match e {
        Effect::Tenants(TenantsEffect::LoadRunbook { request, .. }) => Some(*request),
        _ => None,
    }) else {
        panic!("{effects:?}")
    };
    let mut view = the_runbook_of_acme();
    view.dns = Some(Err("AccessDenied: not allowed in 222222222222".into()));
    view.executions = Some(Ok(Vec::new()));
    update(
        &mut state,
        Msg::Tenants(TenantsMsg::Runbook { request, view }),
    );
    assert_eq!(
        state.tenants.across,
        [
            "DNS: the tenant's record could not be read: AccessDenied: not allowed in 222222222222",
            "onboarding: no execution",
        ]
    );
}

#[test]
fn with_a_runbook_an_existing_tenant_is_planned_again_to_complete_its_other_parts() {
    let (mut state, _) = tenants_state();
    state.tenants.runbook = Some(Vec::new());
    press(&mut state, KeyCode::Char('n'));
    chars(&mut state, "acme");
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Tab);
    chars(&mut state, "ann@acme.com");
    let effects = press(&mut state, KeyCode::Enter);
    let Some(Effect::Tenants(TenantsEffect::PlanOnboarding { onboard, .. })) = effects.first()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(onboard.tenant, "acme");
    assert!(onboard.vars.is_empty());
}
