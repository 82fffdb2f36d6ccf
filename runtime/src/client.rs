//! The client: builds and signs requests from [`Params`], sends them with retries and
//! rate limiting, and turns answers into typed results or [`SdkError`]s.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;

use crate::config::{CallOptions, Config};
use crate::credentials::{
    Credential, CredentialsCache, DefaultCredentialsChain, ProvideCredentials, ProviderConfig,
};
use crate::de::FromWire;
use crate::encoding::params::{Location, Params};
use crate::encoding::percent;
use crate::endpoint::{self, Endpoint};
use crate::error::{
    BodyTooLargeError, BuildError, ConfigError, DecodeError, RawError, ResponseError, SdkError,
    ServiceError, ThrottlingError, TimeoutError, TimeoutKind, TransportError, TransportErrorKind,
};
use crate::ratelimit::RateLimiter;
use crate::retry;
use crate::service::{Method, OperationInfo, ServiceInfo};
use crate::signing::{self, canonical_query, rpc, v3, SignatureVersion, SignedHeaderSet};
use crate::transport::{HttpResponse, SendError, Transport};

/// One API operation, implemented by generated request types.
///
/// Requests, responses and errors own their data and are `Send`, so a call's future
/// can be spawned on another task.
pub trait Operation: Send + Sync + 'static {
    /// The decoded 2xx body.
    type Response: FromWire + Send + 'static;
    /// The operation's typed service error.
    type Error: From<ServiceError> + std::error::Error + Send + Sync + 'static;
    /// Static description of the operation.
    const INFO: &'static OperationInfo;
    /// Error codes the operation documents. A throttling answer (retried as usual) whose
    /// code is listed comes back as the typed service error, not as
    /// [`SdkError::Throttling`].
    const DOCUMENTED_CODES: &'static [&'static str] = &[];
    /// The request's wire parameters.
    fn params(&self) -> Params;
}

/// A successful (2xx) answer, before decoding.
#[derive(Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// `x-acs-request-id` header, when present.
    pub request_id: Option<String>,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// The body is the server's (up to `max_response_bytes`): Debug shows its length and a
/// bounded, escaped start, never the whole of it.
impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let start = &self.body[..self.body.len().min(512)];
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body_len", &self.body.len())
            .field(
                "body_start",
                &crate::text::clip_string(String::from_utf8_lossy(start), 256, 0),
            )
            .finish()
    }
}

impl RawResponse {
    /// Decodes the JSON body into a serde type; errors name `action` and the failing
    /// field path.
    pub fn decode<T: DeserializeOwned>(&self, action: &'static str) -> Result<T, DecodeError> {
        decode_body(action, &self.body)
    }
}

/// Decodes a JSON response body into a generated response type (tolerant of numbers
/// and booleans sent as strings; see [`crate::de`]). An empty body decodes as `{}`.
/// Errors name `action`, the path of the failing field and an excerpt of the body.
pub fn decode_response<T: FromWire>(action: &'static str, body: &[u8]) -> Result<T, DecodeError> {
    let value: serde_json::Value = decode_body(action, body)?;
    T::from_wire(value).map_err(|error| DecodeError::shape(action, error, body))
}

/// Decodes a JSON response body into `T`. An empty body decodes as `{}`. Errors name
/// `action` and the JSON path of the failing field.
pub fn decode_body<T: DeserializeOwned>(
    action: &'static str,
    body: &[u8],
) -> Result<T, DecodeError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| DecodeError::new(action, e.path().to_string(), e.into_inner(), body))?;
    de.end()
        .map_err(|e| DecodeError::new(action, ".".to_owned(), e, body))?;
    Ok(value)
}

/// A fully built and signed request, ready to send; also exposes what was signed.
#[derive(Clone)]
pub struct SignedRequest {
    /// HTTP method.
    pub method: Method,
    /// Full URL; its query is exactly the signed canonical query.
    pub url: String,
    /// Headers to send (lower-case names), `host` and `authorization` included.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// Body bytes (empty when there is no body).
    pub body: Vec<u8>,
    /// V3: the canonical request. RPC: the canonicalized query string.
    pub canonical: String,
    /// The string that was signed.
    pub string_to_sign: String,
    /// The signature (hex for V3, Base64 for RPC).
    pub signature: String,
}

