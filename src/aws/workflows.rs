//! Step Functions adapter: machines, executions, history pages, start/stop/redrive, paced to the
//! published quotas per account (GetExecutionHistory bucket 400 refilling 20/s, ListExecutions
//! bucket 100 refilling 2/s) so a watcher or a long history cannot get the account throttled.

use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use aws_sdk_sfn::types::{self as sfn, HistoryEvent};
use chrono::{DateTime, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::{Aws, map_sdk_error};
use crate::domain::workflows::watch::{HistoryPage, HistoryRequest};
use crate::domain::workflows::{
    Event, EventDetails, Execution, ExecutionDetail, ExecutionPage, ExecutionStatus,
    MachineDefinition, MachineType, StateMachine,
};
use crate::services::{ErrorKind, ServiceError, Workflows};

fn quota(per_second: u32, burst: u32) -> Quota {
    let rate = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(rate).allow_burst(burst)
}

/// Limits keyed by account and region (Step Functions' quotas are per account and region, so an
/// org-wide read of several regions does not queue one region behind another), shared by every
/// client of the process.
fn history_limiter() -> &'static Arc<DefaultKeyedRateLimiter<String>> {
    static LIMITER: OnceLock<Arc<DefaultKeyedRateLimiter<String>>> = OnceLock::new();
    LIMITER.get_or_init(|| Arc::new(RateLimiter::keyed(quota(20, 400))))
}

/// The bucket of an account in a region.
fn quota_key(account_id: &str, region: Option<String>) -> String {
    format!("{account_id}/{}", region.unwrap_or_default())
}

fn list_limiter() -> &'static Arc<DefaultKeyedRateLimiter<String>> {
    static LIMITER: OnceLock<Arc<DefaultKeyedRateLimiter<String>>> = OnceLock::new();
    LIMITER.get_or_init(|| Arc::new(RateLimiter::keyed(quota(2, 100))))
}

fn time(t: &aws_smithy_types::DateTime) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(t.secs(), t.subsec_nanos()).unwrap_or_default()
}

fn machine_type(t: &sfn::StateMachineType) -> MachineType {
    match t {
        sfn::StateMachineType::Express => MachineType::Express,
        _ => MachineType::Standard,
    }
}

fn status(s: &sfn::ExecutionStatus) -> ExecutionStatus {
    match s {
        sfn::ExecutionStatus::Succeeded => ExecutionStatus::Succeeded,
        sfn::ExecutionStatus::Failed => ExecutionStatus::Failed,
        sfn::ExecutionStatus::TimedOut => ExecutionStatus::TimedOut,
        sfn::ExecutionStatus::Aborted => ExecutionStatus::Aborted,
        sfn::ExecutionStatus::PendingRedrive => ExecutionStatus::PendingRedrive,
        _ => ExecutionStatus::Running,
    }
}

fn sdk_status(s: ExecutionStatus) -> sfn::ExecutionStatus {
    match s {
        ExecutionStatus::Running => sfn::ExecutionStatus::Running,
        ExecutionStatus::Succeeded => sfn::ExecutionStatus::Succeeded,
        ExecutionStatus::Failed => sfn::ExecutionStatus::Failed,
        ExecutionStatus::TimedOut => sfn::ExecutionStatus::TimedOut,
        ExecutionStatus::Aborted => sfn::ExecutionStatus::Aborted,
        ExecutionStatus::PendingRedrive => sfn::ExecutionStatus::PendingRedrive,
    }
}

