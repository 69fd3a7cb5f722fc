//! Running the binary through the proxy: a `Scene` (an account, a pool, a state dir) per run, the
//! audit log and the mutating calls it made, and the fault-free reference run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use serde_json::Value;

use crate::flows::Flow;
use crate::pool::{Snapshot, normalise, snapshot};
use crate::proxy::Proxy;
use crate::{MUTATING, support};

/// One account with its pool, its own config and state directories, behind the proxy.
pub(crate) struct Scene {
    pub(crate) account: support::TestAccount,
    cognito: Cognito,
    pool: String,
    flow: Flow,
    config: PathBuf,
    state: PathBuf,
    files: PathBuf,
}

impl Scene {
    pub(crate) async fn new(flow: Flow, proxy: &Proxy) -> Scene {
        let account = support::isolated_account().await;
        proxy.learn(&account.access_key_id, &account.id);
        let cognito = Cognito::new(&account.sdk);
        let pool = flow.setup(&cognito).await;
        let home = support::scratch_dir();
        let config = home.join("config");
        std::fs::create_dir_all(config.join("opsdeck")).unwrap();
        let username = if flow.uuid_usernames() {
            "uuid"
        } else {
            "email"
        };
        std::fs::write(
            config.join("opsdeck/config.toml"),
            format!("[cognito]\nusername = \"{username}\"\n"),
        )
        .unwrap();
        Scene {
            account,
            cognito,
            pool,
            flow,
            config,
            state: home.join("state"),
            files: home,
        }
    }

    /// The flow's command through the proxy, with this scene's config and `state` dir.
    async fn run_with(&self, proxy: &Proxy, state: &Path, extra: &[&str]) -> Output {
        let mut cmd = self.command(proxy, state, extra);
        let started = Instant::now();
        let out = tokio::task::spawn_blocking(move || cmd.output().expect("run opsdeck"))
            .await
            .unwrap();
        eprintln!(
            "{:?} in account {} ({} ms): exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.flow,
            self.account.id,
            started.elapsed().as_millis(),
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub(crate) async fn run(&self, proxy: &Proxy) -> Output {
        self.run_with(proxy, &self.state, &[]).await
    }

    /// The audit log, one line per call made: how it ended (`ok`, `error`, `unknown`). Checks on
    /// the way that each such line follows the call's `intent` line (same step, call and target),
    /// written before it was sent, and that every line names the pool.
    /// The flow's command through the proxy, with this scene's config and `state` dir, not started.
    pub(crate) fn command(&self, proxy: &Proxy, state: &Path, extra: &[&str]) -> Command {
        let mut cmd: Command = support::opsdeck(&self.account);
        cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
            .env("XDG_CONFIG_HOME", &self.config)
            .env("XDG_STATE_HOME", state)
            .args(self.flow.args(&self.files))
            .args(extra);
        cmd
    }

    /// This scene's state dir (its audit log is `opsdeck/audit.log` in it).
    pub(crate) fn state(&self) -> &Path {
        &self.state
    }

    pub(crate) fn audit(&self) -> Vec<Value> {
        let lines = audit_lines(&self.state);
        assert_eq!(lines.len() % 2, 0, "two lines per call: {lines:#?}");
        for line in &lines {
            assert_eq!(line["pool_id"].as_str(), Some(self.pool.as_str()), "{line}");
        }
        lines
            .chunks(2)
            .map(|pair| {
                let (intent, ended) = (&pair[0], &pair[1]);
                assert_eq!(intent["outcome"], "intent", "{pair:#?}");
                assert_ne!(ended["outcome"], "intent", "{pair:#?}");
                for key in ["step", "steps", "operation", "target", "plan", "account_id"] {
                    assert_eq!(intent[key], ended[key], "{key}: {pair:#?}");
                }
                ended.clone()
            })
            .collect()
    }

    pub(crate) async fn snapshot(&self) -> Snapshot {
        snapshot(&self.cognito, &self.pool).await
    }

    /// Every request the proxy saw from this account (STS included).
    pub(crate) fn requests(&self, proxy: &Proxy) -> usize {
        proxy
            .calls()
            .iter()
            .filter(|c| c.account.as_deref() == Some(self.account.id.as_str()))
            .count()
    }

    /// Mutating calls the proxy saw from this account: (operation, faulted).
    pub(crate) fn mutating_calls(&self, proxy: &Proxy) -> Vec<(String, bool)> {
        proxy
            .calls()
            .into_iter()
            .filter(|c| {
                c.service == "cognito-idp"
                    && c.account.as_deref() == Some(self.account.id.as_str())
                    && MUTATING.contains(&c.operation.as_str())
            })
            .map(|c| (c.operation, c.fault.is_some()))
            .collect()
    }
}

fn audit_lines(state: &Path) -> Vec<Value> {
    std::fs::read_to_string(state.join("opsdeck/audit.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each audit line is JSON"))
        .collect()
}

pub(crate) fn ops_of(lines: &[Value]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|l| {
            (
                l["operation"].as_str().unwrap().to_owned(),
                normalise(l["target"].as_str().unwrap()),
            )
        })
        .collect()
}

pub(crate) fn owned(plan: &[(&str, &str)]) -> Vec<(String, String)> {
    plan.iter()
        .map(|(o, t)| ((*o).to_owned(), (*t).to_owned()))
        .collect()
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fault-free run in a scene of its own: the state every faulty scene must end in. Also checks
/// that `--dry-run` shows exactly the calls the real run then makes.
pub(crate) async fn reference(flow: Flow, proxy: &Proxy) -> Snapshot {
    let scene = Scene::new(flow, proxy).await;
    let dry_state = scene.files.join("dry-run-state");
    let out = scene.run_with(proxy, &dry_state, &["--dry-run"]).await;
    assert_eq!(out.status.code(), Some(0));
    let dry = audit_lines(&dry_state);
    assert!(dry.iter().all(|l| l["outcome"] == "dry_run"), "{dry:?}");
    assert_eq!(
        ops_of(&dry),
        owned(&flow.expected_plan()),
        "the dry run's plan"
    );

    let before = scene.requests(proxy);
    let out = scene.run(proxy).await;
    assert_eq!(out.status.code(), Some(0));
    eprintln!(
        "fault-free {flow:?}: {} requests, {} of them mutating",
        scene.requests(proxy) - before,
        scene.mutating_calls(proxy).len()
    );
    let audit = scene.audit();
    assert_eq!(ops_of(&audit), owned(&flow.expected_plan()), "the plan run");
    assert!(audit.iter().all(|l| l["outcome"] == "ok"), "{audit:?}");
    let calls = scene.mutating_calls(proxy);
    assert_eq!(
        calls.len(),
        flow.expected_plan().len(),
        "one call per step: {calls:?}"
    );
    scene.snapshot().await
}