impl SignedRequest {
    /// The value of header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

// Hides the STS token, which travels in a header (V3) or in the query (RPC).
impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.url.split_once('?') {
            Some((base, query)) => {
                let redacted: Vec<String> = query
                    .split('&')
                    .map(|pair| match pair.split_once('=') {
                        Some(("SecurityToken", _)) => "SecurityToken=***".to_owned(),
                        _ => pair.to_owned(),
                    })
                    .collect();
                format!("{base}?{}", redacted.join("&"))
            }
            None => self.url.clone(),
        };
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let v = if n == "x-acs-security-token" {
                    "***"
                } else {
                    v.as_str()
                };
                (n.as_ref(), v)
            })
            .collect();
        let canonical = self
            .canonical
            .lines()
            .map(|l| match l.split_once(':') {
                Some(("x-acs-security-token", _)) => "x-acs-security-token:***",
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let canonical = match canonical.find("SecurityToken=") {
            // RPC canonical query: cut the token value out.
            Some(start) => {
                let value_start = start + "SecurityToken=".len();
                let end = canonical[value_start..]
                    .find('&')
                    .map_or(canonical.len(), |i| value_start + i);
                format!("{}***{}", &canonical[..value_start], &canonical[end..])
            }
            None => canonical,
        };
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .field("canonical", &canonical)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

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
        let source: Arc<dyn ProvideCredentials> = match &config.credentials {
            Some(c) => Arc::clone(c),
            None => Arc::new(
                DefaultCredentialsChain::with_environment(config.environment.clone())
                    .provider_config(ProviderConfig::from_config(&config)),
            ),
        };
        let credentials = CredentialsCache::new(source);
        let transport = Transport::new(&config)?;
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
        let config = &self.inner.config;
        let limits = Limits {
            connect_timeout: options.connect_timeout.unwrap_or(config.connect_timeout),
            read_timeout: options.read_timeout.unwrap_or(config.read_timeout),
            attempt_timeout: options.attempt_timeout.unwrap_or(config.attempt_timeout),
            operation_timeout: options
                .operation_timeout
                .unwrap_or(config.operation_timeout),
            max_body: options
                .max_response_bytes
                .unwrap_or(config.max_response_bytes),
        };
        let mut progress = Progress {
            attempts: 0,
            last_error: None,
        };
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

    /// The retry loop of [`Client::execute`]; `progress` is what an operation timeout
    /// reports when it cuts this short.
    async fn attempts(
        &self,
        op: &'static OperationInfo,
        params: &Params,
        options: &CallOptions,
        limits: &Limits,
        progress: &mut Progress,
    ) -> Result<RawResponse, RawError> {
        let inner = &*self.inner;
        let retry_config = options.retry.as_ref().unwrap_or(&inner.config.retry);
        let max_attempts = retry_config.max_attempts.max(1);
        let started = tokio::time::Instant::now();
        loop {
            progress.attempts += 1;
            let attempt = progress.attempts;
            if let Some(limiter) = &inner.limiter {
                limiter.acquire(op.action, op.qps_limit).await;
            }
            tracing::Span::current().record("attempt", attempt);
            let credential = inner
                .credentials
                .provide()
                .await
                .map_err(RawError::Credentials)?;
            let nonce = signing::new_nonce().map_err(|e| {
                RawError::Build(BuildError {
                    action: op.action,
                    problem: format!("no randomness for the signature nonce: {e}"),
                })
            })?;
            let date = signing::now_timestamp();
            let request = self
                .sign_request(op, params, options, &credential, &date, &nonce)
                .map_err(RawError::Build)?;
            let exchange = inner.transport.send(
                request,
                limits.connect_timeout,
                limits.read_timeout,
                limits.max_body,
            );
            let sent = tokio::time::timeout(limits.attempt_timeout, exchange).await;
            let error = match sent {
                Ok(Ok(response)) => match classify(op.action, response) {
                    Ok(ok) => return Ok(ok),
                    Err(e) => e,
                },
                Ok(Err(SendError::Build(problem))) => {
                    return Err(RawError::Build(BuildError {
                        action: op.action,
                        problem,
                    }))
                }
                Ok(Err(SendError::TooLarge(t))) => {
                    return Err(RawError::BodyTooLarge(BodyTooLargeError {
                        action: op.action,
                        status: t.status,
                        limit: limits.max_body,
                        content_length: t.content_length,
                        received: t.received,
                        request_id: t.request_id,
                    }))
                }
                // reqwest rejected the request itself (e.g. the URL): nothing was sent.
                Ok(Err(SendError::Http(e))) if e.is_builder() => {
                    return Err(RawError::Build(BuildError {
                        action: op.action,
                        problem: e.without_url().to_string(),
                    }))
                }
                Ok(Err(SendError::Http(e))) => {
                    RawError::Transport(transport_error(op.action, &inner.endpoint.host, e))
                }
                Err(_) => RawError::Timeout(TimeoutError {
                    action: op.action,
                    kind: TimeoutKind::Attempt,
                    after: limits.attempt_timeout,
                    attempts: 1,
                    last_error: None,
                }),
            };
            let error = with_attempts(error, attempt);
            tracing::debug!(attempt, error = %error, "attempt failed");
            if attempt >= max_attempts || !retry::is_retryable(&error, op.read_only) {
                return Err(error);
            }
            let wait = retry::delay(&error, retry_config, attempt - 1);
            let resume = started.elapsed().saturating_add(wait);
            // Neither budget can fit another attempt: report the real failure now rather
            // than sleep into a timeout.
            if resume > retry_config.max_total || resume >= limits.operation_timeout {
                return Err(error);
            }
            progress.last_error = Some(error);
            tokio::time::sleep(wait).await;
        }
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
        let input = SignInput {
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
            SignatureVersion::V3 => sign_v3(&input, parts, inner.config.signed_headers),
            SignatureVersion::RpcV1 => sign_rpc(&input, parts),
        })
    }
}

