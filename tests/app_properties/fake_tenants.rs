//! The fake Tenants service: pools, tenants, members and users, and plans from the real planner
//! (`plan_intent`) over a fake pool.

use opsdeck::app::RequestId;
use opsdeck::app::tenants::{TenantsEffect, TenantsMsg};
use opsdeck::domain::plan::{Danger, Pace, Plan, Step};
use opsdeck::domain::tenancy::plan::{
    CognitoCall, CognitoOp, Intent, PoolFacts, Target, TenantFacts, plan_intent,
};
use opsdeck::domain::tenancy::users::{Counts, Tenancy, User, UserDetail};
use opsdeck::domain::tenancy::{Group, UserPool};

use crate::fake::{ME, at, count, error, user};
use crate::scenario::Answer;

pub(crate) fn respond_tenants(
    effect: &TenantsEffect,
    answer: Answer,
    wrong: Option<RequestId>,
) -> Option<TenantsMsg> {
    let Answer { ok, variant } = answer;
    let id = |request: &RequestId| wrong.unwrap_or(*request);
    let fail = || error(variant);
    Some(match effect {
        // Another region's clients answer the same way.
        TenantsEffect::InRegion { effect, .. } => return respond_tenants(effect, answer, wrong),
        // The organisation's read: its answer or its failure to list the accounts.
        TenantsEffect::LoadOrg { request, .. } => TenantsMsg::OrgDone {
            request: id(request),
            result: if ok { Ok(()) } else { Err(fail()) },
            at: at(),
        },
        // `:user`: nothing found, or the accounts could not be listed.
        TenantsEffect::FindUser { request, .. } => TenantsMsg::UserDone {
            request: id(request),
            result: if ok { Ok(()) } else { Err(fail()) },
            at: at(),
        },
        TenantsEffect::LoadPools { request, .. } => TenantsMsg::Pools {
            request: id(request),
            result: if ok {
                Ok((0..count(variant, 4))
                    .map(|i| UserPool {
                        id: format!("eu-west-1_pool{i}"),
                        name: format!("pool-{i}"),
                    })
                    .collect())
            } else {
                Err(fail())
            },
            at: at(),
        },
        TenantsEffect::LoadGroups { request, .. } => TenantsMsg::Groups {
            request: id(request),
            result: if ok {
                let tenants = ["acme", "globex", "initech"];
                let roles = ["admin", "member", "readonly"];
                Ok(tenants
                    .iter()
                    .take(count(variant, 4))
                    .flat_map(|t| roles.iter().map(move |r| (t, r)))
                    .map(|(t, r)| Group {
                        name: format!("{t}:{r}"),
                        description: format!("{t} {r}s"),
                        precedence: None,
                    })
                    .chain(variant.is_multiple_of(2).then(|| Group {
                        name: "stray-group".into(),
                        description: String::new(),
                        precedence: Some(1),
                    }))
                    .collect())
            } else {
                Err(fail())
            },
            at: at(),
        },
        TenantsEffect::CountTenant {
            request, tenant, ..
        } => TenantsMsg::Counted {
            request: id(request),
            tenant: tenant.id.clone(),
            result: if ok {
                Ok(Counts {
                    users: count(variant, 7),
                    roles: [("admin".to_owned(), 1)].into(),
                })
            } else {
                Err(fail())
            },
        },
        TenantsEffect::ScanTenants { request, .. } => {
            if ok && variant.is_multiple_of(2) {
                TenantsMsg::ScanProgress {
                    request: id(request),
                    users: usize::from(variant),
                }
            } else {
                // A scan's result is the adapter's; here it only ever fails.
                TenantsMsg::Scanned {
                    request: id(request),
                    result: Err(fail()),
                    at: at(),
                }
            }
        }
        TenantsEffect::LoadMembers { request, .. } => TenantsMsg::Members {
            request: id(request),
            result: if ok {
                Ok(vec![
                    ("admin".into(), (0..count(variant, 3)).map(user).collect()),
                    (
                        "member".into(),
                        (3..3 + count(variant, 5)).map(user).collect(),
                    ),
                ])
            } else {
                Err(fail())
            },
            at: at(),
        },
        TenantsEffect::LoadUser {
            request, username, ..
        } => TenantsMsg::User {
            request: id(request),
            result: match (ok, variant % 3) {
                (false, _) => Err(fail()),
                (true, 0) => Ok(None),
                (true, _) => Ok(Some(UserDetail {
                    user: User {
                        username: username.clone(),
                        ..user(1)
                    },
                    mfa: vec!["SOFTWARE_TOKEN_MFA".into()],
                    preferred_mfa: None,
                    groups: vec!["acme:admin".into()],
                })),
            },
            at: at(),
        },
        TenantsEffect::SearchUsers { request, .. } => TenantsMsg::Found {
            request: id(request),
            result: if ok {
                Ok((0..count(variant, 6)).map(user).collect())
            } else {
                Err(fail())
            },
            done: !variant.is_multiple_of(3),
            at: at(),
        },
        TenantsEffect::PlanImport {
            request,
            tenancy,
            target,
            tenant,
            path,
        } => match (ok, variant % 8) {
            (false, v) if v % 2 == 0 => TenantsMsg::ImportRejected {
                request: id(request),
                file: path.clone(),
                errors: vec!["line 2: email is not an email address".into()],
            },
            (false, _) => TenantsMsg::Planned {
                request: id(request),
                result: Err(format!("cannot read {path}: No such file or directory")),
                nothing: String::new(),
            },
            (true, v) => TenantsMsg::Planned {
                request: id(request),
                result: if v == 0 {
                    Ok(None)
                } else {
                    import_plan(tenancy, target, tenant, variant)
                },
                nothing: "every row is already in the tenant with its role: nothing to do".into(),
            },
        },
        TenantsEffect::LoadRunbook { request, .. } => TenantsMsg::Runbook {
            request: id(request),
            view: Default::default(),
        },
        // The combined onboarding plan: nothing to do, or a refusal the app shows.
        TenantsEffect::PlanOnboarding { request, .. } => TenantsMsg::PlannedChange {
            request: id(request),
            result: if ok {
                Ok(None)
            } else {
                Err("key `onboarding.dns.zone`: no such zone; nothing was changed".into())
            },
            nothing: "nothing to do: tenant acme is onboarded".into(),
        },
        TenantsEffect::Plan {
            request,
            tenancy,
            target,
            intent,
        } => TenantsMsg::Planned {
            request: id(request),
            result: match (ok, variant % 8) {
                (false, _) => Err("AccessDenied: cannot read the pool".into()),
                (true, 0) => Ok(None),
                // A planner that answers with some other plan: the app shows what it is given.
                (true, 1) => Ok(Some(other_plan(variant))),
                // What the runtime does: read the pool (here: a fake one), then the real planner.
                (true, _) => plan_intent(
                    tenancy,
                    target,
                    &pool_facts(),
                    intent,
                    pool_user(intent, &tenancy.roles, variant).as_ref(),
                    // Mostly no users: a tenant deletion without `--force` is planned.
                    &TenantFacts {
                        users: usize::from(variant % 5 == 4),
                        admins: Vec::new(),
                    },
                ),
            },
            nothing: intent.nothing_to_do(),
        },
    })
}

