//! Users of a pool, the tenants and roles they hold in either tenant model, and per-tenant counts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Group, GroupPattern, Tenant, tenants_from_groups};

/// A user as ListUsers, ListUsersInGroup and AdminGetUser describe it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct User {
    pub username: String,
    /// The `email` attribute, empty when the user has none.
    pub email: String,
    /// CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, UNCONFIRMED, ...
    pub status: String,
    pub enabled: bool,
    pub created: Option<DateTime<Utc>>,
    pub modified: Option<DateTime<Utc>>,
    /// Every attribute, in the order Cognito returned them.
    pub attributes: Vec<(String, String)>,
}

impl User {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What AdminGetUser and AdminListGroupsForUser add to a user: MFA and groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserDetail {
    pub user: User,
    /// MFA methods enabled for the user (`SOFTWARE_TOKEN_MFA`, `SMS_MFA`...).
    pub mfa: Vec<String>,
    pub preferred_mfa: Option<String>,
    /// Every group the user is in.
    pub groups: Vec<String>,
}

/// A tenant and the role a user holds in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Membership {
    pub tenant: String,
    pub role: String,
}

/// How tenants are modelled in the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Model {
    /// One group per tenant and role, named by the pattern.
    Groups(GroupPattern),
    /// The tenant id is in the tenant attribute; roles are pool-wide groups named as the roles.
    Attribute,
}

/// How the username of a user opsdeck creates is chosen (`cognito.username`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Usernames {
    /// The email address is the username.
    #[default]
    Email,
    /// A random UUID v4 is the username and the email only an attribute, for pools where the
    /// email is an alias (or the username must not reveal it).
    Uuid,
}

/// Everything the tenancy logic needs from the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenancy {
    pub model: Model,
    /// Roles in precedence order (the first is the most privileged: the tenant admin).
    pub roles: Vec<String>,
    /// The custom attribute holding the tenant id, e.g. `custom:tenant_id`.
    pub attribute: String,
    pub usernames: Usernames,
}

impl Tenancy {
    /// From the config's `[cognito]` values: the model (`attribute` or else `groups`), the group
    /// pattern, the roles, the tenant attribute and how new usernames are chosen.
    pub fn new(
        attribute_model: bool,
        pattern: &str,
        roles: Vec<String>,
        attribute: &str,
        usernames: Usernames,
    ) -> Result<Tenancy, String> {
        let model = if attribute_model {
            Model::Attribute
        } else {
            Model::Groups(GroupPattern::parse(pattern)?)
        };
        Ok(Tenancy {
            model,
            roles,
            attribute: attribute.to_owned(),
            usernames,
        })
    }

    /// The username for a new user with this email: the email, or a fresh random UUID v4.
    pub fn new_username(&self, email: &str) -> String {
        match self.usernames {
            Usernames::Email => email.to_owned(),
            Usernames::Uuid => uuid::Uuid::new_v4().to_string(),
        }
    }

    /// The group a role in a tenant is.
    pub fn role_group(&self, tenant: &str, role: &str) -> String {
        match &self.model {
            Model::Groups(pattern) => pattern.group_name(tenant, role),
            Model::Attribute => role.to_owned(),
        }
    }

    /// The admin role: the first configured.
    pub fn admin_role(&self) -> &str {
        self.roles.first().map(String::as_str).unwrap_or("admin")
    }

    /// The tenant separator a tenant id must not contain (groups model only).
    pub fn separator(&self) -> Option<&str> {
        match &self.model {
            Model::Groups(pattern) => Some(pattern.separator()),
            Model::Attribute => None,
        }
    }

    /// The (tenant, role) pairs a user with these groups and attributes holds, sorted.
    pub fn memberships(&self, user: &User, groups: &[String]) -> Vec<Membership> {
        let mut out: Vec<Membership> = match &self.model {
            Model::Groups(pattern) => groups
                .iter()
                .filter_map(|g| pattern.split(g))
                .filter(|(_, role)| self.roles.iter().any(|r| r == role))
                .map(|(tenant, role)| Membership {
                    tenant: tenant.to_owned(),
                    role: role.to_owned(),
                })
                .collect(),
            Model::Attribute => match user.attribute(&self.attribute) {
                Some(tenant) if !tenant.is_empty() => groups
                    .iter()
                    .filter(|g| self.roles.contains(g))
                    .map(|role| Membership {
                        tenant: tenant.to_owned(),
                        role: role.clone(),
                    })
                    .collect(),
                _ => Vec::new(),
            },
        };
        out.sort_by_key(|m| {
            (
                m.tenant.clone(),
                self.roles.iter().position(|r| *r == m.role),
            )
        });
        out
    }

    /// The roles a user holds in one tenant, in role order.
    pub fn roles_in(&self, user: &User, groups: &[String], tenant: &str) -> Vec<String> {
        self.memberships(user, groups)
            .into_iter()
            .filter(|m| m.tenant == tenant)
            .map(|m| m.role)
            .collect()
    }

    /// Tenants of the `groups` model, and the groups that are no tenant's.
    pub fn tenants_from_groups(&self, groups: &[Group]) -> (Vec<Tenant>, Vec<Group>) {
        match &self.model {
            Model::Groups(pattern) => tenants_from_groups(groups, pattern, &self.roles),
            Model::Attribute => (Vec::new(), groups.to_vec()),
        }
    }
}

