//! Snapshot tests of the DNS pane's organisation views.

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::dns::DnsMsg;
use crate::app::dns::fixtures::{org_loaded, org_view};
use crate::app::testkit::{chars, press};
use crate::app::tests::at;
use crate::app::{Msg, State, update};
use crate::services::{ErrorKind, ServiceError};
use crate::ui::{Theme, render as render_all};

fn draw(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| render_all(state, &Theme::new(false), f))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn dns_org_listing_accounts() {
    let (state, _) = org_view();
    insta::assert_snapshot!(draw(&state, 100, 10));
}

#[test]
fn dns_org_accounts_loading_ok_and_denied() {
    let (state, _) = org_loaded(false);
    insta::assert_snapshot!(draw(&state, 110, 12));
}

#[test]
fn the_title_says_the_account_listing_goes_on_or_stopped() {
    use crate::app::dns::fixtures::event;
    use crate::app::tests::account;
    use crate::domain::dns::InventoryEvent;
    let (mut state, request) = org_view();
    event(
        &mut state,
        request,
        InventoryEvent::Accounts {
            accounts: vec![account("111111111111", "management")],
        },
    );
    let screen = draw(&state, 120, 10);
    assert!(screen.contains("0/1 accounts, listing more…"), "{screen}");
    assert!(screen.contains("management (111111111111)"), "{screen}");
    event(
        &mut state,
        request,
        InventoryEvent::Listed {
            error: Some("ListAccounts failed: Rate exceeded".into()),
        },
    );
    let screen = draw(&state, 120, 10);
    assert!(!screen.contains("listing more"), "{screen}");
    assert!(
        screen.contains("account listing stopped: ListAccounts failed: Rate exceeded"),
        "{screen}"
    );
}

#[test]
fn dns_org_account_list_failed() {
    let (mut state, request) = org_view();
    update(
        &mut state,
        Msg::Dns(DnsMsg::OrgAccounts {
            request,
            result: Err(ServiceError::new(
                ErrorKind::Denied,
                Some("AccessDeniedException".into()),
                "Organizations ListAccounts failed: not the management account",
            )),
            at: at(),
        }),
    );
    insta::assert_snapshot!(draw(&state, 100, 10));
}

#[test]
fn dns_all_records_filtered_by_type() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, "type:ns");
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(draw(&state, 120, 10));
}

#[test]
fn dns_all_records_empty_filter() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, "type:caa");
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(draw(&state, 100, 9));
}

#[test]
fn dns_delegations_read_only() {
    let (mut state, _) = org_loaded(true);
    state.session.read_only = true;
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(draw(&state, 110, 9));
}

#[test]
fn dns_who_serves_a_name() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    for _ in 0..4 {
        press(&mut state, KeyCode::Char('j'));
    }
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(draw(&state, 110, 11));
}

#[test]
fn dns_export_asks_csv_or_json() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('e'));
    insta::assert_snapshot!(draw(&state, 100, 12));
}

#[test]
fn dns_all_records_narrow() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(draw(&state, 60, 12));
}

#[test]
fn dns_tiny_terminal_does_not_panic() {
    let (mut state, _) = org_loaded(false);
    for (w, h) in [(1, 1), (10, 3), (30, 6)] {
        draw(&state, w, h);
    }
    press(&mut state, KeyCode::Enter);
    draw(&state, 20, 5);
}

#[test]
fn dns_record_form_with_a_refused_value() {
    let (mut state, _) = org_loaded(true);
    crate::app::testkit::keys(&mut state, "jjjj<Enter><Enter>n");
    chars(&mut state, "web");
    crate::app::testkit::keys(&mut state, "<Tab><Tab><Tab>");
    chars(&mut state, "192.0.2.300");
    press(&mut state, KeyCode::Enter);
    insta::assert_snapshot!(draw(&state, 100, 20));
}

#[test]
fn dns_audit_view() {
    let (mut state, request) = org_loaded(true);
    for (account, zone) in [(0, 0), (1, 0), (1, 1)] {
        crate::app::dns::fixtures::event(
            &mut state,
            request,
            crate::domain::dns::InventoryEvent::ZoneDone { account, zone },
        );
    }
    crate::app::testkit::keys(&mut state, "jj<Enter>");
    insta::assert_snapshot!(draw(&state, 120, 8));
}

/// The delegation check at 80 and 60 columns: the status and the zones stay; a cut zone name
/// ends in `…`, never reads as another name.
#[test]
fn dns_delegations_at_80x24_and_60x15() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Enter);
    let mut screens = Vec::new();
    for (width, height) in [(80, 24), (60, 15)] {
        let screen = draw(&state, width, height);
        let header = screen.lines().find(|l| l.contains("PARENT")).unwrap();
        assert!(
            header.contains("STATUS") && header.contains("CHILD"),
            "{screen}"
        );
        screens.push(screen);
    }
    insta::assert_snapshot!(screens.join("\n"));
}

/// `o` sorts the records by a column, shown in the title and the heading.
#[test]
fn dns_records_sorted_by_ttl() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    // ACCOUNT, ZONE, NAME, TYPE, TTL.
    chars(&mut state, "ooooo");
    let screen = draw(&state, 100, 14);
    let title = screen.lines().nth(3).unwrap();
    assert!(title.contains("↑TTL"), "{screen}");
    let header = screen.lines().nth(4).unwrap();
    assert!(header.contains("↑TTL"), "{screen}");
    insta::assert_snapshot!(screen);
}
