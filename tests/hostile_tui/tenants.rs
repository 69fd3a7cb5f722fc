//! The Tenants views with hostile pool and tenant names, group descriptions, users, and an import
//! report.

use std::path::Path;

use aws_sdk_cognitoidentityprovider::Client as Cognito;

use crate::hostile::{
    BIDI, C0, C1, CSI, HOSTILE, OSC_HYPERLINK, OSC_TITLE, WIDE, ZERO_WIDTH_AND_COMBINING,
    long_value,
};
use crate::support::TestAccount;
use crate::walk::{ANSWER, Expect, Walk};
use crate::{NARROW_SIZE, WIDE_SIZE, block_on, dashboard, hostile, support};

/// A pool named with an OSC title and bidi controls, and a plain one, so the pool list shows.
const POOL: &str = "tenants";

/// The hostile pool's tenants (`acme`, one named with an OSC title, one with bidi controls),
/// group descriptions, users with hostile emails, `name` attributes and usernames.
async fn seed_tenants(account: &TestAccount) {
    let cognito = Cognito::new(&account.sdk);
    let pool = hostile::create_pool(&cognito, &format!("{POOL} {OSC_TITLE}{BIDI}")).await;
    hostile::create_pool(&cognito, "plain").await;
    let osc_tenant = format!("{OSC_TITLE}:admin");
    let bidi_tenant = format!("{BIDI}:member");
    let all = HOSTILE.join(" | ");
    let long = long_value();
    for (group, description) in [
        ("acme:admin", all.as_str()),
        ("acme:member", long.as_str()),
        (osc_tenant.as_str(), CSI),
        (bidi_tenant.as_str(), C0),
    ] {
        hostile::create_group(&cognito, &pool, group, description).await;
    }
    for (i, name) in HOSTILE.iter().copied().chain([long.as_str()]).enumerate() {
        let hostile = HOSTILE[i % HOSTILE.len()];
        let group = if i % 2 == 0 {
            "acme:admin"
        } else {
            "acme:member"
        };
        hostile::create_user(
            &cognito,
            &pool,
            &format!("user{i}"),
            &format!("user{i}{hostile}@example.com"),
            name,
            group,
        )
        .await;
    }
    let evil = format!("evil-user {OSC_TITLE}{BIDI}");
    hostile::create_user(
        &cognito,
        &pool,
        &evil,
        &format!("evil{CSI}@example.com"),
        OSC_HYPERLINK,
        &osc_tenant,
    )
    .await;
    cognito
        .admin_add_user_to_group()
        .user_pool_id(&pool)
        .username(&evil)
        .group_name("acme:admin")
        .send()
        .await
        .unwrap();
}

/// A CSV file whose bad rows quote hostile text back in the import report.
fn hostile_csv(dir: &Path) -> String {
    let path = dir.join("hostile.csv");
    let mut text = String::from("email,role,name\n");
    text.push_str(&format!("\"{OSC_TITLE}@example.com\",admin,x\n"));
    text.push_str(&format!("\"ok{C1}@example.com\",\"{CSI}\",\"{BIDI}\"\n"));
    text.push_str(&format!(
        "\"{WIDE}{ZERO_WIDTH_AND_COMBINING}@example.com\",member,y\n"
    ));
    std::fs::write(&path, text).expect("write the CSV file");
    path.display().to_string()
}

/// Pools → tenants → a tenant's users → a user → user actions → the removal plan → CSV import
/// report → the force-delete question of a hostile tenant → the user search and its results
/// → a found user.
fn walk_tenants(account: &TestAccount, size: (u16, u16), csv: &str) {
    let mut walk = Walk::start(
        "tenants",
        dashboard(account),
        size,
        Expect::view(&["NAME", "from Organizations at"]).shows(&[]),
    );
    walk.view("user pools", "1", Expect::view(&["User pools", "plain"]));
    walk.view(
        "tenants of the hostile pool",
        &format!("/^{POOL}\r\r"),
        Expect::view(&["Tenants of", "acme", "admin="]),
    );
    walk.view(
        "help over the tenants",
        "?",
        Expect::view(&["Keys", "help: j/k scroll"]).shows(&[]),
    );
    walk.view("tenants", "⎋", Expect::view(&["Tenants of"]));
    walk.view(
        "users of acme",
        "/^acme\r\r",
        Expect::view(&["Users of tenant acme", "user1"]),
    );
    walk.view(
        "users of acme, the last page",
        "G",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view(
        "a user's row whole (the detail view)",
        "/'evil-user\ri",
        Expect::view(&["│▌USERNAME", "ENABLED"]),
    );
    walk.view(
        "the users again, filtered",
        "⎋",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view(
        "a user with a hostile username",
        "\r",
        Expect::view(&["User evil-user", "preferred MFA"]),
    );
    walk.view(
        "the user's actions",
        "c",
        Expect::view(&["change role", "resend"]),
    );
    walk.view("the user again", "⎋", Expect::view(&["User evil-user"]));
    walk.view(
        "the plan to remove the user",
        "d",
        Expect::view(&["confirm a change", "(Esc cancels)", ANSWER]),
    );
    walk.view("the user again", "⎋", Expect::view(&["User evil-user"]));
    walk.view(
        "users of acme",
        "⎋",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view(
        "a user with a 10,000-character name",
        "⎋/'user9\r\r",
        Expect::view(&["User user9", "preferred MFA"]),
    );
    walk.view(
        "users of acme",
        "⎋⎋",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view(
        "the CSV import form",
        "w",
        Expect::view(&["Import users"]).shows(&[]),
    );
    walk.view(
        "the CSV import report",
        &format!("{csv}\r"),
        Expect::view(&["line 2: `␛]0;pwned", "line 4"]),
    );
    walk.view(
        "users of acme",
        "⎋",
        Expect::view(&["Users of tenant acme"]),
    );
    walk.view("tenants", "⎋⎋", Expect::view(&["Tenants of"]));
    walk.view(
        "the force-delete question of a hostile tenant",
        // The tenant named with an OSC title sorts first (ESC sorts before letters).
        "gd",
        Expect::view(&[
            "Delete tenant ␛]0;pw",
            "delete its groups anyway?",
            "f force",
        ]),
    );
    walk.view("tenants", "⎋", Expect::view(&["Tenants of"]));
    walk.view(
        "the user search form",
        "w",
        Expect::view(&["Search the pool"]).shows(&[]),
    );
    walk.view(
        "users found by email prefix",
        "user\r",
        Expect::view(&["Users whose email starts with user", "user9"]),
    );
    walk.view(
        "a found user",
        "/'user3\r\r",
        Expect::view(&["User user3", "preferred MFA"]),
    );
    walk.quit();
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn tenants_views_show_hostile_pools_tenants_users_and_reports_harmlessly() {
    let account = block_on(support::isolated_account());
    block_on(seed_tenants(&account));
    let csv = hostile_csv(&support::scratch_dir());
    walk_tenants(&account, WIDE_SIZE, &csv);
    walk_tenants(&account, NARROW_SIZE, &csv);
}
