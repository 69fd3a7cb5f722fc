//! The access column of the Accounts pane in words.

use crate::domain::account::AccessVia;

use super::accounts::AccessCheck;

/// The access column in words, shared by the table and the export.
pub fn access_text(check: Option<&AccessCheck>) -> String {
    match check {
        None => String::new(),
        Some(AccessCheck::Checking) => "checking".into(),
        Some(AccessCheck::Ok(access)) => match access.via {
            AccessVia::CurrentCredentials => "ok (current credentials)".into(),
            AccessVia::AssumedRole => "ok".into(),
        },
        Some(AccessCheck::Failed(e)) => e.to_string(),
    }
}