/// The operation-independent part of a call (sign, send, retry, classify), boxed so it
/// is compiled once in this crate rather than once per operation.
type RawFuture = Pin<Box<dyn Future<Output = Result<RawResponse, RawError>> + Send>>;

/// The future of one call, what generated `send` methods return. It owns everything it
/// needs (`'static`) and is `Send`, so it can be spawned.
///
/// A named type rather than an `impl Future` per operation: the compiler then checks one
/// opaque type less per operation, and the only per-operation code is the decoding in
/// `poll`, compiled where the call is awaited.
#[must_use = "futures do nothing unless awaited"]
pub struct ResponseFuture<O: Operation> {
    raw: RawFuture,
    // `fn() -> O`: the future neither holds nor drops an `O`, so `Send`, `Sync` and
    // `Unpin` do not depend on it.
    operation: PhantomData<fn() -> O>,
}

impl<O: Operation> Future for ResponseFuture<O> {
    type Output = Result<O::Response, SdkError<O::Error>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.raw.as_mut().poll(cx).map(finish::<O>)
    }
}

impl<O: Operation> fmt::Debug for ResponseFuture<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("action", &O::INFO.action)
            .finish_non_exhaustive()
    }
}

/// A request tied to a client: generated request types hold one and call
/// [`Bound::send_owned`]. Holds a clone of the client (an `Arc`), so a bound
/// request and its future borrow nothing.
#[derive(Clone, Debug)]
pub struct Bound {
    client: Client,
    options: CallOptions,
}

