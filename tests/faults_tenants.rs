//! Tenant onboarding and bulk import under injected faults (issue 6): the real `opsdeck` binary,
//! `--yes`, talks to the emulator through the fault proxy. For each step k of a plan, in a fresh
//! account, the k-th mutating call fails in a way the SDK's three attempts cannot absorb; the
//! command must stop there with exit 1 and a message naming the step, the audit log must hold one
//! line per attempted call (ok before k, error at k, nothing after), and a rerun without faults
//! must make only the missing calls and leave the pool exactly as a fault-free run leaves it.
//! Transient faults (one of each kind) must be absorbed by the retries: the first run succeeds.

#[path = "support/proxy.rs"]
mod proxy;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
use proxy::{Fault, Proxy, Rule, When};
use serde_json::Value;

/// Every Cognito call that changes something and that these plans can make.
const MUTATING: &[&str] = &[
    "CreateGroup",
    "AdminCreateUser",
    "AdminAddUserToGroup",
    "AdminUpdateUserAttributes",
];

/// The SDK's attempts per call in the binary (standard retry mode, see src/main.rs).
const ATTEMPTS: usize = 3;

// ---------------------------------------------------------------------------------------------
// The flows

#[derive(Debug, Clone, Copy, PartialEq)]
enum Flow {
    /// `tenants create acme --admin-email ... --name ...` in a pool with nothing of acme yet,
    /// with `cognito.username = "uuid"`: three role groups, the admin created, then added.
    Onboard,
    /// `users onboard --tenant acme --email ... --role member` into an existing tenant, with
    /// `cognito.username = "uuid"`: the user created, then added.
    Join,
    /// `users import --tenant acme FILE` into an existing tenant (username = email): three new
    /// users, one existing user without a tenant (attribute set, then added), one already admin.
    Import,
    /// The same import with `cognito.username = "uuid"`.
    ImportUuid,
}

const IMPORT_CSV: &str = "email,role,name\n\
    new1@import.example,member,New One\n\
    ann@example.com,admin,\n\
    dan@example.com,readonly,\n\
    new2@import.example,readonly,\n\
    new3@import.example,member,New Three\n";

impl Flow {
    fn uuid_usernames(self) -> bool {
        self != Flow::Import
    }

    /// A pool in `cognito`'s account as the flow starts from.
    async fn setup(self, cognito: &Cognito) -> String {
        let pool = pool(cognito).await;
        // A tenant the flows must leave alone, in both flows.
        group(cognito, &pool, "globex:admin", "Globex", 1).await;
        user(cognito, &pool, "gil", Some("globex"), &["globex:admin"]).await;
        if self != Flow::Onboard {
            for (g, p) in [("acme:admin", 1), ("acme:member", 2), ("acme:readonly", 3)] {
                group(cognito, &pool, g, "Acme", p).await;
            }
            user(
                cognito,
                &pool,
                "ann@example.com",
                Some("acme"),
                &["acme:admin"],
            )
            .await;
            // Exists, in no tenant and without the tenant attribute: the import sets it first.
            user(cognito, &pool, "dan@example.com", None, &[]).await;
        }
        pool
    }

    /// The command's arguments (the import file is written to `dir`).
    fn args(self, dir: &Path) -> Vec<String> {
        let args: Vec<&str> = match self {
            Flow::Onboard => vec![
                "tenants",
                "create",
                "acme",
                "--admin-email",
                "Jane@Acme.example",
                "--name",
                "Acme Corp",
            ],
            Flow::Join => vec![
                "users",
                "onboard",
                "--tenant",
                "acme",
                "--email",
                "Kim@Acme.example",
                "--role",
                "member",
            ],
            Flow::Import | Flow::ImportUuid => {
                let file = dir.join("import.csv");
                std::fs::write(&file, IMPORT_CSV).unwrap();
                return [
                    "users",
                    "import",
                    "--tenant",
                    "acme",
                    "--rate",
                    "25",
                    file.to_str().unwrap(),
                    "--yes",
                ]
                .map(String::from)
                .to_vec();
            }
        };
        args.into_iter()
            .chain(["--yes"])
            .map(String::from)
            .collect()
    }

