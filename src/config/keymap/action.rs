//! Every action a key can trigger, as data: its name in `[keymap]`, the scope it acts in, the line
//! `?` shows for it, and its default keys. The help screen, `opsdeck config default` and the
//! config parser are all built from [`SPECS`], so they cannot disagree.

use std::fmt;

/// Where an action applies. Keys of scopes that are active together must differ; the same key may
/// mean different things in scopes that never are (a pane's keys and another pane's, a form's and
/// a pane's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Every pane, and the help screen, reports and viewers.
    Global,
    Tenants,
    Dns,
    Workflows,
    /// Forms, the `:` command line and the `/` filter prompt: they take typed text, so their keys
    /// are named keys (Enter, Tab, ...) or Ctrl/Alt combinations.
    Form,
    /// The small questions a pane asks (export as CSV or JSON, force a deletion).
    Dialog,
}

impl Scope {
    pub const ALL: [Scope; 6] = [
        Scope::Global,
        Scope::Tenants,
        Scope::Dns,
        Scope::Workflows,
        Scope::Form,
        Scope::Dialog,
    ];

    /// The `[keymap.<name>]` table of the scope; global actions sit in `[keymap]` itself.
    pub fn table(self) -> Option<&'static str> {
        match self {
            Scope::Global => None,
            Scope::Tenants => Some("tenants"),
            Scope::Dns => Some("dns"),
            Scope::Workflows => Some("workflows"),
            Scope::Form => Some("form"),
            Scope::Dialog => Some("dialog"),
        }
    }

    pub fn from_table(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.table() == Some(name))
    }

    /// The heading of the scope's keys on the help screen.
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Keys",
            Scope::Tenants => "Tenants pane",
            Scope::Dns => "DNS pane",
            Scope::Workflows => "Workflows pane",
            Scope::Form => "Forms and prompts",
            Scope::Dialog => "Questions",
        }
    }

    /// Whether keys of `self` and `other` can be pressed in the same place (and so must differ).
    pub fn overlaps(self, other: Scope) -> bool {
        let pane = |s: Scope| matches!(s, Scope::Tenants | Scope::Dns | Scope::Workflows);
        self == other
            || (self == Scope::Global && pane(other))
            || (other == Scope::Global && pane(self))
    }
}

/// Something the user can ask for with a key. Declaration order is the order of the help screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    Help,
    CommandLine,
    Filter,
    SortNext,
    SortReverse,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Enter,
    Describe,
    Back,
    Refresh,
    Copy,
    Export,
    New,
    Edit,
    Delete,
    Watch,
    NextPane,
    PrevPane,
    PaneTenants,
    PaneDns,
    PaneWorkflows,
    PaneAccounts,
    ToggleScope,
    /// Fixed at C-z: terminals and shells agree on it, so it is not rebindable; shown in help.
    Suspend,
    // Tenants
    FindUser,
    // DNS
    FixDelegation,
    // Workflows
    ShowRunning,
    ShowSucceeded,
    ShowFailed,
    ShowTimedOut,
    ShowAborted,
    ShowAllStatuses,
    FailuresFirst,
    ShowFailures,
    TabSummary,
    TabTimeline,
    TabGraph,
    TabEvents,
    NextTab,
    PrevTab,
    Redrive,
    // Forms and prompts
    FormSubmit,
    FormCancel,
    FormNextField,
    FormPrevField,
    FormNextChoice,
    FormPrevChoice,
    FormEditor,
    // Questions
    ExportCsv,
    ExportJson,
    ForceDelete,
}

/// What the keymap knows of an action.
pub struct Spec {
    pub action: Action,
    pub scope: Scope,
    /// Its key in `[keymap]` (or `[keymap.<scope>]`).
    pub name: &'static str,
    /// One line for the `?` help screen and the default config.
    pub description: &'static str,
    pub keys: &'static [&'static str],
}

const fn spec(
    action: Action,
    scope: Scope,
    name: &'static str,
    description: &'static str,
    keys: &'static [&'static str],
) -> Spec {
    Spec {
        action,
        scope,
        name,
        description,
        keys,
    }
}

use Action as A;
use Scope as S;