/// How many users a tenant has in each role, and in all (a user with two roles counts once).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub users: usize,
    pub roles: BTreeMap<String, usize>,
}

impl Counts {
    /// Counts from the usernames of each role group of one tenant.
    pub fn from_role_members(members: &[(String, Vec<String>)]) -> Counts {
        let mut all: Vec<&str> = members
            .iter()
            .flat_map(|(_, users)| users.iter().map(String::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        Counts {
            users: all.len(),
            roles: members
                .iter()
                .map(|(role, users)| (role.clone(), users.len()))
                .collect(),
        }
    }
}

/// Tenants of the `attribute` model from a scan of the pool's users and the members of the role
/// groups: every distinct tenant attribute value is a tenant.
pub fn tenants_from_scan(
    tenancy: &Tenancy,
    users: &[User],
    role_members: &[(String, Vec<String>)],
) -> Vec<(Tenant, Counts)> {
    let mut by_tenant: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for user in users {
        if let Some(t) = user.attribute(&tenancy.attribute).filter(|t| !t.is_empty()) {
            by_tenant.entry(t).or_default().push(&user.username);
        }
    }
    by_tenant
        .into_iter()
        .map(|(tenant, usernames)| {
            let members: Vec<(String, Vec<String>)> = tenancy
                .roles
                .iter()
                .map(|role| {
                    let in_role = role_members
                        .iter()
                        .find(|(r, _)| r == role)
                        .map(|(_, m)| {
                            m.iter()
                                .filter(|u| usernames.contains(&u.as_str()))
                                .cloned()
                                .collect()
                        })
                        .unwrap_or_default();
                    (role.clone(), in_role)
                })
                .collect();
            let mut counts = Counts::from_role_members(&members);
            counts.users = usernames.len();
            let tenant = Tenant {
                id: tenant.to_owned(),
                description: String::new(),
                roles: tenancy.roles.clone(),
            };
            (tenant, counts)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn groups_model() -> Tenancy {
        Tenancy {
            model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
            roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
            attribute: "custom:tenant_id".into(),
            usernames: Usernames::Email,
        }
    }

    fn user(name: &str, tenant: Option<&str>) -> User {
        User {
            username: name.into(),
            attributes: tenant
                .map(|t| vec![("custom:tenant_id".to_owned(), t.to_owned())])
                .unwrap_or_default(),
            ..User::default()
        }
    }

    #[test]
    fn groups_model_memberships_come_from_group_names_only() {
        let t = groups_model();
        let groups = ["globex:readonly", "acme:member", "Admins", "acme:owner"].map(String::from);
        let m = t.memberships(&user("u", Some("zzz")), &groups);
        assert_eq!(
            m,
            [
                Membership {
                    tenant: "acme".into(),
                    role: "member".into()
                },
                Membership {
                    tenant: "globex".into(),
                    role: "readonly".into()
                }
            ]
        );
    }

    #[test]
    fn attribute_model_memberships_are_the_attribute_times_the_role_groups() {
        let t = Tenancy {
            model: Model::Attribute,
            ..groups_model()
        };
        let groups = ["member", "admin", "Staff"].map(String::from);
        let m = t.memberships(&user("u", Some("acme")), &groups);
        assert_eq!(m.len(), 2);
        assert_eq!(
            (m[0].tenant.as_str(), m[0].role.as_str()),
            ("acme", "admin")
        );
        assert!(t.memberships(&user("u", None), &groups).is_empty());
        assert_eq!(t.role_group("acme", "admin"), "admin");
    }

    #[test]
    fn new_usernames_are_the_email_or_a_fresh_uuid_v4() {
        let email = groups_model();
        assert_eq!(email.new_username("ava@acme.test"), "ava@acme.test");
        let uuid = Tenancy {
            usernames: Usernames::Uuid,
            ..groups_model()
        };
        let (a, b) = (
            uuid.new_username("ava@acme.test"),
            uuid.new_username("ava@acme.test"),
        );
        let parsed = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(a.len(), 36);
        assert_ne!(a, b);
    }

    #[test]
    fn counts_count_a_user_with_two_roles_once_in_the_total() {
        let c = Counts::from_role_members(&[
            ("admin".into(), vec!["a".into()]),
            ("member".into(), vec!["a".into(), "b".into()]),
        ]);
        assert_eq!(c.users, 2);
        assert_eq!(c.roles["member"], 2);
    }

    #[test]
    fn a_scan_finds_every_tenant_value_with_its_role_counts() {
        let t = Tenancy {
            model: Model::Attribute,
            ..groups_model()
        };
        let users = [
            user("a", Some("acme")),
            user("b", Some("acme")),
            user("c", Some("globex")),
            user("d", None),
        ];
        let found = tenants_from_scan(
            &t,
            &users,
            &[
                ("admin".into(), vec!["a".into(), "c".into()]),
                ("member".into(), vec!["b".into(), "d".into()]),
            ],
        );
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0.id, "acme");
        assert_eq!(found[0].1.users, 2);
        assert_eq!(found[0].1.roles["admin"], 1);
        assert_eq!(found[0].1.roles["member"], 1);
        assert_eq!(found[1].1.roles["member"], 0);
    }
}
