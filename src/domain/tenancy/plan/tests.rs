use super::*;
use crate::domain::plan::{Danger, Plan};
use crate::domain::tenancy::GroupPattern;
use crate::domain::tenancy::users::{Model, Tenancy, User, UserDetail};

fn tenancy() -> Tenancy {
    Tenancy {
        model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
        attribute: "custom:tenant_id".into(),
        usernames: Default::default(),
    }
}

fn target() -> Target {
    Target {
        account_id: "111111111111".into(),
        region: "eu-west-1".into(),
        pool_id: "eu-west-1_x".into(),
    }
}

fn facts(groups: &[&str]) -> PoolFacts {
    PoolFacts {
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        defines_attribute: true,
    }
}

fn detail(name: &str, groups: &[&str], tenant: Option<&str>) -> UserDetail {
    UserDetail {
        user: User {
            username: name.into(),
            email: format!("{name}@example.com"),
            status: "CONFIRMED".into(),
            enabled: true,
            attributes: tenant
                .map(|t| vec![("custom:tenant_id".to_owned(), t.to_owned())])
                .unwrap_or_default(),
            ..User::default()
        },
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        ..UserDetail::default()
    }
}

fn ops(plan: &Plan<CognitoCall>) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| format!("{} {}", s.operation, s.summary))
        .collect()
}

#[test]
fn onboarding_a_new_tenant_creates_groups_in_role_order_then_the_admin() {
    let plan = onboard_tenant(
        &tenancy(),
        &target(),
        &facts(&[]),
        "acme",
        "Acme Corp",
        "jane@acme.com",
        None,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        ops(&plan),
        [
            "CreateGroup create group acme:admin (precedence 1)",
            "CreateGroup create group acme:member (precedence 2)",
            "CreateGroup create group acme:readonly (precedence 3)",
            "AdminCreateUser create user jane@acme.com, email verified, \
             custom:tenant_id=acme, send the invitation",
            "AdminAddUserToGroup add to group acme:admin",
        ]
    );
    let CognitoOp::CreateGroup { description, .. } = &plan.steps[0].action.op else {
        unreachable!()
    };
    assert_eq!(description, "Acme Corp");
    assert_eq!(plan.steps[0].action.pool_id, "eu-west-1_x");
}

#[test]
fn a_rerun_after_a_partial_failure_only_makes_the_missing_calls() {
    let admin = detail("jane@acme.com", &[], Some("acme"));
    let plan = onboard_tenant(
        &tenancy(),
        &target(),
        &facts(&["acme:admin", "acme:member"]),
        "acme",
        "",
        "jane@acme.com",
        Some(&admin),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        ops(&plan),
        [
            "CreateGroup create group acme:readonly (precedence 3)",
            "AdminAddUserToGroup add to group acme:admin",
        ]
    );
    let done = detail("jane@acme.com", &["acme:admin"], Some("acme"));
    let complete = onboard_tenant(
        &tenancy(),
        &target(),
        &facts(&["acme:admin", "acme:member", "acme:readonly"]),
        "acme",
        "",
        "jane@acme.com",
        Some(&done),
    )
    .unwrap();
    assert_eq!(complete, None);
}

#[test]
fn an_existing_user_is_added_not_recreated_and_their_tenant_attribute_kept() {
    let user = detail("ava", &["globex:member"], Some("globex"));
    let plan = onboard_user(
        &tenancy(),
        &target(),
        &facts(&["acme:admin", "acme:member"]),
        "acme",
        "ava@example.com",
        "member",
        Some(&user),
    )
    .unwrap()
    .unwrap();
    assert_eq!(ops(&plan), ["AdminAddUserToGroup add to group acme:member"]);
    assert_eq!(plan.steps[0].target, "ava");
}