/// An SDK history event as an owned [`Event`]: the state it names and the details worth showing.
fn event(e: HistoryEvent) -> Event {
    let mut d = EventDetails::default();
    let mut state = None;
    let err = |d: &mut EventDetails, error: Option<String>, cause: Option<String>| {
        d.error = error;
        d.cause = cause;
    };
    if let Some(x) = e.state_entered_event_details {
        state = Some(x.name);
        d.input = x.input;
    }
    if let Some(x) = e.state_exited_event_details {
        state = Some(x.name);
        d.output = x.output;
    }
    if let Some(x) = e.execution_started_event_details {
        d.input = x.input;
    }
    if let Some(x) = e.execution_succeeded_event_details {
        d.output = x.output;
    }
    if let Some(x) = e.execution_failed_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.execution_aborted_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.execution_timed_out_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.task_scheduled_event_details {
        d.input = Some(x.parameters);
        d.resource = Some(x.resource);
        d.resource_type = Some(x.resource_type);
    }
    if let Some(x) = e.task_succeeded_event_details {
        d.output = x.output;
        d.resource = Some(x.resource);
        d.resource_type = Some(x.resource_type);
    }
    if let Some(x) = e.task_failed_event_details {
        err(&mut d, x.error, x.cause);
        d.resource = Some(x.resource);
        d.resource_type = Some(x.resource_type);
    }
    if let Some(x) = e.task_timed_out_event_details {
        err(&mut d, x.error, x.cause);
        d.resource = Some(x.resource);
        d.resource_type = Some(x.resource_type);
    }
    if let Some(x) = e.task_start_failed_event_details {
        err(&mut d, x.error, x.cause);
        d.resource = Some(x.resource);
    }
    if let Some(x) = e.task_submit_failed_event_details {
        err(&mut d, x.error, x.cause);
        d.resource = Some(x.resource);
    }
    if let Some(x) = e.lambda_function_scheduled_event_details {
        d.input = x.input;
        d.resource = Some(x.resource);
    }
    if let Some(x) = e.lambda_function_succeeded_event_details {
        d.output = x.output;
    }
    if let Some(x) = e.lambda_function_failed_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.lambda_function_timed_out_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.lambda_function_start_failed_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.lambda_function_schedule_failed_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.activity_scheduled_event_details {
        d.input = x.input;
        d.resource = Some(x.resource);
    }
    if let Some(x) = e.activity_succeeded_event_details {
        d.output = x.output;
    }
    if let Some(x) = e.activity_failed_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.activity_timed_out_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.activity_schedule_failed_event_details {
        err(&mut d, x.error, x.cause);
    }
    if let Some(x) = e.evaluation_failed_event_details {
        err(&mut d, x.error, x.cause);
        state = Some(x.state);
    }
    if let Some(x) = e.map_state_started_event_details {
        d.length = Some(i64::from(x.length));
    }
    for x in [
        e.map_iteration_started_event_details,
        e.map_iteration_succeeded_event_details,
        e.map_iteration_failed_event_details,
        e.map_iteration_aborted_event_details,
    ]
    .into_iter()
    .flatten()
    {
        state = x.name;
        d.index = Some(i64::from(x.index));
    }
    Event {
        id: e.id,
        previous_id: e.previous_event_id,
        kind: e.r#type.as_str().to_owned(),
        timestamp: time(&e.timestamp),
        state,
        details: d,
    }
}