impl Bound {
    /// Binds to `client` with default call options.
    pub fn new(client: &Client) -> Bound {
        Bound {
            client: client.clone(),
            options: CallOptions::default(),
        }
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The call options.
    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// The call options, to change them.
    pub fn options_mut(&mut self) -> &mut CallOptions {
        &mut self.options
    }

    /// Sends `op` with these options.
    pub async fn send<O: Operation>(&self, op: &O) -> Result<O::Response, SdkError<O::Error>> {
        self.client.send(op, &self.options).await
    }

    /// Sends `op`, taking both by value: the future generated `send` methods return.
    /// The parameters are taken now; nothing is sent until the future is polled.
    pub fn send_owned<O: Operation>(self, op: O) -> ResponseFuture<O> {
        ResponseFuture {
            raw: execute_owned(self.client, O::INFO, op.params(), self.options),
            operation: PhantomData,
        }
    }
}

/// The last step of every call, borrowed or owned: `O`'s error, or the decoded body.
fn finish<O: Operation>(
    answer: Result<RawResponse, RawError>,
) -> Result<O::Response, SdkError<O::Error>> {
    let raw = answer.map_err(operation_error::<O>)?;
    decode_response(O::INFO.action, &raw.body).map_err(SdkError::Decode)
}

/// `raw` as `O`'s error: the `From<RawError>` mapping, except that a throttling answer
/// whose code `O` documents becomes its typed variant (after the retries it got).
pub fn operation_error<O: Operation>(raw: RawError) -> SdkError<O::Error> {
    match raw {
        RawError::Throttling(throttling) => match throttling.error {
            Some(error) if O::DOCUMENTED_CODES.contains(&error.code.as_str()) => {
                SdkError::Service(O::Error::from(*error))
            }
            error => SdkError::Throttling(ThrottlingError {
                error,
                ..throttling
            }),
        },
        other => other.into(),
    }
}

fn execute_owned(
    client: Client,
    op: &'static OperationInfo,
    params: Params,
    options: CallOptions,
) -> RawFuture {
    Box::pin(async move { client.execute(op, &params, &options).await })
}

/// Timeouts and limits of one call, from its `CallOptions` over the client's `Config`.
struct Limits {
    connect_timeout: std::time::Duration,
    read_timeout: std::time::Duration,
    attempt_timeout: std::time::Duration,
    operation_timeout: std::time::Duration,
    max_body: usize,
}

/// How far a call got, kept outside its future so an operation timeout can report it.
struct Progress {
    attempts: u32,
    last_error: Option<RawError>,
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

fn transport_error(action: &'static str, host: &str, error: reqwest::Error) -> TransportError {
    let kind = if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Other
    };
    TransportError {
        action,
        host: host.to_owned(),
        kind,
        timed_out: error.is_timeout(),
        attempts: 1,
        source: Box::new(error.without_url()),
    }
}

fn classify(action: &'static str, response: HttpResponse) -> Result<RawResponse, RawError> {
    if (200..300).contains(&response.status) {
        return Ok(RawResponse {
            status: response.status,
            request_id: response.request_id,
            body: response.body,
        });
    }
    let service = ServiceError::from_body(response.status, &response.body);
    let throttled =
        response.retry_after.is_some() || service.as_ref().is_some_and(ServiceError::is_throttling);
    if throttled {
        return Err(RawError::Throttling(ThrottlingError {
            action,
            status: response.status,
            error: service.map(Box::new),
            retry_after: response.retry_after,
            attempts: 1,
        }));
    }
    match service {
        Some(e) => Err(RawError::Service(Box::new(e))),
        None => Err(RawError::Response(ResponseError::new(
            action,
            response.status,
            response.content_type,
            &response.body,
        ))),
    }
}

struct SignInput<'a> {
    service: &'static ServiceInfo,
    op: &'a OperationInfo,
    scheme: &'a str,
    user_agent: &'a str,
    options: &'a CallOptions,
    credential: &'a Credential,
    date: &'a str,
    nonce: &'a str,
}

/// Parameters sorted by location, with host and path already applied.
struct Parts<'a> {
    host: String,
    path: String,
    query: Vec<(&'a str, &'a str)>,
    body: Vec<(&'a str, &'a str)>,
    headers: Vec<(String, &'a str)>,
}