/// A plan for something else than was asked (a tenant deletion in the caller's account), normal or
/// destructive.
fn other_plan(variant: u8) -> Plan<CognitoCall> {
    let steps = (0..1 + count(variant, 3))
        .map(|i| Step {
            service: "cognito-idp",
            operation: "DeleteGroup",
            target: format!("acme:role{i}"),
            summary: format!("delete group acme:role{i}"),
            pace: Pace::Free,
            action: CognitoCall {
                account_id: ME.into(),
                pool_id: "eu-west-1_pool0".into(),
                op: CognitoOp::DeleteGroup {
                    group: format!("acme:role{i}"),
                },
            },
        })
        .collect();
    Plan {
        basis: None,
        title: "Delete tenant acme".into(),
        account_id: ME.into(),
        region: "eu-west-1".into(),
        steps,
        danger: if variant.is_multiple_of(2) {
            Danger::Normal
        } else {
            Danger::Destructive {
                confirm_text: "acme".into(),
            }
        },
    }
}

/// The tenants of the fake pool: the ones `LoadGroups` lists, each with every role group.
const TENANTS: [&str; 3] = ["acme", "globex", "initech"];

fn pool_facts() -> PoolFacts {
    PoolFacts {
        groups: TENANTS
            .iter()
            .flat_map(|t| ["admin", "member", "readonly"].map(|r| format!("{t}:{r}")))
            .collect(),
        defines_attribute: true,
    }
}

