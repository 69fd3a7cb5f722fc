//! The two procedures the tests run: a hard fault at step k, then a rerun that completes the
//! change; and a transient fault the retries absorb.

use std::time::{Duration, Instant};

use crate::flows::{Flow, Hard, Transient, rule};
use crate::proxy::{Proxy, When};
use crate::scene::{Scene, ops_of, owned, reference, text};
use crate::{ATTEMPTS, support};

/// Step `k` (from 1) of `flow` fails with `hard`; then a rerun without faults completes it.
pub(crate) async fn fails_at_step_then_rerun_completes(flow: Flow, k: usize, hard: Hard) {
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

    // Two audit lines per attempted step (intent, then how it ended; `Scene::audit` checks the
    // pairs and returns the second of each): ok before k, the error at k (unknown when no answer
    // came back), nothing after.
    let audit = scene.audit();
    assert_eq!(audit.len(), k, "one call per attempted step: {audit:#?}");
    assert_eq!(ops_of(&audit), owned(&plan[..k]));
    for (i, line) in audit.iter().enumerate() {
        assert_eq!(
            (line["step"].as_u64(), line["steps"].as_u64()),
            (Some(i as u64 + 1), Some(n as u64))
        );
        let want = match (i + 1 < k, hard.code()) {
            (true, _) => "ok",
            (false, Some(_)) => "error",
            (false, None) => "unknown",
        };
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
pub(crate) async fn absorbs_transient_at_step(flow: Flow, k: usize, transient: Transient) {
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
