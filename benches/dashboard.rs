//! The dashboard with 100,000 DNS records loaded, the way an operator types a filter over them
//! and then sorts them: how long each key press keeps the UI (one `update`, the work the event
//! loop does before it can draw or read the next key), how long until the filter's result or the
//! sorted order replaces the rows (searches and sorts run on other threads, as the runtime runs
//! them), and what the records cost in memory.
//!
//! Not a criterion bench: one process, one load, so that its peak resident memory (`VmHWM`) is
//! the load's and the filter's. Run with `cargo bench --bench dashboard` (release profile);
//! `benches/dns/dashboard.sh` runs it and the dashboard itself against the emulator. Figures:
//! PERFORMANCE.md.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use crossterm::event::KeyCode;

use opsdeck::app::dns::DnsMsg;
use opsdeck::app::{Effect, Msg, RequestId, State, update};
use opsdeck::domain::dns::{AccountStatus, HostedZone, InventoryEvent, ZoneDetail};

#[path = "support/dns_org.rs"]
mod dns_org;
use dns_org::{key, org_state, record};

const ACCOUNTS: usize = 10;
const ZONES: usize = 10;
/// Records per ListResourceRecordSets page, as the runtime streams them.
const PAGE: usize = 300;
/// What is typed, one key at a time, after `/` in the all-records view.
const FILTER: &str = "host-0001";
/// Between two keys: a fast typist.
const TYPING: Duration = Duration::from_millis(60);

