//! The generated scenarios: what can happen to the app (`Op`), the keys and gestures it presses,
//! and the two strategies (any input; the walk towards changes).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEventKind};
use proptest::prelude::*;

use opsdeck::config::keymap::{Action, Keymap};

use crate::keys::{bound_key, ch, ctrl, key, keys};

/// One thing that happens to the app.
#[derive(Clone)]
pub(crate) enum Op {
    Key(KeyEvent),
    /// A few keys in a row: a gesture such as `c` then `3` (a user action from the menu), or
    /// `0 g j j Enter` (make the third account current).
    Keys(Vec<KeyEvent>),
    /// `y` or the destructive plan's confirmation text, typed into an open dialog, then Enter.
    Confirm,
    /// A wrong answer typed into an open dialog, then Enter (which one: `variant`).
    WrongAnswer(u8),
    /// Type into the open form (Tenants or Workflows) values that are valid or not (per field,
    /// from the bits of the seed), moving with Tab, then Enter (mostly).
    Fill(u32),
    /// Do something the screen offers towards a change (the seed picks what): a pane key on
    /// Accounts and DNS; on Tenants and Workflows one of the actions whose status-bar hint is not
    /// empty (open, onboard, user actions, remove, delete, import, start, rerun, stop, back), a
    /// redrive, a user-menu entry, the forced-delete answer, or filling the open form.
    Act(u32),
    /// The services answer everything still unanswered, successfully and with rows, for up to
    /// three rounds (the answers' own follow-ups included). Whether it answered anything.
    Settle(u8),
    Resize(u16, u16),
    /// A mouse event (`ui.mouse = true`): wheel or click, anywhere on or off the screen.
    Mouse(MouseEventKind, u16, u16),
    Tick,
    /// Answer the unanswered effect at `pick` (modulo their number).
    Answer {
        pick: usize,
        answer: Answer,
    },
    /// Answer it again, though it was answered already (a duplicate, or a very late one).
    Replay {
        pick: usize,
        answer: Answer,
    },
    /// Answer it with a request id the app never issued.
    WrongId {
        pick: usize,
        answer: Answer,
    },
}

/// A key as the keymap writes it (`j`, `C-c`, `Enter`), so that a shrunk sequence reads as keys.
fn key_name(k: &KeyEvent) -> String {
    let name = match k.code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        format!("C-{name}")
    } else {
        name
    }
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Op::Key(k) => write!(f, "Key({})", key_name(k)),
            Op::Keys(keys) => {
                let names: Vec<String> = keys.iter().map(key_name).collect();
                write!(f, "Keys({})", names.join(" "))
            }
            Op::Confirm => write!(f, "Confirm"),
            Op::WrongAnswer(v) => write!(f, "WrongAnswer({v})"),
            Op::Fill(seed) => write!(f, "Fill({seed:#x})"),
            Op::Act(seed) => write!(f, "Act({seed:#x})"),
            Op::Settle(seed) => write!(f, "Settle({seed})"),
            Op::Resize(w, h) => write!(f, "Resize({w}, {h})"),
            Op::Mouse(kind, column, row) => write!(f, "Mouse({kind:?}, {column}, {row})"),
            Op::Tick => write!(f, "Tick"),
            Op::Answer { pick, answer } => write!(f, "Answer({pick}, {answer:?})"),
            Op::Replay { pick, answer } => write!(f, "Replay({pick}, {answer:?})"),
            Op::WrongId { pick, answer } => write!(f, "WrongId({pick}, {answer:?})"),
        }
    }
}

/// How a fake service answers: with data (its shape chosen by `variant`) or an error.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Answer {
    pub(crate) ok: bool,
    pub(crate) variant: u8,
}

/// Every key the default keymap binds, the panes' own letters and digits, and the editing keys.
fn every_key() -> Vec<KeyEvent> {
    let keymap = Keymap::default();
    let mut keys: Vec<KeyEvent> = Action::all()
        .flat_map(|a| keymap.keys_for(a).to_vec())
        .map(bound_key)
        .collect();
    keys.extend(
        ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .chain(" /:-_.*?@".chars())
            .map(ch),
    );
    keys.extend(
        [
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::F(1),
        ]
        .map(key),
    );
    keys.push(ctrl('c'));
    keys.push(ctrl('u'));
    keys
}

fn answer() -> impl Strategy<Value = Answer> {
    (prop::bool::weighted(0.8), any::<u8>()).prop_map(|(ok, variant)| Answer { ok, variant })
}

/// The keys the default keymap binds to an action (pane changes, movement, Enter, New, Delete...).
fn action_keys() -> Vec<KeyEvent> {
    let keymap = Keymap::default();
    Action::all()
        .flat_map(|a| keymap.keys_for(a).to_vec())
        .map(bound_key)
        .collect()
}

fn mouse_kind() -> impl Strategy<Value = MouseEventKind> {
    prop_oneof![
        Just(MouseEventKind::ScrollDown),
        Just(MouseEventKind::ScrollUp),
        Just(MouseEventKind::Down(MouseButton::Left)),
        Just(MouseEventKind::Up(MouseButton::Left)),
        Just(MouseEventKind::Moved),
    ]
}

