//! The pane's messages (results of reads and plans) and effects (the reads and plans it asks the
//! runtime for), and how a message updates the pane.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::plan::to_change;
use super::user::detail_rows;
use super::{Counting, FoundRow, MemberRow, TenantRow, TenantsPane};
use crate::app::loadable::{Loadable, RequestId};
use crate::app::pane::{Ctx, PaneState};
use crate::domain::plan::{Change, Plan};
use crate::domain::tenancy::plan::{CognitoCall, Intent, Target};
use crate::domain::tenancy::users::{Counts, Tenancy, User, UserDetail};
use crate::domain::tenancy::{Group, Tenant, UserPool};
use crate::services::onboarding::{OnboardRequest, TenantRunbook};
use crate::services::org_tenants::{FoundUser, Models, PoolTenants};
use crate::services::scope::{Status, Target as Target0};
use crate::services::{ServiceError, UserFilter};

/// What a scan of the attribute model finds: tenants with counts, and the groups that are no
/// role's.
pub type ScanResult = (Vec<(Tenant, Counts)>, Vec<Group>);

#[derive(Debug)]
pub enum TenantsMsg {
    Pools {
        request: RequestId,
        result: Result<Vec<UserPool>, ServiceError>,
        at: DateTime<Utc>,
    },
    Groups {
        request: RequestId,
        result: Result<Vec<Group>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// The counts of one tenant; `request` is the tenant list's.
    Counted {
        request: RequestId,
        tenant: String,
        result: Result<Counts, ServiceError>,
    },
    /// The attribute-model scan read `users` users so far.
    ScanProgress { request: RequestId, users: usize },
    Scanned {
        request: RequestId,
        result: Result<ScanResult, ServiceError>,
        at: DateTime<Utc>,
    },
    Members {
        request: RequestId,
        result: Result<Vec<(String, Vec<User>)>, ServiceError>,
        at: DateTime<Utc>,
    },
    User {
        request: RequestId,
        result: Result<Option<UserDetail>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// One page of a search; `done` when no page follows.
    Found {
        request: RequestId,
        result: Result<Vec<User>, ServiceError>,
        done: bool,
        at: DateTime<Utc>,
    },
    /// A plan was made from what the pool holds (`Ok(None)`: nothing to do, with why).
    Planned {
        request: RequestId,
        result: Result<Option<Plan<CognitoCall>>, String>,
        nothing: String,
    },
    /// A plan across services (onboarding with the runbook) was made (`Ok(None)`: nothing to
    /// do, with why).
    PlannedChange {
        request: RequestId,
        result: Result<Option<Plan<Change>>, String>,
        nothing: String,
    },
    /// What the runbook says of the tenant on screen: its record(s) and onboarding executions.
    Runbook {
        request: RequestId,
        view: TenantRunbook,
    },
    /// An import file has bad rows: every one of them, with its line number. Nothing changed.
    ImportRejected {
        request: RequestId,
        file: String,
        errors: Vec<String>,
    },
    /// The organisation's tenants: the accounts are listed, `targets` account × region to read.
    OrgTargets { request: RequestId, targets: usize },
    /// One account × region read: its status and the tenants of each of its pools.
    OrgTarget {
        request: RequestId,
        target: Target0,
        status: Status,
        pools: Vec<PoolTenants>,
        at: DateTime<Utc>,
    },
    /// Every target answered (or the accounts could not be listed).
    OrgDone {
        request: RequestId,
        result: Result<(), ServiceError>,
        at: DateTime<Utc>,
    },
    /// `:user`: one account × region searched, where the user was found there.
    UserTarget {
        request: RequestId,
        target: Target0,
        status: Status,
        found: Vec<FoundUser>,
    },
    /// `:user`: every target answered (or the accounts could not be listed).
    UserDone {
        request: RequestId,
        result: Result<(), ServiceError>,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantsEffect {
    LoadPools {
        request: RequestId,
        account_id: String,
    },
    LoadGroups {
        request: RequestId,
        account_id: String,
        pool_id: String,
    },
    CountTenant {
        request: RequestId,
        account_id: String,
        pool_id: String,
        tenancy: Tenancy,
        tenant: Tenant,
    },
    /// Attribute model: scan the pool's users (with progress) for their tenants.
    ScanTenants {
        request: RequestId,
        account_id: String,
        pool_id: String,
        tenancy: Tenancy,
    },
    LoadMembers {
        request: RequestId,
        account_id: String,
        pool_id: String,
        tenancy: Tenancy,
        tenant: Tenant,
    },
    LoadUser {
        request: RequestId,
        account_id: String,
        pool_id: String,
        username: String,
    },
    /// Read and check a CSV file, read the pool, and plan the import.
    PlanImport {
        request: RequestId,
        tenancy: Tenancy,
        target: Target,
        tenant: String,
        path: String,
    },
    /// ListUsers with a filter, page by page (each page a `Found` message).
    SearchUsers {
        request: RequestId,
        account_id: String,
        pool_id: String,
        filter: UserFilter,
    },
    /// Read what the change depends on and plan it.
    Plan {
        request: RequestId,
        tenancy: Tenancy,
        target: Target,
        intent: Intent,
    },
    /// Read the tenant's record(s) and onboarding executions (`[onboarding]`), in `region`.
    LoadRunbook {
        request: RequestId,
        tenant: String,
        region: String,
    },
    /// Plan onboarding with the `[onboarding]` runbook: Cognito, the tenant's record and the
    /// provisioning workflow, as `tenants create` does.
    PlanOnboarding {
        request: RequestId,
        tenancy: Tenancy,
        target: Target,
        onboard: OnboardRequest,
    },
    /// `effect` with the clients of `region` (a tenant or user of another region).
    InRegion {
        region: String,
        effect: Box<TenantsEffect>,
    },
    /// The tenants of every pool of every account of the organisation × `regions`, each target
    /// answering as it is read (`OrgTargets`, `OrgTarget`..., `OrgDone`).
    LoadOrg { request: RequestId, org: OrgRead },
    /// `:user QUERY`: the user in every pool of every account of the organisation × the
    /// regions (`UserTarget` per account × region, then `UserDone`).
    FindUser {
        request: RequestId,
        query: String,
        org: OrgRead,
    },
}

/// How an organisation-wide read runs: the regions, each pool's tenant model, the pace per
/// account × region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRead {
    pub regions: Vec<String>,
    pub models: Models,
    /// Cognito calls per second per account × region (`scope.cognito_rps`).
    pub rps: u32,
    /// How long a throttled call keeps backing off (`concurrency.throttle_patience_secs`).
    pub patience: std::time::Duration,
}

impl TenantsPane {
    pub fn on_msg(&mut self, msg: TenantsMsg, ctx: &mut Ctx) {
        let Some(msg) = self.on_org_msg(msg, ctx) else {
            return;
        };
        let Some(msg) = self.on_find_msg(msg, ctx) else {
            return;
        };
        match msg {
            TenantsMsg::Pools {
                request,
                result,
                at,
            } => {
                if self.pools.loaded(request, result, at) && self.pools.items().len() == 1 {
                    // One pool: open it instead of asking the operator to pick the only choice.
                    self.pool = self.pools.items().first().cloned();
                    self.ensure_loaded(ctx);
                }
            }
            TenantsMsg::Groups {
                request,
                result,
                at,
            } => {
                if !self.tenants.awaits(request) {
                    return;
                }
                // A re-read keeps the counts made (not those still in flight: their answers
                // belong to the old list and are dropped, so they are asked again).
                let counted: HashMap<String, Counting> = self
                    .tenants
                    .items()
                    .iter()
                    .filter(|r| !matches!(r.counts, Counting::Loading))
                    .map(|r| (r.tenant.id.clone(), r.counts.clone()))
                    .collect();
                let tenancy = self.tenancy();
                let result = result.map(|groups| {
                    let (tenants, other) = tenancy.tenants_from_groups(&groups);
                    self.other_groups = other;
                    tenants
                        .into_iter()
                        .map(|tenant| TenantRow {
                            counts: counted
                                .get(&tenant.id)
                                .cloned()
                                .unwrap_or(Counting::NotAsked),
                            tenant,
                        })
                        .collect()
                });
                self.tenants.loaded(request, result, at);
                self.count_visible(ctx);
            }
            TenantsMsg::Counted {
                request,
                tenant,
                result,
            } => {
                if self.tenants_request() != Some(request) {
                    return;
                }
                if let Loadable::Ready { value, .. } = &mut self.tenants.list
                    && let Some(row) = value.iter_mut().find(|r| r.tenant.id == tenant)
                {
                    row.counts = match result {
                        Ok(c) => Counting::Ready(c),
                        Err(e) => Counting::Failed(e.to_string()),
                    };
                    // Sorted by a count, the rows take their place as counts arrive.
                    self.tenants.table.rows_changed();
                }
            }
            TenantsMsg::ScanProgress { request, users } => {
                if self.tenants.awaits(request) {
                    self.scanned = Some(users);
                }
            }
            TenantsMsg::Scanned {
                request,
                result,
                at,
            } => {
                if !self.tenants.awaits(request) {
                    return;
                }
                let result = result.map(|(tenants, other)| {
                    self.other_groups = other;
                    tenants
                        .into_iter()
                        .map(|(tenant, counts)| TenantRow {
                            tenant,
                            counts: Counting::Ready(counts),
                        })
                        .collect()
                });
                self.tenants.loaded(request, result, at);
            }
            TenantsMsg::Members {
                request,
                result,
                at,
            } => {
                let result = result.map(|roles| {
                    roles
                        .into_iter()
                        .flat_map(|(role, users)| {
                            users.into_iter().map(move |user| MemberRow {
                                role: role.clone(),
                                user,
                            })
                        })
                        .collect()
                });
                self.members.loaded(request, result, at);
            }
            TenantsMsg::User {
                request,
                result,
                at,
            } => {
                let tenancy = self.tenancy();
                if self.detail.awaits(request)
                    && let Ok(Some(d)) = &result
                {
                    self.user_facts =
                        Some((d.user.enabled, tenancy.memberships(&d.user, &d.groups)));
                }
                let result = result.and_then(|found| {
                    found.map(|d| detail_rows(&tenancy, &d)).ok_or_else(|| {
                        ServiceError::new(
                            crate::services::ErrorKind::NotFound,
                            Some("UserNotFoundException".into()),
                            "the user no longer exists (Esc goes back)",
                        )
                    })
                });
                self.detail.loaded(request, result, at);
            }
            TenantsMsg::Found {
                request,
                result,
                done,
                at,
            } => {
                if self.searching != Some(request) {
                    return;
                }
                if done || result.is_err() {
                    self.searching = None;
                }
                let result = result.map(|users| {
                    self.found_so_far.extend(users);
                    self.found_so_far
                        .iter()
                        .map(|user| FoundRow { user: user.clone() })
                        .collect()
                });
                // Each page settles the list again, so results show while the search goes on.
                self.found.list = Loadable::Loading { request };
                self.found.loaded(request, result, at);
            }
            TenantsMsg::Planned {
                request,
                result,
                nothing,
            } => {
                if self.planning != Some(request) {
                    return;
                }
                self.planning = None;
                match result {
                    Ok(Some(plan)) => ctx.confirm(to_change(plan)),
                    Ok(None) => ctx.notify(nothing, false),
                    Err(e) => ctx.notify(e, true),
                }
            }
            TenantsMsg::PlannedChange {
                request,
                result,
                nothing,
            } => {
                if self.planning != Some(request) {
                    return;
                }
                self.planning = None;
                match result {
                    Ok(Some(plan)) => ctx.confirm(plan),
                    Ok(None) => ctx.notify(nothing, false),
                    Err(e) => ctx.notify(e, true),
                }
            }
            TenantsMsg::Runbook { request, view } => {
                if self.across_request == Some(request) {
                    self.across_request = None;
                    self.across = super::across::lines(&view);
                }
            }
            TenantsMsg::OrgTargets { .. }
            | TenantsMsg::OrgTarget { .. }
            | TenantsMsg::OrgDone { .. }
            | TenantsMsg::UserTarget { .. }
            | TenantsMsg::UserDone { .. } => {}
            TenantsMsg::ImportRejected {
                request,
                file,
                errors,
            } => {
                if self.planning != Some(request) {
                    return;
                }
                self.planning = None;
                let title = format!("{file}: {} bad row(s); nothing was changed", errors.len());
                ctx.notify(title.clone(), true);
                ctx.report(title, errors);
            }
        }
    }
}
