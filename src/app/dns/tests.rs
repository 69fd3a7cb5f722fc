//! Tests of the DNS pane: the organisation's load, the views and their navigation, the records
//! filter, and the exports.

use crossterm::event::KeyCode;

use super::fixtures::{all_records_of, event, org_loaded, org_view, rec, zone};
use super::*;
use crate::app::loadable::RequestId;
use crate::app::testkit::{chars, press};
use crate::app::tests::at;
use crate::app::{Msg, update};
use crate::domain::dns::{AccountStatus, InventoryEvent};
use crate::rows::dns::RecordRow;
use crate::services::ServiceError;

#[test]
fn escape_from_the_zones_goes_up_to_the_organisation_and_loads_it_once() {
    let (mut state, _) = org_view();
    assert!(state.dns.is_busy());
    // Back down and up again: the load in flight is kept.
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.dns.view, View::Zones);
    assert!(press(&mut state, KeyCode::Esc).is_empty());
    assert_eq!(state.dns.view, View::Accounts);
}

#[test]
fn accounts_show_their_status_and_a_failed_one_stays_a_row() {
    let (state, _) = org_loaded(false);
    let inv = &state.dns.org.as_ref().unwrap().inventory;
    assert_eq!(
        state.dns.accounts.rows.len(),
        6,
        "all records, delegations, audit, 3 accounts"
    );
    assert_eq!(inv.accounts[1].status.word(), "loading");
    assert_eq!(inv.accounts[2].status.word(), "denied");
    assert!(state.dns.is_busy());
}

#[test]
fn events_of_a_superseded_load_are_dropped() {
    let (mut state, old) = org_loaded(false);
    let effects = press(&mut state, KeyCode::Char('r'));
    let [Effect::Dns(DnsEffect::LoadInventory { request })] = effects.as_slice() else {
        panic!("expected a new load, got {effects:?}")
    };
    assert_ne!(*request, old);
    event(
        &mut state,
        old,
        InventoryEvent::Finished {
            account: 1,
            status: AccountStatus::Ok,
        },
    );
    let org = state.dns.org.as_ref().unwrap();
    assert!(org.accounts.is_loading());
    assert!(org.inventory.accounts.is_empty());
}

#[test]
fn all_records_stream_in_account_and_zone_order() {
    let (mut state, request) = org_loaded(false);
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.dns.view, View::Records { zone: None });
    assert_eq!(state.dns.records.rows.len(), 6);
    // A later page of the management zone goes before dev's rows.
    event(
        &mut state,
        request,
        InventoryEvent::Records {
            account: 0,
            zone: 0,
            records: vec![rec("zz.example.com", "TXT", 60, &["\"x\""])],
        },
    );
    let names: Vec<String> = state
        .dns
        .records
        .rows
        .iter()
        .map(|r| {
            state
                .dns
                .org
                .as_ref()
                .unwrap()
                .inventory
                .record(*r)
                .unwrap()
                .2
                .name()
                .to_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "example.com",
            "dev.example.com",
            "www.example.com",
            "zz.example.com",
            "dev.example.com",
            "api.dev.example.com",
            "dev.example.com"
        ]
    );
}

#[test]
fn the_records_filter_takes_type_and_sort_words_and_fuzzy_text() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, "type:ns sort:name");
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.dns.records.table.visible_len(), 3);
    assert_eq!(state.dns.record_filter().sort, SortBy::Name);
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, " 'api");
    press(&mut state, KeyCode::Enter);
    assert_eq!(
        state.dns.records.table.visible_len(),
        0,
        "no NS record is named api"
    );
    assert_eq!(
        RecordFilter::parse("type:mx  sort:ttl mail"),
        RecordFilter {
            kind: Some("MX".into()),
            sort: SortBy::Ttl,
            text: "mail".into()
        }
    );
}

#[test]
fn changing_the_sort_while_typing_searches_the_new_rows_not_the_old_matches() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, "www");
    assert_eq!(state.dns.records.table.visible_len(), 1);
    // Same record count, other order: the match must follow the record, not its old row.
    chars(&mut state, " sort:name");
    let inv = &state.dns.org.as_ref().unwrap().inventory;
    let shown: Vec<&str> = state
        .dns
        .records
        .table
        .visible()
        .iter()
        .map(|&i| inv.record(state.dns.records.rows[i]).unwrap().2.name())
        .collect();
    assert_eq!(shown, ["www.example.com"]);
}

