//! An in-memory AWS for tests: [`FakeBackend`] implements [`Backend`] (and so
//! [`Identity`](crate::services::Identity), [`Organization`](crate::services::Organization),
//! [`Dns`](crate::services::Dns), [`Tenants`](crate::services::Tenants) and
//! [`Workflows`](crate::services::Workflows)) over plain data, so that the logic
//! that is ours — planning, orchestration, the executor, the runtime's tasks, the commands — is
//! tested without the emulator. The emulator tests stay for what the SDK and AWS's shapes do
//! (paging tokens, error bodies, the adapters' mapping).
//!
//! What it holds, per account: Cognito user pools (schema, groups, users with attributes, status
//! and enabled flag, memberships), Route53 hosted zones with their record sets, Step Functions
//! state machines with their executions and event histories; and the caller's identity and the
//! organisation's accounts. Changes act the way the service would: `Tenants::apply` creates,
//! deletes and moves users and groups, answering with the error codes and kinds the adapters
//! produce (`UserNotFoundException`, `ResourceNotFoundException`...) and treating "already
//! exists" as done exactly like `aws::tenants`; a start, stop or redrive changes an execution's
//! status and appends its events.
//!
//! For tests:
//! - seeding: `FakeBackend::new("111111111111").with_pool(PoolSeed::new(..).user(..))`, and
//!   [`ZoneSeed`], [`MachineSeed`] / [`ExecutionSeed`], `with_account`, `with_denied_account`;
//! - faults: [`FakeBackend::fail_next`] (or [`FakeBackend::fail_next_in`] one account) makes the
//!   next call of an operation (AWS's name, e.g. `AdminCreateUser`, `ListResourceRecordSets`)
//!   fail with the given error, returned as given — except that `Tenants::apply` then applies the
//!   adapter's rule, so an injected `UsernameExistsException` on a create is success, as it is
//!   from AWS; the call is recorded and changes nothing;
//! - what happened: [`FakeBackend::calls`] (operation names in order), [`FakeBackend::changes`]
//!   (only the calls that change something), and readers of the final state (`pool_user`,
//!   `members`, `execution_detail`, `history`...).
//!
//! Clones share one state (hand one to the code under test, keep one to look at). A
//! `std::sync::Mutex` guards it and is never held across an `.await`. A clock of its own, from
//! [`epoch`], gives every creation and change the next second, so orders (newest execution
//! first) never depend on the machine's time.
//!
//! Where AWS's answer is not documented, the fake chooses and says so: stopping an execution that
//! has ended fails with `ValidationException` (kind `Invalid`) and changes nothing.
//!
//! What it does not model: regions (every region sees the same resources; `in_region` only
//! changes the region written into new ARNs), IAM (only whole accounts can be denied), quotas
//! and throttling (inject them with `fail_next`), Cognito's case-insensitive usernames, aliases,
//! passwords, MFA changes and invitation messages (the invitations sent are only counted), ListUsers
//! filters beyond `=` and `^=` on email and username (compared case-sensitively), Route53's record
//! ordering and its automatic SOA/NS records (record changes are applied whole, CREATE of an
//! existing and DELETE of a missing record set refuse the batch; GetChange answers PENDING
//! `with_pending_changes` times), Step Functions' interpretation of
//! definitions (executions run only when a test ends them: [`FakeBackend::succeed_execution`],
//! [`FakeBackend::fail_execution`]), versions and aliases, express executions (started, never
//! kept), redrive's time limit and `PENDING_REDRIVE` (a redriven execution is running at once),
//! and paging tokens' shapes (they are plain offsets here).

mod accounts;
mod cognito;
mod dns;
mod sfn;
mod tenants;
mod workflows;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};

use crate::services::{Backend, ErrorKind, ServiceError};

pub use dns::ZoneSeed;
pub use tenants::{PoolSeed, UserSeed};
pub use workflows::{ExecutionSeed, MachineSeed};

