//! The rules a type cannot express, checked on the merged config: each broken rule is a
//! [`Problem`] with the key paths it can be reported at.

use std::collections::HashSet;

use crate::domain::account::is_account_id;

use super::keymap::{Action, Keymap};
use super::locate::Seg;
use super::model::{
    AwsConfig, CognitoConfig, ConcurrencyConfig, Config, OrganizationConfig, ScopeConfig, UiConfig,
    WorkflowsConfig,
};

impl Config {
    /// Every rule a type cannot express, in the order of the config file's sections.
    pub(super) fn problems(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        self.aws.check(&mut p);
        self.organization.check(&mut p);
        self.concurrency.check(&mut p);
        self.scope.check(&mut p);
        self.cognito.check(&mut p);
        self.workflows.check(&mut p);
        check_runbook(self, &mut p);
        self.ui.check(&mut p);
        check_theme(&self.theme, &mut p);
        check_keymap(&self.keymap, &mut p);
        p
    }
}

/// A broken rule, reported at whichever of `candidates` is written last in the file: for a key
/// bound twice, the later line is the one that introduced the clash.
pub(super) struct Problem {
    pub(super) candidates: Vec<Vec<Seg>>,
    pub(super) message: String,
}

fn path(keys: &[&str]) -> Vec<Seg> {
    keys.iter().map(|k| Seg::Key((*k).to_string())).collect()
}

fn problem(p: &mut Vec<Problem>, at: Vec<Seg>, message: impl Into<String>) {
    p.push(Problem {
        candidates: vec![at],
        message: message.into(),
    });
}

fn indexed(mut base: Vec<Seg>, i: usize) -> Vec<Seg> {
    base.push(Seg::Index(i));
    base
}

pub(super) fn check_region(region: &str) -> Result<(), String> {
    crate::domain::region::check_region_name(region)
}

/// What is allowed but probably a mistake, as `key: sentence` lines: a region missing from
/// [`crate::domain::region::KNOWN_REGIONS`] (a typo, or a region newer than that table).
pub fn warnings(config: &Config) -> Vec<String> {
    use crate::domain::region::is_known_region;
    let unknown = |key: String, region: &str| {
        format!(
            "{key}: `{region}` is not an AWS region opsdeck knows; check the name (a region \
             opened after this release is fine)"
        )
    };
    let mut out = Vec::new();
    if let Some(region) = &config.aws.region
        && !is_known_region(region)
    {
        out.push(unknown("aws.region".into(), region));
    }
    for (i, region) in config.aws.regions.iter().enumerate() {
        if !is_known_region(region) {
            out.push(unknown(format!("aws.regions[{i}]"), region));
        }
    }
    for (i, region) in config.scope.regions.iter().enumerate() {
        if !is_known_region(region) {
            out.push(unknown(format!("scope.regions[{i}]"), region));
        }
    }
    out
}

/// An `http://` or `https://` URL with a host.
pub fn check_endpoint_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(format!(
            "`{url}` is not an endpoint URL; write one like \"http://127.0.0.1:5000\""
        )),
    }
}

/// IAM's character set for role and session names, plus extras (e.g. `:` `/` for external ids).
fn iam_chars(s: &str, extra: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) || extra.contains(c))
}

