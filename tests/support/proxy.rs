//! A fault-injecting HTTP proxy between opsdeck and the emulator, for what moto cannot do: deny,
//! throttle, fail, drop or delay chosen AWS calls. Every request not selected by a rule goes
//! through unchanged, and every request is recorded, so tests can count what the SDK sent.
//!
//! A [`Rule`] selects requests by service (the SigV4 signing name: `sts`, `route53`,
//! `cognito-idp`, `states`, `organizations`), operation (the `X-Amz-Target` of the JSON
//! protocols, the `Action` of the query protocol, the REST path of Route53), account (the
//! account of the access key that signed the request) and role ARN (of an `sts:AssumeRole`), and
//! answers with a [`Fault`] while its [`When`] says so. The first matching active rule wins.
//!
//! [`Proxy::require_mfa`] plays IAM's MFA condition, which moto does not check: AssumeRole of one
//! role is denied unless it carries the right MFA code or is signed by a key that a GetSessionToken
//! with that code handed out; GetSessionToken with a wrong code is denied too.
//!
//! The proxy learns which account an access key belongs to from the AssumeRole answers it
//! forwards (the role ARN asked for, the AccessKeyId handed out), since moto derives the account
//! from the key; keys obtained elsewhere are taught with [`Proxy::learn`].

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

/// How a selected request is answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// The service's access-denied error (`AccessDenied` for STS and Route53,
    /// `AccessDeniedException` for the JSON services). Not retried by the SDK.
    AccessDenied,
    /// The service's own throttling error: `Throttling` (STS, Route53), `TooManyRequestsException`
    /// (Cognito, Organizations), `ThrottlingException` (Step Functions). Retried with backoff.
    Throttle,
    /// An HTTP status (500 or 503) with the service's `InternalFailure` / `ServiceUnavailable`.
    Status(u16),
    /// The connection is closed before the request reaches the emulator: nothing happened.
    Drop,
    /// The request reaches the emulator, then the connection is closed before the answer: the
    /// change happened but the caller cannot know.
    DropAnswer,
    /// The request goes through after this long.
    Delay(Duration),
    /// An error of the service's shape with this status, code and message (e.g. a message full of
    /// terminal escapes, to check that error text is shown harmlessly).
    Error {
        status: u16,
        code: String,
        message: String,
    },
}

/// When a rule fires among the requests it selects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    Always,
    /// The first `n` selected requests.
    First(usize),
    /// Only the `n`-th selected request (1-based).
    Nth(usize),
    /// `count` selected requests in a row from the `from`-th (1-based): a fault that outlasts
    /// the SDK's retries of one call.
    Span {
        from: usize,
        count: usize,
    },
    /// Every selected request within this long of the first one.
    For(Duration),
}

/// One fault and the requests it applies to. Unset selectors match everything.
#[derive(Debug, Clone)]
pub struct Rule {
    service: Option<String>,
    /// Any of these (all when empty).
    operations: Vec<String>,
    account: Option<String>,
    role_arn: Option<String>,
    fault: Fault,
    when: When,
}

impl Rule {
    /// A rule for calls to one service (its signing name), always firing.
    pub fn on(service: &str, fault: Fault) -> Rule {
        Rule {
            service: Some(service.to_owned()),
            ..Rule::any(fault)
        }
    }

    /// A rule for every call, always firing.
    pub fn any(fault: Fault) -> Rule {
        Rule {
            service: None,
            operations: Vec::new(),
            account: None,
            role_arn: None,
            fault,
            when: When::Always,
        }
    }

    /// `sts:AssumeRole` calls for this role ARN.
    pub fn assume_role(role_arn: &str, fault: Fault) -> Rule {
        Rule {
            operations: vec!["AssumeRole".into()],
            role_arn: Some(role_arn.to_owned()),
            ..Rule::on("sts", fault)
        }
    }

    /// Calls of this operation (or of any of those given by several `operation` calls).
    pub fn operation(mut self, operation: &str) -> Rule {
        self.operations.push(operation.to_owned());
        self
    }

