//! Retry policy: which failures are retried and how long to wait.
//!
//! Retried: throttling (a `Throttling*` code or an `x-acs-retry-after` header, whose
//! wait is honoured), and connection failures before the request was sent. 5xx answers,
//! read and attempt timeouts and other mid-exchange failures are retried only for
//! read-only operations, since a write may already have taken effect. Oversize bodies
//! and operation timeouts are never retried. Waits use exponential
//! backoff with full jitter; attempts and total time are bounded.

use std::time::Duration;

use crate::error::{RawError, TimeoutKind, TransportErrorKind};

/// Retry policy (per client in `Config`, per call in `CallOptions`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in total, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Backoff ceiling before the first retry; doubles for each further retry.
    pub initial_backoff: Duration,
    /// Upper bound of one backoff wait.
    pub max_backoff: Duration,
    /// Bound on the time from the first attempt to the start of the last one: a retry
    /// whose wait would cross it is not made.
    pub max_total: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(20),
            max_total: Duration::from_secs(60),
        }
    }
}

impl RetryConfig {
    /// Defaults: 3 attempts, backoff from 100 ms up to 20 s, at most 60 s in total.
    pub fn new() -> Self {
        Self::default()
    }

    /// A single attempt, nothing retried.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts (the first included).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the first backoff ceiling.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the largest backoff wait.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the total time bound.
    pub fn max_total(mut self, total: Duration) -> Self {
        self.max_total = total;
        self
    }

    /// Full-jitter backoff before retry number `retry` (0 for the first retry): a wait
    /// drawn uniformly from `[0, min(max_backoff, initial_backoff * 2^retry)]` using the
    /// random value `random`.
    pub fn backoff(&self, retry: u32, random: u64) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let ceiling_nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        match ceiling_nanos.checked_add(1) {
            Some(span) => Duration::from_nanos(random % span),
            None => Duration::from_nanos(random),
        }
    }
}

/// Whether `error` from an attempt of an operation may be retried.
pub fn is_retryable(error: &RawError, read_only: bool) -> bool {
    match error {
        RawError::Throttling(_) => true,
        RawError::Transport(t) => t.kind == TransportErrorKind::Connect || read_only,
        // Like a read timeout: the request may have taken effect.
        RawError::Timeout(t) => t.kind == TimeoutKind::Attempt && read_only,
        RawError::Service(e) => e.status >= 500 && read_only,
        RawError::Response(e) => e.status >= 500 && read_only,
        _ => false,
    }
}

/// How long to wait before the next attempt: the server's `x-acs-retry-after` when it
/// gave one, else the jittered backoff.
pub fn delay(error: &RawError, config: &RetryConfig, retry: u32) -> Duration {
    if let RawError::Throttling(t) = error {
        if let Some(wait) = t.retry_after {
            return wait;
        }
    }
    config.backoff(retry, random_u64())
}

fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    // Without OS randomness fall back to the full ceiling: still bounded, just no jitter.
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => u64::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{
        BodyTooLargeError, ResponseError, ServiceError, ThrottlingError, TimeoutError,
        TransportError,
    };

    fn service(status: u16) -> RawError {
        RawError::Service(Box::new(ServiceError {
            status,
            code: "InternalError".into(),
            message: String::new(),
            request_id: String::new(),
            host_id: None,
            recommend: None,
            access_denied_detail: None,
        }))
    }

    fn transport(kind: TransportErrorKind, timed_out: bool) -> RawError {
        RawError::Transport(TransportError {
            action: "A",
            host: "h".into(),
            kind,
            timed_out,
            attempts: 1,
            source: "io".into(),
        })
    }

    fn throttled(retry_after: Option<Duration>) -> RawError {
        RawError::Throttling(ThrottlingError {
            action: "A",
            status: 400,
            error: None,
            retry_after,
            attempts: 1,
        })
    }

    #[test]
    fn writes_are_not_retried_after_5xx_or_read_timeouts() {
        assert!(!is_retryable(&service(503), false));
        assert!(!is_retryable(
            &transport(TransportErrorKind::Timeout, true),
            false
        ));
        assert!(!is_retryable(
            &transport(TransportErrorKind::Other, false),
            false
        ));
        let html = RawError::Response(ResponseError::new("A", 502, None, b"<html>"));
        assert!(!is_retryable(&html, false));
        assert!(is_retryable(&html, true));
    }

    #[test]
    fn reads_retry_5xx_and_timeouts_everyone_retries_throttling_and_connect() {
        assert!(is_retryable(&service(503), true));
        assert!(!is_retryable(&service(400), true));
        assert!(is_retryable(
            &transport(TransportErrorKind::Timeout, true),
            true
        ));
        assert!(is_retryable(
            &transport(TransportErrorKind::Connect, false),
            false
        ));
        assert!(is_retryable(
            &transport(TransportErrorKind::Connect, true),
            false
        ));
        assert!(is_retryable(&throttled(None), false));
    }

    fn timeout(kind: TimeoutKind) -> RawError {
        RawError::Timeout(TimeoutError {
            action: "A",
            kind,
            after: Duration::from_secs(1),
            attempts: 1,
            last_error: None,
        })
    }

    #[test]
    fn attempt_timeouts_retry_like_read_timeouts_and_the_rest_never() {
        assert!(is_retryable(&timeout(TimeoutKind::Attempt), true));
        assert!(!is_retryable(&timeout(TimeoutKind::Attempt), false));
        assert!(!is_retryable(&timeout(TimeoutKind::Operation), true));
        let big = RawError::BodyTooLarge(BodyTooLargeError {
            action: "A",
            status: 500,
            limit: 1,
            content_length: None,
            received: 2,
            request_id: None,
        });
        assert!(!is_retryable(&big, true));
    }

    #[test]
    fn retry_after_is_honoured() {
        let cfg = RetryConfig::default();
        let wait = Duration::from_millis(1500);
        assert_eq!(delay(&throttled(Some(wait)), &cfg, 0), wait);
        assert!(delay(&throttled(None), &cfg, 0) <= cfg.initial_backoff);
    }

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_cap() {
        let cfg = RetryConfig::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        assert_eq!(cfg.backoff(0, 0), Duration::ZERO);
        assert_eq!(cfg.backoff(0, 100_000_000), Duration::from_millis(100));
        assert_eq!(cfg.backoff(1, 200_000_000), Duration::from_millis(200));
        // The cap applies from retry 2 on (400 ms > 350 ms), and for huge exponents.
        assert_eq!(cfg.backoff(2, 350_000_000), Duration::from_millis(350));
        assert_eq!(cfg.backoff(40, 350_000_000), Duration::from_millis(350));
        for r in [1u64, 7, u64::MAX / 3, u64::MAX] {
            assert!(cfg.backoff(3, r) <= Duration::from_millis(350));
        }
        assert_eq!(RetryConfig::disabled().max_attempts, 1);
    }
}