    /// The plan of a fault-free run, as (operation, target with UUIDs replaced by `<uuid>`).
    fn expected_plan(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Flow::Onboard => vec![
                ("CreateGroup", "acme:admin"),
                ("CreateGroup", "acme:member"),
                ("CreateGroup", "acme:readonly"),
                ("AdminCreateUser", "<uuid>"),
                ("AdminAddUserToGroup", "<uuid>"),
            ],
            Flow::Join => vec![
                ("AdminCreateUser", "<uuid>"),
                ("AdminAddUserToGroup", "<uuid>"),
            ],
            Flow::Import => vec![
                ("AdminCreateUser", "new1@import.example"),
                ("AdminAddUserToGroup", "new1@import.example"),
                ("AdminUpdateUserAttributes", "dan@example.com"),
                ("AdminAddUserToGroup", "dan@example.com"),
                ("AdminCreateUser", "new2@import.example"),
                ("AdminAddUserToGroup", "new2@import.example"),
                ("AdminCreateUser", "new3@import.example"),
                ("AdminAddUserToGroup", "new3@import.example"),
            ],
            // New users get UUIDs; dan keeps the username he has.
            Flow::ImportUuid => Flow::Import
                .expected_plan()
                .into_iter()
                .map(|(op, target)| {
                    let generated = target.ends_with("@import.example");
                    (op, if generated { "<uuid>" } else { target })
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Faults

/// A fault that outlasts the SDK's attempts at one call.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hard {
    AccessDenied,
    Throttle,
    Status500,
    Status503,
    Drop,
    /// Every attempt reaches Cognito, every answer is lost: the first attempt changed the pool.
    DropAnswer,
}

impl Hard {
    fn fault(self) -> Fault {
        match self {
            Hard::AccessDenied => Fault::AccessDenied,
            Hard::Throttle => Fault::Throttle,
            Hard::Status500 => Fault::Status(500),
            Hard::Status503 => Fault::Status(503),
            Hard::Drop => Fault::Drop,
            Hard::DropAnswer => Fault::DropAnswer,
        }
    }

    /// How many attempts the SDK makes: access denied is not retried.
    fn attempts(self) -> usize {
        if self == Hard::AccessDenied {
            1
        } else {
            ATTEMPTS
        }
    }

    /// The AWS error code the audit line must carry (none when no answer came).
    fn code(self) -> Option<&'static str> {
        match self {
            Hard::AccessDenied => Some("AccessDeniedException"),
            Hard::Throttle => Some("TooManyRequestsException"),
            Hard::Status500 => Some("InternalFailure"),
            Hard::Status503 => Some("ServiceUnavailable"),
            Hard::Drop | Hard::DropAnswer => None,
        }
    }

    /// Whether the failed call changed the pool anyway.
    fn took_effect(self) -> bool {
        self == Hard::DropAnswer
    }
}

/// A fault the SDK's retries absorb (or that only slows the call down).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Transient {
    Status503,
    Throttle,
    Drop,
    /// The call succeeds in Cognito, its answer is lost, the retry gets "already exists".
    DropAnswer,
    Delay,
}

impl Transient {
    fn fault(self) -> Fault {
        match self {
            Transient::Status503 => Fault::Status(503),
            Transient::Throttle => Fault::Throttle,
            Transient::Drop => Fault::Drop,
            Transient::DropAnswer => Fault::DropAnswer,
            Transient::Delay => Fault::Delay(Duration::from_secs(1)),
        }
    }

