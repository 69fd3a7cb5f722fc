//! What the offline tests share: a pool with one tenant, a command context over the fake, and
//! readers of the audit log.

use std::path::Path;
use std::sync::Arc;

use clap::Parser;

use opsdeck::app::Msg;
use opsdeck::cli::{Cli, Command};
use opsdeck::commands::{self, Context};
use opsdeck::config::Config;
use opsdeck::domain::tenancy::plan::Target;
use opsdeck::domain::tenancy::users::{Tenancy, Usernames};
use opsdeck::mutation::AuditEntry;
use opsdeck::mutation::AuditLog;
use opsdeck::runtime::{Runtime, RuntimeConfig};
use opsdeck::services::fake::{FakeBackend, PoolSeed, UserSeed};
use opsdeck::services::{AccountDirectory, ErrorKind, ServiceError};
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// The caller's account.
pub const ME: &str = "111111111111";
pub const POOL: &str = "eu-west-1_acme";

/// The default tenancy: `{tenant}:{role}` groups, roles admin, member, readonly.
pub fn tenancy() -> Tenancy {
    let roles = ["admin", "member", "readonly"].map(String::from).to_vec();
    Tenancy::new(
        false,
        "{tenant}:{role}",
        roles,
        "custom:tenant_id",
        Usernames::Email,
    )
    .unwrap()
}

pub fn target() -> Target {
    Target {
        account_id: ME.into(),
        region: "eu-west-1".into(),
        pool_id: POOL.into(),
    }
}

/// Tenant acme with its three role groups, alice its admin and bob a member; dave is in the
/// pool without a tenant.
pub fn acme() -> PoolSeed {
    PoolSeed::new(POOL, "customers")
        .attribute("custom:tenant_id")
        .group("acme:admin", "Acme Corp", 1)
        .group("acme:member", "Acme Corp", 2)
        .group("acme:readonly", "Acme Corp", 3)
        .user(
            UserSeed::new("alice@acme.com")
                .attribute("custom:tenant_id", "acme")
                .in_group("acme:admin"),
        )
        .user(
            UserSeed::new("bob@acme.com")
                .attribute("custom:tenant_id", "acme")
                .in_group("acme:member"),
        )
        .user(UserSeed::new("dave@example.com"))
}

/// The fake with the acme pool in the caller's account.
pub fn fake() -> FakeBackend {
    FakeBackend::new(ME).with_pool(acme())
}

/// A command context over `fake`, the default config naming the pool, its state in `dir`.
pub fn context(fake: &FakeBackend, dir: &Path) -> Context {
    let mut config = Config::default();
    config.cognito.user_pool_id = Some(POOL.into());
    Context {
        backend: Arc::new(fake.clone()),
        config,
        region: "eu-west-1".into(),
        state_dir: dir.to_path_buf(),
    }
}

/// What a command printed and returned.
pub struct Ran {
    pub result: anyhow::Result<i32>,
    pub out: String,
    pub err: String,
}

impl Ran {
    /// The exit code; panics (with the output) when the command failed with an error.
    pub fn code(&self) -> i32 {
        match &self.result {
            Ok(code) => *code,
            Err(e) => panic!("{e:#}\nstdout: {}\nstderr: {}", self.out, self.err),
        }
    }

    /// The error the command stopped with (what `main` prints, exit 1).
    pub fn error(&self) -> String {
        match &self.result {
            Ok(code) => panic!(
                "exit {code}, no error\nstdout: {}\nstderr: {}",
                self.out, self.err
            ),
            Err(e) => format!("{e:#}"),
        }
    }
}

