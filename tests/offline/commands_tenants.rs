//! `opsdeck tenants ...` and `opsdeck users ...` against the fake: what they print, their exit
//! codes, the audit log, and what the pool holds afterwards.

use opsdeck::exit;
use opsdeck::mutation::Outcome;

use crate::support::{POOL, audit, context, denied, fake, run};

const CREATE: &[&str] = &[
    "tenants",
    "create",
    "globex",
    "--admin-email",
    "carol@globex.com",
];

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

#[tokio::test]
async fn tenants_create_with_yes_onboards_the_tenant_and_reports_each_step() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(&ctx, &with(CREATE, &["--name", "Globex Inc", "--yes"])).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(
        ran.err
            .contains("Plan: Onboard tenant globex with admin carol@globex.com"),
        "{}",
        ran.err
    );
    assert!(ran.err.contains("Confirmed by --yes."));
    let report: Vec<&str> = ran.out.lines().collect();
    assert_eq!(report.len(), 5, "{}", ran.out);
    assert!(
        report.iter().all(|l| l.starts_with("done: ")),
        "{}",
        ran.out
    );

    let globex: Vec<String> = fake
        .groups_of(POOL)
        .into_iter()
        .filter(|g| g.name.starts_with("globex:"))
        .map(|g| format!("{} {}", g.name, g.description))
        .collect();
    assert_eq!(
        globex,
        [
            "globex:admin Globex Inc",
            "globex:member Globex Inc",
            "globex:readonly Globex Inc"
        ]
    );
    assert_eq!(fake.members(POOL, "globex:admin"), ["carol@globex.com"]);
    assert_eq!(
        audit(&ctx.audit_path()).len(),
        2 * 5,
        "intent and ok per call"
    );
}

#[tokio::test]
async fn a_dry_run_prints_and_audits_the_plan_and_changes_nothing() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(&ctx, &with(CREATE, &["--dry-run"])).await;
    assert_eq!(ran.code(), exit::SUCCESS);
    assert!(
        ran.out.starts_with("Plan: Onboard tenant globex"),
        "{}",
        ran.out
    );
    assert_eq!(
        ran.out.matches("dry run (not called)").count(),
        5,
        "{}",
        ran.out
    );
    assert!(fake.changes().is_empty());
    let lines = audit(&ctx.audit_path());
    assert_eq!(lines.len(), 5);
    assert!(lines.iter().all(|l| l.outcome == Outcome::DryRun));
}

#[tokio::test]
async fn read_only_refuses_the_change_with_exit_3_but_still_shows_a_dry_run() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = context(&fake, dir.path());
    ctx.config.read_only = true;
    let ran = run(&ctx, &with(CREATE, &["--yes"])).await;
    assert_eq!(ran.code(), exit::REFUSED);
    assert!(ran.err.contains("nothing was changed"), "{}", ran.err);
    assert!(ran.out.is_empty(), "{}", ran.out);
    assert!(fake.changes().is_empty());
    assert!(audit(&ctx.audit_path()).is_empty());

    let ran = run(&ctx, &with(CREATE, &["--dry-run"])).await;
    assert_eq!(ran.code(), exit::SUCCESS);
    assert!(
        ran.out.contains("the apply would be refused"),
        "{}",
        ran.out
    );
}

#[tokio::test]
async fn a_tenant_that_is_complete_is_nothing_to_do() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let args = [
        "tenants",
        "create",
        "acme",
        "--admin-email",
        "alice@acme.com",
        "--yes",
    ];
    let ran = run(&ctx, &args).await;
    assert_eq!(ran.code(), exit::SUCCESS);
    assert_eq!(
        ran.out.trim(),
        "tenant acme already exists with every role group and alice@acme.com as admin: nothing to do"
    );
    assert!(fake.changes().is_empty());
}

