//! The runtime against the fake: an effect becomes a task whose result comes back as the message
//! the app expects — a tenants load, an organisation's accounts and their access, a planned and
//! executed change (with progress, audit, and the report of a failure).

use opsdeck::app::tenants::{TenantsEffect, TenantsMsg};
use opsdeck::app::{Effect, Msg, RequestId};
use opsdeck::domain::plan::Change;
use opsdeck::domain::tenancy::plan::Intent;
use opsdeck::domain::workflows::WorkflowChange;
use opsdeck::domain::workflows::plan::change_plan;
use opsdeck::mutation::{Outcome, Policy, approve};
use opsdeck::services::fake::{ExecutionSeed, FakeBackend, MachineSeed};
use opsdeck::services::{ErrorKind, ServiceError};

use crate::support::{ME, POOL, audit, denied, fake, next, runtime, target, tenancy};

#[tokio::test]
async fn a_tenants_load_answers_with_the_groups_then_each_tenant_counted() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Tenants(TenantsEffect::LoadGroups {
        request: RequestId(7),
        account_id: ME.into(),
        pool_id: POOL.into(),
    }));
    let Msg::Tenants(TenantsMsg::Groups {
        request, result, ..
    }) = next(&mut rx).await
    else {
        panic!("not the groups");
    };
    assert_eq!(request, RequestId(7));
    let (tenants, other) = tenancy().tenants_from_groups(&result.unwrap());
    assert!(other.is_empty());
    assert_eq!(tenants.len(), 1);

    rt.spawn(Effect::Tenants(TenantsEffect::CountTenant {
        request: RequestId(7),
        account_id: ME.into(),
        pool_id: POOL.into(),
        tenancy: tenancy(),
        tenant: tenants[0].clone(),
    }));
    let Msg::Tenants(TenantsMsg::Counted { tenant, result, .. }) = next(&mut rx).await else {
        panic!("not the counts");
    };
    assert_eq!(tenant, "acme");
    let counts = result.unwrap();
    assert_eq!(counts.users, 2);
    assert_eq!(counts.roles.get("admin"), Some(&1));
    assert_eq!(
        fake.calls(),
        [
            "ListGroups",
            "ListUsersInGroup",
            "ListUsersInGroup",
            "ListUsersInGroup"
        ]
    );
}

#[tokio::test]
async fn the_accounts_of_the_organisation_are_listed_and_a_denied_one_is_told() {
    let fake = FakeBackend::new(ME)
        .with_account("222222222222", "staging")
        .with_account("333333333333", "legacy")
        .with_denied_account("333333333333");
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::LoadAccounts {
        request: RequestId(1),
    });
    let Msg::Accounts { result, .. } = next(&mut rx).await else {
        panic!("not the accounts");
    };
    let names: Vec<String> = result
        .unwrap()
        .accounts
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["management", "staging", "legacy"]);

    for id in ["222222222222", "333333333333"] {
        rt.spawn(Effect::CheckAccess {
            list_request: RequestId(1),
            account_id: id.into(),
        });
        let Msg::Access {
            account_id, result, ..
        } = next(&mut rx).await
        else {
            panic!("not an access check");
        };
        assert_eq!(account_id, id);
        match id {
            "222222222222" => assert!(result.is_ok(), "{result:?}"),
            _ => assert_eq!(result.unwrap_err().kind, ErrorKind::Denied),
        }
    }
}

/// Plan onboarding tenant globex through the runtime, approve it, and execute it: the messages.
async fn plan_and_execute(fake: &FakeBackend, dir: &std::path::Path) -> Vec<Msg> {
    let (mut rt, mut rx) = runtime(fake, dir);
    rt.spawn(Effect::Tenants(TenantsEffect::Plan {
        request: RequestId(3),
        tenancy: tenancy(),
        target: target(),
        intent: Intent::OnboardTenant {
            tenant: "globex".into(),
            display_name: String::new(),
            admin_email: "carol@globex.com".into(),
        },
    }));
    let Msg::Tenants(TenantsMsg::Planned { result, .. }) = next(&mut rx).await else {
        panic!("not a plan");
    };
    let plan = result
        .unwrap()
        .expect("something to do")
        .map_actions(Change::Tenants);
    rt.spawn(Effect::Execute(
        approve(&Policy::default(), &plan, "y").unwrap(),
    ));
    let mut msgs = Vec::new();
    loop {
        let msg = next(&mut rx).await;
        let done = matches!(msg, Msg::Executed { .. });
        msgs.push(msg);
        if done {
            return msgs;
        }
    }
}

#[tokio::test]
async fn a_confirmed_change_runs_with_progress_and_is_audited() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let msgs = plan_and_execute(&fake, dir.path()).await;
    let progress: Vec<(usize, usize)> = msgs
        .iter()
        .filter_map(|m| match m {
            Msg::Progress { done, total, .. } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(progress, [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5)]);
    let Some(Msg::Executed {
        title,
        result,
        steps,
        ..
    }) = msgs.last()
    else {
        unreachable!()
    };
    assert_eq!(title, "Onboard tenant globex with admin carol@globex.com");
    assert_eq!(result, &Ok(()));
    assert!(steps.iter().all(|s| s.starts_with("done: ")), "{steps:?}");
    assert_eq!(fake.members(POOL, "globex:admin"), ["carol@globex.com"]);
    let lines = audit(&dir.path().join("audit.log"));
    assert_eq!(lines.len(), 2 * 5);
    assert!(
        lines
            .chunks(2)
            .all(|pair| pair[0].outcome == Outcome::Intent && pair[1].outcome == Outcome::Ok)
    );
}

