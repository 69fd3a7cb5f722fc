//! Cognito's side of the fake: user pools with their schema, groups, users and memberships, and
//! how Cognito answers each call of a plan (its error codes and kinds as `aws::error` maps them).
//! The port (`Tenants`), the seeds and the readers are in `tenants.rs`.

use std::collections::{BTreeMap, BTreeSet};

use super::AwsError;
use crate::domain::tenancy::Group;
use crate::domain::tenancy::plan::{CognitoCall, CognitoOp};
use crate::domain::tenancy::users::User;
use crate::services::ErrorKind;

/// The attributes every pool has; anything else must be a custom attribute of its schema.
const STANDARD: &str = "sub email email_verified name given_name family_name middle_name \
     nickname preferred_username profile picture website gender birthdate zoneinfo locale \
     phone_number phone_number_verified address updated_at";

/// Whether `name` is a standard attribute.
pub(super) fn standard(name: &str) -> bool {
    STANDARD.split_whitespace().any(|a| a == name)
}

#[derive(Debug, Default)]
pub(super) struct Cognito {
    /// By (account, pool id).
    pub(super) pools: BTreeMap<(String, String), Pool>,
    /// (pool, username) of every invitation sent, in order.
    pub(super) invitations: Vec<(String, String)>,
    /// Numbers the users' `sub`.
    pub(super) serial: u64,
}

#[derive(Debug, Clone)]
pub(super) struct Pool {
    pub(super) name: String,
    /// Custom attributes, with their `custom:` prefix.
    pub(super) custom: Vec<String>,
    pub(super) groups: BTreeMap<String, Group>,
    /// In creation order (ListUsers answers in this order).
    pub(super) users: Vec<Member>,
}

#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) user: User,
    pub(super) mfa: Vec<String>,
    pub(super) preferred_mfa: Option<String>,
    pub(super) groups: BTreeSet<String>,
}

pub(super) fn no_pool(pool: &str) -> AwsError {
    let message = format!("User pool {pool} does not exist.");
    AwsError::new(ErrorKind::NotFound, "ResourceNotFoundException", message)
}

pub(super) fn no_user() -> AwsError {
    AwsError::new(
        ErrorKind::NotFound,
        "UserNotFoundException",
        "User does not exist.",
    )
}

pub(super) fn no_group() -> AwsError {
    AwsError::new(
        ErrorKind::NotFound,
        "ResourceNotFoundException",
        "Group not found.",
    )
}

pub(super) fn bad_token() -> AwsError {
    let message = "Invalid pagination token";
    AwsError::new(ErrorKind::Invalid, "InvalidParameterException", message)
}

impl Pool {
    pub(super) fn member(&mut self, username: &str) -> Result<&mut Member, AwsError> {
        self.users
            .iter_mut()
            .find(|m| m.user.username == username)
            .ok_or_else(no_user)
    }

    pub(super) fn check_schema(&self, attributes: &[(String, String)]) -> Result<(), AwsError> {
        match attributes
            .iter()
            .find(|(n, _)| !standard(n) && !self.custom.contains(n))
        {
            None => Ok(()),
            Some((name, _)) => Err(AwsError::new(
                ErrorKind::Invalid,
                "InvalidParameterException",
                format!(
                    "Attributes did not conform to the schema: Type for attribute {{{name}}} \
                     could not be determined"
                ),
            )),
        }
    }

    pub(super) fn in_group(&self, group: &str) -> Result<Vec<User>, AwsError> {
        if !self.groups.contains_key(group) {
            return Err(no_group());
        }
        Ok(self
            .users
            .iter()
            .filter(|m| m.groups.contains(group))
            .map(|m| m.user.clone())
            .collect())
    }
}

/// `(name, value)` set on a user: replaced when present, else appended.
pub(super) fn set(attributes: &mut Vec<(String, String)>, name: &str, value: &str) {
    match attributes.iter_mut().find(|(n, _)| n == name) {
        Some((_, v)) => value.clone_into(v),
        None => attributes.push((name.to_owned(), value.to_owned())),
    }
}

impl Cognito {
    pub(super) fn pool(&mut self, account: &str, pool: &str) -> Result<&mut Pool, AwsError> {
        self.pools
            .get_mut(&(account.to_owned(), pool.to_owned()))
            .ok_or_else(|| no_pool(pool))
    }

    /// A pool by id, in whichever account holds it (for the readers of the tests).
    pub(super) fn find(&self, pool: &str) -> Option<&Pool> {
        self.pools
            .iter()
            .find(|((_, id), _)| id == pool)
            .map(|(_, p)| p)
    }

    pub(super) fn new_user(
        &mut self,
        username: &str,
        attributes: &[(String, String)],
        now: Now,
    ) -> Member {
        self.serial += 1;
        let mut all = vec![(
            "sub".to_owned(),
            format!("00000000-0000-4000-8000-{:012}", self.serial),
        )];
        for (n, v) in attributes {
            set(&mut all, n, v);
        }
        Member {
            user: User {
                username: username.to_owned(),
                email: all
                    .iter()
                    .find(|(n, _)| n == "email")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
                status: "FORCE_CHANGE_PASSWORD".to_owned(),
                enabled: true,
                created: Some(now),
                modified: Some(now),
                attributes: all,
            },
            mfa: Vec::new(),
            preferred_mfa: None,
            groups: BTreeSet::new(),
        }
    }

