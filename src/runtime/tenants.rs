//! Runs the Tenants pane's effects: reads paced by the adapter, results back as messages.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::mpsc::UnboundedSender;

use super::{Backends, RuntimeConfig, log_failure};
use crate::app::Msg;
use crate::app::loadable::RequestId;
use crate::app::tenants::{OrgRead, TenantsEffect, TenantsMsg};
use crate::domain::tenancy::import;
use crate::domain::tenancy::users::tenants_from_scan;
use crate::files;
use crate::services::onboarding::{self, Env};
use crate::services::org_tenants::{TenantsRead, find_user, tenants_of_target};
use crate::services::scope::{ScopePlan, fan_out, targets};
use crate::services::tenant_planning::{self as planning, PlanError};
use crate::services::{Backend, InventoryPlan, tenant_queries as queries};

pub(super) fn spawn(
    effect: TenantsEffect,
    backends: Backends,
    tx: UnboundedSender<Msg>,
    config: &RuntimeConfig,
) {
    match effect {
        // A tenant or user opened in another region: the effect inside runs with its clients.
        TenantsEffect::InRegion { region, effect } => {
            spawn_in(*effect, backends.at(&region), tx, config);
        }
        TenantsEffect::LoadOrg { request, org } => spawn_org(request, org, backends, tx, config),
        TenantsEffect::FindUser {
            request,
            query,
            org,
        } => spawn_find(request, query, org, backends, tx, config),
        other => spawn_in(other, backends.at(""), tx, config),
    }
}

