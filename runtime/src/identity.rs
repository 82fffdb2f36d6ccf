//! Who signs: the [`Credential`] (an AccessKey pair, optionally with an STS token and an
//! expiry), the [`Secret`] wrapper that keeps secrets out of `Debug`, and the
//! [`ProvideCredentials`] trait every credential source implements.
//!
//! Shared by `config` (which holds a source) and `credentials` (the sources); it
//! depends on nothing in the crate but `error`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::SystemTime;

use crate::error::CredentialsError;

/// A string that must not be shown: `Debug` prints `***`; there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for signing.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An AccessKey pair, optionally with an STS security token and an expiry. Cloning is
/// cheap (an `Arc`), which keeps the cached path of every call allocation-free.
#[derive(Clone)]
pub struct Credential(Arc<CredentialInner>);

#[derive(Clone)]
struct CredentialInner {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
    provider: &'static str,
    expiry: Option<SystemTime>,
}

impl Credential {
    /// A long-term AccessKey pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credential(Arc::new(CredentialInner {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            security_token: None,
            provider: "static_ak",
            expiry: None,
        }))
    }

    /// A temporary STS AccessKey pair with its security token.
    pub fn with_security_token(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Credential(Arc::new(CredentialInner {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            security_token: Some(Secret::new(security_token)),
            provider: "static_sts",
            expiry: None,
        }))
    }

    /// Sets the provider name (the official SDKs send it as `x-acs-credentials-provider`).
    pub fn with_provider_name(mut self, provider: &'static str) -> Self {
        Arc::make_mut(&mut self.0).provider = provider;
        self
    }

    /// Sets the time after which the credential is no longer accepted.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        Arc::make_mut(&mut self.0).expiry = Some(expiry);
        self
    }

    /// The AccessKey ID (not secret: it is sent with every request).
    pub fn access_key_id(&self) -> &str {
        &self.0.access_key_id
    }

    /// The AccessKey secret.
    pub fn access_key_secret(&self) -> &Secret {
        &self.0.access_key_secret
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&Secret> {
        self.0.security_token.as_ref()
    }

    /// Where the credential came from (`static_ak`, `static_sts`, `env`, `cli_profile`,
    /// `ram_role_arn`, ..., with a `default/` prefix when found by the default chain).
    pub fn provider_name(&self) -> &'static str {
        self.0.provider
    }

    /// When it expires (`None`: a long-term key).
    pub fn expiry(&self) -> Option<SystemTime> {
        self.0.expiry
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("access_key_id", &self.0.access_key_id)
            .field("access_key_secret", &self.0.access_key_secret)
            .field("security_token", &self.0.security_token)
            .field("provider", &self.0.provider)
            .field("expiry", &self.0.expiry)
            .finish()
    }
}

type BoxFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credential, CredentialsError>> + Send + 'a>>;

/// The future returned by [`ProvideCredentials::provide`]: either ready (no allocation,
/// the cached path) or a boxed future (a fetch).
pub struct ProvideFuture<'a>(FutureState<'a>);

enum FutureState<'a> {
    Ready(Option<Result<Credential, CredentialsError>>),
    Pending(BoxFuture<'a>),
}

impl<'a> ProvideFuture<'a> {
    /// An already known result.
    pub fn ready(result: Result<Credential, CredentialsError>) -> Self {
        ProvideFuture(FutureState::Ready(Some(result)))
    }

    /// A result still to be computed.
    pub fn new(
        future: impl Future<Output = Result<Credential, CredentialsError>> + Send + 'a,
    ) -> Self {
        ProvideFuture(FutureState::Pending(Box::pin(future)))
    }
}

impl Future for ProvideFuture<'_> {
    type Output = Result<Credential, CredentialsError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            FutureState::Ready(result) => Poll::Ready(
                result
                    .take()
                    .expect("ProvideFuture polled after completion"),
            ),
            FutureState::Pending(future) => future.as_mut().poll(cx),
        }
    }
}

impl fmt::Debug for ProvideFuture<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            FutureState::Ready(_) => "ProvideFuture::Ready",
            FutureState::Pending(_) => "ProvideFuture::Pending",
        })
    }
}

/// A source of credentials. The client asks its
/// [`CredentialsCache`](crate::credentials::CredentialsCache) before every
/// attempt; the cache asks the source only when it has nothing fresh.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The credential to sign with (with its expiry, if temporary), or why there is none.
    fn provide(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credential {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::ready(Ok(self.clone()))
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide(&self) -> ProvideFuture<'_> {
        (**self).provide()
    }
}
