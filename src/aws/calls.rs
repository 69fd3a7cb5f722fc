//! The call log: one debug line per AWS call (service, operation, account, region, endpoint,
//! attempts, duration, outcome), written by an SDK interceptor on every client, and never anything
//! signed or secret (no headers, no bodies). A call abandoned before its end (the operation timeout,
//! Ctrl-C) is logged as such when the SDK drops it.
//!
//! It also remembers the endpoint each service was last sent to, so that error messages can name
//! the endpoint that did not answer ([`seen`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// Where a service was last called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `scheme://host[:port]`, or the configured endpoint URL (path included) when that is where
    /// the call went; never with a `user:password@` part.
    pub endpoint: String,
    pub region: Option<String>,
}

fn registry() -> &'static Mutex<BTreeMap<&'static str, Seen>> {
    static SEEN: OnceLock<Mutex<BTreeMap<&'static str, Seen>>> = OnceLock::new();
    SEEN.get_or_init(Default::default)
}

/// Where the service whose label begins `what` ("STS GetCallerIdentity") was last sent.
pub fn seen(what: &str) -> Option<Seen> {
    let seen = registry().lock().unwrap_or_else(|p| p.into_inner());
    seen.iter()
        .filter(|(label, _)| what.starts_with(*label))
        .max_by_key(|(label, _)| label.len())
        .map(|(_, s)| s.clone())
}

/// A URL without its `user:password@` part.
pub fn without_userinfo(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if scheme.is_empty() {
        format!("{host}{path}")
    } else {
        format!("{scheme}://{host}{path}")
    }
}

/// The interceptor of one client: which service, for which account, in which region.
#[derive(Debug)]
pub struct CallLog {
    label: &'static str,
    account: Arc<OnceLock<String>>,
    region: Option<String>,
    /// The endpoint URL the config overrides every service with, if any.
    configured: Option<String>,
}

impl CallLog {
    /// `account` is filled once known (the caller's own account is learnt from its first call).
    pub fn new(
        label: &'static str,
        account: Arc<OnceLock<String>>,
        region: Option<String>,
        configured: Option<String>,
    ) -> Self {
        CallLog {
            label,
            account,
            region,
            configured: configured.map(|c| without_userinfo(c.trim_end_matches('/'))),
        }
    }
}

/// One call in flight, kept in the call's config bag: dropped with it, at the end of the call or
/// when the call is abandoned.
#[derive(Debug)]
struct InFlight {
    label: &'static str,
    /// Known once the operation's own configuration is applied (after `read_before_execution`).
    operation: OnceLock<String>,
    account: Arc<OnceLock<String>>,
    region: Option<String>,
    started: Instant,
    attempts: AtomicU32,
    endpoint: Mutex<Option<String>>,
    done: AtomicBool,
}

impl InFlight {
    fn log(&self, outcome: &str) {
        self.log_with(outcome, "");
    }

    fn log_with(&self, outcome: &str, request_id: &str) {
        let endpoint = self
            .endpoint
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .unwrap_or_default();
        tracing::debug!(
            service = self.label,
            operation = self.operation.get().map_or("?", String::as_str),
            account = self.account.get().map_or("current", String::as_str),
            region = self.region.as_deref().unwrap_or(""),
            endpoint = %endpoint,
            attempts = self.attempts.load(Ordering::Relaxed),
            duration_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX),
            outcome,
            request_id,
            "aws call"
        );
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if !self.done.swap(true, Ordering::Relaxed) {
            self.log("abandoned (operation timeout, or the caller stopped waiting)");
        }
    }
}

#[derive(Debug, Clone)]
struct Call(Arc<InFlight>);

impl Storable for Call {
    type Storer = StoreReplace<Self>;
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "opsdeck call log"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Call(Arc::new(InFlight {
            label: self.label,
            operation: OnceLock::new(),
            account: self.account.clone(),
            region: self.region.clone(),
            started: Instant::now(),
            attempts: AtomicU32::new(0),
            endpoint: Mutex::new(None),
            done: AtomicBool::new(false),
        })));
        Ok(())
    }

    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let (Some(call), Some(metadata)) = (cfg.load::<Call>(), cfg.load::<Metadata>()) {
            let _ = call.0.operation.set(metadata.name().to_owned());
        }
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let uri = context.request().uri();
        let base = match uri.split_once("://") {
            Some((scheme, rest)) => {
                let authority = rest.split('/').next().unwrap_or(rest);
                without_userinfo(&format!("{scheme}://{authority}"))
            }
            None => return Ok(()),
        };
        // The configured endpoint names the path too (an endpoint URL with a path is a mistake
        // worth showing).
        let endpoint = match &self.configured {
            Some(c) if c.starts_with(&base) => c.clone(),
            _ => base,
        };
        if let Some(call) = cfg.load::<Call>() {
            call.0.attempts.fetch_add(1, Ordering::Relaxed);
            *call.0.endpoint.lock().unwrap_or_else(|p| p.into_inner()) = Some(endpoint.clone());
        }
        registry().lock().unwrap_or_else(|p| p.into_inner()).insert(
            self.label,
            Seen {
                endpoint,
                region: self.region.clone(),
            },
        );
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(call) = cfg.load::<Call>() else {
            return Ok(());
        };
        if call.0.done.swap(true, Ordering::Relaxed) {
            return Ok(());
        }
        let status = context.response().map(|r| r.status().as_u16());
        let outcome = match (context.output_or_error(), status) {
            (Some(Ok(_)), Some(s)) => format!("ok (HTTP {s})"),
            (Some(Ok(_)), None) => "ok".to_owned(),
            (Some(Err(e)), _) if e.is_timeout_error() => "timed out".to_owned(),
            (Some(Err(e)), _) if e.is_connector_error() => {
                let timeout = e.as_connector_error().is_some_and(|c| c.is_timeout());
                if timeout {
                    "timed out"
                } else {
                    "connection failed"
                }
                .to_owned()
            }
            (Some(Err(_)), Some(s)) => format!("failed (HTTP {s})"),
            (Some(Err(_)), None) => "failed before an answer".to_owned(),
            (None, _) => "no outcome".to_owned(),
        };
        // AWS's request id, for a support case; the same for every service that sends one.
        let request_id = context
            .response()
            .and_then(|r| {
                r.headers()
                    .get("x-amzn-requestid")
                    .or_else(|| r.headers().get("x-amz-request-id"))
            })
            .unwrap_or("");
        call.0.log_with(&outcome, request_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(
            without_userinfo("http://user:pw@127.0.0.1:5000/x"),
            "http://127.0.0.1:5000/x"
        );
        assert_eq!(
            without_userinfo("https://sts.eu-west-1.amazonaws.com"),
            "https://sts.eu-west-1.amazonaws.com"
        );
    }

    #[test]
    fn the_longest_label_that_begins_the_call_name_wins() {
        let mut map = registry().lock().unwrap();
        map.insert(
            "Test Svc",
            Seen {
                endpoint: "http://a".into(),
                region: None,
            },
        );
        map.insert(
            "Test Svc Two",
            Seen {
                endpoint: "http://b".into(),
                region: None,
            },
        );
        drop(map);
        assert_eq!(seen("Test Svc Two Op").unwrap().endpoint, "http://b");
        assert_eq!(seen("Test Svc Op").unwrap().endpoint, "http://a");
    }
}