#[tokio::test]
async fn a_failure_part_way_exits_1_says_how_to_complete_and_a_rerun_completes() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let onboard = [
        "users",
        "onboard",
        "--tenant",
        "acme",
        "--email",
        "erin@acme.com",
        "--role",
        "member",
        "--yes",
    ];
    fake.fail_next(
        "AdminAddUserToGroup",
        denied("Cognito AdminAddUserToGroup erin@acme.com"),
    );
    let ran = run(&ctx, &onboard).await;
    assert_eq!(ran.code(), exit::ERROR);
    assert!(ran.out.contains("done: 1."), "{}", ran.out);
    assert!(ran.out.contains("FAILED: 2."), "{}", ran.out);
    assert!(
        ran.err.contains("opsdeck: step 2 of 2 failed"),
        "{}",
        ran.err
    );
    assert!(
        ran.err.contains("run the same command again"),
        "{}",
        ran.err
    );
    assert!(
        fake.pool_user(POOL, "erin@acme.com")
            .unwrap()
            .groups
            .is_empty()
    );

    fake.clear_calls();
    let ran = run(&ctx, &onboard).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert_eq!(
        fake.changes(),
        [("AdminAddUserToGroup".to_owned(), "erin@acme.com".to_owned())]
    );
    assert_eq!(
        fake.members(POOL, "acme:member"),
        ["bob@acme.com", "erin@acme.com"]
    );
}

#[tokio::test]
async fn users_remove_with_delete_user_leaves_no_trace_of_the_user() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let args = [
        "users",
        "remove",
        "bob@acme.com",
        "--tenant",
        "acme",
        "--delete-user",
        "--yes",
    ];
    let ran = run(&ctx, &args).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(
        ran.err
            .contains("Plan: Remove bob@acme.com from tenant acme and delete the user")
    );
    assert_eq!(ran.out.matches("done: ").count(), 2, "{}", ran.out);
    assert!(fake.pool_user(POOL, "bob@acme.com").is_none());
    assert!(fake.members(POOL, "acme:member").is_empty());
    assert_eq!(fake.usernames(POOL), ["alice@acme.com", "dave@example.com"]);
}

#[tokio::test]
async fn tenants_list_and_users_list_read_the_pool() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(&ctx, &["tenants", "list", "-o", "json"]).await;
    assert_eq!(ran.code(), exit::SUCCESS);
    let rows: serde_json::Value = serde_json::from_str(&ran.out).unwrap();
    assert_eq!(
        rows,
        serde_json::json!([{
            "tenant": "acme",
            "description": "Acme Corp",
            "users": 2,
            "roles": {"admin": 1, "member": 1, "readonly": 0}
        }])
    );

    let ran = run(&ctx, &["users", "list", "--tenant", "acme", "-o", "json"]).await;
    assert_eq!(ran.code(), exit::SUCCESS);
    let rows: serde_json::Value = serde_json::from_str(&ran.out).unwrap();
    let users: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["username"].as_str().unwrap(),
                r["tenants"][0]["role"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        users,
        [("alice@acme.com", "admin"), ("bob@acme.com", "member")]
    );
    assert!(fake.changes().is_empty());
}

#[tokio::test]
async fn a_tenant_with_users_is_deleted_only_with_force() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(&ctx, &["tenants", "delete", "acme", "--yes"]).await;
    let error = ran.error();
    assert!(error.contains("still has 2 user(s)"), "{error}");
    assert!(fake.changes().is_empty());

    let ran = run(&ctx, &["tenants", "delete", "acme", "--force", "--yes"]).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(fake.groups_of(POOL).is_empty());
    let alice = fake.pool_user(POOL, "alice@acme.com").unwrap();
    assert!(
        alice.groups.is_empty(),
        "deleting a group removes its members from it"
    );
}

#[tokio::test]
async fn a_pool_that_does_not_exist_is_named_and_nothing_is_planned() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let ran = run(&ctx, &with(CREATE, &["--pool", "eu-west-1_gone", "--yes"])).await;
    let error = ran.error();
    assert!(
        error.contains("cannot read the pool to plan the change"),
        "{error}"
    );
    assert!(
        error.contains("user pool eu-west-1_gone not found"),
        "{error}"
    );
    assert!(fake.changes().is_empty());
}