/// The user an intent names, as the planner reads it from the fake pool: in the intent's tenant
/// with some role (and sometimes in another tenant too), confirmed with a verified email or
/// still waiting for a first sign-in, enabled or not as the intent needs; `None` (no such user)
/// for a new onboarding's email now and then.
fn pool_user(intent: &Intent, roles: &[String], variant: u8) -> Option<UserDetail> {
    let username = intent.user()?.to_owned();
    let tenant = match intent {
        Intent::OnboardUser { tenant, .. }
        | Intent::SetRole { tenant, .. }
        | Intent::Remove { tenant, .. } => tenant.clone(),
        _ => "acme".to_owned(),
    };
    let onboarding = matches!(
        intent,
        Intent::OnboardTenant { .. } | Intent::OnboardUser { .. }
    );
    if onboarding && variant % 4 != 1 {
        return None;
    }
    let mut groups = Vec::new();
    if !onboarding {
        let role = &roles[usize::from(variant / 8) % roles.len()];
        groups.push(format!("{tenant}:{role}"));
    }
    if variant & 0x40 != 0 {
        groups.push("globex:member".into());
    }
    let status = match intent {
        Intent::ResendInvitation { .. } if variant & 0x20 == 0 => "FORCE_CHANGE_PASSWORD",
        Intent::ResendInvitation { .. } => "CONFIRMED",
        _ if variant & 0x30 == 0x30 => "FORCE_CHANGE_PASSWORD",
        _ => "CONFIRMED",
    };
    let enabled = match intent {
        Intent::SetEnabled { enabled, .. } => !enabled || variant & 0x80 != 0,
        _ => true,
    };
    Some(UserDetail {
        user: User {
            username: username.clone(),
            email: if username.contains('@') {
                username.clone()
            } else {
                format!("{username}@example.com")
            },
            status: status.into(),
            enabled,
            created: Some(at()),
            modified: None,
            attributes: vec![("email_verified".into(), "true".into())],
        },
        mfa: Vec::new(),
        preferred_mfa: None,
        groups,
    })
}

/// A bulk import of one to three new users, planned as the runtime does (the onboarding calls of
/// each row, one plan, normal danger).
fn import_plan(
    tenancy: &Tenancy,
    target: &Target,
    tenant: &str,
    variant: u8,
) -> Result<Option<Plan<CognitoCall>>, String> {
    let rows = 1 + count(variant, 3);
    let mut steps = Vec::new();
    for i in 0..rows {
        let intent = Intent::OnboardUser {
            tenant: tenant.to_owned(),
            email: format!("new-{i}@example.com"),
            role: tenancy.roles[i % tenancy.roles.len()].clone(),
        };
        if let Some(plan) = plan_intent(
            tenancy,
            target,
            &pool_facts(),
            &intent,
            None,
            &TenantFacts::default(),
        )? {
            steps.extend(plan.steps);
        }
    }
    Ok((!steps.is_empty()).then(|| Plan {
        basis: None,
        title: format!("Import {rows} user(s) into tenant {tenant}"),
        account_id: target.account_id.clone(),
        region: target.region.clone(),
        steps,
        danger: Danger::Normal,
    }))
}
