//! Reads that fail: a Route 53 cursor that does not advance stops only its zone, reads that keep
//! failing give up with one clear line, and hostile error messages reach stderr harmlessly.

use std::time::Duration;

use aws_sdk_route53::types::{ResourceRecordSet, RrType};

use crate::{
    json, organisation, proxy, run, simple, support, three_members_with_a_zone_each, upsert,
    weighted, zone,
};

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn a_cursor_that_does_not_advance_stops_that_zone_with_exit_4_and_keeps_the_rest() {
    let account = support::isolated_account().await;
    organisation(&account, &[]).await;
    let (stuck, _) = zone(&account.sdk, "stuck.test", false).await;
    let (fine, _) = zone(&account.sdk, "fine.test", false).await;
    // A weighted set larger than a page: the emulator pages inside it without an identifier.
    let set: Vec<ResourceRecordSet> = (0..305)
        .map(|i| weighted("w.stuck.test", &format!("id-{i:03}"), 1, "192.0.2.1"))
        .collect();
    upsert(&account.sdk, &stuck, set).await;
    upsert(
        &account.sdk,
        &fine,
        vec![simple("a.fine.test", RrType::A, 60, &["192.0.2.2"])],
    )
    .await;

    let out = run(support::opsdeck(&account).args(["dns", "records", "-o", "json"]));
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("stuck.test"), "{stderr}");
    assert!(stderr.contains("same cursor"), "{stderr}");
    assert!(stderr.contains("CursorNotAdvancing"), "{stderr}");
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    assert!(rows.iter().any(|r| r["name"] == "a.fine.test"));
    let in_set = rows.iter().filter(|r| r["name"] == "w.stuck.test").count();
    // The first page's part of the set, each record once.
    assert_eq!(in_set, 298);
}

/// Reads whose service keeps failing: the SDK's three attempts, then one clear line per failure,
/// the right exit code, no debug dump.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn reads_that_keep_failing_give_up_after_three_attempts_with_one_clear_line() {
    use proxy::{Fault, Rule, When};
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    // (rule, command, exit code, what each failure line says, failure lines)
    let cases: Vec<(Rule, &[&str], i32, &str, usize)> = vec![
        (
            Rule::on("organizations", Fault::Drop),
            &["accounts"],
            1,
            "Organizations ListAccounts: network error: ",
            1,
        ),
        (
            Rule::on("organizations", Fault::Status(503)),
            &["dns", "zones"],
            1,
            "Organizations ListAccounts failed: Service unavailable (ServiceUnavailable)",
            1,
        ),
        (
            Rule::on("sts", Fault::Drop).operation("GetCallerIdentity"),
            &["whoami"],
            1,
            "STS GetCallerIdentity: network error: ",
            1,
        ),
        (
            Rule::on("route53", Fault::Drop).account(&members[0].id),
            &["dns", "zones"],
            4,
            "failed: Route53 ListHostedZones: network error: ",
            1,
        ),
        (
            Rule::on("route53", Fault::Status(500)).account(&members[1].id),
            &["dns", "records"],
            4,
            "failed: Route53 ListHostedZones failed: Internal error (InternalFailure)",
            1,
        ),
        // A slow Route53 is only slow.
        (
            Rule::on("route53", Fault::Delay(Duration::from_secs(1))).when(When::First(3)),
            &["dns", "zones"],
            0,
            "",
            0,
        ),
    ];
    for (rule, args, code, says, lines) in cases {
        let proxy = proxy::Proxy::start(&support::endpoint(), vec![rule.clone()]).await;
        let mut cmd = support::opsdeck(&account);
        cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint).args(args);
        let out = tokio::task::spawn_blocking(move || run(&mut cmd))
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let failures: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("opsdeck: "))
            .collect();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?} under {rule:?}: {stderr}"
        );
        assert_eq!(failures.len(), lines, "{args:?} under {rule:?}: {stderr}");
        for line in &failures {
            assert!(line.contains(says), "{args:?}: {line}");
            assert!(
                !line.contains("DispatchFailure") && !line.contains(" {") && line.len() < 300,
                "{args:?}: not one clear sentence: {line}"
            );
        }
        // Bounded: each failing call was tried exactly three times (max_attempts).
        let faulted = proxy.faults();
        if code != 0 {
            assert_eq!(faulted, 3, "{args:?} under {rule:?}: {:#?}", proxy.calls());
        }
    }
}

/// Error text comes from AWS too: an error message built to attack the terminal is shown harmlessly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn hostile_error_messages_reach_stderr_harmlessly() {
    use proxy::{Fault, Rule};
    let account = support::isolated_account().await;
    let members = three_members_with_a_zone_each(&account).await;
    let hostile = "no\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}kcab\u{202c}\r\nforged line";
    // XML cannot carry C0 controls (Route53's answer would not parse): C1 and bidi there.
    let xml_hostile = "no\u{9d}0;pwned\u{9c}\u{9b}31m\u{202e}kcab\u{202c}\u{85}forged line";
    let error = |status, message: &str| Fault::Error {
        status,
        code: "AccessDenied".into(),
        message: message.into(),
    };
    for (rule, args) in [
        (
            Rule::on("organizations", error(400, hostile)),
            &["accounts"][..],
        ),
        (
            Rule::on("organizations", error(400, hostile)),
            &["dns", "records"][..],
        ),
        (
            Rule::on("route53", error(403, xml_hostile)).account(&members[0].id),
            &["dns", "zones", "-o", "csv"][..],
        ),
    ] {
        let proxy = proxy::Proxy::start(&support::endpoint(), vec![rule]).await;
        let mut cmd = support::opsdeck(&account);
        cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint).args(args);
        let out = tokio::task::spawn_blocking(move || run(&mut cmd))
            .await
            .unwrap();
        assert!(proxy.faults() >= 1, "{args:?}: the fault was not hit");
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("pwned"),
            "{args:?}: the message is not shown: {stderr}"
        );
        for text in [&stderr, &String::from_utf8_lossy(&out.stdout)] {
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| {
                    (c.is_control() && c != '\n')
                        || ('\u{202a}'..='\u{202e}').contains(&c)
                        || ('\u{2066}'..='\u{2069}').contains(&c)
                })
                .collect();
            assert!(
                bad.is_empty(),
                "{args:?}: {bad:?} reached the terminal: {text:?}"
            );
            assert!(
                !text.lines().any(|l| l.starts_with("forged line")),
                "{args:?}: the message forged a line of its own: {text}"
            );
        }
    }
}
