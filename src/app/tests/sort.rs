//! The sort (`o`, `O`, the DNS records' `sort:` word) of a large table runs off the UI thread:
//! the key press hands the order to the runtime and returns, the rows keep their order until the
//! answer replaces it (`sorting…` in the title), the selection stays on its row, and a newer sort
//! or a change of the rows supersedes an older one, whose late answer is dropped.

use std::sync::Arc;

use crossterm::event::KeyCode;

use super::search::accounts_state;
use super::{account, at};
use crate::app::table::{JobAnswer, ON_UI_ROWS, SortKey, TableJob, TableView};
use crate::app::testkit::{chars, keys, press};
use crate::app::{Effect, Msg, State, update};
use crate::domain::account::{AccountList, AccountSource};

fn view(texts: &[&str]) -> TableView {
    let mut v = TableView::default();
    v.refilter(texts.iter().copied());
    v
}

fn view_of(texts: &[String]) -> TableView {
    let mut v = TableView::default();
    v.refilter(texts.iter());
    v
}

/// Order `v` by `keys` (one column) as the shell and the runtime do: a large table's sort
/// is handed out, run, and its answer given back.
fn sort_now(v: &mut TableView, keys: &[SortKey]) {
    v.order_with(vec![Arc::new(keys.to_vec())], 20);
    if let Some(job) = v.sorting().cloned() {
        assert!(v.job_done(job.generation(), job.run().unwrap(), 20));
    }
    assert!(!v.is_sorting());
}

/// 100,000 rows sorted through the order vector: in order, ties in the rows' own order (both
/// directions), the selection on the same row, and a filter keeps the sort without sorting
/// again.
#[test]
fn a_large_table_sorts_by_order_and_the_filter_keeps_the_order() {
    let n = 100_000;
    let texts: Vec<String> = (0..n).map(|i| format!("row {i}")).collect();
    let keys: Vec<SortKey> = (0..n).map(|i| SortKey::Number((i % 10) as f64)).collect();
    let mut v = TableView::default();
    v.refilter(texts.iter().map(String::as_str));
    v.move_by(7, 20);
    v.next_sort(&["N"], 20);
    assert!(v.needs_order());
    sort_now(&mut v, &keys);
    assert!(!v.needs_order());
    assert_eq!(v.selected_index(), Some(7));
    assert_eq!(&v.visible()[..3], &[0, 10, 20], "ties keep their order");
    assert_eq!(v.visible()[n / 10], 1);
    v.reverse_sort(&["N"], 20);
    sort_now(&mut v, &keys);
    assert_eq!(&v.visible()[..3], &[9, 19, 29]);
    assert_eq!(v.selected_index(), Some(7));
    // A new search (not a narrowing one) lists the matches in the sort's order.
    v.set_filter("row 1");
    v.refilter(texts.iter().map(String::as_str));
    let search = v.search().unwrap().clone();
    assert!(v.job_done(search.generation(), search.run().unwrap(), 20));
    assert!(!v.needs_order());
    let shown = v.visible();
    assert!(
        shown.windows(2).all(|w| w[0] % 10 >= w[1] % 10),
        "{shown:?}"
    );
    assert_eq!(shown[0] % 10, 9);
    // Past the last column: the rows' own order.
    v.set_filter("");
    v.refilter(texts.iter().map(String::as_str));
    let selected = v.selected_index();
    v.next_sort(&["N"], 20);
    assert!(v.sort().is_none());
    assert!(!v.needs_order());
    assert_eq!(&v.visible()[..3], &[0, 1, 2]);
    assert_eq!(v.selected_index(), selected);
}

