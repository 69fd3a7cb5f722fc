//! Step Functions as opsdeck shows them: state machines, executions, history events, and the pure
//! logic built on them — the timeline of an execution ([`timeline`]), incremental history fetching
//! and poll pacing for watching ([`watch`]), and the layout of a state machine's definition
//! ([`graph`]).

pub mod arn;
pub mod graph;
pub mod plan;
pub mod timeline;
pub mod watch;

use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MachineType {
    Standard,
    /// Express executions have no event history through the API.
    Express,
}

impl MachineType {
    pub fn as_str(self) -> &'static str {
        match self {
            MachineType::Standard => "standard",
            MachineType::Express => "express",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateMachine {
    pub arn: String,
    pub name: String,
    pub kind: MachineType,
    pub created: Option<DateTime<Utc>>,
}

/// A state machine with its definition (DescribeStateMachine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineDefinition {
    pub arn: String,
    pub name: String,
    pub kind: MachineType,
    /// The Amazon States Language document, as AWS returned it.
    pub definition: String,
    /// The revision of the definition, when AWS reports one.
    pub revision_id: Option<String>,
}

/// Where an execution is in its life, as ListExecutions and DescribeExecution report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExecutionStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
    /// A failed execution AWS is about to redrive.
    PendingRedrive,
}

impl ExecutionStatus {
    pub const ALL: [ExecutionStatus; 6] = [
        ExecutionStatus::Running,
        ExecutionStatus::Succeeded,
        ExecutionStatus::Failed,
        ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted,
        ExecutionStatus::PendingRedrive,
    ];

    /// The API's spelling (`RUNNING`, `TIMED_OUT`...).
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
            ExecutionStatus::PendingRedrive => "PENDING_REDRIVE",
        }
    }

    /// Parse the API's spelling or a lower-case, dash or underscore variant (`timed-out`).
    pub fn parse(text: &str) -> Option<ExecutionStatus> {
        let wanted = text.trim().to_ascii_uppercase().replace('-', "_");
        ExecutionStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == wanted)
    }

    /// Ended for good: nothing more will happen to it.
    pub fn is_terminal(self) -> bool {
        !matches!(
            self,
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive
        )
    }

    /// Ended badly.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            ExecutionStatus::Failed | ExecutionStatus::TimedOut | ExecutionStatus::Aborted
        )
    }
}

/// One execution as ListExecutions returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Execution {
    pub arn: String,
    pub name: String,
    pub machine_arn: String,
    pub status: ExecutionStatus,
    pub started: DateTime<Utc>,
    pub stopped: Option<DateTime<Utc>>,
}

impl Execution {
    /// Run time: until `stopped`, or until `now` while it runs; unknown for an ended execution
    /// without a stop time.
    pub fn duration_ms(&self, now: DateTime<Utc>) -> Option<i64> {
        let end = match self.stopped {
            Some(stopped) => stopped,
            None if self.status.is_terminal() => return None,
            None => now,
        };
        Some((end - self.started).num_milliseconds().max(0))
    }
}

/// One page of ListExecutions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecutionPage {
    pub executions: Vec<Execution>,
    /// More (older) executions follow.
    pub next_token: Option<String>,
}

/// One execution as DescribeExecution returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionDetail {
    pub execution: Execution,
    pub input: Option<String>,
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The version ARN the execution ran, when it was started through a version or alias.
    pub machine_version_arn: Option<String>,
    pub redrive_count: i32,
}

impl ExecutionDetail {
    /// The execution that started this one, when its input names it the way Step Functions'
    /// nested-workflow integration does (`AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID`).
    pub fn parent(&self) -> Option<String> {
        let input: serde_json::Value = serde_json::from_str(self.input.as_deref()?).ok()?;
        input
            .get("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID")?
            .as_str()
            .map(str::to_owned)
    }

    /// The revision the execution ran: the version ARN, else the latest definition.
    pub fn revision(&self) -> String {
        self.machine_version_arn
            .clone()
            .unwrap_or_else(|| "latest (unversioned)".to_owned())
    }
}

/// One history event: `{"id", "previous_id", "type", "timestamp", "state", "details"}` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: i64,
    pub previous_id: i64,
    /// The API's event type, e.g. `TaskStateEntered`, `ExecutionFailed`.
    #[serde(rename = "type")]
    pub kind: String,
    pub timestamp: DateTime<Utc>,
    /// The state the event belongs to, when the event names one.
    pub state: Option<String>,
    pub details: EventDetails,
}

