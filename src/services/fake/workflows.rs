//! Step Functions in the fake: state machines, their executions (status, input, output, error and
//! cause, redrives) and each execution's event history. Start, stop and redrive change them as the
//! service does; nothing runs by itself: a test ends an execution with
//! [`FakeBackend::succeed_execution`] or [`FakeBackend::fail_execution`].

use async_trait::async_trait;

use super::sfn::{Machine, PASS, aws, bad_token};
use super::{FakeBackend, page};
use crate::domain::workflows::watch::{HistoryPage, HistoryRequest};
use crate::domain::workflows::{
    Event, EventDetails, Execution, ExecutionDetail, ExecutionPage, ExecutionStatus,
    MachineDefinition, MachineType, StateMachine,
};
use crate::services::{ErrorKind, ServiceError, Workflows};

/// A state machine to seed, with its executions.
#[derive(Debug, Clone)]
pub struct MachineSeed {
    name: String,
    kind: MachineType,
    definition: String,
    executions: Vec<ExecutionSeed>,
}

impl MachineSeed {
    pub fn standard(name: &str) -> MachineSeed {
        MachineSeed {
            name: name.to_owned(),
            kind: MachineType::Standard,
            definition: PASS.to_owned(),
            executions: Vec::new(),
        }
    }

    pub fn express(name: &str) -> MachineSeed {
        MachineSeed {
            kind: MachineType::Express,
            ..MachineSeed::standard(name)
        }
    }

    pub fn definition(mut self, definition: &str) -> MachineSeed {
        definition.clone_into(&mut self.definition);
        self
    }

    /// An execution, started after the ones before it.
    pub fn execution(mut self, execution: ExecutionSeed) -> MachineSeed {
        self.executions.push(execution);
        self
    }
}

/// An execution to seed: its status, data, and the states it went through (each entered and
/// exited, the last one only entered when it failed).
#[derive(Debug, Clone)]
pub struct ExecutionSeed {
    name: String,
    status: ExecutionStatus,
    input: String,
    output: Option<String>,
    error: Option<String>,
    cause: Option<String>,
    states: Vec<(String, String)>,
}

impl ExecutionSeed {
    pub fn new(name: &str, status: ExecutionStatus) -> ExecutionSeed {
        ExecutionSeed {
            name: name.to_owned(),
            status,
            input: "{}".to_owned(),
            output: (status == ExecutionStatus::Succeeded).then(|| "{}".to_owned()),
            error: None,
            cause: None,
            states: Vec::new(),
        }
    }

    pub fn running(name: &str) -> ExecutionSeed {
        ExecutionSeed::new(name, ExecutionStatus::Running)
    }

    pub fn succeeded(name: &str) -> ExecutionSeed {
        ExecutionSeed::new(name, ExecutionStatus::Succeeded)
    }

    pub fn failed(name: &str, error: &str, cause: &str) -> ExecutionSeed {
        let mut seed = ExecutionSeed::new(name, ExecutionStatus::Failed);
        (seed.error, seed.cause) = (Some(error.to_owned()), Some(cause.to_owned()));
        seed
    }

    pub fn input(mut self, input: &str) -> ExecutionSeed {
        input.clone_into(&mut self.input);
        self
    }

    pub fn output(mut self, output: &str) -> ExecutionSeed {
        self.output = Some(output.to_owned());
        self
    }

    /// A state it went through: its type (`Task`, `Pass`...) and name.
    pub fn state(mut self, kind: &str, name: &str) -> ExecutionSeed {
        self.states.push((kind.to_owned(), name.to_owned()));
        self
    }
}

impl FakeBackend {
    /// The ARN of a machine of the caller's account.
    pub fn machine_arn(&self, name: &str) -> String {
        format!(
            "arn:aws:states:{}:{}:stateMachine:{name}",
            self.region,
            self.account_id()
        )
    }

    /// The ARN of an execution of a machine of the caller's account.
    pub fn execution_arn(&self, machine: &str, name: &str) -> String {
        format!(
            "arn:aws:states:{}:{}:execution:{machine}:{name}",
            self.region,
            self.account_id()
        )
    }

    /// A state machine of the caller's account, with its executions.
    pub fn with_machine(self, seed: MachineSeed) -> FakeBackend {
        let account = self.account_id();
        self.with_machine_in(&account, seed)
    }

