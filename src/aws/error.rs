//! Mapping SDK errors to [`ServiceError`]: a kind to act on, the AWS code, and a sentence for people.

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::calls;
use crate::domain::region::is_known_region;
use crate::services::{ErrorKind, ServiceError};

/// Map an SDK error; `what` names the call for the message, e.g. "Organizations ListAccounts".
pub fn map_sdk_error<E>(err: SdkError<E, HttpResponse>, what: &str) -> ServiceError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    if let Some(e) = assume_role_failure(&err, what) {
        return e;
    }
    let seen = calls::seen(what);
    let endpoint = seen
        .as_ref()
        .map_or_else(|| "the AWS endpoint".to_owned(), |s| s.endpoint.clone());
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let code = e.code().map(str::to_owned);
            if code.is_none() {
                return not_like_aws(what, &endpoint, service.raw());
            }
            let kind = classify(code.as_deref().unwrap_or(""));
            let detail = e
                .message()
                .map(str::to_owned)
                .unwrap_or_else(|| e.to_string());
            ServiceError::new(kind, code, format!("{what} failed: {detail}"))
        }
        SdkError::ResponseError(response) => not_like_aws(what, &endpoint, response.raw()),
        SdkError::TimeoutError(_) => {
            ServiceError::new(ErrorKind::Network, None, timed_out(what, &endpoint, &err))
        }
        SdkError::DispatchFailure(dispatch) => {
            let chain = message_chain(&err);
            let kind = if chain.contains("credentials") || chain.contains("identity") {
                ErrorKind::Credentials
            } else if dispatch.is_io()
                || dispatch.is_timeout()
                || dispatch.as_other() == Some(aws_smithy_types::retry::ErrorKind::TransientError)
            {
                ErrorKind::Network
            } else {
                ErrorKind::Other
            };
            let message = if dispatch.is_timeout() {
                timed_out(what, &endpoint, &err)
            } else if chain.contains("dns error") {
                unresolved(what, &endpoint, seen.and_then(|s| s.region).as_deref())
            } else if kind == ErrorKind::Network {
                format!("{what}: network error: {}", friendly(&chain))
            } else {
                format!("{what}: {}", friendly(&chain))
            };
            ServiceError::new(kind, None, message)
        }
        _ => {
            let chain = message_chain(&err);
            let kind = if chain.contains("credentials") || chain.contains("identity") {
                ErrorKind::Credentials
            } else {
                ErrorKind::Other
            };
            ServiceError::new(kind, None, format!("{what}: {}", friendly(&chain)))
        }
    }
}

/// An answer that is not AWS's (an HTML page, a proxy's error, an endpoint URL with a path that
/// lands on some other page): one sentence naming the endpoint, the status and the content type.
fn not_like_aws(what: &str, endpoint: &str, raw: &HttpResponse) -> ServiceError {
    let status = raw.status().as_u16();
    let content_type = raw
        .headers()
        .get("content-type")
        .map_or("no content type", |c| {
            c.split(';').next().unwrap_or(c).trim()
        });
    let has_path = endpoint
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/').contains('/'));
    let fix = if has_path {
        "an endpoint URL has no path: check --endpoint-url (or aws.endpoint_url, AWS_ENDPOINT_URL[_<SERVICE>])"
    } else {
        "check --endpoint-url (or aws.endpoint_url, AWS_ENDPOINT_URL[_<SERVICE>])"
    };
    // No AWS error code came back. A 4xx is still a clear answer that the request was refused
    // (an emulator's validation error, a proxy's 403): it did not happen, and a 429 is throttling.
    // Anything else (a 5xx page, a 200 that is not AWS's) says nothing about the call: `Other`,
    // which the executor reads as "may have taken effect" for a change.
    let kind = match status {
        429 => ErrorKind::Throttled,
        400..=499 => ErrorKind::Invalid,
        _ => ErrorKind::Other,
    };
    ServiceError::new(
        kind,
        None,
        format!(
            "{what}: the endpoint {endpoint} did not answer like AWS (HTTP {status}, \
             {content_type}): {fix}"
        ),
    )
}

