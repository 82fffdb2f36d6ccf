//! The identity cache between a credential source and every call.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use crate::error::CredentialsError;

use super::{Credential, ProvideCredentials, ProvideFuture};

/// A credential is refreshed once this little of its life remains (the official SDKs'
/// 180 s), so a request never leaves with one about to expire.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(180);

/// After a failed refresh with a still-valid credential, wait this long before asking
/// the source again, so an STS outage is not hammered by every call.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// Caches the credential of a source.
///
/// - A fresh credential (no expiry, or more than [`REFRESH_BEFORE_EXPIRY`] left) is
///   returned without awaiting (a read lock and an `Arc` clone).
/// - When 180 s or less remain, one caller refreshes; concurrent callers keep using the
///   still-valid credential meanwhile. When it has expired (or there is none yet), all
///   callers wait for that one refresh: the source is asked once, not once per caller.
/// - A failed refresh keeps the still-valid credential (and retries after 10 s); once
///   it has expired, the error says so and why the refresh failed.
///
/// Expiry is measured on tokio's clock, so `tokio::time::pause` drives it in tests.
pub struct CredentialsCache {
    source: Arc<dyn ProvideCredentials>,
    state: RwLock<State>,
    // Held by the one caller asking the source.
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    // Bumped after every attempt to ask the source, so waiters see one happened.
    generation: u64,
    last_error: Option<Arc<CredentialsError>>,
    retry_not_before: Option<Instant>,
}

#[derive(Clone)]
struct Cached {
    credential: Credential,
    refresh_at: Option<Instant>,
    expires_at: Option<Instant>,
}

impl Cached {
    fn fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|t| now < t)
    }

    fn valid(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|t| now < t)
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("CredentialsCache")
            .field("source", &self.source)
            .field("cached", &state.cached.as_ref().map(|c| &c.credential))
            .finish()
    }
}

impl CredentialsCache {
    /// A cache in front of `source`.
    pub fn new(source: Arc<dyn ProvideCredentials>) -> Self {
        CredentialsCache {
            source,
            state: RwLock::new(State::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// The source behind the cache.
    pub fn source(&self) -> &Arc<dyn ProvideCredentials> {
        &self.source
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(PoisonError::into_inner)
    }

    async fn slow(&self) -> Result<Credential, CredentialsError> {
        let now = Instant::now();
        let (seen, usable, backing_off) = {
            let state = self.read();
            let usable = state
                .cached
                .as_ref()
                .filter(|c| c.valid(now))
                .map(|c| c.credential.clone());
            let backing_off = state.retry_not_before.is_some_and(|t| now < t);
            (state.generation, usable, backing_off)
        };
        if let Some(current) = usable {
            if backing_off {
                return Ok(current);
            }
            // Someone is already refreshing: the current credential is still good.
            let Ok(guard) = self.refresh.try_lock() else {
                return Ok(current);
            };
            let result = self.refresh_locked().await;
            drop(guard);
            return result;
        }
        let guard = self.refresh.lock().await;
        {
            let state = self.read();
            if state.generation != seen {
                // A refresh finished while we waited: share its outcome.
                let now = Instant::now();
                if let Some(c) = state.cached.as_ref().filter(|c| c.valid(now)) {
                    return Ok(c.credential.clone());
                }
                if let Some(e) = &state.last_error {
                    return Err(CredentialsError::Shared(Arc::clone(e)));
                }
            }
        }
        let result = self.refresh_locked().await;
        drop(guard);
        result
    }

    // Called with `refresh` held.
    async fn refresh_locked(&self) -> Result<Credential, CredentialsError> {
        let outcome = self.source.provide().await.and_then(|c| {
            // A source handing out a dead credential is a failure, not a credential.
            match c.expiry().map(|e| SystemTime::now().duration_since(e)) {
                Some(Ok(expired_for)) => Err(CredentialsError::Expired {
                    provider: c.provider_name(),
                    expired_for,
                    reason: "the source gave an already expired credential".into(),
                }),
                _ => Ok(c),
            }
        });
        let now = Instant::now();
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        state.generation += 1;
        match outcome {
            Ok(credential) => {
                let cached = cache_entry(credential, now);
                tracing::debug!(
                    provider = cached.credential.provider_name(),
                    expires_in_s = cached.expires_at.map(|t| (t - now).as_secs()),
                    "credential refreshed"
                );
                let credential = cached.credential.clone();
                state.cached = Some(cached);
                state.last_error = None;
                state.retry_not_before = None;
                Ok(credential)
            }
            Err(error) => {
                let current = state.cached.as_ref().map(|c| (c.valid(now), c.clone()));
                match current {
                    Some((true, cached)) => {
                        tracing::warn!(
                            provider = cached.credential.provider_name(),
                            error = %error,
                            "credential refresh failed; the current one is still valid and kept"
                        );
                        state.retry_not_before = Some(now + RETRY_AFTER_FAILURE);
                        state.last_error = None;
                        Ok(cached.credential)
                    }
                    Some((false, cached)) => {
                        let expired_for = cached
                            .expires_at
                            .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
                        let error = Arc::new(CredentialsError::Expired {
                            provider: cached.credential.provider_name(),
                            expired_for,
                            reason: error.to_string(),
                        });
                        tracing::warn!(error = %error, "credential expired and refresh failed");
                        state.last_error = Some(Arc::clone(&error));
                        Err(CredentialsError::Shared(error))
                    }
                    None => {
                        let error = Arc::new(error);
                        state.last_error = Some(Arc::clone(&error));
                        Err(CredentialsError::Shared(error))
                    }
                }
            }
        }
    }
}

fn cache_entry(credential: Credential, now: Instant) -> Cached {
    let Some(expiry) = credential.expiry() else {
        return Cached {
            credential,
            refresh_at: None,
            expires_at: None,
        };
    };
    // Wall-clock expiry to tokio's clock, once, at receipt.
    let remaining = expiry
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    let expires_at = now + remaining;
    // A credential that arrives with less than the margin left is used for half of what
    // remains, not refreshed on every call.
    let lead = REFRESH_BEFORE_EXPIRY.min(remaining / 2);
    Cached {
        credential,
        refresh_at: Some(expires_at - lead),
        expires_at: Some(expires_at),
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide(&self) -> ProvideFuture<'_> {
        let now = Instant::now();
        {
            let state = self.read();
            if let Some(c) = state.cached.as_ref().filter(|c| c.fresh(now)) {
                return ProvideFuture::ready(Ok(c.credential.clone()));
            }
        }
        ProvideFuture::new(self.slow())
    }
}
