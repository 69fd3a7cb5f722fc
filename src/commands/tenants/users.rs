//! `opsdeck users ...`: list, show, onboard, set-role, remove, disable, enable, reset-password,
//! resend-invitation and import, all through the same plans as the TUI.

use std::io::Write;

use super::{OpenPool, open, run_intent, run_plan_paced, tenant_members};
use crate::cli::tenants::UsersCommand;
use crate::commands::Context;
use crate::domain::plan::Plan;
use crate::domain::sanitize::sanitize;
use crate::domain::tenancy::import;
use crate::domain::tenancy::plan::{CognitoCall, Intent};
use crate::domain::tenancy::users::{Membership, Model, User, UserDetail};
use crate::rows::tenants::{Attributes, UserRow, UserShow};
use crate::rows::{write_record, write_rows};
use crate::services::tenant_planning::{self, PlanError};
use crate::services::{UserFilter, tenant_queries as queries};
use crate::{exit, files};

impl UserShow {
    pub fn of(pool: &OpenPool, d: &UserDetail) -> UserShow {
        UserShow {
            username: d.user.username.clone(),
            email: d.user.email.clone(),
            status: d.user.status.clone(),
            enabled: d.user.enabled,
            created: d.user.created,
            modified: d.user.modified,
            tenants: pool.tenancy.memberships(&d.user, &d.groups),
            groups: d.groups.clone(),
            mfa: d.mfa.clone(),
            preferred_mfa: d.preferred_mfa.clone(),
            attributes: Attributes(d.user.attributes.clone()),
        }
    }
}

fn row(user: &User, tenants: Vec<Membership>) -> UserRow {
    UserRow {
        username: user.username.clone(),
        email: user.email.clone(),
        status: user.status.clone(),
        enabled: user.enabled,
        created: user.created,
        tenants,
    }
}

pub async fn run(
    ctx: &Context,
    command: UsersCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    match command {
        UsersCommand::Find {
            query,
            output,
            scope,
        } => super::find::run(ctx, &query, output, &scope, out, err).await,
        UsersCommand::List {
            tenant,
            email_prefix,
            pool: args,
        } => {
            let pool = open(ctx, &args).await?;
            let rows = list(ctx, &pool, tenant.as_deref(), email_prefix.as_deref()).await?;
            write_rows(out, args.output, &rows)?;
            Ok(exit::SUCCESS)
        }
        UsersCommand::Show {
            username,
            pool: args,
        } => {
            let pool = open(ctx, &args).await?;
            let user = pool.require_user(ctx, &username).await?;
            write_record(out, args.output, &UserShow::of(&pool, &user))?;
            Ok(exit::SUCCESS)
        }
        UsersCommand::Onboard {
            tenant,
            email,
            role,
            pool: args,
            change,
        } => {
            let intent = Intent::OnboardUser {
                tenant,
                email,
                role,
            };
            run_intent(ctx, &args, intent, change, out, err).await
        }
        UsersCommand::SetRole {
            username,
            tenant,
            role,
            pool: args,
            change,
        } => {
            let intent = Intent::SetRole {
                username,
                tenant,
                role,
            };
            run_intent(ctx, &args, intent, change, out, err).await
        }
        UsersCommand::Remove {
            username,
            tenant,
            delete_user,
            pool: args,
            change,
        } => {
            let intent = Intent::Remove {
                username,
                tenant,
                delete_user,
            };
            run_intent(ctx, &args, intent, change, out, err).await
        }
        UsersCommand::Disable {
            username,
            pool: args,
            change,
        } => {
            let intent = Intent::SetEnabled {
                username,
                enabled: false,
            };
            run_intent(ctx, &args, intent, change, out, err).await
        }
        UsersCommand::Enable {
            username,
            pool: args,
            change,
        } => {
            let intent = Intent::SetEnabled {
                username,
                enabled: true,
            };
            run_intent(ctx, &args, intent, change, out, err).await
        }
        UsersCommand::ResetPassword {
            username,
            pool: args,
            change,
        } => {
            let intent = Intent::ResetPassword { username };
            run_intent(ctx, &args, intent, change, out, err).await
        }
        UsersCommand::ResendInvitation {
            username,
            pool: args,
            change,
        } => {
            let intent = Intent::ResendInvitation { username };
            run_intent(ctx, &args, intent, change, out, err).await
        }
        UsersCommand::Import {
            tenant,
            file,
            rate,
            pool: args,
            change,
        } => {
            // The file first: a bad one is refused before any call to AWS.
            let text = files::read_text(&file, files::CSV)
                .map_err(|e| anyhow::anyhow!("the import file {} {e}", file.display()))?;
            let pool = open(ctx, &args).await?;
            let rows = match import::parse(&pool.tenancy, &text) {
                Ok(rows) => rows,
                Err(errors) => {
                    for e in &errors {
                        writeln!(err, "{}: {}", file.display(), sanitize(&e.to_string()))?;
                    }
                    anyhow::bail!(
                        "{} has {} bad row(s); nothing was changed: fix them and run again",
                        file.display(),
                        errors.len()
                    );
                }
            };
            let rate = rate.unwrap_or(ctx.config.cognito.import_rate);
            if rate == 0 {
                anyhow::bail!("--rate must be at least 1 user per second");
            }
            let plan = import_plan(ctx, &pool, &tenant, &rows).await?;
            let Some(plan) = plan else {
                writeln!(
                    out,
                    "every row of {} is already in tenant {} with its role: nothing to do",
                    file.display(),
                    sanitize(&tenant)
                )?;
                return Ok(exit::SUCCESS);
            };
            let code = run_plan_paced(ctx, &plan, change, Some(rate), out, err).await?;
            Ok(code)
        }
    }
}