#[async_trait]
impl Workflows for Aws {
    async fn state_machines(&self, account_id: &str) -> Result<Vec<StateMachine>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let mut pages = clients.sfn().list_state_machines().into_paginator().send();
        let mut machines = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| map_sdk_error(e, "Step Functions ListStateMachines"))?;
            machines.extend(page.state_machines.into_iter().map(|m| StateMachine {
                arn: m.state_machine_arn,
                name: m.name,
                kind: machine_type(&m.r#type),
                created: Some(time(&m.creation_date)),
            }));
        }
        Ok(machines)
    }

    async fn state_machine(
        &self,
        account_id: &str,
        machine_arn: &str,
    ) -> Result<MachineDefinition, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let out = clients
            .sfn()
            .describe_state_machine()
            .state_machine_arn(machine_arn)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Step Functions DescribeStateMachine"))?;
        Ok(MachineDefinition {
            arn: out.state_machine_arn,
            name: out.name,
            kind: machine_type(&out.r#type),
            definition: out.definition,
            revision_id: out.revision_id,
        })
    }

    async fn executions(
        &self,
        account_id: &str,
        machine_arn: &str,
        status_filter: Option<ExecutionStatus>,
        next_token: Option<String>,
        max_results: i32,
    ) -> Result<ExecutionPage, ServiceError> {
        let clients = self.for_account(account_id).await?;
        list_limiter()
            .until_key_ready(&quota_key(account_id, self.region()))
            .await;
        let out = clients
            .sfn()
            .list_executions()
            .state_machine_arn(machine_arn)
            .set_status_filter(status_filter.map(sdk_status))
            .set_next_token(next_token)
            .max_results(max_results)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Step Functions ListExecutions"))?;
        Ok(ExecutionPage {
            executions: out
                .executions
                .into_iter()
                .map(|x| Execution {
                    arn: x.execution_arn,
                    name: x.name,
                    machine_arn: x.state_machine_arn,
                    status: status(&x.status),
                    started: time(&x.start_date),
                    stopped: x.stop_date.as_ref().map(time),
                })
                .collect(),
            next_token: out.next_token.filter(|t| !t.is_empty()),
        })
    }

    async fn execution(
        &self,
        account_id: &str,
        execution_arn: &str,
    ) -> Result<ExecutionDetail, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let out = clients
            .sfn()
            .describe_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Step Functions DescribeExecution"))?;
        let name = out.name.clone().unwrap_or_else(|| {
            out.execution_arn
                .rsplit(':')
                .next()
                .unwrap_or("")
                .to_owned()
        });
        Ok(ExecutionDetail {
            execution: Execution {
                arn: out.execution_arn,
                name,
                machine_arn: out.state_machine_arn,
                status: status(&out.status),
                started: time(&out.start_date),
                stopped: out.stop_date.as_ref().map(time),
            },
            input: out.input,
            output: out.output,
            error: out.error,
            cause: out.cause,
            machine_version_arn: out.state_machine_version_arn,
            redrive_count: out.redrive_count.unwrap_or(0),
        })
    }

    async fn history_page(
        &self,
        account_id: &str,
        execution_arn: &str,
        request: HistoryRequest,
    ) -> Result<HistoryPage, ServiceError> {
        let clients = self.for_account(account_id).await?;
        history_limiter()
            .until_key_ready(&quota_key(account_id, self.region()))
            .await;
        let out = clients
            .sfn()
            .get_execution_history()
            .execution_arn(execution_arn)
            .reverse_order(request.reverse_order)
            .max_results(request.max_results)
            .set_next_token(request.next_token)
            .include_execution_data(true)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Step Functions GetExecutionHistory"))?;
        Ok(HistoryPage {
            events: out.events.into_iter().map(event).collect(),
            next_token: out.next_token.filter(|t| !t.is_empty()),
        })
    }

    async fn start_execution(
        &self,
        account_id: &str,
        machine_arn: &str,
        name: &str,
        input: &str,
    ) -> Result<String, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let out = clients
            .sfn()
            .start_execution()
            .state_machine_arn(machine_arn)
            .name(name)
            .input(input)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Step Functions StartExecution"))?;
        Ok(out.execution_arn)
    }

    async fn stop_execution(
        &self,
        account_id: &str,
        execution_arn: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), ServiceError> {
        let clients = self.for_account(account_id).await?;
        clients
            .sfn()
            .stop_execution()
            .execution_arn(execution_arn)
            .set_error(error.map(str::to_owned))
            .set_cause(cause.map(str::to_owned))
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Step Functions StopExecution"))?;
        Ok(())
    }

    async fn redrive_execution(
        &self,
        account_id: &str,
        execution_arn: &str,
    ) -> Result<(), ServiceError> {
        let clients = self.for_account(account_id).await?;
        clients
            .sfn()
            .redrive_execution()
            .execution_arn(execution_arn)
            .send()
            .await
            .map_err(|e| {
                // Whether the endpoint answered at all: a lost answer stays unknown.
                let answered = e.raw_response().is_some();
                let mapped = map_sdk_error(e, "Step Functions RedriveExecution");
                if answered
                    && mapped.code.as_deref().is_none_or(str::is_empty)
                    && matches!(mapped.kind, ErrorKind::Other | ErrorKind::Unavailable)
                {
                    // The emulator (and endpoints without redrive) answer with a bare server error
                    // (HTTP 500, an HTML page: not an answer like AWS's). That is an answer saying
                    // no, not a lost one: reported as refused (it changed nothing), not unknown.
                    ServiceError::new(
                        ErrorKind::Invalid,
                        mapped.code,
                        format!(
                            "redrive is not supported by this endpoint ({}); start a new execution with the same input instead (rerun)",
                            mapped.message
                        ),
                    )
                } else {
                    mapped
                }
            })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use aws_sdk_sfn::Client;
    use aws_sdk_sfn::operation::get_execution_history::{
        GetExecutionHistoryError, GetExecutionHistoryInput, GetExecutionHistoryOutput,
    };
    use aws_sdk_sfn::types::error::InvalidToken;
    use aws_sdk_sfn::types::{HistoryEventType, StateEnteredEventDetails};
    use aws_smithy_mocks::{MockResponse, RuleMode, mock, mock_client};
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;
    use crate::domain::workflows::watch::{FULL_PAGE_SIZE, WATCH_PAGE_SIZE, next_page_size};

    // An account id of its own: the history limiter is shared by the whole test process.
    const ACCOUNT: &str = "000000005601";
    const EXECUTION: &str = "arn:aws:states:us-east-1:000000005601:execution:orders:run-1";

    #[tokio::test]
    async fn each_region_of_an_account_has_its_own_list_bucket() {
        let us = quota_key("000000005602", Some("us-east-1".into()));
        let eu = quota_key("000000005602", Some("eu-west-1".into()));
        assert_ne!(us, eu);
        // Draining us-east-1's burst of 100 leaves eu-west-1's untouched.
        for _ in 0..100 {
            assert!(list_limiter().check_key(&us).is_ok());
        }
        assert!(list_limiter().check_key(&us).is_err());
        assert!(list_limiter().check_key(&eu).is_ok());
    }

    /// What one GetExecutionHistory request asked for.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Sent {
        reverse_order: Option<bool>,
        max_results: Option<i32>,
        next_token: Option<String>,
        include_execution_data: Option<bool>,
    }

    /// An execution's history, growing while it runs, and every request it answered.
    #[derive(Default)]
    struct History {
        events: Vec<HistoryEvent>,
        sent: Vec<Sent>,
    }

    impl History {
        fn grow_to(&mut self, last_id: i64) {
            let first = self.events.len() as i64 + 1;
            self.events.extend((first..=last_id).map(sdk_event));
        }
    }

    fn sdk_event(id: i64) -> HistoryEvent {
        HistoryEvent::builder()
            .id(id)
            .previous_event_id(id - 1)
            .timestamp(aws_smithy_types::DateTime::from_secs(1_700_000_000 + id))
            .r#type(HistoryEventType::TaskStateEntered)
            .state_entered_event_details(
                StateEnteredEventDetails::builder()
                    .name(format!("step-{id}"))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    /// The opaque token of a page that starts at event `id`, in the direction it was asked for.
    fn token(reverse: bool, id: i64) -> String {
        format!("{}{id:08x}", if reverse { "r" } else { "f" })
    }

    /// GetExecutionHistory as AWS answers it: oldest first unless `reverseOrder`, pages of
    /// `maxResults` (100 when 0 or absent), a `nextToken` while events remain, and a token that
    /// was never handed out (or handed out for the other direction) refused as InvalidToken.
    fn answer(
        history: &Mutex<History>,
        input: &GetExecutionHistoryInput,
    ) -> MockResponse<GetExecutionHistoryOutput, GetExecutionHistoryError> {
        let mut history = history.lock().unwrap();
        let reverse = input.reverse_order().unwrap_or(false);
        history.sent.push(Sent {
            reverse_order: input.reverse_order(),
            max_results: input.max_results(),
            next_token: input.next_token().map(str::to_owned),
            include_execution_data: input.include_execution_data(),
        });
        assert_eq!(input.execution_arn(), Some(EXECUTION));
        let newest = history.events.len() as i64;
        let start = match input.next_token() {
            None => {
                if reverse {
                    newest
                } else {
                    1
                }
            }
            Some(t) => {
                let id = t
                    .strip_prefix(if reverse { 'r' } else { 'f' })
                    .and_then(|hex| i64::from_str_radix(hex, 16).ok())
                    .filter(|id| (1..=newest).contains(id));
                match id {
                    Some(id) => id,
                    None => {
                        return MockResponse::Error(GetExecutionHistoryError::InvalidToken(
                            InvalidToken::builder()
                                .message("Invalid Token")
                                // What the deserializer fills in from a real error response.
                                .meta(
                                    ErrorMetadata::builder()
                                        .code("InvalidToken")
                                        .message("Invalid Token")
                                        .build(),
                                )
                                .build(),
                        ));
                    }
                }
            }
        };
        let size = match input.max_results() {
            None | Some(0) => 100,
            Some(n) => i64::from(n),
        };
        let ids: Vec<i64> = if reverse {
            (1..=start).rev().take(size as usize).collect()
        } else {
            (start..=newest).take(size as usize).collect()
        };
        let next = ids
            .last()
            .map_or(start, |&last| if reverse { last - 1 } else { last + 1 });
        let next_token = (1..=newest).contains(&next).then(|| token(reverse, next));
        MockResponse::Output(
            GetExecutionHistoryOutput::builder()
                .set_events(Some(
                    ids.iter()
                        .map(|&id| history.events[(id - 1) as usize].clone())
                        .collect(),
                ))
                .set_next_token(next_token)
                .build()
                .unwrap(),
        )
    }

    #[tokio::test]
    async fn polls_through_the_real_adapter_read_each_event_once_and_a_quiet_poll_costs_one_request()
     {
        let history = Arc::new(Mutex::new(History::default()));
        let served = history.clone();
        let rule = mock!(Client::get_execution_history)
            .then_compute_response(move |input| answer(&served, input));
        let client = mock_client!(aws_sdk_sfn, RuleMode::MatchAny, [&rule]);
        let aws = Aws::with_sfn_client(ACCOUNT, client);

        // (history length at the poll, requests, events received new or not, new events): the
        // costs worked out by hand from AWS paging and the page sizes the watcher chooses.
        let polls: [(i64, u32, usize, usize); 7] = [
            // The first read: 100 newest, then the remaining 150 in a page of 400.
            (250, 2, 250, 250),
            // Nothing new: one page of the next size (100), stopped at the known newest event.
            (250, 1, 100, 0),
            // Nothing new again, now asking for one event.
            (250, 1, 1, 0),
            // Three new: one event, then a page of four that reaches a known one.
            (253, 2, 5, 3),
            // 500 new: pages of 5, 20, 80, 320, then 1,000 reaching back to the first event.
            (753, 5, 753, 500),
            (754, 1, 100, 1),
            (754, 1, 2, 0),
        ];
        let mut log: Vec<Event> = Vec::new();
        let mut page = WATCH_PAGE_SIZE;
        let (mut requests, mut received) = (0, 0);
        for (n, &(length, want_requests, want_received, want_new)) in polls.iter().enumerate() {
            history.lock().unwrap().grow_to(length);
            let sent_before = history.lock().unwrap().sent.len();
            let known = log.last().map_or(0, |e| e.id);
            let fetched = aws
                .fetch_new_events(ACCOUNT, EXECUTION, known, page)
                .await
                .unwrap_or_else(|e| panic!("poll {n}: {e:?}"));
            let sent = history.lock().unwrap().sent[sent_before..].to_vec();
            assert_eq!(
                (fetched.requests, fetched.received, fetched.events.len()),
                (want_requests, want_received, want_new),
                "poll {n}: requests, events received, new events"
            );
            assert_eq!(
                sent.len(),
                want_requests as usize,
                "poll {n}: requests the mock saw"
            );
            assert_eq!(
                sent[0].next_token, None,
                "poll {n} starts at the newest page"
            );
            assert_eq!(sent[0].max_results, Some(page), "poll {n}: first page size");
            assert!(
                sent.iter().all(|s| s.reverse_order == Some(true)
                    && s.include_execution_data == Some(true)
                    && s.max_results
                        .is_some_and(|m| (1..=FULL_PAGE_SIZE).contains(&m))),
                "poll {n}: {sent:?}"
            );
            assert!(
                sent[1..].iter().all(|s| s.next_token.is_some()),
                "poll {n}: later pages follow the token: {sent:?}"
            );
            requests += fetched.requests;
            received += fetched.received;
            page = next_page_size(fetched.events.len());
            log.extend(fetched.events);
        }

        let ids: Vec<i64> = log.iter().map(|e| e.id).collect();
        assert_eq!(
            ids,
            (1..=754).collect::<Vec<_>>(),
            "every event once, in order"
        );
        let last = log.last().unwrap();
        assert_eq!(last.kind, "TaskStateEntered");
        assert_eq!(last.state.as_deref(), Some("step-754"));
        assert_eq!(last.previous_id, 753);
        assert_eq!((requests, received), (13, 1211));
        assert_eq!(rule.num_calls(), 13);
    }

    #[tokio::test]
    async fn a_token_the_service_never_issued_is_reported_as_invalid_token() {
        let history = Arc::new(Mutex::new(History::default()));
        history.lock().unwrap().grow_to(3);
        let served = history.clone();
        let rule = mock!(Client::get_execution_history)
            .then_compute_response(move |input| answer(&served, input));
        let client = mock_client!(aws_sdk_sfn, RuleMode::MatchAny, [&rule]);
        let aws = Aws::with_sfn_client(ACCOUNT, client);
        let request = HistoryRequest {
            reverse_order: true,
            max_results: 2,
            next_token: Some(token(false, 1)),
        };
        let err = aws
            .history_page(ACCOUNT, EXECUTION, request)
            .await
            .unwrap_err();
        assert_eq!(err.code.as_deref(), Some("InvalidToken"), "{err:?}");
    }
}
