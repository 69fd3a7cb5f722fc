//! `opsdeck dns zones|records|find|delegations|audit|upsert|delete|fix-delegation`: the clap
//! definitions of the DNS commands.

use clap::{Args, Subcommand};

use super::OutputArgs;

#[derive(Debug, Subcommand)]
pub enum DnsCommand {
    /// Every hosted zone of every account.
    Zones(DnsArgs),
    /// Every record set of every zone (or of the zones named).
    ///
    /// `-o json` and `-o csv` stream: rows are written as Route53's pages arrive (each zone's
    /// record sets in listing order; zones and accounts interleaved), so memory does not grow with
    /// the organisation; the JSON array is closed at the end. `-o table` holds every row until the
    /// last account is read, to size its columns.
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
    /// Find what points into nothing across the organisation: dangling delegations, CNAMEs and
    /// aliases; zones held twice; zones their parent does not delegate to.
    Audit(DnsArgs),
    /// Create or change a record set, in the deepest zone of the organisation holding the name.
    Upsert(UpsertArgs),
    /// Delete a record set (its name must be typed to confirm, or --yes).
    Delete(DeleteArgs),
    /// Fix the delegation of a zone from its parent (missing, mismatch: the parent's NS record
    /// gets the zone's name servers; dangling: the parent's NS record is deleted).
    FixDelegation(FixDelegationArgs),
}

/// How a change is confirmed.
#[derive(Debug, Clone, Copy, Args)]
pub struct DnsChangeArgs {
    /// Show the plan and audit it as a dry run; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (deletions included).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Args)]
pub struct UpsertArgs {
    /// The record name, e.g. api.dev.example.com.
    #[arg(value_parser = dns_name)]
    pub name: String,
    /// The record type (A, AAAA, CNAME, TXT, MX, NS, SRV, CAA, PTR, SPF, SOA; any case).
    #[arg(value_name = "TYPE", value_parser = record_type)]
    pub kind: String,
    /// The values: IP addresses, a host name, TXT text (quoted strings as given, plain text is
    /// quoted and split into 255-character strings), `PRIORITY HOST` for MX...
    #[arg(value_name = "VALUE")]
    pub values: Vec<String>,
    /// TTL in seconds (default: the record's current TTL, or 300 for a new record).
    #[arg(long)]
    pub ttl: Option<i64>,
    /// The zone (name or id) when the name is in several, e.g. a public and a private one.
    #[arg(long, value_name = "NAME|ID")]
    pub zone: Option<String>,
    /// Make an alias record to this target instead of values: ZONE_ID/NAME.
    #[arg(long, value_name = "ZONE_ID/NAME")]
    pub alias_target: Option<String>,
    /// With --alias-target: answer only while the target is healthy.
    #[arg(long, requires = "alias_target")]
    pub evaluate_target_health: bool,
    /// Which record set of a weighted, failover, latency... set to change.
    #[arg(long, value_name = "ID")]
    pub set_identifier: Option<String>,
    /// Allow changing a zone's apex NS or SOA record.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub change: DnsChangeArgs,
    #[command(flatten)]
    pub common: DnsArgs,
}

#[derive(Debug, Clone, Args)]
pub struct DeleteArgs {
    /// The record name.
    #[arg(value_parser = dns_name)]
    pub name: String,
    /// The record type.
    #[arg(value_name = "TYPE", value_parser = record_type)]
    pub kind: String,
    /// The zone (name or id) when the name is in several.
    #[arg(long, value_name = "NAME|ID")]
    pub zone: Option<String>,
    /// Which record set of a weighted, failover, latency... set to delete.
    #[arg(long, value_name = "ID")]
    pub set_identifier: Option<String>,
    /// Allow deleting a zone's apex NS or SOA record.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub change: DnsChangeArgs,
    #[command(flatten)]
    pub common: DnsArgs,
}

#[derive(Debug, Clone, Args)]
pub struct FixDelegationArgs {
    /// The child zone whose delegation to fix, e.g. staging.example.com.
    #[arg(value_parser = dns_name)]
    pub child_zone: String,
    #[command(flatten)]
    pub change: DnsChangeArgs,
    #[command(flatten)]
    pub common: DnsArgs,
}

impl DnsCommand {
    pub fn name(&self) -> &'static str {
        match self {
            DnsCommand::Zones(_) => "dns zones",
            DnsCommand::Records { .. } => "dns records",
            DnsCommand::Find { .. } => "dns find",
            DnsCommand::Delegations(_) => "dns delegations",
            DnsCommand::Audit(_) => "dns audit",
            DnsCommand::Upsert(_) => "dns upsert",
            DnsCommand::Delete(_) => "dns delete",
            DnsCommand::FixDelegation(_) => "dns fix-delegation",
        }
    }

    /// Whether the command changes Route53 (it then goes through the change executor).
    pub fn is_change(&self) -> bool {
        matches!(
            self,
            DnsCommand::Upsert(_) | DnsCommand::Delete(_) | DnsCommand::FixDelegation(_)
        )
    }

    /// The flags every `dns` command takes.
    pub fn common(&self) -> &DnsArgs {
        match self {
            DnsCommand::Zones(c) | DnsCommand::Delegations(c) | DnsCommand::Audit(c) => c,
            DnsCommand::Records { common, .. } | DnsCommand::Find { common, .. } => common,
            DnsCommand::Upsert(a) => &a.common,
            DnsCommand::Delete(a) => &a.common,
            DnsCommand::FixDelegation(a) => &a.common,
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

/// A DNS name argument: at least one label; an empty one is a usage error.
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
