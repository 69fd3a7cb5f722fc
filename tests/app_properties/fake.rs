//! The fake services' answers: `respond` turns an effect the app emitted into the message a
//! service would send back (the panes' own effects in fake_tenants.rs, fake_dns.rs and
//! fake_workflows.rs); the accounts, users and errors they share; and the answers with rows that
//! settling picks.

use chrono::{DateTime, TimeZone, Utc};

use opsdeck::app::tenants::{TenancySettings, TenantsEffect};
use opsdeck::app::workflows::WorkflowsEffect;
use opsdeck::app::{Effect, Msg, RequestId};
use opsdeck::domain::account::{
    Access, AccessVia, Account, AccountList, AccountSource, CallerIdentity,
};
use opsdeck::domain::tenancy::GroupPattern;
use opsdeck::domain::tenancy::users::User;
use opsdeck::services::{ErrorKind, ServiceError};

use crate::fake_dns::respond_dns;
use crate::fake_tenants::respond_tenants;
use crate::fake_workflows::respond_workflows;
use crate::scenario::Answer;

pub(crate) fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

pub(crate) const ME: &str = "111111111111";

pub(crate) fn error(variant: u8) -> ServiceError {
    let (kind, code) = match variant % 5 {
        0 => (ErrorKind::Denied, "AccessDenied"),
        1 => (ErrorKind::Throttled, "ThrottlingException"),
        2 => (ErrorKind::NotFound, "ResourceNotFoundException"),
        3 => (ErrorKind::Unavailable, "ServiceUnavailable"),
        _ => (ErrorKind::Network, "dispatch failure"),
    };
    ServiceError::new(kind, Some(code.into()), format!("fake {code}"))
}

fn me() -> CallerIdentity {
    CallerIdentity {
        account_id: ME.into(),
        arn: format!("arn:aws:sts::{ME}:assumed-role/Admin/alice"),
        user_id: "AROA:alice".into(),
    }
}

pub(crate) fn accounts(variant: u8, read_only_bits: u8) -> Vec<Account> {
    // Sometimes none: an empty table must have no selection.
    let n = usize::from(variant % 5);
    (0..n)
        .map(|i| Account {
            id: format!("{}", 111_111_111_111u64 * (i as u64 + 1)),
            name: format!("acct-{i}"),
            email: format!("aws+{i}@example.com"),
            status: "ACTIVE".into(),
            read_only: read_only_bits & (1 << i) != 0,
        })
        .collect()
}

pub(crate) fn user(i: usize) -> User {
    User {
        username: format!("user-{i}"),
        email: format!("user-{i}@example.com"),
        status: "CONFIRMED".into(),
        enabled: !i.is_multiple_of(3),
        created: Some(at()),
        modified: None,
        attributes: vec![("custom:tenant".into(), "acme".into())],
    }
}

pub(crate) fn count(variant: u8, n: u8) -> usize {
    usize::from(variant % n)
}