#[test]
fn enter_on_a_record_shows_who_serves_it_and_escape_comes_back() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, "'api.dev");
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Enter);
    assert_eq!(
        state.dns.view,
        View::Find {
            name: "api.dev.example.com".into()
        }
    );
    let lookup = state.dns.lookup.as_ref().unwrap();
    assert_eq!(lookup.zones[0].zone, "dev.example.com");
    assert_eq!(lookup.chain.len(), 1);
    assert_eq!(lookup.answers.len(), 1);
    assert_eq!(state.dns.found.rows.len(), 3);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.dns.view, View::Records { zone: None });
}

#[test]
fn the_delegation_row_opens_the_check_problems_first() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.dns.view, View::Delegations);
    let statuses: Vec<&str> = state
        .dns
        .delegations
        .rows
        .iter()
        .map(|d| d.status.word())
        .collect();
    assert_eq!(statuses, ["ok"]);
}

#[test]
fn an_account_opens_its_zones_then_a_zone_its_records() {
    let (mut state, _) = org_loaded(true);
    // all records, delegations, audit, management, dev
    for _ in 0..4 {
        press(&mut state, KeyCode::Char('j'));
    }
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.dns.view, View::OrgZones { account: Some(1) });
    assert_eq!(state.dns.org_zones.rows.len(), 2);
    press(&mut state, KeyCode::Enter);
    assert_eq!(
        state.dns.view,
        View::Records {
            zone: Some(ZoneRef {
                account: 1,
                zone: 0
            })
        }
    );
    assert_eq!(state.dns.records.rows.len(), 3);
    assert!(press(&mut state, KeyCode::Char('e')).is_empty());
    let effects = press(&mut state, KeyCode::Char('c'));
    assert!(!state.dns.export_prompt);
    let [
        Effect::Export {
            name,
            headers,
            rows,
        },
    ] = effects.as_slice()
    else {
        panic!("expected an export, got {effects:?}")
    };
    assert_eq!(name, "dns-records");
    // The columns of `dns records -o csv`.
    assert_eq!(
        headers.as_slice(),
        <crate::rows::dns::RecordRow as crate::rows::Cells>::headers()
    );
    assert_eq!(headers[2], "NAME");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][2], "api.dev.example.com");
    let effects = press(&mut state, KeyCode::Char('y'));
    assert_eq!(
        effects,
        [Effect::Copy {
            text: "dev.example.com".into()
        }]
    );
}

/// The JSON of an `ExportJson` effect, parsed back.
fn exported_json(effects: &[Effect], expected_name: &str) -> serde_json::Value {
    let [Effect::ExportJson { name, json }] = effects else {
        panic!("expected a JSON export, got {effects:?}")
    };
    assert_eq!(name, expected_name);
    serde_json::from_str(json).expect("the export is JSON")
}

#[test]
fn export_asks_csv_or_json_and_holds_the_keys_until_answered() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    let selected = state.dns.records.table.selected_index();
    assert!(press(&mut state, KeyCode::Char('e')).is_empty());
    assert!(state.dns.export_prompt);
    // Keys that would move, switch panes or quit are the prompt's while it is open.
    assert!(press(&mut state, KeyCode::Down).is_empty());
    assert!(press(&mut state, KeyCode::Char('2')).is_empty());
    assert!(press(&mut state, KeyCode::Char('q')).is_empty());
    assert!(state.running);
    assert_eq!(state.dns.records.table.selected_index(), selected);
    assert!(state.dns.export_prompt);
    // Esc cancels without exporting and without leaving the view.
    assert!(press(&mut state, KeyCode::Esc).is_empty());
    assert!(!state.dns.export_prompt);
    assert_eq!(state.dns.view, View::Records { zone: None });
    press(&mut state, KeyCode::Char('e'));
    let effects = press(&mut state, KeyCode::Char('j'));
    assert!(!state.dns.export_prompt);
    assert_eq!(
        exported_json(&effects, "dns-records")
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

#[test]
fn the_records_json_export_parses_back_to_the_dns_records_shape() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('/'));
    chars(&mut state, "type:mx");
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('e'));
    let json = exported_json(&press(&mut state, KeyCode::Char('j')), "dns-records");
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 1, "only the rows the filter shows");
    let mut keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = [
        "account_id",
        "account_name",
        "zone_id",
        "zone",
        "private",
        "name",
        "type",
        "ttl",
        "values",
        "alias",
        "set_identifier",
        "routing",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    // The very object `dns records -o json` prints for this record.
    let inv = &state.dns.org.as_ref().unwrap().inventory;
    let (a, z, r) = inv
        .records()
        .find(|(_, _, _, r)| r.kind() == "MX")
        .map(|(_, a, z, r)| (a, z, r))
        .unwrap();
    assert_eq!(
        rows[0],
        serde_json::to_value(RecordRow::new(a, z, r)).unwrap()
    );
    assert_eq!(rows[0]["ttl"], 3600);
    assert_eq!(rows[0]["values"], serde_json::json!(["10 mx.example.com."]));
    assert_eq!(rows[0]["routing"]["policy"], "simple");
}

