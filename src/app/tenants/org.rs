//! The Tenants pane across the organisation: with `State::scope` at `Organisation`, the tenant
//! list is the tenants of every user pool of every account × region (read in the background, each
//! account × region answering as it is read, with its status), and `Enter` opens a tenant in its
//! own account, region and pool: a [`Place`]. While a place is open, every read and every plan of
//! the pane goes there (effects wrapped in `TenantsEffect::InRegion`, plans made for its account
//! and region, read-only checked for its account before a form opens).

use chrono::{DateTime, Utc};

use super::msg::OrgRead;
use super::{Counting, TenantsEffect, TenantsMsg, TenantsPane, View};
use crate::app::Effect;
use crate::app::list::{ListPane, Listing};
use crate::app::loadable::{Loadable, RequestId};
use crate::app::pane::Ctx;
use crate::app::scope::Scope;
use crate::app::table::SortKey;
use crate::domain::tenancy::users::Tenancy;
use crate::domain::tenancy::{Tenant, UserPool};
use crate::rows::Cells;
use crate::rows::tenants::account_text;
use crate::services::org_tenants::Models;
use crate::services::scope::{Status, Target};

/// Where a tenant or user opened from the organisation lives: its account, region and pool, and
/// the pool's tenant model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    pub pool: UserPool,
    pub tenancy: Tenancy,
    /// The tenant opened there (with the roles that have a group), if a tenant was opened.
    pub tenant: Option<Tenant>,
}

impl Place {
    /// `name (id) region · pool`, for titles.
    pub fn label(&self) -> String {
        format!(
            "{} {} · {}",
            account_text(&self.account_name, &self.account_id),
            self.region,
            if self.pool.name.is_empty() {
                &self.pool.id
            } else {
                &self.pool.name
            }
        )
    }
}

/// A row of the organisation's tenant list: a tenant of one pool, or an account × region that
/// could not be read (its status in place of a pool).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    /// The tenant and where it lives; `None` on a target's problem row.
    pub place: Option<Place>,
    /// Read with the list (attribute model), or for the rows on screen (groups model).
    pub counts: Counting,
    /// `denied: ...`, `throttled: ...`, `failed: ...` for a target that could not be read.
    pub problem: Option<String>,
}

