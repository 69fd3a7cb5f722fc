//! The command line: every command and flag, as clap definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub mod dns;
pub mod tenants;
pub mod workflows;

#[derive(Debug, Parser)]
#[command(
    name = "opsdeck",
    version,
    about = "A terminal dashboard for operators of multi-tenant SaaS on AWS",
    long_about = "Without a command, opens the interactive dashboard. With a command, prints its \
                  result for scripts (-o table|json|csv).\n\nExit codes: 0 success, 1 error, \
                  2 usage error, 3 refused (read-only or not confirmed), 4 partial result (some \
                  accounts failed), 5 the check ran and found problems (dns delegations, dns \
                  find of an unserved name, sfn watch of an execution that did not succeed), \
                  130 a change interrupted by Ctrl-C."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command understands; they override the config file.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// AWS profile from ~/.aws/config (also AWS_PROFILE).
    #[arg(long, global = true)]
    pub profile: Option<String>,

    /// AWS region (also AWS_REGION).
    #[arg(long, global = true)]
    pub region: Option<String>,

    /// Send every AWS call to this endpoint, e.g. a local emulator (also AWS_ENDPOINT_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Use this config file instead of $XDG_CONFIG_HOME/opsdeck/config.toml.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Refuse every change to AWS.
    #[arg(long, global = true)]
    pub read_only: bool,

    /// The code of the MFA device of the profile (mfa_serial), for scripts; without it opsdeck
    /// asks on the terminal when no cached MFA session lasts. Never logged.
    #[arg(
        long,
        global = true,
        value_name = "CODE",
        env = "OPSDECK_MFA_CODE",
        hide_env_values = true
    )]
    pub mfa_code: Option<String>,

    /// Log level for the log file under $XDG_STATE_HOME/opsdeck/ (error, warn, info, debug, trace).
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show who the current credentials are: account, ARN, region, endpoint.
    Whoami(OutputArgs),
    /// Log in: the SSO device flow for an SSO profile (the token is written where the AWS CLI
    /// keeps it), a new MFA session for a profile with mfa_serial.
    Login,
    /// Forget the profile's cached MFA session and its SSO token: the next command asks again.
    Logout,
    /// List the organisation's accounts and whether the configured role can be assumed in each.
    Accounts(OutputArgs),
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Work with the local demo organisation in an AWS emulator.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Route53 across every account: zones, records, find a name, check delegations.
    #[command(subcommand)]
    Dns(dns::DnsCommand),
    /// Tenants of the Cognito user pool: list, show, create, delete.
    #[command(subcommand)]
    Tenants(tenants::TenantsCommand),
    /// Users of the Cognito user pool: list, show, onboard, change role, remove, import...
    #[command(subcommand)]
    Users(tenants::UsersCommand),
    /// Step Functions: machines, executions, show, history, watch, start, stop, redrive.
    #[command(subcommand)]
    Sfn(workflows::SfnCommand),
    /// Print the completion script of a shell, e.g. `opsdeck completions bash >
    /// ~/.local/share/bash-completion/completions/opsdeck`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `opsdeck man > ~/.local/share/man/man1/opsdeck.1`.
    Man,
}

impl Command {
    /// The command as typed, for the log.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Whoami(_) => "whoami",
            Command::Login => "login",
            Command::Logout => "logout",
            Command::Accounts(_) => "accounts",
            Command::Config(ConfigCommand::Show) => "config show",
            Command::Config(ConfigCommand::Check { .. }) => "config check",
            Command::Config(ConfigCommand::Default) => "config default",
            Command::Demo(DemoCommand::Seed) => "demo seed",
            Command::Dns(c) => c.name(),
            Command::Tenants(c) => c.name(),
            Command::Users(c) => c.name(),
            Command::Sfn(c) => c.name(),
            Command::Completions { .. } => "completions",
            Command::Man => "man",
        }
    }
}

#[derive(Debug, Clone, Copy, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// The scope of an org-wide read: the current account and region, or every account of the
/// organisation (`--all-accounts`) × a list of regions.
#[derive(Debug, Clone, Default, Args)]
pub struct ScopeArgs {
    /// Every account of the organisation (as `opsdeck accounts` lists them), each through the
    /// assumed role; default: the current account only.
    #[arg(long)]
    pub all_accounts: bool,
    /// Regions to read, comma-separated (default: scope.regions of the config, else the current
    /// region).
    #[arg(long, value_name = "REGION,...", value_delimiter = ',', value_parser = parse_region)]
    pub regions: Vec<String>,
}

fn parse_region(text: &str) -> Result<String, String> {
    let region = text.trim();
    crate::domain::region::check_region_name(region).map(|()| region.to_owned())
}

pub use crate::rows::OutputFormat;

/// `-o table|json|csv`, parsed by clap; the enum itself lives with the rows it formats.
impl ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Csv => "csv",
        }))
    }
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration (defaults < file < flags) as TOML.
    Show,
    /// Validate a config file and report the first problem with its line and key.
    Check {
        /// The file to check.
        file: PathBuf,
    },
    /// Print the built-in default configuration, with its documentation.
    Default,
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Write the demo organisation into the emulator at --endpoint-url (loopback only).
    Seed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_are_accepted_after_the_command() {
        let cli = Cli::try_parse_from([
            "opsdeck",
            "accounts",
            "-o",
            "json",
            "--region",
            "eu-west-1",
            "--read-only",
        ])
        .unwrap();
        assert_eq!(cli.global.region.as_deref(), Some("eu-west-1"));
        assert!(cli.global.read_only);
        assert!(matches!(
            cli.command,
            Some(Command::Accounts(OutputArgs {
                output: OutputFormat::Json
            }))
        ));
    }
}
