//! `sfn watch`: follow an execution until it ends, one line per transition, polling at the pace
//! the domain's schedule sets and riding out transient failures.

use std::io::Write;
use std::time::Duration;

use super::show::is_express;
use crate::domain::sanitize::sanitize;
use crate::domain::time;
use crate::domain::workflows::ExecutionStatus;
use crate::domain::workflows::watch::{
    EventLog, FULL_PAGE_SIZE, MAX_FAILED_POLLS, PollSchedule, is_transition, next_page_size,
};
use crate::services::Workflows;

/// Follow an execution until it ends, one line per transition on `out`. A poll that fails with a
/// transient error (throttled, unreachable, lost connection, a server-side failure; the SDK's own
/// retries already spent) waits longer and polls again, saying so on `err`; after
/// [`MAX_FAILED_POLLS`] such polls in a row the watch gives up. Any other failure stops it at once.
pub async fn watch(
    backend: &dyn Workflows,
    account: &str,
    arn: &str,
    interval: Duration,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let mut log = EventLog::default();
    let mut schedule = PollSchedule::new(interval);
    let mut page = FULL_PAGE_SIZE;
    let mut last_answer = tokio::time::Instant::now();
    loop {
        let known = log.last_id();
        let polled = backend.poll_new_events(account, arn, known, page).await;
        let delay = match polled {
            Ok(fetched) => {
                last_answer = tokio::time::Instant::now();
                let before = log.events().len();
                let added = log.extend(fetched.events);
                page = next_page_size(added);
                for event in &log.events()[before..] {
                    if is_transition(event) {
                        writeln!(out, "{}", sanitize(&event.summary()))?;
                    }
                    if let Some(status) = event.terminal_status() {
                        out.flush()?;
                        return Ok(if status == ExecutionStatus::Succeeded {
                            crate::exit::SUCCESS
                        } else {
                            crate::exit::PROBLEMS
                        });
                    }
                }
                out.flush()?;
                if added > 0 {
                    schedule.active()
                } else {
                    schedule.idle()
                }
            }
            Err(e) if e.is_transient() => {
                let delay = schedule.throttled();
                if schedule.exhausted() {
                    anyhow::bail!(
                        "gave up watching {} after {} failed polls in a row ({} without an answer): {e}",
                        sanitize(arn),
                        schedule.failed_polls(),
                        time::duration(
                            i64::try_from(last_answer.elapsed().as_millis()).unwrap_or(i64::MAX)
                        )
                    );
                }
                tracing::warn!(code = ?e.code, "sfn watch: {}", e.message);
                writeln!(
                    err,
                    "opsdeck: {}; polling again in {} ({} of {MAX_FAILED_POLLS} failed polls in a row)",
                    sanitize(&e.to_string()),
                    time::duration(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX)),
                    schedule.failed_polls()
                )?;
                delay
            }
            Err(e) if known == 0 => {
                let detail = backend.execution(account, arn).await?;
                if is_express(backend, account, &detail.execution.machine_arn).await {
                    anyhow::bail!(
                        "{} ran on an express state machine: express executions have no event history to watch",
                        sanitize(arn)
                    );
                }
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        };
        tokio::time::sleep(delay).await;
    }
}
