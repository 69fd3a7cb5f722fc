//! Something fetched from AWS, in one of its four states.

use chrono::{DateTime, Utc};

use crate::services::ServiceError;

/// Identifies one request; a result whose id is not the one a view waits for is stale and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Loadable<T> {
    #[default]
    NotAsked,
    Loading {
        request: RequestId,
    },
    Ready {
        value: T,
        fetched_at: DateTime<Utc>,
    },
    Failed {
        error: ServiceError,
    },
}

impl<T> Loadable<T> {
    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading { .. })
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Loadable::Ready { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Is `request` the one this loadable waits for?
    pub fn awaits(&self, request: RequestId) -> bool {
        matches!(self, Loadable::Loading { request: r } if *r == request)
    }

    /// Settle a pending request with its result; a stale result (another request id, or nothing
    /// pending) is ignored and `false` returned.
    pub fn settle(
        &mut self,
        request: RequestId,
        result: Result<T, ServiceError>,
        at: DateTime<Utc>,
    ) -> bool {
        if !self.awaits(request) {
            return false;
        }
        *self = match result {
            Ok(value) => Loadable::Ready {
                value,
                fetched_at: at,
            },
            Err(error) => Loadable::Failed { error },
        };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::ErrorKind;

    #[test]
    fn a_result_for_another_request_is_dropped() {
        let mut l: Loadable<u32> = Loadable::Loading {
            request: RequestId(2),
        };
        assert!(!l.settle(RequestId(1), Ok(7), Utc::now()));
        assert!(l.is_loading());
        assert!(l.settle(RequestId(2), Ok(8), Utc::now()));
        assert_eq!(l.value(), Some(&8));
    }

    #[test]
    fn a_failure_keeps_the_error() {
        let mut l: Loadable<u32> = Loadable::Loading {
            request: RequestId(1),
        };
        let err = ServiceError::new(ErrorKind::Denied, Some("AccessDenied".into()), "no");
        l.settle(RequestId(1), Err(err.clone()), Utc::now());
        assert_eq!(l, Loadable::Failed { error: err });
    }
}
