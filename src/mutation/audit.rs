//! The audit log: JSON lines appended to `<state dir>/audit.log`, two per AWS call that changes
//! something (`intent` before it is sent, then how it ended), one per step of a dry run.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::dns::DnsChange;
use crate::domain::plan::Change;
use crate::domain::sanitize::to_json_line_safe;
use crate::domain::tenancy::plan::CognitoCall;
use crate::domain::workflows::WorkflowChange;

/// Where an audited call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Written before the call is sent; if it cannot be written, the call is not made.
    Intent,
    /// The call succeeded.
    Ok,
    /// AWS answered with an error: the call did not take effect.
    Error,
    /// No answer came back (dropped connection, timeout, Ctrl-C): the call may have taken effect.
    Unknown,
    /// A dry run: recorded, never sent.
    DryRun,
}

/// What a step's action tells the audit log beyond the step itself.
pub trait Audited {
    /// The Cognito user pool the call acts in (its target is a user or group name in that pool).
    fn pool_id(&self) -> Option<&str> {
        None
    }

    /// The account the call acts in when it is not the plan's (a plan across accounts, e.g. a
    /// tenant's onboarding with its DNS record in the zone's account).
    fn account_id(&self) -> Option<&str> {
        None
    }
}

impl Audited for () {}
impl Audited for &str {}
impl Audited for WorkflowChange {
    fn account_id(&self) -> Option<&str> {
        Some(WorkflowChange::account_id(self)).filter(|a| !a.is_empty())
    }
}

impl Audited for DnsChange {
    fn account_id(&self) -> Option<&str> {
        Some(&self.account_id)
    }
}

impl Audited for CognitoCall {
    fn pool_id(&self) -> Option<&str> {
        Some(&self.pool_id)
    }

    fn account_id(&self) -> Option<&str> {
        Some(&self.account_id)
    }
}

impl Audited for Change {
    fn pool_id(&self) -> Option<&str> {
        match self {
            Change::Tenants(call) => call.pool_id(),
            Change::Workflows(change) => change.pool_id(),
            Change::Dns(change) => change.pool_id(),
        }
    }

    fn account_id(&self) -> Option<&str> {
        match self {
            Change::Tenants(call) => Audited::account_id(call),
            Change::Workflows(change) => Audited::account_id(change),
            Change::Dns(change) => Audited::account_id(change),
        }
    }
}

/// One line of the audit log. Every key is always present (`null` when empty), so `jq` filters
/// need no special cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When the line was written (`intent`: just before the call; otherwise when it ended), RFC 3339
    /// in UTC with milliseconds.
    pub time: String,
    /// The caller's ARN (from STS GetCallerIdentity).
    pub actor: String,
    pub account_id: String,
    pub region: String,
    /// The Cognito user pool the call acts in; `null` for other services (a Step Functions target
    /// is an ARN, which names its account and region).
    pub pool_id: Option<String>,
    pub service: String,
    pub operation: String,
    pub target: String,
    /// The step's effect in words.
    pub summary: String,
    pub outcome: Outcome,
    /// The AWS error code, when the call failed with one (`error`).
    pub error_code: Option<String>,
    /// The error message, when the call failed (`error`) or no answer came back (`unknown`).
    pub message: Option<String>,
    /// The title of the plan the call belonged to.
    pub plan: String,
    /// The call's position in the plan, from 1.
    pub step: usize,
    /// How many calls the plan had.
    pub steps: usize,
}

/// The append-only audit log file.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: File,
}

impl AuditLog {
    /// `<state dir>/audit.log`.
    pub fn default_path() -> PathBuf {
        crate::logging::state_dir().join("audit.log")
    }

    /// Open (creating it and its directory if needed) the log at `path` for appending. On Unix a new
    /// file is readable by the user only.
    pub fn open(path: impl Into<PathBuf>) -> io::Result<Self> {
        let path = path.into();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::logging::ensure_private_dir(dir).map_err(|e| with_path(e, dir))?;
        }
        let mut options = OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(|e| with_path(e, &path))?;
        Ok(AuditLog { path, file })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append `entry` as one line. The line goes out in a single `write_all` on a file opened in append
    /// mode, so concurrent writers (the TUI's tasks, another opsdeck process) never interleave lines.
    pub fn record(&self, entry: &AuditEntry) -> io::Result<()> {
        let mut line = to_json_line_safe(entry).map_err(io::Error::other)?;
        line.push(b'\n');
        (&self.file)
            .write_all(&line)
            .map_err(|e| with_path(e, &self.path))
    }
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(
        e.kind(),
        format!(
            "audit log {}: {e} (check the directory's permissions or set XDG_STATE_HOME)",
            path.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(outcome: Outcome) -> AuditEntry {
        AuditEntry {
            time: "2025-01-02T03:04:05.678Z".into(),
            actor: "arn:aws:sts::111111111111:assumed-role/Ops/alice".into(),
            account_id: "111111111111".into(),
            region: "eu-west-1".into(),
            pool_id: Some("eu-west-1_Abc".into()),
            service: "cognito-idp".into(),
            operation: "AdminDisableUser".into(),
            target: "bob\u{202E}\x1b[2J".into(),
            summary: "disable the user".into(),
            outcome,
            error_code: None,
            message: None,
            plan: "Disable bob".into(),
            step: 1,
            steps: 1,
        }
    }

    #[test]
    fn records_are_appended_as_parseable_terminal_safe_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/state/audit.log");
        let log = AuditLog::open(&path).unwrap();
        log.record(&entry(Outcome::Ok)).unwrap();
        let mut failed = entry(Outcome::Error);
        failed.error_code = Some("UserNotFoundException".into());
        failed.message = Some("User does not exist.".into());
        log.record(&failed).unwrap();
        drop(log);

        // Reopening appends rather than truncating.
        AuditLog::open(&path)
            .unwrap()
            .record(&entry(Outcome::DryRun))
            .unwrap();

        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains('\x1b') && !text.contains('\u{202E}'),
            "{text:?}"
        );
        let parsed: Vec<AuditEntry> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(parsed, [entry(Outcome::Ok), failed, entry(Outcome::DryRun)]);
        assert!(text.contains(r#""outcome":"dry_run""#), "{text}");
        assert!(text.contains(r#""error_code":null"#), "{text}");
    }

    #[test]
    fn concurrent_writers_never_interleave_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        let mut long = entry(Outcome::Ok);
        long.summary = "x".repeat(3_000);
        std::thread::scope(|s| {
            for _ in 0..4 {
                let log = AuditLog::open(&path).unwrap();
                let long = &long;
                s.spawn(move || {
                    for _ in 0..50 {
                        log.record(long).unwrap();
                    }
                });
            }
        });
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 200);
        for line in text.lines() {
            assert_eq!(serde_json::from_str::<AuditEntry>(line).unwrap(), long);
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_new_audit_log_is_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.log");
        AuditLog::open(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn open_failure_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "").unwrap();
        let err = AuditLog::open(blocker.join("audit.log")).unwrap_err();
        assert!(err.to_string().contains("audit log"), "{err}");
    }
}