    fn retried(self) -> bool {
        self != Transient::Delay
    }
}

/// The only rule of a faulty run: the mutating calls of `account`, counted from the first.
fn rule(account: &str, fault: Fault, when: When) -> Rule {
    MUTATING
        .iter()
        .fold(Rule::on("cognito-idp", fault), |r, op| r.operation(op))
        .account(account)
        .when(when)
}

// ---------------------------------------------------------------------------------------------
// Emulator setup with the SDK (straight to the emulator, never through the proxy)

/// A pool whose schema has `custom:tenant_id`, as a multi-tenant pool has.
async fn pool(cognito: &Cognito) -> String {
    support::user_pool(cognito, "faults", true).await
}

async fn group(cognito: &Cognito, pool: &str, name: &str, description: &str, precedence: i32) {
    cognito
        .create_group()
        .user_pool_id(pool)
        .group_name(name)
        .description(description)
        .precedence(precedence)
        .send()
        .await
        .unwrap();
}

fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// A user named `name` (its email is `name`, or `name@example.com` when it is no address).
async fn user(cognito: &Cognito, pool: &str, name: &str, tenant: Option<&str>, groups: &[&str]) {
    let email = if name.contains('@') {
        name.to_owned()
    } else {
        format!("{name}@example.com")
    };
    let mut request = cognito
        .admin_create_user()
        .user_pool_id(pool)
        .username(name)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", &email))
        .user_attributes(attr("email_verified", "true"));
    if let Some(t) = tenant {
        request = request.user_attributes(attr("custom:tenant_id", t));
    }
    request.send().await.unwrap();
    for g in groups {
        cognito
            .admin_add_user_to_group()
            .user_pool_id(pool)
            .username(name)
            .group_name(*g)
            .send()
            .await
            .unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// The pool's state, normalised

/// What a run leaves in the pool, with ids, dates and generated usernames left out: users are
/// keyed by email (the test fails if two users share one), memberships name users by email.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    /// name → (description, precedence)
    groups: BTreeMap<String, (String, Option<i32>)>,
    /// email → user
    users: BTreeMap<String, UserState>,
    /// group → emails of its members
    members: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Debug, PartialEq, Eq)]
struct UserState {
    /// The username, or `<uuid>` for a generated UUID v4.
    username: String,
    status: String,
    enabled: bool,
    /// Every attribute but `sub` (a generated id).
    attributes: BTreeMap<String, String>,
}

fn normalise(text: &str) -> String {
    match uuid::Uuid::parse_str(text) {
        Ok(u) if u.get_version_num() == 4 => "<uuid>".to_owned(),
        _ => text.to_owned(),
    }
}

async fn snapshot(cognito: &Cognito, pool: &str) -> Snapshot {
    let mut groups = BTreeMap::new();
    let mut pages = cognito
        .list_groups()
        .user_pool_id(pool)
        .limit(60)
        .into_paginator()
        .items()
        .send();
    while let Some(g) = pages.next().await {
        let g = g.unwrap();
        groups.insert(
            g.group_name().unwrap().to_owned(),
            (
                g.description().unwrap_or_default().to_owned(),
                g.precedence(),
            ),
        );
    }
    let mut users = BTreeMap::new();
    let mut email_of = BTreeMap::new();
    let mut pages = cognito
        .list_users()
        .user_pool_id(pool)
        .limit(60)
        .into_paginator()
        .items()
        .send();
    while let Some(u) = pages.next().await {
        let u = u.unwrap();
        let attributes: BTreeMap<String, String> = u
            .attributes()
            .iter()
            .filter(|a| a.name() != "sub")
            .map(|a| {
                (
                    a.name().to_owned(),
                    a.value().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let email = attributes.get("email").cloned().unwrap_or_default();
        let username = u.username().unwrap().to_owned();
        email_of.insert(username.clone(), email.clone());
        let state = UserState {
            username: normalise(&username),
            status: u.user_status().map(|s| s.as_str().to_owned()).unwrap(),
            enabled: u.enabled(),
            attributes,
        };
        if let Some(other) = users.insert(email.clone(), state) {
            panic!("two users with the email {email}: {other:?} and {username}");
        }
    }
    let mut members = BTreeMap::new();
    for g in groups.keys() {
        let mut pages = cognito
            .list_users_in_group()
            .user_pool_id(pool)
            .group_name(g)
            .limit(60)
            .into_paginator()
            .items()
            .send();
        let mut emails = BTreeSet::new();
        while let Some(u) = pages.next().await {
            let name = u.unwrap().username().unwrap().to_owned();
            emails.insert(email_of[&name].clone());
        }
        members.insert(g.clone(), emails);
    }
    Snapshot {
        groups,
        users,
        members,
    }
}

// ---------------------------------------------------------------------------------------------
// Running the binary

/// One account with its pool, its own config and state directories, behind the proxy.
struct Scene {
    account: support::TestAccount,
    cognito: Cognito,
    pool: String,
    flow: Flow,
    config: PathBuf,
    state: PathBuf,
    files: PathBuf,
}

impl Scene {
    async fn new(flow: Flow, proxy: &Proxy) -> Scene {
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
        let mut cmd: Command = support::opsdeck(&self.account);
        cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
            .env("XDG_CONFIG_HOME", &self.config)
            .env("XDG_STATE_HOME", state)
            .args(self.flow.args(&self.files))
            .args(extra);
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

    async fn run(&self, proxy: &Proxy) -> Output {
        self.run_with(proxy, &self.state, &[]).await
    }

    fn audit(&self) -> Vec<Value> {
        audit_lines(&self.state)
    }

    async fn snapshot(&self) -> Snapshot {
        snapshot(&self.cognito, &self.pool).await
    }

    /// Every request the proxy saw from this account (STS included).
    fn requests(&self, proxy: &Proxy) -> usize {
        proxy
            .calls()
            .iter()
            .filter(|c| c.account.as_deref() == Some(self.account.id.as_str()))
            .count()
    }

    /// Mutating calls the proxy saw from this account: (operation, faulted).
    fn mutating_calls(&self, proxy: &Proxy) -> Vec<(String, bool)> {
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

fn ops_of(lines: &[Value]) -> Vec<(String, String)> {
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

fn owned(plan: &[(&str, &str)]) -> Vec<(String, String)> {
    plan.iter()
        .map(|(o, t)| ((*o).to_owned(), (*t).to_owned()))
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fault-free run in a scene of its own: the state every faulty scene must end in. Also checks
/// that `--dry-run` shows exactly the calls the real run then makes.
async fn reference(flow: Flow, proxy: &Proxy) -> Snapshot {
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

// ---------------------------------------------------------------------------------------------
// The two procedures

/// Step `k` (from 1) of `flow` fails with `hard`; then a rerun without faults completes it.
async fn fails_at_step_then_rerun_completes(flow: Flow, k: usize, hard: Hard) {
    let started = Instant::now();
    let proxy = Proxy::start(&support::endpoint(), Vec::new()).await;
    let (expected, scene) = tokio::join!(reference(flow, &proxy), Scene::new(flow, &proxy));
    let plan = flow.expected_plan();
    let n = plan.len();
    let (op, target) = plan[k - 1];

    proxy.set_rules(vec![rule(
        &scene.account.id,
        hard.fault(),
        When::Span {
            from: k,
            count: ATTEMPTS,
        },
    )]);
    let out = scene.run(&proxy).await;
    let failed_run_requests = scene.requests(&proxy);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(
        out.status.code(),
        Some(1),
        "a change that stopped part-way exits 1"
    );

    // stderr names the failed step on a line of its own (not glued to the import's progress
    // line), with its call, what it acted on and the AWS code; says when the outcome is unknown.
    let failed_line = stderr
        .lines()
        .find(|l| l.starts_with(&format!("opsdeck: step {k} of {n} failed: ")))
        .unwrap_or_else(|| panic!("no line naming step {k} of {n} on stderr: {stderr}"));
    assert!(
        failed_line.contains(&format!("(cognito-idp:{op} ")),
        "{failed_line}"
    );
    if target != "<uuid>" {
        assert!(failed_line.contains(target), "{failed_line}");
    }
    if let Some(code) = hard.code() {
        assert!(failed_line.ends_with(&format!("({code})")), "{failed_line}");
    }
    assert_eq!(
        stderr.contains("may have taken effect"),
        hard.code().is_none(),
        "only a call without an answer has an unknown outcome: {stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{} of {n} step(s) done, {} not attempted",
            k - 1,
            n - k
        )),
        "{stderr}"
    );
    assert!(stderr.contains("run the same command again"), "{stderr}");
    for i in 1..=n {
        let prefix = match i.cmp(&k) {
            std::cmp::Ordering::Less => "done:",
            std::cmp::Ordering::Equal => "FAILED:",
            std::cmp::Ordering::Greater => "not attempted:",
        };
        assert!(
            stdout.contains(&format!("{prefix} {i}. ")),
            "step {i} must be reported as `{prefix}`: {stdout}"
        );
    }

    // One audit line per attempted step: ok before k, the error at k, nothing after.
    let audit = scene.audit();
    assert_eq!(audit.len(), k, "one line per attempted step: {audit:#?}");
    assert_eq!(ops_of(&audit), owned(&plan[..k]));
    for (i, line) in audit.iter().enumerate() {
        assert_eq!(
            (line["step"].as_u64(), line["steps"].as_u64()),
            (Some(i as u64 + 1), Some(n as u64))
        );
        let want = if i + 1 < k { "ok" } else { "error" };
        assert_eq!(line["outcome"], want, "{line}");
    }
    let failed = &audit[k - 1];
    assert_eq!(failed["error_code"].as_str(), hard.code(), "{failed}");
    assert!(
        !failed["message"].as_str().unwrap_or_default().is_empty(),
        "{failed}"
    );

    // The proxy saw the k-1 steps before, the SDK's attempts at step k, and nothing after.
    let calls = scene.mutating_calls(&proxy);
    let faulted = calls.iter().filter(|(_, f)| *f).count();
    assert_eq!(faulted, hard.attempts(), "{calls:?}");
    assert_eq!(calls.len(), k - 1 + hard.attempts(), "{calls:?}");
    assert!(
        calls[k - 1..].iter().all(|(o, f)| o == op && *f),
        "{calls:?}"
    );

    // The rerun, without faults: only the missing steps, then the same state as a clean run.
    proxy.set_rules(Vec::new());
    let out = scene.run(&proxy).await;
    assert_eq!(out.status.code(), Some(0), "the rerun completes the change");
    let all = scene.audit();
    let rerun = &all[k..];
    let missing = if hard.took_effect() {
        &plan[k..]
    } else {
        &plan[k - 1..]
    };
    assert_eq!(
        ops_of(rerun),
        owned(missing),
        "the rerun makes only the missing calls"
    );
    assert!(rerun.iter().all(|l| l["outcome"] == "ok"), "{rerun:#?}");
    assert!(
        rerun
            .iter()
            .all(|l| l["steps"].as_u64() == Some(missing.len() as u64)),
        "{rerun:#?}"
    );
    if hard.took_effect() && op == "AdminCreateUser" && k < n {
        // The user the lost answer created (a fresh UUID in that run) is the one the rerun puts
        // in its role group: found by email, not created again under a new UUID.
        assert_eq!(rerun[0]["target"], failed["target"], "{rerun:#?}");
    }
    assert_eq!(
        scene.snapshot().await,
        expected,
        "the final state after the rerun"
    );
    eprintln!(
        "{flow:?} step {k} {hard:?}: failed run {failed_run_requests} requests, rerun {}; \
         {} mutating calls in all; test {} ms",
        scene.requests(&proxy) - failed_run_requests,
        scene.mutating_calls(&proxy).len(),
        started.elapsed().as_millis()
    );
}

/// A transient fault at step `k` of `flow`: the retries absorb it and the first run succeeds.
async fn absorbs_transient_at_step(flow: Flow, k: usize, transient: Transient) {
    let proxy = Proxy::start(&support::endpoint(), Vec::new()).await;
    let (expected, scene) = tokio::join!(reference(flow, &proxy), Scene::new(flow, &proxy));
    let plan = flow.expected_plan();
    proxy.set_rules(vec![rule(
        &scene.account.id,
        transient.fault(),
        When::Nth(k),
    )]);
    let started = Instant::now();
    let out = scene.run(&proxy).await;
    let took = started.elapsed();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{transient:?} at step {k} is absorbed"
    );
    let audit = scene.audit();
    assert_eq!(ops_of(&audit), owned(&plan));
    assert!(audit.iter().all(|l| l["outcome"] == "ok"), "{audit:#?}");
    let calls = scene.mutating_calls(&proxy);
    let retries = usize::from(transient.retried());
    assert_eq!(calls.len(), plan.len() + retries, "{calls:?}");
    assert_eq!(calls.iter().filter(|(_, f)| *f).count(), 1, "{calls:?}");
    if transient == Transient::Delay {
        assert!(took >= Duration::from_secs(1), "{took:?}");
    }
    assert_eq!(scene.snapshot().await, expected);
}

// ---------------------------------------------------------------------------------------------
// The tests: every step of each plan, the fault kinds rotated across steps (the import, the
// longest plan, sees every kind), and the lost answer aimed where it matters: a user created
// with a UUID username, a group created, a membership added.

macro_rules! fails_at {
    ($($name:ident: $flow:ident, $k:literal, $hard:ident;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            fails_at_step_then_rerun_completes(Flow::$flow, $k, Hard::$hard).await;
        }
    )*};
}

fails_at! {
    onboard_step_1_create_group_access_denied: Onboard, 1, AccessDenied;
    onboard_step_2_create_group_throttled: Onboard, 2, Throttle;
    onboard_step_3_create_group_http_500: Onboard, 3, Status500;
    onboard_step_3_create_group_answer_lost: Onboard, 3, DropAnswer;
    onboard_step_4_create_user_answer_lost: Onboard, 4, DropAnswer;
    onboard_step_5_add_to_group_dropped: Onboard, 5, Drop;
    import_step_1_create_user_http_503: Import, 1, Status503;
    import_step_2_add_to_group_answer_lost: Import, 2, DropAnswer;
    import_step_3_set_attribute_throttled: Import, 3, Throttle;
    import_step_4_add_to_group_access_denied: Import, 4, AccessDenied;
    import_step_5_create_user_dropped: Import, 5, Drop;
    import_step_6_add_to_group_http_500: Import, 6, Status500;
    import_step_7_create_user_answer_lost: Import, 7, DropAnswer;
    import_step_8_add_to_group_http_503: Import, 8, Status503;
    join_step_1_create_user_answer_lost: Join, 1, DropAnswer;
    join_step_2_add_to_group_http_503: Join, 2, Status503;
    import_uuid_step_1_create_user_answer_lost: ImportUuid, 1, DropAnswer;
    import_uuid_step_6_add_to_group_throttled: ImportUuid, 6, Throttle;
}

macro_rules! absorbs {
    ($($name:ident: $flow:ident, $k:literal, $kind:ident;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            absorbs_transient_at_step(Flow::$flow, $k, Transient::$kind).await;
        }
    )*};
}

absorbs! {
    onboard_absorbs_one_503_at_step_1: Onboard, 1, Status503;
    onboard_absorbs_one_throttle_at_step_2: Onboard, 2, Throttle;
    onboard_absorbs_a_lost_create_user_answer: Onboard, 4, DropAnswer;
    onboard_absorbs_one_drop_at_step_5: Onboard, 5, Drop;
    import_absorbs_a_lost_create_user_answer: Import, 1, DropAnswer;
    import_absorbs_a_lost_add_to_group_answer: Import, 4, DropAnswer;
    import_absorbs_a_one_second_delay: Import, 3, Delay;
    join_absorbs_a_lost_create_user_answer: Join, 1, DropAnswer;
    import_uuid_absorbs_a_lost_create_user_answer: ImportUuid, 7, DropAnswer;
}

/// A read the plan depends on fails for good (ListUsers, the import's scan of the pool): the
/// command stops before any change, with a message naming the read, and audits nothing; the
/// rerun then does the whole import.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_planning_read_changes_nothing_and_the_rerun_does_it_all() {
    let proxy = Proxy::start(&support::endpoint(), Vec::new()).await;
    let (expected, scene) = tokio::join!(
        reference(Flow::Import, &proxy),
        Scene::new(Flow::Import, &proxy)
    );
    proxy.set_rules(vec![
        Rule::on("cognito-idp", Fault::Throttle)
            .operation("ListUsers")
            .account(&scene.account.id),
    ]);
    let out = scene.run(&proxy).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("ListUsers") && stderr.contains("TooManyRequestsException"),
        "the message names the read and the AWS code: {stderr}"
    );
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert!(scene.mutating_calls(&proxy).is_empty());
    assert!(
        scene.audit().is_empty(),
        "nothing was called, nothing audited"
    );
    let scans = proxy
        .calls()
        .iter()
        .filter(|c| c.operation == "ListUsers" && c.account.as_deref() == Some(&scene.account.id))
        .count();
    assert_eq!(
        scans, ATTEMPTS,
        "the SDK's attempts at the one read, then nothing"
    );

    proxy.set_rules(Vec::new());
    let out = scene.run(&proxy).await;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(ops_of(&scene.audit()), owned(&Flow::Import.expected_plan()));
    assert_eq!(scene.snapshot().await, expected);
}
