use super::*;

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn key(s: &str) -> KeyBinding {
    s.parse().unwrap()
}

#[test]
fn every_action_name_maps_back_to_its_action() {
    for action in Action::all() {
        assert_eq!(
            Action::from_name(action.scope(), action.name()),
            Some(action)
        );
        assert!(!action.description().is_empty());
    }
    assert_eq!(Action::from_name(Scope::Global, "colr"), None);
    assert_eq!(
        Action::from_name(Scope::Global, "pane_1"),
        Some(Action::PaneTenants),
        "earlier names still read"
    );
}

#[test]
fn specs_list_every_action_once_in_declaration_order() {
    let all: Vec<Action> = Action::all().collect();
    for (i, action) in all.iter().enumerate() {
        assert_eq!(*action as usize, i, "SPECS[{i}] is {action:?}");
    }
    assert_eq!(all.last(), Some(&Action::ForceDelete), "no action left out");
    let mut names: Vec<(Scope, &str)> = Action::all().map(|a| (a.scope(), a.name())).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all.len(), "names are unique per scope");
}

#[test]
fn key_strings_round_trip_through_their_canonical_form() {
    for s in [
        "q",
        "G",
        "?",
        ":",
        "/",
        "-",
        "0",
        "Enter",
        "Esc",
        "Tab",
        "BackTab",
        "Up",
        "Down",
        "Left",
        "Right",
        "Home",
        "End",
        "PageUp",
        "PageDown",
        "Backspace",
        "Delete",
        "Insert",
        "Space",
        "F1",
        "F12",
        "C-b",
        "A-x",
        "C-A-k",
        "S-Up",
        "C--",
        "A-Enter",
    ] {
        let parsed = key(s);
        assert_eq!(parsed.to_string(), s, "canonical form of {s}");
        assert_eq!(key(&parsed.to_string()), parsed);
    }
}

#[test]
fn key_string_aliases_normalise() {
    assert_eq!(key("S-Tab"), key("BackTab"));
    assert_eq!(key("C-B"), key("C-b"));
    assert_eq!(key("enter"), key("Enter"));
    assert_eq!(key("pgdn"), key("PageDown"));
    assert_eq!(key("M-x"), key("A-x"));
}

#[test]
fn bad_key_strings_are_rejected_with_the_syntax() {
    for s in ["", "Ctrl+x", "F13", "F0", "xy", "C-", "Hyper-x", "\t"] {
        let err = s.parse::<KeyBinding>().unwrap_err().to_string();
        assert!(err.contains(&format!("unknown key `{s}`")), "{s}: {err}");
        assert!(err.contains("C- (Ctrl)"), "{s}: {err}");
    }
    assert!(
        "S-g"
            .parse::<KeyBinding>()
            .unwrap_err()
            .to_string()
            .contains("instead of `S-g`")
    );
    assert!(
        "C-C-x"
            .parse::<KeyBinding>()
            .unwrap_err()
            .to_string()
            .contains("repeats a modifier")
    );
    assert!(
        " ".parse::<KeyBinding>()
            .unwrap_err()
            .to_string()
            .contains("`Space`")
    );
}

#[test]
fn default_keymap_matches_the_documented_keys() {
    let km = Keymap::default();
    let cases = [
        (press(KeyCode::Char('q'), KeyModifiers::NONE), Action::Quit),
        (
            press(KeyCode::Char(':'), KeyModifiers::NONE),
            Action::CommandLine,
        ),
        (
            press(KeyCode::Char('/'), KeyModifiers::NONE),
            Action::Filter,
        ),
        (press(KeyCode::Char('j'), KeyModifiers::NONE), Action::Down),
        (press(KeyCode::Down, KeyModifiers::NONE), Action::Down),
        (press(KeyCode::Char('k'), KeyModifiers::NONE), Action::Up),
        (press(KeyCode::Char('g'), KeyModifiers::NONE), Action::Top),
        (press(KeyCode::End, KeyModifiers::NONE), Action::Bottom),
        (
            press(KeyCode::Char('b'), KeyModifiers::CONTROL),
            Action::PageUp,
        ),
        (
            press(KeyCode::PageDown, KeyModifiers::NONE),
            Action::PageDown,
        ),
        (press(KeyCode::Enter, KeyModifiers::NONE), Action::Enter),
        (press(KeyCode::Esc, KeyModifiers::NONE), Action::Back),
        (
            press(KeyCode::Char('r'), KeyModifiers::NONE),
            Action::Refresh,
        ),
        (press(KeyCode::Char('y'), KeyModifiers::NONE), Action::Copy),
        (
            press(KeyCode::Char('e'), KeyModifiers::NONE),
            Action::Export,
        ),
        (press(KeyCode::Tab, KeyModifiers::NONE), Action::NextPane),
        (
            press(KeyCode::Char('1'), KeyModifiers::NONE),
            Action::PaneTenants,
        ),
        (
            press(KeyCode::Char('2'), KeyModifiers::NONE),
            Action::PaneDns,
        ),
        (
            press(KeyCode::Char('3'), KeyModifiers::NONE),
            Action::PaneWorkflows,
        ),
        (
            press(KeyCode::Char('0'), KeyModifiers::NONE),
            Action::PaneAccounts,
        ),
        (
            press(KeyCode::Char('z'), KeyModifiers::CONTROL),
            Action::Suspend,
        ),
    ];
    for (event, action) in cases {
        assert_eq!(km.action_for(&event), Some(action), "{event:?}");
    }
    assert_eq!(
        km.action_for(&press(KeyCode::Char('x'), KeyModifiers::NONE)),
        None
    );
    // Ctrl changes the key: C-q is not q.
    assert_eq!(
        km.action_for(&press(KeyCode::Char('q'), KeyModifiers::CONTROL)),
        None
    );
}

