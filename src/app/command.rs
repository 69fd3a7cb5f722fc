//! The `:` command line: parsing and completion. Pure functions over text.

/// A command the operator typed after `:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Accounts,
    Tenants,
    Dns,
    Workflows,
    /// Make this account (id or name) the current one.
    Account(String),
    /// Switch every client to this region.
    Region(String),
    /// Switch every client to this AWS profile.
    Profile(String),
    /// A new SSO or MFA session for this profile, or the one in use.
    Login(Option<String>),
    /// Who serves this DNS name, across the organisation.
    Find(String),
    /// The delegation check of the organisation's public zones.
    Delegations,
    /// What the Tenants and Workflows panes read: `here`, or the organisation × these regions
    /// (none given: `[scope] regions`, else the current region).
    Scope(ScopeWanted),
    /// The failed, timed-out and aborted executions of the scope within this window.
    Failures(chrono::Duration),
    /// Where a user (email or username) lives: every pool of the organisation.
    User(String),
    Help,
    Quit,
}

/// What `:scope` asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeWanted {
    Here,
    Organisation(Vec<String>),
}

/// The window of `:failures` when none is given.
pub const FAILURES_WINDOW_HOURS: i64 = 24;

/// The command words, in the order completion offers them, with what each takes.
pub const COMMANDS: &[(&str, &str)] = &[
    ("accounts", "the organisation's accounts"),
    ("tenants", "the Tenants pane"),
    ("dns", "the DNS pane"),
    ("workflows", "the Workflows pane"),
    ("account", "<id|name>  make an account current"),
    ("region", "<name>  switch region"),
    ("profile", "<name>  switch AWS profile (~/.aws/config)"),
    (
        "login",
        "[<profile>]  a new SSO or MFA session (then use that profile)",
    ),
    (
        "find",
        "<name>  which zones and records answer for a DNS name",
    ),
    (
        "delegations",
        "check the subdomain delegations between zones",
    ),
    (
        "scope",
        "<here|org [region,...]>  what Tenants and Workflows read",
    ),
    (
        "failures",
        "[<window: 1h, 7d>]  failed executions of the scope",
    ),
    (
        "user",
        "<email|username>  where a user lives: every user pool of the organisation",
    ),
    ("help", "the key bindings"),
    ("q", "quit"),
];

/// Parse a command line (without the leading `:`). The error says what to type instead.
pub fn parse(line: &str) -> Result<Command, String> {
    let mut words = line.split_whitespace();
    let Some(word) = words.next() else {
        return Err("empty command: try :accounts, :dns or :help".into());
    };
    let arg = words.collect::<Vec<_>>().join(" ");
    let no_arg = |cmd: Command| {
        if arg.is_empty() {
            Ok(cmd)
        } else {
            Err(format!(":{word} takes no argument"))
        }
    };
    match word {
        "accounts" => no_arg(Command::Accounts),
        "tenants" => no_arg(Command::Tenants),
        "dns" => no_arg(Command::Dns),
        "workflows" | "sfn" => no_arg(Command::Workflows),
        "help" => no_arg(Command::Help),
        "delegations" => no_arg(Command::Delegations),
        "find" if arg.is_empty() => {
            Err(":find needs a DNS name, e.g. :find api.example.com".into())
        }
        "find" => Ok(Command::Find(arg)),
        "user" if arg.is_empty() => {
            Err(":user needs an email address or a username, e.g. :user alice@example.com".into())
        }
        "user" => Ok(Command::User(arg)),
        "q" | "quit" => no_arg(Command::Quit),
        "account" if arg.is_empty() => Err(":account needs an account id or name".into()),
        "account" => Ok(Command::Account(arg)),
        "region" if arg.is_empty() => {
            Err(":region needs a region name, e.g. :region eu-west-1".into())
        }
        "region" if !is_region_name(&arg) => Err(format!(
            "`{arg}` is not a region name: expected something like eu-west-1"
        )),
        "region" => Ok(Command::Region(arg)),
        "profile" if arg.is_empty() => {
            Err(":profile needs a profile name from ~/.aws/config, e.g. :profile ops".into())
        }
        "profile" => Ok(Command::Profile(arg)),
        "scope" => parse_scope(&arg),
        "failures" if arg.is_empty() => Ok(Command::Failures(chrono::Duration::hours(
            FAILURES_WINDOW_HOURS,
        ))),
        "failures" => parse_window(&arg).map(Command::Failures),
        "login" if arg.is_empty() => Ok(Command::Login(None)),
        "login" => Ok(Command::Login(Some(arg))),
        other => Err(format!(
            "unknown command `{other}`: try :accounts, :tenants, :dns, :workflows, :account, \
             :region, :profile, :login, :find, :delegations, :scope, :failures, :user or :q"
        )),
    }
}

