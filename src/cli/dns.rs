//! `opsdeck dns zones|records|find|delegations`: the clap definitions of the DNS commands.

use clap::{Args, Subcommand};

use super::OutputArgs;

#[derive(Debug, Subcommand)]
pub enum DnsCommand {
    /// Every hosted zone of every account.
    Zones(DnsArgs),
    /// Every record set of every zone (or of the zones named).
    Records {
        #[command(flatten)]
        common: DnsArgs,
        /// Only this zone (name or id).
        #[arg(long, value_name = "NAME|ID")]
        zone: Option<String>,
        /// Only record sets of this type (A, AAAA, CNAME, MX, NS, TXT, ...; any case).
        #[arg(long = "type", value_name = "TYPE", value_parser = record_type)]
        kind: Option<String>,
        /// Only record sets whose name contains this text.
        #[arg(long, value_name = "SUBSTRING")]
        name: Option<String>,
    },
    /// Which zones serve a name, the delegation chain down to them, and the records that answer.
    Find {
        /// The name to look up, e.g. api.dev.example.com.
        #[arg(value_parser = dns_name)]
        name: String,
        #[command(flatten)]
        common: DnsArgs,
    },
    /// Check every delegation between the organisation's public zones (problems first).
    Delegations(DnsArgs),
}

impl DnsCommand {
    pub fn name(&self) -> &'static str {
        match self {
            DnsCommand::Zones(_) => "dns zones",
            DnsCommand::Records { .. } => "dns records",
            DnsCommand::Find { .. } => "dns find",
            DnsCommand::Delegations(_) => "dns delegations",
        }
    }

    /// The flags every `dns` command takes.
    pub fn common(&self) -> &DnsArgs {
        match self {
            DnsCommand::Zones(c) | DnsCommand::Delegations(c) => c,
            DnsCommand::Records { common, .. } | DnsCommand::Find { common, .. } => common,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct DnsArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// Only this account (id or name); repeat for several.
    #[arg(long = "account", value_name = "ID|NAME")]
    pub accounts: Vec<String>,
}

/// The record types Route53 serves.
pub const RECORD_TYPES: &[&str] = &[
    "A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV",
    "SSHFP", "SVCB", "TLSA", "TXT",
];

/// `--type`: one of Route53's record types, in any case; a usage error names them.
fn record_type(text: &str) -> Result<String, String> {
    let upper = text.trim().to_ascii_uppercase();
    if RECORD_TYPES.contains(&upper.as_str()) {
        Ok(upper)
    } else {
        Err(format!(
            "not a Route53 record type; use one of {}",
            RECORD_TYPES.join(", ")
        ))
    }
}

/// `dns find NAME`: a name with at least one label; an empty one is a usage error.
fn dns_name(text: &str) -> Result<String, String> {
    if text.trim().trim_matches('.').is_empty() {
        Err("the name is empty; give one such as api.dev.example.com".into())
    } else {
        Ok(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::DnsCommand;
    use crate::cli::{Cli, Command};

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("opsdeck").chain(args.iter().copied()))
    }

    #[test]
    fn an_empty_name_to_find_is_a_usage_error() {
        for name in ["", " ", "."] {
            let e = parse(&["dns", "find", name]).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains("the name is empty"), "{e}");
        }
        assert!(parse(&["dns", "find", "api.example.com"]).is_ok());
    }

    #[test]
    fn an_unknown_record_type_is_a_usage_error_naming_the_types() {
        let e = parse(&["dns", "records", "--type", "BOGUS"]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string()
                .contains("not a Route53 record type; use one of A, AAAA, CAA, CNAME"),
            "{e}"
        );
        let cli = parse(&["dns", "records", "--type", "txt"]).unwrap();
        let Some(Command::Dns(DnsCommand::Records { kind, .. })) = cli.command else {
            panic!("not dns records");
        };
        assert_eq!(kind.as_deref(), Some("TXT"));
    }
}