#[tokio::test]
async fn a_change_that_fails_part_way_tells_the_app_what_failed_and_how_to_complete_it() {
    let fake = fake();
    fake.fail_next(
        "AdminAddUserToGroup",
        denied("Cognito AdminAddUserToGroup carol@globex.com"),
    );
    let dir = tempfile::tempdir().unwrap();
    let msgs = plan_and_execute(&fake, dir.path()).await;
    let Some(Msg::Executed { result, steps, .. }) = msgs.last() else {
        unreachable!()
    };
    let error = result.as_ref().unwrap_err();
    assert!(
        error.starts_with("step 5 of 5 failed: add to group globex:admin"),
        "{error}"
    );
    assert!(error.contains("4 of 5 step(s) done"), "{error}");
    assert!(steps[4].starts_with("FAILED: 5."), "{steps:?}");
    assert!(
        steps.last().unwrap().contains("plan the change again"),
        "{steps:?}"
    );
    assert!(fake.members(POOL, "globex:admin").is_empty());
    assert!(fake.pool_user(POOL, "carol@globex.com").is_some());
}

#[tokio::test]
async fn a_redrive_step_functions_refuses_is_told_refused_not_to_be_planned_again() {
    let fake = FakeBackend::new(ME).with_machine(
        MachineSeed::standard("orders").execution(ExecutionSeed::failed("run-2", "E", "c")),
    );
    let arn = fake.execution_arn("orders", "run-2");
    fake.fail_next(
        "RedriveExecution",
        ServiceError::new(
            ErrorKind::Other,
            Some("ExecutionNotRedrivable".into()),
            "Step Functions RedriveExecution failed: Execution can no longer be redriven",
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    let plan = change_plan(
        WorkflowChange::Redrive { execution_arn: arn },
        ME,
        "eu-west-1",
    )
    .map_actions(Change::Workflows);
    rt.spawn(Effect::Execute(
        approve(&Policy::default(), &plan, "y").unwrap(),
    ));
    let Msg::Executed { result, steps, .. } = next(&mut rx).await else {
        panic!("not the end of the change");
    };
    let error = result.unwrap_err();
    assert!(
        error.contains("AWS refused step 1, so it changed nothing (ExecutionNotRedrivable)"),
        "{error}"
    );
    let text = steps.join("\n");
    assert!(!text.contains("may have taken effect"), "{text}");
    assert!(
        !text.contains("plan the change again to complete it"),
        "{text}"
    );
    assert!(text.contains("the refused step changed nothing"), "{text}");
}

#[cfg(unix)]
#[tokio::test]
async fn exports_are_written_readable_by_the_user_only() {
    use std::os::unix::fs::PermissionsExt;
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Export {
        name: "tenants".into(),
        headers: vec!["tenant".into()],
        rows: vec![vec!["acme".into()]],
    });
    rt.spawn(Effect::ExportJson {
        name: "execution".into(),
        json: "{}".into(),
    });
    for _ in 0..2 {
        let Msg::Exported { result } = next(&mut rx).await else {
            panic!("not an export");
        };
        let path = result.unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{path}");
    }
}

#[tokio::test]
async fn the_tui_onboarding_of_an_existing_tenant_with_another_admin_is_refused_when_planned() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Tenants(TenantsEffect::Plan {
        request: RequestId(4),
        tenancy: tenancy(),
        target: target(),
        intent: Intent::OnboardTenant {
            tenant: "acme".into(),
            display_name: String::new(),
            admin_email: "mallory@example.com".into(),
        },
    }));
    let Msg::Tenants(TenantsMsg::Planned { result, .. }) = next(&mut rx).await else {
        panic!("not a plan");
    };
    let error = result.unwrap_err();
    assert!(error.contains("with admin(s) alice@acme.com"), "{error}");
    assert!(error.contains("users onboard --tenant acme"), "{error}");
    assert!(fake.changes().is_empty());
}

#[tokio::test]
async fn a_dns_change_from_the_dashboard_waits_for_insync_before_it_reports() {
    use opsdeck::domain::dns::{HostedZone, RecordSpec, ZoneTarget, plan_upsert};
    use opsdeck::services::fake::ZoneSeed;
    let fake = FakeBackend::new(ME)
        .with_zone(ZoneSeed::public("Z1", "example.com").simple(
            "www.example.com",
            "A",
            &["192.0.2.1"],
        ))
        .with_pending_changes(1);
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    let target = ZoneTarget {
        account_id: ME.into(),
        account_name: String::new(),
        zone: HostedZone {
            id: "Z1".into(),
            name: "example.com".into(),
            private: false,
            record_count: 1,
            comment: String::new(),
        },
    };
    let spec = RecordSpec {
        name: "www.example.com".into(),
        kind: "A".into(),
        ttl: None,
        values: vec!["192.0.2.2".into()],
        alias: None,
        set_identifier: None,
    };
    let plan = plan_upsert(&target, &spec, &fake.records("Z1"), false, "us-east-1")
        .unwrap()
        .map_actions(Change::Dns);
    rt.spawn(Effect::Execute(
        approve(&Policy::default(), &plan, "y").unwrap(),
    ));
    let mut waited = false;
    let steps = loop {
        match next(&mut rx).await {
            Msg::Progress { title, .. } => waited |= title.contains("waiting for INSYNC"),
            Msg::Executed { result, steps, .. } => {
                assert_eq!(result, Ok(()));
                break steps;
            }
            _ => {}
        }
    };
    assert!(waited, "the wait is shown as progress");
    assert_eq!(steps.len(), 1, "in sync: no report box, {steps:?}");
    assert_eq!(fake.calls().iter().filter(|c| *c == "GetChange").count(), 2);
    assert_eq!(fake.records("Z1")[0].values, ["192.0.2.2"]);
}
