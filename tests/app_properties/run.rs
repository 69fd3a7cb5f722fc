//! One generated session driven through `update`: every message checked against the invariants,
//! every step rendered.

use std::cell::RefCell;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use opsdeck::app::tenants::TenantsEffect;
use opsdeck::app::{Change, Effect, Mode, Msg, Pane, RequestId, Session, State, update};
use opsdeck::config::keymap::Keymap;
use opsdeck::domain::plan::{Danger, Plan};
use opsdeck::mutation::confirmation_matches;
use opsdeck::ui::render;
use opsdeck::ui::theme::Theme;

use crate::Stats;
use crate::fake::{accounts, respond, rows_variant, tenancy};
use crate::keys::key;
use crate::scenario::{Answer, Op, Scenario};
use crate::walk::{
    act, call_account, effect_pane, fill, kind, plan_pane, proposal, retype, right_answer,
    wrong_answer,
};

/// Selections inside the rows (invariant 2).
fn check_tables(state: &State, at: &str) -> Result<(), TestCaseError> {
    for pane in Pane::ALL {
        let table = state.pane_state(pane).table();
        let shown = table.visible_len();
        match table.selected_index() {
            None => prop_assert!(
                shown == 0,
                "{at}: {pane:?} has {shown} rows but no selection"
            ),
            Some(_) => prop_assert!(
                table.selected_position() < shown,
                "{at}: {pane:?} selects row {} of {shown}",
                table.selected_position()
            ),
        }
    }
    Ok(())
}

/// Render at the current size (invariant 1: no panic, no error).
fn check_render(state: &State, at: &str) -> Result<(), TestCaseError> {
    let (width, height) = state.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::new(false);
    terminal
        .draw(|frame| render(state, &theme, frame))
        .map_err(|e| TestCaseError::fail(format!("{at}: render failed: {e}")))?;
    Ok(())
}

/// One generated session: the app, everything it asked for, and the changes still running.
struct Run<'a> {
    scenario: &'a Scenario,
    stats: &'a RefCell<Stats>,
    state: State,
    /// Everything the app asked for, answered or not: answers pick from here.
    asked: Vec<(Effect, bool)>,
    /// Approved changes not yet finished: their title and the pane that planned them.
    running: Vec<(String, Pane)>,
    next_wrong: u64,
}

