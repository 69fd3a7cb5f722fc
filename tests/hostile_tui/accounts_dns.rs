//! The Accounts and DNS views with hostile account names, records, zone names and comments, and a
//! stale delegation.

use aws_sdk_route53::Client as Route53;
use aws_sdk_route53::types::RrType;

use crate::hostile::{
    BIDI, C0, C1, CSI, HOSTILE, OSC_TITLE, WIDE, ZERO_WIDTH_AND_COMBINING, long_value,
};
use crate::support::TestAccount;
use crate::walk::{Expect, HINTS, Walk};
use crate::{NARROW_SIZE, WIDE_SIZE, block_on, dashboard, hostile, support};

/// Names of the member accounts: an OSC title, CSI and C0, C1 and bidi with invisible and
/// wide characters, and 10,000 characters. Organizations speaks JSON, so C0 gets through.
fn account_names() -> Vec<String> {
    vec![
        format!("acct {OSC_TITLE}"),
        format!("acct {CSI}{C0}"),
        format!("acct {C1}{BIDI}{ZERO_WIDTH_AND_COMBINING}{WIDE}"),
        long_value(),
    ]
}

/// The apex of the hostile zones.
const APEX: &str = "hostile.example.test";
/// A zone under it whose name carries an OSC title as Route 53 octal escapes (names are shown
/// decoded, so the dashboard gets a real ESC and BEL).
const ESCAPED_CHILD: &str = "k\\033]0;zone-title\\007.hostile.example.test";

/// An organisation of hostile-named accounts managed by `account`, and Route 53 data in it:
/// TXT values, record and zone names, zone comments, and a stale delegation.
async fn seed_org_and_dns(account: &TestAccount) {
    let org = aws_sdk_organizations::Client::new(&account.sdk);
    org.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("create organization");
    for (i, name) in account_names().into_iter().enumerate() {
        org.create_account()
            .account_name(name)
            .email(format!("ops+{i}{}@example.com", HOSTILE[i % HOSTILE.len()]))
            .send()
            .await
            .expect("the emulator takes hostile account names");
    }

    let r53 = Route53::new(&account.sdk);
    // XML carries no C0: comments and values get C1, bidi, invisible and wide characters.
    let long: String = long_value().chars().filter(|&c| c >= ' ').collect();
    let long = long.repeat(2).chars().take(10_000).collect::<String>();
    let zone = hostile::create_zone(&r53, APEX, Some(&format!("{C1}{BIDI}"))).await;
    hostile::create_zone(&r53, ESCAPED_CHILD, Some(&long)).await;
    let dns_escaped = "\\033]0;title\\007 \\033[2J \\233";
    for (i, value) in [C1, BIDI, ZERO_WIDTH_AND_COMBINING, WIDE, dns_escaped, &long]
        .into_iter()
        .enumerate()
    {
        hostile::upsert_txt(
            &r53,
            &zone,
            &format!("t{i}.{APEX}"),
            &format!("\"{value}\""),
        )
        .await
        .unwrap_or_else(|e| panic!("the emulator rejects TXT {value:?}: {e}"));
    }
    for name in [
        format!("e\\033]0;record-title\\007.{APEX}"),
        format!("c\\233x.{APEX}"),
        // Bidi controls go in raw (names allow no spaces, so not the whole BIDI string).
        format!("b\u{202e}fdp\u{2066}x.{APEX}"),
    ] {
        hostile::upsert_txt(&r53, &zone, &name, &format!("\"{C1}\""))
            .await
            .unwrap_or_else(|e| panic!("the emulator rejects the name {name:?}: {e}"));
    }
    // The parent's NS set names servers the child zone does not have: a stale delegation.
    hostile::upsert_record(
        &r53,
        &zone,
        ESCAPED_CHILD,
        RrType::Ns,
        &["ns-1.stale.example.net.", "ns-2.stale.example.net."],
    )
    .await
    .expect("NS record of the child");
}

