//! What can happen to the app ([`Msg`]) and the work it asks of the runtime ([`Effect`]).

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::domain::account::{Access, AccountList, CallerIdentity};
use crate::mutation::Approved;
use crate::services::ServiceError;

use super::Change;
use super::credentials::{CredentialsEffect, CredentialsMsg};
use super::dns::{DnsEffect, DnsMsg};
use super::loadable::RequestId;
use super::state::Pane;
use super::tenants::{TenantsEffect, TenantsMsg};
use super::workflows::{WorkflowsEffect, WorkflowsMsg};

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// A mouse event: only with `ui.mouse = true` (the capture is off otherwise).
    Mouse(MouseEvent),
    Resize(u16, u16),
    Tick,
    Identity {
        request: RequestId,
        result: Result<CallerIdentity, ServiceError>,
        at: DateTime<Utc>,
    },
    Accounts {
        request: RequestId,
        result: Result<AccountList, ServiceError>,
        at: DateTime<Utc>,
    },
    Access {
        /// The account-list request whose accounts are being checked.
        list_request: RequestId,
        account_id: String,
        result: Result<Access, ServiceError>,
    },
    Tenants(TenantsMsg),
    Dns(DnsMsg),
    Workflows(WorkflowsMsg),
    Credentials(CredentialsMsg),
    /// A confirmed change is running: `done` of `total` calls made so far.
    Progress {
        title: String,
        done: usize,
        total: usize,
    },
    /// A confirmed change ran: its title and, if it failed, why (the audit log has every call).
    Executed {
        title: String,
        result: Result<(), String>,
        /// One line per step: done, failed (with the error), not attempted.
        steps: Vec<String>,
        /// Re-read at apply, the plan no longer applied (e.g. the execution to stop had ended):
        /// why; nothing was called.
        nothing_to_do: Option<String>,
        /// Made again at apply, the plan came out different: the new plan to confirm; nothing
        /// was called.
        replanned: Option<Box<crate::domain::plan::Plan<Change>>>,
    },
    /// The clipboard copy finished; the error says why it could not reach any clipboard.
    Copied {
        what: String,
        result: Result<(), String>,
    },
    /// An export was written (the path) or failed.
    Exported {
        result: Result<String, String>,
    },
    /// A search or sort of a large table ran off the UI thread ([`Effect::TableJob`]): the
    /// source rows that match, or every source row in the sorted order. Dropped unless the table
    /// on screen still waits for that generation.
    TableJobDone {
        generation: u64,
        answer: super::table::JobAnswer,
    },
    /// The external editor closed: the edited text, or why it could not run.
    Edited {
        pane: Pane,
        result: Result<String, String>,
    },
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    LoadIdentity {
        request: RequestId,
    },
    LoadAccounts {
        request: RequestId,
    },
    CheckAccess {
        list_request: RequestId,
        account_id: String,
    },
    Tenants(TenantsEffect),
    Dns(DnsEffect),
    Workflows(WorkflowsEffect),
    Credentials(CredentialsEffect),
    /// Run a confirmed change, auditing every call.
    Execute(Approved<Change>),
    /// Rebuild every client for another region (before the loads that follow it).
    SwitchRegion {
        region: String,
    },
    /// Put text on the clipboard (OSC 52 and the system clipboard).
    Copy {
        text: String,
    },
    /// Write the current view as CSV under the state directory.
    Export {
        name: String,
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Write `json` (already terminal-safe) as `<name>-<time>.json` next to the CSV exports.
    ExportJson {
        name: String,
        json: String,
    },
    /// Search or sort the rows of the table on screen on a blocking thread and answer
    /// [`Msg::TableJobDone`] (nothing when a newer job superseded it before the end).
    TableJob(std::sync::Arc<super::table::TableJob>),
    /// Ring the terminal bell (BEL): a watched execution ended, a long change finished.
    Bell,
    /// Leave the terminal, stop the process (Ctrl-Z), and come back on SIGCONT.
    Suspend,
    /// Open `text` in the operator's editor ($VISUAL, $EDITOR, else vi) and give the result to
    /// `pane` as [`Msg::Edited`].
    EditExternally {
        pane: Pane,
        text: String,
    },
}