#[test]
fn onboarding_into_an_unknown_tenant_or_over_another_role_is_refused() {
    let err = onboard_user(
        &tenancy(),
        &target(),
        &facts(&["acme:admin"]),
        "nope",
        "a@b.com",
        "admin",
        None,
    )
    .unwrap_err();
    assert!(err.contains("unknown tenant nope"), "{err}");
    let user = detail("ava", &["acme:admin"], None);
    let err = onboard_user(
        &tenancy(),
        &target(),
        &facts(&["acme:admin", "acme:member"]),
        "acme",
        "ava@example.com",
        "member",
        Some(&user),
    )
    .unwrap_err();
    assert!(err.contains("set-role"), "{err}");
}

#[test]
fn set_role_adds_the_new_role_before_removing_the_old() {
    let user = detail("ava", &["acme:member", "globex:admin"], None);
    let plan = set_role(&tenancy(), &target(), &user, "acme", "admin")
        .unwrap()
        .unwrap();
    assert_eq!(
        ops(&plan),
        [
            "AdminAddUserToGroup add to group acme:admin",
            "AdminRemoveUserFromGroup remove from group acme:member",
        ]
    );
    let same = detail("ava", &["acme:admin"], None);
    assert_eq!(
        set_role(&tenancy(), &target(), &same, "acme", "admin").unwrap(),
        None
    );
    assert!(set_role(&tenancy(), &target(), &same, "globex", "admin").is_err());
}

#[test]
fn removing_deletes_the_user_only_when_asked_and_in_no_other_tenant() {
    let two = detail("ava", &["acme:member", "globex:admin"], None);
    let plan = remove_user(&tenancy(), &target(), &two, "acme", true).unwrap();
    assert_eq!(
        ops(&plan),
        ["AdminRemoveUserFromGroup remove from group acme:member"]
    );
    assert_eq!(
        plan.danger,
        Danger::Destructive {
            confirm_text: "ava".into()
        }
    );
    let one = detail("ava", &["acme:member"], None);
    let plan = remove_user(&tenancy(), &target(), &one, "acme", true).unwrap();
    assert_eq!(plan.steps.last().unwrap().operation, "AdminDeleteUser");
    let plan = remove_user(&tenancy(), &target(), &one, "acme", false).unwrap();
    assert_eq!(plan.steps.len(), 1);
}

#[test]
fn with_uuid_usernames_a_new_user_gets_a_uuid_and_an_existing_one_is_not_recreated() {
    let t = Tenancy {
        usernames: super::super::users::Usernames::Uuid,
        ..tenancy()
    };
    let f = facts(&["acme:admin", "acme:member"]);
    let plan = onboard_user(&t, &target(), &f, "acme", "ava@x.com", "member", None)
        .unwrap()
        .unwrap();
    let CognitoOp::CreateUser {
        username, email, ..
    } = &plan.steps[0].action.op
    else {
        panic!("{:?}", plan.steps[0])
    };
    assert_eq!(email, "ava@x.com");
    assert!(uuid::Uuid::parse_str(username).is_ok(), "{username}");
    // Every later call names the user by the same username.
    assert_eq!(plan.steps[1].target, *username);
    // Found by email (as the lookup does), the user is added, not created again.
    let existing = detail("0b7c1a3e-5f0a-4c61-9d7e-2f1b8e4a6c90", &[], Some("acme"));
    let plan = onboard_user(
        &t,
        &target(),
        &f,
        "acme",
        "ava@x.com",
        "member",
        Some(&existing),
    )
    .unwrap()
    .unwrap();
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].operation, "AdminAddUserToGroup");
    assert_eq!(plan.steps[0].target, existing.user.username);
}

#[test]
fn attribute_model_keeps_one_tenant_per_user() {
    let t = Tenancy {
        model: Model::Attribute,
        ..tenancy()
    };
    let user = detail("ava", &["member"], Some("globex"));
    let err = onboard_user(
        &t,
        &target(),
        &facts(&["admin", "member"]),
        "acme",
        "ava@x.com",
        "member",
        Some(&user),
    )
    .unwrap_err();
    assert!(err.contains("belongs to tenant globex"), "{err}");
    let plan = remove_user(&t, &target(), &user, "globex", false).unwrap();
    assert_eq!(plan.steps[1].operation, "AdminDeleteUserAttributes");
    let no_attribute = PoolFacts {
        defines_attribute: false,
        ..facts(&["admin"])
    };
    let err =
        onboard_tenant(&t, &target(), &no_attribute, "acme", "", "a@b.com", None).unwrap_err();
    assert!(err.contains("has no attribute custom:tenant_id"), "{err}");
}

