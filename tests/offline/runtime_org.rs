//! The runtime's organisation-wide Tenants reads against the fake: the tenants of every pool of
//! every account × region, each target answering with its status, and a tenant's users read with
//! the clients of the region it lives in.

use std::time::Duration;

use opsdeck::app::tenants::{OrgRead, TenantsEffect, TenantsMsg};
use opsdeck::app::{Effect, Msg, RequestId};
use opsdeck::domain::tenancy::Tenant;
use opsdeck::services::fake::{FakeBackend, PoolSeed, UserSeed};
use opsdeck::services::org_tenants::Models;

use crate::support::{ME, next, runtime, tenancy};

const EU: &str = "222222222222";
const DENIED: &str = "333333333333";

fn org() -> FakeBackend {
    FakeBackend::new(ME)
        .with_account(EU, "prod-eu")
        .with_account(DENIED, "locked")
        .with_denied_account(DENIED)
        .with_pool(crate::support::acme())
        .with_pool_in(
            EU,
            PoolSeed::new("eu-west-1_globex", "globex-users")
                .group("globex:member", "Globex", 2)
                .user(UserSeed::new("zed@globex.com").in_group("globex:member")),
        )
}

#[tokio::test]
async fn the_organisations_tenants_stream_in_with_a_status_per_target() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Tenants(TenantsEffect::LoadOrg {
        request: RequestId(3),
        org: OrgRead {
            regions: vec!["eu-west-1".into(), "us-east-1".into()],
            models: Models::single(tenancy()),
            rps: 0,
            patience: Duration::ZERO,
        },
    }));
    let Msg::Tenants(TenantsMsg::OrgTargets { targets, .. }) = next(&mut rx).await else {
        panic!()
    };
    assert_eq!(targets, 6);
    let mut seen = Vec::new();
    loop {
        match next(&mut rx).await {
            Msg::Tenants(TenantsMsg::OrgTarget {
                request,
                target,
                status,
                pools,
                ..
            }) => {
                assert_eq!(request, RequestId(3));
                let tenants: Vec<String> = pools
                    .iter()
                    .flat_map(|p| p.tenants.iter().map(|(t, _)| t.id.clone()))
                    .collect();
                seen.push((target.account.id, target.region, status.word(), tenants));
            }
            Msg::Tenants(TenantsMsg::OrgDone { result, .. }) => {
                assert!(result.is_ok());
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    seen.sort();
    let t = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        seen,
        [
            (ME.into(), "eu-west-1".into(), "ok", t(&["acme"])),
            (ME.into(), "us-east-1".into(), "ok", t(&["acme"])),
            (EU.into(), "eu-west-1".into(), "ok", t(&["globex"])),
            (EU.into(), "us-east-1".into(), "ok", t(&["globex"])),
            (DENIED.into(), "eu-west-1".into(), "denied", t(&[])),
            (DENIED.into(), "us-east-1".into(), "denied", t(&[])),
        ]
    );
    // No counts with the list: the dashboard counts the tenants on screen only.
    assert_eq!(
        fake.calls_in(EU),
        ["ListUserPools", "ListGroups", "ListUserPools", "ListGroups"]
    );
}

#[tokio::test]
async fn a_tenant_of_another_account_and_region_is_read_with_that_regions_clients() {
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Tenants(TenantsEffect::InRegion {
        region: "us-east-1".into(),
        effect: Box::new(TenantsEffect::LoadMembers {
            request: RequestId(9),
            account_id: EU.into(),
            pool_id: "eu-west-1_globex".into(),
            tenancy: tenancy(),
            tenant: Tenant {
                id: "globex".into(),
                description: String::new(),
                roles: vec!["member".into()],
            },
        }),
    }));
    let Msg::Tenants(TenantsMsg::Members {
        request, result, ..
    }) = next(&mut rx).await
    else {
        panic!()
    };
    assert_eq!(request, RequestId(9));
    let members = result.unwrap();
    assert_eq!(members[0].1[0].username, "zed@globex.com");
    assert_eq!(fake.calls_in(EU), ["ListUsersInGroup"]);
    assert_eq!(
        fake.calls_by_region(),
        [("ListUsersInGroup".to_owned(), "us-east-1".to_owned())]
    );
}

#[tokio::test]
async fn a_tenants_change_planned_for_another_region_is_made_with_that_regions_clients() {
    use opsdeck::domain::plan::Change;
    use opsdeck::domain::tenancy::plan::{Intent, Target};
    use opsdeck::mutation::{Policy, approve};
    let fake = org();
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    let target = Target {
        account_id: EU.into(),
        region: "us-east-1".into(),
        pool_id: "eu-west-1_globex".into(),
    };
    rt.spawn(Effect::Tenants(TenantsEffect::InRegion {
        region: "us-east-1".into(),
        effect: Box::new(TenantsEffect::Plan {
            request: RequestId(3),
            tenancy: tenancy(),
            target,
            intent: Intent::SetEnabled {
                username: "zed@globex.com".into(),
                enabled: false,
            },
        }),
    }));
    let Msg::Tenants(TenantsMsg::Planned { result, .. }) = next(&mut rx).await else {
        panic!("not a plan");
    };
    let plan = result
        .unwrap()
        .expect("something to do")
        .map_actions(Change::Tenants);
    assert_eq!(
        (plan.account_id.as_str(), plan.region.as_str()),
        (EU, "us-east-1")
    );
    // Disabling is destructive: the username typed.
    rt.spawn(Effect::Execute(
        approve(&Policy::default(), &plan, "zed@globex.com").unwrap(),
    ));
    loop {
        if let Msg::Executed { result, .. } = next(&mut rx).await {
            assert!(result.is_ok(), "{result:?}");
            break;
        }
    }
    let made: Vec<(String, String)> = fake
        .calls_by_region()
        .into_iter()
        .filter(|(op, _)| op == "AdminDisableUser")
        .collect();
    assert_eq!(
        made,
        [("AdminDisableUser".to_owned(), "us-east-1".to_owned())]
    );
}

#[tokio::test]
async fn user_is_found_in_every_account_with_a_status_per_target() {
    let fake = org().with_pool_in(
        EU,
        PoolSeed::new("eu-west-1_more", "more").user(UserSeed::new("alice@acme.com")),
    );
    let dir = tempfile::tempdir().unwrap();
    let (mut rt, mut rx) = runtime(&fake, dir.path());
    rt.spawn(Effect::Tenants(TenantsEffect::FindUser {
        request: RequestId(4),
        query: "alice@acme.com".into(),
        org: OrgRead {
            regions: vec!["eu-west-1".into()],
            models: Models::single(tenancy()),
            rps: 0,
            patience: Duration::ZERO,
        },
    }));
    let mut seen = Vec::new();
    loop {
        match next(&mut rx).await {
            Msg::Tenants(TenantsMsg::UserTarget {
                target,
                status,
                found,
                ..
            }) => {
                for u in &found {
                    seen.push((u.account_id.clone(), u.pool_id.clone()));
                }
                if status.error().is_some() {
                    seen.push((target.account.id.clone(), status.word().to_owned()));
                }
            }
            Msg::Tenants(TenantsMsg::UserDone {
                request, result, ..
            }) => {
                assert_eq!(request, RequestId(4));
                assert!(result.is_ok());
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            (ME.to_owned(), "eu-west-1_acme".to_owned()),
            (EU.to_owned(), "eu-west-1_more".to_owned()),
            (DENIED.to_owned(), "denied".to_owned()),
        ]
    );
}
