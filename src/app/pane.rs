//! What every pane implements, and the context the shell lends it when it acts.
//!
//! A pane owns its state, its messages and its effects (`app/<pane>.rs`, rendered by
//! `ui/<pane>.rs`, run by `runtime/<pane>.rs`). The shell owns what is shared: modes, the command
//! line, the filter prompt, the confirmation dialog, notices, the current account.

use crossterm::event::KeyEvent;

use super::live::Live;
use super::loadable::RequestId;
use super::table::{Rows, TableView};
use super::{Change, Effect};
use crate::config::keymap::{Action, Keymap, Scope};
use crate::domain::account::Account;
use crate::domain::plan::{Plan, Policy};

/// Lent to a pane for one call: what it may read, and where it puts what it wants done.
pub struct Ctx<'a> {
    /// The account the panes work in (the chosen one, else the caller's own); `None` until known.
    pub account: Option<String>,
    /// The region of every client.
    pub region: Option<String>,
    /// Which accounts and regions the Tenants and Workflows panes read.
    pub scope: super::scope::Scope,
    /// Table rows that fit on screen, for paging.
    pub rows: usize,
    /// The keys of forms, questions and viewers a pane has open.
    pub keymap: &'a Keymap,
    /// This dashboard session's random tag (for default execution names).
    pub session_tag: &'a str,
    /// Which changes are allowed: a pane whose change acts in another account than the current
    /// one (a record of another account's zone) checks that account before it opens a form.
    pub policy: Policy,
    next_request: &'a mut u64,
    asked: Asked,
}

/// What a pane asked of the shell during one call.
#[derive(Debug, Default)]
pub(super) struct Asked {
    pub effects: Vec<Effect>,
    pub notice: Option<(String, bool)>,
    pub confirm: Option<Plan<Change>>,
    pub make_current: Option<Account>,
    pub report: Option<(String, Vec<String>)>,
    /// Ring the terminal bell (unless `ui.bell = false`): something the operator waits for
    /// happened.
    pub bell: bool,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        account: Option<String>,
        region: Option<String>,
        rows: usize,
        keymap: &'a Keymap,
        session_tag: &'a str,
        policy: Policy,
        next_request: &'a mut u64,
    ) -> Ctx<'a> {
        Ctx {
            account,
            region,
            scope: super::scope::Scope::Here,
            rows,
            keymap,
            session_tag,
            policy,
            next_request,
            asked: Asked::default(),
        }
    }

    /// End the loan; what the pane asked for, for the shell to apply.
    pub(super) fn finish(self) -> Asked {
        self.asked
    }

    /// The action a key triggers in the first of `scopes` that binds it (see [`Keymap::action_in`]).
    pub fn action(&self, scopes: &[Scope], key: &KeyEvent) -> Option<Action> {
        self.keymap.action_in(scopes, key)
    }

    /// A fresh request id; results tagged with an older one are stale.
    pub fn request(&mut self) -> RequestId {
        *self.next_request += 1;
        RequestId(*self.next_request)
    }

    /// Ask the runtime for work.
    pub fn run(&mut self, effect: Effect) {
        self.asked.effects.push(effect);
    }

    /// A one-line message in the status bar.
    pub fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.asked.notice = Some((text.into(), is_error));
    }

    /// A notice worth the operator's attention even when looking elsewhere (a watched execution
    /// ended): the status-bar message and the terminal bell.
    pub fn alert(&mut self, text: impl Into<String>, is_error: bool) {
        self.notify(text, is_error);
        self.asked.bell = true;
    }

    /// Propose a change to AWS: the shell checks read-only, shows the plan and asks for
    /// confirmation, then has the runtime execute and audit it.
    pub fn confirm(&mut self, plan: Plan<Change>) {
        self.asked.confirm = Some(plan);
    }

    /// Show lines to read in a scrollable box (e.g. every bad row of an input file).
    pub fn report(&mut self, title: impl Into<String>, lines: Vec<String>) {
        self.asked.report = Some((title.into(), lines));
    }

    /// Make an account the current one (the Accounts pane).
    pub fn make_current(&mut self, account: Account) {
        self.asked.make_current = Some(account);
    }
}