#[tokio::test]
async fn an_import_file_that_is_a_device_fifo_or_over_16_mib_is_refused_before_any_call() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let big = dir.path().join("big.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len((16 << 20) + 1)
        .unwrap();
    let fifo = dir.path().join("fifo.csv");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    for (file, says) in [
        ("/dev/zero", "is a character device, not a regular file"),
        (
            fifo.to_str().unwrap(),
            "is a FIFO (named pipe), not a regular file",
        ),
        (
            big.to_str().unwrap(),
            "is larger than 16 MiB, the most opsdeck reads for an import file",
        ),
    ] {
        let started = std::time::Instant::now();
        // A pool that does not exist: the file is refused before the pool is read.
        let args = [
            "users",
            "import",
            "--tenant",
            "acme",
            file,
            "--pool",
            "eu-west-1_gone",
            "--yes",
        ];
        let ran = run(&ctx, &args).await;
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let error = ran.error();
        assert!(
            error.starts_with(&format!("the import file {file} {says}")),
            "{error}"
        );
    }
    assert!(fake.changes().is_empty());
}

#[tokio::test]
async fn creating_an_existing_tenant_with_another_admin_is_refused_and_nobody_is_added() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    let args = [
        "tenants",
        "create",
        "acme",
        "--admin-email",
        "mallory@example.com",
        "--yes",
    ];
    let ran = run(&ctx, &args).await;
    let error = ran.error();
    assert!(
        error.contains("tenant acme already exists, with admin(s) alice@acme.com"),
        "{error}"
    );
    assert!(
        error.contains(
            "opsdeck users onboard --tenant acme --email mallory@example.com --role admin"
        ),
        "{error}"
    );
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
    assert!(fake.pool_user(POOL, "mallory@example.com").is_none());
    assert!(audit(&ctx.audit_path()).is_empty());
    // An existing user of the pool is not made admin either.
    let args = with(
        &[
            "tenants",
            "create",
            "acme",
            "--admin-email",
            "dave@example.com",
        ],
        &["--yes"],
    );
    let ran = run(&ctx, &args).await;
    assert!(ran.error().contains("already exists, with admin(s)"));
    assert!(fake.changes().is_empty(), "{:?}", fake.changes());
    assert_eq!(fake.members(POOL, "acme:admin"), ["alice@acme.com"]);
}

#[tokio::test]
async fn a_tenant_left_without_an_admin_by_a_failed_run_can_still_be_completed() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    fake.fail_next(
        "AdminCreateUser",
        denied("Cognito AdminCreateUser carol@globex.com"),
    );
    let ran = run(&ctx, &with(CREATE, &["--yes"])).await;
    assert_eq!(ran.code(), exit::ERROR);
    assert!(fake.members(POOL, "globex:admin").is_empty());
    // Completed with another admin (the first address was wrong): no admin yet, so allowed.
    let ran = run(
        &ctx,
        &[
            "tenants",
            "create",
            "globex",
            "--admin-email",
            "dan@globex.com",
            "--yes",
        ],
    )
    .await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert_eq!(fake.members(POOL, "globex:admin"), ["dan@globex.com"]);
}

#[tokio::test]
async fn an_import_plan_names_the_users_it_adds_who_belong_to_other_tenants() {
    let fake = fake();
    let dir = tempfile::tempdir().unwrap();
    let ctx = context(&fake, dir.path());
    assert_eq!(
        run(&ctx, &with(CREATE, &["--yes"])).await.code(),
        exit::SUCCESS
    );
    let file = dir.path().join("users.csv");
    std::fs::write(
        &file,
        "email,role\ncarol@globex.com,member\nerin@acme.com,member\ndave@example.com,readonly\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let args = ["users", "import", "--tenant", "acme", file, "--dry-run"];
    let ran = run(&ctx, &args).await;
    assert_eq!(ran.code(), exit::SUCCESS, "{}", ran.err);
    assert!(
        ran.out
            .contains("Import 3 user(s) into tenant acme, 1 of them already in other tenants"),
        "{}",
        ran.out
    );
    assert!(
        ran.out
            .contains("carol@globex.com already belongs to tenant(s) globex (admin)"),
        "{}",
        ran.out
    );
    for line in ran.out.lines().filter(|l| l.contains("already belongs")) {
        assert!(line.contains("carol@globex.com"), "{line}");
    }
}
