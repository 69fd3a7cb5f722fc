//! The change commands' input, and `watch` against a scripted Step Functions.

use super::change::read_input;

#[test]
fn input_is_json_text_or_a_file() {
    assert_eq!(read_input(None).unwrap(), "{}");
    assert!(
        read_input(Some("{oops"))
            .unwrap_err()
            .to_string()
            .contains("not valid JSON")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input.json");
    std::fs::write(&file, r#"{"tenant": "acme"}"#).unwrap();
    let arg = format!("@{}", file.display());
    assert_eq!(read_input(Some(&arg)).unwrap(), r#"{"tenant": "acme"}"#);
    let missing = format!("@{}", dir.path().join("nope").display());
    assert!(
        read_input(Some(&missing))
            .unwrap_err()
            .to_string()
            .ends_with("nope does not exist; check the path")
    );
}

#[test]
fn an_input_file_over_256_kib_or_a_device_is_refused_before_it_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.json");
    std::fs::write(&file, format!("\"{}\"", "x".repeat(256 << 10))).unwrap();
    let e = read_input(Some(&format!("@{}", file.display())))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(
            "big.json is larger than 256 KiB, the most opsdeck reads for an execution input"
        ),
        "{e}"
    );
    let started = std::time::Instant::now();
    let e = read_input(Some("@/dev/zero")).unwrap_err().to_string();
    assert_eq!(
        e,
        "the input file /dev/zero is a character device, not a regular file; name a regular file"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

/// `watch` against a scripted Step Functions: each poll gets the next answer of the script
/// (the last one again once the script is used up), in paused time, so the waits between
/// polls are exact.
mod watch_loop {
    use std::collections::VecDeque;
    use std::sync::Mutex;
    use std::time::Duration;

    use async_trait::async_trait;
    use tokio::time::Instant;

    use crate::commands::workflows::watch::watch;
    use crate::domain::workflows::timeline::fixtures::History;
    use crate::domain::workflows::watch::{HistoryPage, HistoryRequest, POLL_TIMEOUT};
    use crate::domain::workflows::{
        Event, EventDetails, ExecutionDetail, ExecutionPage, ExecutionStatus, MachineDefinition,
        StateMachine,
    };
    use crate::services::{ErrorKind, ServiceError, Workflows};

    const ARN: &str = "arn:aws:states:us-east-1:000000005602:execution:orders:run-1";

    #[derive(Clone)]
    enum Answer {
        /// The history's first n events (the whole history so far, as the emulator answers).
        Events(usize),
        Fail(ServiceError),
        /// No answer at all: a connection that stopped answering.
        Hang,
    }

    struct Scripted {
        history: Vec<Event>,
        script: Mutex<VecDeque<Answer>>,
        polls: Mutex<Vec<Instant>>,
    }

    impl Scripted {
        fn new(script: Vec<Answer>) -> Scripted {
            // 8 events, every one a line of the watch: Pass, Wait, Succeed.
            let mut h = History::new();
            let prepared = h.state("Pass", "Prepare", 1);
            let held = h.state("Wait", "Hold", prepared);
            let ended = h.state("Succeed", "End", held);
            h.push("ExecutionSucceeded", ended, None, EventDetails::default());
            Scripted {
                history: h.events,
                script: Mutex::new(script.into()),
                polls: Mutex::new(Vec::new()),
            }
        }

        /// When each poll was sent, from the first.
        fn poll_times(&self) -> Vec<Duration> {
            let polls = self.polls.lock().unwrap();
            polls.iter().map(|t| *t - polls[0]).collect()
        }
    }

    /// What the fake answers to any call but the history: the watch makes no other, and a test
    /// that made one would see this error rather than a panic in a task.
    fn not_history<T>() -> Result<T, ServiceError> {
        Err(ServiceError::new(
            ErrorKind::Other,
            None,
            "the scripted fake answers GetExecutionHistory only",
        ))
    }

    #[async_trait]
    impl Workflows for Scripted {
        async fn state_machines(&self, _: &str) -> Result<Vec<StateMachine>, ServiceError> {
            not_history()
        }
        async fn state_machine(&self, _: &str, _: &str) -> Result<MachineDefinition, ServiceError> {
            not_history()
        }
        async fn executions(
            &self,
            _: &str,
            _: &str,
            _: Option<ExecutionStatus>,
            _: Option<String>,
            _: i32,
        ) -> Result<ExecutionPage, ServiceError> {
            not_history()
        }
        async fn execution(&self, _: &str, _: &str) -> Result<ExecutionDetail, ServiceError> {
            not_history()
        }
        async fn history_page(
            &self,
            _: &str,
            _: &str,
            _: HistoryRequest,
        ) -> Result<HistoryPage, ServiceError> {
            self.polls.lock().unwrap().push(Instant::now());
            let answer = {
                let mut script = self.script.lock().unwrap();
                if script.len() > 1 {
                    script.pop_front()
                } else {
                    script.front().cloned()
                }
            };
            match answer.expect("a script") {
                Answer::Events(n) => Ok(HistoryPage {
                    events: self.history[..n].to_vec(),
                    next_token: None,
                }),
                Answer::Fail(e) => Err(e),
                Answer::Hang => std::future::pending().await,
            }
        }
        async fn start_execution(
            &self,
            _: &str,
            _: &str,
            _: &str,
            _: &str,
        ) -> Result<String, ServiceError> {
            not_history()
        }
        async fn stop_execution(
            &self,
            _: &str,
            _: &str,
            _: Option<&str>,
            _: Option<&str>,
        ) -> Result<(), ServiceError> {
            not_history()
        }
        async fn redrive_execution(&self, _: &str, _: &str) -> Result<(), ServiceError> {
            not_history()
        }
    }

    fn throttled() -> Answer {
        Answer::Fail(ServiceError::new(
            ErrorKind::Throttled,
            Some("ThrottlingException".into()),
            "Step Functions GetExecutionHistory failed: Rate exceeded",
        ))
    }

    fn lost() -> Answer {
        Answer::Fail(ServiceError::new(
            ErrorKind::Network,
            None,
            "Step Functions GetExecutionHistory: network error: connection closed before message completed",
        ))
    }

    fn server_failure() -> Answer {
        Answer::Fail(ServiceError::new(
            ErrorKind::Unavailable,
            Some("InternalFailure".into()),
            "Step Functions GetExecutionHistory failed: Internal error",
        ))
    }

    fn denied() -> Answer {
        Answer::Fail(ServiceError::new(
            ErrorKind::Denied,
            Some("AccessDeniedException".into()),
            "Step Functions GetExecutionHistory failed: not authorized",
        ))
    }

    /// Run the watch at an interval of 1 s: its result, stdout and stderr.
    async fn run(fake: &Scripted) -> (anyhow::Result<i32>, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let result = watch(
            fake,
            "000000005602",
            ARN,
            Duration::from_secs(1),
            &mut out,
            &mut err,
        )
        .await;
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (result, text(out), text(err))
    }

    fn secs(s: &[f64]) -> Vec<Duration> {
        s.iter().map(|&s| Duration::from_secs_f64(s)).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn failed_polls_between_answers_neither_repeat_nor_skip_events() {
        let fake = Scripted::new(vec![
            Answer::Events(2),
            throttled(),
            Answer::Events(5),
            lost(),
            server_failure(),
            Answer::Events(5),
            Answer::Events(8),
        ]);
        let (result, out, err) = run(&fake).await;
        assert_eq!(result.unwrap(), crate::exit::SUCCESS);
        let expected: Vec<String> = fake.history.iter().map(|e| e.summary()).collect();
        assert_eq!(out.lines().collect::<Vec<_>>(), expected);
        // Waits: 1 s after news, doubled from 2 s per failed poll in a row, back to the
        // interval after news; a quiet poll after 4 s of back-off waits 5 s (5x at most).
        assert_eq!(
            fake.poll_times(),
            secs(&[0.0, 1.0, 3.0, 4.0, 6.0, 10.0, 15.0])
        );
        let notes: Vec<&str> = err.lines().collect();
        assert_eq!(notes.len(), 3, "{err}");
        assert!(notes[0].contains("Rate exceeded (ThrottlingException); polling again in 2.0s (1 of 10 failed polls in a row)"), "{err}");
        assert!(
            notes[2].contains("(InternalFailure); polling again in 4.0s (2 of 10"),
            "{err}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_watch_that_keeps_failing_gives_up_after_ten_polls_with_the_last_error() {
        let fake = Scripted::new(vec![Answer::Events(4), throttled()]);
        let (result, out, err) = run(&fake).await;
        let e = result.unwrap_err().to_string();
        assert!(
            e.contains("after 10 failed polls in a row") && e.contains("(ThrottlingException)"),
            "{e}"
        );
        assert_eq!(out.lines().count(), 4);
        assert_eq!(
            err.lines().count(),
            9,
            "a note per failed poll but the last: {err}"
        );
        // One answer, then 10 failed polls with back-off doubling from 2 s to a minute.
        assert_eq!(
            fake.poll_times(),
            secs(&[
                0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0, 123.0, 183.0, 243.0, 303.0
            ])
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_poll_that_never_answers_times_out_and_the_watch_goes_on() {
        let fake = Scripted::new(vec![Answer::Events(3), Answer::Hang, Answer::Events(8)]);
        let (result, out, err) = run(&fake).await;
        assert_eq!(result.unwrap(), crate::exit::SUCCESS);
        assert_eq!(out.lines().count(), 8);
        assert!(err.contains("did not answer within 120 s"), "{err}");
        let hung = 1.0 + POLL_TIMEOUT.as_secs_f64();
        assert_eq!(fake.poll_times(), secs(&[0.0, 1.0, hung + 2.0]));
    }

    #[tokio::test(start_paused = true)]
    async fn a_permanent_error_mid_watch_stops_it_at_once() {
        let fake = Scripted::new(vec![Answer::Events(3), throttled(), denied()]);
        let (result, out, _) = run(&fake).await;
        let e = result.unwrap_err().to_string();
        assert!(e.contains("AccessDeniedException"), "{e}");
        assert_eq!(out.lines().count(), 3);
        assert_eq!(fake.poll_times(), secs(&[0.0, 1.0, 3.0]));
    }
}