/// Run `opsdeck <args>` (tenants, users, dns or sfn) against the context, answering prompts from
/// `input` on a terminal when `interactive`.
pub async fn run_with(ctx: &Context, args: &[&str], input: &str, interactive: bool) -> Ran {
    let cli = Cli::try_parse_from(std::iter::once("opsdeck").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = match cli.command {
        Some(Command::Tenants(c)) => commands::tenants::run(ctx, c, &mut out, &mut err).await,
        Some(Command::Users(c)) => commands::tenants::users::run(ctx, c, &mut out, &mut err).await,
        Some(Command::Dns(c)) => {
            let directory = opsdeck::services::AccountDirectory {
                discover: ctx.config.organization.discover,
                configured: ctx.config.organization.static_accounts(),
            };
            let plan = opsdeck::services::InventoryPlan {
                concurrency: 4,
                route53_rps: 0,
                throttle_patience: std::time::Duration::from_secs(5),
            };
            if c.is_change() {
                let org = commands::dns::change::Org {
                    directory: &directory,
                    plan: &plan,
                    sync: opsdeck::services::SyncWait {
                        interval: std::time::Duration::from_millis(5),
                        timeout: std::time::Duration::from_secs(2),
                    },
                };
                let mut term = commands::workflows::Terminal {
                    out: &mut out,
                    err: &mut err,
                    input: &mut input.as_bytes(),
                    interactive,
                };
                commands::dns::change::run(ctx, &org, &c, &mut term).await
            } else {
                commands::dns::run(
                    ctx.backend.as_ref(),
                    &directory,
                    &plan,
                    &c,
                    &mut out,
                    &mut err,
                )
                .await
            }
        }
        Some(Command::Sfn(c)) => {
            let term = commands::workflows::Terminal {
                out: &mut out,
                err: &mut err,
                input: &mut input.as_bytes(),
                interactive,
            };
            commands::workflows::run(ctx, c, term).await
        }
        other => panic!("not a command these tests run: {other:?}"),
    };
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    Ran {
        result,
        out: text(out),
        err: text(err),
    }
}

/// Run a command that asks nothing (`--yes`, `--dry-run` or a read).
pub async fn run(ctx: &Context, args: &[&str]) -> Ran {
    run_with(ctx, args, "", false).await
}

/// The audit log's lines.
pub fn audit(path: &Path) -> Vec<AuditEntry> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each audit line is JSON"))
        .collect()
}

pub fn throttled(operation: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::Throttled,
        Some("ThrottlingException".into()),
        format!("{operation} failed: Rate exceeded"),
    )
}

pub fn denied(operation: &str) -> ServiceError {
    ServiceError::new(
        ErrorKind::Denied,
        Some("AccessDeniedException".into()),
        format!("{operation} failed: not authorized"),
    )
}

/// The dashboard runtime's settings for tests: no pacing, no patience, the audit log and exports
/// in `dir`, region eu-west-1.
pub fn runtime_config(dir: &Path) -> RuntimeConfig {
    RuntimeConfig {
        directory: AccountDirectory {
            discover: true,
            configured: Vec::new(),
        },
        concurrency: 4,
        route53_rps: 0,
        throttle_patience: Duration::ZERO,
        export_dir: dir.join("exports"),
        audit: Arc::new(AuditLog::open(dir.join("audit.log")).unwrap()),
        import_rate: 1000,
        region: "eu-west-1".into(),
        sfn_rps: 0,
        onboarding: Default::default(),
    }
}

/// A runtime over `fake` with `config`, and the channel its messages come on.
pub fn runtime_with(
    fake: &FakeBackend,
    config: RuntimeConfig,
) -> (Runtime, UnboundedReceiver<Msg>) {
    let (tx, rx) = unbounded_channel();
    (Runtime::new(Arc::new(fake.clone()), config, tx), rx)
}

/// A runtime over `fake` with its audit log in `dir` (see [`runtime_config`]).
pub fn runtime(fake: &FakeBackend, dir: &Path) -> (Runtime, UnboundedReceiver<Msg>) {
    runtime_with(fake, runtime_config(dir))
}

/// The runtime's next message, within 10 s.
pub async fn next(rx: &mut UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a message within 10 s")
        .expect("the runtime is still there")
}
