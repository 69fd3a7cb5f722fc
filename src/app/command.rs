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
    /// Where a user (email or username) lives: every pool of the organisation.
    User(String),
    Help,
    Quit,
}

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
        "login" if arg.is_empty() => Ok(Command::Login(None)),
        "login" => Ok(Command::Login(Some(arg))),
        other => Err(format!(
            "unknown command `{other}`: try :accounts, :tenants, :dns, :workflows, :account, \
             :region, :profile, :login, :find, :delegations, :user or :q"
        )),
    }
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
        assert_eq!(complete("f", &accounts, &regions, &[]), ["find "]);
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