#[test]
fn the_json_file_keeps_the_command_key_order_and_escapes_terminal_controls() {
    let (mut state, request) = org_loaded(true);
    event(
        &mut state,
        request,
        InventoryEvent::Records {
            account: 0,
            zone: 0,
            records: vec![rec("evil.example.com", "TXT", 60, &["\u{1b}]52;c;x\u{7}"])],
        },
    );
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('e'));
    let effects = press(&mut state, KeyCode::Char('j'));
    let [Effect::ExportJson { json, .. }] = effects.as_slice() else {
        panic!("expected a JSON export, got {effects:?}")
    };
    assert!(!json.contains('\u{1b}') && !json.contains('\u{7}'));
    let first = json.find("\"account_id\"").unwrap();
    let routing = json.find("\"routing\"").unwrap();
    assert!(first < json.find("\"name\"").unwrap() && json.find("\"name\"").unwrap() < routing);
    let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(parsed[3]["values"][0], "\u{1b}]52;c;x\u{7}");
}

#[test]
fn zones_delegations_and_find_export_json_as_their_commands_print() {
    let (mut state, _) = org_loaded(true);
    // Delegations: the `dns delegations` objects.
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('e'));
    let json = exported_json(&press(&mut state, KeyCode::Char('j')), "dns-delegations");
    assert_eq!(
        json,
        serde_json::to_value(&state.dns.delegations.rows).unwrap()
    );
    assert_eq!(json[0]["child_zone"], "dev.example.com");
    // An account's zones: the `dns zones` objects.
    let (mut state, _) = org_loaded(true);
    // all records, delegations, audit, management, dev
    for _ in 0..4 {
        press(&mut state, KeyCode::Char('j'));
    }
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.dns.view, View::OrgZones { account: Some(1) });
    press(&mut state, KeyCode::Char('e'));
    let json = exported_json(&press(&mut state, KeyCode::Char('j')), "dns-zones");
    assert_eq!(
        json[1],
        serde_json::json!({
            "account_id": "222222222222",
            "account_name": "dev",
            "zone_id": "ZINTERNALDEVEXAMPLECOM",
            "zone": "internal.dev.example.com",
            "private": true,
            "record_count": 2,
            "comment": "internal.dev.example.com zone",
            "vpcs": ["us-east-1/vpc-0abc"],
        })
    );
    // Who serves a name: the `dns find` document.
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Char('j'));
    press(&mut state, KeyCode::Enter);
    assert!(matches!(state.dns.view, View::Find { .. }));
    press(&mut state, KeyCode::Char('e'));
    let json = exported_json(&press(&mut state, KeyCode::Char('j')), "dns-find");
    assert_eq!(json["name"], "api.dev.example.com");
    assert_eq!(json["zones"][0]["zone"], "dev.example.com");
    assert_eq!(json["chain"].as_array().unwrap().len(), 1);
    assert_eq!(json["answers"][0]["match"], "exact");
    assert_eq!(json["answers"][0]["name"], "api.dev.example.com");
    assert_eq!(
        json["answers"][0]["values"],
        serde_json::json!(["192.0.2.10"])
    );
}