impl Run<'_> {
    /// Send one message and check every invariant about it.
    fn deliver(&mut self, msg: Msg, at: &str) -> Result<(), TestCaseError> {
        let state = &mut self.state;
        let dialog_before = match (&state.confirm, state.mode) {
            (Some(dialog), Mode::Confirm) => {
                Some((dialog.plan.clone(), dialog.input.value().to_owned()))
            }
            _ => None,
        };
        let notice_before = state.notice.clone();
        let policy = state.policy();
        let key = match &msg {
            Msg::Key(k) => Some(k.code),
            _ => None,
        };
        let proposing = proposal(state, &msg);
        let finished = match &msg {
            Msg::Executed { title, .. } => Some(title.clone()),
            _ => None,
        };

        let effects = update(state, msg);

        let mut stats = self.stats.borrow_mut();
        let executed: Vec<&Plan<Change>> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Execute(approved) => Some(approved.plan()),
                _ => None,
            })
            .collect();
        prop_assert!(executed.len() <= 1, "{at}: {} executions", executed.len());
        for plan in &executed {
            let title = &plan.title;
            // 3: never in read-only mode, never in a read-only account.
            prop_assert!(
                !self.scenario.read_only,
                "{at}: executed `{title}` in read-only mode"
            );
            prop_assert!(
                !policy.read_only_accounts.contains(&plan.account_id),
                "{at}: executed `{title}` in read-only account {}",
                plan.account_id
            );
            // 6: each call where the policy looked.
            for step in &plan.steps {
                prop_assert!(
                    call_account(&step.action) == plan.account_id,
                    "{at}: `{title}` in account {} has a call in {}",
                    plan.account_id,
                    call_account(&step.action)
                );
            }
            // 4: Enter on the dialog that showed this very plan, with its answer typed.
            let Some((shown, typed)) = &dialog_before else {
                return Err(TestCaseError::fail(format!(
                    "{at}: executed `{title}` without the confirmation dialog"
                )));
            };
            prop_assert!(
                key == Some(KeyCode::Enter),
                "{at}: executed `{title}` on {key:?}, not Enter"
            );
            prop_assert!(
                shown == *plan,
                "{at}: executed `{title}`, but the dialog showed `{}`",
                shown.title
            );
            prop_assert!(
                confirmation_matches(shown, typed),
                "{at}: executed `{title}` ({:?}) on the answer {typed:?}",
                shown.danger
            );
            *stats.approved.entry(kind(title)).or_default() += 1;
            if matches!(plan.danger, Danger::Destructive { .. }) {
                stats.approved_destructive += 1;
            }
            if let Some(pane) = plan_pane(plan) {
                self.running.push((title.clone(), pane));
            }
        }
        if let Some((shown, typed)) = &dialog_before {
            match key {
                Some(KeyCode::Enter) => {
                    let allowed = policy.check(shown).is_ok();
                    let right = confirmation_matches(shown, typed);
                    // A mistyped name of a destructive plan asks again; any other answer closes
                    // the dialog.
                    let asks_again =
                        allowed && !right && matches!(shown.danger, Danger::Destructive { .. });
                    prop_assert!(
                        (state.confirm.is_some() && state.mode == Mode::Confirm) == asks_again,
                        "{at}: after Enter the dialog is {} (asks again: {asks_again})",
                        if state.confirm.is_some() {
                            "open"
                        } else {
                            "closed"
                        }
                    );
                    if allowed && right {
                        prop_assert!(
                            executed.len() == 1,
                            "{at}: `{}` answered {typed:?} was not executed",
                            shown.title
                        );
                    } else if !allowed {
                        stats.refused_at_enter += 1;
                    } else {
                        stats.wrong_answer += 1;
                        let yes = ["y", "yes"].contains(&typed.trim());
                        if yes && matches!(shown.danger, Danger::Destructive { .. }) {
                            stats.destructive_y += 1;
                        }
                    }
                }
                // 5: Esc closes the dialog, nothing runs.
                Some(KeyCode::Esc) => {
                    prop_assert!(
                        state.confirm.is_none() && state.mode == Mode::Normal,
                        "{at}: the dialog stayed open after Esc"
                    );
                    stats.cancelled += 1;
                }
                _ => {}
            }
        }
        // 3: a dialog opens only for a plan the policy allows (it offers no execution in
        // read-only mode).
        if let (Some(dialog), Mode::Confirm) = (&state.confirm, state.mode) {
            let new = dialog_before
                .as_ref()
                .is_none_or(|(shown, _)| *shown != dialog.plan);
            if new {
                prop_assert!(
                    !self.scenario.read_only,
                    "{at}: a dialog for `{}` opened in read-only mode",
                    dialog.plan.title
                );
                prop_assert!(
                    state.policy().check(&dialog.plan).is_ok(),
                    "{at}: a dialog for `{}` opened in read-only account {}",
                    dialog.plan.title,
                    dialog.plan.account_id
                );
                *stats.opened.entry(kind(&dialog.plan.title)).or_default() += 1;
                // 5: the dialog the operator is answering stays until they answer it.
                prop_assert!(
                    dialog_before.is_none(),
                    "{at}: the dialog for `{}` was replaced by `{}` before it was answered",
                    dialog_before
                        .as_ref()
                        .map(|(p, _)| p.title.as_str())
                        .unwrap_or_default(),
                    dialog.plan.title
                );
            }
        }
        // A plan kept out of the open dialog.
        if dialog_before.is_some()
            && state.notice != notice_before
            && state
                .notice
                .as_ref()
                .is_some_and(|n| n.text.starts_with("not shown:"))
        {
            stats.late_plans += 1;
        }
        // A refusal before any dialog: counted, per change.
        if dialog_before.is_none()
            && state.notice != notice_before
            && state
                .notice
                .as_ref()
                .is_some_and(|n| n.is_error && n.text.starts_with("refused:"))
        {
            *stats
                .refused
                .entry(proposing.unwrap_or("other"))
                .or_default() += 1;
            if self.scenario.read_only {
                stats.refused_session += 1;
            }
        }
        // 6: a finished change reloads the pane that planned it, wherever the operator is now.
        if let Some(title) = finished
            && let Some(i) = self.running.iter().position(|(t, _)| *t == title)
        {
            let (_, pane) = self.running.remove(i);
            if state.current_account_id().is_some() {
                prop_assert!(
                    effects.iter().any(|e| effect_pane(e) == Some(pane)),
                    "{at}: `{title}` finished but the {pane:?} pane was not reloaded: {effects:?}"
                );
                stats.reloaded += 1;
            }
        }
        drop(stats);
        self.asked
            .extend(effects.into_iter().map(|effect| (effect, false)));
        check_tables(&self.state, at)
    }

    fn pick(&self, pick: usize, want_answered: Option<bool>) -> Option<usize> {
        // Late accounts are for `settle` to answer (while a dialog is open).
        let late = |effect: &Effect| {
            self.scenario.late_accounts && matches!(effect, Effect::LoadAccounts { .. })
        };
        let candidates: Vec<usize> = (0..self.asked.len())
            .filter(|&i| want_answered.is_none_or(|a| self.asked[i].1 == a))
            .filter(|&i| !late(&self.asked[i].0))
            .collect();
        (!candidates.is_empty()).then(|| candidates[pick % candidates.len()])
    }

    fn respond(&self, i: usize, answer: Answer, wrong: Option<RequestId>) -> Vec<Msg> {
        respond(
            &self.asked[i].0,
            answer,
            wrong,
            self.scenario.read_only_accounts,
        )
    }

    fn step(&mut self, step: usize, op: &Op) -> Result<(), TestCaseError> {
        let at = format!("step {step} ({op:?})");
        let keys = |keys: Vec<KeyEvent>| keys.into_iter().map(Msg::Key).collect::<Vec<_>>();
        // What the operator types into the dialog, over whatever stray keys put there, and Enter.
        let typed = |text: &str| {
            let typed_so_far = self
                .state
                .confirm
                .as_ref()
                .map(|d| d.input.value().to_owned())
                .unwrap_or_default();
            let mut msgs = keys(retype(&typed_so_far, text));
            msgs.push(Msg::Key(key(KeyCode::Enter)));
            msgs
        };
        let inbox: Vec<Msg> = match op {
            Op::Key(k) => vec![Msg::Key(*k)],
            Op::Keys(k) => keys(k.clone()),
            Op::Confirm => match &self.state.confirm {
                Some(dialog) => typed(&right_answer(&dialog.plan)),
                None => vec![Msg::Key(key(KeyCode::Enter))],
            },
            Op::WrongAnswer(variant) => match &self.state.confirm {
                Some(dialog) => typed(&wrong_answer(&dialog.plan, *variant)),
                None => Vec::new(),
            },
            Op::Fill(seed) => keys(fill(&self.state, *seed)),
            Op::Act(seed) => keys(act(&self.state, *seed)),
            Op::Settle(seed) => {
                return if self.settle(*seed, &at)? {
                    check_render(&self.state, &at)
                } else {
                    Ok(())
                };
            }
            Op::Resize(w, h) => vec![Msg::Resize(*w, *h)],
            Op::Mouse(kind, column, row) => vec![Msg::Mouse(MouseEvent {
                kind: *kind,
                column: *column,
                row: *row,
                modifiers: KeyModifiers::NONE,
            })],
            Op::Tick => vec![Msg::Tick],
            Op::Answer { pick, answer } => match self.pick(*pick, Some(false)) {
                Some(i) => {
                    self.asked[i].1 = true;
                    self.respond(i, *answer, None)
                }
                None => Vec::new(),
            },
            Op::Replay { pick, answer } => match self.pick(*pick, None) {
                Some(i) => self.respond(i, *answer, None),
                None => Vec::new(),
            },
            Op::WrongId { pick, answer } => match self.pick(*pick, None) {
                Some(i) => {
                    self.next_wrong += 1;
                    self.respond(i, *answer, Some(RequestId(self.next_wrong)))
                }
                None => Vec::new(),
            },
        };
        if inbox.is_empty() {
            // Nothing happened: the screen is the one already drawn.
            return Ok(());
        }
        for msg in inbox {
            self.deliver(msg, &at)?;
        }
        check_render(&self.state, &at)
    }

    /// Answer every unanswered effect with success and rows, then what those answers asked for,
    /// three rounds at most (a watched execution polls for ever).
    fn settle(&mut self, seed: u8, at: &str) -> Result<bool, TestCaseError> {
        let mut answered = false;
        for round in 0..3u8 {
            // Late accounts arrive only while a dialog is open: the worst moment.
            let late = |effect: &Effect| {
                self.scenario.late_accounts
                    && matches!(effect, Effect::LoadAccounts { .. })
                    && self.state.mode != Mode::Confirm
            };
            // A slow planner's plans, likewise.
            let slow = |effect: &Effect| {
                self.scenario.slow_planner
                    && self.state.mode != Mode::Confirm
                    && matches!(
                        effect,
                        Effect::Tenants(
                            TenantsEffect::Plan { .. } | TenantsEffect::PlanImport { .. }
                        )
                    )
            };
            let open: Vec<usize> = (0..self.asked.len())
                .filter(|&i| !self.asked[i].1)
                .filter(|&i| !late(&self.asked[i].0) && !slow(&self.asked[i].0))
                .collect();
            if open.is_empty() {
                break;
            }
            for (n, i) in open.into_iter().enumerate() {
                self.asked[i].1 = true;
                answered = true;
                let variant = rows_variant(
                    &self.asked[i].0,
                    seed.wrapping_add(round.wrapping_mul(71))
                        .wrapping_add((n as u8).wrapping_mul(37)),
                );
                for msg in self.respond(i, Answer { ok: true, variant }, None) {
                    self.deliver(msg, at)?;
                }
            }
        }
        Ok(answered)
    }
}

