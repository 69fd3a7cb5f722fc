//! The services' orchestration against the fake: tenant planning reads what a plan depends on
//! (and nothing more) and plans only what is missing; the DNS inventory loads several accounts,
//! one of them failing, without one hiding the others.

use std::time::Duration;

use opsdeck::domain::account::Account;
use opsdeck::domain::dns::{Inventory, InventoryEvent};
use opsdeck::domain::plan::{Danger, Plan};
use opsdeck::domain::tenancy::plan::{CognitoCall, CognitoOp, Intent};
use opsdeck::services::fake::{FakeBackend, PoolSeed, ZoneSeed};
use opsdeck::services::tenant_planning::{self as planning, PlanError};
use opsdeck::services::{InventoryPlan, load_inventory};

use crate::support::{ME, POOL, denied, fake, target, tenancy, throttled};

/// The steps of a plan as (operation, target).
fn steps(plan: &Plan<CognitoCall>) -> Vec<(&str, &str)> {
    plan.steps
        .iter()
        .map(|s| (s.operation, s.target.as_str()))
        .collect()
}

async fn plan_of(
    fake: &FakeBackend,
    intent: Intent,
) -> Result<Option<Plan<CognitoCall>>, PlanError> {
    planning::plan(fake, &tenancy(), &target(), intent).await
}

fn onboard(tenant: &str, admin: &str) -> Intent {
    Intent::OnboardTenant {
        tenant: tenant.into(),
        display_name: "Globex Inc".into(),
        admin_email: admin.into(),
    }
}

#[tokio::test]
async fn onboarding_a_tenant_plans_its_role_groups_and_its_first_admin_from_reads_only() {
    let fake = fake();
    let plan = plan_of(&fake, onboard("globex", "carol@globex.com"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        steps(&plan),
        [
            ("CreateGroup", "globex:admin"),
            ("CreateGroup", "globex:member"),
            ("CreateGroup", "globex:readonly"),
            ("AdminCreateUser", "carol@globex.com"),
            ("AdminAddUserToGroup", "carol@globex.com"),
        ]
    );
    // The pool defines the tenant attribute: the new user carries it.
    let CognitoOp::CreateUser { attributes, .. } = &plan.steps[3].action.op else {
        panic!("{:?}", plan.steps[3].action);
    };
    assert_eq!(
        attributes,
        &[("custom:tenant_id".to_owned(), "globex".to_owned())]
    );
    assert_eq!(plan.danger, Danger::Normal);
    // The admin is looked up by username, then by email; nothing is changed.
    assert_eq!(
        fake.calls(),
        [
            "ListGroups",
            "DescribeUserPool",
            "AdminGetUser",
            "ListUsers"
        ]
    );
    assert!(fake.changes().is_empty());
}

#[tokio::test]
async fn a_half_onboarded_tenant_gets_only_what_it_misses() {
    let pool = PoolSeed::new(POOL, "customers")
        .attribute("custom:tenant_id")
        .group("globex:admin", "Globex Inc", 1)
        .user(
            opsdeck::services::fake::UserSeed::new("carol@globex.com")
                .attribute("custom:tenant_id", "globex")
                .in_group("globex:admin"),
        );
    let fake = FakeBackend::new(ME).with_pool(pool);
    let plan = plan_of(&fake, onboard("globex", "carol@globex.com"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        steps(&plan),
        [
            ("CreateGroup", "globex:member"),
            ("CreateGroup", "globex:readonly")
        ]
    );
}

#[tokio::test]
async fn adding_an_existing_user_to_a_tenant_adds_them_without_recreating_them() {
    let fake = fake();
    let intent = Intent::OnboardUser {
        tenant: "acme".into(),
        email: "dave@example.com".into(),
        role: "readonly".into(),
    };
    let plan = plan_of(&fake, intent).await.unwrap().unwrap();
    assert_eq!(
        steps(&plan),
        [
            ("AdminUpdateUserAttributes", "dave@example.com"),
            ("AdminAddUserToGroup", "dave@example.com"),
        ]
    );
    assert_eq!(
        plan.steps[1].action.op,
        CognitoOp::AddToGroup {
            username: "dave@example.com".into(),
            group: "acme:readonly".into(),
        }
    );
    // Already a member with that role: nothing to do.
    let again = Intent::OnboardUser {
        tenant: "acme".into(),
        email: "bob@acme.com".into(),
        role: "member".into(),
    };
    assert_eq!(plan_of(&fake, again).await.unwrap(), None);
}

#[tokio::test]
async fn removing_the_last_membership_of_a_user_can_delete_them_and_must_be_typed() {
    let fake = fake();
    let intent = Intent::Remove {
        username: "bob@acme.com".into(),
        tenant: "acme".into(),
        delete_user: true,
    };
    let plan = plan_of(&fake, intent).await.unwrap().unwrap();
    assert_eq!(
        steps(&plan),
        [
            ("AdminRemoveUserFromGroup", "bob@acme.com"),
            ("AdminDeleteUser", "bob@acme.com"),
        ]
    );
    assert_eq!(
        plan.danger,
        Danger::Destructive {
            confirm_text: "bob@acme.com".into()
        }
    );
    let stranger = Intent::Remove {
        username: "dave@example.com".into(),
        tenant: "acme".into(),
        delete_user: false,
    };
    let err = plan_of(&fake, stranger).await.unwrap_err();
    assert_eq!(
        err,
        PlanError::Invalid("dave@example.com is not in tenant acme".into())
    );
}

#[tokio::test]
async fn a_read_that_fails_is_a_service_error_and_an_unknown_user_an_invalid_input() {
    let fake = fake();
    fake.fail_next("DescribeUserPool", throttled("Cognito DescribeUserPool"));
    let err = plan_of(&fake, onboard("globex", "carol@globex.com"))
        .await
        .unwrap_err();
    let PlanError::Service(e) = err else {
        panic!("{err:?}");
    };
    assert_eq!(e.code.as_deref(), Some("ThrottlingException"));
    assert!(e.is_transient());
    let gone = Intent::SetEnabled {
        username: "zed".into(),
        enabled: false,
    };
    let err = plan_of(&fake, gone).await.unwrap_err();
    assert!(
        matches!(&err, PlanError::Invalid(m) if m.starts_with("unknown user zed")),
        "{err:?}"
    );
    assert!(fake.changes().is_empty());
}

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        name: String::new(),
        email: String::new(),
        status: "ACTIVE".into(),
        read_only: false,
    }
}