    /// A state machine of another account (in this view's region), with its executions.
    pub fn with_machine_in(self, account: &str, seed: MachineSeed) -> FakeBackend {
        {
            let arn = format!(
                "arn:aws:states:{}:{account}:stateMachine:{}",
                self.region, seed.name
            );
            let account = account.to_owned();
            let mut world = self.lock();
            let created = world.tick();
            let mut machine = Machine {
                machine: StateMachine {
                    arn: arn.clone(),
                    name: seed.name.clone(),
                    kind: seed.kind,
                    created: Some(created),
                },
                definition: seed.definition,
                runs: Vec::new(),
            };
            for e in seed.executions {
                let now = world.tick();
                machine
                    .start(&e.name, &e.input, now)
                    .unwrap_or_else(|e| panic!("seed: {e:?}"));
                let Some(run) = machine.runs.last_mut() else {
                    continue;
                };
                let last = e.states.len();
                for (i, (kind, state)) in e.states.iter().enumerate() {
                    run.push(
                        &format!("{kind}StateEntered"),
                        Some(state),
                        EventDetails::default(),
                        world.tick(),
                    );
                    if i + 1 < last || e.status != ExecutionStatus::Failed {
                        run.push(
                            &format!("{kind}StateExited"),
                            Some(state),
                            EventDetails::default(),
                            world.tick(),
                        );
                    }
                }
                if e.status != ExecutionStatus::Running {
                    run.end(e.status, e.output, e.error, e.cause, world.tick());
                }
            }
            world.sfn.machines.push((account, machine));
        }
        self
    }

    /// End a running execution successfully with `output`, as its last state would.
    pub fn succeed_execution(&self, arn: &str, output: &str) {
        self.end(
            arn,
            ExecutionStatus::Succeeded,
            Some(output.to_owned()),
            None,
            None,
        );
    }

    /// End a running execution as failed.
    pub fn fail_execution(&self, arn: &str, error: &str, cause: &str) {
        let (error, cause) = (Some(error.to_owned()), Some(cause.to_owned()));
        self.end(arn, ExecutionStatus::Failed, None, error, cause);
    }

    fn end(
        &self,
        arn: &str,
        status: ExecutionStatus,
        output: Option<String>,
        error: Option<String>,
        cause: Option<String>,
    ) {
        let mut world = self.lock();
        let now = world.tick();
        let mut runs = world.sfn.machines.iter_mut().flat_map(|(_, m)| &mut m.runs);
        let run = runs.find(|r| r.detail.execution.arn == arn);
        let run = run.unwrap_or_else(|| panic!("no execution {arn}"));
        assert_eq!(
            run.detail.execution.status,
            ExecutionStatus::Running,
            "{arn} is not running"
        );
        run.end(status, output, error, cause, now);
    }

    /// An execution as DescribeExecution would answer.
    pub fn execution_detail(&self, arn: &str) -> Option<ExecutionDetail> {
        self.lock().sfn.find(arn).map(|r| r.detail.clone())
    }

    /// An execution's events, oldest first.
    pub fn history(&self, arn: &str) -> Vec<Event> {
        let world = self.lock();
        world
            .sfn
            .find(arn)
            .map(|r| r.events.clone())
            .unwrap_or_default()
    }

    /// The executions of a machine, oldest first.
    pub fn executions_of(&self, machine_arn: &str) -> Vec<ExecutionDetail> {
        let world = self.lock();
        let mut machines = world.sfn.machines.iter();
        let machine = machines.find(|(_, m)| m.machine.arn == machine_arn);
        let runs = machine.map(|(_, m)| m.runs.iter().map(|r| r.detail.clone()).collect());
        runs.unwrap_or_default()
    }
}

#[async_trait]
impl Workflows for FakeBackend {
    async fn state_machines(&self, account_id: &str) -> Result<Vec<StateMachine>, ServiceError> {
        let what = "Step Functions ListStateMachines";
        self.call(account_id, "ListStateMachines", "", what, |w| {
            let machines = w.sfn.machines.iter().filter(|(a, _)| a == account_id);
            Ok(machines.map(|(_, m)| m.machine.clone()).collect())
        })
    }

    async fn state_machine(
        &self,
        account_id: &str,
        machine_arn: &str,
    ) -> Result<MachineDefinition, ServiceError> {
        let what = "Step Functions DescribeStateMachine";
        self.call(account_id, "DescribeStateMachine", machine_arn, what, |w| {
            let m = w.sfn.machine(account_id, machine_arn)?;
            Ok(MachineDefinition {
                arn: m.machine.arn.clone(),
                name: m.machine.name.clone(),
                kind: m.machine.kind,
                definition: m.definition.clone(),
                revision_id: None,
            })
        })
    }

    async fn executions(
        &self,
        account_id: &str,
        machine_arn: &str,
        status: Option<ExecutionStatus>,
        next_token: Option<String>,
        max_results: i32,
    ) -> Result<ExecutionPage, ServiceError> {
        let what = "Step Functions ListExecutions";
        self.call(account_id, "ListExecutions", machine_arn, what, |w| {
            let m = w.sfn.machine(account_id, machine_arn)?;
            if m.machine.kind == MachineType::Express {
                let message = "This operation is not supported by this type of state machine";
                return Err(aws(
                    ErrorKind::Other,
                    "StateMachineTypeNotSupported",
                    message.to_owned(),
                ));
            }
            let mut runs: Vec<Execution> =
                m.runs.iter().map(|r| r.detail.execution.clone()).collect();
            runs.retain(|e| status.is_none_or(|s| e.status == s));
            runs.sort_by_key(|e| std::cmp::Reverse(e.started));
            let size = match usize::try_from(max_results) {
                Ok(0) | Err(_) => 100,
                Ok(n) => n.min(1000),
            };
            let (executions, next_token) =
                page(&runs, next_token.as_deref(), size).ok_or_else(bad_token)?;
            Ok(ExecutionPage {
                executions,
                next_token,
            })
        })
    }

