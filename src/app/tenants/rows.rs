//! The rows of the pane's lists (pools, tenants with their counts, a tenant's users, users found
//! by a search, a user's fields) and how each is shown, copied and exported.

use chrono::{DateTime, Utc};

use crate::app::list::Listing;
use crate::app::table::SortKey;
use crate::domain::tenancy::users::{Counts, User};
use crate::domain::tenancy::{Tenant, UserPool};
use crate::domain::time;
use crate::rows::Cells;

/// A tenant row: the tenant and its user counts, read lazily for the rows on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRow {
    pub tenant: Tenant,
    pub counts: Counting,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counting {
    NotAsked,
    Loading,
    Ready(Counts),
    Failed(String),
}

/// A user in a tenant's list: one row per role held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub role: String,
    pub user: User,
}

/// A user found by a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRow {
    pub user: User,
}

/// One line of a user's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRow {
    pub name: String,
    pub value: String,
}

impl Cells for UserPool {
    fn headers() -> &'static [&'static str] {
        &["POOL", "ID"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.name.clone(), self.id.clone()]
    }
}

impl Listing for UserPool {
    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Cells for TenantRow {
    fn headers() -> &'static [&'static str] {
        &["TENANT", "USERS", "ROLES", "DESCRIPTION"]
    }

    fn cells(&self) -> Vec<String> {
        let (users, roles) = match &self.counts {
            Counting::NotAsked => (String::new(), self.tenant.roles.join(" ")),
            Counting::Loading => ("…".to_owned(), self.tenant.roles.join(" ")),
            Counting::Ready(c) => (
                c.users.to_string(),
                self.tenant
                    .roles
                    .iter()
                    .map(|r| format!("{r}={}", c.roles.get(r).copied().unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Counting::Failed(e) => ("?".to_owned(), format!("counts failed: {e}")),
        };
        vec![
            self.tenant.id.clone(),
            users,
            roles,
            self.tenant.description.clone(),
        ]
    }
}

impl Listing for TenantRow {
    fn key(&self) -> String {
        self.tenant.id.clone()
    }

    fn sort_key(&self, column: usize) -> SortKey {
        match (column, &self.counts) {
            (1, Counting::Ready(c)) => SortKey::Number(c.users as f64),
            (1, _) => SortKey::Empty,
            _ => self
                .cells()
                .get(column)
                .map_or(SortKey::Empty, |c| SortKey::cell(c)),
        }
    }
}

/// A user's fields in full (the username first: the detail view's title), times absolute, then
/// every attribute.
fn user_fields(role: Option<&str>, user: &User) -> Vec<(String, String)> {
    let date = |t: Option<DateTime<Utc>>| t.map(time::stamp).unwrap_or_default();
    let mut fields = vec![("USERNAME".to_owned(), user.username.clone())];
    fields.extend(role.map(|r| ("ROLE".to_owned(), r.to_owned())));
    fields.extend([
        ("EMAIL".to_owned(), user.email.clone()),
        ("STATUS".to_owned(), user.status.clone()),
        (
            "ENABLED".to_owned(),
            if user.enabled { "yes" } else { "no" }.to_owned(),
        ),
        ("CREATED".to_owned(), date(user.created)),
        ("MODIFIED".to_owned(), date(user.modified)),
    ]);
    fields.extend(
        user.attributes
            .iter()
            .filter(|(name, _)| name != "email")
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    fields
}

impl Cells for MemberRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ROLE", "USERNAME", "EMAIL", "STATUS", "ENABLED", "CREATED", "MODIFIED",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let date = |t: Option<DateTime<Utc>>| t.map(time::stamp).unwrap_or_default();
        vec![
            self.role.clone(),
            self.user.username.clone(),
            self.user.email.clone(),
            self.user.status.clone(),
            if self.user.enabled { "yes" } else { "no" }.to_owned(),
            date(self.user.created),
            date(self.user.modified),
        ]
    }
}

impl Listing for MemberRow {
    fn key(&self) -> String {
        self.user.username.clone()
    }

    fn screen_cells(&self, now: DateTime<Utc>) -> Vec<String> {
        let age = |t: Option<DateTime<Utc>>| t.map(|t| time::age(t, now)).unwrap_or_default();
        let mut cells = self.cells();
        cells[5] = age(self.user.created);
        cells[6] = age(self.user.modified);
        cells
    }

    fn sort_key(&self, column: usize) -> SortKey {
        match column {
            5 => SortKey::time(self.user.created),
            6 => SortKey::time(self.user.modified),
            _ => self
                .cells()
                .get(column)
                .map_or(SortKey::Empty, |c| SortKey::cell(c)),
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        user_fields(Some(&self.role), &self.user)
    }
}

impl Cells for FoundRow {
    fn headers() -> &'static [&'static str] {
        &["USERNAME", "EMAIL", "STATUS", "ENABLED", "CREATED"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.user.username.clone(),
            self.user.email.clone(),
            self.user.status.clone(),
            if self.user.enabled { "yes" } else { "no" }.to_owned(),
            self.user.created.map(time::stamp).unwrap_or_default(),
        ]
    }
}

impl Listing for FoundRow {
    fn key(&self) -> String {
        self.user.username.clone()
    }

    fn screen_cells(&self, now: DateTime<Utc>) -> Vec<String> {
        let mut cells = self.cells();
        cells[4] = self
            .user
            .created
            .map(|t| time::age(t, now))
            .unwrap_or_default();
        cells
    }

    fn sort_key(&self, column: usize) -> SortKey {
        match column {
            4 => SortKey::time(self.user.created),
            _ => self
                .cells()
                .get(column)
                .map_or(SortKey::Empty, |c| SortKey::cell(c)),
        }
    }

    fn fields(&self) -> Vec<(String, String)> {
        user_fields(None, &self.user)
    }
}

impl Cells for FieldRow {
    fn headers() -> &'static [&'static str] {
        &["FIELD", "VALUE"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.name.clone(), self.value.clone()]
    }
}

impl Listing for FieldRow {
    fn key(&self) -> String {
        self.value.clone()
    }
}