#[test]
fn the_current_accounts_zones_export_json_as_dns_zones_prints_them() {
    let (mut state, _) = org_loaded(true);
    press(&mut state, KeyCode::Esc);
    assert_eq!(state.dns.view, View::Zones);
    let request = RequestId(9_000);
    state.dns.zones.begin(request, "222222222222");
    let detail = zone("internal.dev.example.com", true);
    assert!(
        state
            .dns
            .zones
            .loaded(request, Ok(vec![detail.zone.clone()]), at())
    );
    let effect = state.dns.export(ExportFormat::Json).unwrap().unwrap();
    let [row] = exported_json(std::slice::from_ref(&effect), "hosted-zones")
        .as_array()
        .cloned()
        .unwrap()
        .try_into()
        .unwrap();
    // The account name and VPCs come from the organisation's inventory.
    assert_eq!(row["account_name"], "dev");
    assert_eq!(row["vpcs"], serde_json::json!(["us-east-1/vpc-0abc"]));
    assert_eq!(row["record_count"], 2);
}

#[test]
fn a_failed_account_list_fails_the_view_with_its_error() {
    let (mut state, request) = org_view();
    update(
        &mut state,
        Msg::Dns(DnsMsg::OrgAccounts {
            request,
            result: Err(ServiceError::new(
                crate::services::ErrorKind::Denied,
                Some("AccessDeniedException".into()),
                "Organizations ListAccounts failed",
            )),
            at: at(),
        }),
    );
    let org = state.dns.org.as_ref().unwrap();
    assert!(matches!(org.accounts, crate::app::Loadable::Failed { .. }));
    assert!(org.inventory.accounts.is_empty());
}

mod record_changes {
    use super::*;
    use crate::app::State;
    use crate::app::dns::changes;
    use crate::app::testkit::keys;
    use crate::domain::plan::{Change, Danger};

    /// The records of dev.example.com (account dev), from the organisation view.
    fn dev_records() -> State {
        let (mut state, _) = org_loaded(true);
        // all records, delegations, audit, management, dev
        keys(&mut state, "jjjj<Enter><Enter>");
        assert!(matches!(state.dns.view, View::Records { zone: Some(_) }));
        state
    }

    fn planned(state: &State) -> &crate::domain::plan::Plan<Change> {
        &state.confirm.as_ref().expect("a plan to confirm").plan
    }

    #[test]
    fn n_opens_the_record_form_checked_per_type_then_the_plan_in_the_zones_account() {
        let mut state = dev_records();
        keys(&mut state, "n");
        let form = state.dns.form.as_ref().expect("the record form");
        assert_eq!(form.value(changes::NAME), ".dev.example.com");
        chars(&mut state, "web");
        keys(&mut state, "<Tab><Tab><Tab>");
        chars(&mut state, "192.0.2.300");
        keys(&mut state, "<Enter>");
        let error = state.dns.form.as_ref().unwrap().error.clone().unwrap();
        assert!(error.contains("not an IPv4 address"), "{error}");
        assert!(state.confirm.is_none());
        keys(
            &mut state,
            "<Backspace><Backspace><Backspace>7 | 192.0.2.8<Enter>",
        );
        assert!(state.dns.form.is_none());
        let plan = planned(&state);
        assert_eq!(plan.account_id, "222222222222");
        assert_eq!(
            plan.title,
            "Create web.dev.example.com A in zone dev.example.com"
        );
        assert_eq!(
            plan.steps[0].summary,
            "UPSERT web.dev.example.com A ttl 300: 192.0.2.7 | 192.0.2.8 (new)"
        );
    }

    #[test]
    fn c_changes_the_selected_record_and_d_deletes_it_with_its_name_typed() {
        let mut state = dev_records();
        // NS, then api.dev.example.com A
        keys(&mut state, "j");
        let selected = state
            .dns
            .records
            .selected()
            .and_then(|at| state.dns.org.as_ref()?.inventory.record(*at))
            .map(|(_, _, r)| r.name().to_owned());
        assert_eq!(selected.as_deref(), Some("api.dev.example.com"));
        keys(&mut state, "c");
        assert_eq!(
            state.dns.form.as_ref().unwrap().value(changes::VALUES),
            "192.0.2.10"
        );
        keys(&mut state, "<Backspace>1<Enter>");
        assert_eq!(state.dns.form.as_ref().map(|f| f.error.clone()), None);
        let plan = planned(&state);
        assert_eq!(
            plan.title,
            "Change api.dev.example.com A in zone dev.example.com"
        );
        assert!(
            plan.steps[0]
                .summary
                .contains("(before: ttl 60: 192.0.2.10)")
        );
        keys(&mut state, "<Esc>");
        assert!(state.confirm.is_none());

        keys(&mut state, "d");
        let plan = planned(&state);
        assert_eq!(
            plan.danger,
            Danger::Destructive {
                confirm_text: "api.dev.example.com".into()
            }
        );
        assert!(matches!(plan.steps[0].action, Change::Dns(_)));
    }

