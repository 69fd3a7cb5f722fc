//! The demo organisation written into a local AWS emulator by `opsdeck demo seed`.
//!
//! Owns what the demo contains and how it is written idempotently: every resource has a fixed name,
//! existence is checked before anything is created, and record sets are written with UPSERT, so a
//! second run changes nothing and reports everything as already there. The Tenants, DNS and Workflows
//! panes are demonstrated on this data, so it deliberately contains the awkward cases too (stale and
//! missing delegations, a disabled user, failed and timed-out executions), and a pool and a state
//! machine of the `prod` account in a second region, so the organisation-wide views have something
//! to find in more than one account and region.
//!
//! One file per part: [`organization`] (accounts and their credentials), [`dns`], [`cognito`],
//! [`workflows`]. This module holds the report and the helpers they share.

mod cognito;
mod dns;
mod organization;
mod workflows;

use std::collections::BTreeMap;
use std::fmt::Display;

use aws_config::SdkConfig;
use aws_smithy_types::error::display::DisplayErrorContext;

/// The region everything is seeded in; Route53 is signed for it whatever the caller's region.
const DEMO_REGION: &str = "us-east-1";

/// The second region of the demo, and the member account that holds a pool and a machine there.
pub const EU_REGION: &str = "eu-west-1";
const EU_ACCOUNT: &str = "prod";

/// The demo tenants: id (used in group names, DNS names and `custom:tenant_id`) and display name.
const TENANTS: [(&str, &str); 6] = [
    ("acme", "Acme Corp"),
    ("globex", "Globex Corporation"),
    ("initech", "Initech"),
    ("umbrella", "Umbrella Corporation"),
    ("hooli", "Hooli"),
    ("stark", "Stark Industries"),
];

/// What kind of resource a count in the [`SeedReport`] is about, in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SeedKind {
    Organization,
    Account,
    HostedZone,
    RecordSet,
    UserPool,
    Group,
    User,
    StateMachine,
    Execution,
}

impl SeedKind {
    pub const ALL: [SeedKind; 9] = [
        SeedKind::Organization,
        SeedKind::Account,
        SeedKind::HostedZone,
        SeedKind::RecordSet,
        SeedKind::UserPool,
        SeedKind::Group,
        SeedKind::User,
        SeedKind::StateMachine,
        SeedKind::Execution,
    ];

    /// Plural label for a summary table.
    pub fn label(self) -> &'static str {
        match self {
            SeedKind::Organization => "organization",
            SeedKind::Account => "member accounts",
            SeedKind::HostedZone => "hosted zones",
            SeedKind::RecordSet => "record sets",
            SeedKind::UserPool => "user pools",
            SeedKind::Group => "groups",
            SeedKind::User => "users",
            SeedKind::StateMachine => "state machines",
            SeedKind::Execution => "executions",
        }
    }
}

/// How many resources of one kind this run created and how many were already there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub created: usize,
    pub present: usize,
}

impl Tally {
    pub fn total(self) -> usize {
        self.created + self.present
    }
}

/// Whether one resource was written by this run or found in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Present,
}

/// What a seed run did, for the command to print.
#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    /// The account the credentials landed in; it holds the organisation, Cognito and Step Functions.
    pub management_account_id: String,
    /// Member account ids by account name (`dev`, `staging`, `prod`).
    pub member_account_ids: BTreeMap<String, String>,
    /// The id of the `opsdeck-demo` user pool.
    pub user_pool_id: String,
    /// The id of the `opsdeck-demo-eu` user pool of the `prod` account in eu-west-1.
    pub eu_user_pool_id: String,
    /// Things that worked but look wrong, e.g. executions that do not progress.
    pub warnings: Vec<String>,
    tallies: BTreeMap<SeedKind, Tally>,
}

impl SeedReport {
    pub fn tally(&self, kind: SeedKind) -> Tally {
        self.tallies.get(&kind).copied().unwrap_or_default()
    }

    /// True when the run found everything in place and wrote nothing.
    pub fn nothing_created(&self) -> bool {
        self.tallies.values().all(|t| t.created == 0)
    }

    fn note(&mut self, kind: SeedKind, outcome: Outcome) {
        let tally = self.tallies.entry(kind).or_default();
        match outcome {
            Outcome::Created => tally.created += 1,
            Outcome::Present => tally.present += 1,
        }
    }
}

/// Writes the demo organisation with the credentials of `sdk` (whose account becomes the management
/// account). Only meant for an emulator: the caller checks the endpoint.
pub async fn seed_demo(sdk: &SdkConfig) -> anyhow::Result<SeedReport> {
    let sdk = sdk
        .to_builder()
        .region(aws_config::Region::new(DEMO_REGION))
        .build();
    let mut report = SeedReport::default();

    let accounts = organization::seed(&sdk, &mut report).await?;
    dns::seed(&accounts, &mut report).await?;
    cognito::seed(&sdk, &mut report).await?;
    workflows::seed(&sdk, &report.management_account_id.clone(), &mut report).await?;

    // The organisation in a second region: a pool and a machine of `prod` in eu-west-1.
    let prod = accounts
        .config(EU_ACCOUNT)
        .to_builder()
        .region(aws_config::Region::new(EU_REGION))
        .build();
    cognito::seed_eu(&prod, &mut report).await?;
    let prod_id = report.member_account_ids[EU_ACCOUNT].clone();
    workflows::seed_eu(&prod, &prod_id, &mut report).await?;
    Ok(report)
}

/// Turns an SDK error into one that names the call and keeps the service's code and message,
/// which the SDK's own `Display` leaves out.
fn aws_error<E>(what: impl Display) -> impl FnOnce(E) -> anyhow::Error
where
    E: std::error::Error,
{
    move |err| anyhow::anyhow!("{what}: {}", DisplayErrorContext(&err))
}