/// A sort of more than [`ON_UI_ROWS`] rows is handed out: the rows keep their order until its
/// answer; the answer puts them in order with the selection on its row. Up to the limit, the
/// sort is at once.
#[test]
fn a_large_sort_runs_off_the_ui_thread_and_a_small_one_at_once() {
    let texts: Vec<String> = (0..ON_UI_ROWS).map(|i| format!("row {i}")).collect();
    let keys: Vec<SortKey> = (0..ON_UI_ROWS)
        .map(|i| SortKey::number(Some(-(i as i64))))
        .collect();
    let mut v = view_of(&texts);
    v.next_sort(&["N"], 20);
    v.order_with(vec![Arc::new(keys)], 20);
    assert!(!v.is_sorting(), "5,000 rows sort at once");
    assert_eq!(v.visible()[0], ON_UI_ROWS - 1);

    let n = ON_UI_ROWS + 1;
    let texts: Vec<String> = (0..n).map(|i| format!("row {i}")).collect();
    let keys: Vec<SortKey> = (0..n).map(|i| SortKey::number(Some(-(i as i64)))).collect();
    let mut v = view_of(&texts);
    v.move_by(3, 20);
    v.next_sort(&["N"], 20);
    v.order_with(vec![Arc::new(keys)], 20);
    assert!(v.is_sorting());
    assert!(!v.needs_order(), "not sorted again while it runs");
    assert_eq!(
        &v.visible()[..2],
        &[0, 1],
        "the previous order stays meanwhile"
    );
    let job = v.sorting().unwrap().clone();
    assert!(job.is_order());
    assert!(v.jobs().any(|j| Arc::ptr_eq(j, &job)));
    assert!(v.job_done(job.generation(), job.run().unwrap(), 20));
    assert!(!v.is_sorting());
    assert_eq!(&v.visible()[..2], &[n - 1, n - 2]);
    assert_eq!(
        v.selected_index(),
        Some(3),
        "the selection stays on its row"
    );
    assert_eq!(v.selected_position(), n - 4);
}

/// A newer sort or a change of the rows supersedes a sort that runs: it is cancelled, and its
/// late answer is dropped.
#[test]
fn a_newer_sort_or_new_rows_supersede_a_running_sort() {
    let n = ON_UI_ROWS * 2;
    let texts: Vec<String> = (0..n).map(|i| format!("row {i}")).collect();
    let keys = |m: usize| -> Vec<SortKey> {
        (0..m)
            .map(|i| SortKey::number(Some((i % 7) as i64)))
            .collect()
    };
    let mut v = view_of(&texts);
    v.next_sort(&["A", "B"], 20);
    v.order_with(vec![Arc::new(keys(n))], 20);
    let first = v.sorting().unwrap().clone();
    // `O`: another sort.
    v.reverse_sort(&["A", "B"], 20);
    assert!(first.is_cancelled());
    assert_eq!(first.run(), None, "a superseded sort stops");
    assert!(v.needs_order());
    v.order_with(vec![Arc::new(keys(n))], 20);
    let second = v.sorting().unwrap().clone();
    let late = JobAnswer::Ordered((0..n as u32).collect());
    assert!(!v.job_done(first.generation(), late, 20), "dropped");
    assert!(v.is_sorting());
    // The rows change while the second runs: it is superseded too.
    v.rows_changed();
    assert!(second.is_cancelled());
    assert!(!v.is_sorting());
    assert!(v.needs_order());
    let answer = JobAnswer::Ordered((0..n as u32).rev().collect());
    assert!(!v.job_done(second.generation(), answer, 20));
    assert_eq!(&v.visible()[..2], &[0, 1]);
    // A filter typed while a sort runs leaves the sort running.
    v.order_with(vec![Arc::new(keys(n))], 20);
    let third = v.sorting().unwrap().clone();
    v.set_filter("row 1");
    v.refilter(texts.iter());
    assert!(!third.is_cancelled());
    let search = v.search().unwrap().clone();
    assert!(v.job_done(search.generation(), search.run().unwrap(), 20));
    assert!(v.job_done(third.generation(), third.run().unwrap(), 20));
    let shown = v.visible();
    assert!(shown.iter().all(|i| texts[*i].contains('1')));
    assert!(
        shown
            .windows(2)
            .all(|w| w[0] % 7 > w[1] % 7 || (w[0] % 7 == w[1] % 7 && w[0] < w[1])),
        "descending by key, ties in the rows' order"
    );
}