#[test]
fn shift_is_ignored_on_character_keys_and_backtab() {
    let km = Keymap::default();
    for event in [
        press(KeyCode::Char('G'), KeyModifiers::SHIFT),
        press(KeyCode::Char('G'), KeyModifiers::NONE),
        press(KeyCode::Char('g'), KeyModifiers::SHIFT),
    ] {
        assert_eq!(km.action_for(&event), Some(Action::Bottom), "{event:?}");
    }
    assert_eq!(
        km.action_for(&press(KeyCode::Char('?'), KeyModifiers::SHIFT)),
        Some(Action::Help)
    );
    assert_eq!(
        km.action_for(&press(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Some(Action::PrevPane)
    );
    assert_eq!(
        km.action_for(&press(KeyCode::Tab, KeyModifiers::SHIFT)),
        Some(Action::PrevPane)
    );
    assert_eq!(
        km.action_for(&press(
            KeyCode::Char('Z'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT
        )),
        Some(Action::Suspend)
    );
}

#[test]
fn key_releases_trigger_nothing() {
    let km = Keymap::default();
    let mut event = press(KeyCode::Char('q'), KeyModifiers::NONE);
    event.kind = KeyEventKind::Release;
    assert_eq!(km.action_for(&event), None);
    event.kind = KeyEventKind::Repeat;
    assert_eq!(km.action_for(&event), Some(Action::Quit));
}

#[test]
fn bindings_list_every_action_in_help_order_with_labels() {
    let bindings = Keymap::default().bindings(Scope::Global);
    let order: Vec<Action> = bindings.iter().map(|(a, _)| *a).collect();
    let global: Vec<Action> = Action::all()
        .filter(|a| a.scope() == Scope::Global)
        .collect();
    assert_eq!(order, global);
    assert_eq!(bindings[0], (Action::Quit, vec!["q".into(), "C-c".into()]));
    assert_eq!(
        bindings.last().unwrap(),
        &(Action::Suspend, vec!["C-z".to_string()])
    );
}

#[test]
fn default_keymap_has_no_conflicts() {
    assert_eq!(Keymap::default().conflicts(), vec![]);
}

#[test]
fn a_key_bound_twice_is_reported_on_the_later_action() {
    let mut km = Keymap::default();
    km.set(Action::Refresh, vec![key("F5"), key("q")]);
    assert_eq!(
        km.conflicts(),
        vec![KeyConflict {
            action: Action::Refresh,
            index: 1,
            key: key("q"),
            taken_by: Some(Action::Quit),
        }]
    );
    let msg = km.conflicts()[0].to_string();
    assert!(
        msg.contains("key `q` is bound to both `quit` and `refresh`"),
        "{msg}"
    );
}

#[test]
fn binding_the_suspend_key_is_a_conflict() {
    let mut km = Keymap::default();
    km.set(Action::Copy, vec![key("C-z")]);
    let conflicts = km.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].taken_by, Some(Action::Suspend));
    assert!(conflicts[0].to_string().contains("reserved for suspend"));
}

#[test]
fn suspend_cannot_be_rebound_through_set() {
    let mut km = Keymap::default();
    km.set(Action::Suspend, vec![key("x")]);
    assert_eq!(km, Keymap::default());
    assert_eq!(km.keys_for(Action::Suspend), &[SUSPEND]);
}

#[test]
fn a_keymap_table_replaces_only_the_actions_it_names() {
    let km: Keymap = toml::from_str("quit = [\"x\"]\ntop = [\"Home\"]").unwrap();
    assert_eq!(km.keys_for(Action::Quit), &[key("x")]);
    assert_eq!(km.keys_for(Action::Top), &[key("Home")]);
    assert_eq!(
        km.keys_for(Action::Down),
        Keymap::default().keys_for(Action::Down)
    );
}

#[test]
fn keymap_serializes_to_what_it_parses_from() {
    let mut km = Keymap::default();
    km.set(Action::Refresh, vec![key("F5"), key("C-A-r")]);
    let text = toml::to_string(&km).unwrap();
    assert_eq!(toml::from_str::<Keymap>(&text).unwrap(), km);
}

#[test]
fn unknown_and_fixed_actions_are_rejected_by_name() {
    let err = toml::from_str::<Keymap>("colr = [\"x\"]").unwrap_err();
    assert!(err.message().contains("unknown action `colr`"), "{err}");
    assert!(err.message().contains("`quit`"), "{err}");
    let err = toml::from_str::<Keymap>("suspend = [\"x\"]").unwrap_err();
    assert!(err.message().contains("fixed at C-z"), "{err}");
}

#[test]
fn pane_keys_apply_in_their_pane_and_may_repeat_across_panes() {
    let km = Keymap::default();
    let f = press(KeyCode::Char('F'), KeyModifiers::NONE);
    assert_eq!(
        km.action_in(&[Scope::Workflows, Scope::Global], &f),
        Some(Action::ShowFailed)
    );
    assert_eq!(km.action_in(&[Scope::Dns, Scope::Global], &f), None);
    // The questions' keys shadow the global ones while a question is open.
    let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(
        km.action_in(&[Scope::Dialog, Scope::Global], &j),
        Some(Action::ExportJson)
    );
    assert_eq!(km.action_for(&j), Some(Action::Down));
}

#[test]
fn a_pane_key_that_a_global_action_has_is_a_conflict() {
    let mut km = Keymap::default();
    km.set(Action::Redrive, vec![key("r")]);
    let conflicts = km.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].taken_by, Some(Action::Refresh));
    // Two panes may use one key.
    let mut km = Keymap::default();
    km.set(Action::ShowFailed, vec![key("f")]);
    assert_eq!(km.conflicts(), vec![]);
}