impl Cells for OrgRow {
    fn headers() -> &'static [&'static str] {
        &["ACCOUNT", "REGION", "POOL", "TENANT", "USERS", "ROLES"]
    }

    fn cells(&self) -> Vec<String> {
        let account = account_text(&self.account_name, &self.account_id);
        let Some(p) = self.place.as_ref().filter(|_| self.problem.is_none()) else {
            // The problem in the tenant's column: the one that always stays on screen.
            return vec![
                account,
                self.region.clone(),
                String::new(),
                self.problem.clone().unwrap_or_default(),
                String::new(),
                String::new(),
            ];
        };
        let tenant = p.tenant.as_ref();
        let role_names = tenant.map(|t| t.roles.join(" ")).unwrap_or_default();
        let (users, roles) = match (&self.counts, tenant) {
            (Counting::Ready(c), Some(t)) => (
                c.users.to_string(),
                t.roles
                    .iter()
                    .map(|r| format!("{r}={}", c.roles.get(r).copied().unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            (Counting::Loading, _) => ("…".to_owned(), role_names),
            (Counting::Failed(e), _) => ("?".to_owned(), format!("counts failed: {e}")),
            _ => (String::new(), role_names),
        };
        vec![
            account,
            p.region.clone(),
            if p.pool.name.is_empty() {
                p.pool.id.clone()
            } else {
                p.pool.name.clone()
            },
            tenant.map(|t| t.id.clone()).unwrap_or_default(),
            users,
            roles,
        ]
    }
}

impl Listing for OrgRow {
    fn key(&self) -> String {
        match self.place.as_ref().and_then(|p| p.tenant.as_ref()) {
            Some(t) => t.id.clone(),
            None => self.account_id.clone(),
        }
    }

    fn sort_key(&self, column: usize) -> SortKey {
        match (column, &self.counts) {
            (4, Counting::Ready(c)) => SortKey::Number(c.users as f64),
            (4, _) => SortKey::Empty,
            _ => self
                .cells()
                .get(column)
                .map_or(SortKey::Empty, |c| SortKey::cell(c)),
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        let tenant = self.place.as_ref().and_then(|p| p.tenant.as_ref());
        let mut fields = vec![
            (
                "TENANT".to_owned(),
                tenant.map(|t| t.id.clone()).unwrap_or_default(),
            ),
            (
                "ACCOUNT".to_owned(),
                account_text(&self.account_name, &self.account_id),
            ),
            ("REGION".to_owned(), self.region.clone()),
        ];
        if let Some(p) = &self.place {
            fields.push((
                "POOL".to_owned(),
                format!("{} ({})", p.pool.name, p.pool.id),
            ));
        }
        if let Some(t) = tenant {
            fields.push(("DESCRIPTION".to_owned(), t.description.clone()));
        }
        let cells = self.cells();
        fields.push(("USERS".to_owned(), cells[4].clone()));
        fields.push(("ROLES".to_owned(), cells[5].clone()));
        if let Some(problem) = &self.problem {
            fields.push(("STATUS".to_owned(), problem.clone()));
        }
        fields
    }
}

/// How far the organisation's read has come, for the title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgProgress {
    /// Account × region targets to read (known once the accounts are listed).
    pub targets: Option<usize>,
    pub answered: usize,
    /// Targets that could not be read, by status word.
    pub problems: Vec<&'static str>,
}

impl OrgProgress {
    /// `4/6 account × region · 1 denied · 1 throttled`.
    pub fn text(&self) -> String {
        let mut out = match self.targets {
            Some(n) => format!("{}/{n} account×region", self.answered),
            None => "listing the accounts".to_owned(),
        };
        for word in ["denied", "throttled", "failed"] {
            let n = self.problems.iter().filter(|w| **w == word).count();
            if n > 0 {
                out.push_str(&format!(" · {n} {word}"));
            }
        }
        out
    }
}

/// What the organisation-wide reads need from the config.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgSettings {
    /// Each pool's tenant model (`[[cognito.pools]]`); `None`: every pool with the pane's.
    pub models: Option<Models>,
    /// Cognito calls per second per account × region (`scope.cognito_rps`).
    pub rps: u32,
    /// How long a throttled call keeps backing off.
    pub patience: std::time::Duration,
    /// `[scope] regions` (`:user` searches them; empty: the current region).
    pub regions: Vec<String>,
}

impl TenantsPane {
    /// Is the pane reading the whole organisation (`State::scope`)?
    pub fn organisation(&self) -> bool {
        matches!(self.scope, Scope::Organisation { .. })
    }

    /// How an organisation-wide read of `regions` runs.
    pub(super) fn org_read(&self, regions: Vec<String>) -> OrgRead {
        OrgRead {
            regions,
            models: self
                .org_settings
                .models
                .clone()
                .unwrap_or_else(|| Models::single(self.tenancy_here())),
            rps: self.org_settings.rps,
            patience: self.org_settings.patience,
        }
    }

    /// The organisation's tenant list, read when not read yet for this scope.
    pub(super) fn ensure_org_loaded(&mut self, ctx: &mut Ctx) {
        let regions = match &self.scope {
            Scope::Organisation { regions } if !regions.is_empty() => regions.clone(),
            _ => ctx.region.clone().into_iter().collect(),
        };
        // The list is keyed by the scope instead of an account.
        let key = format!("org × {}", regions.join(","));
        let saved = ctx.account.replace(key);
        let load = self.org.load_if_needed(ctx);
        ctx.account = saved;
        if let Some((request, _)) = load {
            self.org_request = Some(request);
            self.org_so_far.clear();
            self.org_counting.clear();
            self.org_progress = OrgProgress::default();
            let org = self.org_read(regions);
            ctx.run(Effect::Tenants(TenantsEffect::LoadOrg { request, org }));
        }
        self.count_org_visible(ctx);
    }

    /// Ask for the counts of the tenants on screen that have none yet, each in its account,
    /// region and pool (groups model: one ListUsersInGroup per role group).
    fn count_org_visible(&mut self, ctx: &mut Ctx) {
        let window: Vec<usize> = self.org.table.window(ctx.rows.max(1)).to_vec();
        let Loadable::Ready { value, .. } = &mut self.org.list else {
            return;
        };
        let mut asked = Vec::new();
        for i in window {
            let Some(row) = value.get_mut(i) else {
                continue;
            };
            let Some(place) = row
                .place
                .as_ref()
                .filter(|_| row.counts == Counting::NotAsked)
            else {
                continue;
            };
            let Some(tenant) = place.tenant.clone() else {
                continue;
            };
            row.counts = Counting::Loading;
            let request = ctx.request();
            asked.push(count_key(row));
            self.org_counting.insert(request, count_key(row));
            let effect = TenantsEffect::CountTenant {
                request,
                account_id: place.account_id.clone(),
                pool_id: place.pool.id.clone(),
                tenancy: place.tenancy.clone(),
                tenant,
            };
            ctx.run(in_place(Some(place), effect));
        }
        // The rows still streaming in keep the same state when the list settles again.
        for row in &mut self.org_so_far {
            if asked.contains(&count_key(row)) {
                row.counts = Counting::Loading;
            }
        }
    }

    /// `Enter` on a tenant of the organisation's list: its users, in its account, region, pool.
    pub(super) fn open_org_tenant(&mut self, ctx: &mut Ctx) {
        let Some(row) = self.org.selected() else {
            return;
        };
        if let Some(problem) = &row.problem {
            let text = format!(
                "{} {}: {problem}",
                account_text(&row.account_name, &row.account_id),
                row.region
            );
            return ctx.notify(text, true);
        }
        let Some(place) = row.place.clone() else {
            return;
        };
        let Some(tenant) = place.tenant.clone() else {
            return;
        };
        self.place = Some(place);
        self.tenant = Some(tenant.id);
        self.members = ListPane::default();
        self.close_user();
    }

    /// What the open place shows (its tenant's users, or a user), read there when not read yet.
    pub(super) fn ensure_place_loaded(&mut self, ctx: &mut Ctx) {
        let Some(place) = self.place.clone() else {
            return;
        };
        // Lists are keyed by the place's account; reads carry its pool and go to its region.
        let saved = ctx.account.replace(place.account_id.clone());
        let saved_region = ctx.region.replace(place.region.clone());
        let pool_id = place.pool.id.clone();
        match self.view() {
            View::Members => {
                if let Some(tenant) = place.tenant.clone()
                    && let Some((request, account_id)) = self.members.load_if_needed(ctx)
                {
                    self.load_across(&tenant.id, ctx);
                    let effect = self.effect(TenantsEffect::LoadMembers {
                        request,
                        account_id,
                        pool_id,
                        tenancy: place.tenancy.clone(),
                        tenant,
                    });
                    ctx.run(effect);
                }
            }
            View::User => {
                if let Some(username) = self.user.clone()
                    && let Some((request, account_id)) = self.detail.load_if_needed(ctx)
                {
                    let effect = self.effect(TenantsEffect::LoadUser {
                        request,
                        account_id,
                        pool_id,
                        username,
                    });
                    ctx.run(effect);
                }
            }
            _ => {}
        }
        ctx.account = saved;
        ctx.region = saved_region;
    }

    /// Run `effect` where the pane works: in the open place's region when one is open.
    pub(super) fn effect(&self, effect: TenantsEffect) -> Effect {
        in_place(self.place.as_ref(), effect)
    }

    /// Leave the place once neither its tenant nor a user of it is open.
    pub(super) fn leave_place_if_done(&mut self) {
        if self.tenant.is_none() && self.user.is_none() {
            self.place = None;
        }
    }

    /// The organisation's messages; any other is handed back.
    pub(super) fn on_org_msg(&mut self, msg: TenantsMsg, ctx: &mut Ctx) -> Option<TenantsMsg> {
        match msg {
            TenantsMsg::Counted {
                request,
                tenant: _,
                result,
            } if self.org_counting.contains_key(&request) => {
                let key = self.org_counting.remove(&request).unwrap_or_default();
                let counts = match result {
                    Ok(c) => Counting::Ready(c),
                    Err(e) => Counting::Failed(e.to_string()),
                };
                let same = |r: &OrgRow| count_key(r) == key;
                if let Loadable::Ready { value, .. } = &mut self.org.list {
                    for row in value.iter_mut().filter(|r| same(r)) {
                        row.counts = counts.clone();
                    }
                }
                for row in self.org_so_far.iter_mut().filter(|r| same(r)) {
                    row.counts = counts.clone();
                }
                // Sorted by a count, the rows take their place as counts arrive.
                self.org.table.rows_changed();
            }
            TenantsMsg::OrgTargets { request, targets } => {
                if self.org_request == Some(request) {
                    self.org_progress.targets = Some(targets);
                }
            }
            TenantsMsg::OrgTarget {
                request,
                target,
                status,
                pools,
                at,
            } => {
                if self.org_request != Some(request) {
                    return None;
                }
                self.org_progress.answered += 1;
                if status.error().is_some() {
                    self.org_progress.problems.push(status.word());
                }
                self.org_so_far.extend(rows_of(&target, &status, pools));
                // A first read shows each target as it answers; a re-read keeps the rows on
                // screen until every target has answered.
                if self.org.refreshing != Some(request) {
                    self.settle_org(request, at);
                    self.count_org_visible(ctx);
                }
            }
            TenantsMsg::OrgDone {
                request,
                result,
                at,
            } => {
                if self.org_request != Some(request) {
                    return None;
                }
                self.org_request = None;
                match result {
                    Ok(()) => {
                        self.settle_org(request, at);
                        self.count_org_visible(ctx);
                    }
                    Err(e) => {
                        self.org.list = Loadable::Loading { request };
                        self.org.loaded(request, Err(e), at);
                    }
                }
            }
            other => return Some(other),
        }
        None
    }

    fn settle_org(&mut self, request: RequestId, at: DateTime<Utc>) {
        if self.org.refreshing != Some(request) {
            self.org.list = Loadable::Loading { request };
        }
        self.org.loaded(request, Ok(self.org_so_far.clone()), at);
    }
}

/// Which row a count answers: its account, region, pool and tenant.
fn count_key(row: &OrgRow) -> String {
    let p = row.place.as_ref();
    format!(
        "{} {} {} {}",
        row.account_id,
        row.region,
        p.map_or("", |p| p.pool.id.as_str()),
        p.and_then(|p| p.tenant.as_ref())
            .map_or("", |t| t.id.as_str())
    )
}

/// `effect` in `place`'s region, when there is a place.
pub(super) fn in_place(place: Option<&Place>, effect: TenantsEffect) -> Effect {
    Effect::Tenants(match place {
        Some(p) => TenantsEffect::InRegion {
            region: p.region.clone(),
            effect: Box::new(effect),
        },
        None => effect,
    })
}

/// The rows of one target: a row per tenant of each pool, and one saying why it could not be
/// read, if it could not (what it read before failing stays).
fn rows_of(
    target: &Target,
    status: &Status,
    pools: Vec<crate::services::org_tenants::PoolTenants>,
) -> Vec<OrgRow> {
    let row = |place: Option<Place>, counts: Counting, problem: Option<String>| OrgRow {
        account_id: target.account.id.clone(),
        account_name: target.account.name.clone(),
        region: target.region.clone(),
        place,
        counts,
        problem,
    };
    let mut rows = Vec::new();
    for p in pools {
        for (tenant, counts) in p.tenants {
            let place = Place {
                account_id: target.account.id.clone(),
                account_name: target.account.name.clone(),
                region: target.region.clone(),
                pool: p.pool.clone(),
                tenancy: p.tenancy.clone(),
                tenant: Some(tenant),
            };
            let counts = if p.counted {
                Counting::Ready(counts)
            } else {
                Counting::NotAsked
            };
            rows.push(row(Some(place), counts, None));
        }
    }
    if let Some(e) = status.error() {
        rows.push(row(
            None,
            Counting::NotAsked,
            Some(format!("{}: {e}", status.word())),
        ));
    }
    rows
}
