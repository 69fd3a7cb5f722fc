//! Property tests of the app core: random keys, resizes, ticks and service answers (good, failed,
//! late, duplicated, or for a request nobody made) driven through `opsdeck::app::update`, with the
//! invariants every screen must keep checked after every message (rendering: after every step):
//!
//! 1. nothing panics in `update`, and `ui::render` at the current size (0×0 included) neither
//!    panics nor fails;
//! 2. every pane's table has its selection inside its visible rows (none when it has none);
//! 3. in read-only mode (global, or for the plan's account) no `Effect::Execute` is emitted, and
//!    no confirmation dialog opens for a plan the read-only policy refuses;
//! 4. an `Effect::Execute` follows only Enter pressed on the open confirmation dialog, for
//!    exactly the plan it showed and with its answer typed (`y`, or a destructive plan's text);
//!    Enter with that answer, where the policy allows, always executes;
//! 5. the dialog stays until the operator answers it: Esc closes it and executes nothing, and a
//!    plan arriving meanwhile does not take its place;
//! 6. every call of an executed plan acts in the plan's account (the one the read-only check
//!    looked at), and a finished change reloads the pane that planned it.
//!
//! Two generators: `random_keys_resizes_and_answers_keep_every_invariant` presses any key and
//! answers effects at random (the app's robustness against anything); `changes_are_planned_…`
//! walks towards changes: it answers everything the app asked for, presses the keys that open
//! forms, menus and plans, fills forms with good and bad values, and answers dialogs rightly,
//! wrongly or with Esc, in read-only and writable sessions (so invariants 3–6 are exercised on the
//! path that matters, not once in a thousand steps).
//!
//! The fake services answer the effects the app emitted, picked at random among every effect
//! still unanswered, so answers arrive out of order and after newer requests; plans come from the
//! real planner (`plan_intent`) over a fake pool.
//! `PROPTEST_CASES=N cargo test --test app_properties` runs more (or fewer) cases of each test.
//!
//! Here the two tests and their coverage counts; `scenario` generates the steps, `run` drives the
//! app and checks the invariants, `walk` picks the keys towards changes, and `fake*` answer as the
//! services would.

#[path = "../support/keys.rs"]
mod keys;

mod fake;
mod fake_dns;
mod fake_tenants;
mod fake_workflows;
mod run;
mod scenario;
mod walk;

use std::cell::RefCell;
use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

use crate::run::run;
use crate::scenario::{Scenario, focused_scenario, scenario};

/// How far the generated runs got, over all cases of one test: a run that never opens a dialog
/// or fills a table proves nothing about them.
#[derive(Debug, Default)]
struct Stats {
    /// Steps (ops) after which each pane's table had rows.
    filled: [usize; 4],
    /// Steps after which the confirmation dialog was open.
    in_dialog: usize,
    /// Dialogs opened, per change kind.
    opened: BTreeMap<&'static str, usize>,
    /// Changes executed (Enter with the right answer), per change kind.
    approved: BTreeMap<&'static str, usize>,
    approved_destructive: usize,
    /// Plans refused by the read-only policy before any dialog, per change kind.
    refused: BTreeMap<&'static str, usize>,
    /// Of those, refused because the whole session is read-only.
    refused_session: usize,
    /// Enter on a dialog whose account had become read-only meanwhile.
    refused_at_enter: usize,
    /// Enter on a dialog with a wrong answer (`n`, `y` for a destructive plan, a typo...).
    wrong_answer: usize,
    /// Of those, a destructive plan answered `y`.
    destructive_y: usize,
    /// Esc on a dialog.
    cancelled: usize,
    /// Plans that arrived while another dialog was open (kept out of it, with a notice).
    late_plans: usize,
    /// Finished changes whose pane reload was checked.
    reloaded: usize,
}

impl Stats {
    fn total(map: &BTreeMap<&'static str, usize>) -> usize {
        map.values().sum()
    }