/// A bound of `[aws]` was reached: which one, how long, and where.
fn timed_out(what: &str, endpoint: &str, err: &(dyn StdError + 'static)) -> String {
    let chain = message_chain(err);
    let after = chain.split("occurred after ").nth(1).map(|rest| {
        rest.split([':', ' ', ')'])
            .next()
            .unwrap_or(rest)
            .to_owned()
    });
    let within = after.map_or_else(String::new, |d| format!(" within {d}"));
    if chain.contains("connect timeout") {
        format!(
            "{what}: could not connect to {endpoint}{within} (aws.connect_timeout_secs); check \
             the endpoint and the network"
        )
    } else if chain.contains("operation timeout (all attempts") {
        format!(
            "{what}: no answer from {endpoint}{within}, retries included \
             (aws.operation_timeout_secs); check the endpoint and the network"
        )
    } else {
        format!(
            "{what}: no answer from {endpoint}{within} on any attempt (aws.read_timeout_secs); \
             check the endpoint and the network"
        )
    }
}

/// The endpoint's host name does not resolve: with a region nobody knows, that is the cause.
fn unresolved(what: &str, endpoint: &str, region: Option<&str>) -> String {
    match region {
        Some(region) if !is_known_region(region) => format!(
            "{what}: the endpoint {endpoint} does not exist: `{region}` is not an AWS region \
             opsdeck knows; check --region (or aws.region, AWS_REGION)"
        ),
        _ => format!(
            "{what}: cannot resolve the endpoint {endpoint}: check the network (DNS) and the \
             endpoint"
        ),
    }
}

/// The error and its sources as one line of their own messages, each said once.
/// (`DisplayErrorContext` appends a debug dump of the whole error: no message for an operator.)
fn message_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = Some(err);
    while let Some(e) = source {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

/// A call that failed because the role of its account could not be assumed: STS's own answer
/// decides the kind (a throttled AssumeRole is throttling, not a denial) and gives the sentence,
/// instead of the SDK's chain of debug dumps.
fn assume_role_failure(err: &(dyn StdError + 'static), what: &str) -> Option<ServiceError> {
    type AssumeRoleSdkError = aws_sdk_sts::error::SdkError<
        aws_sdk_sts::operation::assume_role::AssumeRoleError,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >;
    let mut source = Some(err);
    while let Some(e) = source {
        if let Some(sts) = e.downcast_ref::<AssumeRoleSdkError>() {
            let code = sts.code().map(str::to_owned);
            let kind = match classify(code.as_deref().unwrap_or("")) {
                kind @ (ErrorKind::Throttled | ErrorKind::Denied) => kind,
                _ => ErrorKind::Credentials,
            };
            let detail = match (sts.message(), &code) {
                (Some(message), Some(code)) => format!("{message} ({code})"),
                (Some(message), None) => message.to_owned(),
                (None, _) => message_chain(sts),
            };
            return Some(ServiceError::new(
                kind,
                code,
                format!("{what}: the role could not be assumed: {detail}"),
            ));
        }
        source = e.source();
    }
    None
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
        "KmsThrottlingException",
    ];
    // Failures on AWS's side (HTTP 5xx), as the services spell them.
    const UNAVAILABLE: &[&str] = &[
        "InternalFailure",
        "InternalError",
        "InternalErrorException",
        "InternalServerError",
        "InternalServerException",
        "ServiceFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
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
    } else if UNAVAILABLE.contains(&code) {
        ErrorKind::Unavailable
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

    /// A Route53 call whose credentials failed because STS answered AssumeRole with `code`: the
    /// nesting the SDK builds (dispatch failure → connector error → credentials error → STS error).
    fn assume_role_failed(code: &str, message: &str) -> ServiceError {
        use aws_credential_types::provider::error::CredentialsError;
        use aws_sdk_sts::operation::assume_role::AssumeRoleError;
        use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
        use aws_smithy_runtime_api::client::result::ConnectorError;
        use aws_smithy_types::body::SdkBody;
        use aws_smithy_types::error::ErrorMetadata;

        let sts = SdkError::service_error(
            AssumeRoleError::generic(ErrorMetadata::builder().code(code).message(message).build()),
            HttpResponse::new(400.try_into().unwrap(), SdkBody::empty()),
        );
        let credentials = CredentialsError::provider_error(sts);
        let err: SdkError<
            aws_sdk_route53::operation::list_hosted_zones::ListHostedZonesError,
            HttpResponse,
        > = SdkError::dispatch_failure(ConnectorError::other(Box::new(credentials), None));
        map_sdk_error(err, "Route53 ListHostedZones")
    }

    #[test]
    fn a_throttled_assume_role_is_throttling_not_a_denial() {
        let e = assume_role_failed("Throttling", "Rate exceeded");
        assert_eq!(e.kind, ErrorKind::Throttled);
        assert_eq!(e.code.as_deref(), Some("Throttling"));
        assert_eq!(
            e.message,
            "Route53 ListHostedZones: the role could not be assumed: Rate exceeded (Throttling)"
        );
    }

    #[test]
    fn a_denied_assume_role_is_a_denial_in_one_sentence() {
        let e = assume_role_failed("AccessDenied", "not authorized to perform sts:AssumeRole");
        assert_eq!(e.kind, ErrorKind::Denied);
        assert_eq!(
            e.message,
            "Route53 ListHostedZones: the role could not be assumed: not authorized to perform \
             sts:AssumeRole (AccessDenied)"
        );
        let e = assume_role_failed("ExpiredToken", "expired");
        assert_eq!(e.kind, ErrorKind::Credentials);
    }

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
    fn an_answer_without_an_error_code_is_a_refusal_when_its_status_is_4xx() {
        use aws_sdk_sfn::operation::redrive_execution::RedriveExecutionError;
        use aws_smithy_types::body::SdkBody;
        use aws_smithy_types::error::ErrorMetadata;
        let answer = |status: u16| {
            let err: SdkError<RedriveExecutionError, HttpResponse> = SdkError::service_error(
                RedriveExecutionError::generic(ErrorMetadata::builder().build()),
                HttpResponse::new(status.try_into().unwrap(), SdkBody::empty()),
            );
            map_sdk_error(err, "Step Functions RedriveExecution")
        };
        assert_eq!(answer(400).kind, ErrorKind::Invalid);
        assert_eq!(answer(403).kind, ErrorKind::Invalid);
        assert_eq!(answer(429).kind, ErrorKind::Throttled);
        // A 500 page says nothing about what the call did.
        assert_eq!(answer(500).kind, ErrorKind::Other);
        assert!(answer(400).message.contains("(HTTP 400"), "{}", answer(400));
    }

    #[test]
    fn other_codes_are_classified_by_their_shape() {
        assert_eq!(classify("ExpiredToken"), ErrorKind::Credentials);
        assert_eq!(classify("NoSuchHostedZone"), ErrorKind::NotFound);
        assert_eq!(classify("ResourceNotFoundException"), ErrorKind::NotFound);
        assert_eq!(classify("InvalidParameterException"), ErrorKind::Invalid);
        assert_eq!(classify("InternalFailure"), ErrorKind::Unavailable);
        assert_eq!(classify("ServiceUnavailable"), ErrorKind::Unavailable);
        assert_eq!(classify("InternalServerException"), ErrorKind::Unavailable);
        assert_eq!(classify(""), ErrorKind::Other);
    }

    #[test]
    fn each_bound_is_named_with_its_key() {
        let err = |text: &str| std::io::Error::other(text.to_owned());
        let m = timed_out(
            "STS GetCallerIdentity",
            "http://h:1",
            &err("timeout: client error (Connect): HTTP connect timeout occurred after 5s"),
        );
        assert_eq!(
            m,
            "STS GetCallerIdentity: could not connect to http://h:1 within 5s \
             (aws.connect_timeout_secs); check the endpoint and the network"
        );
        let m = timed_out(
            "X Y",
            "e",
            &err("timeout: HTTP read timeout occurred after 20s"),
        );
        assert!(
            m.contains("within 20s on any attempt (aws.read_timeout_secs)"),
            "{m}"
        );
        let m = timed_out(
            "X Y",
            "e",
            &err("operation timeout (all attempts including retries) occurred after 45s"),
        );
        assert!(
            m.contains("within 45s, retries included (aws.operation_timeout_secs)"),
            "{m}"
        );
    }

    #[test]
    fn a_timed_out_call_is_a_network_error_so_reads_are_retried() {
        use aws_sdk_route53::operation::list_hosted_zones::ListHostedZonesError;
        use aws_smithy_runtime_api::client::result::ConnectorError;
        type E = SdkError<ListHostedZonesError, HttpResponse>;
        let operation: E = SdkError::timeout_error(Box::new(std::io::Error::other(
            "operation timeout (all attempts including retries) occurred after 45s",
        )));
        let read: E = SdkError::dispatch_failure(ConnectorError::timeout(Box::new(
            std::io::Error::other("HTTP read timeout occurred after 20s"),
        )));
        for (err, key) in [
            (operation, "aws.operation_timeout_secs"),
            (read, "aws.read_timeout_secs"),
        ] {
            let e = map_sdk_error(err, "Route53 ListHostedZones");
            assert_eq!(e.kind, ErrorKind::Network, "{e}");
            assert!(e.is_transient());
            assert!(e.message.contains(key), "{e}");
        }
    }

    #[test]
    fn an_endpoint_that_does_not_resolve_blames_an_unknown_region() {
        let m = unresolved(
            "STS GetCallerIdentity",
            "https://sts.mars-north-9.amazonaws.com",
            Some("mars-north-9"),
        );
        assert!(
            m.contains("`mars-north-9` is not an AWS region opsdeck knows; check --region"),
            "{m}"
        );
        let m = unresolved(
            "STS GetCallerIdentity",
            "https://sts.eu-west-1.amazonaws.com",
            Some("eu-west-1"),
        );
        assert!(
            m.contains("cannot resolve the endpoint https://sts.eu-west-1.amazonaws.com"),
            "{m}"
        );
    }

    #[test]
    fn missing_credentials_say_how_to_log_in() {
        assert!(friendly("failed: no credentials in the chain").contains("aws sso login"));
    }
}