impl AwsConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        if self.profile.as_deref().is_some_and(|s| s.trim().is_empty()) {
            problem(
                p,
                path(&["aws", "profile"]),
                "the profile name is empty; name a profile from ~/.aws/config or remove the key",
            );
        }
        if let Some(region) = &self.region
            && let Err(m) = check_region(region)
        {
            problem(p, path(&["aws", "region"]), m);
        }
        if self.regions.is_empty() {
            problem(
                p,
                path(&["aws", "regions"]),
                "the list is empty; name at least one region, e.g. [\"eu-west-1\"]",
            );
        }
        let mut seen = HashSet::new();
        for (i, region) in self.regions.iter().enumerate() {
            if let Err(m) = check_region(region) {
                problem(p, indexed(path(&["aws", "regions"]), i), m);
            } else if !seen.insert(region) {
                problem(
                    p,
                    indexed(path(&["aws", "regions"]), i),
                    format!("`{region}` is listed twice; remove one"),
                );
            }
        }
        if let Some(url) = &self.endpoint_url
            && let Err(m) = check_endpoint_url(url)
        {
            problem(p, path(&["aws", "endpoint_url"]), m);
        }
        for (key, secs) in [
            ("connect_timeout_secs", self.connect_timeout_secs),
            ("read_timeout_secs", self.read_timeout_secs),
            ("operation_timeout_secs", self.operation_timeout_secs),
        ] {
            if !(1..=600).contains(&secs) {
                problem(
                    p,
                    path(&["aws", key]),
                    format!("{secs} s is out of range; use 1 to 600"),
                );
            }
        }
        if !(1..=36).contains(&self.mfa_session_hours) {
            problem(
                p,
                path(&["aws", "mfa_session_hours"]),
                format!(
                    "{} h is out of range; use 1 to 36 (STS GetSessionToken's limits)",
                    self.mfa_session_hours
                ),
            );
        }
        if self.operation_timeout_secs < self.read_timeout_secs {
            p.push(Problem {
                candidates: vec![
                    path(&["aws", "operation_timeout_secs"]),
                    path(&["aws", "read_timeout_secs"]),
                ],
                message: format!(
                    "operation_timeout_secs ({}) is shorter than read_timeout_secs ({}): a call \
                     would end before its first attempt may; raise operation_timeout_secs",
                    self.operation_timeout_secs, self.read_timeout_secs
                ),
            });
        }
    }
}

impl OrganizationConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        let n = self.role_name.chars().count();
        if !(1..=64).contains(&n) || !iam_chars(&self.role_name, "") {
            problem(
                p,
                path(&["organization", "role_name"]),
                format!(
                    "`{}` is not an IAM role name; use 1-64 letters, digits or + = , . @ _ -",
                    self.role_name
                ),
            );
        }
        if let Some(id) = &self.external_id {
            let n = id.chars().count();
            if !(2..=1224).contains(&n) {
                problem(
                    p,
                    path(&["organization", "external_id"]),
                    format!("the external id has {n} characters; AWS accepts 2 to 1224"),
                );
            } else if !iam_chars(id, ":/") {
                problem(
                    p,
                    path(&["organization", "external_id"]),
                    "the external id may only contain letters, digits and + = , . @ : / _ -",
                );
            }
        }
        let n = self.session_name.chars().count();
        if !(2..=64).contains(&n) || !iam_chars(&self.session_name, "") {
            problem(
                p,
                path(&["organization", "session_name"]),
                format!(
                    "`{}` is not a role session name; use 2-64 letters, digits or + = , . @ _ -",
                    self.session_name
                ),
            );
        }
        let mut seen = HashSet::new();
        for (i, account) in self.accounts.iter().enumerate() {
            let at = |key: &str| {
                let mut at = indexed(path(&["organization", "accounts"]), i);
                at.push(Seg::Key(key.into()));
                at
            };
            if !is_account_id(&account.id) {
                problem(
                    p,
                    at("id"),
                    format!(
                        "`{}` is not an AWS account id; write the 12 digits as a string, e.g. \"111122223333\"",
                        account.id
                    ),
                );
            } else if !seen.insert(&account.id) {
                problem(
                    p,
                    at("id"),
                    format!("account `{}` is listed twice; remove one entry", account.id),
                );
            }
            if account.name.trim().is_empty() {
                problem(
                    p,
                    at("name"),
                    "the account name is empty; give it the name people know it by",
                );
            }
        }
    }
}

impl ConcurrencyConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        if self.accounts == 0 {
            problem(
                p,
                path(&["concurrency", "accounts"]),
                "must be at least 1 (accounts handled at the same time)",
            );
        }
        if self.route53_rps == 0 {
            problem(
                p,
                path(&["concurrency", "route53_rps"]),
                "must be at least 1 (Route53 requests per second per account; AWS allows about 5)",
            );
        }
        if self.throttle_patience_secs > 600 {
            problem(
                p,
                path(&["concurrency", "throttle_patience_secs"]),
                "must be at most 600 (seconds a throttled call keeps backing off; 0 turns it off)",
            );
        }
    }
}

impl ScopeConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        let mut seen = HashSet::new();
        for (i, region) in self.regions.iter().enumerate() {
            if let Err(m) = check_region(region) {
                problem(p, indexed(path(&["scope", "regions"]), i), m);
            } else if !seen.insert(region) {
                problem(
                    p,
                    indexed(path(&["scope", "regions"]), i),
                    format!("`{region}` is listed twice; remove one"),
                );
            }
        }
        for (key, rps) in [("sfn_rps", self.sfn_rps), ("cognito_rps", self.cognito_rps)] {
            if rps == 0 {
                problem(
                    p,
                    path(&["scope", key]),
                    "must be at least 1 (requests per second per account and region)",
                );
            }
        }
    }
}

