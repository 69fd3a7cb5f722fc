//! Accounts denied or throttled through the fault proxy: a throttled account completes late, one
//! throttled past the patience is reported after few paced calls, a throttled AssumeRole delays
//! only its account.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::{
    a_record_names, account_lines, proxy, role_of, run, support, three_members_with_a_zone_each,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn one_account_denied_and_one_throttled_for_a_while_the_throttled_one_completes_late_exit_4()
{
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    // Route53 throttles charlie for 5 s: longer than the SDK's three attempts last, shorter than
    // the default patience (30 s).
    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![
            proxy::Rule::assume_role(&role_of(&members[1]), proxy::Fault::AccessDenied),
            proxy::Rule::on("route53", proxy::Fault::Throttle)
                .account(&members[2].id)
                .when(proxy::When::For(Duration::from_secs(5))),
        ],
    )
    .await;
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["dns", "records", "-o", "json"]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let lines = account_lines(&out);
    assert_eq!(
        lines.len(),
        1,
        "only the denied account is reported: {lines:?}"
    );
    assert!(
        lines[0].contains(&members[1].id)
            && lines[0].contains("denied")
            && lines[0].contains("AccessDenied"),
        "{}",
        lines[0]
    );
    assert_eq!(
        a_record_names(&out),
        BTreeSet::from(["www.alpha.test".to_owned(), "www.charlie.test".to_owned()])
    );
    let calls = proxy.calls();
    assert!(
        calls
            .iter()
            .any(|c| c.fault == Some(proxy::Fault::AccessDenied))
    );
    let charlie: Vec<&proxy::Call> = calls
        .iter()
        .filter(|c| c.service == "route53" && c.account.as_deref() == Some(&members[2].id))
        .collect();
    let throttled = charlie.iter().filter(|c| c.fault.is_some()).count();
    eprintln!(
        "charlie: {throttled} throttled calls, {} in all, the last at {:?}",
        charlie.len(),
        charlie.last().unwrap().at - charlie[0].at
    );
    // Backing off: at most three SDK attempts per round, rounds 1, 2, 4 s apart within the 5 s.
    assert!(
        (3..=12).contains(&throttled),
        "{throttled} throttled calls: {charlie:#?}"
    );
    assert!(charlie.last().unwrap().fault.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn an_account_throttled_past_the_patience_is_reported_after_few_paced_calls() {
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![proxy::Rule::on("route53", proxy::Fault::Throttle).account(&members[2].id)],
    )
    .await;
    let config = support::scratch_dir().join("config.toml");
    std::fs::write(&config, "[concurrency]\nthrottle_patience_secs = 4\n").unwrap();
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .arg("--config")
        .arg(&config)
        .args(["dns", "records", "-o", "json"]);
    let started = std::time::Instant::now();
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(4));
    let lines = account_lines(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(&members[2].id)
            && lines[0].contains("throttled")
            && lines[0].contains("Throttling"),
        "{}",
        lines[0]
    );
    assert_eq!(
        a_record_names(&out),
        BTreeSet::from(["www.alpha.test".to_owned(), "www.bravo.test".to_owned()])
    );
    // The account's first call (ListHostedZones) is the one throttled: the SDK's three attempts,
    // then rounds after 1 s and 2 s (a 4 s wait would pass the 4 s patience), three attempts each.
    let charlie: Vec<proxy::Call> = proxy
        .calls()
        .into_iter()
        .filter(|c| c.service == "route53" && c.account.as_deref() == Some(&members[2].id))
        .collect();
    assert!(
        charlie
            .iter()
            .all(|c| c.fault == Some(proxy::Fault::Throttle))
    );
    assert!(
        (3..=9).contains(&charlie.len()),
        "{} calls: {charlie:#?}",
        charlie.len()
    );
    let spread = charlie.last().unwrap().at - charlie[0].at;
    eprintln!(
        "charlie: {} throttled calls over {spread:?}; the command took {took:?}",
        charlie.len()
    );
    // At least the first back-off wait (1 s) lies between the first call and the last; how much
    // more depends on the SDK's jittered retries (two rounds of calls can span under 3 s).
    assert!(
        spread >= Duration::from_secs(1),
        "the calls were not spaced out: {spread:?} from first to last"
    );
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn an_assume_role_throttled_for_a_while_delays_that_account_but_it_completes() {
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    let proxy = proxy::Proxy::start(
        &support::endpoint(),
        vec![
            proxy::Rule::assume_role(&role_of(&members[2]), proxy::Fault::Throttle)
                .when(proxy::When::For(Duration::from_secs(4))),
        ],
    )
    .await;
    let mut cmd = support::opsdeck(&account);
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["dns", "records", "-o", "json"]);
    let out = tokio::task::spawn_blocking(move || run(&mut cmd))
        .await
        .unwrap();
    let throttled = proxy.faults();
    eprintln!("AssumeRole throttled {throttled} times");
    assert!(
        throttled >= 2,
        "the fault was not hit: {:#?}",
        proxy.calls()
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", account_lines(&out));
    assert_eq!(
        a_record_names(&out),
        BTreeSet::from([
            "www.alpha.test".to_owned(),
            "www.bravo.test".to_owned(),
            "www.charlie.test".to_owned()
        ])
    );
}