fn total() -> usize {
    std::env::var("RECORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

/// The whole inventory, page by page as Route53 answers (made one page at a time).
fn load(state: &mut State, request: RequestId, total: usize) {
    let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 1).unwrap();
    let per_zone = total / (ACCOUNTS * ZONES);
    let mut send = |event| {
        update(state, Msg::Dns(DnsMsg::Inventory { request, event, at }));
    };
    for account in 0..ACCOUNTS {
        send(InventoryEvent::Started { account });
        send(InventoryEvent::Zones {
            account,
            zones: (0..ZONES)
                .map(|zone| ZoneDetail {
                    zone: HostedZone {
                        id: format!("Z{account:02}{zone:02}"),
                        name: format!("zone{zone}.env{account}.example.com"),
                        private: false,
                        record_count: per_zone as i64,
                        comment: String::new(),
                    },
                    vpcs: vec![],
                })
                .collect(),
        });
        for zone in 0..ZONES {
            let mut i = 0;
            while i < per_zone {
                let end = (i + PAGE).min(per_zone);
                send(InventoryEvent::Records {
                    account,
                    zone,
                    records: (i..end).map(|i| record(account, zone, i)).collect(),
                });
                i = end;
            }
            send(InventoryEvent::ZoneDone { account, zone });
        }
        send(InventoryEvent::Finished {
            account,
            status: AccountStatus::Ok,
        });
    }
}

/// This process's resident memory now and at its peak, in KiB (Linux).
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Run the effects a message asked for that the bench plays the runtime for: searches and sorts
/// (table jobs), on a thread of their own, answering on `tx`.
fn run(effects: Vec<Effect>, tx: &mpsc::Sender<(Msg, Instant)>) {
    for effect in effects {
        if let Effect::TableJob(job) = effect {
            let tx = tx.clone();
            std::thread::spawn(move || {
                if let Some(answer) = job.run() {
                    let msg = Msg::TableJobDone {
                        generation: job.generation(),
                        answer,
                    };
                    let _ = tx.send((msg, Instant::now()));
                }
            });
        }
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing to choose here.
    let total = total();
    let (before, _) = memory();
    let (mut state, request) = org_state(ACCOUNTS, 120, 40);
    let started = Instant::now();
    load(&mut state, request, total);
    let loaded_in = started.elapsed();
    let (after_load, _) = memory();
    let shown = state.dns.records.table.visible_len();
    assert_eq!(shown, total, "every record in the all-records view");
    println!(
        "{total} records loaded in {:.0} ms: resident {:.1} MiB ({:.1} MiB before), {:.0} bytes a record",
        loaded_in.as_secs_f64() * 1000.0,
        mib(after_load),
        mib(before),
        (after_load.saturating_sub(before) * 1024) as f64 / total as f64
    );

    let (tx, rx) = mpsc::channel::<(Msg, Instant)>();
    let mut longest = Duration::ZERO;
    let mut waits = Vec::new();
    let mut pressed = Instant::now();
    // `/`, then the filter one key at a time; between keys, the answers that came are applied
    // as the event loop applies them.
    for c in std::iter::once('/').chain(FILTER.chars()) {
        pressed = Instant::now();
        let effects = update(&mut state, key(KeyCode::Char(c)));
        let wait = pressed.elapsed();
        waits.push(wait);
        longest = longest.max(wait);
        run(effects, &tx);
        let next = pressed + TYPING;
        while let Ok((msg, _)) = rx.recv_timeout(next.saturating_duration_since(Instant::now())) {
            let start = Instant::now();
            run(update(&mut state, msg), &tx);
            longest = longest.max(start.elapsed());
        }
    }
    // The last key's result.
    let mut result_after = None;
    while state.dns.records.table.is_searching() {
        let Ok((msg, _)) = rx.recv_timeout(Duration::from_secs(10)) else {
            break;
        };
        let start = Instant::now();
        run(update(&mut state, msg), &tx);
        longest = longest.max(start.elapsed());
        if !state.dns.records.table.is_searching() {
            result_after = Some(pressed.elapsed());
        }
    }
    let result_after = result_after.unwrap_or_else(|| pressed.elapsed());
    let (_, peak) = memory();
    println!(
        "typing /{FILTER} over {total} records, a key every {} ms: longest UI wait {:.2} ms (per key: {}); the last key's result after {:.0} ms, {} rows",
        TYPING.as_millis(),
        longest.as_secs_f64() * 1000.0,
        waits
            .iter()
            .map(|w| format!("{:.2}", w.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(" "),
        result_after.as_secs_f64() * 1000.0,
        state.dns.records.table.visible_len(),
    );
    println!(
        "peak resident memory (VmHWM) of this process: {:.1} MiB",
        mib(peak)
    );
    sort(&mut state, &tx, &rx);
}

/// Whether the records view waits for a search or a sort.
fn busy(state: &State) -> bool {
    let table = &state.dns.records.table;
    table.is_searching() || table.is_sorting()
}

/// Apply the answers that come, as the event loop does, until the records view waits for none;
/// the longest of those `update`s.
fn settle(
    state: &mut State,
    tx: &mpsc::Sender<(Msg, Instant)>,
    rx: &mpsc::Receiver<(Msg, Instant)>,
) -> Duration {
    let mut longest = Duration::ZERO;
    while busy(state) {
        let Ok((msg, _)) = rx.recv_timeout(Duration::from_secs(10)) else {
            break;
        };
        let start = Instant::now();
        run(update(state, msg), tx);
        longest = longest.max(start.elapsed());
    }
    longest
}

/// The filter cleared (all 100,000 records shown), then `o` three times (ACCOUNT, ZONE, NAME)
/// and `O` (NAME descending), each after the previous order is on screen: the key's wait, the
/// longest wait of the answers' `update`s, and the time from the key to the sorted rows.
fn sort(state: &mut State, tx: &mpsc::Sender<(Msg, Instant)>, rx: &mpsc::Receiver<(Msg, Instant)>) {
    for code in [KeyCode::Enter, KeyCode::Char('/')]
        .into_iter()
        .chain(FILTER.chars().map(|_| KeyCode::Backspace))
        .chain([KeyCode::Enter])
    {
        run(update(state, key(code)), tx);
        settle(state, tx, rx);
    }
    let total = state.dns.records.table.visible_len();
    assert_eq!(total, state.dns.all_record_count(), "the filter cleared");
    let mut longest = Duration::ZERO;
    let mut lines = Vec::new();
    for c in ['o', 'o', 'o', 'O'] {
        let pressed = Instant::now();
        let effects = update(state, key(KeyCode::Char(c)));
        let wait = pressed.elapsed();
        run(effects, tx);
        let answers = settle(state, tx, rx);
        let shown = pressed.elapsed();
        longest = longest.max(wait).max(answers);
        let label = state
            .dns
            .records
            .table
            .sort()
            .map(|s| s.label())
            .unwrap_or_default();
        lines.push(format!(
            "{c} ({label}): key {:.2} ms, answer {:.2} ms, sorted rows after {:.0} ms",
            wait.as_secs_f64() * 1000.0,
            answers.as_secs_f64() * 1000.0,
            shown.as_secs_f64() * 1000.0
        ));
    }
    println!(
        "sorting the all-records view of {total} records: longest UI wait {:.2} ms; {}",
        longest.as_secs_f64() * 1000.0,
        lines.join("; ")
    );
}