impl<'a> Parts<'a> {
    fn collect(
        op: &OperationInfo,
        params: &'a Params,
        endpoint_host: &str,
    ) -> Result<Parts<'a>, BuildError> {
        let fail = |problem: String| BuildError {
            action: op.action,
            problem,
        };
        if let Some(e) = params.error() {
            return Err(fail(format!(
                "parameter `{}` cannot be serialized: {}",
                e.name, e.message
            )));
        }
        let mut parts = Parts {
            host: String::new(),
            path: String::new(),
            query: Vec::with_capacity(params.len()),
            body: Vec::new(),
            headers: Vec::new(),
        };
        let mut host_prefix = String::new();
        let mut path_params: Vec<(&str, &str)> = Vec::new();
        for p in params {
            let (name, value) = (p.name.as_ref(), p.value.as_str());
            match p.location {
                Location::Query => parts.query.push((name, value)),
                Location::Body => parts.body.push((name, value)),
                Location::Header => {
                    if name.is_empty() || !name.bytes().all(is_token_byte) {
                        return Err(fail(format!("`{name}` is not a valid header name")));
                    }
                    if !value
                        .bytes()
                        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
                    {
                        return Err(fail(format!(
                            "header parameter `{name}` must be printable ASCII"
                        )));
                    }
                    parts.headers.push((name.to_ascii_lowercase(), value));
                }
                Location::Host => {
                    let label_ok = !value.is_empty()
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
                    if !label_ok {
                        return Err(fail(format!(
                            "host parameter `{name}` = `{value}` is not a host label (letters, digits, '-')"
                        )));
                    }
                    host_prefix.push_str(value);
                    host_prefix.push('.');
                }
                Location::Path => path_params.push((name, value)),
            }
        }
        parts.host = host_prefix + endpoint_host;
        parts.path = fill_path(op.path, &path_params).map_err(fail)?;
        Ok(parts)
    }
}

// RFC 9110 token characters.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Replaces `{Name}` / `[Name]` in `template` with the percent-encoded value of the path
/// parameter `Name`; every placeholder needs a value and every value a placeholder.
fn fill_path(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut used = vec![false; values.len()];
    let mut rest = template;
    while let Some(start) = rest.find(['{', '[']) {
        let close = if rest.as_bytes()[start] == b'{' {
            '}'
        } else {
            ']'
        };
        let Some(len) = rest[start + 1..].find(close) else {
            return Err(format!("path `{template}` has an unclosed placeholder"));
        };
        let name = &rest[start + 1..start + 1 + len];
        let Some(i) = values.iter().position(|(n, _)| *n == name) else {
            return Err(format!(
                "path parameter `{name}` of `{template}` has no value"
            ));
        };
        used[i] = true;
        out.push_str(&rest[..start]);
        percent::encode_into(&mut out, values[i].1);
        rest = &rest[start + 2 + len..];
    }
    out.push_str(rest);
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(format!(
            "parameter `{}` is a path parameter but `{template}` has no placeholder for it",
            values[i].0
        ));
    }
    if out.is_empty() {
        out.push('/');
    }
    Ok(out)
}

type Headers = Vec<(Cow<'static, str>, String)>;

/// Sets `name` to `value`, replacing an existing header of that name.
fn set_header(headers: &mut Headers, name: &str, value: &str) {
    let name = name.to_ascii_lowercase();
    match headers.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value.to_owned(),
        None => headers.push((Cow::Owned(name), value.to_owned())),
    }
}

fn form_body(pairs: &mut [(&str, &str)]) -> Vec<u8> {
    pairs.sort_unstable();
    let mut out = String::with_capacity(pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent::form_encode_into(&mut out, k);
        out.push('=');
        percent::form_encode_into(&mut out, v);
    }
    out.into_bytes()
}

const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

