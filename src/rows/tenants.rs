//! The rows of the `tenants` and `users` commands: tenants with their user counts per role, a
//! tenant's members, users with their tenants, and one user in full.

use serde::Serialize;
use serde::ser::SerializeMap;

use super::Cells;
use crate::domain::tenancy::users::{Counts, Membership, Tenancy};

/// Role counts in role order, serialised as a JSON object `{"<role>": count}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleCounts(pub Vec<(String, usize)>);

impl Serialize for RoleCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (role, count) in &self.0 {
            map.serialize_entry(role, count)?;
        }
        map.end()
    }
}

impl RoleCounts {
    pub fn of(tenancy: &Tenancy, counts: &Counts) -> RoleCounts {
        RoleCounts(
            tenancy
                .roles
                .iter()
                .map(|r| (r.clone(), counts.roles.get(r).copied().unwrap_or(0)))
                .collect(),
        )
    }

    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|(r, n)| format!("{r}={n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `tenants list -o json`: one object per tenant.
#[derive(Debug, Serialize)]
pub struct TenantRow {
    pub tenant: String,
    pub description: String,
    pub users: usize,
    pub roles: RoleCounts,
}

impl Cells for TenantRow {
    fn headers() -> &'static [&'static str] {
        &["TENANT", "USERS", "ROLES", "DESCRIPTION"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.tenant.clone(),
            self.users.to_string(),
            self.roles.text(),
            self.description.clone(),
        ]
    }
}

/// `tenants show -o json`: the tenant and its members, each with the role they hold.
#[derive(Debug, Serialize)]
pub struct TenantDetail {
    pub tenant: String,
    pub description: String,
    pub users: usize,
    pub roles: RoleCounts,
    pub members: Vec<MemberRow>,
}

#[derive(Debug, Serialize)]
pub struct MemberRow {
    pub role: String,
    pub username: String,
    pub email: String,
    pub status: String,
    pub enabled: bool,
    pub created: Option<String>,
    pub modified: Option<String>,
}

impl Cells for MemberRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ROLE", "USERNAME", "EMAIL", "STATUS", "ENABLED", "CREATED", "MODIFIED",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.role.clone(),
            self.username.clone(),
            self.email.clone(),
            self.status.clone(),
            self.enabled.to_string(),
            self.created.clone().unwrap_or_default(),
            self.modified.clone().unwrap_or_default(),
        ]
    }
}

/// `users list -o json`: one object per user.
#[derive(Debug, Serialize)]
pub struct UserRow {
    pub username: String,
    pub email: String,
    pub status: String,
    pub enabled: bool,
    pub created: Option<String>,
    pub tenants: Vec<Membership>,
}

impl Cells for UserRow {
    fn headers() -> &'static [&'static str] {
        &[
            "USERNAME", "EMAIL", "STATUS", "ENABLED", "CREATED", "TENANTS",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.username.clone(),
            self.email.clone(),
            self.status.clone(),
            self.enabled.to_string(),
            self.created.clone().unwrap_or_default(),
            memberships_text(&self.tenants),
        ]
    }
}

fn memberships_text(ms: &[Membership]) -> String {
    ms.iter()
        .map(|m| format!("{}:{}", m.tenant, m.role))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `users show -o json`.
#[derive(Debug, Serialize)]
pub struct UserShow {
    pub username: String,
    pub email: String,
    pub status: String,
    pub enabled: bool,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub tenants: Vec<Membership>,
    pub groups: Vec<String>,
    pub mfa: Vec<String>,
    pub preferred_mfa: Option<String>,
    pub attributes: Attributes,
}

/// Attributes in Cognito's order, serialised as a JSON object.
#[derive(Debug)]
pub struct Attributes(pub Vec<(String, String)>);

impl Serialize for Attributes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Cells for UserShow {
    fn headers() -> &'static [&'static str] {
        &[
            "USERNAME",
            "EMAIL",
            "STATUS",
            "ENABLED",
            "CREATED",
            "MODIFIED",
            "TENANTS",
            "GROUPS",
            "MFA",
            "PREFERRED_MFA",
            "ATTRIBUTES",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.username.clone(),
            self.email.clone(),
            self.status.clone(),
            self.enabled.to_string(),
            self.created.clone().unwrap_or_default(),
            self.modified.clone().unwrap_or_default(),
            memberships_text(&self.tenants),
            self.groups.join(" "),
            self.mfa.join(" "),
            self.preferred_mfa.clone().unwrap_or_default(),
            self.attributes
                .0
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_counts_serialise_as_an_object_in_role_order() {
        let counts = RoleCounts(vec![("member".into(), 2), ("admin".into(), 1)]);
        assert_eq!(
            serde_json::to_string(&counts).unwrap(),
            r#"{"member":2,"admin":1}"#
        );
        assert_eq!(counts.text(), "member=2 admin=1");
    }
}
