//! The pane's side of the scope: the organisation's machine list in place of the current
//! account's while the scope is the organisation, the failures view (`:failures`, `E`), and
//! `Enter` from either into a machine's executions or an execution, in its own account and
//! region.

use chrono::Duration;

use super::detail::DetailView;
use super::executions::ExecutionsView;
use super::msg::Reach;
use super::scoped::{FailuresView, OrgMachines, ScopedRow};
use super::{WorkflowsEffect, WorkflowsMsg, WorkflowsPane};
use crate::app::Effect;
use crate::app::pane::Ctx;
use crate::app::scope::Scope;

impl WorkflowsPane {
    /// The organisation's machine list, started for the scope's regions unless it is already
    /// for them; true when the scope is the organisation (the current account's list is not
    /// loaded then).
    pub(super) fn ensure_org_loaded(&mut self, ctx: &mut Ctx) -> bool {
        let Scope::Organisation { regions } = &ctx.scope else {
            self.org = None;
            return false;
        };
        if self.org.as_ref().is_none_or(|o| &o.regions != regions) {
            let regions = regions.clone();
            self.load_org(regions, ctx);
        }
        true
    }

    fn load_org(&mut self, regions: Vec<String>, ctx: &mut Ctx) {
        let request = ctx.request();
        self.activity.clear();
        self.org = Some(OrgMachines::new(regions.clone(), request));
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadScopedMachines {
            request,
            reach: Reach::Organisation { regions },
        }));
    }

    /// `r` on the organisation's machines: read every target again.
    pub(super) fn reload_org(&mut self, ctx: &mut Ctx) {
        if let Some(regions) = self.org.as_ref().map(|o| o.regions.clone()) {
            self.load_org(regions, ctx);
        }
    }

    /// The failed, timed-out and aborted executions of the scope started within `window`: what
    /// was open over the machine list closes.
    pub fn open_failures(&mut self, window: Duration, ctx: &mut Ctx) {
        let reach = match &ctx.scope {
            Scope::Organisation { regions } => Reach::Organisation {
                regions: regions.clone(),
            },
            Scope::Here => match &ctx.account {
                Some(account_id) => Reach::Here {
                    account_id: account_id.clone(),
                    region: ctx.region.clone().unwrap_or_default(),
                },
                None => {
                    ctx.notify(
                        "the current account is not known yet: try again in a moment",
                        true,
                    );
                    return;
                }
            },
        };
        self.detail = None;
        self.executions = None;
        self.start_failures(reach, window, ctx);
    }

    fn start_failures(&mut self, reach: Reach, window: Duration, ctx: &mut Ctx) {
        let request = ctx.request();
        self.failures = Some(FailuresView::new(reach.clone(), window, request));
        ctx.run(Effect::Workflows(WorkflowsEffect::LoadFailures {
            request,
            reach,
            window,
        }));
    }

    /// `r` on the failures view: the same scope and window, read again up to now.
    pub(super) fn reload_failures(&mut self, ctx: &mut Ctx) {
        if let Some((reach, window)) = self.failures.as_ref().map(|f| (f.reach.clone(), f.window)) {
            self.start_failures(reach, window, ctx);
        }
    }

    /// The answers of scoped reads; other messages are not for this file.
    pub(super) fn on_scoped_msg(&mut self, msg: WorkflowsMsg) {
        match msg {
            WorkflowsMsg::ScopedMachines {
                request,
                place,
                status,
                machines,
            } => {
                if let Some(org) = self.org.as_mut() {
                    org.on_target(request, place, status, machines);
                }
            }
            WorkflowsMsg::Failures {
                request,
                place,
                status,
                executions,
                until,
            } => {
                if let Some(view) = self.failures.as_mut() {
                    view.on_target(request, place, status, executions, until);
                }
            }
            WorkflowsMsg::ScopeDone {
                request,
                targets,
                error,
                at,
            } => {
                if let Some(org) = self.org.as_mut() {
                    org.on_done(request, targets, error.clone(), at);
                }
                if let Some(view) = self.failures.as_mut() {
                    view.on_done(request, targets, error, at);
                }
            }
            _ => {}
        }
    }

    /// `Enter` on the organisation's machines: the machine's executions in its account and
    /// region; on a target that could not be read, why.
    pub(super) fn open_org_machine(&mut self, ctx: &mut Ctx) {
        let Some(org) = self.org.as_ref() else {
            return;
        };
        match org.selected() {
            Some(ScopedRow::Item(m)) => {
                let mut view = ExecutionsView::new(
                    m.machine.clone(),
                    m.place.account_id.clone(),
                    m.place.region.clone(),
                );
                view.restart(ctx);
                self.executions = Some(view);
            }
            Some(ScopedRow::Unread(u)) => ctx.notify(
                format!("{} {}: {}", u.place.account(), u.place.region, u.text()),
                true,
            ),
            None => {}
        }
    }

    /// `Enter` on the failures view: the execution in its own account and region.
    pub(super) fn open_failure(&mut self, ctx: &mut Ctx) {
        let Some(view) = self.failures.as_ref() else {
            return;
        };
        let Some(failure) = view.selected_failure() else {
            return;
        };
        self.detail = Some(DetailView::open(
            failure.found.execution.clone(),
            failure.state_machine(),
            (
                failure.place.account_id.clone(),
                failure.place.region.clone(),
            ),
            self.poll_interval,
            ctx,
        ));
    }
}
