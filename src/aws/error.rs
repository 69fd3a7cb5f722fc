//! Mapping SDK errors to [`ServiceError`]: a kind to act on, the AWS code, and a sentence for people.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::services::{ErrorKind, ServiceError};

/// Map an SDK error; `what` names the call for the message, e.g. "Organizations ListAccounts".
pub fn map_sdk_error<E, R>(err: SdkError<E, R>, what: &str) -> ServiceError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let code = e.code().map(str::to_owned);
            let kind = classify(code.as_deref().unwrap_or(""));
            let detail = e
                .message()
                .map(str::to_owned)
                .unwrap_or_else(|| e.to_string());
            ServiceError::new(kind, code, format!("{what} failed: {detail}"))
        }
        SdkError::TimeoutError(_) => ServiceError::new(
            ErrorKind::Network,
            None,
            format!("{what} timed out: {}", DisplayErrorContext(&err)),
        ),
        SdkError::DispatchFailure(dispatch) => {
            let chain = DisplayErrorContext(&err).to_string();
            let kind = if chain.contains("credentials") || chain.contains("identity") {
                ErrorKind::Credentials
            } else if dispatch.is_io() || dispatch.is_timeout() {
                ErrorKind::Network
            } else {
                ErrorKind::Other
            };
            ServiceError::new(kind, None, format!("{what}: {}", friendly(&chain)))
        }
        _ => {
            let chain = DisplayErrorContext(&err).to_string();
            let kind = if chain.contains("credentials") || chain.contains("identity") {
                ErrorKind::Credentials
            } else {
                ErrorKind::Other
            };
            ServiceError::new(kind, None, format!("{what}: {}", friendly(&chain)))
        }
    }
}

/// Decide the kind from the AWS error code. Services spell the same idea several ways.
fn classify(code: &str) -> ErrorKind {
    const THROTTLED: &[&str] = &[
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "PriorRequestNotComplete",
        "RequestThrottled",
        "SlowDown",
    ];
    const CREDENTIALS: &[&str] = &[
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "InvalidSignatureException",
    ];
    if THROTTLED.contains(&code) {
        ErrorKind::Throttled
    } else if CREDENTIALS.contains(&code) {
        ErrorKind::Credentials
    } else if code.contains("AccessDenied")
        || code.contains("NotAuthorized")
        || code.contains("Unauthorized")
        || code == "AWSOrganizationsNotInUseException"
    {
        ErrorKind::Denied
    } else if code.contains("NotFound") || code.starts_with("NoSuch") {
        ErrorKind::NotFound
    } else if code.contains("Validation") || code.starts_with("Invalid") {
        ErrorKind::Invalid
    } else {
        ErrorKind::Other
    }
}

/// The SDK's error chains repeat themselves ("dispatch failure: io error: ..."); keep them, but say
/// what the usual causes mean for an operator.
fn friendly(chain: &str) -> String {
    if chain.contains("no credentials") || chain.contains("NoCredentials") {
        format!(
            "no AWS credentials found: log in (aws sso login), set AWS_PROFILE or pass --profile ({chain})"
        )
    } else if chain.contains("region") && chain.contains("missing") {
        format!("no AWS region: pass --region or set AWS_REGION ({chain})")
    } else if chain.contains("Connection refused") || chain.contains("connection refused") {
        format!("could not connect to the AWS endpoint ({chain})")
    } else {
        chain.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_codes_of_every_service_are_throttled() {
        for code in [
            "Throttling",
            "ThrottlingException",
            "TooManyRequestsException",
            "PriorRequestNotComplete",
        ] {
            assert_eq!(classify(code), ErrorKind::Throttled, "{code}");
        }
    }

    #[test]
    fn denial_codes_are_denied() {
        for code in [
            "AccessDenied",
            "AccessDeniedException",
            "NotAuthorizedException",
            "AWSOrganizationsNotInUseException",
        ] {
            assert_eq!(classify(code), ErrorKind::Denied, "{code}");
        }
    }

    #[test]
    fn other_codes_are_classified_by_their_shape() {
        assert_eq!(classify("ExpiredToken"), ErrorKind::Credentials);
        assert_eq!(classify("NoSuchHostedZone"), ErrorKind::NotFound);
        assert_eq!(classify("ResourceNotFoundException"), ErrorKind::NotFound);
        assert_eq!(classify("InvalidParameterException"), ErrorKind::Invalid);
        assert_eq!(classify(""), ErrorKind::Other);
    }

    #[test]
    fn missing_credentials_say_how_to_log_in() {
        assert!(friendly("failed: no credentials in the chain").contains("aws sso login"));
    }
}
