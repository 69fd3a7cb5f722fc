//! A fault-injecting HTTP proxy in front of the emulator, for what moto cannot do: refuse an
//! `sts:AssumeRole` into one account (AccessDenied) and throttle one account's Route53 calls
//! for a while. Every other request goes through unchanged.
//!
//! The proxy learns which account an access key belongs to from the AssumeRole answers it
//! forwards (the role ARN asked for, the AccessKeyId handed out), since moto derives the
//! account from the key.

use std::collections::HashMap;
use std::convert::Infallible;
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

/// What the proxy breaks.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// AssumeRole into a role of this account is answered with AccessDenied.
    pub deny_assume_role_into: Option<String>,
    /// Route53 calls signed with keys of this account are throttled for `throttle_for` after
    /// the first one.
    pub throttle_route53_of: Option<String>,
    pub throttle_for: Duration,
}

#[derive(Debug, Default)]
struct Seen {
    /// Access key id → account id, from forwarded AssumeRole answers.
    keys: HashMap<String, String>,
    throttling_since: Option<Instant>,
    throttled: usize,
    denied: usize,
}

/// A running proxy; stops when dropped.
pub struct Proxy {
    pub endpoint: String,
    seen: Arc<Mutex<Seen>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Start a proxy on a free loopback port in front of `upstream` (`http://host:port`).
    pub async fn start(upstream: &str, faults: Faults) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().unwrap();
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .expect("upstream must be http://ip:port");
        let seen = Arc::new(Mutex::new(Seen::default()));
        let faults = Arc::new(faults);
        let state = seen.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (faults, seen) = (faults.clone(), state.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |req| {
                        let (faults, seen) = (faults.clone(), seen.clone());
                        async move { Ok::<_, Infallible>(handle(req, upstream, &faults, &seen).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Proxy {
            endpoint: format!("http://{addr}"),
            seen,
            task,
        }
    }

    /// Route53 calls answered with Throttling so far.
    pub fn throttled(&self) -> usize {
        self.seen.lock().unwrap().throttled
    }

    /// AssumeRole calls answered with AccessDenied so far.
    pub fn denied(&self) -> usize {
        self.seen.lock().unwrap().denied
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn reply(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "text/xml")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

/// `Credential=AKID/date/region/service/aws4_request` of a SigV4 Authorization header.
fn access_key(req: &Request<Incoming>) -> Option<String> {
    let auth = req.headers().get("authorization")?.to_str().ok()?;
    let start = auth.find("Credential=")? + "Credential=".len();
    Some(auth[start..].split('/').next()?.to_owned())
}

/// The value of `key` in a form-encoded body, percent-decoded.
fn form_value(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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

async fn handle(
    req: Request<Incoming>,
    upstream: SocketAddr,
    faults: &Faults,
    seen: &Mutex<Seen>,
) -> Response<Full<Bytes>> {
    let key = access_key(&req);
    let is_route53 = req.uri().path().starts_with("/2013-04-01/");
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return reply(StatusCode::BAD_GATEWAY, format!("proxy: body: {e}")),
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    let assume_into = (form_value(&text, "Action").as_deref() == Some("AssumeRole"))
        .then(|| form_value(&text, "RoleArn").and_then(|arn| account_of_role(&arn)))
        .flatten();

    if let (Some(target), Some(denied)) = (&assume_into, &faults.deny_assume_role_into)
        && target == denied
    {
        seen.lock().unwrap().denied += 1;
        return reply(
            StatusCode::FORBIDDEN,
            format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>\
                 <Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized \
                 to perform: sts:AssumeRole on resource: arn:aws:iam::{target}:role/\
                 OrganizationAccountAccessRole</Message></Error><RequestId>proxy</RequestId>\
                 </ErrorResponse>"
            ),
        );
    }
    if is_route53 && let Some(throttled) = &faults.throttle_route53_of {
        let mut s = seen.lock().unwrap();
        let account = key.as_ref().and_then(|k| s.keys.get(k)).cloned();
        if account.as_ref() == Some(throttled) {
            let since = *s.throttling_since.get_or_insert_with(Instant::now);
            if since.elapsed() < faults.throttle_for {
                s.throttled += 1;
                return reply(
                    StatusCode::BAD_REQUEST,
                    "<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
                     <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded\
                     </Message></Error><RequestId>proxy</RequestId></ErrorResponse>"
                        .to_owned(),
                );
            }
        }
    }

    let answer = match forward(parts, body, upstream).await {
        Ok(answer) => answer,
        Err(e) => return reply(StatusCode::BAD_GATEWAY, format!("proxy: upstream: {e}")),
    };
    if let Some(account) = assume_into {
        let text = String::from_utf8_lossy(answer.body()).into_owned();
        if let Some(key) = between(&text, "<AccessKeyId>", "</AccessKeyId>") {
            seen.lock().unwrap().keys.insert(key, account);
        }
    }
    let (parts, body) = answer.into_parts();
    Response::from_parts(parts, Full::new(body))
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
    fn form_values_are_percent_decoded() {
        let body = "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2FOrg&X=a+b";
        assert_eq!(form_value(body, "Action").as_deref(), Some("AssumeRole"));
        let arn = form_value(body, "RoleArn").unwrap();
        assert_eq!(account_of_role(&arn).as_deref(), Some("210987654321"));
        assert_eq!(form_value(body, "X").as_deref(), Some("a b"));
    }
}
