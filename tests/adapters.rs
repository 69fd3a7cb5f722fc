//! The SDK adapters against the emulator: identity, accounts, assume-role access and the panes'
//! list reads, each in an account of its own.

mod support;

use std::sync::Arc;

use opsdeck::aws::{Aws, AwsSettings};
use opsdeck::domain::account::AccessVia;
use opsdeck::domain::workflows::MachineType;
use opsdeck::services::{Dns, Identity, Organization, Tenants, Workflows};

fn aws(account: &support::TestAccount) -> Aws {
    Aws::new(
        account.sdk.clone(),
        AwsSettings {
            role_name: "OrganizationAccountAccessRole".into(),
            session_name: "opsdeck-test".into(),
            max_attempts: 2,
            ..AwsSettings::default()
        },
    )
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn access_to_a_member_account_goes_through_the_assumed_role_and_is_cached() {
    let account = support::isolated_account().await;
    let orgs = aws_sdk_organizations::Client::new(&account.sdk);
    orgs.create_organization().send().await.unwrap();
    orgs.create_account()
        .account_name("member")
        .email("member@example.com")
        .send()
        .await
        .unwrap();
    let aws = aws(&account);

    let accounts = aws.list_accounts().await.unwrap();
    let member = accounts.iter().find(|a| a.name == "member").unwrap();
    let access = aws.check_access(&member.id).await.unwrap();
    assert_eq!(access.via, AccessVia::AssumedRole);
    assert_eq!(
        access.identity.account_id, member.id,
        "credentials land in the member"
    );
    assert!(
        access
            .identity
            .arn
            .contains("OrganizationAccountAccessRole")
    );

    let own = aws.check_access(&account.id).await.unwrap();
    assert_eq!(own.via, AccessVia::CurrentCredentials);

    // One client set per account, reused.
    let a = aws.for_account(&member.id).await.unwrap();
    let b = aws.for_account(&member.id).await.unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!(aws.caller_identity().await.unwrap().account_id, account.id);
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn the_panes_read_zones_pools_groups_and_state_machines_of_an_account() {
    let account = support::isolated_account().await;
    let sdk = &account.sdk;
    let route53 = aws_sdk_route53::Client::new(sdk);
    route53
        .create_hosted_zone()
        .name("adapters.example.com")
        .caller_reference(format!("ref-{}", account.id))
        .hosted_zone_config(
            aws_sdk_route53::types::HostedZoneConfig::builder()
                .comment("adapter test")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let cognito = aws_sdk_cognitoidentityprovider::Client::new(sdk);
    let pool = support::user_pool(&cognito, "adapter-pool", false).await;
    for group in ["acme:admin", "acme:member", "Admins"] {
        cognito
            .create_group()
            .user_pool_id(&pool)
            .group_name(group)
            .description(format!("{group} desc"))
            .send()
            .await
            .unwrap();
    }
    let sfn = aws_sdk_sfn::Client::new(sdk);
    sfn.create_state_machine()
        .name("adapter-machine")
        .definition(r#"{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}"#)
        .role_arn(format!("arn:aws:iam::{}:role/sfn", account.id))
        .r#type(aws_sdk_sfn::types::StateMachineType::Express)
        .send()
        .await
        .unwrap();

    let aws = aws(&account);
    let zones = aws.hosted_zones(&account.id).await.unwrap();
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0].name, "adapters.example.com");
    assert!(!zones[0].id.starts_with('/'), "{}", zones[0].id);
    assert_eq!(zones[0].comment, "adapter test");
    assert!(!zones[0].private);
    assert_eq!(zones[0].record_count, 2, "SOA + NS");

    let pools = aws.user_pools(&account.id).await.unwrap();
    assert_eq!(pools.len(), 1);
    assert_eq!(pools[0].id, pool);
    let mut groups = aws.groups(&account.id, &pool).await.unwrap();
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["Admins", "acme:admin", "acme:member"]);
    assert_eq!(groups[1].description, "acme:admin desc");

    let machines = aws.state_machines(&account.id).await.unwrap();
    assert_eq!(machines.len(), 1);
    assert_eq!(machines[0].name, "adapter-machine");
    assert_eq!(machines[0].kind, MachineType::Express);
    assert!(machines[0].created.is_some());
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn errors_come_back_with_their_aws_code_and_a_sentence() {
    let account = support::isolated_account().await;
    let aws = aws(&account);
    let err = aws
        .groups(&account.id, "us-east-1_doesnotexist")
        .await
        .unwrap_err();
    assert_eq!(err.kind, opsdeck::services::ErrorKind::NotFound, "{err:?}");
    assert_eq!(err.code.as_deref(), Some("ResourceNotFoundException"));
    assert!(
        err.message.starts_with("Cognito ListGroups failed"),
        "{err}"
    );
}

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn an_unreachable_endpoint_is_a_network_error_not_a_hang() {
    let account = support::isolated_account().await;
    // A loopback port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let sdk = account
        .sdk
        .to_builder()
        .endpoint_url(format!("http://127.0.0.1:{closed}"))
        .build();
    let aws = Aws::new(
        sdk,
        AwsSettings {
            max_attempts: 1,
            ..AwsSettings::default()
        },
    );
    let err = aws.caller_identity().await.unwrap_err();
    assert_eq!(err.kind, opsdeck::services::ErrorKind::Network, "{err:?}");
}