    /// Calls signed with a key of this account (or, for AssumeRole, into this account).
    pub fn account(mut self, account: &str) -> Rule {
        self.account = Some(account.to_owned());
        self
    }

    pub fn when(mut self, when: When) -> Rule {
        self.when = when;
        self
    }

    fn selects(&self, call: &Call) -> bool {
        fn matches(want: &Option<String>, got: Option<&str>) -> bool {
            want.as_deref().is_none_or(|w| Some(w) == got)
        }
        matches(&self.service, Some(&call.service))
            && (self.operations.is_empty() || self.operations.contains(&call.operation))
            && matches(&self.account, call.account.as_deref())
            && matches(&self.role_arn, call.role_arn.as_deref())
    }
}

/// One request the proxy saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The SigV4 signing name, e.g. `cognito-idp`.
    pub service: String,
    /// e.g. `AdminCreateUser`, `AssumeRole`, `ListResourceRecordSets`.
    pub operation: String,
    /// The account the signing key belongs to, or the one an AssumeRole goes into.
    pub account: Option<String>,
    pub role_arn: Option<String>,
    /// The fault injected, if any.
    pub fault: Option<Fault>,
    /// Since the proxy started.
    pub at: Duration,
}

#[derive(Debug)]
struct Active {
    rule: Rule,
    selected: usize,
    first: Option<Instant>,
}

impl Active {
    fn new(rule: Rule) -> Active {
        Active {
            rule,
            selected: 0,
            first: None,
        }
    }

    /// Counts the request as selected and says whether the rule fires on it.
    fn fires(&mut self) -> bool {
        self.selected += 1;
        let first = *self.first.get_or_insert_with(Instant::now);
        match self.rule.when {
            When::Always => true,
            When::First(n) => self.selected <= n,
            When::Nth(n) => self.selected == n,
            When::Span { from, count } => (from..from + count).contains(&self.selected),
            When::For(d) => first.elapsed() < d,
        }
    }
}

#[derive(Debug)]
struct Shared {
    started: Instant,
    rules: Vec<Active>,
    /// Access key id → account id.
    keys: HashMap<String, String>,
    calls: Vec<Call>,
    mfa: Option<MfaGuard>,
}

/// The MFA condition of one role (see [`Proxy::require_mfa`]).
#[derive(Debug)]
struct MfaGuard {
    role_arn: String,
    code: String,
    /// Keys handed out by a GetSessionToken made with the right code.
    session_keys: HashSet<String>,
}

/// The error AWS answers for a wrong or missing MFA code.
fn mfa_denied() -> Fault {
    Fault::Error {
        status: 403,
        code: "AccessDenied".into(),
        message: "MultiFactorAuthentication failed with invalid MFA one time pass code. \
                  (injected by the test proxy)"
            .into(),
    }
}

