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

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use opsdeck::app::dns::{DnsEffect, DnsMsg};
use opsdeck::app::tenants::{TenancySettings, TenantsEffect, TenantsMsg};
use opsdeck::app::workflows::{WorkflowsEffect, WorkflowsMsg};
use opsdeck::app::{Effect, Mode, Msg, Mutation, Pane, RequestId, Session, State, update};
use opsdeck::config::keymap::{Action, Keymap};
use opsdeck::domain::account::{
    Access, AccessVia, Account, AccountList, AccountSource, CallerIdentity,
};
use opsdeck::domain::dns::{AccountStatus, HostedZone, InventoryEvent, ZoneDetail};
use opsdeck::domain::plan::{Danger, Pace, Plan, Step};
use opsdeck::domain::tenancy::plan::{
    CognitoCall, CognitoOp, Intent, PoolFacts, Target, plan_intent,
};
use opsdeck::domain::tenancy::users::{Counts, Tenancy, User, UserDetail};
use opsdeck::domain::tenancy::{Group, GroupPattern, UserPool};
use opsdeck::domain::workflows::watch::Fetched;
use opsdeck::domain::workflows::{
    Execution, ExecutionDetail, ExecutionPage, ExecutionStatus, MachineDefinition, MachineType,
    StateMachine,
};
use opsdeck::mutation::confirmation_matches;
use opsdeck::services::{ErrorKind, ServiceError};
use opsdeck::ui::render;
use opsdeck::ui::theme::Theme;

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

/// One thing that happens to the app.
#[derive(Clone)]
enum Op {
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
            Op::Tick => write!(f, "Tick"),
            Op::Answer { pick, answer } => write!(f, "Answer({pick}, {answer:?})"),
            Op::Replay { pick, answer } => write!(f, "Replay({pick}, {answer:?})"),
            Op::WrongId { pick, answer } => write!(f, "WrongId({pick}, {answer:?})"),
        }
    }
}

