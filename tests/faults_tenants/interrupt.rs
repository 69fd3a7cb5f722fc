//! Ctrl-C in the middle of an import whose call is held by the proxy: the call in flight is ended
//! and audited `unknown` after its `intent`, nothing further is called, stderr says which steps are
//! done, unknown and not started and how to complete the change, and the command exits 130. The
//! rerun then completes the change and the pool ends as a fault-free run leaves it.

use std::io::Read;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::flows::Flow;
use crate::proxy::{Fault, Proxy, Rule, When};
use crate::scene::{Scene, ops_of, owned, reference, text};

/// How long the proxy holds the second AdminCreateUser (step 5 of 8) before passing it on.
const HOLD: Duration = Duration::from_secs(4);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn ctrl_c_during_a_held_call_of_an_import_audits_it_unknown_and_exits_130() {
    let proxy = Proxy::start(&crate::support::endpoint(), Vec::new()).await;
    let (expected, scene) = tokio::join!(
        reference(Flow::Import, &proxy),
        Scene::new(Flow::Import, &proxy)
    );
    let plan = Flow::Import.expected_plan();
    proxy.set_rules(vec![
        Rule::on("cognito-idp", Fault::Delay(HOLD))
            .operation("AdminCreateUser")
            .account(&scene.account.id)
            .when(When::Nth(2)),
    ]);

    let mut child = scene
        .command(&proxy, scene.state(), &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start opsdeck");
    // Wait until the held call (step 5) has reached the proxy.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !proxy
        .calls()
        .iter()
        .any(|c| c.operation == "AdminCreateUser" && c.fault.is_some())
    {
        assert!(Instant::now() < deadline, "the held call never came");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let sent = Instant::now();
    // SAFETY: kill(2) on the pid of a child this test started and has not waited for yet.
    let killed = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(killed, 0, "SIGINT sent");
    let status = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let mut out = String::new();
        let mut err = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        (status, out, err)
    });
    let (status, stdout, stderr) = status.await.unwrap();
    eprintln!("--- stdout\n{stdout}--- stderr\n{stderr}");
    assert!(
        sent.elapsed() < HOLD,
        "the command ended at Ctrl-C, not when the held call was answered"
    );
    assert_eq!(status.code(), Some(130), "{stderr}");

    // The report: per step on stdout, the summary and the way to complete it on stderr.
    for (i, prefix) in [
        (1, "done:"),
        (4, "done:"),
        (5, "UNKNOWN:"),
        (6, "not attempted:"),
    ] {
        assert!(stdout.contains(&format!("{prefix} {i}. ")), "{i}: {stdout}");
    }
    assert!(
        stderr.contains(
            "opsdeck: interrupted (Ctrl-C) during step 5 of 8: create user new2@import.example"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("may have taken effect"), "{stderr}");
    assert!(
        stderr.contains("steps done: 1-4; outcome unknown: 5; not started: 6-8"),
        "{stderr}"
    );
    assert!(stderr.contains("run the same command again"), "{stderr}");
    assert!(stderr.contains("audit.log"), "{stderr}");

    // The audit: intent + ok for steps 1-4, intent + unknown for step 5, nothing after.
    let audit = scene.audit();
    assert_eq!(ops_of(&audit), owned(&plan[..5]));
    let outcomes: Vec<&str> = audit
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["ok", "ok", "ok", "ok", "unknown"]);
    assert!(
        audit[4]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Ctrl-C")),
        "{:#}",
        audit[4]
    );
    let created: Vec<_> = scene
        .mutating_calls(&proxy)
        .into_iter()
        .map(|(op, _)| op)
        .collect();
    assert_eq!(
        created.len(),
        5,
        "nothing sent after the held call: {created:?}"
    );

    // Let the held call run out (the proxy may still pass it on), then complete the change.
    tokio::time::sleep(HOLD).await;
    proxy.set_rules(Vec::new());
    let out = scene.run(&proxy).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let all = scene.audit();
    let rerun = ops_of(&all[5..]);
    assert!(
        rerun == owned(&plan[4..]) || rerun == owned(&plan[5..]),
        "the rerun makes only the missing calls: {rerun:?}"
    );
    assert_eq!(scene.snapshot().await, expected, "the final state");
}