/// A running proxy; stops when dropped.
pub struct Proxy {
    pub endpoint: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Start a proxy on a free loopback port in front of `upstream` (`http://ip:port`).
    pub async fn start(upstream: &str, rules: Vec<Rule>) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().unwrap();
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("upstream must be http://ip:port");
        let shared = Arc::new(Mutex::new(Shared {
            started: Instant::now(),
            rules: rules.into_iter().map(Active::new).collect(),
            keys: HashMap::new(),
            calls: Vec::new(),
            mfa: None,
        }));
        let state = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let shared = state.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let shared = shared.clone();
                        async move { handle(req, upstream, &shared).await }
                    });
                    // A service error makes hyper close the connection without an answer: that is
                    // how `Drop` and `DropAnswer` are delivered.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy {
            endpoint: format!("http://{addr}"),
            shared,
            task,
        }
    }

    /// Replace the rules (their counters start again).
    pub fn set_rules(&self, rules: Vec<Rule>) {
        self.shared.lock().unwrap().rules = rules.into_iter().map(Active::new).collect();
    }

    /// Deny `sts:AssumeRole` of `role_arn` unless the request carries `TokenCode=code` or is
    /// signed by a key from a GetSessionToken made with `code`; deny GetSessionToken with any
    /// other code. The MFA condition of a role's trust policy, which moto does not check.
    pub fn require_mfa(&self, role_arn: &str, code: &str) {
        self.shared.lock().unwrap().mfa = Some(MfaGuard {
            role_arn: role_arn.to_owned(),
            code: code.to_owned(),
            session_keys: HashSet::new(),
        });
    }

    /// Tell the proxy which account a key obtained without it belongs to.
    pub fn learn(&self, access_key_id: &str, account: &str) {
        self.shared
            .lock()
            .unwrap()
            .keys
            .insert(access_key_id.to_owned(), account.to_owned());
    }

    /// Every request seen so far, in arrival order.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.lock().unwrap().calls.clone()
    }

    /// Requests seen for one operation of one service.
    pub fn count(&self, service: &str, operation: &str) -> usize {
        self.calls()
            .iter()
            .filter(|c| c.service == service && c.operation == operation)
            .count()
    }

    /// Requests answered with a fault so far.
    pub fn faults(&self) -> usize {
        self.calls().iter().filter(|c| c.fault.is_some()).count()
    }

    /// Forget the requests seen (the rules keep their counters).
    pub fn clear_calls(&self) {
        self.shared.lock().unwrap().calls.clear();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `Credential=AKID/date/region/service/aws4_request` of a SigV4 Authorization header.
fn credential_scope(req: &Request<Incoming>) -> Option<(String, String)> {
    let auth = req.headers().get("authorization")?.to_str().ok()?;
    let start = auth.find("Credential=")? + "Credential=".len();
    let mut parts = auth[start..].split(['/', ',']);
    let key = parts.next()?.to_owned();
    let service = parts.nth(2)?.to_owned();
    Some((key, service))
}

/// The value of `key` in a form-encoded body.
fn form_value(body: &[u8], key: &str) -> Option<String> {
    form_urlencoded::parse(body).find_map(|(k, v)| (k == key).then(|| v.into_owned()))
}

/// The 12-digit account of `arn:aws:iam::<account>:role/...`.
fn account_of_role(arn: &str) -> Option<String> {
    arn.split(':').nth(4).map(str::to_owned)
}

fn between(text: &str, open: &str, close: &str) -> Option<String> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(text[start..end].to_owned())
}

/// The Route53 operation of a REST request (the ones opsdeck and the tests make).
fn route53_operation(method: &str, path: &str) -> String {
    let segments: Vec<&str> = path
        .trim_start_matches("/2013-04-01/")
        .trim_end_matches('/')
        .split('/')
        .collect();
    let name = match (method, segments.as_slice()) {
        ("GET", ["hostedzone"]) => "ListHostedZones",
        ("POST", ["hostedzone"]) => "CreateHostedZone",
        ("GET", ["hostedzone", _]) => "GetHostedZone",
        ("DELETE", ["hostedzone", _]) => "DeleteHostedZone",
        ("GET", ["hostedzone", _, "rrset"]) => "ListResourceRecordSets",
        ("POST", ["hostedzone", _, "rrset"]) => "ChangeResourceRecordSets",
        ("GET", ["hostedzonesbyname"]) => "ListHostedZonesByName",
        ("GET", ["hostedzonecount"]) => "GetHostedZoneCount",
        ("GET", ["change", _]) => "GetChange",
        _ => return format!("{method} {path}"),
    };
    name.to_owned()
}

/// The protocol family of a service, which decides its error shape.
fn is_json_protocol(service: &str) -> bool {
    matches!(service, "cognito-idp" | "states" | "organizations")
}