fn sign_v3(
    input: &SignInput<'_>,
    mut parts: Parts<'_>,
    selection: SignedHeaderSet,
) -> SignedRequest {
    let body = if parts.body.is_empty() {
        Vec::new()
    } else {
        form_body(&mut parts.body)
    };
    let content_sha256 = v3::hash_payload(&body);
    let query = canonical_query(&parts.query);
    let mut headers: Headers = Vec::with_capacity(12 + parts.headers.len());
    let mut add = |n: &'static str, v: &str| headers.push((Cow::Borrowed(n), v.to_owned()));
    add("host", &parts.host);
    add("x-acs-version", input.service.version);
    add("x-acs-action", input.op.action);
    add("user-agent", input.user_agent);
    add("x-acs-date", input.date);
    add("x-acs-signature-nonce", input.nonce);
    add("accept", "application/json");
    if !body.is_empty() {
        add("content-type", FORM_CONTENT_TYPE);
    }
    add("x-acs-content-sha256", &content_sha256);
    if let Some(token) = input.credential.security_token() {
        add("x-acs-accesskey-id", input.credential.access_key_id());
        add("x-acs-security-token", token.expose_secret());
    }
    for (name, value) in &parts.headers {
        set_header(&mut headers, name, value);
    }
    for (name, value) in &input.options.headers {
        set_header(&mut headers, name, value);
    }
    let signature = {
        let refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_ref(), v.as_str()))
            .collect();
        v3::sign(
            &v3::V3Request {
                method: input.op.method.as_str(),
                canonical_uri: &parts.path,
                canonical_query: &query,
                headers: &refs,
                hashed_payload: &content_sha256,
            },
            selection,
            input.credential,
        )
    };
    headers.push((Cow::Borrowed("authorization"), signature.authorization));
    SignedRequest {
        method: input.op.method,
        url: url(input.scheme, &parts.host, &parts.path, &query),
        headers,
        body,
        canonical: signature.canonical_request,
        string_to_sign: signature.string_to_sign,
        signature: signature.signature,
    }
}

fn sign_rpc(input: &SignInput<'_>, mut parts: Parts<'_>) -> SignedRequest {
    let credential = input.credential;
    let mut sent: Vec<(&str, &str)> = Vec::with_capacity(parts.query.len() + 9);
    sent.extend_from_slice(&parts.query);
    sent.push(("Action", input.op.action));
    sent.push(("Format", "json"));
    sent.push(("Version", input.service.version));
    sent.push(("Timestamp", input.date));
    sent.push(("SignatureNonce", input.nonce));
    sent.push(("SignatureMethod", "HMAC-SHA1"));
    sent.push(("SignatureVersion", "1.0"));
    sent.push(("AccessKeyId", credential.access_key_id()));
    if let Some(token) = credential.security_token() {
        sent.push(("SecurityToken", token.expose_secret()));
    }
    let url_query = canonical_query(&sent);
    // Body parameters are signed but stay in the body.
    let (signed, body) = if parts.body.is_empty() {
        let signed =
            rpc::sign_canonical(input.op.method.as_str(), "/", url_query.clone(), credential);
        (signed, Vec::new())
    } else {
        let mut all = sent.clone();
        all.extend_from_slice(&parts.body);
        let signed = rpc::sign(input.op.method.as_str(), "/", &all, credential);
        (signed, form_body(&mut parts.body))
    };
    let mut query = url_query;
    query.push_str("&Signature=");
    percent::encode_into(&mut query, &signed.signature);

    let mut headers: Headers = Vec::with_capacity(6 + parts.headers.len());
    let mut add = |n: &'static str, v: &str| headers.push((Cow::Borrowed(n), v.to_owned()));
    add("host", &parts.host);
    add("x-acs-version", input.service.version);
    add("x-acs-action", input.op.action);
    add("user-agent", input.user_agent);
    if !body.is_empty() {
        add("content-type", FORM_CONTENT_TYPE);
    }
    for (name, value) in &parts.headers {
        set_header(&mut headers, name, value);
    }
    for (name, value) in &input.options.headers {
        set_header(&mut headers, name, value);
    }
    SignedRequest {
        method: input.op.method,
        url: url(input.scheme, &parts.host, &parts.path, &query),
        headers,
        body,
        canonical: signed.canonicalized_query,
        string_to_sign: signed.string_to_sign,
        signature: signed.signature,
    }
}

