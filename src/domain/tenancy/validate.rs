//! Input checks as real Cognito applies them (the emulator checks almost nothing), with messages
//! that say what to fix.

use super::users::Tenancy;
use crate::domain::sanitize::{is_hazard, sanitize};

/// Cognito's limit on group names and usernames.
pub const MAX_NAME: usize = 128;

/// Characters Cognito allows in group names and usernames: letters, marks, numbers, symbols and
/// punctuation (`[\p{L}\p{M}\p{S}\p{N}\p{P}]`), i.e. no whitespace, controls or invisible formats.
fn allowed_name_char(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !is_hazard(c)
}

/// A tenant id: the characters group names allow, without the pattern's separator, short enough
/// that every role group name stays within 128 characters.
pub fn tenant_id(tenancy: &Tenancy, id: &str) -> Result<(), String> {
    let shown = sanitize(id);
    if id.is_empty() {
        return Err("the tenant id is empty; give one such as `acme`".into());
    }
    if let Some(bad) = id.chars().find(|&c| !allowed_name_char(c)) {
        return Err(format!(
            "tenant id `{shown}` contains {}; use letters, digits and punctuation only",
            describe(bad)
        ));
    }
    if let Some(sep) = tenancy.separator()
        && id.contains(sep)
    {
        return Err(format!(
            "tenant id `{shown}` contains `{sep}`, the separator of the group pattern; remove it"
        ));
    }
    for role in &tenancy.roles {
        let group = tenancy.role_group(id, role);
        if group.chars().count() > MAX_NAME {
            return Err(format!(
                "tenant id `{shown}` is too long: group `{}` would exceed Cognito's {MAX_NAME} \
                 characters",
                sanitize(&group)
            ));
        }
    }
    Ok(())
}

/// A role must be one of the configured roles.
pub fn role<'a>(tenancy: &'a Tenancy, role: &str) -> Result<&'a str, String> {
    tenancy
        .roles
        .iter()
        .find(|r| *r == role)
        .map(String::as_str)
        .ok_or_else(|| {
            format!(
                "unknown role `{}`; the roles are: {} (cognito.roles in the config)",
                sanitize(role),
                tenancy.roles.join(", ")
            )
        })
}

/// An email address usable as a Cognito username: one `@`, a local part of 1-64 characters
/// (dots only between other characters), a
/// domain of dot-separated labels (letters, digits, hyphens) ending in a top-level domain of two
/// or more letters, 128 characters at most, no whitespace or control characters. Returns it
/// trimmed and lower-cased (Cognito compares emails without case).
pub fn email(email: &str) -> Result<String, String> {
    let trimmed = email.trim();
    let shown = sanitize(trimmed);
    let bad = || format!("`{shown}` is not a valid email address, e.g. `jane@example.com`");
    if trimmed.is_empty() {
        return Err("the email address is empty".into());
    }
    if trimmed.chars().count() > MAX_NAME {
        return Err(format!(
            "email `{shown}` is longer than the {MAX_NAME} characters a username may have"
        ));
    }
    if trimmed.chars().any(|c| !allowed_name_char(c)) {
        return Err(bad());
    }
    let (local, domain) = trimmed.split_once('@').ok_or_else(bad)?;
    if local.is_empty() || local.chars().count() > 64 || domain.contains('@') {
        return Err(bad());
    }
    // A dot may not start or end the local part, nor follow another (RFC 5322 dot-atom).
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(format!(
            "`{shown}` is not a valid email address: a dot may not start or end the part before \
             the @, nor follow another dot"
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.chars().count() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2
        || !labels.iter().all(label_ok)
        || tld.chars().count() < 2
        || !tld.chars().all(char::is_alphabetic)
    {
        return Err(bad());
    }
    Ok(trimmed.to_lowercase())
}

/// A username as Cognito allows it (1-128 allowed characters).
pub fn username(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the username is empty".into());
    }
    if name.chars().count() > MAX_NAME || name.chars().any(|c| !allowed_name_char(c)) {
        return Err(format!(
            "`{}` is not a valid username: 1-{MAX_NAME} letters, digits or punctuation",
            sanitize(name)
        ));
    }
    Ok(())
}

/// A display name (group description): Cognito allows 2048 characters; no control characters.
pub fn description(text: &str) -> Result<(), String> {
    if text.chars().count() > 2048 {
        return Err("the display name is longer than Cognito's 2048 characters".into());
    }
    if text.chars().any(|c| c.is_control() || is_hazard(c)) {
        return Err("the display name contains control or invisible characters".into());
    }
    Ok(())
}

fn describe(c: char) -> String {
    if c == ' ' {
        "a space".into()
    } else {
        format!("the character U+{:04X}", c as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::super::GroupPattern;
    use super::super::users::Model;
    use super::*;

    fn tenancy() -> Tenancy {
        Tenancy {
            model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
            roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
            attribute: "custom:tenant_id".into(),
            usernames: Default::default(),
        }
    }

    #[test]
    fn tenant_ids_follow_cognito_group_name_rules() {
        let t = tenancy();
        assert!(tenant_id(&t, "acme").is_ok());
        assert!(tenant_id(&t, "Société-Générale_2").is_ok());
        assert!(tenant_id(&t, "").is_err());
        assert!(tenant_id(&t, "ac me").unwrap_err().contains("a space"));
        assert!(tenant_id(&t, "ac:me").unwrap_err().contains("separator"));
        assert!(tenant_id(&t, "ac\u{202E}me").is_err());
        assert!(tenant_id(&t, &"a".repeat(119)).is_ok());
        assert!(tenant_id(&t, &"a".repeat(120)).unwrap_err().contains("128"));
    }

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(email(" Jane@Example.COM ").unwrap(), "jane@example.com");
        assert_eq!(email("j.a.ne@example.com").unwrap(), "j.a.ne@example.com");
        assert!(
            email("a..b@x.com")
                .unwrap_err()
                .contains("nor follow another dot")
        );
        for bad in [
            "",
            "jane",
            "jane@",
            "@example.com",
            "jane@example",
            "jane@@example.com",
            "ja ne@example.com",
            "jane@exa_mple.com",
            "jane@example.c0m",
            "jane@-example.com",
            "a..b@x.com",
            ".a@x.com",
            "a.@x.com",
        ] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
        assert!(
            email(&format!("{}@example.com", "a".repeat(120)))
                .unwrap_err()
                .contains("128")
        );
    }

    #[test]
    fn roles_must_be_configured() {
        let t = tenancy();
        assert_eq!(role(&t, "member"), Ok("member"));
        let err = role(&t, "owner").unwrap_err();
        assert!(err.contains("admin, member, readonly"), "{err}");
    }

    #[test]
    fn usernames_and_descriptions_reject_invisible_characters() {
        assert!(username("ava.adams").is_ok());
        assert!(username("ava adams").is_err());
        assert!(username(&"x".repeat(129)).is_err());
        assert!(description("Acme Corp — admin").is_ok());
        assert!(description("evil\x1b[2J").is_err());
    }
}