/// The users of the pool, of one tenant, or whose email starts with a prefix (server-side),
/// each with every tenant and role they hold.
pub async fn list(
    ctx: &Context,
    pool: &OpenPool,
    tenant: Option<&str>,
    email_prefix: Option<&str>,
) -> anyhow::Result<Vec<UserRow>> {
    let backend = ctx.backend.as_ref();
    let filter = email_prefix.map(|p| UserFilter::EmailPrefix(p.to_owned()));
    let users: Vec<User> = match (tenant, &pool.tenancy.model, &filter) {
        // The tenant's role groups hold exactly its users: no need to scan the pool.
        (Some(t), Model::Groups(_), None) => {
            let mut users: Vec<User> = tenant_members(ctx, pool, t)
                .await?
                .into_iter()
                .flat_map(|(_, users)| users)
                .collect();
            users.sort_by(|a, b| a.username.cmp(&b.username));
            users.dedup_by(|a, b| a.username == b.username);
            users
        }
        _ => queries::scan_users(backend, &pool.account, &pool.pool, filter.as_ref(), |_| {})
            .await
            .map_err(|e| pool.missing_pool(e))?,
    };
    if let (Some(t), Model::Attribute) = (tenant, &pool.tenancy.model)
        && !users
            .iter()
            .any(|u| u.attribute(&pool.tenancy.attribute) == Some(t))
    {
        anyhow::bail!(
            "unknown tenant {}: no user of pool {} has {} = {0}",
            sanitize(t),
            pool.pool,
            pool.tenancy.attribute
        );
    }
    // Memberships: one read per user, or one per role group, whichever is fewer calls.
    let groups = pool.groups(ctx).await?;
    let index = if users.len() <= groups.len() {
        queries::memberships_of(backend, &pool.account, &pool.pool, &pool.tenancy, &users).await?
    } else {
        queries::membership_index(backend, &pool.account, &pool.pool, &pool.tenancy, &groups)
            .await?
            .0
    };
    let mut rows: Vec<UserRow> = users
        .iter()
        .map(|u| row(u, index.get(&u.username).cloned().unwrap_or_default()))
        .filter(|r| tenant.is_none_or(|t| r.tenants.iter().any(|m| m.tenant == t)))
        .collect();
    rows.sort_by(|a, b| a.username.cmp(&b.username));
    Ok(rows)
}

/// The import plan of the whole file, from what the pool holds now.
async fn import_plan(
    ctx: &Context,
    pool: &OpenPool,
    tenant: &str,
    rows: &[import::ImportRow],
) -> anyhow::Result<Option<Plan<CognitoCall>>> {
    tenant_planning::import(
        ctx.backend.as_ref(),
        &pool.tenancy,
        &pool.target,
        tenant,
        rows,
    )
    .await
    .map_err(|e| match e {
        PlanError::Invalid(m) => anyhow::Error::msg(m),
        PlanError::Service(e) => pool.missing_pool(e).context(super::PLANNING_FAILED),
    })
}
