//! The Workflows pane's two costs that grow with a busy execution: building the timeline of a
//! 25,000-event history (the API's maximum), and the GetExecutionHistory requests of a 10-minute
//! watch, incremental (newest first, stopping at known events) against refetching the whole
//! history each poll, under AWS's paging semantics. Figures: docs/workflows.md.
//! Run with `cargo bench --bench timeline`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use opsdeck::domain::workflows::timeline::Timeline;
use opsdeck::domain::workflows::timeline::fixtures::busy_history;
use opsdeck::domain::workflows::watch::{Strategy, simulate_watch};

fn timeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("timeline_build");
    for n in [1_000, 25_000] {
        let events = busy_history(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &events, |b, events| {
            b.iter(|| black_box(Timeline::build(black_box(events))))
        });
    }
    group.finish();
}

/// Not a timing: the request count of a watch, printed once (it is deterministic).
fn watch_cost(c: &mut Criterion) {
    let ten_minutes = Duration::from_secs(600);
    println!("watch of a busy execution for 10 minutes, poll interval 1 s (AWS paging semantics):");
    println!(
        "{:>8}  {:<12} {:>6} {:>9} {:>11}",
        "events", "strategy", "polls", "requests", "events_read"
    );
    for n in [2_400, 24_000] {
        let history = busy_history(n);
        for (name, strategy) in [
            ("incremental", Strategy::Incremental),
            ("refetch", Strategy::Refetch),
        ] {
            let cost = simulate_watch(&history, ten_minutes, Duration::from_secs(1), strategy);
            println!(
                "{:>8}  {:<12} {:>6} {:>9} {:>11}",
                history.len(),
                name,
                cost.polls,
                cost.requests,
                cost.events
            );
        }
    }
    let history = busy_history(24_000);
    c.bench_function("simulate_incremental_watch_24000", |b| {
        b.iter(|| {
            black_box(simulate_watch(
                &history,
                ten_minutes,
                Duration::from_secs(1),
                Strategy::Incremental,
            ))
        })
    });
}

criterion_group!(benches, timeline, watch_cost);
criterion_main!(benches);
