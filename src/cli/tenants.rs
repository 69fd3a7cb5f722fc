//! `opsdeck tenants ...` and `opsdeck users ...`: tenants and users of a Cognito user pool.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{OutputFormat, ScopeArgs};

/// Which pool, and how to print.
#[derive(Debug, Clone, Args)]
pub struct PoolArgs {
    /// The user pool id (default: cognito.user_pool_id, else the only pool of the account).
    #[arg(long, value_name = "POOL_ID")]
    pub pool: Option<String>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// How a change is confirmed.
#[derive(Debug, Clone, Copy, Args)]
pub struct ChangeArgs {
    /// Show the plan and audit it as a dry run; change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation (destructive changes included).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum TenantsCommand {
    /// List the tenants with their user counts per role; with --all-accounts or --regions, the
    /// tenants of every user pool of the scope, each pool read with its own tenant model.
    List {
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        scope: ScopeArgs,
    },
    /// Show one tenant and its users grouped by role.
    Show {
        tenant: String,
        #[command(flatten)]
        pool: PoolArgs,
    },
    /// Onboard a tenant: its role groups and first admin (invited by email), then the runbook's
    /// DNS record and provisioning workflow when the config has an [onboarding] section.
    Create {
        tenant: String,
        /// The email of the tenant's first admin (also their username).
        #[arg(long, value_name = "EMAIL")]
        admin_email: String,
        /// A display name, stored as the groups' description.
        #[arg(long, value_name = "TEXT", default_value = "")]
        name: String,
        /// A value for the runbook's `{key}` placeholders ([onboarding] in the config);
        /// repeatable.
        #[arg(long = "var", value_name = "KEY=VALUE")]
        vars: Vec<String>,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Delete a tenant's groups; refused while it has users unless --force.
    Delete {
        tenant: String,
        /// Delete even though the tenant still has users (they stay in the pool).
        #[arg(long)]
        force: bool,
        /// A value for the runbook's `{key}` placeholders ([offboarding] in the config);
        /// repeatable.
        #[arg(long = "var", value_name = "KEY=VALUE")]
        vars: Vec<String>,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Find a user by email or username in every user pool of the scope (the current account and
    /// region, or --all-accounts × --regions): where it lives, its tenants and roles.
    Find {
        /// An email address (ListUsers filter `email = ...`) or a username.
        #[arg(value_name = "EMAIL_OR_USERNAME")]
        query: String,
        /// Output format.
        #[arg(short = 'o', long = "output", value_enum, default_value_t = OutputFormat::Table)]
        output: OutputFormat,
        #[command(flatten)]
        scope: ScopeArgs,
    },
    /// List users with their tenants and roles.
    List {
        /// Only the users of this tenant.
        #[arg(long)]
        tenant: Option<String>,
        /// Only users whose email starts with this (server-side filter).
        #[arg(long, value_name = "PREFIX")]
        email_prefix: Option<String>,
        #[command(flatten)]
        pool: PoolArgs,
    },
    /// Show a user: attributes, tenants and roles, MFA, status.
    Show {
        username: String,
        #[command(flatten)]
        pool: PoolArgs,
    },
    /// Onboard a user into a tenant with a role (an existing user is added, not recreated).
    Onboard {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Change a user's role in a tenant (the new role is added before the old is removed).
    SetRole {
        username: String,
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        role: String,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Remove a user from a tenant.
    Remove {
        username: String,
        #[arg(long)]
        tenant: String,
        /// Also delete the user when they belong to no other tenant.
        #[arg(long)]
        delete_user: bool,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Disable a user: they can no longer sign in.
    Disable {
        username: String,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Enable a disabled user.
    Enable {
        username: String,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Reset a user's password: they get a code to choose a new one.
    ResetPassword {
        username: String,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Resend the invitation to a user who never signed in.
    ResendInvitation {
        username: String,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
    /// Import users into a tenant from a CSV file with columns email,role[,name].
    Import {
        #[arg(long)]
        tenant: String,
        /// The CSV file.
        file: PathBuf,
        /// Users created per second (default: cognito.import_rate).
        #[arg(long, value_name = "PER_SECOND")]
        rate: Option<u32>,
        #[command(flatten)]
        pool: PoolArgs,
        #[command(flatten)]
        change: ChangeArgs,
    },
}

impl TenantsCommand {
    pub fn name(&self) -> &'static str {
        match self {
            TenantsCommand::List { .. } => "tenants list",
            TenantsCommand::Show { .. } => "tenants show",
            TenantsCommand::Create { .. } => "tenants create",
            TenantsCommand::Delete { .. } => "tenants delete",
        }
    }
}

impl UsersCommand {
    pub fn name(&self) -> &'static str {
        match self {
            UsersCommand::Find { .. } => "users find",
            UsersCommand::List { .. } => "users list",
            UsersCommand::Show { .. } => "users show",
            UsersCommand::Onboard { .. } => "users onboard",
            UsersCommand::SetRole { .. } => "users set-role",
            UsersCommand::Remove { .. } => "users remove",
            UsersCommand::Disable { .. } => "users disable",
            UsersCommand::Enable { .. } => "users enable",
            UsersCommand::ResetPassword { .. } => "users reset-password",
            UsersCommand::ResendInvitation { .. } => "users resend-invitation",
            UsersCommand::Import { .. } => "users import",
        }
    }
}