/// The pane's base sort (the DNS records' `sort:` word) orders the rows alone, and breaks
/// the ties of the `o` sort.
#[test]
fn a_base_sort_orders_alone_and_breaks_the_ties_of_the_sort() {
    let texts = ["a", "b", "c", "d"];
    let mut v = view(&texts);
    let name = [3, 1, 2, 0].map(|k| SortKey::number(Some(k)));
    let kind = [1, 0, 1, 0].map(|k| SortKey::number(Some(k)));
    v.set_base_sort(Some(1));
    assert!(v.needs_order());
    assert_eq!(v.order_columns(), [(1, false)]);
    v.order_with(vec![Arc::new(name.to_vec())], 20);
    assert_eq!(v.visible(), &[3, 1, 2, 0]);
    v.next_sort(&["KIND", "NAME"], 20);
    assert_eq!(v.order_columns(), [(0, false), (1, false)]);
    v.order_with(vec![Arc::new(kind.to_vec()), Arc::new(name.to_vec())], 20);
    assert_eq!(v.visible(), &[3, 1, 2, 0]);
    v.reverse_sort(&["KIND", "NAME"], 20);
    v.order_with(vec![Arc::new(kind.to_vec()), Arc::new(name.to_vec())], 20);
    assert_eq!(v.visible(), &[2, 0, 3, 1]);
    // Without the base sort: ties in the rows' own order.
    v.set_base_sort(None);
    v.order_with(vec![Arc::new(kind.to_vec())], 20);
    assert_eq!(v.visible(), &[0, 2, 1, 3]);
    // Without either: the rows' own order, at once.
    v.next_sort(&["KIND"], 20);
    assert!(!v.needs_order());
    assert_eq!(v.visible(), &[0, 1, 2, 3]);
}
/// The sort jobs among `effects`.
fn sorts(effects: &[Effect]) -> Vec<Arc<TableJob>> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::TableJob(j) if j.is_order() => Some(j.clone()),
            _ => None,
        })
        .collect()
}

/// Run a job as the runtime does and give its answer to the app.
fn answer(state: &mut State, job: &TableJob) -> Vec<Effect> {
    let answer = job.run().expect("not superseded");
    let generation = job.generation();
    update(state, Msg::TableJobDone { generation, answer })
}

fn account_names(state: &State) -> Vec<String> {
    let accounts = state.accounts.accounts();
    let table = &state.accounts.table;
    table
        .visible()
        .iter()
        .map(|&i| accounts[i].name.clone())
        .collect()
}

fn sorted(names: &[String], descending: bool) -> bool {
    names.windows(2).all(|w| {
        let (a, b) = (w[0].to_lowercase(), w[1].to_lowercase());
        if descending { a >= b } else { a <= b }
    })
}

#[test]
fn o_on_a_large_table_hands_the_sort_out_and_keeps_the_selection() {
    let mut state = accounts_state(30_000);
    for _ in 0..5 {
        press(&mut state, KeyCode::Char('j'));
    }
    let chosen = state.accounts.selected().unwrap().id.clone();
    let before = account_names(&state);
    let jobs = sorts(&keys(&mut state, "o"));
    assert_eq!(jobs.len(), 1, "the sort is handed to the runtime");
    assert!(state.accounts.table.is_sorting());
    assert_eq!(account_names(&state), before, "the rows stay meanwhile");
    assert!(
        sorts(&keys(&mut state, "j")).is_empty(),
        "handed out once, not again on the next key"
    );
    press(&mut state, KeyCode::Char('k'));
    answer(&mut state, &jobs[0]);
    assert!(!state.accounts.table.is_sorting());
    let names = account_names(&state);
    assert_eq!(names.len(), 30_000);
    assert!(sorted(&names, false));
    assert_eq!(names[0], "dev-000001");
    assert_eq!(
        state.accounts.selected().map(|a| a.id.clone()),
        Some(chosen),
        "the selection moved when the order was replaced"
    );
}

