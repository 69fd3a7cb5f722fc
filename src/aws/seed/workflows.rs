//! The demo Step Functions: four state machines and one named execution per status an operator
//! meets (RUNNING, SUCCEEDED, FAILED, ABORTED, TIMED_OUT).
//!
//! The `prod` account also runs `payout-batch` in eu-west-1, with succeeded, failed, timed-out and
//! aborted payouts, and `gdpr-erasure` with one execution running for an hour, so the organisation's failures are spread over two accounts and two regions.
//!
//! They only do anything when the emulator really runs state machines (moto's execute mode, set by
//! `scripts/emulator`); otherwise every execution stays RUNNING, which the report warns about.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_sdk_sfn::Client as SfnClient;
use aws_sdk_sfn::types::{ExecutionStatus, StateMachineType};
use serde_json::{Value, json};

use super::{Outcome, SeedKind, SeedReport, aws_error};

pub(super) const TENANT_ONBOARDING: &str = "tenant-onboarding";
pub(super) const INVOICE_EXPORT: &str = "invoice-export";
pub(super) const NIGHTLY_RECONCILE: &str = "nightly-reconcile";
pub(super) const QUOTA_SYNC: &str = "quota-sync";
pub(super) const PAYOUT_BATCH: &str = "payout-batch";
pub(super) const GDPR_ERASURE: &str = "gdpr-erasure";

/// A quick onboarding run the seed waits for, to tell whether executions progress at all.
const PROBE_EXECUTION: &str = "onboard-acme";
const PROBE_POLLS: u32 = 50;
const PROBE_POLL_INTERVAL: Duration = Duration::from_millis(200);

pub(super) struct MachineSpec {
    pub name: &'static str,
    pub definition: fn() -> Value,
}

pub(super) const MACHINES: [MachineSpec; 4] = [
    MachineSpec {
        name: TENANT_ONBOARDING,
        definition: tenant_onboarding,
    },
    MachineSpec {
        name: INVOICE_EXPORT,
        definition: invoice_export,
    },
    MachineSpec {
        name: NIGHTLY_RECONCILE,
        definition: nightly_reconcile,
    },
    MachineSpec {
        name: QUOTA_SYNC,
        definition: quota_sync,
    },
];

/// The machines of the `prod` account in eu-west-1.
pub(super) const EU_MACHINES: [MachineSpec; 2] = [
    MachineSpec {
        name: PAYOUT_BATCH,
        definition: payout_batch,
    },
    MachineSpec {
        name: GDPR_ERASURE,
        definition: gdpr_erasure,
    },
];

/// One named execution and, for the aborted one, how it is stopped.
pub(super) struct ExecutionSpec {
    pub machine: &'static str,
    pub name: &'static str,
    pub input: fn() -> Value,
    /// StopExecution's error and cause, sent right after the start.
    pub stop: Option<(&'static str, &'static str)>,
}

pub(super) fn executions() -> Vec<ExecutionSpec> {
    let onboarding = |name, input: fn() -> Value| ExecutionSpec {
        machine: TENANT_ONBOARDING,
        name,
        input,
        stop: None,
    };
    vec![
        // SUCCEEDED within seconds.
        onboarding(PROBE_EXECUTION, || {
            onboarding_input("acme", "Acme Corp", "enterprise", 1)
        }),
        onboarding("onboard-globex", || {
            onboarding_input("globex", "Globex Corporation", "standard", 2)
        }),
        onboarding("onboard-initech", || {
            onboarding_input("initech", "Initech", "standard", 3)
        }),
        // RUNNING for about 30 s, long enough to watch live right after seeding, then SUCCEEDED.
        onboarding("onboard-hooli", || {
            onboarding_input("hooli", "Hooli", "enterprise", 30)
        }),
        // FAILED with InvoiceExport.AccessDenied.
        ExecutionSpec {
            machine: INVOICE_EXPORT,
            name: "export-2025-11",
            input: || json!({"period": "2025-11", "tenant_id": "umbrella", "bucket": "umbrella-invoices"}),
            stop: None,
        },
        // RUNNING for an hour.
        ExecutionSpec {
            machine: NIGHTLY_RECONCILE,
            name: "reconcile-nightly",
            input: || json!({"scope": "all-tenants", "dry_run": false}),
            stop: None,
        },
        // ABORTED by an operator.
        ExecutionSpec {
            machine: NIGHTLY_RECONCILE,
            name: "reconcile-manual",
            input: || json!({"scope": "stark", "dry_run": true, "requested_by": "oncall"}),
            stop: Some((
                "Operator.Aborted",
                "Stopped by on-call: a second reconcile started during incident INC-4411",
            )),
        },
        // TIMED_OUT after 2 s.
        ExecutionSpec {
            machine: QUOTA_SYNC,
            name: "quota-sync-hourly",
            input: || json!({"tenants": ["acme", "globex", "initech", "umbrella", "hooli", "stark"]}),
            stop: None,
        },
    ]
}