/// Every action, in help order (the order of [`Action`]).
#[rustfmt::skip]
pub static SPECS: [Spec; 57] = [
    spec(A::Quit, S::Global, "quit", "Quit opsdeck (closes a viewer first)", &["q", "C-c"]),
    spec(A::Help, S::Global, "help", "Show this help", &["?", "F1"]),
    spec(A::CommandLine, S::Global, "command_line", "Open the command line (with completion)", &[":"]),
    spec(A::Filter, S::Global, "filter", "Filter the current list", &["/"]),
    spec(A::SortNext, S::Global, "sort_next", "Sort the list by its next column (after the last: unsorted)", &["o"]),
    spec(A::SortReverse, S::Global, "sort_reverse", "Reverse the list's sort", &["O"]),
    spec(A::Up, S::Global, "up", "Move the selection up", &["k", "Up"]),
    spec(A::Down, S::Global, "down", "Move the selection down", &["j", "Down"]),
    spec(A::Top, S::Global, "top", "Jump to the first row", &["g", "Home"]),
    spec(A::Bottom, S::Global, "bottom", "Jump to the last row", &["G", "End"]),
    spec(A::PageUp, S::Global, "page_up", "Scroll one page up", &["PageUp", "C-b"]),
    spec(A::PageDown, S::Global, "page_down", "Scroll one page down", &["PageDown", "C-f", "Space"]),
    spec(A::Enter, S::Global, "enter", "Open the selected item", &["Enter"]),
    spec(A::Describe, S::Global, "describe", "Every field of the selected row in full (y copies one)", &["i"]),
    spec(A::Back, S::Global, "back", "Go back, close a dialog or clear the filter", &["Esc"]),
    spec(A::Refresh, S::Global, "refresh", "Reload the current view from AWS", &["r", "C-r"]),
    spec(A::Copy, S::Global, "copy", "Copy the selected value to the clipboard", &["y"]),
    spec(A::Export, S::Global, "export", "Export the current view to a file", &["e"]),
    spec(A::New, S::Global, "new", "Create: onboard a tenant or user, a DNS record, start an execution", &["n"]),
    spec(A::Edit, S::Global, "edit", "Change the selected item, e.g. a user's role, a DNS record", &["c"]),
    spec(A::Delete, S::Global, "delete", "Remove, disable or stop the selected item, delete a DNS record (asks first)", &["d"]),
    spec(A::Watch, S::Global, "watch", "Watch the selected execution live", &["w"]),
    spec(A::NextPane, S::Global, "next_pane", "Next pane", &["Tab"]),
    spec(A::PrevPane, S::Global, "prev_pane", "Previous pane", &["BackTab"]),
    spec(A::PaneTenants, S::Global, "pane_tenants", "Tenants pane", &["1"]),
    spec(A::PaneDns, S::Global, "pane_dns", "DNS pane", &["2"]),
    spec(A::PaneWorkflows, S::Global, "pane_workflows", "Workflows pane", &["3"]),
    spec(A::PaneAccounts, S::Global, "pane_accounts", "Accounts pane", &["0"]),
    spec(A::ToggleScope, S::Global, "toggle_scope", "Scope of Tenants and Workflows: this account and region / the organisation", &["@"]),
    spec(A::Suspend, S::Global, "suspend", "Suspend to the shell (fixed, resume with `fg`)", &["C-z"]),
    spec(A::FindUser, S::Tenants, "find_user", "Where a user lives: `:user` in every pool of the organisation", &["U"]),
    spec(A::FixDelegation, S::Dns, "fix_delegation", "Delegation: fix a missing, mismatched or dangling one (asks first)", &["f"]),
    spec(A::ShowRunning, S::Workflows, "show_running", "Executions: only running ones (again: all)", &["R"]),
    spec(A::ShowSucceeded, S::Workflows, "show_succeeded", "Executions: only succeeded ones (again: all)", &["S"]),
    spec(A::ShowFailed, S::Workflows, "show_failed", "Executions: only failed ones (again: all)", &["F"]),
    spec(A::ShowTimedOut, S::Workflows, "show_timed_out", "Executions: only timed-out ones (again: all)", &["T"]),
    spec(A::ShowAborted, S::Workflows, "show_aborted", "Executions: only aborted ones (again: all)", &["A"]),
    spec(A::ShowAllStatuses, S::Workflows, "show_all_statuses", "Executions: every status", &["*"]),
    spec(A::FailuresFirst, S::Workflows, "failures_first", "Executions: failures first / newest first", &["!"]),
    spec(A::ShowFailures, S::Workflows, "show_failures", "Machines: failed, timed-out and aborted executions of the scope (24 h)", &["E"]),
    spec(A::TabSummary, S::Workflows, "tab_summary", "Execution: the summary tab", &["s"]),
    spec(A::TabTimeline, S::Workflows, "tab_timeline", "Execution: the timeline tab", &["t"]),
    spec(A::TabGraph, S::Workflows, "tab_graph", "Execution: the graph tab", &["v"]),
    spec(A::TabEvents, S::Workflows, "tab_events", "Execution: the events tab", &["h"]),
    spec(A::NextTab, S::Workflows, "next_tab", "Execution: the next tab", &["Right"]),
    spec(A::PrevTab, S::Workflows, "prev_tab", "Execution: the previous tab", &["Left"]),
    spec(A::Redrive, S::Workflows, "redrive", "Execution: redrive a failed one (asks first)", &["x"]),
    spec(A::FormSubmit, S::Form, "submit", "Plan the change, run the command or apply the filter", &["Enter"]),
    spec(A::FormCancel, S::Form, "cancel", "Close the form or prompt; nothing is changed", &["Esc"]),
    spec(A::FormNextField, S::Form, "next_field", "Next field (next completion on the command line)", &["Tab", "Down"]),
    spec(A::FormPrevField, S::Form, "prev_field", "Previous field (previous completion)", &["BackTab", "Up"]),
    spec(A::FormNextChoice, S::Form, "next_choice", "A choice field's next value", &["Right", "Space"]),
    spec(A::FormPrevChoice, S::Form, "prev_choice", "A choice field's previous value", &["Left"]),
    spec(A::FormEditor, S::Form, "edit_in_editor", "Edit the field in $EDITOR (execution input)", &["C-e"]),
    spec(A::ExportCsv, S::Dialog, "export_csv", "Export: write CSV", &["c", "C"]),
    spec(A::ExportJson, S::Dialog, "export_json", "Export: write JSON", &["j", "J"]),
    spec(A::ForceDelete, S::Dialog, "force_delete", "Delete tenant: also remove its members (asks for the name)", &["f", "F"]),
];