#[test]
fn form_keys_must_not_be_typed_characters() {
    let mut km = Keymap::default();
    km.set(Action::FormNextField, vec![key("j")]);
    let conflicts = km.conflicts();
    assert_eq!(conflicts.len(), 1);
    assert!(
        conflicts[0].to_string().contains("typed into the form"),
        "{}",
        conflicts[0]
    );
    km.set(Action::FormNextField, vec![key("C-j")]);
    assert_eq!(km.conflicts(), vec![]);
}

#[test]
fn a_scope_table_rebinds_that_scopes_actions() {
    let km: Keymap =
        toml::from_str("[workflows]\nshow_failed = [\"f\"]\n[form]\nsubmit = [\"C-s\"]").unwrap();
    assert_eq!(km.keys_for(Action::ShowFailed), &[key("f")]);
    assert_eq!(km.keys_for(Action::FormSubmit), &[key("C-s")]);
    let err = toml::from_str::<Keymap>("show_failed = [\"f\"]").unwrap_err();
    assert!(
        err.message()
            .contains("`show_failed` belongs in [keymap.workflows]"),
        "{err}"
    );
    let err = toml::from_str::<Keymap>("[workflows]\nshow_faild = [\"f\"]").unwrap_err();
    assert!(err.message().contains("`show_failed`"), "{err}");
}

#[test]
fn a_global_key_from_the_file_takes_a_pane_default_but_not_a_pane_choice() {
    let km: Keymap = toml::from_str("prev_pane = [\"h\"]").unwrap();
    assert_eq!(km.keys_for(Action::PrevPane), &[key("h")]);
    assert_eq!(km.keys_for(Action::TabEvents), &[] as &[KeyBinding]);
    assert_eq!(km.conflicts(), vec![]);
    let km: Keymap =
        toml::from_str("prev_pane = [\"h\"]\n[workflows]\ntab_events = [\"h\"]").unwrap();
    assert_eq!(
        km.conflicts().len(),
        1,
        "both chosen in the file: a conflict to fix"
    );
}