impl CognitoConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        for (i, pool) in self.pools.iter().enumerate() {
            let at = |key: &str| {
                let mut at = indexed(path(&["cognito", "pools"]), i);
                at.push(Seg::Key(key.into()));
                at
            };
            if pool.pool.trim().is_empty() {
                problem(p, at("pool"), "name the pool: its id or its name");
            }
            if let Some(pattern) = &pool.group_pattern
                && !(pattern.contains("{tenant}") && pattern.contains("{role}"))
            {
                problem(
                    p,
                    at("group_pattern"),
                    "must contain {tenant} and {role}, e.g. \"{tenant}:{role}\"",
                );
            }
        }
        if let Some(id) = &self.user_pool_id {
            // AWS's pattern for pool ids: [\w-]+_[0-9a-zA-Z]+, at most 55 characters.
            let valid = id.len() <= 55
                && id.split_once('_').is_some_and(|(region, suffix)| {
                    !region.is_empty()
                        && region
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                        && !suffix.is_empty()
                        && suffix.chars().all(|c| c.is_ascii_alphanumeric())
                });
            if !valid {
                problem(
                    p,
                    path(&["cognito", "user_pool_id"]),
                    format!(
                        "`{id}` is not a user pool id; copy it from the Cognito console, e.g. \"eu-west-1_AbCdEf123\""
                    ),
                );
            }
        }
        let missing: Vec<&str> = ["{tenant}", "{role}"]
            .into_iter()
            .filter(|ph| !self.group_pattern.contains(ph))
            .collect();
        if !missing.is_empty() {
            problem(
                p,
                path(&["cognito", "group_pattern"]),
                format!(
                    "the pattern lacks {}; it must contain both {{tenant}} and {{role}}, e.g. \"{{tenant}}:{{role}}\"",
                    missing.join(" and ")
                ),
            );
        }
        let name_len = self
            .tenant_attribute
            .strip_prefix("custom:")
            .map(|n| n.chars().count());
        if !matches!(name_len, Some(1..=20)) {
            problem(
                p,
                path(&["cognito", "tenant_attribute"]),
                format!(
                    "`{}` is not a custom attribute; write \"custom:\" and a name of 1-20 characters, e.g. \"custom:tenant_id\"",
                    self.tenant_attribute
                ),
            );
        }
        if self.roles.is_empty() {
            problem(
                p,
                path(&["cognito", "roles"]),
                "the list is empty; name at least one role, e.g. [\"admin\", \"member\"]",
            );
        }
        // A set, not a scan of the earlier entries: a long list must not take quadratic time.
        let mut seen = HashSet::new();
        for (i, role) in self.roles.iter().enumerate() {
            if role.trim().is_empty() {
                problem(
                    p,
                    indexed(path(&["cognito", "roles"]), i),
                    "a role name is empty; remove it or name the role",
                );
            } else if !seen.insert(role) {
                problem(
                    p,
                    indexed(path(&["cognito", "roles"]), i),
                    format!("role `{role}` is listed twice; remove one"),
                );
            }
        }
        if self.import_rate == 0 {
            problem(
                p,
                path(&["cognito", "import_rate"]),
                "must be at least 1 (users created per second; Cognito allows 25)",
            );
        }
    }
}

impl WorkflowsConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        if !(200..=60_000).contains(&self.poll_interval_ms) {
            problem(
                p,
                path(&["workflows", "poll_interval_ms"]),
                format!(
                    "{} ms is out of range; use 200 to 60000 (Step Functions throttles faster polling)",
                    self.poll_interval_ms
                ),
            );
        }
    }
}

impl UiConfig {
    fn check(&self, p: &mut Vec<Problem>) {
        if !(16..=1000).contains(&self.tick_ms) {
            problem(
                p,
                path(&["ui", "tick_ms"]),
                format!("{} ms is out of range; use 16 to 1000", self.tick_ms),
            );
        }
        if self.refresh_secs > 3600 {
            problem(
                p,
                path(&["ui", "refresh_secs"]),
                format!(
                    "{} s is out of range; use 1 to 3600, or 0 to turn live refresh off",
                    self.refresh_secs
                ),
            );
        }
    }
}

