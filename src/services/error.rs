//! The one error type every service returns: a kind to act on, the AWS code, and a message for people.

use std::fmt;

/// What kind of failure it was, so callers can decide (retry later, report denied, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Credentials are missing, expired or invalid.
    Credentials,
    /// The caller is not allowed (AccessDenied, not in an organisation, role not assumable).
    Denied,
    /// AWS throttled the call and the SDK's retries gave up.
    Throttled,
    /// The thing asked for does not exist.
    NotFound,
    /// AWS rejected the input.
    Invalid,
    /// The endpoint could not be reached or timed out.
    Network,
    /// AWS failed on its side (HTTP 5xx: `InternalFailure`, `ServiceUnavailable`...) and the
    /// SDK's retries gave up.
    Unavailable,
    /// Anything else.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub kind: ErrorKind,
    /// The AWS error code, e.g. `AccessDeniedException`, when AWS sent one.
    pub code: Option<String>,
    /// A sentence for people (already sanitised is not assumed: render through the sanitiser).
    pub message: String,
}

impl ServiceError {
    pub fn new(kind: ErrorKind, code: Option<String>, message: impl Into<String>) -> Self {
        ServiceError {
            kind,
            code,
            message: message.into(),
        }
    }
}

impl ServiceError {
    /// Whether asking again later can succeed where the SDK's own retries gave up: throttling,
    /// an unreachable endpoint or a lost connection, a failure on AWS's side. Everything else
    /// (denied, not found, invalid input, bad credentials) will not go away by waiting.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Throttled | ErrorKind::Network | ErrorKind::Unavailable
        )
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            // A message that quotes an earlier error of the same call already ends with the code.
            Some(code)
                if !code.is_empty() && !self.message.trim_end().ends_with(&format!("({code})")) =>
            {
                write!(f, "{} ({code})", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ServiceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_lost_connections_and_server_failures_are_transient() {
        use ErrorKind::*;
        for kind in [Throttled, Network, Unavailable] {
            assert!(
                ServiceError::new(kind, None, "x").is_transient(),
                "{kind:?}"
            );
        }
        for kind in [Credentials, Denied, NotFound, Invalid, Other] {
            assert!(
                !ServiceError::new(kind, None, "x").is_transient(),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn the_code_is_said_once_even_when_the_message_quotes_it() {
        let inner = ServiceError::new(ErrorKind::Denied, Some("AccessDenied".into()), "no");
        let outer = ServiceError::new(
            ErrorKind::Denied,
            Some("AccessDenied".into()),
            format!("cannot assume the role: {inner}"),
        );
        assert_eq!(
            outer.to_string(),
            "cannot assume the role: no (AccessDenied)"
        );
    }

    #[test]
    fn display_appends_the_aws_code() {
        let e = ServiceError::new(
            ErrorKind::Denied,
            Some("AccessDenied".into()),
            "not allowed to assume the role",
        );
        assert_eq!(
            e.to_string(),
            "not allowed to assume the role (AccessDenied)"
        );
    }
}