/// The error a service answers with for `fault` (None for faults that are not an answer).
fn error_answer(service: &str, fault: &Fault) -> Option<Response<Full<Bytes>>> {
    let (status, json_code, xml_code, message) = match fault {
        Fault::Error {
            status,
            code,
            message,
        } => (*status, code.as_str(), code.as_str(), message.as_str()),
        Fault::AccessDenied => (
            403,
            "AccessDeniedException",
            "AccessDenied",
            "User is not authorized to perform this action (injected by the test proxy)",
        ),
        Fault::Throttle => (
            400,
            match service {
                "states" => "ThrottlingException",
                _ => "TooManyRequestsException",
            },
            "Throttling",
            "Rate exceeded",
        ),
        Fault::Status(503) => (
            503,
            "ServiceUnavailable",
            "ServiceUnavailable",
            "Service unavailable",
        ),
        Fault::Status(code) => (
            *code,
            "InternalFailure",
            "InternalFailure",
            "Internal error",
        ),
        Fault::Drop | Fault::DropAnswer | Fault::Delay(_) => return None,
    };
    let (content_type, body) = if is_json_protocol(service) {
        let content_type = if service == "states" {
            "application/x-amz-json-1.0"
        } else {
            "application/x-amz-json-1.1"
        };
        let status = if *fault == Fault::AccessDenied {
            400
        } else {
            status
        };
        return Some(
            Response::builder()
                .status(status)
                .header("content-type", content_type)
                .header("x-amzn-requestid", "proxy")
                .header("x-amzn-errortype", json_code)
                .body(Full::new(Bytes::from(
                    serde_json::json!({ "__type": json_code, "message": message }).to_string(),
                )))
                .unwrap(),
        );
    } else {
        let namespace = match service {
            "route53" => "https://route53.amazonaws.com/doc/2013-04-01/",
            _ => "https://sts.amazonaws.com/doc/2011-06-15/",
        };
        let kind = if status >= 500 { "Receiver" } else { "Sender" };
        let message = message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        (
            "text/xml",
            format!(
                "<ErrorResponse xmlns=\"{namespace}\"><Error><Type>{kind}</Type>\
                 <Code>{xml_code}</Code><Message>{message}</Message></Error>\
                 <RequestId>proxy</RequestId></ErrorResponse>"
            ),
        )
    };
    Some(
        Response::builder()
            .status(status)
            .header("content-type", content_type)
            .body(Full::new(Bytes::from(body)))
            .unwrap(),
    )
}

/// Why the proxy closed a connection without an answer.
#[derive(Debug)]
struct Closed(&'static str);

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Closed {}

type Answer = Result<Response<Full<Bytes>>, Closed>;

async fn handle(req: Request<Incoming>, upstream: SocketAddr, shared: &Mutex<Shared>) -> Answer {
    let (key, service) = credential_scope(&req).unzip();
    let service = service.unwrap_or_else(|| "unsigned".into());
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|t| t.to_str().ok())
        .and_then(|t| t.rsplit('.').next())
        .map(str::to_owned);
    let (method, path) = (req.method().to_string(), req.uri().path().to_owned());
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|_| Closed("the request body did not arrive"))?
        .to_bytes();
    let action = form_value(&body, "Action");
    let operation = match (&target, &action) {
        (Some(target), _) => target.clone(),
        (None, Some(action)) => action.clone(),
        _ if service == "route53" => route53_operation(&method, &path),
        _ => format!("{method} {path}"),
    };
    let role_arn = (operation == "AssumeRole")
        .then(|| form_value(&body, "RoleArn"))
        .flatten();
    let assume_into = role_arn.as_deref().and_then(account_of_role);
    let token_code = form_value(&body, "TokenCode");
    let mut mfa_session = false;

    let fault = {
        let mut shared = shared.lock().unwrap();
        let account = assume_into
            .clone()
            .or_else(|| key.as_ref().and_then(|k| shared.keys.get(k)).cloned());
        let mut call = Call {
            service: service.clone(),
            operation,
            account,
            role_arn,
            fault: None,
            at: shared.started.elapsed(),
        };
        if let Some(guard) = &shared.mfa {
            let right_code = token_code.as_deref() == Some(guard.code.as_str());
            if call.operation == "GetSessionToken" && token_code.is_some() {
                if right_code {
                    mfa_session = true;
                } else {
                    call.fault = Some(mfa_denied());
                }
            }
            let signed_by_session = key.as_ref().is_some_and(|k| guard.session_keys.contains(k));
            if call.operation == "AssumeRole"
                && call.role_arn.as_deref() == Some(guard.role_arn.as_str())
                && !right_code
                && !signed_by_session
            {
                call.fault = Some(mfa_denied());
            }
        }
        if call.fault.is_none() {
            for active in shared.rules.iter_mut() {
                if active.rule.selects(&call) && active.fires() {
                    call.fault = Some(active.rule.fault.clone());
                    break;
                }
            }
        }
        let fault = call.fault.clone();
        shared.calls.push(call);
        fault
    };

    match &fault {
        Some(Fault::Drop) => return Err(Closed("dropped by the test proxy")),
        Some(Fault::Delay(d)) => tokio::time::sleep(*d).await,
        Some(
            fault
            @ (Fault::AccessDenied | Fault::Throttle | Fault::Status(_) | Fault::Error { .. }),
        ) => {
            return Ok(error_answer(&service, fault).expect("an error fault has an answer"));
        }
        Some(Fault::DropAnswer) | None => {}
    }

    let answer = match forward(parts, body, upstream).await {
        Ok(answer) => answer,
        Err(e) => {
            return Ok(Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .body(Full::new(Bytes::from(format!("proxy: upstream: {e}"))))
                .unwrap());
        }
    };
    if fault == Some(Fault::DropAnswer) {
        return Err(Closed("answer dropped by the test proxy"));
    }
    if mfa_session {
        let text = String::from_utf8_lossy(answer.body()).into_owned();
        let key = between(&text, "<AccessKeyId>", "</AccessKeyId>");
        if let (Some(key), Some(guard)) = (key, shared.lock().unwrap().mfa.as_mut()) {
            guard.session_keys.insert(key);
        }
    }
    if let Some(account) = assume_into {
        let text = String::from_utf8_lossy(answer.body()).into_owned();
        if let Some(key) = between(&text, "<AccessKeyId>", "</AccessKeyId>") {
            shared.lock().unwrap().keys.insert(key, account);
        }
    }
    let (parts, body) = answer.into_parts();
    Ok(Response::from_parts(parts, Full::new(body)))
}

