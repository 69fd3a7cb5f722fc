//! The DNS pane with the organisation's inventory loaded: what one frame of the "all records"
//! view, one filter keystroke, and taking in the whole inventory cost at 1,000 and 100,000
//! records (10 accounts × 5 zones). The frame must not grow with the records (only the visible
//! window is built); the filter and the intake look at every record, so they may.
//! Also prints the resident memory the 100,000-record inventory adds. Figures: docs/dns.md.
//! Run with `cargo bench --bench dns`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use opsdeck::app::dns::DnsMsg;
use opsdeck::app::{Msg, RequestId, State, update};
use opsdeck::domain::dns::{AccountStatus, HostedZone, InventoryEvent, ZoneDetail};
use opsdeck::ui::{Theme, render};

#[path = "support/dns_org.rs"]
mod dns_org;
use dns_org::{key, org_state, record};

const ACCOUNTS: usize = 10;
const ZONES: usize = 5;
const SIZES: [usize; 2] = [1_000, 100_000];
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// Records per ListResourceRecordSets page, as the runtime streams them.
const PAGE: usize = 300;

/// The events of a whole inventory of `total` records, page by page.
fn events(total: usize) -> Vec<InventoryEvent> {
    let per_zone = total / (ACCOUNTS * ZONES);
    let mut out = Vec::new();
    for account in 0..ACCOUNTS {
        out.push(InventoryEvent::Started { account });
        out.push(InventoryEvent::Zones {
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
                out.push(InventoryEvent::Records {
                    account,
                    zone,
                    records: (i..end).map(|i| record(account, zone, i)).collect(),
                });
                i = end;
            }
            out.push(InventoryEvent::ZoneDone { account, zone });
        }
        out.push(InventoryEvent::Finished {
            account,
            status: AccountStatus::Ok,
        });
    }
    out
}

/// Feed `events` to the dashboard as answers to `request`.
fn ingest(state: &mut State, request: RequestId, events: Vec<InventoryEvent>) {
    let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 1).unwrap();
    for event in events {
        update(state, Msg::Dns(DnsMsg::Inventory { request, event, at }));
    }
}

fn loaded(total: usize) -> State {
    let (mut state, request) = org_state(ACCOUNTS, WIDTH, HEIGHT);
    ingest(&mut state, request, events(total));
    assert_eq!(state.dns.records.table.visible_len(), total);
    assert!(
        !state
            .dns
            .org
            .as_ref()
            .unwrap()
            .inventory
            .accounts
            .is_empty()
    );
    state
}

/// Resident memory of this process in KiB (Linux), for the memory figure.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn frame(c: &mut Criterion) {
    let theme = Theme::new(true);
    let mut group = c.benchmark_group("dns_frame");
    for n in SIZES {
        let before = rss_kib();
        let state = loaded(n);
        if let (Some(before), Some(after)) = (before, rss_kib()) {
            eprintln!(
                "dns: {n} records loaded: resident memory +{:.1} MiB ({:.1} MiB in all)",
                after.saturating_sub(before) as f64 / 1024.0,
                after as f64 / 1024.0
            );
        }
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(n), &state, |b, state| {
            b.iter(|| {
                terminal
                    .draw(|f| render(black_box(state), &theme, f))
                    .expect("a test backend never fails");
            });
        });
    }
    group.finish();
}

/// One character typed into the `/` filter of the all-records view after `host-0001`.
fn filter_keystroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("dns_filter_keystroke");
    group.sample_size(20);
    for n in SIZES {
        let mut state = loaded(n);
        for c in "/host-0001".chars() {
            update(&mut state, key(KeyCode::Char(c)));
        }
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    black_box(update(&mut state, key(KeyCode::Char('2'))));
                    total += start.elapsed();
                    update(&mut state, key(KeyCode::Backspace));
                }
                total
            });
        });
    }
    group.finish();
}

/// Taking in a whole inventory, page by page, while the all-records view is open.
fn intake(c: &mut Criterion) {
    let mut group = c.benchmark_group("dns_intake");
    group.sample_size(10);
    for n in SIZES {
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (mut state, request) = org_state(ACCOUNTS, WIDTH, HEIGHT);
                    let events = events(n);
                    let start = Instant::now();
                    ingest(&mut state, request, events);
                    total += start.elapsed();
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group!(benches, frame, filter_keystroke, intake);
criterion_main!(benches);