/// The details an event carries; absent fields are left out of the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EventDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The task's resource (e.g. a Lambda ARN or `arn:aws:states:::dynamodb:putItem`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// The index of a Map iteration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
    /// The number of items of a Map state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<i64>,
}

impl Event {
    /// The state type of a `*StateEntered` / `*StateExited` event (`Task`, `Map`...).
    pub fn state_type(&self) -> Option<&str> {
        self.kind
            .strip_suffix("StateEntered")
            .or_else(|| self.kind.strip_suffix("StateExited"))
    }

    pub fn is_state_entered(&self) -> bool {
        self.kind.ends_with("StateEntered")
    }

    pub fn is_state_exited(&self) -> bool {
        self.kind.ends_with("StateExited")
    }

    /// The execution status this event ends the execution with, if it is a terminal event.
    pub fn terminal_status(&self) -> Option<ExecutionStatus> {
        match self.kind.as_str() {
            "ExecutionSucceeded" => Some(ExecutionStatus::Succeeded),
            "ExecutionFailed" => Some(ExecutionStatus::Failed),
            "ExecutionAborted" => Some(ExecutionStatus::Aborted),
            "ExecutionTimedOut" => Some(ExecutionStatus::TimedOut),
            _ => None,
        }
    }

    /// One line for `sfn watch` and the events view: `time type state error`.
    pub fn summary(&self) -> String {
        let mut line = format!("{}  {}", self.timestamp.format("%H:%M:%S%.3f"), self.kind);
        if let Some(state) = &self.state {
            line.push_str("  ");
            line.push_str(state);
        }
        if let Some(index) = self.details.index {
            line.push_str(&format!(" [{index}]"));
        }
        if let Some(error) = self.details.error.as_deref().filter(|e| !e.is_empty()) {
            line.push_str(&format!("  error={error}"));
        }
        if let Some(cause) = self.details.cause.as_deref().filter(|c| !c.is_empty()) {
            line.push_str(&format!("  cause={cause}"));
        }
        line
    }
}

/// A change an operator makes to Step Functions; each is one API call of a mutation plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowChange {
    Start {
        machine_arn: String,
        name: String,
        input: String,
    },
    Stop {
        execution_arn: String,
        error: Option<String>,
        cause: Option<String>,
    },
    Redrive {
        execution_arn: String,
    },
}

impl WorkflowChange {
    /// The account the change acts in: the one in its ARN.
    pub fn account_id(&self) -> &str {
        let arn = match self {
            WorkflowChange::Start { machine_arn, .. } => machine_arn,
            WorkflowChange::Stop { execution_arn, .. }
            | WorkflowChange::Redrive { execution_arn } => execution_arn,
        };
        arn.split(':').nth(4).unwrap_or_default()
    }

    /// The last part of an ARN: a machine's or an execution's name.
    pub fn short(arn: &str) -> &str {
        arn.rsplit(':').next().unwrap_or(arn)
    }
}

/// A JSON document (an input or output) pretty-printed; text that is not JSON as it is.
pub fn pretty_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned())
}

/// The largest execution input StartExecution accepts: 256 KiB of UTF-8.
pub const MAX_INPUT_BYTES: usize = 262_144;

/// Check an execution input before sending it: StartExecution wants a JSON document of at most
/// [`MAX_INPUT_BYTES`].
pub fn validate_input(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok("{}".to_owned());
    }
    if trimmed.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "the input is {} bytes; Step Functions accepts at most 256 KiB ({MAX_INPUT_BYTES} \
             bytes of UTF-8): pass a smaller document, e.g. a reference to the data in S3",
            trimmed.len()
        ));
    }
    serde_json::from_str::<serde_json::Value>(trimmed)
        .map(|_| trimmed.to_owned())
        .map_err(|e| format!("the input is not valid JSON: {e}"))
}

/// Validate an execution name as StartExecution would: 1-80 characters, none of the characters
/// AWS forbids (whitespace, brackets, wildcards, control characters, `"#%\^|~`$&,;:/`), and none
/// that hide or reorder text on a screen (bidi overrides such as U+202E, zero-width characters).
pub fn validate_execution_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().count() > 80 {
        return Err("an execution name has 1 to 80 characters".to_owned());
    }
    const FORBIDDEN: &str = "<>{}[]?*\"#%\\^|~`$&,;:/";
    if let Some(bad) = name.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || crate::domain::sanitize::is_hazard(*c)
            || *c == '\u{200D}'
            || FORBIDDEN.contains(*c)
    }) {
        return Err(format!(
            "an execution name cannot contain {}; use letters, digits, - and _",
            char_name(bad)
        ));
    }
    Ok(())
}