/// One request to the emulator over a fresh connection.
async fn forward(
    parts: hyper::http::request::Parts,
    body: Bytes,
    upstream: SocketAddr,
) -> Result<Response<Bytes>, Box<dyn std::error::Error + Send + Sync>> {
    let stream = TcpStream::connect(upstream).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let req = Request::from_parts(parts, Full::new(body));
    let res = sender.send_request(req).await?;
    let (parts, body) = res.into_parts();
    Ok(Response::from_parts(
        parts,
        body.collect().await?.to_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_decoded() {
        let body =
            b"Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2FOrg&X=a+b";
        assert_eq!(form_value(body, "Action").as_deref(), Some("AssumeRole"));
        let arn = form_value(body, "RoleArn").unwrap();
        assert_eq!(account_of_role(&arn).as_deref(), Some("210987654321"));
        assert_eq!(form_value(body, "X").as_deref(), Some("a b"));
    }

    #[test]
    fn route53_operations_are_named_from_method_and_path() {
        assert_eq!(
            route53_operation("GET", "/2013-04-01/hostedzone/Z1/rrset"),
            "ListResourceRecordSets"
        );
        assert_eq!(
            route53_operation("POST", "/2013-04-01/hostedzone/Z1/rrset/"),
            "ChangeResourceRecordSets"
        );
        assert_eq!(
            route53_operation("GET", "/2013-04-01/hostedzone"),
            "ListHostedZones"
        );
    }

    #[test]
    fn rules_fire_as_their_when_says() {
        let mut nth = Active::new(Rule::any(Fault::Drop).when(When::Nth(2)));
        assert_eq!(
            [nth.fires(), nth.fires(), nth.fires()],
            [false, true, false]
        );
        let mut first = Active::new(Rule::any(Fault::Drop).when(When::First(2)));
        assert_eq!(
            [first.fires(), first.fires(), first.fires()],
            [true, true, false]
        );
    }

    #[test]
    fn each_service_gets_its_own_throttling_shape() {
        let code = |service: &str| {
            error_answer(service, &Fault::Throttle)
                .unwrap()
                .headers()
                .get("x-amzn-errortype")
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            code("cognito-idp").as_deref(),
            Some("TooManyRequestsException")
        );
        assert_eq!(code("states").as_deref(), Some("ThrottlingException"));
        assert_eq!(code("route53"), None);
    }
}
