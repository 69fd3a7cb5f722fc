//! The changes an operator makes from the pane: the start (and rerun) form, the stop form, the
//! redrive; each becomes a plan for the shell's confirmation and audit path.

use crossterm::event::KeyEvent;

use super::WorkflowsPane;
use crate::app::form::{Field, Form, FormKey};
use crate::app::pane::Ctx;
use crate::app::{Change, Effect, Pane};
use crate::domain::workflows::plan::change_plan;
use crate::domain::workflows::{
    Execution, ExecutionStatus, StateMachine, WorkflowChange, validate_execution_name,
    validate_input,
};

/// What the stop form stops: the error and cause fields are recorded with the stop.
#[derive(Debug, Clone)]
pub struct StopTarget {
    pub execution_arn: String,
    pub name: String,
    pub account: String,
}

/// Stop an execution: the error (field 0) and cause (field 1), both optional.
pub type StopForm = Form<StopTarget>;

/// The field of the start form's execution name.
pub const NAME: usize = 0;
/// The field of the start form's input.
pub const INPUT: usize = 1;

impl StopForm {
    pub fn change(&self) -> WorkflowChange {
        let text = |i: usize| Some(self.value(i)).filter(|t| !t.is_empty());
        WorkflowChange::Stop {
            execution_arn: self.kind.execution_arn.clone(),
            error: text(0),
            cause: text(1),
        }
    }
}

/// What the start form starts.
#[derive(Debug, Clone)]
pub struct StartTarget {
    pub machine: StateMachine,
    pub account: String,
}

/// Start an execution: its name ([`NAME`]) and input ([`INPUT`]), checked before the plan is
/// shown.
pub type StartForm = Form<StartTarget>;

impl StartForm {
    fn start(machine: StateMachine, account: String, name: String, input: String) -> StartForm {
        Form::new(
            StartTarget { machine, account },
            vec![Field::text("name", name), Field::text("input", input)],
        )
        .focused(INPUT)
        .with_editor()
    }

    /// The change the form describes, or what is wrong with it.
    pub fn change(&self) -> Result<WorkflowChange, String> {
        let name = self.value(NAME);
        validate_execution_name(&name)?;
        let input = validate_input(self.fields[INPUT].input.value())?;
        Ok(WorkflowChange::Start {
            machine_arn: self.kind.machine.arn.clone(),
            name,
            input,
        })
    }
}

impl WorkflowsPane {
    /// `n` on a machine or its executions: a new execution with `{}`; on an execution: a rerun
    /// form with its input.
    pub(super) fn new_execution(&mut self, ctx: &mut Ctx) {
        let (machine, account, name, input) = if let Some(detail) = &self.detail {
            (
                detail.machine.clone(),
                detail.account.clone(),
                rerun_name(&detail.execution.name, ctx.session_tag, ctx.request().0),
                detail
                    .input()
                    .map(|i| compact_json(&i))
                    .unwrap_or_else(|| "{}".into()),
            )
        } else if let Some(view) = &self.executions {
            (
                view.machine.clone(),
                view.account.clone(),
                default_name(ctx.session_tag, ctx.request().0),
                "{}".to_owned(),
            )
        } else if let Some(org) = &self.org {
            let Some(super::scoped::ScopedRow::Item(m)) = org.selected() else {
                return;
            };
            (
                m.machine.clone(),
                m.place.account_id.clone(),
                default_name(ctx.session_tag, ctx.request().0),
                "{}".to_owned(),
            )
        } else {
            let Some(machine) = self.machines.selected().cloned() else {
                return;
            };
            let Some(account) = self.machines.account.clone() else {
                return;
            };
            (
                machine,
                account,
                default_name(ctx.session_tag, ctx.request().0),
                "{}".to_owned(),
            )
        };
        self.form = Some(StartForm::start(machine, account, name, input));
    }

    /// The selected execution in the current view.
    fn selected_execution(&self) -> Option<(&Execution, &str)> {
        if let Some(detail) = &self.detail {
            return Some((&detail.execution, detail.account.as_str()));
        }
        self.executions
            .as_ref()
            .and_then(|v| v.selected().map(|e| (e, v.account.as_str())))
    }