/// A short random tag (6 lowercase letters and digits) for the names of executions one session
/// or command starts: with it, default names never repeat across sessions and machines.
pub fn session_tag() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..6].to_owned()
}

/// A character as an error message names it: printable ones quoted, the others by code point
/// and kind (never the character itself, which could reorder or hide the message).
pub fn char_name(c: char) -> String {
    let code = c as u32;
    let kind = match code {
        0x61C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 => {
            "a bidirectional control character"
        }
        _ if c.is_control() => "a control character",
        _ if crate::domain::sanitize::is_hazard(c) || code == 0x200D => "an invisible character",
        _ if c.is_whitespace() => "whitespace",
        _ => return format!("{c:?}"),
    };
    format!("U+{code:04X} ({kind})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_api_and_friendly_spellings() {
        assert_eq!(
            ExecutionStatus::parse("timed-out"),
            Some(ExecutionStatus::TimedOut)
        );
        assert_eq!(
            ExecutionStatus::parse("RUNNING"),
            Some(ExecutionStatus::Running)
        );
        assert_eq!(ExecutionStatus::parse("done"), None);
        assert!(ExecutionStatus::Aborted.is_terminal());
        assert!(!ExecutionStatus::Running.is_terminal());
        assert!(!ExecutionStatus::Succeeded.is_failure());
    }

    #[test]
    fn the_parent_execution_comes_from_the_nested_workflow_input_key() {
        let started = DateTime::<Utc>::from_timestamp(0, 0).unwrap();
        let mut detail = ExecutionDetail {
            execution: Execution {
                arn: "child".into(),
                name: "child".into(),
                machine_arn: "m".into(),
                status: ExecutionStatus::Running,
                started,
                stopped: None,
            },
            input: Some(r#"{"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": "arn:parent"}"#.into()),
            output: None,
            error: None,
            cause: None,
            machine_version_arn: None,
            redrive_count: 0,
        };
        assert_eq!(detail.parent().as_deref(), Some("arn:parent"));
        detail.input = Some("not json".into());
        assert_eq!(detail.parent(), None);
    }

    #[test]
    fn input_must_be_json_and_empty_means_an_empty_object() {
        assert_eq!(validate_input(" ").unwrap(), "{}");
        assert_eq!(validate_input(r#" {"a": 1} "#).unwrap(), r#"{"a": 1}"#);
        let err = validate_input("{a: 1}").unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
    }

    #[test]
    fn execution_names_follow_the_api_rules() {
        assert!(validate_execution_name("rerun-2025_11").is_ok());
        assert!(validate_execution_name("").is_err());
        assert!(validate_execution_name("a b").is_err());
        assert!(validate_execution_name("a/b").is_err());
        assert!(validate_execution_name(&"x".repeat(81)).is_err());
    }

    #[test]
    fn a_bidi_override_or_invisible_character_in_a_name_is_named_not_echoed() {
        let err = validate_execution_name("run\u{202E}gpj").unwrap_err();
        assert!(
            err.contains("U+202E (a bidirectional control character)"),
            "{err}"
        );
        assert!(!err.contains('\u{202E}'), "{err}");
        for (name, named) in [
            ("a\u{200B}b", "U+200B (an invisible character)"),
            ("a\u{1b}b", "U+001B (a control character)"),
            ("a\u{2066}b", "U+2066 (a bidirectional control character)"),
            ("a b", "U+0020 (whitespace)"),
            ("a/b", "'/'"),
        ] {
            let err = validate_execution_name(name).unwrap_err();
            assert!(err.contains(named), "{name:?}: {err}");
        }
        assert!(validate_execution_name("übung-1").is_ok());
    }

    #[test]
    fn an_input_over_256_kib_is_refused_with_the_limit_named() {
        let at_limit = format!("\"{}\"", "x".repeat(MAX_INPUT_BYTES - 2));
        assert_eq!(validate_input(&at_limit).unwrap().len(), MAX_INPUT_BYTES);
        let over = format!("\"{}\"", "x".repeat(MAX_INPUT_BYTES - 1));
        let err = validate_input(&over).unwrap_err();
        assert!(err.contains("262145 bytes"), "{err}");
        assert!(err.contains("at most 256 KiB (262144 bytes"), "{err}");
        // Bytes, not characters: 100,000 three-byte characters are 300,000 bytes.
        let wide = format!("\"{}\"", "€".repeat(100_000));
        assert!(validate_input(&wide).is_err());
    }

    #[test]
    fn pretty_json_indents_documents_and_keeps_other_text() {
        assert_eq!(pretty_json(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty_json("plain"), "plain");
    }
}
