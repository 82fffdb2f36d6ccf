//! Optional client-side rate limiting: one token bucket per operation, refilled at the
//! operation's documented QPS, so a burst of calls is spread out instead of being
//! throttled by the server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// Rate limiting settings (enable with `Config::rate_limit`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitConfig {
    /// Calls allowed back to back before spacing starts (at least 1).
    pub burst: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig { burst: 1 }
    }
}

impl RateLimitConfig {
    /// Strict spacing: one call every `1 / qps` seconds.
    pub fn new() -> Self {
        Self::default()
    }

    /// Allows `burst` calls back to back.
    pub fn burst(mut self, burst: u32) -> Self {
        self.burst = burst;
        self
    }
}

/// A token bucket holding `burst` tokens, refilled with one token every `interval`
/// (kept as the time at which the bucket is next full, the GCRA formulation).
#[derive(Debug)]
pub struct TokenBucket {
    interval: Duration,
    tolerance: Duration,
    full_at: Mutex<Option<Instant>>,
}

impl TokenBucket {
    /// A bucket for `qps` calls per second (at least 1) and `burst` tokens (at least 1).
    pub fn new(qps: u32, burst: u32) -> Self {
        let interval = Duration::from_secs(1) / qps.max(1);
        TokenBucket {
            interval,
            tolerance: interval * (burst.max(1) - 1),
            full_at: Mutex::new(None),
        }
    }

    /// Takes a token at `now`, returning how long the caller must wait for it.
    pub fn reserve(&self, now: Instant) -> Duration {
        let mut guard = self.full_at.lock().unwrap_or_else(PoisonError::into_inner);
        let tat = guard.map_or(now, |t| t.max(now));
        *guard = Some(tat + self.interval);
        tat.saturating_duration_since(now + self.tolerance)
    }

    /// Waits until a token is available and takes it.
    pub async fn acquire(&self) {
        let wait = self.reserve(Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// Token buckets keyed by action.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    config: RateLimitConfig,
    buckets: Mutex<HashMap<&'static str, Arc<TokenBucket>>>,
}

impl RateLimiter {
    pub(crate) fn new(config: RateLimitConfig) -> Self {
        RateLimiter {
            config,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a token of `action`'s bucket; no-op without a positive `qps`.
    pub(crate) async fn acquire(&self, action: &'static str, qps: Option<u32>) {
        let Some(qps) = qps.filter(|q| *q > 0) else {
            return;
        };
        let bucket = {
            let mut map = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(
                map.entry(action)
                    .or_insert_with(|| Arc::new(TokenBucket::new(qps, self.config.burst))),
            )
        };
        bucket.acquire().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[tokio::test(start_paused = true)]
    async fn strict_spacing_smooths_a_burst() {
        let bucket = TokenBucket::new(10, 1);
        let start = Instant::now();
        let mut offsets = Vec::new();
        for _ in 0..4 {
            bucket.acquire().await;
            offsets.push(start.elapsed());
        }
        assert_eq!(offsets, vec![ms(0), ms(100), ms(200), ms(300)]);
    }

    #[tokio::test(start_paused = true)]
    async fn burst_goes_through_then_spacing_starts() {
        let bucket = TokenBucket::new(20, 3);
        let start = Instant::now();
        let mut offsets = Vec::new();
        for _ in 0..5 {
            bucket.acquire().await;
            offsets.push(start.elapsed());
        }
        assert_eq!(offsets, vec![ms(0), ms(0), ms(0), ms(50), ms(100)]);
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_refills_the_bucket() {
        let bucket = TokenBucket::new(10, 2);
        let now = Instant::now();
        assert_eq!(bucket.reserve(now), ms(0));
        assert_eq!(bucket.reserve(now), ms(0));
        assert_eq!(bucket.reserve(now), ms(100));
        tokio::time::advance(ms(1000)).await;
        let later = Instant::now();
        assert_eq!(bucket.reserve(later), ms(0));
        assert_eq!(bucket.reserve(later), ms(0));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_are_spaced_per_operation() {
        let limiter = Arc::new(RateLimiter::new(RateLimitConfig::new()));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for action in ["A", "A", "A", "B"] {
            let limiter = Arc::clone(&limiter);
            tasks.push(tokio::spawn(async move {
                limiter.acquire(action, Some(5)).await;
                (action, start.elapsed())
            }));
        }
        let mut done = Vec::new();
        for t in tasks {
            done.push(t.await.expect("task"));
        }
        done.sort();
        assert_eq!(
            done,
            vec![("A", ms(0)), ("A", ms(200)), ("A", ms(400)), ("B", ms(0))]
        );
        // Operations without a documented limit are never delayed.
        limiter.acquire("C", None).await;
        limiter.acquire("C", Some(0)).await;
        assert_eq!(start.elapsed(), ms(400));
    }
}