fn session(scenario: &Scenario) -> Session {
    Session {
        profile: Some("ops".into()),
        region: Some("eu-west-1".into()),
        endpoint: None,
        read_only: scenario.read_only,
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
        read_only_accounts: accounts(4, 0)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| scenario.config_read_only & (1 << i) != 0)
            .map(|(_, a)| a.id)
            .collect(),
        scope_regions: Vec::new(),
        tag: "pr0p00".into(),
    }
}

pub(crate) fn run(scenario: &Scenario, stats: &RefCell<Stats>) -> Result<(), TestCaseError> {
    let mut state = State::new(session(scenario), Keymap::default(), tenancy());
    let asked = state.start().into_iter().map(|e| (e, false)).collect();
    let mut run = Run {
        scenario,
        stats,
        state,
        asked,
        running: Vec::new(),
        next_wrong: 1_000_000,
    };
    for (step, op) in scenario.ops.iter().enumerate() {
        run.step(step, op)?;
        let mut stats = stats.borrow_mut();
        if run.state.mode == Mode::Confirm {
            stats.in_dialog += 1;
        }
        for (i, pane) in Pane::ALL.into_iter().enumerate() {
            if run.state.pane_state(pane).table().visible_len() > 0 {
                stats.filled[i] += 1;
            }
        }
    }
    Ok(())
}
