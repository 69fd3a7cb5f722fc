//! Tenants in a Cognito user pool, in both tenant models: group names ↔ (tenant, role) in the
//! `groups` model, a custom attribute plus pool-wide role groups in the `attribute` model. Owns
//! the users and their memberships ([`users`]), input validation as real Cognito would apply it
//! ([`validate`]), the plans of every change ([`plan`]) and bulk-import files ([`import`]).

pub mod import;
pub mod onboarding;
pub mod plan;
pub mod users;
pub mod validate;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserPool {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub name: String,
    pub description: String,
    pub precedence: Option<i32>,
}

/// A tenant as the `groups` model sees it: the role groups named for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tenant {
    pub id: String,
    /// The description of its first role group (the display name given at onboarding).
    pub description: String,
    /// Roles that have a group, in the configured role order.
    pub roles: Vec<String>,
}

/// A group-name pattern such as `{tenant}:{role}`, split around its two placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPattern {
    prefix: String,
    infix: String,
    suffix: String,
    tenant_first: bool,
}

impl GroupPattern {
    /// Parse a pattern; it must contain `{tenant}` and `{role}` once each, with text between them
    /// (otherwise a group name could not be split back unambiguously).
    pub fn parse(pattern: &str) -> Result<GroupPattern, String> {
        let t = pattern.find("{tenant}");
        let r = pattern.find("{role}");
        let (Some(t), Some(r)) = (t, r) else {
            return Err(format!(
                "group pattern `{pattern}` must contain both {{tenant}} and {{role}}"
            ));
        };
        if pattern.matches("{tenant}").count() != 1 || pattern.matches("{role}").count() != 1 {
            return Err(format!(
                "group pattern `{pattern}` must contain {{tenant}} and {{role}} once each"
            ));
        }
        let (first, first_len, second, second_len) = if t < r {
            (t, "{tenant}".len(), r, "{role}".len())
        } else {
            (r, "{role}".len(), t, "{tenant}".len())
        };
        let infix = &pattern[first + first_len..second];
        if infix.is_empty() {
            return Err(format!(
                "group pattern `{pattern}` needs a separator between {{tenant}} and {{role}}"
            ));
        }
        Ok(GroupPattern {
            prefix: pattern[..first].to_owned(),
            infix: infix.to_owned(),
            suffix: pattern[second + second_len..].to_owned(),
            tenant_first: t < r,
        })
    }

    /// The text between the tenant and the role: a tenant id may not contain it.
    pub fn separator(&self) -> &str {
        &self.infix
    }

    pub fn group_name(&self, tenant: &str, role: &str) -> String {
        let (a, b) = if self.tenant_first {
            (tenant, role)
        } else {
            (role, tenant)
        };
        format!("{}{a}{}{b}{}", self.prefix, self.infix, self.suffix)
    }

    /// Split a group name into (tenant, role), if it follows the pattern.
    pub fn split<'a>(&self, group: &'a str) -> Option<(&'a str, &'a str)> {
        let inner = group
            .strip_prefix(self.prefix.as_str())?
            .strip_suffix(self.suffix.as_str())?;
        // Tenant ids may not contain the separator (onboarding validates it), roles neither: so
        // the separator occurs exactly once.
        let (a, b) = inner.split_once(self.infix.as_str())?;
        if a.is_empty() || b.is_empty() || b.contains(self.infix.as_str()) {
            return None;
        }
        Some(if self.tenant_first { (a, b) } else { (b, a) })
    }
}

/// Group the pool's groups into tenants (groups whose name follows the pattern with a configured
/// role), and the rest, shown apart as "other groups".
pub fn tenants_from_groups(
    groups: &[Group],
    pattern: &GroupPattern,
    roles: &[String],
) -> (Vec<Tenant>, Vec<Group>) {
    let mut tenants: Vec<Tenant> = Vec::new();
    let mut other = Vec::new();
    for group in groups {
        match pattern
            .split(&group.name)
            .filter(|(_, role)| roles.iter().any(|r| r == role))
        {
            Some((tenant, role)) => {
                let entry = match tenants.iter().position(|t| t.id == tenant) {
                    Some(i) => &mut tenants[i],
                    None => {
                        tenants.push(Tenant {
                            id: tenant.to_owned(),
                            description: String::new(),
                            roles: Vec::new(),
                        });
                        tenants.last_mut().expect("just pushed")
                    }
                };
                entry.roles.push(role.to_owned());
                if entry.description.is_empty() {
                    entry.description = group.description.clone();
                }
            }
            None => other.push(group.clone()),
        }
    }
    for tenant in &mut tenants {
        tenant
            .roles
            .sort_by_key(|r| roles.iter().position(|x| x == r));
    }
    tenants.sort_by(|a, b| a.id.cmp(&b.id));
    (tenants, other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, description: &str) -> Group {
        Group {
            name: name.into(),
            description: description.into(),
            precedence: None,
        }
    }

    fn roles() -> Vec<String> {
        ["admin", "member", "readonly"].map(String::from).to_vec()
    }

    #[test]
    fn the_default_pattern_splits_and_joins() {
        let p = GroupPattern::parse("{tenant}:{role}").unwrap();
        assert_eq!(p.split("acme:admin"), Some(("acme", "admin")));
        assert_eq!(p.group_name("acme", "admin"), "acme:admin");
        assert_eq!(p.split("Admins"), None);
        assert_eq!(p.split(":admin"), None);
        assert_eq!(p.split("a:b:c"), None);
    }

    #[test]
    fn role_first_patterns_with_prefixes_work() {
        let p = GroupPattern::parse("t-{role}.{tenant}").unwrap();
        assert_eq!(p.split("t-admin.acme"), Some(("acme", "admin")));
        assert_eq!(p.group_name("acme", "member"), "t-member.acme");
    }

    #[test]
    fn patterns_that_cannot_be_split_are_rejected() {
        assert!(GroupPattern::parse("{tenant}").is_err());
        assert!(GroupPattern::parse("{tenant}{role}").is_err());
        assert!(GroupPattern::parse("{tenant}:{role}:{role}").is_err());
    }

    #[test]
    fn groups_become_tenants_in_role_order_and_the_rest_stays_apart() {
        let p = GroupPattern::parse("{tenant}:{role}").unwrap();
        let groups = [
            group("globex:member", ""),
            group("acme:readonly", "Acme Corp — readonly"),
            group("acme:admin", "Acme Corp — admin"),
            group("Admins", "pool-wide"),
            group("acme:owner", "unknown role"),
        ];
        let (tenants, other) = tenants_from_groups(&groups, &p, &roles());
        assert_eq!(tenants.len(), 2);
        assert_eq!(tenants[0].id, "acme");
        assert_eq!(tenants[0].roles, ["admin", "readonly"]);
        assert_eq!(tenants[0].description, "Acme Corp — readonly");
        assert_eq!(tenants[1].id, "globex");
        assert_eq!(
            other.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(),
            ["Admins", "acme:owner"]
        );
    }
}