/// The behaviour the shell needs from a pane.
pub trait PaneState {
    /// The table that movement keys and `/` act on.
    fn table(&self) -> &TableView;
    fn table_mut(&mut self) -> &mut TableView;
    /// The rows of [`PaneState::table`], for the sort and the detail view; `None` for a view
    /// without columns (a graph, a summary).
    fn rows(&self) -> Option<Box<dyn Rows + '_>>;
    /// The fields of a view that is not a table (an execution's summary), for the detail view.
    fn view_fields(&self) -> Option<(String, Vec<(String, String)>)> {
        None
    }
    /// Recompute the visible rows after the filter changed.
    fn refilter(&mut self);
    /// Load what the pane shows if it is not loaded for `ctx.account` yet. Called after every key
    /// and whenever the current account may have changed, so it must be idempotent.
    fn ensure_loaded(&mut self, ctx: &mut Ctx);
    /// `r`: load again what is on screen.
    fn reload(&mut self, ctx: &mut Ctx);
    /// How the view on screen keeps itself current.
    fn live(&self) -> Live;
    /// Every `ui.refresh_secs` while [`PaneState::live`] is [`Live::Auto`]: re-read what is on
    /// screen in the background, keeping the rows and the selection until the answer comes;
    /// nothing when a re-read of the view is still in flight.
    fn refresh(&mut self, ctx: &mut Ctx);
    /// A change planned in this pane was confirmed and is running: show its visible effect now
    /// (a stopped execution ABORTED, a disabled user disabled), before AWS answers; the re-read
    /// when it ends ([`PaneState::changed`]) confirms it, or puts back what AWS holds. Panes
    /// whose changes show only once re-read leave the rows as they are.
    fn expect(&mut self, _plan: &Plan<Change>) {}
    /// A change planned in this pane finished: re-read, in the background, every view it may
    /// have changed (the one on screen now, the others when shown).
    fn changed(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }
    /// Pane actions: Enter, Back (once the filter is clear), Copy, Export, New, Edit, Delete, Watch,
    /// and the actions of the pane's own keymap scope.
    fn on_action(&mut self, action: Action, ctx: &mut Ctx);
    /// Whether the pane has a form or dialog open that takes the keyboard.
    fn captures_keys(&self) -> bool {
        false
    }
    /// Keys while [`PaneState::captures_keys`] says so (a form, a question, a viewer): the pane
    /// finds their action with [`Ctx::action`], and types the rest into the focused field.
    fn on_key(&mut self, _key: KeyEvent, _ctx: &mut Ctx) {}
    /// The text the operator wrote in the external editor the pane asked for
    /// ([`Effect::EditExternally`]).
    fn on_edited(&mut self, _text: String, _ctx: &mut Ctx) {}
    /// Something in flight (the spinner turns).
    fn is_busy(&self) -> bool;
    /// The region changed: everything loaded belongs to the old one.
    fn reset(&mut self);
    /// Where the rows of [`PaneState::table`] start below the tab bar, for mouse clicks: a title
    /// and the column headings in the usual view; `None` where the view draws something else
    /// above its table (clicks then select nothing).
    fn rows_top(&self) -> Option<u16> {
        Some(super::layout::TITLE_ROWS + super::layout::COLUMN_ROWS)
    }
    /// What the pane does with these actions now, for the status-bar hints (empty: not shown).
    fn hint(&self, action: Action) -> &'static str;
    /// The account a change `action` would act in, when it is not the current account (a record
    /// of another account's zone): read-only mode is checked for it before a form opens.
    fn change_account(&self, _action: Action) -> Option<String> {
        None
    }
}
