//! The client, one module per concern of a call:
//!
//! - `operation`: what is called ([`Operation`], implemented by generated requests, and
//!   [`RawOperation`] for [`Client::call_raw`]);
//! - `placement`: parameters to query, body, headers, host and path;
//! - `assemble`: the V3 / RPC headers and query around them, signed
//!   ([`SignedRequest`]);
//! - `retry_loop`: limits, progress and the retry decision;
//! - `finish`: answers classified, bodies decoded, errors typed;
//! - `bound`: calls that own their client ([`Bound`], [`ResponseFuture`]).
//!
//! This file holds the [`Client`] and the orchestrator: `Client::attempt` reads as the
//! steps of one attempt (rate limit, identity, build, sign, send, classify) and
//! `Client::attempts` is the retry loop around it.

mod assemble;
mod bound;
mod finish;
mod operation;
mod placement;
mod retry_loop;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;

use crate::config::{CallOptions, Config};
use crate::credentials::{
    Credential, CredentialsCache, DefaultCredentialsChain, ProvideCredentials, ProviderConfig,
};
use crate::encoding::params::Params;
use crate::endpoint::{self, Endpoint};
use crate::error::{
    BuildError, ConfigError, RawError, SdkError, ServiceError, TimeoutError, TimeoutKind,
};
use crate::ratelimit::RateLimiter;
use crate::service::{OperationInfo, ServiceInfo};
use crate::signing::{self, SignatureVersion};
use crate::transport::Transport;

pub use assemble::SignedRequest;
pub use bound::{Bound, ResponseFuture};
pub use finish::{decode_body, decode_response, operation_error, RawResponse};
pub use operation::{Operation, RawOperation};

use finish::{attempt_timeout, classify_exchange, finish};
use placement::Parts;
use retry_loop::{Limits, Progress, RetryLoop};

struct Inner {
    service: &'static ServiceInfo,
    config: Config,
    region: Option<String>,
    endpoint: Endpoint,
    user_agent: String,
    credentials: CredentialsCache,
    transport: Transport,
    limiter: Option<RateLimiter>,
}