/// The payouts of the `prod` account in eu-west-1: the bank's answer in the input decides how each
/// one ends.
pub(super) fn eu_executions() -> Vec<ExecutionSpec> {
    let payout = |name, input: fn() -> Value| ExecutionSpec {
        machine: PAYOUT_BATCH,
        name,
        input,
        stop: None,
    };
    vec![
        // SUCCEEDED.
        payout("payout-wayne-2026-11", || {
            payout_input("wayne", "2026-11", "accepted")
        }),
        payout("payout-tyrell-2026-11", || {
            payout_input("tyrell", "2026-11", "accepted")
        }),
        // FAILED with Payout.BankRejected, twice.
        payout("payout-wayne-2026-12", || {
            payout_input("wayne", "2026-12", "rejected")
        }),
        // Names differ in their first characters, so they stay apart where a narrow column cuts them.
        payout("retry-wayne-2026-12", || {
            payout_input("wayne", "2026-12", "rejected")
        }),
        // TIMED_OUT after 3 s waiting for the bank.
        payout("payout-tyrell-2026-12", || {
            payout_input("tyrell", "2026-12", "slow")
        }),
        // ABORTED while held for review.
        ExecutionSpec {
            machine: PAYOUT_BATCH,
            name: "manual-tyrell-2026-12",
            input: || payout_input("tyrell", "2026-12", "held"),
            stop: Some((
                "Operator.Aborted",
                "Stopped by on-call: the bank asked for the batch to be resubmitted",
            )),
        },
        // SUCCEEDED within a second.
        ExecutionSpec {
            machine: GDPR_ERASURE,
            name: "erase-wayne-1187",
            input: || erasure_input("wayne", "1187", 1),
            stop: None,
        },
        // RUNNING for an hour (a legal hold): to watch, or stop, in another account and region.
        ExecutionSpec {
            machine: GDPR_ERASURE,
            name: "erase-tyrell-4411",
            input: || erasure_input("tyrell", "4411", 3600),
            stop: None,
        },
    ]
}

fn erasure_input(tenant: &str, request: &str, hold_seconds: u32) -> Value {
    json!({
        "tenant_id": tenant,
        "request_id": format!("DSR-{request}"),
        "subject": format!("user-{request}@{tenant}.example"),
        "legal_hold_seconds": hold_seconds,
    })
}

fn payout_input(tenant: &str, period: &str, bank_response: &str) -> Value {
    json!({
        "tenant_id": tenant,
        "period": period,
        "currency": "EUR",
        "region": "eu-west-1",
        "bank_response": bank_response,
    })
}

fn onboarding_input(tenant: &str, name: &str, plan: &str, dns_seconds: u32) -> Value {
    json!({
        "tenant_id": tenant,
        "tenant_name": name,
        "plan": plan,
        "admin_email": format!("admin@{tenant}.example"),
        "region": "us-east-1",
        "dns_propagation_seconds": dns_seconds,
        "default_roles": ["admin", "member", "readonly"],
    })
}

