//! Strings built to attack a terminal, the check that none reached an output raw, and helpers
//! that seed them into the emulator with the SDK. Shared by tests/hostile.rs (the commands'
//! table, CSV and JSON output) and tests/hostile_tui/ (the dashboard in a pty).
//!
//! Included with `#[path = "support/hostile.rs"] mod hostile;` next to `mod support;` (from a
//! test folder's main.rs: `#[path = "../support/hostile.rs"]`).

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
use aws_sdk_route53::Client as Route53;
use aws_sdk_route53::types::{
    Change, ChangeAction, ChangeBatch, ResourceRecord, ResourceRecordSet, RrType,
};
use aws_sdk_sfn::Client as Sfn;
use aws_sdk_sfn::types::ExecutionStatus;

pub const OSC_TITLE: &str = "\x1b]0;pwned window title\x07after-title";
pub const OSC_CLIPBOARD: &str = "\x1b]52;c;cm0gLXJmIH4vCg==\x07after-clipboard";
pub const OSC_HYPERLINK: &str = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\";
pub const CSI: &str = "\x1b[2J\x1b[H\x1b[31mred\x1b[0m\x1b[?1049l\x1b[6n";
pub const C0: &str = "nul\0bel\x07bs\x08tab\tvt\x0bff\x0ccr\rlf\nesc\x1bdel\x7fend";
pub const C1: &str = "csi\u{9b}31m osc\u{9d}0;t\u{9c} nel\u{85} st\u{9c}";
pub const BIDI: &str =
    "invoice\u{202e}fdp.exe\u{202c} \u{2066}iso\u{2069}\u{2067}rtl\u{2069}\u{202a}\u{202b}\u{202d}";
pub const ZERO_WIDTH_AND_COMBINING: &str =
    "zw\u{200b}sp\u{200c}nj\u{200d}j\u{feff}bom e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}";
pub const WIDE: &str = "漢字テスト🦀🦀 ｗｉｄｅ";

/// Every short hostile string, by what it attacks.
pub const HOSTILE: [&str; 9] = [
    OSC_TITLE,
    OSC_CLIPBOARD,
    OSC_HYPERLINK,
    CSI,
    C0,
    C1,
    BIDI,
    ZERO_WIDTH_AND_COMBINING,
    WIDE,
];

/// 10,000 characters: mostly wide and combining text with escape sequences spread through it.
pub fn long_value() -> String {
    let mut s = String::new();
    let pieces = ["\x1b[31m", "漢", "e\u{301}", "\u{202e}", "\u{9b}", "x"];
    let mut i = 0;
    while s.chars().count() < 10_000 {
        s.push_str(pieces[i % pieces.len()]);
        i += 1;
    }
    s.chars().take(10_000).collect()
}

pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// The characters that must never reach a terminal from data: anything that starts or ends a
/// control sequence or reorders text. `\n` ends lines and CSV may end them with `\r\n`.
pub fn hazard(c: char) -> bool {
    (c < ' ' && c != '\n' && c != '\r')
        || c == '\x7f'
        || ('\u{80}'..='\u{9f}').contains(&c)
        || is_bidi_control(c)
}

/// Text output (a command's table, CSV or JSON) holds no hazard; `\r` only as CSV's `\r\n`.
pub fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    for (line_no, line) in text.split('\n').enumerate() {
        // A lone `\r` would move the cursor back over the line; only CSV's `\r\n` is allowed.
        if let Some(at) = line.find('\r') {
            assert_eq!(
                at,
                line.len() - 1,
                "{what}: stray \\r on line {line_no}: {line:?}"
            );
        }
        if let Some(c) = line.chars().find(|&c| hazard(c)) {
            panic!(
                "{what}: {:?} (U+{:04X}) on line {line_no}: {line:?}",
                c, c as u32
            );
        }
    }
}

// ---------------------------------------------------------------- seeding

/// UPSERT one TXT (or other) record set with one value; the error as text, since Route 53
/// refuses some hostile values and tests assert that.
pub async fn upsert_record(
    r53: &Route53,
    zone: &str,
    name: &str,
    kind: RrType,
    values: &[&str],
) -> Result<(), String> {
    let mut record = ResourceRecordSet::builder()
        .name(name)
        .r#type(kind)
        .ttl(300);
    for value in values {
        record = record.resource_records(ResourceRecord::builder().value(*value).build().unwrap());
    }
    r53.change_resource_record_sets()
        .hosted_zone_id(zone)
        .change_batch(
            ChangeBatch::builder()
                .changes(
                    Change::builder()
                        .action(ChangeAction::Upsert)
                        .resource_record_set(record.build().unwrap())
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .map(|_| ())
        .map_err(|e| aws_sdk_route53::error::DisplayErrorContext(&e).to_string())
}

pub async fn upsert_txt(r53: &Route53, zone: &str, name: &str, value: &str) -> Result<(), String> {
    upsert_record(r53, zone, name, RrType::Txt, &[value]).await
}

/// A public hosted zone; its id without the `/hostedzone/` prefix.
pub async fn create_zone(r53: &Route53, name: &str, comment: Option<&str>) -> String {
    let mut request = r53.create_hosted_zone().name(name).caller_reference(name);
    if let Some(comment) = comment {
        request = request.hosted_zone_config(
            aws_sdk_route53::types::HostedZoneConfig::builder()
                .comment(comment)
                .build(),
        );
    }
    request
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "create zone {name:?}: {}",
                aws_sdk_route53::error::DisplayErrorContext(&e)
            )
        })
        .hosted_zone
        .unwrap()
        .id
        .trim_start_matches("/hostedzone/")
        .to_owned()
}

/// A user pool; its id.
pub async fn create_pool(cognito: &Cognito, name: &str) -> String {
    cognito
        .create_user_pool()
        .pool_name(name)
        .send()
        .await
        .expect("the emulator takes hostile pool names")
        .user_pool
        .unwrap()
        .id
        .unwrap()
}

pub async fn create_group(cognito: &Cognito, pool: &str, name: &str, description: &str) {
    cognito
        .create_group()
        .user_pool_id(pool)
        .group_name(name)
        .description(description)
        .send()
        .await
        .expect("the emulator takes hostile group names and descriptions");
}

/// A confirmed-by-admin user (no invitation) with `email` and the `name` attribute, put in
/// `group`.
pub async fn create_user(
    cognito: &Cognito,
    pool: &str,
    username: &str,
    email: &str,
    name: &str,
    group: &str,
) {
    let attribute = |name: &str, value: &str| {
        AttributeType::builder()
            .name(name)
            .value(value)
            .build()
            .unwrap()
    };
    cognito
        .admin_create_user()
        .user_pool_id(pool)
        .username(username)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attribute("email", email))
        .user_attributes(attribute("name", name))
        .send()
        .await
        .expect("the emulator takes hostile usernames and attribute values");
    cognito
        .admin_add_user_to_group()
        .user_pool_id(pool)
        .username(username)
        .group_name(group)
        .send()
        .await
        .expect("add the user to its group");
}

/// Poll until the execution is no longer running (the emulator must run in execute mode).
pub async fn wait_for_end(sfn: &Sfn, arn: &str) -> ExecutionStatus {
    for _ in 0..100 {
        let status = sfn
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .unwrap()
            .status;
        if status != ExecutionStatus::Running {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{arn} still running after 10 s: is the emulator in execute mode?");
}