/// A client for one service. Cheap to clone (an `Arc` inside); share it across tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("product", &self.inner.service.product)
            .field("version", &self.inner.service.version)
            .field("endpoint", &self.inner.endpoint)
            .field("region", &self.inner.region)
            .field("credentials", &self.inner.credentials)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `service` with `config`. The region falls back to
    /// `ALIBABA_CLOUD_REGION_ID`, then to the aliyun CLI profile's region; the endpoint is
    /// resolved now. Without configured credentials, the default chain is consulted at
    /// the first call.
    pub fn new(service: &'static ServiceInfo, config: Config) -> Result<Client, ConfigError> {
        let region = config
            .region
            .clone()
            .filter(|r| !r.is_empty())
            .or_else(|| config.environment.region());
        let endpoint = endpoint::resolve(
            service,
            region.as_deref(),
            config.network.as_deref(),
            config.endpoint.as_deref(),
        )?;
        let mut user_agent = format!(
            "AlibabaCloud ({}; {}) acsgen-runtime/{} {}/{}",
            std::env::consts::OS,
            std::env::consts::ARCH,
            env!("CARGO_PKG_VERSION"),
            service.crate_name,
            service.crate_version
        );
        if let Some(extra) = config.user_agent.as_deref().filter(|s| !s.is_empty()) {
            if !extra.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                return Err(ConfigError::InvalidUserAgent(extra.to_owned()));
            }
            user_agent.push(' ');
            user_agent.push_str(extra);
        }
        let http = config.build_http_client()?;
        let source: Arc<dyn ProvideCredentials> = match &config.credentials {
            Some(c) => Arc::clone(c),
            // The chain's STS, metadata and URI exchanges share the client's HTTP client.
            None => Arc::new(
                DefaultCredentialsChain::with_environment(config.environment.clone())
                    .provider_config(
                        ProviderConfig::from_config(&config).http_client(Arc::clone(&http)),
                    ),
            ),
        };
        let credentials = CredentialsCache::new(source);
        let transport = Transport::new(http);
        let limiter = config.rate_limit.clone().map(RateLimiter::new);
        Ok(Client {
            inner: Arc::new(Inner {
                service,
                config,
                region,
                endpoint,
                user_agent,
                credentials,
                transport,
                limiter,
            }),
        })
    }

    /// A client configured from the environment, with the default credential chain
    /// ([`DefaultCredentialsChain`]) checked now: no applicable source at all is an error
    /// here; the credential itself is fetched at the first call.
    pub fn from_env(service: &'static ServiceInfo) -> Result<Client, ConfigError> {
        Client::new(service, Config::from_env()?)
    }

    /// The service this client calls.
    pub fn service(&self) -> &'static ServiceInfo {
        self.inner.service
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The resolved region, if any.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The resolved endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The user-agent sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The credential cache every attempt asks (it wraps `Config::credentials`, or the
    /// default chain).
    pub fn credentials(&self) -> &CredentialsCache {
        &self.inner.credentials
    }

    /// Sends `op` and decodes its answer: `op.params()` -> [`Client::execute`] -> decode.
    pub async fn send<O: Operation>(
        &self,
        op: &O,
        options: &CallOptions,
    ) -> Result<O::Response, SdkError<O::Error>> {
        let params = op.params();
        finish::<O>(self.execute(O::INFO, &params, options).await)
    }

    /// Signs, sends and retries one operation call, classifying failures. Each attempt
    /// is re-signed with a fresh date and nonce, and bounded by the attempt timeout; the
    /// whole call is bounded by the operation timeout.
    pub async fn execute(
        &self,
        op: &'static OperationInfo,
        params: &Params,
        options: &CallOptions,
    ) -> Result<RawResponse, RawError> {
        self.run(op, params, options).await
    }

    /// Calls an operation the crate does not model: `action` (RPC style: `POST /`) with
    /// `params`, signed, retried and bounded like any call, its answer as JSON. The
    /// action name must be 1 to 128 ASCII letters, digits, `_`, `-` or `.`.
    ///
    /// Nothing is retried after a 5xx (the operation may write); use
    /// [`Client::call_raw_with`] to say it is read-only, or to set the method and path.
    pub async fn call_raw(
        &self,
        action: &str,
        params: Params,
    ) -> Result<serde_json::Value, SdkError<ServiceError>> {
        self.call_raw_with(RawOperation::new(action), params, CallOptions::new())
            .await
    }

    /// [`Client::call_raw`] with the method, path and read-only flag of `op` and call
    /// `options`.
    pub async fn call_raw_with(
        &self,
        op: RawOperation,
        params: Params,
        options: CallOptions,
    ) -> Result<serde_json::Value, SdkError<ServiceError>> {
        let info = op.info().map_err(SdkError::Build)?;
        let raw = self.run(&info, &params, &options).await?;
        decode_body(info.action, &raw.body).map_err(SdkError::Decode)
    }

    /// The one non-generic path of every call (generated operations, `call_raw`, the
    /// credential sources' STS calls): the retry loop under the operation timeout, in
    /// one tracing span.
    async fn run(
        &self,
        op: &OperationInfo,
        params: &Params,
        options: &CallOptions,
    ) -> Result<RawResponse, RawError> {
        let limits = Limits::new(options, &self.inner.config);
        let mut progress = Progress::default();
        // One span per call; `attempt` and `request_id` are filled in as they are known.
        let span = tracing::info_span!(
            "acs_call",
            product = self.inner.service.product,
            action = op.action,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let attempts = self.attempts(op, params, options, &limits, &mut progress);
        let outcome = tracing::Instrument::instrument(
            tokio::time::timeout(limits.operation_timeout, attempts),
            span.clone(),
        )
        .await;
        let request_id = match &outcome {
            Ok(Ok(response)) => response.request_id.as_deref(),
            Ok(Err(RawError::Service(e))) => Some(e.request_id.as_str()),
            _ => None,
        };
        if let Some(id) = request_id {
            span.record("request_id", crate::text::clip_string(id, 128, 0));
        }
        match outcome {
            Ok(result) => result,
            Err(_) => Err(RawError::Timeout(TimeoutError {
                action: op.action,
                kind: TimeoutKind::Operation,
                after: limits.operation_timeout,
                attempts: progress.attempts,
                last_error: progress.last_error.map(Box::new),
            })),
        }
    }

    /// The retry loop: attempts until one succeeds or [`RetryLoop::next`] says stop;
    /// `progress` is what an operation timeout reports when it cuts this short.
    async fn attempts(
        &self,
        op: &OperationInfo,
        params: &Params,
        options: &CallOptions,
        limits: &Limits,
        progress: &mut Progress,
    ) -> Result<RawResponse, RawError> {
        let retry_config = options.retry.as_ref().unwrap_or(&self.inner.config.retry);
        let retry = RetryLoop::start(retry_config, limits.operation_timeout, op.read_only);
        loop {
            progress.attempts += 1;
            let attempt = progress.attempts;
            tracing::Span::current().record("attempt", attempt);
            let error = match self.attempt(op, params, options, limits).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            let (wait, error) = retry.next(error, attempt)?;
            progress.last_error = Some(error);
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt, step by step.
    async fn attempt(
        &self,
        op: &OperationInfo,
        params: &Params,
        options: &CallOptions,
        limits: &Limits,
    ) -> Result<RawResponse, RawError> {
        let inner = &*self.inner;
        // 1. Rate limit: a token of the operation's bucket (when enabled).
        if let Some(limiter) = &inner.limiter {
            limiter.acquire(op.action, op.qps_limit).await;
        }
        // 2. Identity: the cached credential, refreshed when due.
        let credential = inner
            .credentials
            .provide()
            .await
            .map_err(RawError::Credentials)?;
        // 3 + 4. Build and sign, with a fresh date and nonce.
        let request = self.build_and_sign(op, params, options, &credential)?;
        // 5. Send, within the attempt timeout (the transport bounds reads and size).
        let exchange = inner.transport.send(request.into_http(), limits.bounds());
        let received = tokio::time::timeout(limits.attempt_timeout, exchange)
            .await
            .map_err(|_| attempt_timeout(op.action, limits.attempt_timeout))?;
        // 6. Classify: success, throttling, service, transport or size error.
        classify_exchange(op.action, &inner.endpoint.host, limits.max_body, received)
    }

    /// Steps 3 and 4 of an attempt: a fresh nonce and date, then [`Client::sign_request`].
    fn build_and_sign(
        &self,
        op: &OperationInfo,
        params: &Params,
        options: &CallOptions,
        credential: &Credential,
    ) -> Result<SignedRequest, RawError> {
        let nonce = signing::new_nonce().map_err(|e| {
            RawError::Build(BuildError {
                action: op.action,
                problem: format!("no randomness for the signature nonce: {e}"),
            })
        })?;
        let date = signing::now_timestamp();
        self.sign_request(op, params, options, credential, &date, &nonce)
            .map_err(RawError::Build)
    }

    /// Builds the complete signed request (URL, headers, body) for `params` with the
    /// given credential, date (`%Y-%m-%dT%H:%M:%SZ`) and nonce, without any I/O.
    pub fn sign_request(
        &self,
        op: &OperationInfo,
        params: &Params,
        options: &CallOptions,
        credential: &Credential,
        date: &str,
        nonce: &str,
    ) -> Result<SignedRequest, BuildError> {
        let inner = &*self.inner;
        let parts = Parts::collect(op, params, &inner.endpoint.host)?;
        let input = assemble::SignInput {
            service: inner.service,
            op,
            scheme: inner.endpoint.scheme.as_str(),
            user_agent: &inner.user_agent,
            options,
            credential,
            date,
            nonce,
        };
        Ok(match inner.config.signature_version {
            SignatureVersion::V3 => assemble::sign_v3(&input, parts, inner.config.signed_headers),
            SignatureVersion::RpcV1 => assemble::sign_rpc(&input, parts),
        })
    }
}