/// Validate, branch on the plan, provision groups and DNS in parallel (waiting for DNS), seed the
/// role groups with a Map, notify. Its length is set by the input's `dns_propagation_seconds`.
fn tenant_onboarding() -> Value {
    json!({
        "Comment": "Onboard a tenant: groups, DNS, defaults, welcome mail",
        "StartAt": "ValidateRequest",
        "States": {
            "ValidateRequest": {
                "Type": "Pass",
                "Result": {"valid": true, "checks": ["tenant_id", "admin_email", "plan"]},
                "ResultPath": "$.validation",
                "Next": "CheckPlan"
            },
            "CheckPlan": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.plan", "StringEquals": "enterprise", "Next": "ReserveDedicatedCapacity"}
                ],
                "Default": "ProvisionTenant"
            },
            "ReserveDedicatedCapacity": {
                "Type": "Pass",
                "Result": {"capacity_units": 4, "isolation": "dedicated"},
                "ResultPath": "$.capacity",
                "Next": "ProvisionTenant"
            },
            "ProvisionTenant": {
                "Type": "Parallel",
                "ResultPath": "$.provisioning",
                "Branches": [
                    {
                        "StartAt": "CreateTenantGroups",
                        "States": {
                            "CreateTenantGroups": {
                                "Type": "Pass",
                                "Result": {"groups_created": 3},
                                "Next": "AssignAdminRole"
                            },
                            "AssignAdminRole": {"Type": "Pass", "Result": {"admin_assigned": true}, "End": true}
                        }
                    },
                    {
                        "StartAt": "ProvisionDns",
                        "States": {
                            "ProvisionDns": {
                                "Type": "Pass",
                                "Result": {"record": "tenant.prod.example.com", "type": "CNAME"},
                                "ResultPath": "$.dns",
                                "Next": "WaitForDnsPropagation"
                            },
                            "WaitForDnsPropagation": {
                                "Type": "Wait",
                                "SecondsPath": "$.dns_propagation_seconds",
                                "Next": "VerifyDns"
                            },
                            "VerifyDns": {"Type": "Pass", "Result": {"dns_verified": true}, "End": true}
                        }
                    }
                ],
                "Next": "SeedDefaults"
            },
            "SeedDefaults": {
                "Type": "Map",
                "ItemsPath": "$.default_roles",
                "ResultPath": "$.seeded_roles",
                "MaxConcurrency": 2,
                "Iterator": {
                    "StartAt": "CreateRoleDefaults",
                    "States": {
                        "CreateRoleDefaults": {"Type": "Pass", "End": true}
                    }
                },
                "Next": "SendWelcomeEmail"
            },
            "SendWelcomeEmail": {
                "Type": "Pass",
                "Result": {"template": "tenant-welcome", "sent": true},
                "ResultPath": "$.welcome",
                "Next": "OnboardingComplete"
            },
            "OnboardingComplete": {"Type": "Succeed"}
        }
    })
}

/// Fails the way exports do: the write is retried once, then caught, finance notified, and the
/// execution fails with a specific error and cause.
fn invoice_export() -> Value {
    json!({
        "Comment": "Export a tenant's invoices for a billing period to S3",
        "StartAt": "CollectInvoices",
        "States": {
            "CollectInvoices": {
                "Type": "Pass",
                "Result": {"invoices": 412, "currency": "EUR"},
                "ResultPath": "$.collected",
                "Next": "WriteExport"
            },
            "WriteExport": {
                "Type": "Parallel",
                "Branches": [{
                    "StartAt": "PutExportObject",
                    "States": {
                        "PutExportObject": {
                            "Type": "Fail",
                            "Error": "S3.AccessDenied",
                            "Cause": "Access Denied writing s3://umbrella-invoices/2025-11/export.csv"
                        }
                    }
                }],
                "Retry": [{"ErrorEquals": ["S3.AccessDenied"], "IntervalSeconds": 1, "MaxAttempts": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "NotifyFinance"}],
                "Next": "ExportComplete"
            },
            "NotifyFinance": {
                "Type": "Pass",
                "Result": {"channel": "#finance-ops", "notified": true},
                "ResultPath": "$.notification",
                "Next": "ExportFailed"
            },
            "ExportFailed": {
                "Type": "Fail",
                "Error": "InvoiceExport.AccessDenied",
                "Cause": "The bucket policy of umbrella-invoices denies s3:PutObject to role invoice-exporter"
            },
            "ExportComplete": {"Type": "Succeed"}
        }
    })
}

/// Waits an hour before reconciling, so a run stays RUNNING for the whole demo.
fn nightly_reconcile() -> Value {
    json!({
        "Comment": "Reconcile tenant usage with billing, after the nightly usage export lands",
        "StartAt": "LoadTenants",
        "States": {
            "LoadTenants": {"Type": "Pass", "Result": {"tenants": 6}, "ResultPath": "$.loaded", "Next": "WaitForUsageExport"},
            "WaitForUsageExport": {"Type": "Wait", "Seconds": 3600, "Next": "ReconcileLedgers"},
            "ReconcileLedgers": {"Type": "Pass", "Result": {"mismatches": 0}, "ResultPath": "$.result", "Next": "Done"},
            "Done": {"Type": "Succeed"}
        }
    })
}

