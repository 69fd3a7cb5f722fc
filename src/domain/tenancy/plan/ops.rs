//! The Cognito calls a plan is made of: what each one is, acts on, and does, in words.

/// One Cognito call: what the executor runs for one plan step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CognitoOp {
    CreateGroup {
        group: String,
        description: String,
        precedence: i32,
    },
    DeleteGroup {
        group: String,
    },
    /// AdminCreateUser with the email verified and the invitation sent by Cognito.
    CreateUser {
        username: String,
        email: String,
        /// Extra attributes, e.g. the tenant attribute.
        attributes: Vec<(String, String)>,
    },
    AddToGroup {
        username: String,
        group: String,
    },
    RemoveFromGroup {
        username: String,
        group: String,
    },
    SetAttributes {
        username: String,
        attributes: Vec<(String, String)>,
    },
    DeleteAttributes {
        username: String,
        names: Vec<String>,
    },
    DeleteUser {
        username: String,
    },
    DisableUser {
        username: String,
    },
    EnableUser {
        username: String,
    },
    ResetPassword {
        username: String,
    },
    /// AdminCreateUser with MessageAction=RESEND (real Cognito resends the invitation).
    ResendInvitation {
        username: String,
    },
}

impl CognitoOp {
    pub fn operation(&self) -> &'static str {
        match self {
            CognitoOp::CreateGroup { .. } => "CreateGroup",
            CognitoOp::DeleteGroup { .. } => "DeleteGroup",
            CognitoOp::CreateUser { .. } | CognitoOp::ResendInvitation { .. } => "AdminCreateUser",
            CognitoOp::AddToGroup { .. } => "AdminAddUserToGroup",
            CognitoOp::RemoveFromGroup { .. } => "AdminRemoveUserFromGroup",
            CognitoOp::SetAttributes { .. } => "AdminUpdateUserAttributes",
            CognitoOp::DeleteAttributes { .. } => "AdminDeleteUserAttributes",
            CognitoOp::DeleteUser { .. } => "AdminDeleteUser",
            CognitoOp::DisableUser { .. } => "AdminDisableUser",
            CognitoOp::EnableUser { .. } => "AdminEnableUser",
            CognitoOp::ResetPassword { .. } => "AdminResetUserPassword",
        }
    }

    /// What the call acts on (a group or a username).
    pub fn target(&self) -> &str {
        match self {
            CognitoOp::CreateGroup { group, .. } | CognitoOp::DeleteGroup { group } => group,
            CognitoOp::CreateUser { username, .. }
            | CognitoOp::AddToGroup { username, .. }
            | CognitoOp::RemoveFromGroup { username, .. }
            | CognitoOp::SetAttributes { username, .. }
            | CognitoOp::DeleteAttributes { username, .. }
            | CognitoOp::DeleteUser { username }
            | CognitoOp::DisableUser { username }
            | CognitoOp::EnableUser { username }
            | CognitoOp::ResetPassword { username }
            | CognitoOp::ResendInvitation { username } => username,
        }
    }

    /// The effect in words (no secrets: there are none in these calls).
    pub fn summary(&self) -> String {
        match self {
            CognitoOp::CreateGroup {
                group, precedence, ..
            } => format!("create group {group} (precedence {precedence})"),
            CognitoOp::DeleteGroup { group } => format!("delete group {group}"),
            CognitoOp::CreateUser {
                email, attributes, ..
            } => {
                let extra: Vec<String> =
                    attributes.iter().map(|(n, v)| format!("{n}={v}")).collect();
                if extra.is_empty() {
                    format!("create user {email}, email verified, send the invitation")
                } else {
                    format!(
                        "create user {email}, email verified, {}, send the invitation",
                        extra.join(", ")
                    )
                }
            }
            CognitoOp::AddToGroup { group, .. } => format!("add to group {group}"),
            CognitoOp::RemoveFromGroup { group, .. } => format!("remove from group {group}"),
            CognitoOp::SetAttributes { attributes, .. } => {
                let set: Vec<String> = attributes.iter().map(|(n, v)| format!("{n}={v}")).collect();
                format!("set {}", set.join(", "))
            }
            CognitoOp::DeleteAttributes { names, .. } => format!("clear {}", names.join(", ")),
            CognitoOp::DeleteUser { .. } => "delete the user".into(),
            CognitoOp::DisableUser { .. } => "disable the user (cannot sign in)".into(),
            CognitoOp::EnableUser { .. } => "enable the user".into(),
            CognitoOp::ResetPassword { .. } => {
                "reset the password (the user must set a new one with a code)".into()
            }
            CognitoOp::ResendInvitation { .. } => "resend the invitation".into(),
        }
    }
}

/// One step's action: a Cognito call in one account's pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoCall {
    pub account_id: String,
    pub pool_id: String,
    pub op: CognitoOp,
}
