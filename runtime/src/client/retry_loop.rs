//! The retry loop's bookkeeping: a call's timeouts and limits, how far it got (what an
//! operation timeout reports), and the decision after a failed attempt: retry after a
//! wait, or stop with the error.

use std::time::Duration;

use tokio::time::Instant;

use crate::config::{CallOptions, Config};
use crate::error::RawError;
use crate::retry::{self, RetryConfig};
use crate::transport::Bounds;

/// Timeouts and limits of one call, from its `CallOptions` over the client's `Config`.
pub(super) struct Limits {
    pub(super) connect_timeout: Duration,
    pub(super) read_timeout: Duration,
    pub(super) attempt_timeout: Duration,
    pub(super) operation_timeout: Duration,
    pub(super) max_body: usize,
}

impl Limits {
    pub(super) fn new(options: &CallOptions, config: &Config) -> Limits {
        Limits {
            connect_timeout: options.connect_timeout.unwrap_or(config.connect_timeout),
            read_timeout: options.read_timeout.unwrap_or(config.read_timeout),
            attempt_timeout: options.attempt_timeout.unwrap_or(config.attempt_timeout),
            operation_timeout: options
                .operation_timeout
                .unwrap_or(config.operation_timeout),
            max_body: options
                .max_response_bytes
                .unwrap_or(config.max_response_bytes),
        }
    }

    /// What the transport enforces on one exchange.
    pub(super) fn bounds(&self) -> Bounds {
        Bounds {
            connect_timeout: self.connect_timeout,
            read_timeout: self.read_timeout,
            max_body: self.max_body,
        }
    }
}

/// How far a call got, kept outside its future so an operation timeout can report it.
#[derive(Default)]
pub(super) struct Progress {
    pub(super) attempts: u32,
    pub(super) last_error: Option<RawError>,
}

/// The retry policy applied to one call.
pub(super) struct RetryLoop<'a> {
    config: &'a RetryConfig,
    operation_timeout: Duration,
    read_only: bool,
    started: Instant,
}

impl<'a> RetryLoop<'a> {
    pub(super) fn start(
        config: &'a RetryConfig,
        operation_timeout: Duration,
        read_only: bool,
    ) -> RetryLoop<'a> {
        RetryLoop {
            config,
            operation_timeout,
            read_only,
            started: Instant::now(),
        }
    }

    /// After attempt number `attempt` failed with `error`: the wait before the next
    /// attempt, or the error (with its attempt count) when the call stops here: not
    /// retryable, attempts used up, or neither budget (`max_total`, the operation
    /// timeout) can fit another attempt, in which case the real failure is reported now
    /// rather than after sleeping into a timeout.
    pub(super) fn next(
        &self,
        error: RawError,
        attempt: u32,
    ) -> Result<(Duration, RawError), RawError> {
        let error = with_attempts(error, attempt);
        tracing::debug!(attempt, error = %error, "attempt failed");
        if attempt >= self.config.max_attempts.max(1)
            || !retry::is_retryable(&error, self.read_only)
        {
            return Err(error);
        }
        let wait = retry::delay(&error, self.config, attempt - 1);
        let resume = self.started.elapsed().saturating_add(wait);
        if resume > self.config.max_total || resume >= self.operation_timeout {
            return Err(error);
        }
        Ok((wait, error))
    }
}

fn with_attempts(error: RawError, attempts: u32) -> RawError {
    match error {
        RawError::Throttling(mut t) => {
            t.attempts = attempts;
            RawError::Throttling(t)
        }
        RawError::Transport(mut t) => {
            t.attempts = attempts;
            RawError::Transport(t)
        }
        RawError::Timeout(mut t) => {
            t.attempts = attempts;
            RawError::Timeout(t)
        }
        other => other,
    }
}