fn url(scheme: &str, host: &str, path: &str, query: &str) -> String {
    let mut url =
        String::with_capacity(scheme.len() + 3 + host.len() + path.len() + query.len() + 1);
    url.push_str(scheme);
    url.push_str("://");
    url.push_str(host);
    url.push_str(path);
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Environment;
    use crate::service::{EndpointRule, Scheme};
    use serde::Deserialize;
    use std::time::Duration;

    static SVC: ServiceInfo = ServiceInfo {
        product: "live",
        version: "2016-11-01",
        endpoint_rule: EndpointRule::Regional,
        default_endpoint: "live.aliyuncs.com",
        endpoint_map: &[("cn-shanghai", "live.aliyuncs.com")],
        scheme: Scheme::Https,
        crate_name: "alibabacloud-live",
        crate_version: "9.9.9",
    };

    static PATH_OP: OperationInfo = OperationInfo {
        action: "GetThing",
        method: Method::Get,
        path: "/apps/{AppId}/items/[Item]",
        read_only: true,
        qps_limit: None,
    };

    fn client(config: Config) -> Client {
        let config = config
            .region("cn-shanghai")
            .environment(Environment::new(|_| None, None));
        Client::new(&SVC, config).expect("client")
    }

    const DATE: &str = "2024-05-06T07:08:09Z";
    const NONCE: &str = "1e4c0aa5b2d34f6a8e9f0123456789ab";

    #[test]
    fn user_agent_names_runtime_and_generated_crate() {
        let c = client(Config::new().user_agent("myapp/1"));
        let ua = c.user_agent();
        assert!(
            ua.contains(&format!("acsgen-runtime/{}", env!("CARGO_PKG_VERSION"))),
            "{ua}"
        );
        assert!(
            ua.contains("alibabacloud-live/9.9.9") && ua.ends_with(" myapp/1"),
            "{ua}"
        );
        let err = Client::new(
            &SVC,
            Config::new().region("cn-shanghai").user_agent("bad\n"),
        )
        .expect_err("control char");
        assert!(matches!(err, ConfigError::InvalidUserAgent(_)));
    }

    #[test]
    fn host_path_and_header_parameters_are_placed() {
        let c = client(Config::new());
        let mut p = Params::default();
        p.push(Location::Path, "AppId", "my app/1".into());
        p.push(Location::Path, "Item", "x".into());
        p.push(Location::Host, "Bucket", "bkt-1".into());
        p.push(Location::Header, "X-Acs-Trace", "t1".into());
        p.push(Location::Header, "If-Match", "etag".into());
        p.push(Location::Query, "Q", "a b".into());
        let cred = Credential::new("id", "secret");
        let r = c
            .sign_request(&PATH_OP, &p, &CallOptions::new(), &cred, DATE, NONCE)
            .expect("built");
        assert_eq!(
            r.url,
            "https://bkt-1.live.aliyuncs.com/apps/my%20app%2F1/items/x?Q=a%20b"
        );
        assert_eq!(r.header("host"), Some("bkt-1.live.aliyuncs.com"));
        assert_eq!(r.header("x-acs-trace"), Some("t1"));
        assert_eq!(r.header("if-match"), Some("etag"));
        assert!(r
            .canonical
            .starts_with("GET\n/apps/my%20app%2F1/items/x\nQ=a%20b\n"));
        // x-acs-* header parameters are signed, others are not.
        let signed = r.header("authorization").expect("auth");
        assert!(
            signed.contains("x-acs-trace") && !signed.contains("if-match"),
            "{signed}"
        );
    }

    #[test]
    fn bad_parameters_are_build_errors_naming_them() {
        let c = client(Config::new());
        let cred = Credential::new("id", "secret");
        let build = |p: &Params| {
            c.sign_request(&PATH_OP, p, &CallOptions::new(), &cred, DATE, NONCE)
                .expect_err("invalid")
                .to_string()
        };
        let mut p = Params::default();
        p.push(Location::Path, "AppId", "a".into());
        assert!(build(&p).contains("`Item`"));
        p.push(Location::Path, "Item", "b".into());
        p.push(Location::Path, "Extra", "c".into());
        assert!(build(&p).contains("`Extra`"));

        let mut p = Params::default();
        p.push(Location::Path, "AppId", "a".into());
        p.push(Location::Path, "Item", "b".into());
        let mut with_header = p.clone();
        with_header.push(Location::Header, "x-acs-x", "line\nbreak".into());
        assert!(build(&with_header).contains("`x-acs-x`"));
        let mut with_host = p.clone();
        with_host.push(Location::Host, "Bucket", "evil.com/".into());
        assert!(build(&with_host).contains("`Bucket`"));
    }

    #[test]
    fn call_option_headers_replace_runtime_headers() {
        let c = client(Config::new());
        let op = OperationInfo {
            action: "A",
            method: Method::Post,
            path: "/",
            read_only: false,
            qps_limit: None,
        };
        let r = c
            .sign_request(
                &op,
                &Params::default(),
                &CallOptions::new().header("User-Agent", "custom"),
                &Credential::new("id", "secret"),
                DATE,
                NONCE,
            )
            .expect("built");
        assert_eq!(r.header("user-agent"), Some("custom"));
        assert_eq!(
            r.headers.iter().filter(|(n, _)| n == "user-agent").count(),
            1
        );
        assert_eq!(r.url, "https://live.aliyuncs.com/");
    }

    #[test]
    fn debug_of_signed_requests_hides_the_security_token() {
        let token = "CAISTokenThatMustNotLeak";
        let cred = Credential::with_security_token("STS.id", "secret-xyz", token);
        let op = OperationInfo {
            action: "A",
            method: Method::Post,
            path: "/",
            read_only: false,
            qps_limit: None,
        };
        for version in [SignatureVersion::V3, SignatureVersion::RpcV1] {
            let c = client(Config::new().signature_version(version));
            let r = c
                .sign_request(
                    &op,
                    &Params::default(),
                    &CallOptions::new(),
                    &cred,
                    DATE,
                    NONCE,
                )
                .expect("built");
            let text = format!("{r:?}");
            assert!(!text.contains(token), "{version:?}: {text}");
            assert!(!text.contains("secret-xyz"));
            assert!(text.contains("***"));
        }
    }

    #[derive(Debug, Deserialize)]
    struct Seed {
        #[serde(rename = "RequestId")]
        _request_id: String,
        #[serde(rename = "GroupId")]
        group_id: String,
    }

    #[test]
    fn decode_errors_name_action_and_field_path() {
        let ok: Seed = decode_body(
            "A",
            br#"{"RequestId":"B95BE680-5A6A-1CAD-8AB1-09DFF5D6****","GroupId":"grouptest"}"#,
        )
        .expect("decodes");
        assert_eq!(ok.group_id, "grouptest");
        let err = decode_body::<Seed>("RecoverGroup", br#"{"RequestId":"r","GroupId":5}"#)
            .expect_err("wrong type");
        assert_eq!(err.path, "GroupId");
        let text = err.to_string();
        assert!(
            text.contains("RecoverGroup") && text.contains("`GroupId`"),
            "{text}"
        );
        let err = decode_body::<Seed>("A", b"<html>").expect_err("not json");
        assert!(err.to_string().contains("cannot decode the A response"));
        let err = decode_body::<Seed>("A", br#"{"RequestId":"r","GroupId":"g"} x"#)
            .expect_err("trailing");
        assert_eq!(err.path, ".");
        #[derive(Deserialize)]
        struct Empty {}
        assert!(decode_body::<Empty>("A", b"").is_ok());
    }

    #[test]
    fn classify_splits_throttling_service_and_non_json_errors() {
        let resp = |status, retry_after, body: &str| HttpResponse {
            status,
            retry_after,
            content_type: Some("text/html".into()),
            request_id: None,
            body: body.as_bytes().to_vec(),
        };
        assert!(classify("A", resp(200, None, "{}")).is_ok());
        let e = classify(
            "A",
            resp(400, None, r#"{"Code":"Throttling.User","Message":"m"}"#),
        );
        assert!(matches!(e, Err(RawError::Throttling(t)) if t.retry_after.is_none()));
        let e = classify(
            "A",
            resp(503, Some(Duration::from_millis(5)), "<html>busy</html>"),
        );
        assert!(matches!(e, Err(RawError::Throttling(t)) if t.error.is_none() && t.status == 503));
        let e = classify("A", resp(404, None, r#"{"Code":"NotFound","Message":"m"}"#));
        assert!(matches!(e, Err(RawError::Service(s)) if s.code == "NotFound"));
        let e = classify("A", resp(502, None, "<html>bad gateway</html>"));
        assert!(matches!(e, Err(RawError::Response(r)) if r.body_prefix.contains("bad gateway")));
    }
}
