//! The machine lists' 24-hour column: each standard machine's executions of the last 24 hours
//! by outcome in [`BUCKETS`] buckets, read lazily for the rows on screen only, at most
//! [`IN_FLIGHT`] reads at a time (each a ListExecutions page of 100, more pages only for a
//! machine with more than 100 executions that day; the AWS adapter paces ListExecutions per
//! account and region below its quota), so scrolling never waits for them and a long list costs
//! only what is looked at.

use chrono::{DateTime, Duration, Utc};

use super::scoped::ScopedRow;
use super::{WorkflowsEffect, WorkflowsPane};
use crate::app::Effect;
use crate::app::pane::Ctx;
use crate::domain::workflows::{Execution, ExecutionStatus, MachineType};

/// Buckets of the column: two hours each.
pub const BUCKETS: usize = 12;
/// The window of the column.
pub const WINDOW_HOURS: i64 = 24;
/// Reads in flight at most.
pub const IN_FLIGHT: usize = 2;
/// Pages read per machine at most (100 executions each).
pub const MAX_PAGES: usize = 5;

/// Executions of one bucket by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub succeeded: u32,
    /// Failed, timed out or aborted.
    pub failed: u32,
    /// Running (or waiting for a redrive).
    pub running: u32,
}

impl Outcomes {
    pub fn total(&self) -> u32 {
        self.succeeded + self.failed + self.running
    }
}

/// A machine's column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activity {
    Loading,
    /// Oldest bucket first.
    Ready(Vec<Outcomes>),
    Failed,
}

/// `executions` (newest first or not) started within the [`WINDOW_HOURS`] before `now`, in
/// [`BUCKETS`] buckets by their start, oldest first.
pub fn buckets(executions: &[Execution], now: DateTime<Utc>) -> Vec<Outcomes> {
    let mut out = vec![Outcomes::default(); BUCKETS];
    let window = Duration::hours(WINDOW_HOURS).num_milliseconds();
    let since = now - Duration::hours(WINDOW_HOURS);
    for e in executions {
        let offset = (e.started - since).num_milliseconds();
        if !(0..window).contains(&offset) {
            continue;
        }
        let i = usize::try_from(offset * BUCKETS as i64 / window).unwrap_or(0);
        let b = &mut out[i.min(BUCKETS - 1)];
        match e.status {
            ExecutionStatus::Succeeded => b.succeeded += 1,
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive => b.running += 1,
            _ => b.failed += 1,
        }
    }
    out
}

impl WorkflowsPane {
    /// Ask for the column of the standard machines on screen that do not have it yet, up to
    /// [`IN_FLIGHT`] reads at a time; nothing while another level is open over the list.
    pub(super) fn request_activity(&mut self, ctx: &mut Ctx) {
        if self.detail.is_some() || self.executions.is_some() || self.failures.is_some() {
            return;
        }
        let in_flight = self
            .activity
            .values()
            .filter(|a| **a == Activity::Loading)
            .count();
        let mut room = IN_FLIGHT.saturating_sub(in_flight);
        if room == 0 {
            return;
        }
        // (account, region, machine ARN) of the rows in the window.
        let on_screen: Vec<(String, String, String)> = if let Some(org) = &self.org {
            org.table
                .window(ctx.rows)
                .iter()
                .filter_map(|&i| match org.row(i)? {
                    ScopedRow::Item(m) if m.machine.kind == MachineType::Standard => Some((
                        m.place.account_id.clone(),
                        m.place.region.clone(),
                        m.machine.arn.clone(),
                    )),
                    _ => None,
                })
                .collect()
        } else {
            let Some(account) = self.machines.account.clone() else {
                return;
            };
            let items = self.machines.items();
            self.machines
                .table
                .window(ctx.rows)
                .iter()
                .filter_map(|&i| items.get(i))
                .filter(|m| m.kind == MachineType::Standard)
                .map(|m| (account.clone(), String::new(), m.arn.clone()))
                .collect()
        };
        for (account_id, region, machine_arn) in on_screen {
            if room == 0 {
                break;
            }
            if self.activity.contains_key(&machine_arn) {
                continue;
            }
            self.activity.insert(machine_arn.clone(), Activity::Loading);
            room -= 1;
            ctx.run(Effect::Workflows(WorkflowsEffect::LoadActivity {
                account_id,
                region,
                machine_arn,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::workflows::fixtures::execution;

    #[test]
    fn executions_fall_in_two_hour_buckets_by_outcome_and_older_ones_are_left_out() {
        let now = crate::app::tests::at();
        let mut failed = execution("m", "a", ExecutionStatus::Failed, 60);
        failed.started = now - Duration::minutes(1);
        let mut ok = execution("m", "b", ExecutionStatus::Succeeded, 0);
        ok.started = now - Duration::minutes(150);
        let mut old = execution("m", "c", ExecutionStatus::TimedOut, 0);
        old.started = now - Duration::hours(25);
        let mut first = execution("m", "d", ExecutionStatus::Running, 0);
        first.started = now - Duration::hours(24) + Duration::seconds(1);
        let b = buckets(&[failed, ok, old, first], now);
        assert_eq!(b.len(), 12);
        assert_eq!(b[11].failed, 1);
        assert_eq!(b[10].succeeded, 1);
        assert_eq!(b[0].running, 1);
        assert_eq!(b.iter().map(Outcomes::total).sum::<u32>(), 3);
    }
}