/// Builds a SEPA batch and submits it; the input's `bank_response` (`accepted`, `rejected`, `slow`,
/// `held`) decides whether it succeeds, fails, times out after 3 s or waits an hour for review.
fn payout_batch() -> Value {
    json!({
        "Comment": "Pay out a tenant's marketplace earnings as a SEPA batch",
        "TimeoutSeconds": 3,
        "StartAt": "BuildBatch",
        "States": {
            "BuildBatch": {"Type": "Pass", "Result": {"payees": 412, "currency": "EUR"}, "ResultPath": "$.batch", "Next": "SubmitToBank"},
            "SubmitToBank": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.bank_response", "StringEquals": "rejected", "Next": "BatchRejected"},
                    {"Variable": "$.bank_response", "StringEquals": "slow", "Next": "WaitForBank"},
                    {"Variable": "$.bank_response", "StringEquals": "held", "Next": "HoldForReview"}
                ],
                "Default": "ConfirmPayout"
            },
            "WaitForBank": {"Type": "Wait", "Seconds": 30, "Next": "ConfirmPayout"},
            "HoldForReview": {"Type": "Wait", "Seconds": 3600, "Next": "ConfirmPayout"},
            "BatchRejected": {
                "Type": "Fail",
                "Error": "Payout.BankRejected",
                "Cause": "The bank rejected the SEPA batch: 3 of 412 payees have an invalid IBAN checksum"
            },
            "ConfirmPayout": {"Type": "Pass", "Result": {"confirmed": true}, "ResultPath": "$.confirmation", "Next": "PayoutComplete"},
            "PayoutComplete": {"Type": "Succeed"}
        }
    })
}

/// Erases a data subject's records once the legal hold (`legal_hold_seconds` of the input) ends.
fn gdpr_erasure() -> Value {
    json!({
        "Comment": "Erase a data subject's records after the legal hold",
        "StartAt": "LocateRecords",
        "States": {
            "LocateRecords": {"Type": "Pass", "Result": {"stores": ["cognito", "billing", "audit"]}, "ResultPath": "$.located", "Next": "WaitForLegalHold"},
            "WaitForLegalHold": {"Type": "Wait", "SecondsPath": "$.legal_hold_seconds", "Next": "EraseRecords"},
            "EraseRecords": {"Type": "Pass", "Result": {"erased": 3}, "ResultPath": "$.erased", "Next": "Erased"},
            "Erased": {"Type": "Succeed"}
        }
    })
}

/// Waits longer than its own TimeoutSeconds: every run times out after 2 s.
fn quota_sync() -> Value {
    json!({
        "Comment": "Sync tenant quotas from the billing system",
        "TimeoutSeconds": 2,
        "StartAt": "FetchQuotas",
        "States": {
            "FetchQuotas": {"Type": "Pass", "Result": {"source": "billing"}, "ResultPath": "$.fetch", "Next": "WaitForBillingApi"},
            "WaitForBillingApi": {"Type": "Wait", "Seconds": 10, "Next": "ApplyQuotas"},
            "ApplyQuotas": {"Type": "Pass", "End": true}
        }
    })
}

/// The machines of the management account in us-east-1; warns when executions do not progress.
pub(super) async fn seed(
    sdk: &SdkConfig,
    account_id: &str,
    report: &mut SeedReport,
) -> anyhow::Result<()> {
    let client = SfnClient::new(sdk);
    let machines = seed_machines(&client, account_id, &MACHINES, executions(), report).await?;
    if let Some(warning) = check_progress(&client, &machines[TENANT_ONBOARDING]).await? {
        report.warnings.push(warning);
    }
    Ok(())
}

/// The machines of the `prod` account in eu-west-1 (`sdk` is that account's, in that region).
pub(super) async fn seed_eu(
    sdk: &SdkConfig,
    account_id: &str,
    report: &mut SeedReport,
) -> anyhow::Result<()> {
    let client = SfnClient::new(sdk);
    seed_machines(&client, account_id, &EU_MACHINES, eu_executions(), report).await?;
    Ok(())
}

