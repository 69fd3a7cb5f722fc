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
        /// Only record sets of this type (A, AAAA, CNAME, MX, NS, TXT, ...).
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<String>,
        /// Only record sets whose name contains this text.
        #[arg(long, value_name = "SUBSTRING")]
        name: Option<String>,
    },
    /// Which zones serve a name, the delegation chain down to them, and the records that answer.
    Find {
        /// The name to look up, e.g. api.dev.example.com.
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