#[test]
fn delete_tenant_is_refused_while_it_has_users_unless_forced() {
    let f = facts(&["acme:admin", "acme:member"]);
    let err = delete_tenant(&tenancy(), &target(), &f, "acme", 3, false).unwrap_err();
    assert!(err.contains("--force"), "{err}");
    let plan = delete_tenant(&tenancy(), &target(), &f, "acme", 3, true).unwrap();
    assert_eq!(plan.steps.len(), 2);
    assert_eq!(
        plan.danger,
        Danger::Destructive {
            confirm_text: "acme".into()
        }
    );
    assert!(delete_tenant(&tenancy(), &target(), &f, "zzz", 0, false).is_err());
}

#[test]
fn disable_asks_for_the_name_and_says_it_can_be_undone_enable_is_normal_and_no_op_gives_no_plan() {
    let user = detail("ava", &[], None);
    assert!(set_enabled(&target(), &user, true).is_none());
    let plan = set_enabled(&target(), &user, false).unwrap();
    assert_eq!(plan.danger.confirm_text(), Some("ava"));
    assert_eq!(plan.prompt(), "Type ava to confirm:");
    let text = plan.lines().join("\n");
    assert!(!text.contains("cannot be undone"), "{text}");
    assert!(
        text.contains("can be undone: enable the user again (`opsdeck users enable ava`"),
        "{text}"
    );
    let mut disabled = detail("ava", &[], None);
    disabled.user.enabled = false;
    let enable = set_enabled(&target(), &disabled, true).unwrap();
    assert_eq!(enable.danger, Danger::Normal);
}

#[test]
fn invitations_are_resent_only_to_users_who_never_signed_in() {
    let mut user = detail("ava", &[], None);
    assert!(resend_invitation(&target(), &user).is_err());
    user.user.status = "FORCE_CHANGE_PASSWORD".into();
    let plan = resend_invitation(&target(), &user).unwrap();
    assert_eq!(plan.steps[0].operation, "AdminCreateUser");
    let err = reset_password(&target(), &user).unwrap_err();
    assert!(err.contains("resend the invitation"), "{err}");
}

#[test]
fn creating_a_tenant_never_makes_another_user_its_admin_by_accident() {
    let alice = detail("alice", &["acme:admin"], Some("acme")).user;
    let admins = [alice.clone()];
    // Another admin: refused, naming the admins and the command that adds one on purpose.
    let err = no_admin_by_accident(&tenancy(), "acme", "new@x.com", None, &admins).unwrap_err();
    assert!(
        err.contains("tenant acme already exists, with admin(s) alice@example.com"),
        "{err}"
    );
    assert!(
        err.contains("opsdeck users onboard --tenant acme --email new@x.com --role admin"),
        "{err}"
    );
    // An existing user of the pool, not an admin of acme: refused too.
    let bob = detail("bob", &["globex:admin"], Some("globex"));
    assert!(no_admin_by_accident(&tenancy(), "acme", "bob", Some(&bob), &admins).is_err());
    // The same admin (by email in any case, or by username), or no admin yet: allowed.
    assert!(no_admin_by_accident(&tenancy(), "acme", "ALICE@example.com", None, &admins).is_ok());
    let found = detail("alice", &["acme:admin"], Some("acme"));
    assert!(no_admin_by_accident(&tenancy(), "acme", "alice", Some(&found), &admins).is_ok());
    assert!(no_admin_by_accident(&tenancy(), "acme", "new@x.com", None, &[]).is_ok());
    // Hostile names are shown, never emitted.
    let mut evil = alice;
    evil.email = "e\u{1b}[2J@x.com".into();
    let err = no_admin_by_accident(&tenancy(), "acme", "new@x.com", None, &[evil]).unwrap_err();
    assert!(!err.contains('\u{1b}'), "{err}");
}