    async fn execution(
        &self,
        account_id: &str,
        execution_arn: &str,
    ) -> Result<ExecutionDetail, ServiceError> {
        let what = "Step Functions DescribeExecution";
        self.call(account_id, "DescribeExecution", execution_arn, what, |w| {
            Ok(w.sfn.run(account_id, execution_arn)?.0.detail.clone())
        })
    }

    async fn history_page(
        &self,
        account_id: &str,
        execution_arn: &str,
        request: HistoryRequest,
    ) -> Result<HistoryPage, ServiceError> {
        let what = "Step Functions GetExecutionHistory";
        self.call(
            account_id,
            "GetExecutionHistory",
            execution_arn,
            what,
            |w| {
                let events = &w.sfn.run(account_id, execution_arn)?.0.events;
                let newest = events.len() as i64;
                let direction = if request.reverse_order { "r" } else { "f" };
                let start = match &request.next_token {
                    None if request.reverse_order => newest,
                    None => 1,
                    Some(t) => t
                        .strip_prefix(&format!("history-{direction}-"))
                        .and_then(|id| id.parse::<i64>().ok())
                        .filter(|id| (1..=newest).contains(id))
                        .ok_or_else(bad_token)?,
                };
                let size = match request.max_results {
                    n if n <= 0 => 100,
                    n => i64::from(n.min(1000)),
                };
                let ids: Vec<i64> = if request.reverse_order {
                    (1..=start).rev().take(size as usize).collect()
                } else {
                    (start..=newest).take(size as usize).collect()
                };
                let next = ids
                    .last()
                    .map_or(0, |&l| if request.reverse_order { l - 1 } else { l + 1 });
                Ok(HistoryPage {
                    events: ids
                        .iter()
                        .map(|&id| events[(id - 1) as usize].clone())
                        .collect(),
                    next_token: (1..=newest)
                        .contains(&next)
                        .then(|| format!("history-{direction}-{next}")),
                })
            },
        )
    }

    async fn start_execution(
        &self,
        account_id: &str,
        machine_arn: &str,
        name: &str,
        input: &str,
    ) -> Result<String, ServiceError> {
        let what = "Step Functions StartExecution";
        self.change(account_id, "StartExecution", machine_arn, what, |w| {
            let now = w.tick();
            w.sfn
                .machine(account_id, machine_arn)?
                .start(name, input, now)
        })
    }

    async fn stop_execution(
        &self,
        account_id: &str,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), ServiceError> {
        let what = "Step Functions StopExecution";
        self.change(account_id, "StopExecution", execution_arn, what, |w| {
            let now = w.tick();
            let (run, _) = w.sfn.run(account_id, execution_arn)?;
            let status = run.detail.execution.status;
            if status.is_terminal() {
                // AWS documents no error of its own for this: the fake answers with the
                // validation error, so a stop of an ended execution fails and changes nothing.
                let message = format!(
                    "Execution '{execution_arn}' is not running: its status is {}",
                    status.as_str()
                );
                return Err(aws(ErrorKind::Invalid, "ValidationException", message));
            }
            let (error, cause) = (error.map(str::to_owned), cause.map(str::to_owned));
            run.end(ExecutionStatus::Aborted, None, error, cause, now);
            Ok(())
        })
    }

    async fn redrive_execution(
        &self,
        account_id: &str,
        execution_arn: &str,
    ) -> Result<(), ServiceError> {
        let what = "Step Functions RedriveExecution";
        self.change(account_id, "RedriveExecution", execution_arn, what, |w| {
            let now = w.tick();
            let (run, kind) = w.sfn.run(account_id, execution_arn)?;
            let status = run.detail.execution.status;
            if kind == MachineType::Express || !status.is_failure() {
                let message = format!(
                    "Execution '{execution_arn}' cannot be redriven: its status is {}",
                    status.as_str()
                );
                return Err(aws(ErrorKind::Other, "ExecutionNotRedrivable", message));
            }
            run.push("ExecutionRedriven", None, EventDetails::default(), now);
            let d = &mut run.detail;
            d.execution.status = ExecutionStatus::Running;
            d.execution.stopped = None;
            (d.output, d.error, d.cause) = (None, None, None);
            d.redrive_count += 1;
            Ok(())
        })
    }
}
