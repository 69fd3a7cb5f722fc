//! What one frame, one filter keystroke and one `j` cost as the account list grows (10, 1,000 and
//! 100,000 accounts). docs/architecture.md promises that tables render only what is visible, so the frame
//! must cost the same at every size; the filter has to look at every row, so it may not.
//! Figures and how to read them: PERFORMANCE.md. Run with `cargo bench --bench render`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use opsdeck::app::tenants::TenancySettings;
use opsdeck::app::{Effect, Msg, Session, State, update};
use opsdeck::config::keymap::Keymap;
use opsdeck::domain::account::{
    Access, AccessVia, Account, AccountList, AccountSource, CallerIdentity,
};
use opsdeck::domain::tenancy::GroupPattern;
use opsdeck::ui::{Theme, render};

const SIZES: [usize; 3] = [10, 1_000, 100_000];
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
const ENVIRONMENTS: [&str; 4] = ["prod", "staging", "dev", "sandbox"];

fn account(i: usize) -> Account {
    let name = format!("{}-tenant-{i:06}", ENVIRONMENTS[i % ENVIRONMENTS.len()]);
    Account {
        id: format!("{:012}", 100_000_000_000 + i),
        email: format!("aws+{name}@example.com"),
        name,
        status: "ACTIVE".into(),
        read_only: false,
    }
}

fn identity(account_id: &str) -> CallerIdentity {
    CallerIdentity {
        account_id: account_id.into(),
        arn: format!("arn:aws:sts::{account_id}:assumed-role/Admin/alice"),
        user_id: "AROA:alice".into(),
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A dashboard at rest on the Accounts view: `n` accounts listed, every access check answered,
/// a 120x40 terminal. The caller's own account is the last one listed: the worst case for
/// anything that looks it up by walking the list.
fn loaded_state(n: usize) -> State {
    let session = Session {
        profile: Some("ops".into()),
        region: Some("eu-west-1".into()),
        endpoint: None,
        read_only: false,
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
        read_only_accounts: Vec::new(),
        scope_regions: Vec::new(),
        tag: "b3nch0".into(),
    };
    let tenancy = TenancySettings {
        pool_id: None,
        pattern: GroupPattern::parse("{tenant}:{role}").expect("the default pattern parses"),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
    };
    let mut state = State::new(session, Keymap::default(), tenancy);
    let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
    let effects = state.start();
    let identity_request = effects.iter().find_map(|e| match e {
        Effect::LoadIdentity { request } => Some(*request),
        _ => None,
    });
    let accounts_request = effects.iter().find_map(|e| match e {
        Effect::LoadAccounts { request } => Some(*request),
        _ => None,
    });
    let (Some(identity_request), Some(accounts_request)) = (identity_request, accounts_request)
    else {
        panic!("the start effects no longer load the identity and the accounts: {effects:?}");
    };
    let accounts: Vec<Account> = (0..n).map(account).collect();
    let me = identity(&accounts[n - 1].id);
    update(
        &mut state,
        Msg::Identity {
            request: identity_request,
            result: Ok(me.clone()),
            at,
        },
    );
    let checks = update(
        &mut state,
        Msg::Accounts {
            request: accounts_request,
            result: Ok(AccountList {
                accounts,
                source: AccountSource::Organizations,
            }),
            at,
        },
    );
    assert_eq!(checks.len(), n, "one access check per account");
    for check in checks {
        let Effect::CheckAccess {
            list_request,
            account_id,
        } = check
        else {
            panic!("expected only access checks, got {check:?}");
        };
        let via = if account_id == me.account_id {
            AccessVia::CurrentCredentials
        } else {
            AccessVia::AssumedRole
        };
        update(
            &mut state,
            Msg::Access {
                list_request,
                result: Ok(Access {
                    identity: identity(&account_id),
                    via,
                }),
                account_id,
            },
        );
    }
    update(&mut state, Msg::Resize(WIDTH, HEIGHT));
    assert_eq!(state.accounts.table.visible_len(), n);
    assert!(!state.is_busy(), "the state should be at rest");
    state
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test backend never fails")
}

/// One full `terminal.draw`: the app's render plus ratatui's diff against the last frame.
fn frame(c: &mut Criterion) {
    let theme = Theme::new(true);
    let mut group = c.benchmark_group("frame");
    for n in SIZES {
        let state = loaded_state(n);
        let mut terminal = terminal();
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

/// One character typed into the `/` filter (refilter included), after `prod` was typed; the
/// Backspace that undoes it between measurements is not timed.
fn filter_keystroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("filter_keystroke");
    for n in SIZES {
        let mut state = loaded_state(n);
        for c in "/prod".chars() {
            update(&mut state, key(KeyCode::Char(c)));
        }
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                timed_pairs(&mut state, iters, KeyCode::Char('7'), KeyCode::Backspace)
            });
        });
        assert_eq!(state.accounts.table.filter(), "prod");
    }
    group.finish();
}

/// `update` for one `j`; the `k` that moves back between measurements is not timed, so the
/// selection stays in the middle of the list instead of sitting at its end.
fn move_down(c: &mut Criterion) {
    let mut group = c.benchmark_group("key_j");
    for n in SIZES {
        let mut state = loaded_state(n);
        for _ in 0..n / 2 {
            update(&mut state, key(KeyCode::Char('j')));
        }
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                timed_pairs(&mut state, iters, KeyCode::Char('j'), KeyCode::Char('k'))
            });
        });
    }
    group.finish();
}

/// `O` on a list sorted by name: the sort reversed, which reads every row's key and sorts the
/// index vector (the rows themselves are never copied); the `O` that restores it is not timed.
fn sort_keystroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("sort_keystroke");
    for n in SIZES {
        let mut state = loaded_state(n);
        update(&mut state, key(KeyCode::Char('o')));
        assert_eq!(
            state.accounts.table.sort().map(|s| s.label()).as_deref(),
            Some("↑NAME")
        );
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                timed_pairs(&mut state, iters, KeyCode::Char('O'), KeyCode::Char('O'))
            });
        });
    }
    group.finish();
}

/// Time `iters` presses of `timed`, each followed by an untimed press of `undo`.
fn timed_pairs(state: &mut State, iters: u64, timed: KeyCode, undo: KeyCode) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        black_box(update(state, key(timed)));
        total += start.elapsed();
        update(state, key(undo));
    }
    total
}

fn config() -> Criterion {
    // Twelve benchmarks in about two minutes on two cores; the slowest (a 100,000-row refilter
    // or sort) still gets 20 samples.
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = frame, filter_keystroke, move_down, sort_keystroke
}
criterion_main!(benches);