#[test]
fn a_late_answer_of_an_older_sort_is_dropped() {
    let mut state = accounts_state(30_000);
    let first = sorts(&keys(&mut state, "o"))
        .pop()
        .expect("o sorts off the UI thread");
    let second = sorts(&keys(&mut state, "O")).pop().expect("O too");
    assert!(second.generation() > first.generation());
    assert!(first.is_cancelled(), "the newer sort supersedes the older");
    // The older answer arrives late anyway: dropped, still waiting for the newer.
    update(
        &mut state,
        Msg::TableJobDone {
            generation: first.generation(),
            answer: JobAnswer::Ordered((0..30_000).rev().collect()),
        },
    );
    assert!(state.accounts.table.is_sorting());
    assert_eq!(account_names(&state)[0], "prod-000000");
    answer(&mut state, &second);
    assert!(!state.accounts.table.is_sorting());
    let names = account_names(&state);
    assert!(sorted(&names, true), "descending by name");
    assert_eq!(names[0], "staging-029999");
}

#[test]
fn rows_changing_while_sorting_supersede_the_sort_and_sort_the_new_rows() {
    let mut state = accounts_state(30_000);
    let old = sorts(&keys(&mut state, "o"))
        .pop()
        .expect("o sorts off the UI thread");
    // The accounts are read again, fewer of them, while the sort runs.
    let request = keys(&mut state, "r")
        .iter()
        .find_map(|e| match e {
            Effect::LoadAccounts { request } => Some(*request),
            _ => None,
        })
        .expect("r reloads the accounts");
    let accounts = (0..20_000)
        .map(|i| {
            account(
                &format!("{:012}", 200_000_000_000u64 + i),
                &format!("n-{i:06}"),
            )
        })
        .collect();
    let result = Ok(AccountList {
        accounts,
        source: AccountSource::Organizations,
    });
    let effects = update(
        &mut state,
        Msg::Accounts {
            request,
            result,
            at: at(),
        },
    );
    assert!(old.is_cancelled(), "the sort of the old rows is superseded");
    let new = sorts(&effects)
        .pop()
        .expect("the new rows are sorted again");
    // The old answer, run before it was cancelled, comes late: dropped.
    update(
        &mut state,
        Msg::TableJobDone {
            generation: old.generation(),
            answer: JobAnswer::Ordered((0..30_000).collect()),
        },
    );
    assert!(state.accounts.table.is_sorting());
    assert_eq!(state.accounts.table.visible_len(), 20_000);
    answer(&mut state, &new);
    let names = account_names(&state);
    assert_eq!(names.len(), 20_000);
    assert!(sorted(&names, false));
}

#[test]
fn small_tables_are_sorted_at_once() {
    let mut state = accounts_state(ON_UI_ROWS);
    let effects = keys(&mut state, "o");
    assert!(sorts(&effects).is_empty(), "{effects:?}");
    assert!(!state.accounts.table.is_sorting());
    assert!(sorted(&account_names(&state), false));
}

/// The records view's `sort:` word over thousands of records is the table's sort beneath `o`:
/// handed out too, and `o` sorts on top of it.
#[test]
fn the_records_sort_word_over_many_records_sorts_off_the_ui_thread() {
    use crate::app::dns::fixtures::{all_records_of, event, rec, zone};
    use crate::domain::dns::InventoryEvent;

    let (mut state, request) = all_records_of(vec![zone("a.com", false)]);
    let n = 6_000;
    let records = (0..n)
        .map(|i| {
            let kind = if i % 2 == 0 { "A" } else { "TXT" };
            rec(&format!("h{:04}.a.com", n - i), kind, 60, &["192.0.2.1"])
        })
        .collect();
    event(
        &mut state,
        request,
        InventoryEvent::Records {
            account: 0,
            zone: 0,
            records,
        },
    );
    let names = |state: &State| -> Vec<String> {
        let inv = &state.dns.org.as_ref().unwrap().inventory;
        let rows = &state.dns.records.rows;
        let table = &state.dns.records.table;
        table
            .visible()
            .iter()
            .map(|&i| inv.record(rows[i]).unwrap().2.name().to_owned())
            .collect()
    };
    assert_eq!(names(&state)[0], "h6000.a.com");
    keys(&mut state, "/");
    let job = sorts(&chars(&mut state, "sort:name"))
        .pop()
        .expect("6,000 records sorted off the UI thread");
    assert_eq!(names(&state)[0], "h6000.a.com", "the order stays meanwhile");
    answer(&mut state, &job);
    keys(&mut state, "<Enter>");
    let shown = names(&state);
    assert_eq!(shown.len(), n);
    assert_eq!(shown[..2], ["h0001.a.com", "h0002.a.com"]);
    // `o` sorts by the account first (all the same): the names still break the ties.
    let job = sorts(&keys(&mut state, "o")).pop().expect("o as well");
    answer(&mut state, &job);
    assert_eq!(names(&state)[0], "h0001.a.com");
    // `O`: the accounts the other way, the names still ascending beneath.
    let job = sorts(&keys(&mut state, "O")).pop().expect("O as well");
    answer(&mut state, &job);
    assert_eq!(names(&state)[0], "h0001.a.com");
}

