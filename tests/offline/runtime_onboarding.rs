//! The dashboard's onboarding with the `[onboarding]` runbook: the runtime plans the same one plan
//! as `tenants create` (Cognito, the tenant's record in the zone's account, the provisioning
//! workflow's start) and the one executor runs it.

use std::path::Path;

use tokio::sync::mpsc::UnboundedReceiver;

use opsdeck::app::tenants::{TenantsEffect, TenantsMsg};
use opsdeck::app::{Effect, Msg, RequestId};
use opsdeck::domain::plan::{Change, Plan};
use opsdeck::mutation::{Policy, approve, check_policy};
use opsdeck::runtime::{Runtime, RuntimeConfig};
use opsdeck::services::fake::{FakeBackend, MachineSeed, ZoneSeed};
use opsdeck::services::onboarding::OnboardRequest;

use crate::support::{ME, POOL, acme, next, runtime_config, runtime_with, target, tenancy};

const DNS_ACCOUNT: &str = "222222222222";
const ZONE: &str = "Z0APPS";

const RUNBOOK: &str = r#"
[onboarding.dns]
zone = "apps.example.com"
name = "{tenant}.apps.example.com"
type = "CNAME"
values = ["edge.apps.example.com"]
ttl = 300

[onboarding.workflow]
state_machine = "tenant-provision"
input = '{"tenant": "{tenant}", "plan": "{plan}"}'
name = "onboard-{tenant}"
"#;

fn world() -> FakeBackend {
    FakeBackend::new(ME)
        .with_pool(acme())
        .with_account(DNS_ACCOUNT, "dns")
        .with_zone_in(DNS_ACCOUNT, ZoneSeed::public(ZONE, "apps.example.com"))
        .with_machine(MachineSeed::standard("tenant-provision"))
}

fn runtime(fake: &FakeBackend, dir: &Path) -> (Runtime, UnboundedReceiver<Msg>) {
    let parsed = opsdeck::config::parse_str(RUNBOOK, Path::new("/test/config.toml")).unwrap();
    let config = RuntimeConfig {
        onboarding: parsed.onboarding,
        ..runtime_config(dir)
    };
    runtime_with(fake, config)
}

fn onboard(vars: &[&str]) -> Effect {
    Effect::Tenants(TenantsEffect::PlanOnboarding {
        request: RequestId(7),
        tenancy: tenancy(),
        target: target(),
        onboard: OnboardRequest {
            tenant: "globex".into(),
            display_name: String::new(),
            admin_email: "carol@globex.com".into(),
            vars: vars.iter().map(|v| (*v).to_owned()).collect(),
        },
    })
}

async fn planned(
    rx: &mut UnboundedReceiver<Msg>,
) -> (Result<Option<Plan<Change>>, String>, String) {
    match next(rx).await {
        Msg::Tenants(TenantsMsg::PlannedChange {
            request,
            result,
            nothing,
        }) => {
            assert_eq!(request, RequestId(7));
            (result, nothing)
        }
        other => panic!("not a plan: {other:?}"),
    }
}

#[tokio::test]
async fn the_dashboards_onboarding_plans_and_runs_one_plan_across_cognito_dns_and_the_workflow() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(onboard(&["plan=gold"]));
    let (result, _) = planned(&mut rx).await;
    let plan = result.unwrap().expect("something to do");
    assert!(
        plan.title.contains("DNS globex.apps.example.com"),
        "{}",
        plan.title
    );
    assert!(
        plan.title.contains("workflow tenant-provision"),
        "{}",
        plan.title
    );
    let kinds: Vec<&str> = plan
        .steps
        .iter()
        .map(|s| match s.action {
            Change::Tenants(_) => "cognito",
            Change::Dns(_) => "dns",
            Change::Workflows(_) => "workflow",
        })
        .collect();
    let dns = kinds.iter().position(|k| *k == "dns").unwrap();
    assert_eq!(kinds.last(), Some(&"workflow"), "{kinds:?}");
    assert!(kinds[..dns].iter().all(|k| *k == "cognito"), "{kinds:?}");
    assert!(
        plan.steps[dns].summary.contains(DNS_ACCOUNT),
        "{}",
        plan.steps[dns].summary
    );
    // Read-only for the zone's account refuses the whole plan before any call.
    let policy = Policy {
        read_only: false,
        read_only_accounts: [DNS_ACCOUNT.to_owned()].into_iter().collect(),
    };
    assert!(check_policy(&policy, &plan).is_err());

    rt.spawn(Effect::Execute(
        approve(&Policy::default(), &plan, "y").unwrap(),
    ));
    let executed = loop {
        if let Msg::Executed { result, steps, .. } = next(&mut rx).await {
            break (result, steps);
        }
    };
    assert_eq!(executed.0, Ok(()), "{:?}", executed.1);
    assert_eq!(fake.members(POOL, "globex:admin"), ["carol@globex.com"]);
    assert!(
        fake.records(ZONE)
            .iter()
            .any(|r| r.name == "globex.apps.example.com." || r.name == "globex.apps.example.com")
    );
    let arn = fake.execution_arn("tenant-provision", "onboard-globex");
    let detail = fake
        .execution_detail(&arn)
        .expect("the workflow was started");
    assert!(format!("{detail:?}").contains("gold"), "{detail:?}");

    // The tenant's view reads its record and its onboarding execution in the background.
    rt.spawn(Effect::Tenants(TenantsEffect::LoadRunbook {
        request: RequestId(8),
        tenant: "globex".into(),
        region: "eu-west-1".into(),
    }));
    let Msg::Tenants(TenantsMsg::Runbook { request, view }) = next(&mut rx).await else {
        panic!("not the runbook's view");
    };
    assert_eq!(request, RequestId(8));
    let records = view.dns.unwrap().unwrap();
    assert_eq!(records.account_id, DNS_ACCOUNT);
    assert_eq!(records.records.len(), 1, "{records:?}");
    let runs = view.executions.unwrap().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].name, "onboard-globex");

    // Planned again: nothing is missing.
    rt.spawn(onboard(&["plan=gold"]));
    let (result, nothing) = planned(&mut rx).await;
    assert!(result.unwrap().is_none());
    assert!(nothing.contains("nothing to do"), "{nothing}");
}

#[tokio::test]
async fn a_variable_the_runbook_needs_and_was_not_given_is_refused_before_any_call() {
    let fake = world();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(onboard(&[]));
    let (result, _) = planned(&mut rx).await;
    let e = result.unwrap_err();
    assert!(e.contains("plan"), "{e}");
    assert!(e.contains("nothing was changed"), "{e}");
    assert!(fake.changes().is_empty());
}
