//! The rows of the `tenants` and `users` commands: tenants with their user counts per role, a
//! tenant's members, users with their tenants, and one user in full.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::ser::SerializeMap;

use super::Cells;
use crate::domain::tenancy::users::{Counts, Membership, Tenancy};
use crate::domain::time;

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

/// `tenants list --all-accounts|--regions -o json`: one object per tenant of every pool of the
/// scope, `tenants list`'s fields after where the tenant lives.
#[derive(Debug, Serialize)]
pub struct OrgTenantRow {
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    pub pool_id: String,
    pub pool_name: String,
    pub tenant: String,
    pub description: String,
    pub users: usize,
    pub roles: RoleCounts,
}

impl Cells for OrgTenantRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ACCOUNT",
            "REGION",
            "POOL",
            "TENANT",
            "USERS",
            "ROLES",
            "DESCRIPTION",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            account_text(&self.account_name, &self.account_id),
            self.region.clone(),
            format!("{} ({})", self.pool_name, self.pool_id),
            self.tenant.clone(),
            self.users.to_string(),
            self.roles.text(),
            self.description.clone(),
        ]
    }
}

/// `name (id)`, or the id of an account without a name.
pub fn account_text(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        format!("{name} ({id})")
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
    /// The record(s) `[onboarding.dns]` names for the tenant (only with that section).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<Vec<TenantRecord>>,
    /// The executions of `[onboarding.workflow]` for the tenant, oldest first (only with that
    /// section).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executions: Option<Vec<TenantExecution>>,
}

/// A record set of the tenant's DNS name, in its zone and account.
#[derive(Debug, Serialize)]
pub struct TenantRecord {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub ttl: Option<i64>,
    pub values: Vec<String>,
    /// `ZONE_ID/NAME` of an alias record.
    pub alias_target: Option<String>,
    pub zone: String,
    pub account_id: String,
}

/// One onboarding execution of the tenant.
#[derive(Debug, Serialize)]
pub struct TenantExecution {
    pub name: String,
    pub status: String,
    pub execution_arn: String,
}

#[derive(Debug, Serialize)]
pub struct MemberRow {
    pub role: String,
    pub username: String,
    pub email: String,
    pub status: String,
    pub enabled: bool,
    #[serde(serialize_with = "time::serialize_rfc3339")]
    pub created: Option<DateTime<Utc>>,
    #[serde(serialize_with = "time::serialize_rfc3339")]
    pub modified: Option<DateTime<Utc>>,
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
            self.created.map(time::stamp).unwrap_or_default(),
            self.modified.map(time::stamp).unwrap_or_default(),
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
    #[serde(serialize_with = "time::serialize_rfc3339")]
    pub created: Option<DateTime<Utc>>,
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
            self.created.map(time::stamp).unwrap_or_default(),
            memberships_text(&self.tenants),
        ]
    }
}

/// `users find -o json`: one object per pool the user was found in.
#[derive(Debug, Clone, Serialize)]
pub struct FoundUserRow {
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    pub pool_id: String,
    pub pool_name: String,
    pub username: String,
    pub email: String,
    pub status: String,
    pub enabled: bool,
    pub tenants: Vec<Membership>,
}

impl Cells for FoundUserRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ACCOUNT", "REGION", "POOL", "USERNAME", "EMAIL", "STATUS", "ENABLED", "TENANTS",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            account_text(&self.account_name, &self.account_id),
            self.region.clone(),
            format!("{} ({})", self.pool_name, self.pool_id),
            self.username.clone(),
            self.email.clone(),
            self.status.clone(),
            self.enabled.to_string(),
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
    #[serde(serialize_with = "time::serialize_rfc3339")]
    pub created: Option<DateTime<Utc>>,
    #[serde(serialize_with = "time::serialize_rfc3339")]
    pub modified: Option<DateTime<Utc>>,
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
            self.created.map(time::stamp).unwrap_or_default(),
            self.modified.map(time::stamp).unwrap_or_default(),
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

    #[test]
    fn times_are_rfc3339_utc_in_json_and_stamps_with_their_offset_in_table_and_csv() {
        use chrono::TimeZone;
        let created = Utc.with_ymd_and_hms(2026, 12, 3, 14, 3, 7).unwrap()
            + chrono::Duration::milliseconds(450);
        let row = MemberRow {
            role: "admin".into(),
            username: "ann".into(),
            email: "ann@acme.example".into(),
            status: "CONFIRMED".into(),
            enabled: true,
            created: Some(created),
            modified: None,
        };
        let json = serde_json::to_value(&row).unwrap();
        assert_eq!(json["created"], "2026-12-03T14:03:07Z");
        assert!(json["modified"].is_null());
        // The display zone is UTC in tests (the binary sets the local one at start).
        assert_eq!(row.cells()[5], "2026-12-03 14:03:07 +00:00");
        assert_eq!(row.cells()[6], "");
    }
}