/// Names of earlier versions, still read from config files.
const ALIASES: [(&str, Action); 3] = [
    ("pane_1", Action::PaneTenants),
    ("pane_2", Action::PaneDns),
    ("pane_3", Action::PaneWorkflows),
];

impl Action {
    /// Every action in help order.
    pub fn all() -> impl Iterator<Item = Action> {
        SPECS.iter().map(|s| s.action)
    }

    fn spec(self) -> &'static Spec {
        // SPECS lists the actions in declaration order, one each (a test checks it).
        &SPECS[self as usize]
    }

    /// The key of this action in `[keymap]` or `[keymap.<scope>]`.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// One line for the `?` help screen.
    pub fn description(self) -> &'static str {
        self.spec().description
    }

    pub fn scope(self) -> Scope {
        self.spec().scope
    }

    pub(super) fn default_keys(self) -> &'static [&'static str] {
        self.spec().keys
    }

    /// The action of `scope` whose config key is `name` (earlier names included).
    pub fn from_name(scope: Scope, name: &str) -> Option<Action> {
        SPECS
            .iter()
            .find(|s| s.scope == scope && s.name == name)
            .map(|s| s.action)
            .or_else(|| {
                ALIASES
                    .iter()
                    .find(|(alias, a)| *alias == name && a.scope() == scope)
                    .map(|(_, a)| *a)
            })
    }

    /// Whether `[keymap]` may rebind this action.
    pub fn is_configurable(self) -> bool {
        self != Action::Suspend
    }

    /// The config path of the action's keys, e.g. `["keymap", "workflows", "show_failed"]`.
    pub fn config_path(self) -> Vec<&'static str> {
        let mut path = vec!["keymap"];
        path.extend(self.scope().table());
        path.push(self.name());
        path
    }

    /// The configurable names of `scope`, for error messages.
    pub(super) fn expected_names(scope: Scope) -> String {
        SPECS
            .iter()
            .filter(|s| s.scope == scope && s.action.is_configurable())
            .map(|s| format!("`{}`", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