/// One call the code under test made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The account it was made in.
    pub account: String,
    /// AWS's name of the operation, e.g. `AdminAddUserToGroup`.
    pub operation: &'static str,
    /// What it acted on: a pool, zone, ARN or username.
    pub target: String,
    /// Whether it asks for a change (made or not).
    pub change: bool,
    /// The region of the clients that made it.
    pub region: String,
}

/// A failure waiting for the next call of `operation` (in `account`, when given).
#[derive(Debug)]
struct Injected {
    operation: String,
    account: Option<String>,
    error: ServiceError,
}

/// Everything the fake AWS holds.
#[derive(Debug)]
struct World {
    accounts: accounts::Directory,
    cognito: cognito::Cognito,
    route53: dns::Route53,
    sfn: sfn::Sfn,
    calls: Vec<Call>,
    injected: VecDeque<Injected>,
    /// The fake's clock: every creation and change takes the next second.
    clock: DateTime<Utc>,
    /// Items per page of the Cognito and Step Functions lists.
    page_size: usize,
}

impl World {
    fn tick(&mut self) -> DateTime<Utc> {
        self.clock += Duration::seconds(1);
        self.clock
    }
}

/// An error as the service answers it: a code, its message and the kind `aws::error` gives the
/// code. The caller adds which call failed, as the adapters do.
#[derive(Debug, Clone)]
pub(crate) struct AwsError {
    kind: ErrorKind,
    code: &'static str,
    message: String,
}

impl AwsError {
    fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> AwsError {
        AwsError {
            kind,
            code,
            message: message.into(),
        }
    }

    /// `what failed: message (code)`, like `aws::map_sdk_error`.
    fn into_service_error(self, what: &str) -> ServiceError {
        ServiceError::new(
            self.kind,
            Some(self.code.to_owned()),
            format!("{what} failed: {}", self.message),
        )
    }
}

/// The in-memory AWS: see the module documentation.
#[derive(Debug, Clone)]
pub struct FakeBackend {
    world: Arc<Mutex<World>>,
    region: String,
}

/// The time the fake's clock starts at: 2025-01-01T00:00:00Z.
pub fn epoch() -> DateTime<Utc> {
    DateTime::from_timestamp(1_735_689_600, 0).unwrap_or_default()
}

impl FakeBackend {
    /// An empty AWS whose credentials are a role in `account_id`, in region `eu-west-1`.
    pub fn new(account_id: &str) -> FakeBackend {
        FakeBackend {
            world: Arc::new(Mutex::new(World {
                accounts: accounts::Directory::new(account_id),
                cognito: cognito::Cognito::default(),
                route53: dns::Route53::default(),
                sfn: sfn::Sfn::default(),
                calls: Vec::new(),
                injected: VecDeque::new(),
                clock: epoch(),
                page_size: 60,
            })),
            region: "eu-west-1".to_owned(),
        }
    }

    /// The same AWS seen from another region (new ARNs name it).
    pub fn with_region(mut self, region: &str) -> FakeBackend {
        region.clone_into(&mut self.region);
        self
    }

