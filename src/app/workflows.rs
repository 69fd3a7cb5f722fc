//! The Workflows pane: the Step Functions state machines of the current account.

use chrono::{DateTime, Utc};

use super::Effect;
use super::list::{ListPane, Listing};
use super::loadable::RequestId;
use super::pane::{Ctx, PaneState};
use super::table::TableView;
use crate::config::keymap::Action;
use crate::domain::workflows::{MachineType, StateMachine};
use crate::services::ServiceError;

#[derive(Debug, Default)]
pub struct WorkflowsPane {
    pub machines: ListPane<StateMachine>,
}

#[derive(Debug)]
pub enum WorkflowsMsg {
    Machines {
        request: RequestId,
        result: Result<Vec<StateMachine>, ServiceError>,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowsEffect {
    LoadMachines {
        request: RequestId,
        account_id: String,
    },
}

impl WorkflowsPane {
    pub fn on_msg(&mut self, msg: WorkflowsMsg, _ctx: &mut Ctx) {
        match msg {
            WorkflowsMsg::Machines {
                request,
                result,
                at,
            } => {
                self.machines.loaded(request, result, at);
            }
        }
    }
}

impl PaneState for WorkflowsPane {
    fn table(&self) -> &TableView {
        &self.machines.table
    }

    fn table_mut(&mut self) -> &mut TableView {
        &mut self.machines.table
    }

    fn refilter(&mut self) {
        self.machines.refilter();
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        if let Some((request, account_id)) = self.machines.load_if_needed(ctx) {
            ctx.run(Effect::Workflows(WorkflowsEffect::LoadMachines {
                request,
                account_id,
            }));
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.machines.invalidate();
        self.ensure_loaded(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        match action {
            Action::Copy => {
                if let Some(machine) = self.machines.selected() {
                    ctx.run(Effect::Copy {
                        text: machine.key(),
                    });
                }
            }
            Action::Export => ctx.run(self.machines.export("state-machines")),
            _ => {}
        }
    }

    fn is_busy(&self) -> bool {
        self.machines.list.is_loading()
    }

    fn reset(&mut self) {
        self.machines.clear();
    }

    fn hint(&self, _action: Action) -> &'static str {
        ""
    }
}

impl Listing for StateMachine {
    fn headers() -> &'static [&'static str] {
        &["NAME", "TYPE", "CREATED", "ARN"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            match self.kind {
                MachineType::Standard => "standard",
                MachineType::Express => "express",
            }
            .into(),
            self.created
                .map(|c| c.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            self.arn.clone(),
        ]
    }

    fn key(&self) -> String {
        self.arn.clone()
    }
}