/// `here`, `org`, `org eu-west-1,us-east-1` (commas or spaces).
fn parse_scope(arg: &str) -> Result<Command, String> {
    let mut words = arg
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty());
    let regions: Vec<String> = match words.next() {
        Some("here") => {
            return match words.next() {
                None => Ok(Command::Scope(ScopeWanted::Here)),
                Some(_) => Err(":scope here takes no region: the current region is used".into()),
            };
        }
        Some("org" | "organisation" | "organization") => words.map(str::to_owned).collect(),
        _ => {
            return Err(
                ":scope needs `here` or `org` (then regions if you like), e.g. :scope org eu-west-1,us-east-1"
                    .into(),
            );
        }
    };
    match regions.iter().find(|r| !is_region_name(r)) {
        Some(bad) => Err(format!(
            "`{bad}` is not a region name: expected something like eu-west-1"
        )),
        None => Ok(Command::Scope(ScopeWanted::Organisation(regions))),
    }
}

/// A window such as `30m`, `1h`, `24h`, `7d` (at most 90 days: Step Functions keeps the history
/// of ended executions that long).
pub fn parse_window(arg: &str) -> Result<chrono::Duration, String> {
    let bad = || format!("`{arg}` is not a window: expected a number and m, h or d, e.g. 1h or 7d");
    let arg = arg.trim();
    let (number, unit) = arg.split_at(arg.len().saturating_sub(1));
    let n: i64 = number.parse().map_err(|_| bad())?;
    let window = match unit {
        "m" => chrono::Duration::minutes(n),
        "h" => chrono::Duration::hours(n),
        "d" => chrono::Duration::days(n),
        _ => return Err(bad()),
    };
    if n <= 0 {
        return Err(format!("the window `{arg}` must be longer than zero"));
    }
    if window > chrono::Duration::days(90) {
        return Err(format!(
            "the window `{arg}` is longer than 90 days, which Step Functions keeps ended executions"
        ));
    }
    Ok(window)
}

/// The shape of an AWS region name (`us-east-1`, `us-gov-west-1`, `ap-southeast-2`), so a typo is
/// caught here rather than as a DNS failure of a made-up endpoint.
pub fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok_and(|n| n > 0)
}