fn op(keys: Vec<KeyEvent>) -> impl Strategy<Value = Op> {
    let side = prop_oneof![3 => 0u16..=3, 2 => 4u16..40, 2 => 40u16..=200];
    prop_oneof![
        // Bound keys more often than any key: reaching a dialog takes a walk through the panes.
        6 => prop::sample::select(action_keys()).prop_map(Op::Key),
        5 => prop::sample::select(keys).prop_map(Op::Key),
        3 => Just(Op::Confirm),
        1 => (side.clone(), side).prop_map(|(w, h)| Op::Resize(w, h.min(80))),
        1 => (mouse_kind(), 0u16..120, 0u16..40).prop_map(|(k, c, r)| Op::Mouse(k, c, r)),
        1 => Just(Op::Tick),
        8 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::Answer { pick, answer }),
        1 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::Replay { pick, answer }),
        1 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::WrongId { pick, answer }),
    ]
}

#[derive(Debug, Clone)]
pub(crate) struct Scenario {
    pub(crate) read_only: bool,
    /// Which of the listed accounts the account list marks read-only (bit i: account i).
    pub(crate) read_only_accounts: u8,
    /// Which of them the config marks read-only (`Session::read_only_accounts`, known before
    /// the account list is).
    pub(crate) config_read_only: u8,
    /// `Op::Settle` leaves the account list unanswered (only `Op::Answer` answers it): changes
    /// are planned before the app knows which accounts are read-only.
    pub(crate) late_accounts: bool,
    /// `Op::Settle` answers the Tenants pane's plans only while a dialog is open (a slow planner
    /// whose answer comes while the operator answers another change).
    pub(crate) slow_planner: bool,
    pub(crate) ops: Vec<Op>,
}

pub(crate) fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::bool::weighted(0.3),
        any::<u8>(),
        prop::collection::vec(op(every_key()), 1..200),
    )
        .prop_map(|(read_only, read_only_accounts, ops)| Scenario {
            read_only,
            read_only_accounts,
            config_read_only: 0,
            late_accounts: false,
            slow_planner: false,
            ops,
        })
}

/// The gestures of the walk towards changes: pane keys, movement, the keys that open forms,
/// menus and plans (`n` onboard/start/rerun, `c` user actions/rerun, `d` delete/remove/stop,
/// `w` import, `x` redrive, `f` force), the user menu's digits, and Esc.
fn gestures() -> Vec<Vec<KeyEvent>> {
    let mut gestures: Vec<Vec<KeyEvent>> = "0133nnccddwxjjkGr!RF"
        .chars()
        .map(|c| vec![ch(c)])
        .collect();
    gestures.extend(["<Enter>", "<Enter>", "<Esc>", "<Right>"].map(keys));
    // A user action from the menu: change role, remove, remove and delete, disable/enable,
    // reset password, resend the invitation.
    gestures.extend(('1'..='6').map(|d| vec![ch('c'), ch(d)]));
    // Delete a tenant that has users: force it, or answer no.
    gestures.push(keys("df"));
    gestures.push(keys("dn"));
    // Open the selected row and come back.
    gestures.push(keys("<Enter><Esc>"));
    // Make another account current (some are read-only), then go to a pane that changes AWS.
    for i in 0..4 {
        let pane = if i % 2 == 0 { '1' } else { '3' };
        gestures.push(keys(&format!("0g{}<Enter>{pane}", "j".repeat(i))));
    }
    gestures
}

/// The walk towards changes: mostly what the screen offers (`Op::Act`), answers that fill the
/// panes, gestures, form filling and dialog answers (right, wrong, Esc); any key and any answer
/// (errors, replays, wrong ids) and resizes still mixed in.
fn focused_op() -> impl Strategy<Value = Op> {
    let side = prop_oneof![1 => 0u16..=3, 2 => 4u16..40, 3 => 40u16..=160];
    prop_oneof![
        14 => any::<u32>().prop_map(Op::Act),
        6 => prop::sample::select(gestures()).prop_map(Op::Keys),
        2 => prop::sample::select(every_key()).prop_map(Op::Key),
        3 => any::<u32>().prop_map(Op::Fill),
        10 => any::<u8>().prop_map(Op::Settle),
        5 => Just(Op::Confirm),
        3 => any::<u8>().prop_map(Op::WrongAnswer),
        3 => Just(Op::Key(key(KeyCode::Esc))),
        1 => (side.clone(), side).prop_map(|(w, h)| Op::Resize(w, h.min(60))),
        1 => Just(Op::Tick),
        3 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::Answer { pick, answer }),
        1 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::Replay { pick, answer }),
        1 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::WrongId { pick, answer }),
    ]
}

pub(crate) fn focused_scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::bool::weighted(0.2),
        // Each listed account read-only with a chance of 1 in 8.
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| a & b & c),
        // Sometimes one account is read-only in the config (known before the account list).
        prop_oneof![5 => Just(0u8), 1 => (0u8..4).prop_map(|i| 1 << i)],
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.15),
        prop::collection::vec(focused_op(), 1..180),
    )
        .prop_map(
            |(
                read_only,
                read_only_accounts,
                config_read_only,
                late_accounts,
                slow_planner,
                ops,
            )| Scenario {
                read_only,
                // With late accounts the caller's own account, where the first plans are made,
                // is read-only, and the list that says so arrives only once a dialog is open.
                read_only_accounts: read_only_accounts | u8::from(late_accounts),
                config_read_only,
                late_accounts,
                slow_planner,
                ops,
            },
        )
}
