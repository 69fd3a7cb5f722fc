//! The demo organisation: the caller's account as management account, and the `dev`, `staging` and
//! `prod` member accounts, each read through `OrganizationAccountAccessRole`.

use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_organizations::Client as OrganizationsClient;
use aws_sdk_organizations::types::{CreateAccountState, OrganizationFeatureSet};
use aws_sdk_sts::Client as StsClient;

use super::{Outcome, SeedKind, SeedReport, aws_error};

/// The member accounts, in the order they are created.
pub(super) const MEMBER_ACCOUNTS: [&str; 3] = ["dev", "staging", "prod"];

const ACCESS_ROLE: &str = "OrganizationAccountAccessRole";
const SESSION_NAME: &str = "opsdeck-demo-seed";

/// How long to wait for CreateAccount; the emulator finishes at once, AWS takes minutes.
const CREATE_ACCOUNT_POLLS: u32 = 50;
const CREATE_ACCOUNT_POLL_INTERVAL: Duration = Duration::from_millis(200);

/// SDK configs for the management account and each member account, by account name.
pub(super) struct DemoAccounts {
    pub management: SdkConfig,
    pub members: Vec<(String, SdkConfig)>,
}

impl DemoAccounts {
    /// The config for `name`: `management` or a member account's name.
    pub fn config(&self, name: &str) -> &SdkConfig {
        if name == "management" {
            return &self.management;
        }
        self.members
            .iter()
            .find(|(member, _)| member == name)
            .map(|(_, sdk)| sdk)
            .unwrap_or_else(|| panic!("the demo has no account named {name}"))
    }
}

pub(super) async fn seed(sdk: &SdkConfig, report: &mut SeedReport) -> anyhow::Result<DemoAccounts> {
    let orgs = OrganizationsClient::new(sdk);
    let sts = StsClient::new(sdk);

    let caller = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(aws_error("STS GetCallerIdentity"))?;
    report.management_account_id = caller.account().unwrap_or_default().to_owned();

    ensure_organization(&orgs, report).await?;
    let mut members = Vec::new();
    for name in MEMBER_ACCOUNTS {
        let id = ensure_account(&orgs, name, report).await?;
        report
            .member_account_ids
            .insert(name.to_owned(), id.clone());
        members.push((name.to_owned(), assume_access_role(sdk, &sts, &id).await?));
    }
    Ok(DemoAccounts {
        management: sdk.clone(),
        members,
    })
}

async fn ensure_organization(
    orgs: &OrganizationsClient,
    report: &mut SeedReport,
) -> anyhow::Result<()> {
    match orgs.describe_organization().send().await {
        Ok(_) => {
            report.note(SeedKind::Organization, Outcome::Present);
            Ok(())
        }
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_aws_organizations_not_in_use_exception()) =>
        {
            orgs.create_organization()
                .feature_set(OrganizationFeatureSet::All)
                .send()
                .await
                .map_err(aws_error("Organizations CreateOrganization"))?;
            report.note(SeedKind::Organization, Outcome::Created);
            Ok(())
        }
        Err(err) => Err(aws_error("Organizations DescribeOrganization")(err)),
    }
}

/// The id of the member account called `name`, created if there is none.
async fn ensure_account(
    orgs: &OrganizationsClient,
    name: &str,
    report: &mut SeedReport,
) -> anyhow::Result<String> {
    let mut pages = orgs.list_accounts().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(aws_error("Organizations ListAccounts"))?;
        let found = page
            .accounts()
            .iter()
            .find(|account| account.name() == Some(name))
            .and_then(|account| account.id());
        if let Some(id) = found {
            report.note(SeedKind::Account, Outcome::Present);
            return Ok(id.to_owned());
        }
    }

    let started = orgs
        .create_account()
        .account_name(name)
        .email(format!("aws+{name}@example.com"))
        .send()
        .await
        .map_err(aws_error(format!("Organizations CreateAccount {name}")))?;
    let mut status = started
        .create_account_status()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("CreateAccount {name} returned no status"))?;
    for _ in 0..CREATE_ACCOUNT_POLLS {
        match status.state() {
            Some(CreateAccountState::Succeeded) => {
                let id = status.account_id().ok_or_else(|| {
                    anyhow::anyhow!("CreateAccount {name} succeeded without an account id")
                })?;
                report.note(SeedKind::Account, Outcome::Created);
                return Ok(id.to_owned());
            }
            Some(CreateAccountState::Failed) => anyhow::bail!(
                "creating account {name} failed: {}",
                status
                    .failure_reason()
                    .map(|r| r.as_str())
                    .unwrap_or("no reason given")
            ),
            _ => tokio::time::sleep(CREATE_ACCOUNT_POLL_INTERVAL).await,
        }
        let request_id = status.id().unwrap_or_default().to_owned();
        status = orgs
            .describe_create_account_status()
            .create_account_request_id(request_id)
            .send()
            .await
            .map_err(aws_error("Organizations DescribeCreateAccountStatus"))?
            .create_account_status()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("DescribeCreateAccountStatus returned no status"))?;
    }
    anyhow::bail!("account {name} was still being created after {CREATE_ACCOUNT_POLLS} polls")
}

/// A copy of `sdk` with credentials of `OrganizationAccountAccessRole` in `account_id`.
async fn assume_access_role(
    sdk: &SdkConfig,
    sts: &StsClient,
    account_id: &str,
) -> anyhow::Result<SdkConfig> {
    let role_arn = format!("arn:aws:iam::{account_id}:role/{ACCESS_ROLE}");
    let assumed = sts
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name(SESSION_NAME)
        .send()
        .await
        .map_err(aws_error(format!("STS AssumeRole {role_arn}")))?;
    let creds = assumed
        .credentials()
        .ok_or_else(|| anyhow::anyhow!("AssumeRole {role_arn} returned no credentials"))?;
    let credentials = Credentials::new(
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(creds.session_token().to_owned()),
        SystemTime::try_from(*creds.expiration()).ok(),
        SESSION_NAME,
    );
    Ok(sdk
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .build())
}