/// `[onboarding]` and `[offboarding]`: each template's shape (the placeholders' values are only
/// known to the command, which renders and checks them again before any call).
fn check_runbook(config: &Config, p: &mut Vec<Problem>) {
    use crate::domain::template::{Vars, placeholders, render_json};
    if let Some(dns) = &config.onboarding.dns {
        let at = |k: &str| path(&["onboarding", "dns", k]);
        if dns.zone.trim().is_empty() {
            problem(p, at("zone"), "give the hosted zone's name or id");
        }
        if !placeholders(&dns.name).iter().any(|n| n == "tenant") {
            problem(
                p,
                at("name"),
                "the name must contain {tenant}, so that each tenant gets its own record",
            );
        }
        if dns.kind.is_empty() || !dns.kind.chars().all(|c| c.is_ascii_uppercase()) {
            problem(
                p,
                at("type"),
                "write the record type in capitals, e.g. \"CNAME\"",
            );
        }
        match (&dns.alias_target, dns.values.is_empty()) {
            (Some(_), false) => problem(
                p,
                at("alias_target"),
                "give either values or alias_target, not both",
            ),
            (None, true) => problem(
                p,
                at("values"),
                "give the record's values (or alias_target)",
            ),
            _ => {}
        }
        if let Some(ttl) = dns.ttl
            && !(0..=2_147_483_647).contains(&ttl)
        {
            problem(
                p,
                at("ttl"),
                format!("{ttl} is out of range; use 0 to 2147483647"),
            );
        }
    }
    let workflows = [
        ("onboarding", config.onboarding.workflow.as_ref()),
        ("offboarding", config.offboarding.workflow.as_ref()),
    ];
    for (section, workflow) in workflows {
        let Some(w) = workflow else { continue };
        let at = |k: &str| path(&[section, "workflow", k]);
        if w.state_machine.trim().is_empty() {
            problem(
                p,
                at("state_machine"),
                "give the state machine's name or ARN",
            );
        }
        if let Some(region) = &w.region
            && let Err(e) = check_region(region)
        {
            problem(p, at("region"), e);
        }
        if !(1..=86_400).contains(&w.timeout_secs) {
            problem(
                p,
                at("timeout_secs"),
                format!("{} s is out of range; use 1 to 86400", w.timeout_secs),
            );
        }
        if w.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            problem(
                p,
                at("name"),
                "give the execution's name, e.g. \"onboard-{tenant}\"",
            );
        }
        // Any value stands in for the placeholders: a quoted one stays a string, a bare one a number.
        let stand_in: Vars = placeholders(&w.input)
            .into_iter()
            .map(|n| (n, "0".to_owned()))
            .collect();
        if let Err(e) = render_json(&w.input, &stand_in, &format!("{section}.workflow.input")) {
            let e = e.split_once(": ").map_or(e.as_str(), |(_, m)| m).to_owned();
            problem(p, at("input"), e);
        }
    }
    if config.offboarding.delete_dns && config.onboarding.dns.is_none() {
        problem(
            p,
            path(&["offboarding", "delete_dns"]),
            "there is no [onboarding.dns] naming the record to delete",
        );
    }
}

fn check_theme(theme: &super::theme::ThemeConfig, p: &mut Vec<Problem>) {
    for (role, _) in super::theme::ROLES {
        if let Some(text) = theme.role(role)
            && let Err(m) = super::theme::parse_style(text)
        {
            problem(p, path(&["theme", role]), m);
        }
    }
}

fn check_keymap(keymap: &Keymap, p: &mut Vec<Problem>) {
    if keymap.keys_for(Action::Quit).is_empty() {
        problem(
            p,
            path(&["keymap", "quit"]),
            "quit has no key; bind at least one, e.g. [\"q\"]",
        );
    }
    for conflict in keymap.conflicts() {
        let at = |action: Action, index: usize| indexed(path(&action.config_path()), index);
        let mut candidates = vec![at(conflict.action, conflict.index)];
        // The clash may come from the user rebinding the earlier action onto a default key of the
        // later one; then point at the user's line.
        if let Some(taken_by) = conflict.taken_by
            && let Some(i) = keymap
                .keys_for(taken_by)
                .iter()
                .position(|k| *k == conflict.key)
            && taken_by.is_configurable()
        {
            candidates.push(at(taken_by, i));
        }
        p.push(Problem {
            candidates,
            message: conflict.to_string(),
        });
    }
}