    #[test]
    fn a_read_only_zone_account_refuses_before_the_form_opens() {
        let mut state = dev_records();
        state.session.read_only_accounts.push("222222222222".into());
        keys(&mut state, "n");
        assert!(state.dns.form.is_none());
        let notice = state.notice.clone().expect("a notice");
        assert!(
            notice
                .text
                .contains("222222222222 is configured as read-only"),
            "{}",
            notice.text
        );
        assert!(notice.is_error);
        keys(&mut state, "d");
        assert!(state.confirm.is_none(), "refused before the question");
    }

    #[test]
    fn f_fixes_the_selected_delegation_and_the_audit_sits_beside_the_delegations() {
        let (mut state, request) = org_loaded(true);
        for (account, zone) in [(0, 0), (1, 0), (1, 1)] {
            event(
                &mut state,
                request,
                InventoryEvent::ZoneDone { account, zone },
            );
        }
        keys(&mut state, "j<Enter>");
        assert_eq!(state.dns.view, View::Delegations);
        let rows: Vec<_> = state
            .dns
            .delegations
            .rows
            .iter()
            .map(|d| (d.child_zone.clone(), d.status.word()))
            .collect();
        assert_eq!(rows[0].1, "ok", "{rows:?}");
        keys(&mut state, "f");
        assert!(state.confirm.is_none());
        assert!(
            state
                .notice
                .as_ref()
                .unwrap()
                .text
                .contains("nothing to do")
        );
        keys(&mut state, "<Esc>j<Enter>");
        assert_eq!(state.dns.view, View::Audit);
        let kinds: Vec<&str> = state.dns.findings.rows.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&"dangling_mx"), "{kinds:?}");
    }
}

#[test]
fn who_serves_follows_a_cname_and_says_where_it_leaves_the_organisation() {
    let (mut state, request) = org_loaded(true);
    event(
        &mut state,
        request,
        InventoryEvent::Records {
            account: 0,
            zone: 0,
            records: vec![
                rec("shop.example.com", "CNAME", 300, &["api.dev.example.com"]),
                rec("ext.example.com", "CNAME", 300, &["shops.myshopify.com"]),
            ],
        },
    );
    crate::app::testkit::keys(&mut state, ":find shop.example.com<Enter>");
    let hops: Vec<(String, &str)> = state
        .dns
        .found
        .rows
        .iter()
        .filter_map(|r| match r {
            FindRow::Cname(h) => Some((h.target.clone(), h.next)),
            _ => None,
        })
        .collect();
    assert_eq!(hops, [("api.dev.example.com".to_owned(), "answered")]);
    crate::app::testkit::keys(&mut state, ":find ext.example.com<Enter>");
    let last = state.dns.found.rows.last().unwrap();
    let inv = &state.dns.org.as_ref().unwrap().inventory;
    assert_eq!(
        find_cells(inv, last),
        [
            "cname: leaves org",
            "management (111111111111)",
            "example.com",
            "ext.example.com → shops.myshopify.com"
        ]
    );
}

#[test]
fn f_on_a_dangling_delegation_plans_its_deletion_unless_the_parent_account_is_read_only() {
    let (mut state, request) = org_loaded(true);
    event(
        &mut state,
        request,
        InventoryEvent::Records {
            account: 0,
            zone: 0,
            records: vec![rec("old.example.com", "NS", 3600, &["ns-1.awsdns-01.org."])],
        },
    );
    crate::app::testkit::keys(&mut state, "j<Enter>");
    assert_eq!(state.dns.delegations.rows[0].status.word(), "dangling");
    crate::app::testkit::keys(&mut state, "f");
    let plan = &state.confirm.as_ref().expect("the plan").plan;
    assert_eq!(plan.account_id, "111111111111");
    assert!(
        plan.title
            .starts_with("Delete the dangling delegation of old.example.com")
    );
    crate::app::testkit::keys(&mut state, "<Esc>");
    state.session.read_only_accounts.push("111111111111".into());
    crate::app::testkit::keys(&mut state, "f");
    assert!(state.confirm.is_none(), "refused before the question");
    let notice = state.notice.clone().unwrap();
    assert!(
        notice.is_error && notice.text.contains("read-only"),
        "{}",
        notice.text
    );
}