    /// The plan of `change` in `account` and in the region its ARN names (an execution opened
    /// from the organisation or the failures view lives in its own), else the current one.
    fn propose(&self, change: WorkflowChange, account: &str, ctx: &mut Ctx) {
        let arn = match &change {
            WorkflowChange::Start { machine_arn, .. } => machine_arn,
            WorkflowChange::Stop { execution_arn, .. }
            | WorkflowChange::Redrive { execution_arn } => execution_arn,
        };
        let region = arn
            .split(':')
            .nth(3)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .or_else(|| ctx.region.clone())
            .unwrap_or_default();
        ctx.confirm(change_plan(change, account, &region).map_actions(Change::Workflows));
    }

    pub(super) fn stop_selected(&mut self, ctx: &mut Ctx) {
        let Some((execution, account)) = self.selected_execution() else {
            return;
        };
        if execution.status.is_terminal() {
            ctx.notify(
                format!(
                    "{} is {}: only a running execution can be stopped",
                    execution.name,
                    execution.status.as_str()
                ),
                true,
            );
            return;
        }
        let target = StopTarget {
            execution_arn: execution.arn.clone(),
            name: execution.name.clone(),
            account: account.to_owned(),
        };
        let fields = vec![
            Field::text("error", "Operator.Stopped"),
            Field::text("cause", ""),
        ];
        self.stop = Some(Form::new(target, fields).focused(1));
    }

    pub(super) fn on_stop_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(form) = self.stop.as_mut() else {
            return;
        };
        match form.on_key(key, ctx.keymap) {
            FormKey::Cancel => self.stop = None,
            FormKey::Submit => {
                let change = form.change();
                let account = form.kind.account.clone();
                self.stop = None;
                self.propose(change, &account, ctx);
            }
            FormKey::Handled | FormKey::Editor => {}
        }
    }

    pub(super) fn redrive_selected(&mut self, ctx: &mut Ctx) {
        let Some((execution, account)) = self.selected_execution() else {
            return;
        };
        if !matches!(
            execution.status,
            ExecutionStatus::Failed | ExecutionStatus::TimedOut | ExecutionStatus::Aborted
        ) {
            ctx.notify(
                "only a failed, timed-out or aborted execution can be redriven",
                true,
            );
            return;
        }
        let change = WorkflowChange::Redrive {
            execution_arn: execution.arn.clone(),
        };
        let account = account.to_owned();
        self.propose(change, &account, ctx);
    }

    pub(super) fn on_form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match form.on_key(key, ctx.keymap) {
            FormKey::Cancel => self.form = None,
            // The input in the operator's editor, pretty-printed when it is JSON already.
            FormKey::Editor => {
                let raw = form.fields[INPUT].input.value();
                let text = serde_json::from_str::<serde_json::Value>(raw)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .unwrap_or_else(|| raw.to_owned());
                ctx.run(Effect::EditExternally {
                    pane: Pane::Workflows,
                    text,
                });
            }
            FormKey::Submit => match form.change() {
                Ok(change) => {
                    let account = form.kind.account.clone();
                    self.form = None;
                    self.propose(change, &account, ctx);
                }
                Err(e) => form.error = Some(e),
            },
            FormKey::Handled => {}
        }
    }
}

/// `opsdeck-<session tag>-<n>`: unique across sessions (the tag is random) and within one.
fn default_name(tag: &str, n: u64) -> String {
    format!("opsdeck-{tag}-{n}")
}

/// `<name>-rerun-<session tag>-<n>`, the name cut so the whole fits AWS's 80 characters.
fn rerun_name(name: &str, tag: &str, n: u64) -> String {
    let suffix = format!("-rerun-{tag}-{n}");
    let keep = 80usize.saturating_sub(suffix.len());
    let base: String = name.chars().take(keep).collect();
    format!("{base}{suffix}")
}

fn compact_json(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| text.to_owned())
}