    fn report(&self, name: &str) {
        eprintln!(
            "{name}: steps with a table filled per pane {:?}, in a dialog {}\n  \
             dialogs opened {} {:?}\n  \
             approved {} ({} destructive) {:?}\n  \
             refused up front (read-only) {} ({} read-only session) {:?}\n  \
             refused at Enter (account became read-only) {}, wrong answer {} ({} destructive \
             answered y), cancelled with Esc {}, plans kept out of an open dialog {}, \
             reloads checked {}",
            self.filled,
            self.in_dialog,
            Stats::total(&self.opened),
            self.opened,
            Stats::total(&self.approved),
            self.approved_destructive,
            self.approved,
            Stats::total(&self.refused),
            self.refused_session,
            self.refused,
            self.refused_at_enter,
            self.wrong_answer,
            self.destructive_y,
            self.cancelled,
            self.late_plans,
            self.reloaded,
        );
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        // Enough that the random walk reaches a confirmation dialog a few times (about one case
        // in fifty does); the walk is fixed by the seed but shifts when a key is added to the
        // default keymap (the DNS pane's `f` made 96 cases open none).
        .unwrap_or(160)
}

/// Run `cases()` generated scenarios with a fixed seed (so CI runs the same cases every time and
/// the coverage checks hold); a failure panics with the shrunk sequence of steps.
fn run_all(strategy: impl Strategy<Value = Scenario>, seed: u64, name: &str) -> Stats {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        // Failures are reported with their shrunk sequence; nothing is written to the tree.
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    });
    let stats = RefCell::new(Stats::default());
    if let Err(e) = runner.run(&strategy, |scenario| run(&scenario, &stats)) {
        panic!("{e}");
    }
    let stats = stats.into_inner();
    stats.report(name);
    stats
}

#[test]
fn random_keys_resizes_and_answers_keep_every_invariant() {
    let stats = run_all(scenario(), 0x006f_7073_6465_636b, "random input");
    // With enough cases the generator must have reached every pane's rows and the confirmation
    // dialog. Approved changes are rarer here; the walk below is the test that needs them.
    if cases() >= 64 {
        assert!(
            stats.filled.iter().all(|&n| n > 0),
            "some pane never had rows: {:?}",
            stats.filled
        );
        assert!(
            Stats::total(&stats.opened) > 0,
            "no confirmation dialog was ever opened"
        );
    }
}

#[test]
fn changes_are_planned_confirmed_refused_and_cancelled_keeping_every_invariant() {
    let stats = run_all(
        focused_scenario(),
        0x6368_616e_6765_7321,
        "walk towards changes",
    );
    if cases() < 64 {
        return;
    }
    // The seed is fixed, so these are the same every run: minimums well below what the default
    // run reaches, to show the walk gets where invariants 3-6 matter.
    let approved = |kinds: &[&str]| -> usize {
        kinds
            .iter()
            .map(|k| stats.approved.get(k).copied().unwrap_or(0))
            .sum()
    };
    let tenants = approved(&[
        "onboard tenant",
        "onboard user",
        "set role",
        "remove user",
        "remove+delete user",
        "disable user",
        "enable user",
        "reset password",
        "resend invitation",
        "delete tenant",
        "import",
    ]);
    let workflows = approved(&["start", "rerun", "stop", "redrive"]);
    let kinds = stats.approved.values().filter(|&&n| n > 0).count();
    // (what the default run reaches: 39 Tenants and 43 Workflows changes approved, 12 kinds,
    // 24 destructive; 92 refused before a dialog, 29 of them in read-only sessions; 8 refused
    // at Enter; 56 cancelled; 60 wrong answers, 4 of them `y` to a destructive plan; 1 late plan
    // kept out of an open dialog; 76 reloads.)
    let failures = [
        (tenants >= 20, "approved Tenants changes"),
        (workflows >= 20, "approved Workflows changes"),
        (kinds >= 8, "kinds of change approved"),
        (
            stats.approved_destructive >= 12,
            "destructive changes approved",
        ),
        (
            Stats::total(&stats.refused) >= 40,
            "refusals before any dialog",
        ),
        (
            stats.refused_session >= 12,
            "refusals in read-only sessions",
        ),
        (stats.refused_at_enter >= 2, "refusals at Enter"),
        (stats.cancelled >= 24, "dialogs cancelled with Esc"),
        (stats.wrong_answer >= 24, "wrong answers"),
        (stats.destructive_y >= 2, "destructive plans answered y"),
        (
            stats.late_plans >= 1,
            "plans arriving while a dialog was open",
        ),
        (
            stats.reloaded >= 24,
            "finished changes whose pane reload was checked",
        ),
    ];
    let missed: Vec<&str> = failures
        .iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, what)| *what)
        .collect();
    assert!(missed.is_empty(), "too few {missed:?}: {stats:#?}");
}