/// What the operator could mean by the text typed so far: full command lines to put in the input.
/// `accounts` are (id, name) pairs and `regions` the configured region list, for the arguments.
pub fn complete(
    line: &str,
    accounts: &[(String, String)],
    regions: &[String],
    profiles: &[String],
) -> Vec<String> {
    match line.split_once(' ') {
        // A command that takes an argument completes with the space after it, so the argument
        // can be typed (or completed) at once: `:f⇥api.example.com`.
        None => COMMANDS
            .iter()
            .filter(|(word, _)| word.starts_with(line))
            .map(|(word, what)| {
                if what.starts_with('<') {
                    format!("{word} ")
                } else {
                    (*word).to_owned()
                }
            })
            .collect(),
        Some(("account", arg)) => {
            let arg = arg.trim_start().to_lowercase();
            let mut out: Vec<String> = accounts
                .iter()
                .flat_map(|(id, name)| [name, id])
                .filter(|candidate| !candidate.is_empty())
                .filter(|candidate| candidate.to_lowercase().starts_with(&arg))
                .map(|candidate| format!("account {candidate}"))
                .collect();
            out.dedup();
            out
        }
        Some(("region", arg)) => {
            let arg = arg.trim_start();
            regions
                .iter()
                .filter(|r| r.starts_with(arg))
                .map(|r| format!("region {r}"))
                .collect()
        }
        Some(("profile" | "login", arg)) => {
            let word = line.split_once(' ').map_or("profile", |(w, _)| w);
            let arg = arg.trim_start();
            profiles
                .iter()
                .filter(|p| p.starts_with(arg))
                .map(|p| format!("{word} {p}"))
                .collect()
        }
        Some(("scope", arg)) => ["here", "org"]
            .iter()
            .filter(|w| w.starts_with(arg.trim_start()))
            .map(|w| format!("scope {w}"))
            .collect(),
        Some(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_command() {
        assert_eq!(parse("accounts"), Ok(Command::Accounts));
        assert_eq!(parse(" dns "), Ok(Command::Dns));
        assert_eq!(parse("q"), Ok(Command::Quit));
        assert_eq!(
            parse("account staging"),
            Ok(Command::Account("staging".into()))
        );
        assert_eq!(
            parse("region eu-west-1"),
            Ok(Command::Region("eu-west-1".into()))
        );
        assert_eq!(
            parse("find api.dev.example.com"),
            Ok(Command::Find("api.dev.example.com".into()))
        );
        assert_eq!(parse("delegations"), Ok(Command::Delegations));
        assert!(parse("find").unwrap_err().contains("needs a DNS name"));
        assert_eq!(
            parse("user  alice@acme.com "),
            Ok(Command::User("alice@acme.com".into()))
        );
        assert!(
            parse("user")
                .unwrap_err()
                .contains("needs an email address")
        );
    }

    #[test]
    fn scope_takes_here_or_org_with_checked_regions() {
        assert_eq!(parse("scope here"), Ok(Command::Scope(ScopeWanted::Here)));
        assert_eq!(
            parse("scope org"),
            Ok(Command::Scope(ScopeWanted::Organisation(Vec::new())))
        );
        assert_eq!(
            parse("scope org eu-west-1,us-east-1"),
            Ok(Command::Scope(ScopeWanted::Organisation(vec![
                "eu-west-1".into(),
                "us-east-1".into()
            ])))
        );
        let bad = parse("scope org eu-west-1,euwest2").unwrap_err();
        assert!(bad.contains("`euwest2` is not a region name"), "{bad}");
        assert!(parse("scope").unwrap_err().contains("`here` or `org`"));
        assert!(
            parse("scope here eu-west-1")
                .unwrap_err()
                .contains("takes no region")
        );
        assert_eq!(complete("scope o", &[], &[], &[]), ["scope org"]);
    }

    #[test]
    fn failures_take_a_window_of_minutes_hours_or_days() {
        assert_eq!(
            parse("failures"),
            Ok(Command::Failures(chrono::Duration::hours(24)))
        );
        assert_eq!(
            parse("failures 1h"),
            Ok(Command::Failures(chrono::Duration::hours(1)))
        );
        assert_eq!(
            parse("failures 7d"),
            Ok(Command::Failures(chrono::Duration::days(7)))
        );
        assert!(parse("failures 7w").unwrap_err().contains("e.g. 1h or 7d"));
        assert!(
            parse("failures 0h")
                .unwrap_err()
                .contains("longer than zero")
        );
        assert!(parse("failures 100d").unwrap_err().contains("90 days"));
    }

    #[test]
    fn bad_commands_say_what_to_type() {
        assert!(parse("acounts").unwrap_err().contains("try :accounts"));
        assert!(parse("account").unwrap_err().contains("needs an account"));
        assert!(
            parse("region mars")
                .unwrap_err()
                .contains("not a region name")
        );
        assert!(
            parse("dns extra")
                .unwrap_err()
                .contains("takes no argument")
        );
        assert!(parse("").is_err());
    }

    #[test]
    fn region_names_have_the_aws_shape() {
        for ok in ["us-east-1", "eu-west-3", "us-gov-west-1", "ap-southeast-2"] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in ["useast1", "us-east", "US-EAST-1", "us-east-0", "us--1"] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }

    #[test]
    fn completes_command_words_then_arguments() {
        let accounts = vec![
            ("111111111111".to_owned(), "dev".to_owned()),
            ("222222222222".to_owned(), "staging".to_owned()),
        ];
        let regions = vec!["eu-west-1".to_owned(), "us-east-1".to_owned()];
        assert_eq!(
            complete("acc", &accounts, &regions, &[]),
            ["accounts", "account "]
        );
        assert_eq!(complete("fi", &accounts, &regions, &[]), ["find "]);
        assert_eq!(
            complete("f", &accounts, &regions, &[]),
            ["find ", "failures"]
        );
        assert_eq!(complete("del", &accounts, &regions, &[]), ["delegations"]);
        assert_eq!(
            complete("account st", &accounts, &regions, &[]),
            ["account staging"]
        );
        assert_eq!(
            complete("account 1", &accounts, &regions, &[]),
            ["account 111111111111"]
        );
        assert_eq!(
            complete("region eu", &accounts, &regions, &[]),
            ["region eu-west-1"]
        );
        assert!(complete("dns x", &accounts, &regions, &[]).is_empty());
        let profiles = vec!["corp".to_owned(), "ops".to_owned(), "ops-admin".to_owned()];
        assert_eq!(
            complete("profile op", &accounts, &regions, &profiles),
            ["profile ops", "profile ops-admin"]
        );
        assert_eq!(
            complete("pro", &accounts, &regions, &profiles),
            ["profile "]
        );
        assert_eq!(parse("profile ops"), Ok(Command::Profile("ops".into())));
        assert!(
            parse("profile")
                .unwrap_err()
                .contains("needs a profile name")
        );
        assert_eq!(parse("login"), Ok(Command::Login(None)));
        assert_eq!(parse("login corp"), Ok(Command::Login(Some("corp".into()))));
        assert_eq!(
            complete("login c", &accounts, &regions, &profiles),
            ["login corp"]
        );
    }
}