    /// Lists (ListUsers, ListUsersInGroup, ListGroups, ListExecutions) answer `size` items per
    /// page at most, so tests can make paging happen with few items.
    pub fn with_page_size(self, size: usize) -> FakeBackend {
        self.lock().page_size = size.max(1);
        self
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// The account the credentials belong to.
    pub fn account_id(&self) -> String {
        self.lock().accounts.caller.account_id.clone()
    }

    /// The next call of `operation` (AWS's name, in any account) fails with `error`. Several
    /// failures for one operation are used in the order they were given.
    pub fn fail_next(&self, operation: &str, error: ServiceError) {
        self.lock().injected.push_back(Injected {
            operation: operation.to_owned(),
            account: None,
            error,
        });
    }

    /// Like [`FakeBackend::fail_next`], for a call in `account` only.
    pub fn fail_next_in(&self, account: &str, operation: &str, error: ServiceError) {
        self.lock().injected.push_back(Injected {
            operation: operation.to_owned(),
            account: Some(account.to_owned()),
            error,
        });
    }

    /// Every call made so far: operation names, in order.
    pub fn calls(&self) -> Vec<String> {
        self.lock()
            .calls
            .iter()
            .map(|c| c.operation.to_owned())
            .collect()
    }

    /// The calls made in one account, in order.
    pub fn calls_in(&self, account: &str) -> Vec<String> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.account == account)
            .map(|c| c.operation.to_owned())
            .collect()
    }

    /// The calls made in one account, each with the region of the clients that made it:
    /// `(operation, region)` in order.
    pub fn calls_in_regions(&self, account: &str) -> Vec<(String, String)> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.account == account)
            .map(|c| (c.operation.to_owned(), c.region.clone()))
            .collect()
    }

    /// Every call made so far with the region of the clients that made it: `(operation,
    /// region)` in order.
    pub fn calls_by_region(&self) -> Vec<(String, String)> {
        self.lock()
            .calls
            .iter()
            .map(|c| (c.operation.to_owned(), c.region.clone()))
            .collect()
    }

    /// The calls that asked for a change, with their targets: `(operation, target)` in order.
    pub fn changes(&self) -> Vec<(String, String)> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.change)
            .map(|c| (c.operation.to_owned(), c.target.clone()))
            .collect()
    }

    /// Every call, with its account and target.
    pub fn call_log(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// Forget the calls made so far (e.g. after the set-up of a test).
    pub fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        // A test that panicked while holding the lock has failed already; the state is still
        // worth reading for the others.
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Make one call: record it, refuse it when its account is denied or a failure was injected
    /// for it, else run `f` on the state. `what` names the call in error messages.
    fn call<R>(
        &self,
        account: &str,
        operation: &'static str,
        target: &str,
        what: &str,
        f: impl FnOnce(&mut World) -> Result<R, AwsError>,
    ) -> Result<R, ServiceError> {
        self.record(account, operation, target, what, false, f)
    }

    /// [`FakeBackend::call`] for a call that changes something.
    fn change<R>(
        &self,
        account: &str,
        operation: &'static str,
        target: &str,
        what: &str,
        f: impl FnOnce(&mut World) -> Result<R, AwsError>,
    ) -> Result<R, ServiceError> {
        self.record(account, operation, target, what, true, f)
    }

    fn record<R>(
        &self,
        account: &str,
        operation: &'static str,
        target: &str,
        what: &str,
        change: bool,
        f: impl FnOnce(&mut World) -> Result<R, AwsError>,
    ) -> Result<R, ServiceError> {
        let mut world = self.lock();
        world.calls.push(Call {
            account: account.to_owned(),
            operation,
            target: target.to_owned(),
            change,
            region: self.region.clone(),
        });
        if let Some(e) = world.accounts.refusal(account, what) {
            return Err(e);
        }
        let injected = world.injected.iter().position(|i| {
            i.operation == operation && i.account.as_deref().is_none_or(|a| a == account)
        });
        if let Some(at) = injected
            && let Some(i) = world.injected.remove(at)
        {
            return Err(i.error);
        }
        f(&mut world).map_err(|e| e.into_service_error(what))
    }
}

impl Backend for FakeBackend {
    fn in_region(&self, region: &str) -> Arc<dyn Backend> {
        Arc::new(self.clone().with_region(region))
    }
}

/// Split `items` into the page starting at `token` (an offset) and the next token; `None` for a
/// token the fake never handed out.
fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    size: usize,
) -> Option<(Vec<T>, Option<String>)> {
    let start = match token {
        None => 0,
        Some(t) => t
            .strip_prefix("page-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())?,
    };
    let end = (start + size.max(1)).min(items.len());
    let next = (end < items.len()).then(|| format!("page-{end}"));
    Some((items[start..end].to_vec(), next))
}
