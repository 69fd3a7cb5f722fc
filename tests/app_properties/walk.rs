//! The walk towards changes: which change a plan or key is, the pane and account it acts in, the
//! keys that fill forms and act on the screen, and the right and wrong answers to a dialog.

use crossterm::event::{KeyCode, KeyEvent};

use opsdeck::app::tenants::TenantsMsg;
use opsdeck::app::{Change, Effect, Mode, Msg, Pane, State};
use opsdeck::config::keymap::Action;
use opsdeck::domain::plan::Plan;

use crate::keys::{bound_key, ch, key};

/// What a plan changes, from its title (the planners' own words), for the counts.
pub(crate) fn kind(title: &str) -> &'static str {
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
pub(crate) fn plan_pane(plan: &Plan<Change>) -> Option<Pane> {
    plan.steps.first().map(|step| match step.action {
        Change::Tenants(_) => Pane::Tenants,
        Change::Workflows(_) => Pane::Workflows,
        Change::Dns(_) => Pane::Dns,
    })
}

pub(crate) fn effect_pane(effect: &Effect) -> Option<Pane> {
    match effect {
        Effect::Tenants(_) => Some(Pane::Tenants),
        Effect::Workflows(_) => Some(Pane::Workflows),
        Effect::Dns(_) => Some(Pane::Dns),
        _ => None,
    }
}

/// The account a call acts in: the Cognito call's, or the account in the Step Functions ARN
/// (where the executor sends it).
pub(crate) fn call_account(action: &Change) -> &str {
    match action {
        Change::Tenants(call) => &call.account_id,
        Change::Workflows(change) => change.account_id(),
        Change::Dns(change) => &change.account_id,
    }
}

/// Which change `msg` is about to propose, if any: a plan arriving for the Tenants pane, or a key
/// that proposes a Step Functions change at once (start, rerun, stop, redrive).
pub(crate) fn proposal(state: &State, msg: &Msg) -> Option<&'static str> {
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
pub(crate) fn retype(input: &str, text: &str) -> Vec<KeyEvent> {
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
pub(crate) fn fill(state: &State, seed: u32) -> Vec<KeyEvent> {
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
                    let text = match (field.label.as_ref(), good) {
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
pub(crate) fn act(state: &State, seed: u32) -> Vec<KeyEvent> {
    let bound = |action: Action| bound_key(state.keymap.keys_for(action)[0]);
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
pub(crate) fn right_answer(plan: &Plan<Change>) -> String {
    match plan.danger.confirm_text() {
        None => "y".to_owned(),
        Some(confirm_text) => confirm_text.to_owned(),
    }
}

/// A wrong answer to `plan`'s dialog: `n`, nothing, `no`, `yy`; for a destructive plan also `y`
/// and its text with a typo or cut short.
pub(crate) fn wrong_answer(plan: &Plan<Change>, variant: u8) -> String {
    match plan.danger.confirm_text() {
        None => ["n", "", "no", "yy"][usize::from(variant % 4)].to_owned(),
        Some(confirm_text) => match variant % 4 {
            0 => "y".to_owned(),
            1 => format!("{confirm_text}x"),
            2 => confirm_text.chars().skip(1).collect(),
            _ => "yes".to_owned(),
        },
    }
}