/// Runs one pool's effect with `backend`, the clients of the pool's region.
fn spawn_in(
    effect: TenantsEffect,
    backend: Arc<dyn Backend>,
    tx: UnboundedSender<Msg>,
    config: &RuntimeConfig,
) {
    let send = move |msg: TenantsMsg| {
        // The app may have quit: nobody is left to tell.
        let _ = tx.send(Msg::Tenants(msg));
    };
    match effect {
        TenantsEffect::LoadPools {
            request,
            account_id,
        } => {
            tokio::spawn(async move {
                let result = backend.user_pools(&account_id).await;
                log_failure("user_pools", &result);
                send(TenantsMsg::Pools {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        TenantsEffect::LoadGroups {
            request,
            account_id,
            pool_id,
        } => {
            tokio::spawn(async move {
                let result = backend.groups(&account_id, &pool_id).await;
                log_failure("groups", &result);
                send(TenantsMsg::Groups {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        TenantsEffect::CountTenant {
            request,
            account_id,
            pool_id,
            tenancy,
            tenant,
        } => {
            tokio::spawn(async move {
                let result = queries::role_members(
                    backend.as_ref(),
                    &account_id,
                    &pool_id,
                    &tenancy,
                    &tenant,
                )
                .await
                .map(|members| queries::counts(&members));
                log_failure("count_tenant", &result);
                send(TenantsMsg::Counted {
                    request,
                    tenant: tenant.id,
                    result,
                });
            });
        }
        TenantsEffect::ScanTenants {
            request,
            account_id,
            pool_id,
            tenancy,
        } => {
            tokio::spawn(async move {
                let progress = send.clone();
                let scan = async {
                    let users = queries::scan_users(
                        backend.as_ref(),
                        &account_id,
                        &pool_id,
                        None,
                        |users| progress(TenantsMsg::ScanProgress { request, users }),
                    )
                    .await?;
                    let groups = backend.groups(&account_id, &pool_id).await?;
                    let (index, _) = queries::membership_index(
                        backend.as_ref(),
                        &account_id,
                        &pool_id,
                        &tenancy,
                        &groups,
                    )
                    .await?;
                    let role_members: Vec<(String, Vec<String>)> = tenancy
                        .roles
                        .iter()
                        .map(|role| {
                            let members = index
                                .iter()
                                .filter(|(_, ms)| ms.iter().any(|m| &m.role == role))
                                .map(|(u, _)| u.clone())
                                .collect();
                            (role.clone(), members)
                        })
                        .collect();
                    let tenants = tenants_from_scan(&tenancy, &users, &role_members);
                    let other = groups
                        .into_iter()
                        .filter(|g| !tenancy.roles.contains(&g.name))
                        .collect();
                    Ok((tenants, other))
                };
                let result = scan.await;
                log_failure("scan_tenants", &result);
                send(TenantsMsg::Scanned {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        TenantsEffect::LoadMembers {
            request,
            account_id,
            pool_id,
            tenancy,
            tenant,
        } => {
            tokio::spawn(async move {
                let result = queries::tenant_members(
                    backend.as_ref(),
                    &account_id,
                    &pool_id,
                    &tenancy,
                    &tenant,
                )
                .await;
                log_failure("tenant_members", &result);
                send(TenantsMsg::Members {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        TenantsEffect::LoadUser {
            request,
            account_id,
            pool_id,
            username,
        } => {
            tokio::spawn(async move {
                let result = backend.user(&account_id, &pool_id, &username).await;
                log_failure("user", &result);
                send(TenantsMsg::User {
                    request,
                    result,
                    at: Utc::now(),
                });
            });
        }
        TenantsEffect::PlanImport {
            request,
            tenancy,
            target,
            tenant,
            path,
        } => {
            tokio::spawn(async move {
                // The file once, with a size cap and only if it is a regular file.
                let read = {
                    let path = std::path::PathBuf::from(&path);
                    tokio::task::spawn_blocking(move || files::read_text(&path, files::CSV)).await
                };
                let text = match read {
                    Ok(Ok(text)) => Ok(text),
                    Ok(Err(e)) => Err(format!("the import file {path} {e}")),
                    Err(e) => Err(format!("could not read {path}: {e}")),
                };
                // Every bad row of the file, each with its line number, before anything changes.
                let rows = match text.map(|text| import::parse(&tenancy, &text)) {
                    Err(message) => Err(message),
                    Ok(Ok(rows)) => Ok(rows),
                    Ok(Err(errors)) => {
                        send(TenantsMsg::ImportRejected {
                            request,
                            file: path,
                            errors: errors.iter().map(ToString::to_string).collect(),
                        });
                        return;
                    }
                };
                let planned = async {
                    let rows = rows?;
                    planning::import(backend.as_ref(), &tenancy, &target, &tenant, &rows)
                        .await
                        .map_err(|e| match e {
                            PlanError::Service(e) => format!("could not plan the import: {e}"),
                            PlanError::Invalid(m) => m.replace('\n', "; "),
                        })
                };
                let result = planned.await;
                send(TenantsMsg::Planned {
                    request,
                    result,
                    nothing: "every row is already in the tenant with its role: nothing to do"
                        .into(),
                });
            });
        }
        TenantsEffect::SearchUsers {
            request,
            account_id,
            pool_id,
            filter,
        } => {
            tokio::spawn(async move {
                let mut token = None;
                loop {
                    let page = backend
                        .users_page(&account_id, &pool_id, Some(&filter), token)
                        .await;
                    log_failure("search_users", &page);
                    let (result, next) = match page {
                        Ok(page) => (Ok(page.users), page.next),
                        Err(e) => (Err(e), None),
                    };
                    let done = next.is_none();
                    send(TenantsMsg::Found {
                        request,
                        result,
                        done,
                        at: Utc::now(),
                    });
                    if done {
                        break;
                    }
                    token = next;
                }
            });
        }
        TenantsEffect::Plan {
            request,
            tenancy,
            target,
            intent,
        } => {
            tokio::spawn(async move {
                let nothing = intent.nothing_to_do();
                let result = planning::plan(backend.as_ref(), &tenancy, &target, intent)
                    .await
                    .map_err(|e| match e {
                        PlanError::Service(e) => {
                            log_failure::<()>("plan", &Err(e.clone()));
                            format!("could not plan the change: {e}")
                        }
                        PlanError::Invalid(m) => m,
                    });
                send(TenantsMsg::Planned {
                    request,
                    result,
                    nothing,
                });
            });
        }
        // Taken apart above.
        TenantsEffect::InRegion { .. }
        | TenantsEffect::LoadOrg { .. }
        | TenantsEffect::FindUser { .. } => {}
        TenantsEffect::LoadRunbook {
            request,
            tenant,
            region,
        } => {
            let env = runbook_env(backend, region, config);
            let runbook = config.onboarding.clone();
            tokio::spawn(async move {
                let view = onboarding::tenant_runbook(&env, &runbook, &tenant).await;
                send(TenantsMsg::Runbook { request, view });
            });
        }
        TenantsEffect::PlanOnboarding {
            request,
            tenancy,
            target,
            onboard,
        } => {
            // The same planning as `tenants create`, in the dashboard's region.
            let env = runbook_env(backend, target.region.clone(), config);
            let runbook = config.onboarding.clone();
            tokio::spawn(async move {
                let tenant = onboard.tenant.clone();
                let made =
                    onboarding::plan_onboarding(&env, &runbook, &tenancy, &target, onboard).await;
                let (result, nothing) = match made {
                    Ok(made) => (Ok(made.plan(&target.region)), made.nothing),
                    Err(e) => {
                        tracing::warn!(error = %e, "plan_onboarding failed");
                        (
                            Err(format!("{e}; nothing was changed")),
                            format!("tenant {tenant}"),
                        )
                    }
                };
                send(TenantsMsg::PlannedChange {
                    request,
                    result,
                    nothing,
                });
            });
        }
    }
}

/// The pacing of an organisation-wide Cognito read: the fan-out's bound, `scope.cognito_rps`.
fn org_plan(config: &RuntimeConfig, org: &OrgRead) -> ScopePlan {
    ScopePlan {
        concurrency: config.concurrency,
        rps: org.rps,
        throttle_patience: org.patience,
    }
}

/// Every account of the organisation × `regions` (the listing read with the current region's
/// clients); a failed listing is logged and returned.
async fn org_targets(
    directory: &crate::services::AccountDirectory,
    backends: &Backends,
    regions: &[String],
) -> Result<Vec<crate::services::scope::Target>, crate::services::ServiceError> {
    let result = directory.load(backends.at("").as_ref()).await;
    log_failure("list_accounts", &result);
    Ok(targets(&result?.accounts, regions))
}

/// The tenants of every pool of every account of the organisation × `org.regions`, each target
/// answering as it is read (with the clients of each region the runtime keeps).
pub(super) fn spawn_org(
    request: RequestId,
    org: OrgRead,
    backends: Backends,
    tx: UnboundedSender<Msg>,
    config: &RuntimeConfig,
) {
    let directory = config.directory.clone();
    let plan = org_plan(config, &org);
    tokio::spawn(async move {
        let send = |msg: TenantsMsg| {
            let _ = tx.send(Msg::Tenants(msg));
        };
        let targets = match org_targets(&directory, &backends, &org.regions).await {
            Ok(targets) => targets,
            Err(e) => {
                return send(TenantsMsg::OrgDone {
                    request,
                    result: Err(e),
                    at: Utc::now(),
                });
            }
        };
        send(TenantsMsg::OrgTargets {
            request,
            targets: targets.len(),
        });
        let backend_for = move |region: &str| backends.at(region);
        let models = Arc::new(org.models);
        fan_out(
            targets,
            &backend_for,
            &plan,
            |backend, target, pace| {
                let models = models.clone();
                // Counts are read for the rows on screen only (`CountTenant`), as in one pool.
                let read_as = TenantsRead::default();
                async move { tenants_of_target(backend, target, pace, &models, read_as).await }
            },
            |s| {
                if let Some(e) = &s.read.error {
                    tracing::warn!(target = %s.target.label(), error = %e, "organisation tenants");
                }
                send(TenantsMsg::OrgTarget {
                    request,
                    target: s.target.clone(),
                    status: s.status.clone(),
                    pools: s.read.items.clone(),
                    at: Utc::now(),
                });
            },
        )
        .await;
        send(TenantsMsg::OrgDone {
            request,
            result: Ok(()),
            at: Utc::now(),
        });
    });
}

/// `:user QUERY`: the user in every pool of every account × `org.regions`, each target answering
/// as it is searched (with the clients of each region the runtime keeps).
pub(super) fn spawn_find(
    request: RequestId,
    query: String,
    org: OrgRead,
    backends: Backends,
    tx: UnboundedSender<Msg>,
    config: &RuntimeConfig,
) {
    let directory = config.directory.clone();
    let plan = org_plan(config, &org);
    tokio::spawn(async move {
        let send = |msg: TenantsMsg| {
            let _ = tx.send(Msg::Tenants(msg));
        };
        let targets = match org_targets(&directory, &backends, &org.regions).await {
            Ok(targets) => targets,
            Err(e) => {
                return send(TenantsMsg::UserDone {
                    request,
                    result: Err(e),
                    at: Utc::now(),
                });
            }
        };
        let backend_for = move |region: &str| backends.at(region);
        let models = Arc::new(org.models);
        let query = Arc::new(query);
        fan_out(
            targets,
            &backend_for,
            &plan,
            |backend, target, pace| {
                let (models, query) = (models.clone(), query.clone());
                async move { find_user(backend, target, pace, &models, &query).await }
            },
            |s| {
                if let Some(e) = &s.read.error {
                    tracing::warn!(target = %s.target.label(), error = %e, "find user");
                }
                send(TenantsMsg::UserTarget {
                    request,
                    target: s.target.clone(),
                    status: s.status.clone(),
                    found: s.read.items.clone(),
                });
            },
        )
        .await;
        send(TenantsMsg::UserDone {
            request,
            result: Ok(()),
            at: Utc::now(),
        });
    });
}

/// Where the runbook is read and planned: the dashboard's credentials and region.
fn runbook_env(backend: Arc<dyn Backend>, region: String, config: &RuntimeConfig) -> Env {
    Env {
        backend,
        region,
        directory: config.directory.clone(),
        inventory: InventoryPlan {
            concurrency: config.concurrency,
            route53_rps: config.route53_rps,
            throttle_patience: config.throttle_patience,
        },
    }
}