async fn seed_machines(
    client: &SfnClient,
    account_id: &str,
    specs: &[MachineSpec],
    executions: Vec<ExecutionSpec>,
    report: &mut SeedReport,
) -> anyhow::Result<BTreeMap<&'static str, String>> {
    let machines = ensure_machines(client, account_id, specs, report).await?;
    for spec in executions {
        let machine_arn = &machines[spec.machine];
        ensure_execution(client, machine_arn, &spec, report).await?;
    }
    Ok(machines)
}

/// State machine ARNs by name, creating the missing machines.
async fn ensure_machines(
    client: &SfnClient,
    account_id: &str,
    specs: &[MachineSpec],
    report: &mut SeedReport,
) -> anyhow::Result<BTreeMap<&'static str, String>> {
    let mut existing = BTreeMap::new();
    let mut pages = client.list_state_machines().into_paginator().items().send();
    while let Some(machine) = pages.next().await {
        let machine = machine.map_err(aws_error("Step Functions ListStateMachines"))?;
        existing.insert(
            machine.name().to_owned(),
            machine.state_machine_arn().to_owned(),
        );
    }

    let mut arns = BTreeMap::new();
    for spec in specs {
        let arn = match existing.get(spec.name) {
            Some(arn) => {
                report.note(SeedKind::StateMachine, Outcome::Present);
                arn.clone()
            }
            None => {
                let created = client
                    .create_state_machine()
                    .name(spec.name)
                    .r#type(StateMachineType::Standard)
                    .role_arn(format!(
                        "arn:aws:iam::{account_id}:role/opsdeck-demo-{}",
                        spec.name
                    ))
                    .definition((spec.definition)().to_string())
                    .send()
                    .await
                    .map_err(aws_error(format!(
                        "Step Functions CreateStateMachine {}",
                        spec.name
                    )))?;
                report.note(SeedKind::StateMachine, Outcome::Created);
                created.state_machine_arn().to_owned()
            }
        };
        arns.insert(spec.name, arn);
    }
    Ok(arns)
}

/// `arn:aws:states:R:A:stateMachine:M` → `arn:aws:states:R:A:execution:M:NAME`.
pub(super) fn execution_arn(machine_arn: &str, name: &str) -> String {
    format!(
        "{}:{name}",
        machine_arn.replacen(":stateMachine:", ":execution:", 1)
    )
}

async fn ensure_execution(
    client: &SfnClient,
    machine_arn: &str,
    spec: &ExecutionSpec,
    report: &mut SeedReport,
) -> anyhow::Result<()> {
    let arn = execution_arn(machine_arn, spec.name);
    let status = match client.describe_execution().execution_arn(&arn).send().await {
        Ok(found) => {
            report.note(SeedKind::Execution, Outcome::Present);
            found.status().clone()
        }
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_execution_does_not_exist()) =>
        {
            client
                .start_execution()
                .state_machine_arn(machine_arn)
                .name(spec.name)
                .input((spec.input)().to_string())
                .send()
                .await
                .map_err(aws_error(format!(
                    "Step Functions StartExecution {}",
                    spec.name
                )))?;
            report.note(SeedKind::Execution, Outcome::Created);
            ExecutionStatus::Running
        }
        Err(err) => return Err(aws_error(format!("Step Functions DescribeExecution {arn}"))(err)),
    };
    if let Some((error, cause)) = spec.stop
        && status == ExecutionStatus::Running
    {
        client
            .stop_execution()
            .execution_arn(&arn)
            .error(error)
            .cause(cause)
            .send()
            .await
            .map_err(aws_error(format!(
                "Step Functions StopExecution {}",
                spec.name
            )))?;
    }
    Ok(())
}

