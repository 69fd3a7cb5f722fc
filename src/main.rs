//! Wiring: command line, config, logging, AWS, then the dashboard or a command.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Parser;
use tokio::sync::mpsc;

use opsdeck::app::tenants::TenancySettings;
use opsdeck::app::{Session, State};
use opsdeck::aws::{
    self as aws, Aws, AwsSettings, ChainSettings, CredentialSource, Prepared, Resolved,
    load_base_config, preflight,
};
use opsdeck::cli::{Cli, Command, ConfigCommand, DemoCommand};
use opsdeck::commands::login::CodeSource;
use opsdeck::config::{self, Config, Overrides};
use opsdeck::domain::sanitize::sanitize;
use opsdeck::domain::tenancy::GroupPattern;
use opsdeck::mutation::AuditLog;
use opsdeck::runtime::{CredentialTasks, Runtime, RuntimeConfig, run_tui};
use opsdeck::services::{AccountDirectory, Backend};
use opsdeck::ui::Theme;
use opsdeck::{commands, exit, logging};

fn main() -> ExitCode {
    // Logs, the audit log and exports may hold tenant and user names: readable by the user only.
    logging::private_files();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("opsdeck: cannot start the async runtime: {e}");
            return ExitCode::from(exit::ERROR as u8);
        }
    };
    let code = match runtime.block_on(run(cli)) {
        Ok(code) => code,
        // The reader of stdout has read enough (`| head -1`): nothing to report.
        Err(e) if exit::is_broken_pipe(&e) => exit::SUCCESS,
        Err(e) => {
            // Messages may quote AWS: never let them drive the terminal.
            eprintln!("opsdeck: {}", sanitize(&format!("{e:#}")));
            exit::ERROR
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

async fn run(cli: Cli) -> anyhow::Result<i32> {
    let global = cli.global;
    let overrides = Overrides {
        profile: global.profile.clone(),
        region: global.region.clone(),
        endpoint_url: global.endpoint_url.clone(),
        read_only: global.read_only,
    };
    // Commands that only read files need no AWS and no log.
    match &cli.command {
        Some(Command::Config(ConfigCommand::Check { file })) => {
            return commands::config::check(file, &mut io::stdout(), &mut io::stderr());
        }
        Some(Command::Config(ConfigCommand::Default)) => {
            return commands::config::default(&mut io::stdout());
        }
        Some(Command::Completions { shell }) => {
            return commands::shell::completions(*shell, &mut io::stdout());
        }
        Some(Command::Man) => return commands::shell::man(&mut io::stdout()),
        _ => {}
    }
    let loaded = config::load(global.config.as_deref(), &overrides)?;
    let config = loaded.config;
    opsdeck::domain::time::set_display_zone(config.ui.time_zone());
    if let Some(Command::Config(ConfigCommand::Show)) = &cli.command {
        return commands::config::show(&config, loaded.source.as_deref(), &mut io::stdout());
    }

    let state_dir = logging::state_dir();
    let _log = logging::init(global.log_level.as_deref(), &state_dir)?;
    tracing::info!(
        command = cli.command.as_ref().map_or("dashboard", Command::name),
        version = env!("CARGO_PKG_VERSION"),
        "start"
    );

    let settings = aws_settings(&config);
    if let Err(message) = preflight(&settings) {
        bail!(message);
    }
    let chain_settings = ChainSettings {
        profile: settings.profile.clone(),
        session_name: settings.session_name.clone(),
        cache_dir: aws::session_dir(&state_dir),
        mfa_session_seconds: i32::try_from(config.aws.mfa_session_hours * 3600).ok(),
    };
    if let Some(Command::Logout) = &cli.command {
        return commands::login::logout(&chain_settings, &mut io::stdout()).await;
    }
    let mut codes = CodeSource {
        given: global.mfa_code.clone(),
        interactive: io::stdin().is_terminal(),
    };
    if !matches!(&cli.command, Some(Command::Login)) {
        aws::check_sso(&chain_settings).await?;
    }
    let sdk = load_base_config(&settings).await;
    if let Some(Command::Login) = &cli.command {
        return commands::login::login(
            &sdk,
            &chain_settings,
            &mut codes,
            &mut io::stdout(),
            &mut io::stderr(),
        )
        .await;
    }
    if sdk.region().is_none() {
        bail!(
            "no AWS region: pass --region, set AWS_REGION, set region in your AWS profile, or \
             set aws.region in the config file"
        );
    }
    // A command asks for an MFA code on the terminal; the dashboard in its own prompt, before any
    // call (`pending`).
    let (resolved, pending) = if cli.command.is_none() {
        match aws::prepare(sdk.clone(), &chain_settings).await? {
            Prepared::Ready(resolved) => (resolved, None),
            Prepared::NeedsCode(pending) => {
                let waiting = Resolved {
                    sdk: sdk.clone(),
                    source: CredentialSource::Sdk("waiting for an MFA code".into()),
                };
                (waiting, Some(pending))
            }
        }
    } else {
        let resolved =
            aws::resolve(sdk, &chain_settings, &mut |serial: &str| codes.ask(serial)).await?;
        (resolved, None)
    };
    let sdk = resolved.sdk.clone();
    let aws = Aws::new(sdk.clone(), settings.clone());
    let backend: Arc<dyn Backend> = Arc::new(aws);
    let endpoint = sdk.endpoint_url().map(str::to_owned);
    let profile = config
        .aws
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok());
    let region = sdk.region().map(|r| r.to_string());
    let directory = AccountDirectory {
        discover: config.organization.discover,
        configured: config.organization.static_accounts(),
    };
    let concurrency = usize::try_from(config.concurrency.accounts).unwrap_or(1);
    let mut stdout = io::stdout();
    let ctx = commands::Context {
        backend: backend.clone(),
        config: config.clone(),
        region: region.clone().unwrap_or_default(),
        state_dir: state_dir.clone(),
    };

    let code = match cli.command {
        Some(Command::Whoami(args)) => {
            let place = commands::whoami::Where {
                region,
                profile,
                endpoint,
                credential_source: resolved.source.describe(),
                expires: resolved.expiry().await,
            };
            commands::whoami::run(backend.as_ref(), place, args.output, &mut stdout).await?
        }
        Some(Command::Accounts(args)) => {
            commands::accounts::run(
                ctx.backend.as_ref(),
                &directory,
                &ctx.config.organization.role_name,
                concurrency,
                args.output,
                &mut stdout,
                &mut io::stderr(),
            )
            .await?
        }
        Some(Command::Dns(cmd)) => {
            let plan = opsdeck::services::InventoryPlan {
                concurrency,
                route53_rps: config.concurrency.route53_rps,
                throttle_patience: config.concurrency.throttle_patience(),
            };
            if cmd.is_change() {
                let org = commands::dns::change::Org {
                    directory: &directory,
                    plan: &plan,
                    sync: opsdeck::services::SyncWait::default(),
                };
                let mut term = commands::workflows::Terminal {
                    out: &mut stdout,
                    err: &mut io::stderr(),
                    input: &mut io::stdin().lock(),
                    interactive: io::stdin().is_terminal(),
                };
                commands::dns::change::run(&ctx, &org, &cmd, &mut term).await?
            } else {
                commands::dns::run(
                    ctx.backend.as_ref(),
                    &directory,
                    &plan,
                    &cmd,
                    &mut stdout,
                    &mut io::stderr(),
                )
                .await?
            }
        }
        Some(Command::Demo(DemoCommand::Seed)) => {
            if config.read_only {
                eprintln!(
                    "opsdeck: read-only mode: demo seed writes to the emulator; run it without \
                     --read-only (and read_only = false in the config)"
                );
                return Ok(exit::REFUSED);
            }
            commands::demo::seed(&sdk, endpoint.as_deref(), &mut stdout).await?;
            exit::SUCCESS
        }
        Some(Command::Tenants(command)) => {
            commands::tenants::run(&ctx, command, &mut stdout, &mut io::stderr()).await?
        }
        Some(Command::Users(command)) => {
            commands::tenants::users::run(&ctx, command, &mut stdout, &mut io::stderr()).await?
        }
        Some(Command::Sfn(command)) => {
            let term = commands::workflows::Terminal {
                out: &mut stdout,
                err: &mut io::stderr(),
                input: &mut io::stdin().lock(),
                interactive: io::stdin().is_terminal(),
            };
            commands::workflows::run(&ctx, command, term).await?
        }
        Some(
            Command::Config(_)
            | Command::Completions { .. }
            | Command::Man
            | Command::Login
            | Command::Logout,
        ) => {
            unreachable!("commands that need no credentials returned above")
        }
        None => {
            if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
                bail!(
                    "the dashboard needs a terminal; for scripts use a command such as \
                     `opsdeck accounts -o json` (see opsdeck --help)"
                );
            }
            let session = Session {
                profile,
                region,
                endpoint,
                read_only: config.read_only,
                read_only_accounts: ctx.policy().read_only_accounts.into_iter().collect(),
                regions: config.region_choices(),
                scope_regions: config.scope.regions.clone(),
                tag: opsdeck::domain::workflows::session_tag(),
            };
            let tenancy = TenancySettings {
                pool_id: config.cognito.user_pool_id.clone(),
                pattern: GroupPattern::parse(&config.cognito.group_pattern)
                    .map_err(|e| anyhow::anyhow!("cognito.group_pattern: {e}"))?,
                roles: config.cognito.roles.clone(),
            };
            let (tx, rx) = mpsc::unbounded_channel();
            let mut state = State::new(session, config.keymap.clone(), tenancy);
            state.tenants.options = opsdeck::app::tenants::TenancyOptions {
                attribute_model: config.cognito.tenant_model == config::TenantModel::Attribute,
                attribute: config.cognito.tenant_attribute.clone(),
            };
            state.tenants.usernames = config.cognito.username.usernames();
            state.tenants.runbook = (!config.onboarding.is_empty())
                .then(|| opsdeck::services::onboarding::variables(&config.onboarding));
            state.tenants.org_settings = opsdeck::app::tenants::OrgSettings {
                models: Some(
                    opsdeck::services::org_tenants::Models::of(&config.cognito)
                        .map_err(anyhow::Error::msg)?,
                ),
                rps: config.scope.cognito_rps,
                patience: config.concurrency.throttle_patience(),
                regions: config.scope.regions.clone(),
            };
            state
                .workflows
                .set_poll_interval(config.workflows.poll_interval());
            state.waits.tick = config.ui.tick();
            state.live = opsdeck::app::live::Refresher::new(
                config.ui.refresh(),
                config.ui.tick(),
                config.ui.bell,
            );
            state.credentials.profiles = aws::profile_names().await;
            state.credentials.mfa = matches!(resolved.source, CredentialSource::Mfa { .. });
            if let Some(pending) = &pending {
                opsdeck::app::credentials::start_with_code_prompt(
                    &mut state,
                    pending.profile().to_owned(),
                    pending.serial().to_owned(),
                );
            }
            let tasks = CredentialTasks::new(settings, chain_settings.clone(), pending);
            let runtime = Runtime::new(
                backend,
                RuntimeConfig {
                    directory,
                    concurrency,
                    route53_rps: config.concurrency.route53_rps,
                    throttle_patience: config.concurrency.throttle_patience(),
                    export_dir: state_dir.join("exports"),
                    import_rate: config.cognito.import_rate,
                    onboarding: config.onboarding.clone(),
                    region: ctx.region.clone(),
                    sfn_rps: config.scope.sfn_rps,
                    audit: Arc::new(
                        AuditLog::open(state_dir.join("audit.log"))
                            .context("cannot open the audit log")?,
                    ),
                },
                tx,
            )
            .with_credentials(tasks, resolved.source.session_end());
            run_tui(
                state,
                runtime,
                rx,
                Theme::from_env(&config.theme),
                config.ui.tick(),
                config.ui.mouse,
            )
            .await
            .context("the dashboard stopped")?;
            exit::SUCCESS
        }
    };
    stdout.flush()?;
    Ok(code)
}

fn aws_settings(config: &Config) -> AwsSettings {
    AwsSettings {
        profile: config.aws.profile.clone(),
        region: config.aws.region.clone(),
        endpoint_url: config.aws.endpoint_url.clone(),
        role_name: config.organization.role_name.clone(),
        external_id: config.organization.external_id.clone(),
        session_name: config.organization.session_name.clone(),
        max_attempts: 3,
        timeouts: config.aws.timeouts(),
    }
}