/// A zone's records are kept packed, one page as Route53 answered it, never copied into a
/// vector doubled past the zone's count; the records view reads them in place.
#[test]
fn a_zones_records_are_kept_in_the_pages_they_came_in() {
    let (mut state, request) = org_view();
    update(
        &mut state,
        Msg::Dns(DnsMsg::OrgAccounts {
            request,
            result: Ok(vec![crate::app::tests::account("111111111111", "one")]),
            at: at(),
        }),
    );
    event(&mut state, request, InventoryEvent::Started { account: 0 });
    let mut detail = zone("example.com", false);
    detail.zone.record_count = 700;
    event(
        &mut state,
        request,
        InventoryEvent::Zones {
            account: 0,
            zones: vec![detail],
        },
    );
    let page = |from: usize, n: usize| InventoryEvent::Records {
        account: 0,
        zone: 0,
        records: (from..from + n)
            .map(|i| rec(&format!("h{i}.example.com"), "A", 60, &["192.0.2.1"]))
            .collect(),
    };
    let records = |state: &crate::app::State| -> (usize, usize) {
        let z = &state.dns.org.as_ref().unwrap().inventory.accounts[0].zones[0].records;
        (z.len(), z.page_count())
    };
    event(&mut state, request, page(0, 300));
    assert_eq!(records(&state), (300, 1));
    event(&mut state, request, page(300, 300));
    event(&mut state, request, page(600, 90));
    assert_eq!(records(&state), (690, 3));
    event(
        &mut state,
        request,
        InventoryEvent::ZoneDone {
            account: 0,
            zone: 0,
        },
    );
    assert_eq!(records(&state), (690, 3));
    let inv = &state.dns.org.as_ref().unwrap().inventory;
    let names: Vec<&str> = [0, 299, 300, 689]
        .map(|i| inv.accounts[0].zones[0].records.get(i).unwrap().name())
        .to_vec();
    assert_eq!(
        names,
        [
            "h0.example.com",
            "h299.example.com",
            "h300.example.com",
            "h689.example.com"
        ]
    );
}

/// The all-records view's filter over thousands of records runs off the UI thread; records
/// streaming in meanwhile keep the rows on screen pointing at the same records.
#[test]
fn streaming_records_keep_the_filtered_rows_while_the_search_runs() {
    let (mut state, request) = all_records_of(vec![zone("a.com", false), zone("b.com", false)]);
    let page = |zone: usize, n: usize| InventoryEvent::Records {
        account: 0,
        zone,
        records: (0..n)
            .map(|i| rec(&format!("h{i}.z{zone}.com"), "A", 60, &["192.0.2.1"]))
            .collect(),
    };
    event(&mut state, request, page(1, 6_000));
    press(&mut state, KeyCode::Char('/'));
    let effects = chars(&mut state, "'h59");
    let Some(Effect::TableJob(search)) = effects.last() else {
        panic!("6,000 records searched on the UI thread: {effects:?}");
    };
    let answer = search.run().unwrap();
    let generation = search.generation();
    update(&mut state, Msg::TableJobDone { generation, answer });
    let names = |state: &crate::app::State| -> Vec<String> {
        let inv = &state.dns.org.as_ref().unwrap().inventory;
        let shown = grid::visible(&state.dns.records);
        shown
            .map(|at| inv.record(*at).unwrap().2.name().to_owned())
            .collect()
    };
    let before = names(&state);
    assert_eq!(before.len(), 111, "h59, h590-h599, h5900-h5999");
    // A page of the earlier zone lands before every shown row.
    event(&mut state, request, page(0, 10));
    assert!(state.dns.records.table.is_searching());
    assert_eq!(names(&state), before);
}
