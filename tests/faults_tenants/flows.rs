//! The flows under test (onboard a tenant, join one, import, import with uuid usernames) with the
//! plan each must make, and the faults injected: hard ones that outlast the SDK's attempts,
//! transient ones the retries absorb.

use std::path::Path;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::Client as Cognito;

use crate::pool::{group, pool, user};
use crate::proxy::{Fault, Rule, When};
use crate::{ATTEMPTS, MUTATING};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Flow {
    /// `tenants create acme --admin-email ... --name ...` in a pool with nothing of acme yet,
    /// with `cognito.username = "uuid"`: three role groups, the admin created, then added.
    Onboard,
    /// `users onboard --tenant acme --email ... --role member` into an existing tenant, with
    /// `cognito.username = "uuid"`: the user created, then added.
    Join,
    /// `users import --tenant acme FILE` into an existing tenant (username = email): three new
    /// users, one existing user without a tenant (attribute set, then added), one already admin.
    Import,
    /// The same import with `cognito.username = "uuid"`.
    ImportUuid,
}

const IMPORT_CSV: &str = "email,role,name\n\
    new1@import.example,member,New One\n\
    ann@example.com,admin,\n\
    dan@example.com,readonly,\n\
    new2@import.example,readonly,\n\
    new3@import.example,member,New Three\n";

impl Flow {
    pub(crate) fn uuid_usernames(self) -> bool {
        self != Flow::Import
    }

    /// A pool in `cognito`'s account as the flow starts from.
    pub(crate) async fn setup(self, cognito: &Cognito) -> String {
        let pool = pool(cognito).await;
        // A tenant the flows must leave alone, in both flows.
        group(cognito, &pool, "globex:admin", "Globex", 1).await;
        user(cognito, &pool, "gil", Some("globex"), &["globex:admin"]).await;
        if self != Flow::Onboard {
            for (g, p) in [("acme:admin", 1), ("acme:member", 2), ("acme:readonly", 3)] {
                group(cognito, &pool, g, "Acme", p).await;
            }
            user(
                cognito,
                &pool,
                "ann@example.com",
                Some("acme"),
                &["acme:admin"],
            )
            .await;
            // Exists, in no tenant and without the tenant attribute: the import sets it first.
            user(cognito, &pool, "dan@example.com", None, &[]).await;
        }
        pool
    }

    /// The command's arguments (the import file is written to `dir`).
    pub(crate) fn args(self, dir: &Path) -> Vec<String> {
        let args: Vec<&str> = match self {
            Flow::Onboard => vec![
                "tenants",
                "create",
                "acme",
                "--admin-email",
                "Jane@Acme.example",
                "--name",
                "Acme Corp",
            ],
            Flow::Join => vec![
                "users",
                "onboard",
                "--tenant",
                "acme",
                "--email",
                "Kim@Acme.example",
                "--role",
                "member",
            ],
            Flow::Import | Flow::ImportUuid => {
                let file = dir.join("import.csv");
                std::fs::write(&file, IMPORT_CSV).unwrap();
                return [
                    "users",
                    "import",
                    "--tenant",
                    "acme",
                    "--rate",
                    "25",
                    file.to_str().unwrap(),
                    "--yes",
                ]
                .map(String::from)
                .to_vec();
            }
        };
        args.into_iter()
            .chain(["--yes"])
            .map(String::from)
            .collect()
    }

    /// The plan of a fault-free run, as (operation, target with UUIDs replaced by `<uuid>`).
    pub(crate) fn expected_plan(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Flow::Onboard => vec![
                ("CreateGroup", "acme:admin"),
                ("CreateGroup", "acme:member"),
                ("CreateGroup", "acme:readonly"),
                ("AdminCreateUser", "<uuid>"),
                ("AdminAddUserToGroup", "<uuid>"),
            ],
            Flow::Join => vec![
                ("AdminCreateUser", "<uuid>"),
                ("AdminAddUserToGroup", "<uuid>"),
            ],
            Flow::Import => vec![
                ("AdminCreateUser", "new1@import.example"),
                ("AdminAddUserToGroup", "new1@import.example"),
                ("AdminUpdateUserAttributes", "dan@example.com"),
                ("AdminAddUserToGroup", "dan@example.com"),
                ("AdminCreateUser", "new2@import.example"),
                ("AdminAddUserToGroup", "new2@import.example"),
                ("AdminCreateUser", "new3@import.example"),
                ("AdminAddUserToGroup", "new3@import.example"),
            ],
            // New users get UUIDs; dan keeps the username he has.
            Flow::ImportUuid => Flow::Import
                .expected_plan()
                .into_iter()
                .map(|(op, target)| {
                    let generated = target.ends_with("@import.example");
                    (op, if generated { "<uuid>" } else { target })
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Faults

/// A fault that outlasts the SDK's attempts at one call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Hard {
    AccessDenied,
    Throttle,
    Status500,
    Status503,
    Drop,
    /// Every attempt reaches Cognito, every answer is lost: the first attempt changed the pool.
    DropAnswer,
}

impl Hard {
    pub(crate) fn fault(self) -> Fault {
        match self {
            Hard::AccessDenied => Fault::AccessDenied,
            Hard::Throttle => Fault::Throttle,
            Hard::Status500 => Fault::Status(500),
            Hard::Status503 => Fault::Status(503),
            Hard::Drop => Fault::Drop,
            Hard::DropAnswer => Fault::DropAnswer,
        }
    }

    /// How many attempts the SDK makes: access denied is not retried.
    pub(crate) fn attempts(self) -> usize {
        if self == Hard::AccessDenied {
            1
        } else {
            ATTEMPTS
        }
    }

    /// The AWS error code the audit line must carry (none when no answer came).
    pub(crate) fn code(self) -> Option<&'static str> {
        match self {
            Hard::AccessDenied => Some("AccessDeniedException"),
            Hard::Throttle => Some("TooManyRequestsException"),
            Hard::Status500 => Some("InternalFailure"),
            Hard::Status503 => Some("ServiceUnavailable"),
            Hard::Drop | Hard::DropAnswer => None,
        }
    }

    /// Whether the failed call changed the pool anyway.
    pub(crate) fn took_effect(self) -> bool {
        self == Hard::DropAnswer
    }
}

/// A fault the SDK's retries absorb (or that only slows the call down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Transient {
    Status503,
    Throttle,
    Drop,
    /// The call succeeds in Cognito, its answer is lost, the retry gets "already exists".
    DropAnswer,
    Delay,
}

impl Transient {
    pub(crate) fn fault(self) -> Fault {
        match self {
            Transient::Status503 => Fault::Status(503),
            Transient::Throttle => Fault::Throttle,
            Transient::Drop => Fault::Drop,
            Transient::DropAnswer => Fault::DropAnswer,
            Transient::Delay => Fault::Delay(Duration::from_secs(1)),
        }
    }

    pub(crate) fn retried(self) -> bool {
        self != Transient::Delay
    }
}

/// The only rule of a faulty run: the mutating calls of `account`, counted from the first.
pub(crate) fn rule(account: &str, fault: Fault, when: When) -> Rule {
    MUTATING
        .iter()
        .fold(Rule::on("cognito-idp", fault), |r, op| r.operation(op))
        .account(account)
        .when(when)
}