/// The keys of the last order's columns are kept while the rows stay the same: `O`, or `o` over
/// a base sort, reads no row again; new rows drop them.
#[test]
fn the_last_orders_keys_are_reused_until_the_rows_change() {
    let n = ON_UI_ROWS + 1;
    let texts: Vec<String> = (0..n).map(|i| format!("row {i}")).collect();
    let keys = Arc::new((0..n).map(|i| SortKey::number(Some(i as i64))).collect());
    let mut v = view_of(&texts);
    v.next_sort(&["N"], 20);
    assert!(v.known_keys(0).is_none());
    v.order_with(vec![Arc::clone(&keys)], 20);
    v.reverse_sort(&["N"], 20);
    assert!(v.needs_order());
    let known = v.known_keys(0).expect("kept for the next sort");
    assert!(Arc::ptr_eq(&known, &keys));
    v.order_with(vec![known], 20);
    let job = v.sorting().unwrap().clone();
    assert!(v.job_done(job.generation(), job.run().unwrap(), 20));
    assert_eq!(v.visible()[0], n - 1);
    v.rows_changed();
    assert!(v.known_keys(0).is_none(), "new rows, new keys");
}

/// Rows streaming into a sorted large table: until the sort of the new rows answers, the rows
/// keep their sorted places (the new ones after them) instead of flashing their own order.
#[test]
fn rows_streaming_into_a_sorted_table_keep_their_places_until_sorted_again() {
    let n = ON_UI_ROWS + 10;
    let mut texts: Vec<String> = (0..n).map(|i| format!("row {i}")).collect();
    let key = |t: &String| SortKey::cell(t.trim_start_matches("row "));
    let mut v = view_of(&texts);
    v.reverse_sort(&["N"], 20);
    v.order_with(vec![Arc::new(texts.iter().map(key).collect())], 20);
    let job = v.sorting().unwrap().clone();
    assert!(v.job_done(job.generation(), job.run().unwrap(), 20));
    assert_eq!(&v.visible()[..2], &[n - 1, n - 2]);
    // Two rows arrive before the others, then the view searches its rows again.
    texts.splice(0..0, ["row 100000".to_owned(), "row 100001".to_owned()]);
    v.rows_inserted(0, 2);
    v.refilter(texts.iter());
    assert!(v.needs_order());
    let shown: Vec<&str> = v.visible().iter().map(|&i| texts[i].as_str()).collect();
    assert_eq!(
        shown[..2],
        ["row 5009", "row 5008"],
        "the sorted places stay"
    );
    assert_eq!(
        shown[n..],
        ["row 100000", "row 100001"],
        "new rows after them"
    );
    v.order_with(vec![Arc::new(texts.iter().map(key).collect())], 20);
    let job = v.sorting().unwrap().clone();
    assert!(v.job_done(job.generation(), job.run().unwrap(), 20));
    let shown: Vec<&str> = v.visible().iter().map(|&i| texts[i].as_str()).collect();
    assert_eq!(shown[..3], ["row 100001", "row 100000", "row 5009"]);
}