    /// One call of a plan, as Cognito answers it.
    pub(super) fn apply(&mut self, call: &CognitoCall, now: Now) -> Result<(), AwsError> {
        let pool_id = call.pool_id.as_str();
        if let CognitoOp::CreateUser {
            username,
            email,
            attributes,
        } = &call.op
        {
            let mut all = vec![
                ("email".to_owned(), email.clone()),
                ("email_verified".to_owned(), "true".to_owned()),
            ];
            all.extend(attributes.iter().cloned());
            let pool = self.pool(&call.account_id, pool_id)?;
            if pool.users.iter().any(|m| &m.user.username == username) {
                let message = "User account already exists";
                return Err(AwsError::new(
                    ErrorKind::Other,
                    "UsernameExistsException",
                    message,
                ));
            }
            pool.check_schema(&all)?;
            let member = self.new_user(username, &all, now);
            self.pool(&call.account_id, pool_id)?.users.push(member);
            self.invitations
                .push((pool_id.to_owned(), username.clone()));
            return Ok(());
        }
        let pool = self.pool(&call.account_id, pool_id)?;
        match &call.op {
            CognitoOp::CreateUser { .. } => unreachable!("handled above"),
            CognitoOp::CreateGroup {
                group,
                description,
                precedence,
            } => {
                if pool.groups.contains_key(group) {
                    let message = "A group with the name already exists.";
                    return Err(AwsError::new(
                        ErrorKind::Other,
                        "GroupExistsException",
                        message,
                    ));
                }
                let group = Group {
                    name: group.clone(),
                    description: description.clone(),
                    precedence: Some(*precedence),
                };
                pool.groups.insert(group.name.clone(), group);
            }
            CognitoOp::DeleteGroup { group } => {
                pool.groups.remove(group).ok_or_else(no_group)?;
                for m in &mut pool.users {
                    m.groups.remove(group);
                }
            }
            CognitoOp::AddToGroup { username, group }
            | CognitoOp::RemoveFromGroup { username, group } => {
                let known = pool.groups.contains_key(group);
                let member = pool.member(username)?;
                if !known {
                    return Err(no_group());
                }
                if matches!(call.op, CognitoOp::AddToGroup { .. }) {
                    member.groups.insert(group.clone());
                } else {
                    member.groups.remove(group);
                }
            }
            CognitoOp::SetAttributes {
                username,
                attributes,
            } => {
                pool.check_schema(attributes)?;
                let member = pool.member(username)?;
                for (n, v) in attributes {
                    set(&mut member.user.attributes, n, v);
                    if n == "email" {
                        v.clone_into(&mut member.user.email);
                    }
                }
                member.user.modified = Some(now);
            }
            CognitoOp::DeleteAttributes { username, names } => {
                let member = pool.member(username)?;
                member.user.attributes.retain(|(n, _)| !names.contains(n));
                member.user.modified = Some(now);
            }
            CognitoOp::DeleteUser { username } => {
                pool.member(username)?;
                pool.users.retain(|m| &m.user.username != username);
            }
            CognitoOp::DisableUser { username } | CognitoOp::EnableUser { username } => {
                let member = pool.member(username)?;
                member.user.enabled = matches!(call.op, CognitoOp::EnableUser { .. });
                member.user.modified = Some(now);
            }
            CognitoOp::ResetPassword { username } => {
                let member = pool.member(username)?;
                if member.user.status == "FORCE_CHANGE_PASSWORD" {
                    let message = "User password cannot be reset in the current state.";
                    return Err(AwsError::new(
                        ErrorKind::Denied,
                        "NotAuthorizedException",
                        message,
                    ));
                }
                "RESET_REQUIRED".clone_into(&mut member.user.status);
                member.user.modified = Some(now);
            }
            CognitoOp::ResendInvitation { username } => {
                let member = pool.member(username)?;
                if member.user.status != "FORCE_CHANGE_PASSWORD" {
                    return Err(AwsError::new(
                        ErrorKind::Other,
                        "UnsupportedUserStateException",
                        format!(
                            "Resend not possible. {username} status is {}.",
                            member.user.status
                        ),
                    ));
                }
                self.invitations
                    .push((pool_id.to_owned(), username.clone()));
            }
        }
        Ok(())
    }
}

pub(super) type Now = chrono::DateTime<chrono::Utc>;

/// The answers `aws::tenants` takes as "already done by an earlier run".
pub(super) fn already_done(op: &CognitoOp) -> &'static [&'static str] {
    match op {
        CognitoOp::CreateGroup { .. } => &["GroupExistsException"],
        CognitoOp::DeleteGroup { .. } => &["ResourceNotFoundException"],
        CognitoOp::CreateUser { .. } => &["UsernameExistsException"],
        _ => &[],
    }
}