/// How a fake service answers: with data (its shape chosen by `variant`) or an error.
#[derive(Debug, Clone, Copy)]
struct Answer {
    ok: bool,
    variant: u8,
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// Every key the default keymap binds, the panes' own letters and digits, and the editing keys.
fn keys() -> Vec<KeyEvent> {
    let keymap = Keymap::default();
    let mut keys: Vec<KeyEvent> = Action::all()
        .flat_map(|a| keymap.keys_for(a).to_vec())
        .map(|b| KeyEvent::new(b.code, b.modifiers))
        .collect();
    keys.extend(
        ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .chain(" /:-_.*?@".chars())
            .map(|c| key(KeyCode::Char(c))),
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
    keys.push(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    keys.push(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
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
        .map(|b| KeyEvent::new(b.code, b.modifiers))
        .collect()
}

fn op(keys: Vec<KeyEvent>) -> impl Strategy<Value = Op> {
    let side = prop_oneof![3 => 0u16..=3, 2 => 4u16..40, 2 => 40u16..=200];
    prop_oneof![
        // Bound keys more often than any key: reaching a dialog takes a walk through the panes.
        6 => prop::sample::select(action_keys()).prop_map(Op::Key),
        5 => prop::sample::select(keys).prop_map(Op::Key),
        3 => Just(Op::Confirm),
        1 => (side.clone(), side).prop_map(|(w, h)| Op::Resize(w, h.min(80))),
        1 => Just(Op::Tick),
        8 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::Answer { pick, answer }),
        1 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::Replay { pick, answer }),
        1 => (any::<usize>(), answer()).prop_map(|(pick, answer)| Op::WrongId { pick, answer }),
    ]
}

#[derive(Debug, Clone)]
struct Scenario {
    read_only: bool,
    /// Which of the listed accounts the account list marks read-only (bit i: account i).
    read_only_accounts: u8,
    /// Which of them the config marks read-only (`Session::read_only_accounts`, known before
    /// the account list is).
    config_read_only: u8,
    /// `Op::Settle` leaves the account list unanswered (only `Op::Answer` answers it): changes
    /// are planned before the app knows which accounts are read-only.
    late_accounts: bool,
    /// `Op::Settle` answers the Tenants pane's plans only while a dialog is open (a slow planner
    /// whose answer comes while the operator answers another change).
    slow_planner: bool,
    ops: Vec<Op>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::bool::weighted(0.3),
        any::<u8>(),
        prop::collection::vec(op(keys()), 1..200),
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
    gestures.extend(
        [KeyCode::Enter, KeyCode::Enter, KeyCode::Esc, KeyCode::Right].map(|k| vec![key(k)]),
    );
    // A user action from the menu: change role, remove, remove and delete, disable/enable,
    // reset password, resend the invitation.
    gestures.extend(('1'..='6').map(|d| vec![ch('c'), ch(d)]));
    // Delete a tenant that has users: force it, or answer no.
    gestures.push(vec![ch('d'), ch('f')]);
    gestures.push(vec![ch('d'), ch('n')]);
    // Open the selected row and come back.
    gestures.push(vec![key(KeyCode::Enter), key(KeyCode::Esc)]);
    // Make another account current (some are read-only), then go to a pane that changes AWS.
    for i in 0..4 {
        let mut keys = vec![ch('0'), ch('g')];
        keys.extend(std::iter::repeat_n(ch('j'), i));
        keys.push(key(KeyCode::Enter));
        keys.push(ch(if i % 2 == 0 { '1' } else { '3' }));
        gestures.push(keys);
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
        2 => prop::sample::select(keys()).prop_map(Op::Key),
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

fn focused_scenario() -> impl Strategy<Value = Scenario> {
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

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

const ME: &str = "111111111111";

fn error(variant: u8) -> ServiceError {
    let (kind, code) = match variant % 5 {
        0 => (ErrorKind::Denied, "AccessDenied"),
        1 => (ErrorKind::Throttled, "ThrottlingException"),
        2 => (ErrorKind::NotFound, "ResourceNotFoundException"),
        3 => (ErrorKind::Unavailable, "ServiceUnavailable"),
        _ => (ErrorKind::Network, "dispatch failure"),
    };
    ServiceError::new(kind, Some(code.into()), format!("fake {code}"))
}

fn me() -> CallerIdentity {
    CallerIdentity {
        account_id: ME.into(),
        arn: format!("arn:aws:sts::{ME}:assumed-role/Admin/alice"),
        user_id: "AROA:alice".into(),
    }
}

fn accounts(variant: u8, read_only_bits: u8) -> Vec<Account> {
    // Sometimes none: an empty table must have no selection.
    let n = usize::from(variant % 5);
    (0..n)
        .map(|i| Account {
            id: format!("{}", 111_111_111_111u64 * (i as u64 + 1)),
            name: format!("acct-{i}"),
            email: format!("aws+{i}@example.com"),
            status: "ACTIVE".into(),
            read_only: read_only_bits & (1 << i) != 0,
        })
        .collect()
}

fn user(i: usize) -> User {
    User {
        username: format!("user-{i}"),
        email: format!("user-{i}@example.com"),
        status: "CONFIRMED".into(),
        enabled: !i.is_multiple_of(3),
        created: Some(at()),
        modified: None,
        attributes: vec![("custom:tenant".into(), "acme".into())],
    }
}

fn count(variant: u8, n: u8) -> usize {
    usize::from(variant % n)
}

/// The message a fake service sends back for `effect`, its request id replaced by `wrong` when
/// given; `None` for effects that are answered only by the runtime itself (suspend, region).
fn respond(
    effect: &Effect,
    answer: Answer,
    wrong: Option<RequestId>,
    read_only_bits: u8,
) -> Vec<Msg> {
    let Answer { ok, variant } = answer;
    let id = |request: &RequestId| wrong.unwrap_or(*request);
    let fail = || error(variant);
    match effect {
        Effect::LoadIdentity { request } => vec![Msg::Identity {
            request: id(request),
            result: if ok { Ok(me()) } else { Err(fail()) },
            at: at(),
        }],
        Effect::LoadAccounts { request } => vec![Msg::Accounts {
            request: id(request),
            result: if ok {
                Ok(AccountList {
                    accounts: accounts(variant, read_only_bits),
                    source: AccountSource::Organizations,
                })
            } else {
                Err(fail())
            },
            at: at(),
        }],
        Effect::CheckAccess {
            list_request,
            account_id,
        } => vec![Msg::Access {
            list_request: id(list_request),
            account_id: account_id.clone(),
            result: if ok {
                Ok(Access {
                    identity: me(),
                    via: AccessVia::AssumedRole,
                })
            } else {
                Err(fail())
            },
        }],
        Effect::Tenants(effect) => respond_tenants(effect, answer, wrong)
            .map(Msg::Tenants)
            .into_iter()
            .collect(),
        Effect::Dns(effect) => respond_dns(effect, answer, wrong)
            .into_iter()
            .map(Msg::Dns)
            .collect(),
        Effect::Workflows(effect) => respond_workflows(effect, answer, wrong)
            .map(Msg::Workflows)
            .into_iter()
            .collect(),
        Effect::Execute(approved) => {
            let plan = approved.plan();
            let total = plan.steps.len();
            vec![
                Msg::Progress {
                    title: plan.title.clone(),
                    done: total / 2,
                    total,
                },
                Msg::Executed {
                    title: plan.title.clone(),
                    result: if ok {
                        Ok(())
                    } else {
                        Err("AccessDenied".into())
                    },
                    steps: plan.steps.iter().map(|s| s.summary.clone()).collect(),
                },
            ]
        }
        Effect::Copy { .. } => vec![Msg::Copied {
            what: "row".into(),
            result: if ok {
                Ok(())
            } else {
                Err("no clipboard".into())
            },
        }],
        Effect::Export { .. } | Effect::ExportJson { .. } => vec![Msg::Exported {
            result: if ok {
                Ok("/tmp/export.csv".into())
            } else {
                Err("read-only file system".into())
            },
        }],
        Effect::EditExternally { pane, text } => vec![Msg::Edited {
            pane: *pane,
            result: if ok {
                Ok(if variant.is_multiple_of(2) {
                    text.clone()
                } else {
                    format!("{text}\n{{ \"edited\": [1, 2")
                })
            } else {
                Err("no editor".into())
            },
        }],
        Effect::SwitchRegion { .. } | Effect::Suspend => Vec::new(),
    }
}

fn respond_tenants(
    effect: &TenantsEffect,
    answer: Answer,
    wrong: Option<RequestId>,
) -> Option<TenantsMsg> {
    let Answer { ok, variant } = answer;
    let id = |request: &RequestId| wrong.unwrap_or(*request);
    let fail = || error(variant);
    Some(match effect {
        TenantsEffect::LoadPools { request, .. } => TenantsMsg::Pools {
            request: id(request),
            result: if ok {
                Ok((0..count(variant, 4))
                    .map(|i| UserPool {
                        id: format!("eu-west-1_pool{i}"),
                        name: format!("pool-{i}"),
                    })
                    .collect())
            } else {
                Err(fail())
            },
            at: at(),
        },
        TenantsEffect::LoadGroups { request, .. } => TenantsMsg::Groups {
            request: id(request),
            result: if ok {
                let tenants = ["acme", "globex", "initech"];
                let roles = ["admin", "member", "readonly"];
                Ok(tenants
                    .iter()
                    .take(count(variant, 4))
                    .flat_map(|t| roles.iter().map(move |r| (t, r)))
                    .map(|(t, r)| Group {
                        name: format!("{t}:{r}"),
                        description: format!("{t} {r}s"),
                        precedence: None,
                    })
                    .chain(variant.is_multiple_of(2).then(|| Group {
                        name: "stray-group".into(),
                        description: String::new(),
                        precedence: Some(1),
                    }))
                    .collect())
            } else {
                Err(fail())
            },
            at: at(),
        },
        TenantsEffect::CountTenant {
            request, tenant, ..
        } => TenantsMsg::Counted {
            request: id(request),
            tenant: tenant.id.clone(),
            result: if ok {
                Ok(Counts {
                    users: count(variant, 7),
                    roles: [("admin".to_owned(), 1)].into(),
                })
            } else {
                Err(fail())
            },
        },
        TenantsEffect::ScanTenants { request, .. } => {
            if ok && variant.is_multiple_of(2) {
                TenantsMsg::ScanProgress {
                    request: id(request),
                    users: usize::from(variant),
                }
            } else {
                // A scan's result is the adapter's; here it only ever fails.
                TenantsMsg::Scanned {
                    request: id(request),
                    result: Err(fail()),
                    at: at(),
                }
            }
        }
        TenantsEffect::LoadMembers { request, .. } => TenantsMsg::Members {
            request: id(request),
            result: if ok {
                Ok(vec![
                    ("admin".into(), (0..count(variant, 3)).map(user).collect()),
                    (
                        "member".into(),
                        (3..3 + count(variant, 5)).map(user).collect(),
                    ),
                ])
            } else {
                Err(fail())
            },
            at: at(),
        },
        TenantsEffect::LoadUser {
            request, username, ..
        } => TenantsMsg::User {
            request: id(request),
            result: match (ok, variant % 3) {
                (false, _) => Err(fail()),
                (true, 0) => Ok(None),
                (true, _) => Ok(Some(UserDetail {
                    user: User {
                        username: username.clone(),
                        ..user(1)
                    },
                    mfa: vec!["SOFTWARE_TOKEN_MFA".into()],
                    preferred_mfa: None,
                    groups: vec!["acme:admin".into()],
                })),
            },
            at: at(),
        },
        TenantsEffect::SearchUsers { request, .. } => TenantsMsg::Found {
            request: id(request),
            result: if ok {
                Ok((0..count(variant, 6)).map(user).collect())
            } else {
                Err(fail())
            },
            done: !variant.is_multiple_of(3),
            at: at(),
        },
        TenantsEffect::PlanImport {
            request,
            tenancy,
            target,
            tenant,
            path,
        } => match (ok, variant % 8) {
            (false, v) if v % 2 == 0 => TenantsMsg::ImportRejected {
                request: id(request),
                file: path.clone(),
                errors: vec!["line 2: email is not an email address".into()],
            },
            (false, _) => TenantsMsg::Planned {
                request: id(request),
                result: Err(format!("cannot read {path}: No such file or directory")),
                nothing: String::new(),
            },
            (true, v) => TenantsMsg::Planned {
                request: id(request),
                result: if v == 0 {
                    Ok(None)
                } else {
                    import_plan(tenancy, target, tenant, variant)
                },
                nothing: "every row is already in the tenant with its role: nothing to do".into(),
            },
        },
        TenantsEffect::Plan {
            request,
            tenancy,
            target,
            intent,
        } => TenantsMsg::Planned {
            request: id(request),
            result: match (ok, variant % 8) {
                (false, _) => Err("AccessDenied: cannot read the pool".into()),
                (true, 0) => Ok(None),
                // A planner that answers with some other plan: the app shows what it is given.
                (true, 1) => Ok(Some(other_plan(variant))),
                // What the runtime does: read the pool (here: a fake one), then the real planner.
                (true, _) => plan_intent(
                    tenancy,
                    target,
                    &pool_facts(),
                    intent,
                    pool_user(intent, &tenancy.roles, variant).as_ref(),
                    // Mostly no users: a tenant deletion without `--force` is planned.
                    usize::from(variant % 5 == 4),
                ),
            },
            nothing: intent.nothing_to_do(),
        },
    })
}

/// A plan for something else than was asked (a tenant deletion in the caller's account), normal or
/// destructive.
fn other_plan(variant: u8) -> Plan<CognitoCall> {
    let steps = (0..1 + count(variant, 3))
        .map(|i| Step {
            service: "cognito-idp",
            operation: "DeleteGroup",
            target: format!("acme:role{i}"),
            summary: format!("delete group acme:role{i}"),
            pace: Pace::Free,
            action: CognitoCall {
                account_id: ME.into(),
                pool_id: "eu-west-1_pool0".into(),
                op: CognitoOp::DeleteGroup {
                    group: format!("acme:role{i}"),
                },
            },
        })
        .collect();
    Plan {
        title: "Delete tenant acme".into(),
        account_id: ME.into(),
        region: "eu-west-1".into(),
        steps,
        danger: if variant.is_multiple_of(2) {
            Danger::Normal
        } else {
            Danger::Destructive {
                confirm_text: "acme".into(),
            }
        },
    }
}

/// The tenants of the fake pool: the ones `LoadGroups` lists, each with every role group.
const TENANTS: [&str; 3] = ["acme", "globex", "initech"];

fn pool_facts() -> PoolFacts {
    PoolFacts {
        groups: TENANTS
            .iter()
            .flat_map(|t| ["admin", "member", "readonly"].map(|r| format!("{t}:{r}")))
            .collect(),
        defines_attribute: true,
    }
}

/// The user an intent names, as the planner reads it from the fake pool: in the intent's tenant
/// with some role (and sometimes in another tenant too), confirmed with a verified email or
/// still waiting for a first sign-in, enabled or not as the intent needs; `None` (no such user)
/// for a new onboarding's email now and then.
fn pool_user(intent: &Intent, roles: &[String], variant: u8) -> Option<UserDetail> {
    let username = intent.user()?.to_owned();
    let tenant = match intent {
        Intent::OnboardUser { tenant, .. }
        | Intent::SetRole { tenant, .. }
        | Intent::Remove { tenant, .. } => tenant.clone(),
        _ => "acme".to_owned(),
    };
    let onboarding = matches!(
        intent,
        Intent::OnboardTenant { .. } | Intent::OnboardUser { .. }
    );
    if onboarding && variant % 4 != 1 {
        return None;
    }
    let mut groups = Vec::new();
    if !onboarding {
        let role = &roles[usize::from(variant / 8) % roles.len()];
        groups.push(format!("{tenant}:{role}"));
    }
    if variant & 0x40 != 0 {
        groups.push("globex:member".into());
    }
    let status = match intent {
        Intent::ResendInvitation { .. } if variant & 0x20 == 0 => "FORCE_CHANGE_PASSWORD",
        Intent::ResendInvitation { .. } => "CONFIRMED",
        _ if variant & 0x30 == 0x30 => "FORCE_CHANGE_PASSWORD",
        _ => "CONFIRMED",
    };
    let enabled = match intent {
        Intent::SetEnabled { enabled, .. } => !enabled || variant & 0x80 != 0,
        _ => true,
    };
    Some(UserDetail {
        user: User {
            username: username.clone(),
            email: if username.contains('@') {
                username.clone()
            } else {
                format!("{username}@example.com")
            },
            status: status.into(),
            enabled,
            created: Some(at()),
            modified: None,
            attributes: vec![("email_verified".into(), "true".into())],
        },
        mfa: Vec::new(),
        preferred_mfa: None,
        groups,
    })
}

/// A bulk import of one to three new users, planned as the runtime does (the onboarding calls of
/// each row, one plan, normal danger).
fn import_plan(
    tenancy: &Tenancy,
    target: &Target,
    tenant: &str,
    variant: u8,
) -> Result<Option<Plan<CognitoCall>>, String> {
    let rows = 1 + count(variant, 3);
    let mut steps = Vec::new();
    for i in 0..rows {
        let intent = Intent::OnboardUser {
            tenant: tenant.to_owned(),
            email: format!("new-{i}@example.com"),
            role: tenancy.roles[i % tenancy.roles.len()].clone(),
        };
        if let Some(plan) = plan_intent(tenancy, target, &pool_facts(), &intent, None, 0)? {
            steps.extend(plan.steps);
        }
    }
    Ok((!steps.is_empty()).then(|| Plan {
        title: format!("Import {rows} user(s) into tenant {tenant}"),
        account_id: target.account_id.clone(),
        region: target.region.clone(),
        steps,
        danger: Danger::Normal,
    }))
}

fn zone(i: usize) -> HostedZone {
    HostedZone {
        id: format!("Z{i:05}"),
        name: format!("t{i}.example.com."),
        private: i % 2 == 1,
        record_count: 2 + i as i64,
        comment: String::new(),
    }
}

/// DNS answers. An inventory request is answered with its account list first; answering it
/// again sends one inventory event, with indices inside what that list could hold.
fn respond_dns(effect: &DnsEffect, answer: Answer, wrong: Option<RequestId>) -> Vec<DnsMsg> {
    let Answer { ok, variant } = answer;
    let id = |request: &RequestId| wrong.unwrap_or(*request);
    match effect {
        DnsEffect::LoadZones { request, .. } => vec![DnsMsg::Zones {
            request: id(request),
            result: if ok {
                Ok((0..count(variant, 5)).map(zone).collect())
            } else {
                Err(error(variant))
            },
            at: at(),
        }],
        DnsEffect::LoadInventory { request } => {
            let request = id(request);
            let listed = accounts(4, 0);
            let mut msgs = vec![DnsMsg::OrgAccounts {
                request,
                result: if ok {
                    Ok(listed.clone())
                } else {
                    Err(error(variant))
                },
                at: at(),
            }];
            if ok {
                // The events of a whole fetch, some accounts cut short by `variant`.
                for (account, _) in listed.iter().enumerate() {
                    let mut events = vec![InventoryEvent::Started { account }];
                    let zones = count(variant.rotate_left(account as u32), 3);
                    events.push(InventoryEvent::Zones {
                        account,
                        zones: (0..zones)
                            .map(|z| ZoneDetail {
                                zone: zone(z),
                                vpcs: Vec::new(),
                            })
                            .collect(),
                    });
                    for z in 0..zones {
                        events.push(InventoryEvent::Records {
                            account,
                            zone: z,
                            records: Vec::new(),
                        });
                        events.push(if (variant >> z) & 1 == 0 {
                            InventoryEvent::ZoneDone { account, zone: z }
                        } else {
                            InventoryEvent::ZoneFailed {
                                account,
                                zone: z,
                                error: "Throttling".into(),
                            }
                        });
                    }
                    if (variant >> account) & 2 == 0 {
                        events.push(InventoryEvent::Finished {
                            account,
                            status: if account == 1 {
                                AccountStatus::Denied("AccessDenied".into())
                            } else {
                                AccountStatus::Ok
                            },
                        });
                    }
                    msgs.extend(events.into_iter().map(|event| DnsMsg::Inventory {
                        request,
                        event,
                        at: at(),
                    }));
                }
            }
            msgs
        }
    }
}

/// A state machine of `account`: ARNs name the account they were listed in, as AWS's do (the
/// executor acts in the ARN's account).
fn machine(account: &str, i: usize) -> StateMachine {
    StateMachine {
        arn: format!("arn:aws:states:eu-west-1:{account}:stateMachine:m{i}"),
        name: format!("m{i}"),
        kind: if i == 2 {
            MachineType::Express
        } else {
            MachineType::Standard
        },
        created: Some(at()),
    }
}

fn page(machine_arn: &str, variant: u8) -> ExecutionPage {
    let statuses = [
        ExecutionStatus::Running,
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted,
    ];
    ExecutionPage {
        executions: (0..count(variant, 6))
            .map(|i| execution(machine_arn, i, statuses[i % statuses.len()]))
            .collect(),
        next_token: variant.is_multiple_of(3).then(|| "token".into()),
    }
}

fn execution(machine_arn: &str, i: usize, status: ExecutionStatus) -> Execution {
    Execution {
        arn: format!(
            "{}:e{i}",
            machine_arn.replace(":stateMachine:", ":execution:")
        ),
        name: format!("e{i}"),
        machine_arn: machine_arn.into(),
        status,
        started: at(),
        stopped: None,
    }
}

fn respond_workflows(
    effect: &WorkflowsEffect,
    answer: Answer,
    wrong: Option<RequestId>,
) -> Option<WorkflowsMsg> {
    let Answer { ok, variant } = answer;
    let id = |request: &RequestId| wrong.unwrap_or(*request);
    let fail = || error(variant);
    Some(match effect {
        WorkflowsEffect::LoadMachines {
            request,
            account_id,
        } => WorkflowsMsg::Machines {
            request: id(request),
            result: if ok {
                Ok((0..count(variant, 5))
                    .map(|i| machine(account_id, i))
                    .collect())
            } else {
                Err(fail())
            },
            at: at(),
        },
        WorkflowsEffect::LoadCounts { machine_arn, .. } => WorkflowsMsg::Counts {
            machine_arn: machine_arn.clone(),
            result: if ok {
                Ok(page(machine_arn, variant))
            } else {
                Err(fail())
            },
        },
        WorkflowsEffect::LoadExecutions {
            request,
            machine_arn,
            ..
        } => WorkflowsMsg::Executions {
            request: id(request),
            result: if ok {
                Ok(page(machine_arn, variant))
            } else {
                Err(fail())
            },
            at: at(),
        },
        WorkflowsEffect::LoadExecution { request, arn, .. } => WorkflowsMsg::Execution {
            request: id(request),
            result: if ok {
                // arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME
                let parts: Vec<&str> = arn.split(':').collect();
                let machine_arn = format!(
                    "arn:aws:states:eu-west-1:{}:stateMachine:{}",
                    parts.get(4).unwrap_or(&ME),
                    parts.get(6).unwrap_or(&"m0")
                );
                let status = if variant.is_multiple_of(2) {
                    ExecutionStatus::Running
                } else {
                    ExecutionStatus::Failed
                };
                Ok(ExecutionDetail {
                    execution: Execution {
                        arn: arn.clone(),
                        ..execution(&machine_arn, 0, status)
                    },
                    input: Some("{\"tenant\": \"acme\"}".into()),
                    output: None,
                    error: (variant % 2 == 1).then(|| "States.TaskFailed".into()),
                    cause: (variant % 2 == 1).then(|| "boom".into()),
                    machine_version_arn: None,
                    redrive_count: 0,
                })
            } else {
                Err(fail())
            },
            at: at(),
        },
        WorkflowsEffect::LoadDefinition {
            request,
            machine_arn,
            ..
        } => WorkflowsMsg::Definition {
            request: id(request),
            result: if ok {
                Ok(MachineDefinition {
                    arn: machine_arn.clone(),
                    name: "m0".into(),
                    kind: MachineType::Standard,
                    definition: if variant.is_multiple_of(2) {
                        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#.into()
                    } else {
                        "not json {".into()
                    },
                    revision_id: None,
                })
            } else {
                Err(fail())
            },
            at: at(),
        },
        WorkflowsEffect::PollHistory { request, .. } => WorkflowsMsg::History {
            request: id(request),
            result: if ok {
                Ok(Fetched {
                    events: Vec::new(),
                    requests: 1,
                    received: 0,
                })
            } else {
                Err(fail())
            },
            at: at(),
        },
    })
}

fn tenancy() -> TenancySettings {
    TenancySettings {
        pool_id: None,
        pattern: GroupPattern::parse("{tenant}:{role}").unwrap(),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
    }
}

/// What a plan changes, from its title (the planners' own words), for the counts.
fn kind(title: &str) -> &'static str {
    let starts = |p: &str| title.starts_with(p);
    if starts("Onboard tenant ") {
        "onboard tenant"
    } else if starts("Onboard ") {
        "onboard user"
    } else if starts("Make ") {
        "set role"
    } else if starts("Remove ") && title.ends_with("and delete the user") {
        "remove+delete user"
    } else if starts("Remove ") {
        "remove user"
    } else if starts("Disable ") {
        "disable user"
    } else if starts("Enable ") {
        "enable user"
    } else if starts("Reset the password") {
        "reset password"
    } else if starts("Resend the invitation") {
        "resend invitation"
    } else if starts("Delete tenant ") {
        "delete tenant"
    } else if starts("Import ") {
        "import"
    } else if starts("Start execution ") && title.contains("-rerun-") {
        "rerun"
    } else if starts("Start execution ") {
        "start"
    } else if starts("Stop execution ") {
        "stop"
    } else if starts("Redrive execution ") {
        "redrive"
    } else {
        "other"
    }
}

/// The pane a plan belongs to, from its calls.
fn plan_pane(plan: &Plan<Mutation>) -> Option<Pane> {
    plan.steps.first().map(|step| match step.action {
        Mutation::Tenants(_) => Pane::Tenants,
        Mutation::Workflows(_) => Pane::Workflows,
    })
}

fn effect_pane(effect: &Effect) -> Option<Pane> {
    match effect {
        Effect::Tenants(_) => Some(Pane::Tenants),
        Effect::Workflows(_) => Some(Pane::Workflows),
        Effect::Dns(_) => Some(Pane::Dns),
        _ => None,
    }
}

/// The account a call acts in: the Cognito call's, or the account in the Step Functions ARN
/// (where the executor sends it).
fn call_account(action: &Mutation) -> &str {
    match action {
        Mutation::Tenants(call) => &call.account_id,
        Mutation::Workflows(change) => change.account_id(),
    }
}

/// Which change `msg` is about to propose, if any: a plan arriving for the Tenants pane, or a key
/// that proposes a Step Functions change at once (start, rerun, stop, redrive).
fn proposal(state: &State, msg: &Msg) -> Option<&'static str> {
    match msg {
        Msg::Tenants(TenantsMsg::Planned {
            result: Ok(Some(plan)),
            ..
        }) => Some(kind(&plan.title)),
        Msg::Key(k) if state.mode == Mode::Normal && state.pane == Pane::Workflows => {
            let w = &state.workflows;
            match k.code {
                KeyCode::Enter if w.form.is_some() => Some(
                    if w.form
                        .as_ref()
                        .is_some_and(|f| f.fields[0].input.value().contains("-rerun-"))
                    {
                        "rerun"
                    } else {
                        "start"
                    },
                ),
                KeyCode::Enter if w.stop.is_some() => Some("stop"),
                KeyCode::Char('x')
                    if w.detail.is_some() && w.form.is_none() && w.stop.is_none() =>
                {
                    Some("redrive")
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Keys that replace what `input` holds with `text`.
fn retype(input: &str, text: &str) -> Vec<KeyEvent> {
    let mut keys = vec![key(KeyCode::End)];
    keys.extend(std::iter::repeat_n(
        key(KeyCode::Backspace),
        input.chars().count(),
    ));
    keys.extend(text.chars().map(ch));
    keys
}

/// The keys of `Op::Fill`: for each field of the open form, a value that is valid or not (three
/// bits of the seed per field, one in eight invalid), Tab to the next; then Enter, or (one in
/// eight) nothing. Nothing when no form is open.
fn fill(state: &State, seed: u32) -> Vec<KeyEvent> {
    let bits = |field: usize| (seed >> (3 * field)) & 7;
    let n = (seed >> 12) & 0xff;
    let mut keys = Vec::new();
    if state.mode != Mode::Normal {
        return keys;
    }
    match state.pane {
        Pane::Tenants => {
            let Some(form) = state.tenants.form.as_ref() else {
                return keys;
            };
            let count = form.fields.len();
            for step in 0..count {
                let i = (form.focus + step) % count;
                let field = &form.fields[i];
                if !field.choices.is_empty() {
                    // A role (or the search's match): move by 0-2.
                    keys.extend(std::iter::repeat_n(
                        key(KeyCode::Right),
                        bits(i) as usize % 3,
                    ));
                } else {
                    let good = bits(i) != 0;
                    let text = match (field.label, good) {
                        ("tenant id", true) => match n % 4 {
                            0 => "acme".to_owned(), // exists: the form says so
                            _ => format!("t{}", n % 50),
                        },
                        ("tenant id", false) => ["bad:id", "two words", ""][n as usize % 3].into(),
                        ("display name", true) => format!("Tenant {n}"),
                        ("display name", false) => "tab\there".into(),
                        ("admin email" | "email", true) => format!("ops{}@example.com", n % 20),
                        ("admin email" | "email", false) => {
                            ["not-an-email", "", "a@b"][n as usize % 3].into()
                        }
                        ("CSV file", true) => "users.csv".into(),
                        ("prefix", true) => "user".into(),
                        _ => String::new(),
                    };
                    keys.extend(retype(field.input.value(), &text));
                }
                keys.push(key(KeyCode::Tab));
            }
        }
        Pane::Workflows => {
            let w = &state.workflows;
            if let Some(form) = w.form.as_ref() {
                // Focus 0: name, 1: input. Keep the proposed name (a fresh one) or break it;
                // keep the input, give another JSON document, or one that is not JSON.
                let mut fields = [
                    (0, form.fields[0].input.value()),
                    (1, form.fields[1].input.value()),
                ];
                if form.focus == 1 {
                    fields.swap(0, 1);
                }
                for (field, value) in fields {
                    let text = match (field, bits(field)) {
                        (0, 0) => Some("bad name".to_owned()),
                        (0, _) => None,
                        (_, 0) => Some("{\"tenant\": ".to_owned()),
                        (_, 1) => Some(format!("{{\"tenant\": \"t{n}\"}}")),
                        _ => None,
                    };
                    if let Some(text) = text {
                        keys.extend(retype(value, &text));
                    }
                    keys.push(key(KeyCode::Tab));
                }
            } else if let Some(stop) = w.stop.as_ref() {
                // The error and cause recorded with the stop: any text will do.
                let value = if stop.focus == 0 {
                    stop.fields[0].input.value()
                } else {
                    stop.fields[1].input.value()
                };
                if bits(0) == 0 {
                    keys.extend(retype(value, "stopped by the on-call"));
                }
            } else {
                return keys;
            }
        }
        _ => return keys,
    }
    if (seed >> 20) & 7 != 0 {
        keys.push(key(KeyCode::Enter));
    }
    keys
}

/// The keys of `Op::Act`: what the screen offers towards a change, chosen by the seed.
fn act(state: &State, seed: u32) -> Vec<KeyEvent> {
    let bound = |action: Action| {
        let binding = state.keymap.keys_for(action)[0];
        KeyEvent::new(binding.code, binding.modifiers)
    };
    let pick = |n: usize| (seed % n as u32) as usize;
    // Now and then move down first, so that another row (user, execution) is acted on.
    let moved = |mut keys: Vec<KeyEvent>| {
        if (seed >> 8).is_multiple_of(3) {
            keys.insert(0, bound(Action::Down));
        }
        keys
    };
    match state.mode {
        // A dialog: the right answer (half the time), a wrong one, or Esc.
        Mode::Confirm => {
            let Some(dialog) = state.confirm.as_ref() else {
                return Vec::new();
            };
            let text = match pick(10) {
                0..=4 => right_answer(&dialog.plan),
                5..=6 => wrong_answer(&dialog.plan, (seed >> 8) as u8),
                _ => return vec![key(KeyCode::Esc)],
            };
            let mut keys = retype(dialog.input.value(), &text);
            keys.push(key(KeyCode::Enter));
            return keys;
        }
        Mode::Normal => {}
        // Help, a report, the filter or command prompt: leave it.
        _ => return vec![key(KeyCode::Esc)],
    }
    let offered = |pane: &dyn opsdeck::app::pane::PaneState| -> Vec<KeyEvent> {
        // Back (up a level) only now and then: the walk is going down towards changes.
        let back = (seed >> 12).is_multiple_of(6);
        let mut keys: Vec<KeyEvent> = [
            Action::Enter,
            Action::New,
            Action::Edit,
            Action::Delete,
            Action::Watch,
        ]
        .into_iter()
        .chain(back.then_some(Action::Back))
        .filter(|&a| !pane.hint(a).is_empty())
        .map(bound)
        .collect();
        // An empty list (it failed, or came back empty): load it again, as an operator would.
        if pane.table().visible_len() == 0 && !pane.is_busy() {
            keys.extend([bound(Action::Refresh); 2]);
        }
        keys
    };
    match state.pane {
        Pane::Accounts | Pane::Dns => {
            // Tenants more often: its changes take a round trip to plan.
            vec![bound(if seed.is_multiple_of(3) {
                Action::PaneWorkflows
            } else {
                Action::PaneTenants
            })]
        }
        Pane::Tenants => {
            let t = &state.tenants;
            if t.form.is_some() {
                if seed >> 28 == 0 {
                    vec![key(KeyCode::Esc)]
                } else {
                    fill(state, seed.rotate_left(7))
                }
            } else if t.menu.is_some() {
                // 1-6: change role, remove, remove and delete, disable/enable, reset password,
                // resend the invitation; now and then Esc.
                match pick(7) {
                    6 => vec![key(KeyCode::Esc)],
                    i => vec![ch(char::from(b'1' + i as u8))],
                }
            } else if t.force_delete.is_some() {
                vec![ch(if pick(4) == 0 { 'n' } else { 'f' })]
            } else {
                let keys = offered(&state.tenants);
                if keys.is_empty() {
                    return vec![bound(Action::Refresh)];
                }
                moved(vec![keys[pick(keys.len())]])
            }
        }
        Pane::Workflows => {
            let w = &state.workflows;
            if w.form.is_some() || w.stop.is_some() {
                if seed >> 28 == 0 {
                    vec![key(KeyCode::Esc)]
                } else {
                    fill(state, seed.rotate_left(7))
                }
            } else if w.detail.as_ref().is_some_and(|d| d.inspect.is_some()) {
                vec![key(KeyCode::Esc)]
            } else {
                let mut keys = offered(&state.workflows);
                if w.detail.is_some() {
                    keys.push(ch('x'));
                }
                if keys.is_empty() {
                    return vec![bound(Action::Refresh)];
                }
                moved(vec![keys[pick(keys.len())]])
            }
        }
    }
}

/// What confirms `plan`: `y`, or a destructive plan's text.
fn right_answer(plan: &Plan<Mutation>) -> String {
    match &plan.danger {
        Danger::Normal => "y".to_owned(),
        Danger::Destructive { confirm_text } => confirm_text.clone(),
    }
}

/// A wrong answer to `plan`'s dialog: `n`, nothing, `no`, `yy`; for a destructive plan also `y`
/// and its text with a typo or cut short.
fn wrong_answer(plan: &Plan<Mutation>, variant: u8) -> String {
    match &plan.danger {
        Danger::Normal => ["n", "", "no", "yy"][usize::from(variant % 4)].to_owned(),
        Danger::Destructive { confirm_text } => match variant % 4 {
            0 => "y".to_owned(),
            1 => format!("{confirm_text}x"),
            2 => confirm_text.chars().skip(1).collect(),
            _ => "yes".to_owned(),
        },
    }
}

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
        let executed: Vec<&Plan<Mutation>> = effects
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
                    prop_assert!(
                        state.confirm.is_none() && state.mode != Mode::Confirm,
                        "{at}: the dialog stayed open after Enter"
                    );
                    let allowed = policy.check(shown).is_ok();
                    let right = confirmation_matches(shown, typed);
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

/// A variant of the answer to `effect` that has rows (a pool or two, tenants, members, machines,
/// executions, a user, a plan), so that settling fills the panes instead of emptying them.
fn rows_variant(effect: &Effect, v: u8) -> u8 {
    let nonzero = |n: u8| {
        if v.is_multiple_of(n) {
            v.wrapping_add(1)
        } else {
            v
        }
    };
    match effect {
        // Two to four accounts, so that another can be made current.
        Effect::LoadAccounts { .. } => 2 + v % 3,
        Effect::Tenants(TenantsEffect::LoadPools { .. }) => {
            // One pool opens by itself; two must be chosen with Enter.
            if v.is_multiple_of(4) { 2 } else { 1 }
        }
        Effect::Tenants(TenantsEffect::LoadGroups { .. }) => 1 + v % 3,
        Effect::Tenants(TenantsEffect::LoadMembers { .. }) => nonzero(15),
        Effect::Tenants(TenantsEffect::LoadUser { .. }) => nonzero(3),
        Effect::Tenants(TenantsEffect::SearchUsers { .. }) => nonzero(6),
        // A plan from the planner (not nothing to do, not some other plan).
        Effect::Tenants(TenantsEffect::Plan { .. } | TenantsEffect::PlanImport { .. }) => {
            if v % 8 < 2 { v.wrapping_add(2) } else { v }
        }
        Effect::Workflows(WorkflowsEffect::LoadMachines { .. }) => {
            // Standard machines (m0, m1) have a history; m2 is express.
            1 + v % 3
        }
        Effect::Workflows(
            WorkflowsEffect::LoadExecutions { .. } | WorkflowsEffect::LoadCounts { .. },
        ) => 3 + v % 3,
        _ => v,
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
    }
}

fn run(scenario: &Scenario, stats: &RefCell<Stats>) -> Result<(), TestCaseError> {
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

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(96)
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
