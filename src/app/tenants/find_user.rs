//! `:user EMAIL_OR_USERNAME`: the user looked up in every pool of every account of the
//! organisation × the scope's regions (`[scope] regions`, else the current region), as `users
//! find --all-accounts` does, in the background. Where it was found streams into a list; when
//! every account × region has answered, one match opens the user at once in its own account,
//! region and pool, several stay listed to pick from (`Enter` opens), none says so.

use chrono::{DateTime, Utc};

use super::org::Place;
use super::{TenantsEffect, TenantsMsg, TenantsPane};
use crate::app::Effect;
use crate::app::list::{ListPane, Listing};
use crate::app::loadable::{Loadable, RequestId};
use crate::app::pane::{Ctx, PaneState};
use crate::domain::tenancy::UserPool;
use crate::rows::Cells;
use crate::rows::tenants::account_text;
use crate::services::org_tenants::FoundUser;

/// A pool the user was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhereRow {
    pub user: FoundUser,
}

impl Cells for WhereRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ACCOUNT", "REGION", "POOL", "USERNAME", "STATUS", "ENABLED", "TENANTS",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let u = &self.user;
        vec![
            account_text(&u.account_name, &u.account_id),
            u.region.clone(),
            if u.pool_name.is_empty() {
                u.pool_id.clone()
            } else {
                u.pool_name.clone()
            },
            u.username.clone(),
            u.status.clone(),
            if u.enabled { "yes" } else { "no" }.to_owned(),
            u.tenants
                .iter()
                .map(|m| format!("{}:{}", m.tenant, m.role))
                .collect::<Vec<_>>()
                .join(" "),
        ]
    }
}

impl Listing for WhereRow {
    fn key(&self) -> String {
        self.user.username.clone()
    }

    fn fields(&self) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = Self::headers()
            .iter()
            .map(|h| (*h).to_owned())
            .zip(self.cells())
            .collect();
        fields.insert(4, ("EMAIL".to_owned(), self.user.email.clone()));
        fields[2].1 = format!("{} ({})", self.user.pool_name, self.user.pool_id);
        fields
    }
}

/// A `:user` search and what it found so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub query: String,
    /// The search still running.
    pub request: Option<RequestId>,
    /// Account × region answered so far.
    pub answered: usize,
    /// The accounts × regions that could not be searched, each with why.
    pub problems: Vec<String>,
    found: Vec<WhereRow>,
}

impl Finding {
    /// `3 answered · 1 denied`, for the title.
    pub fn progress(&self) -> String {
        let mut out = format!("{} account×region answered", self.answered);
        if !self.problems.is_empty() {
            out.push_str(&format!(" · {} could not be searched", self.problems.len()));
        }
        out
    }
}

impl TenantsPane {
    /// Start looking `query` up across the organisation (a search already running is dropped).
    pub fn find_user(&mut self, query: &str, ctx: &mut Ctx) {
        let query = query.trim().to_owned();
        let regions = if self.org_settings.regions.is_empty() {
            ctx.region.clone().into_iter().collect()
        } else {
            self.org_settings.regions.clone()
        };
        let request = ctx.request();
        self.close_user();
        self.place = None;
        self.finding = Some(Finding {
            query: query.clone(),
            request: Some(request),
            answered: 0,
            problems: Vec::new(),
            found: Vec::new(),
        });
        self.matches = ListPane::default();
        self.matches.begin(request, "the organisation");
        let org = self.org_read(regions);
        ctx.run(Effect::Tenants(TenantsEffect::FindUser {
            request,
            query,
            org,
        }));
    }

    /// `Enter` on a pool the user was found in: the user there.
    pub(super) fn open_match(&mut self) {
        if let Some(row) = self.matches.selected() {
            let user = row.user.clone();
            self.open_found(user);
        }
    }

    fn open_found(&mut self, u: FoundUser) {
        self.place = Some(Place {
            account_id: u.account_id,
            account_name: u.account_name,
            region: u.region,
            pool: UserPool {
                id: u.pool_id,
                name: u.pool_name,
            },
            tenancy: u.tenancy,
            tenant: None,
        });
        self.close_tenant();
        self.user = Some(u.username);
        self.detail = ListPane::default();
    }

    /// Leave the list of where the user was found.
    pub(super) fn close_finding(&mut self) {
        self.finding = None;
        self.matches = ListPane::default();
    }

    /// `:user`'s messages; any other is handed back.
    pub(super) fn on_find_msg(&mut self, msg: TenantsMsg, ctx: &mut Ctx) -> Option<TenantsMsg> {
        match msg {
            TenantsMsg::UserTarget {
                request,
                target,
                status,
                found,
            } => {
                // A search superseded by another: its answers are dropped.
                let finding = self
                    .finding
                    .as_mut()
                    .filter(|f| f.request == Some(request))?;
                finding.answered += 1;
                // What was found before a failure is kept, and the failure said too.
                if let Some(e) = status.error() {
                    finding
                        .problems
                        .push(format!("{}: {}: {e}", target.label(), status.word()));
                }
                finding
                    .found
                    .extend(found.into_iter().map(|user| WhereRow { user }));
                let rows = finding.found.clone();
                self.settle_matches(request, rows, Utc::now());
            }
            TenantsMsg::UserDone {
                request,
                result,
                at,
            } => {
                // A search superseded by another: its answers are dropped.
                let finding = self
                    .finding
                    .as_mut()
                    .filter(|f| f.request == Some(request))?;
                finding.request = None;
                let query = finding.query.clone();
                let problems = finding.problems.clone();
                let found = finding.found.clone();
                if let Err(e) = result {
                    self.close_finding();
                    ctx.notify(format!("cannot look for user {query}: {e}"), true);
                    return None;
                }
                self.settle_matches(request, found.clone(), at);
                let unread = if problems.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} account×region could not be searched ({})",
                        problems.len(),
                        problems.join("; ")
                    )
                };
                match found.as_slice() {
                    [] => {
                        self.close_finding();
                        ctx.notify(
                            format!("no user {query} in the organisation's user pools{unread}"),
                            true,
                        );
                    }
                    [one] => {
                        ctx.notify(
                            format!(
                                "user {query} is in {} {}{unread}",
                                account_text(&one.user.account_name, &one.user.account_id),
                                one.user.region
                            ),
                            !problems.is_empty(),
                        );
                        // Opened at once; Esc goes back to where the search started.
                        self.close_finding();
                        self.open_found(one.user.clone());
                        self.ensure_loaded(ctx);
                    }
                    many => ctx.notify(
                        format!(
                            "user {query} is in {} pools: Enter opens one{unread}",
                            many.len()
                        ),
                        !problems.is_empty(),
                    ),
                }
            }
            other => return Some(other),
        }
        None
    }

    fn settle_matches(&mut self, request: RequestId, rows: Vec<WhereRow>, at: DateTime<Utc>) {
        self.matches.list = Loadable::Loading { request };
        self.matches.loaded(request, Ok(rows), at);
    }
}
