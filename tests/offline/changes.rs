//! One change path for every command: a Cognito change and a Step Functions change behave the
//! same under `--dry-run`, read-only mode and `--yes` (the executor behind `Context::apply`).

use opsdeck::exit;
use opsdeck::services::fake::{ExecutionSeed, FakeBackend, MachineSeed};

use crate::support::{Ran, acme, audit, context, run};

/// A Cognito change and a Step Functions change of the same fake account.
const COGNITO: &[&str] = &[
    "tenants",
    "create",
    "globex",
    "--admin-email",
    "carol@globex.com",
];
const SFN: &[&str] = &["sfn", "start", "orders", "--name", "run-9"];

fn both() -> FakeBackend {
    FakeBackend::new(crate::support::ME)
        .with_pool(acme())
        .with_machine(MachineSeed::standard("orders").execution(ExecutionSeed::succeeded("run-1")))
}

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

/// What a run shows a script: its exit code, whether stdout holds the plan, whether stderr
/// holds a refusal, and the audit lines it left (by outcome).
fn shape(ran: &Ran, audit_outcomes: Vec<String>) -> (i32, bool, bool, bool, Vec<String>) {
    (
        ran.code(),
        ran.out.contains("Plan: "),
        ran.out.contains("the apply would be refused"),
        ran.err.contains("refused: "),
        audit_outcomes,
    )
}

fn outcomes(path: &std::path::Path) -> Vec<String> {
    audit(path)
        .iter()
        .map(|e| format!("{:?}", e.outcome))
        .collect()
}

#[tokio::test]
async fn a_dry_run_in_read_only_mode_shows_the_plan_and_exits_0_for_both_services() {
    for base in [COGNITO, SFN] {
        let fake = both();
        let dir = tempfile::tempdir().unwrap();
        let mut ctx = context(&fake, dir.path());
        ctx.config.read_only = true;
        let ran = run(&ctx, &with(base, &["--dry-run"])).await;
        let audited = outcomes(&ctx.audit_path());
        let n = audited.len();
        assert!(n > 0, "{base:?}: the dry run is audited");
        assert_eq!(
            shape(&ran, audited),
            (
                exit::SUCCESS,
                true,
                true,
                false,
                vec!["DryRun".to_owned(); n]
            ),
            "{base:?}\nstdout: {}\nstderr: {}",
            ran.out,
            ran.err
        );
        assert!(fake.changes().is_empty(), "{base:?} changed nothing");
    }
}

#[tokio::test]
async fn an_apply_in_read_only_mode_is_refused_with_exit_3_for_both_services() {
    for base in [COGNITO, SFN] {
        let fake = both();
        let dir = tempfile::tempdir().unwrap();
        let mut ctx = context(&fake, dir.path());
        ctx.config.read_only = true;
        let ran = run(&ctx, &with(base, &["--yes"])).await;
        assert_eq!(
            shape(&ran, outcomes(&ctx.audit_path())),
            (exit::REFUSED, false, false, true, Vec::new()),
            "{base:?}\nstdout: {}\nstderr: {}",
            ran.out,
            ran.err
        );
        assert!(ran.out.is_empty(), "{base:?}: nothing on stdout");
        assert!(fake.changes().is_empty(), "{base:?} changed nothing");
    }
}

#[tokio::test]
async fn without_a_terminal_or_yes_both_refuse_after_showing_the_plan_on_stderr() {
    for base in [COGNITO, SFN] {
        let fake = both();
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(&fake, dir.path());
        let ran = run(&ctx, base).await;
        assert_eq!(ran.code(), exit::REFUSED, "{base:?}: {}", ran.err);
        assert!(ran.err.contains("Plan: "), "{base:?}: {}", ran.err);
        assert!(ran.err.contains("pass --yes"), "{base:?}: {}", ran.err);
        assert!(fake.changes().is_empty(), "{base:?} changed nothing");
    }
}