/// Accounts, then DNS: hosted zones → the organisation's accounts → all records → one
/// account's zones → a zone's records → who serves a record → delegations → `:find`; help,
/// the filter prompt; and last a hostile-named account made current (its name in the header).
fn walk_accounts_and_dns(account: &TestAccount, size: (u16, u16)) {
    let name_marker = "␛]0;pwned";
    let mut walk = Walk::start(
        "accounts and DNS",
        dashboard(account),
        size,
        Expect::view(&["Accounts", "NAME", "ok"]),
    );
    walk.view(
        "help over the accounts",
        "?",
        Expect::view(&["Keys", "help: j/k scroll"]).shows(&[]),
    );
    walk.view("accounts", "⎋", Expect::view(&["NAME", "ID"]).shows(&["␛"]));
    walk.view(
        "the filter prompt over the accounts",
        "/acct",
        Expect::view(&["NAME"]).status(&["/acct"]),
    );
    walk.view("accounts, filtered", "\r", Expect::view(&["filter:"]));
    walk.view("accounts", "⎋", Expect::view(&["NAME"]));

    walk.view(
        "DNS hosted zones",
        "2",
        Expect::view(&["Hosted zones", "hostile.example"]),
    );
    walk.view(
        "DNS organisation accounts",
        "⎋",
        Expect::view(&["Organisation DNS", "5 accounts at"]),
    );
    walk.view(
        "DNS all records",
        "\r",
        Expect::view(&["All records", "t0.hostile"]),
    );
    walk.view(
        "DNS all records, scrolled",
        "G",
        Expect::view(&["All records"]),
    );
    // A resize redraws everything after clearing the screen: the one other time `ESC[2J` is
    // the dashboard's own. Wide characters and long values must hold the layout at any size.
    for to in [(80, 24), (41, 13), size] {
        walk.resize("DNS all records", to, Expect::view(&["All records"]));
    }
    walk.view(
        "DNS organisation accounts",
        "⎋",
        Expect::view(&["Organisation DNS"]),
    );
    walk.view(
        "DNS zones of a hostile-named account (none)",
        "/after-title\r\r",
        Expect::view(&["Zones of acct ␛]0;pwned"]),
    );
    walk.view(
        "DNS organisation accounts, filtered",
        "⎋",
        Expect::view(&["Organisation DNS"]),
    );
    walk.view(
        "DNS organisation accounts",
        "⎋",
        Expect::view(&["Organisation DNS 8 shown"]),
    );
    // The rows: all records, delegations, audit, then the accounts in the inventory's order; the
    // management account has the zones.
    walk.view(
        "DNS accounts, filtered to the management account",
        &format!("/{}\r", account.id),
        Expect::view(&["Organisation DNS 1 shown"]).shows(&[]),
    );
    walk.view(
        "DNS zones of the management account",
        "\r",
        Expect::view(&["Zones of", "hostile."]),
    );
    walk.view(
        "DNS records of the apex zone",
        &format!("/'{APEX} \r\r"),
        Expect::view(&["Records of hostile.example", "t1.hostile"]),
    );
    walk.view(
        "DNS who serves a hostile-named record",
        "/record-title\r\r",
        Expect::view(&["Who serves e␛]0;record-title␇"]),
    );
    walk.view(
        "DNS delegations",
        ":delegations\r",
        Expect::view(&["Delegations"]),
    );
    walk.view(
        "DNS who serves the hostile child zone",
        "\r",
        Expect::view(&["Who serves k␛]0;zone-title␇"]),
    );
    // Typed with Route 53's octal escape, which finds the record whose decoded name holds a C1
    // CSI.
    walk.view(
        "DNS :find of a name typed with an escaped C1 control",
        &format!(":find c\\233x.{APEX}\r"),
        Expect::view(&["Who serves c\\233x.hostile", "record"]).shows(&["c<U+009B>x"]),
    );

    walk.view("Accounts again", "0", Expect::view(&["NAME"]));
    walk.view(
        "a hostile-named account made current",
        "/after-title\r\r",
        Expect::view(&["●"])
            .shows(&[name_marker])
            .status(&[" current account: acct ␛]0;pwned", HINTS]),
    );
    if walk
        .terminal
        .screen()
        .contents()
        .lines()
        .next()
        .is_none_or(|l| !l.contains(name_marker))
    {
        walk.fail(
            "a hostile-named account made current",
            "the header does not show the current account's name",
        );
    }
    walk.quit();
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn accounts_and_dns_views_show_hostile_names_records_and_zones_harmlessly() {
    let account = block_on(support::isolated_account());
    block_on(seed_org_and_dns(&account));
    walk_accounts_and_dns(&account, WIDE_SIZE);
    walk_accounts_and_dns(&account, NARROW_SIZE);
}