/// The message a fake service sends back for `effect`, its request id replaced by `wrong` when
/// given; `None` for effects that are answered only by the runtime itself (suspend, region).
pub(crate) fn respond(
    effect: &Effect,
    answer: Answer,
    wrong: Option<RequestId>,
    read_only_bits: u8,
) -> Vec<Msg> {
    let Answer { ok, variant } = answer;
    let id = |request: &RequestId| wrong.unwrap_or(*request);
    let fail = || error(variant);
    match effect {
        Effect::LoadIdentity { request } => vec![Msg::Identity {
            request: id(request),
            result: if ok { Ok(me()) } else { Err(fail()) },
            at: at(),
        }],
        Effect::LoadAccounts { request } => vec![Msg::Accounts {
            request: id(request),
            result: if ok {
                Ok(AccountList {
                    accounts: accounts(variant, read_only_bits),
                    source: AccountSource::Organizations,
                })
            } else {
                Err(fail())
            },
            at: at(),
        }],
        Effect::CheckAccess {
            list_request,
            account_id,
        } => vec![Msg::Access {
            list_request: id(list_request),
            account_id: account_id.clone(),
            result: if ok {
                Ok(Access {
                    identity: me(),
                    via: AccessVia::AssumedRole,
                })
            } else {
                Err(fail())
            },
        }],
        Effect::Tenants(effect) => respond_tenants(effect, answer, wrong)
            .map(Msg::Tenants)
            .into_iter()
            .collect(),
        Effect::Dns(effect) => respond_dns(effect, answer, wrong)
            .into_iter()
            .map(Msg::Dns)
            .collect(),
        Effect::Workflows(effect) => respond_workflows(effect, answer, wrong)
            .map(Msg::Workflows)
            .into_iter()
            .collect(),
        Effect::Execute(approved) => {
            let plan = approved.plan();
            let total = plan.steps.len();
            vec![
                Msg::Progress {
                    title: plan.title.clone(),
                    done: total / 2,
                    total,
                },
                Msg::Executed {
                    title: plan.title.clone(),
                    result: if ok {
                        Ok(())
                    } else {
                        Err("AccessDenied".into())
                    },
                    steps: plan.steps.iter().map(|s| s.summary.clone()).collect(),
                    nothing_to_do: None,
                    replanned: None,
                },
            ]
        }
        Effect::Credentials(effect) => {
            use opsdeck::app::credentials::{CredentialsEffect as E, CredentialsMsg as M};
            let need = |problem: Option<&str>| M::NeedCode {
                profile: "ops".into(),
                serial: "arn:aws:iam::111122223333:mfa/ann".into(),
                problem: problem.map(str::to_owned),
            };
            let ready = |profile: Option<String>| M::Ready {
                profile,
                mfa: true,
                left: Some(std::time::Duration::from_secs(60 * u64::from(variant))),
            };
            let msg = match effect {
                E::Use => return Vec::new(),
                _ if !ok => M::Failed {
                    message: "AccessDenied".into(),
                },
                E::Code(_) if variant.is_multiple_of(2) => need(Some("the MFA code was refused")),
                E::Code(_) => ready(None),
                E::Resolve { .. } | E::Login { .. } if variant.is_multiple_of(3) => need(None),
                E::Resolve { profile, .. } | E::Login { profile, .. } => ready(profile.clone()),
            };
            vec![Msg::Credentials(msg)]
        }
        // The search runs as the runtime runs it; a wrong generation must be dropped.
        Effect::TableJob(job) => job
            .run()
            .map(|answer| Msg::TableJobDone {
                generation: if wrong.is_some() {
                    job.generation() + 1_000_000
                } else {
                    job.generation()
                },
                answer,
            })
            .into_iter()
            .collect(),
        Effect::Copy { .. } => vec![Msg::Copied {
            what: "row".into(),
            result: if ok {
                Ok(())
            } else {
                Err("no clipboard".into())
            },
        }],
        Effect::Export { .. } | Effect::ExportJson { .. } => vec![Msg::Exported {
            result: if ok {
                Ok("/tmp/export.csv".into())
            } else {
                Err("read-only file system".into())
            },
        }],
        Effect::EditExternally { pane, text } => vec![Msg::Edited {
            pane: *pane,
            result: if ok {
                Ok(if variant.is_multiple_of(2) {
                    text.clone()
                } else {
                    format!("{text}\n{{ \"edited\": [1, 2")
                })
            } else {
                Err("no editor".into())
            },
        }],
        Effect::SwitchRegion { .. } | Effect::Suspend | Effect::Bell => Vec::new(),
    }
}

pub(crate) fn tenancy() -> TenancySettings {
    TenancySettings {
        pool_id: None,
        pattern: GroupPattern::parse("{tenant}:{role}").unwrap(),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
    }
}

/// A variant of the answer to `effect` that has rows (a pool or two, tenants, members, machines,
/// executions, a user, a plan), so that settling fills the panes instead of emptying them.
pub(crate) fn rows_variant(effect: &Effect, v: u8) -> u8 {
    let nonzero = |n: u8| {
        if v.is_multiple_of(n) {
            v.wrapping_add(1)
        } else {
            v
        }
    };
    match effect {
        // Two to four accounts, so that another can be made current.
        Effect::LoadAccounts { .. } => 2 + v % 3,
        Effect::Tenants(TenantsEffect::LoadPools { .. }) => {
            // One pool opens by itself; two must be chosen with Enter.
            if v.is_multiple_of(4) { 2 } else { 1 }
        }
        Effect::Tenants(TenantsEffect::LoadGroups { .. }) => 1 + v % 3,
        Effect::Tenants(TenantsEffect::LoadMembers { .. }) => nonzero(15),
        Effect::Tenants(TenantsEffect::LoadUser { .. }) => nonzero(3),
        Effect::Tenants(TenantsEffect::SearchUsers { .. }) => nonzero(6),
        // A plan from the planner (not nothing to do, not some other plan).
        Effect::Tenants(TenantsEffect::Plan { .. } | TenantsEffect::PlanImport { .. }) => {
            if v % 8 < 2 { v.wrapping_add(2) } else { v }
        }
        Effect::Workflows(WorkflowsEffect::LoadMachines { .. }) => {
            // Standard machines (m0, m1) have a history; m2 is express.
            1 + v % 3
        }
        Effect::Workflows(
            WorkflowsEffect::LoadExecutions { .. } | WorkflowsEffect::LoadCounts { .. },
        ) => 3 + v % 3,
        _ => v,
    }
}