/// Waits for the quick probe run to finish; a warning when it does not, which means the emulator
/// is not running state machines.
async fn check_progress(
    client: &SfnClient,
    onboarding_arn: &str,
) -> anyhow::Result<Option<String>> {
    let arn = execution_arn(onboarding_arn, PROBE_EXECUTION);
    for _ in 0..PROBE_POLLS {
        let found = client
            .describe_execution()
            .execution_arn(&arn)
            .send()
            .await
            .map_err(aws_error(format!("Step Functions DescribeExecution {arn}")))?;
        match found.status() {
            ExecutionStatus::Running => tokio::time::sleep(PROBE_POLL_INTERVAL).await,
            ExecutionStatus::Succeeded => return Ok(None),
            other => {
                return Ok(Some(format!(
                    "execution {PROBE_EXECUTION} ended {} instead of SUCCEEDED: {}",
                    other.as_str(),
                    found.cause().unwrap_or("no cause given")
                )));
            }
        }
    }
    Ok(Some(format!(
        "execution {PROBE_EXECUTION} is still RUNNING after {} s: the emulator does not seem to run \
         state machines. Start it with scripts/emulator, which turns on moto's Step Functions \
         execute mode before anything is created",
        (PROBE_POLL_INTERVAL * PROBE_POLLS).as_secs()
    )))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn executions_have_unique_names_on_known_machines() {
        let machines: HashSet<&str> = MACHINES.iter().map(|m| m.name).collect();
        let eu_machines: HashSet<&str> = EU_MACHINES.iter().map(|m| m.name).collect();
        let mut names = HashSet::new();
        for execution in eu_executions() {
            assert!(
                eu_machines.contains(execution.machine),
                "{}",
                execution.machine
            );
            assert!(names.insert(execution.name), "{} twice", execution.name);
            assert!((execution.input)().is_object());
        }
        for execution in executions() {
            assert!(
                machines.contains(execution.machine),
                "{}",
                execution.machine
            );
            assert!(names.insert(execution.name), "{} twice", execution.name);
            assert!((execution.input)().is_object());
        }
        assert!(names.contains(PROBE_EXECUTION));
    }

    #[test]
    fn definitions_start_at_a_state_they_define() {
        for machine in &MACHINES {
            let definition = (machine.definition)();
            let start = definition["StartAt"].as_str().unwrap();
            assert!(
                definition["States"].get(start).is_some(),
                "{}: {start}",
                machine.name
            );
        }
    }

    #[test]
    fn onboarding_uses_every_flow_state_type() {
        let text = tenant_onboarding().to_string();
        for kind in ["Pass", "Wait", "Choice", "Parallel", "Map", "Succeed"] {
            assert!(
                text.contains(&format!("\"Type\":\"{kind}\"")),
                "no {kind} state"
            );
        }
    }

    #[test]
    fn payouts_end_in_every_outcome_the_failures_view_shows() {
        let definition = payout_batch();
        let timeout = definition["TimeoutSeconds"].as_u64().unwrap();
        assert!(
            definition["States"]["WaitForBank"]["Seconds"]
                .as_u64()
                .unwrap()
                > timeout
        );
        let choices = definition["States"]["SubmitToBank"]["Choices"]
            .as_array()
            .unwrap();
        let routed: HashSet<&str> = choices
            .iter()
            .map(|c| c["StringEquals"].as_str().unwrap())
            .collect();
        let responses: HashSet<String> = eu_executions()
            .iter()
            .filter(|e| e.machine == PAYOUT_BATCH)
            .map(|e| (e.input)()["bank_response"].as_str().unwrap().to_owned())
            .collect();
        for response in ["rejected", "slow", "held"] {
            assert!(
                routed.contains(response) && responses.contains(response),
                "{response}"
            );
        }
        // `accepted` takes the default branch.
        assert!(responses.contains("accepted") && !routed.contains("accepted"));
        let stopped: Vec<_> = eu_executions()
            .into_iter()
            .filter(|e| e.stop.is_some())
            .collect();
        assert_eq!(stopped.len(), 1);
        assert_eq!((stopped[0].input)()["bank_response"], "held");
    }

    #[test]
    fn quota_sync_waits_longer_than_its_timeout() {
        let definition = quota_sync();
        let timeout = definition["TimeoutSeconds"].as_u64().unwrap();
        let wait = definition["States"]["WaitForBillingApi"]["Seconds"]
            .as_u64()
            .unwrap();
        assert!(wait > timeout);
    }

    #[test]
    fn execution_arns_follow_the_machine_arn() {
        assert_eq!(
            execution_arn(
                "arn:aws:states:us-east-1:111122223333:stateMachine:tenant-onboarding",
                "onboard-acme"
            ),
            "arn:aws:states:us-east-1:111122223333:execution:tenant-onboarding:onboard-acme"
        );
    }
}