/// Load the inventory of `ids` with the given patience with throttling.
async fn inventory(fake: &FakeBackend, ids: &[&str], patience: u64) -> Inventory {
    let accounts: Vec<Account> = ids.iter().map(|id| account(id)).collect();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<InventoryEvent>();
    let plan = InventoryPlan {
        concurrency: 2,
        route53_rps: 0,
        throttle_patience: Duration::from_secs(patience),
    };
    load_inventory(fake, &accounts, &plan, &|_| true, &tx).await;
    drop(tx);
    let mut inventory = Inventory::new(accounts);
    while let Some(event) = rx.recv().await {
        inventory.apply(event);
    }
    inventory
}

fn three_accounts() -> FakeBackend {
    FakeBackend::new(ME)
        .with_zone(
            ZoneSeed::public("Z1", "example.com")
                .simple("example.com", "A", &["192.0.2.1"])
                .simple("www.example.com", "CNAME", &["example.com"]),
        )
        .with_zone(
            ZoneSeed::private("Z2", "internal", "eu-west-1/vpc-1").simple(
                "db.internal",
                "A",
                &["10.0.0.1"],
            ),
        )
        .with_denied_account("222222222222")
        .with_zone_in(
            "333333333333",
            ZoneSeed::public("Z3", "b.com")
                .simple("a.b.com", "A", &["192.0.2.2"])
                .simple("c.b.com", "A", &["192.0.2.3"])
                .simple("d.b.com", "A", &["192.0.2.4"]),
        )
        .with_record_page_size(2)
}

#[tokio::test]
async fn the_inventory_of_several_accounts_survives_one_that_is_denied() {
    let fake = three_accounts();
    let inv = inventory(&fake, &[ME, "222222222222", "333333333333"], 0).await;
    let words: Vec<&str> = inv.accounts.iter().map(|a| a.status.word()).collect();
    assert_eq!(words, ["ok", "denied", "ok"]);
    assert_eq!(inv.record_count(), 6);
    let mine = &inv.accounts[0];
    assert_eq!(mine.zones.len(), 2);
    assert_eq!(mine.zones[1].detail.vpcs, ["eu-west-1/vpc-1"]);
    let error = inv.accounts[1].status.error().unwrap();
    assert!(error.contains("could not be assumed"), "{error}");
    // The denied account is asked once; a zone of 3 records takes 2 pages of 2.
    assert_eq!(fake.calls_in("222222222222"), ["ListHostedZones"]);
    assert_eq!(
        fake.calls_in("333333333333"),
        [
            "ListHostedZones",
            "ListResourceRecordSets",
            "ListResourceRecordSets"
        ]
    );
    assert_eq!(
        fake.calls_in(ME),
        [
            "ListHostedZones",
            "GetHostedZone",
            "ListResourceRecordSets",
            "ListResourceRecordSets"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_throttled_account_is_waited_for_and_a_broken_zone_keeps_the_others() {
    let fake = three_accounts();
    let throttle = throttled("Route53 ListResourceRecordSets");
    fake.fail_next_in("333333333333", "ListResourceRecordSets", throttle.clone());
    fake.fail_next_in("333333333333", "ListResourceRecordSets", throttle);
    let gone = opsdeck::services::ServiceError::new(
        opsdeck::services::ErrorKind::NotFound,
        Some("NoSuchHostedZone".into()),
        "Route53 ListResourceRecordSets failed: No hosted zone found with ID: Z1",
    );
    fake.fail_next_in(ME, "ListResourceRecordSets", gone);
    let inv = inventory(&fake, &[ME, "333333333333"], 30).await;

    let theirs = &inv.accounts[1];
    assert_eq!(theirs.status.word(), "ok", "{:?}", theirs.status);
    assert_eq!(theirs.zones[0].records.len(), 3);
    assert_eq!(
        fake.calls_in("333333333333").len(),
        1 + 2 + 2,
        "two retries, then two pages"
    );

    let mine = &inv.accounts[0];
    assert_eq!(mine.status.word(), "failed");
    assert!(
        mine.zones[0]
            .error
            .as_deref()
            .unwrap()
            .contains("No hosted zone")
    );
    assert_eq!(
        mine.zones[1].records.len(),
        1,
        "the other zone is still read"
    );
}

#[tokio::test]
async fn a_denial_while_reading_records_stops_asking_that_account() {
    let fake = three_accounts();
    fake.fail_next_in(
        ME,
        "ListResourceRecordSets",
        denied("Route53 ListResourceRecordSets"),
    );
    let inv = inventory(&fake, &[ME, "333333333333"], 0).await;
    let mine = &inv.accounts[0];
    assert_eq!(mine.status.word(), "denied");
    assert!(mine.zones[0].error.is_some());
    assert!(
        mine.zones[1].records.is_empty(),
        "the second zone is not asked for"
    );
    assert_eq!(
        fake.calls_in(ME),
        ["ListHostedZones", "GetHostedZone", "ListResourceRecordSets"]
    );
    assert_eq!(inv.accounts[1].status.word(), "ok");
}
