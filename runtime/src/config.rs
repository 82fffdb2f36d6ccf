//! Client configuration ([`Config`]), per-call overrides ([`CallOptions`]) and the
//! environment source used for region and credential lookups ([`Environment`]).
//!
//! `config` sits above `identity` (a [`Credential`] or any [`ProvideCredentials`]),
//! `environment` ([`Environment`], re-exported here; its `region()` reads the CLI
//! profile through `profile_file`) and `http_client` ([`ProxyConfig`],
//! [`RootCertificate`], re-exported here); it never reaches the credential providers.
//! [`Config::from_env`] checks the default chain, so it is defined in `credentials`,
//! which builds on `config`.

use std::sync::Arc;
use std::time::Duration;

pub use crate::environment::{Environment, ENV_REGION_ID};
pub use crate::http_client::{ProxyConfig, RootCertificate};

use crate::error::ConfigError;
use crate::http_client::{HttpClient, ProxyMode, ReqwestHttpClient};
use crate::identity::{Credential, ProvideCredentials};
use crate::ratelimit::RateLimitConfig;
use crate::retry::RetryConfig;
use crate::signing::{SignatureVersion, SignedHeaderSet};

/// Default connect timeout (the official SDKs' value).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = crate::http_client::DEFAULT_CONNECT_TIMEOUT;
/// Default read timeout (the official SDKs' value).
pub const DEFAULT_READ_TIMEOUT: Duration = crate::http_client::DEFAULT_READ_TIMEOUT;
/// Default deadline of one attempt (send, wait, read the whole body): 3x the read
/// timeout, so a slow but steady answer completes and a trickling one does not hang.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default deadline of a whole call: default retries start their last attempt within
/// 60 s (`RetryConfig::max_total`), and that attempt gets its full 30 s, with margin.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(120);
/// Default limit of a response body: OpenAPI answers are paged JSON of kilobytes to a few
/// megabytes, so 32 MiB is never reached by a real one yet bounds memory per call.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Per-client settings. Build with [`Config::new`] and the chained setters.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Region id (`cn-shanghai`); else `ALIBABA_CLOUD_REGION_ID`, else the CLI profile's.
    pub region: Option<String>,
    /// Endpoint override: `host[:port]` or `http(s)://host[:port]`.
    pub endpoint: Option<String>,
    /// Network for rule-derived endpoints (`vpc`, ...); `None` is public.
    pub network: Option<String>,
    /// Credential source; `None` uses the default chain
    /// ([`DefaultCredentialsChain`](crate::credentials::DefaultCredentialsChain)).
    /// Either way the client keeps it behind a `CredentialsCache`.
    pub credentials: Option<Arc<dyn ProvideCredentials>>,
    /// V3 (default) or RPC v1 signatures.
    pub signature_version: SignatureVersion,
    /// Headers covered by V3 signatures.
    pub signed_headers: SignedHeaderSet,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Maximum wait for the answer's headers (counted from the start of the request) and
    /// then between reads of its body.
    pub read_timeout: Duration,
    /// Deadline of one attempt: sending, waiting and reading the whole body. A body
    /// trickling in slower than this fails with a `TimeoutKind::Attempt` error, which is
    /// retried only for read-only operations.
    pub attempt_timeout: Duration,
    /// Deadline of the whole call: every attempt, backoff sleeps and rate-limit waits.
    /// Passing it gives a `TimeoutKind::Operation` error, never retried; a retry whose
    /// wait would end past it is not made (the last failure is returned instead).
    pub operation_timeout: Duration,
    /// Largest response body read, in bytes. A larger `content-length` is refused before
    /// reading; a body that grows past it is cut off. Either way `BodyTooLarge`.
    pub max_response_bytes: usize,
    /// Retry policy.
    pub retry: RetryConfig,
    /// Client-side rate limiting from `OperationInfo::qps_limit`; `None` (default) is off.
    pub rate_limit: Option<RateLimitConfig>,
    /// Text appended to the user-agent.
    pub user_agent: Option<String>,
    /// Honour `HTTP(S)_PROXY` / `NO_PROXY` (default true) when no explicit `proxy` is set.
    pub use_system_proxy: bool,
    /// An explicit proxy for API calls, STS and credentials URIs (never the instance
    /// metadata service); it replaces the system proxy variables.
    pub proxy: Option<ProxyConfig>,
    /// Root certificates trusted besides the built-in webpki roots.
    pub root_certificates: Vec<RootCertificate>,
    /// The HTTP implementation; `None` builds a [`ReqwestHttpClient`] from the settings
    /// above. A given one is used as is (`proxy`, `root_certificates`, `use_system_proxy`
    /// are then its own business); the runtime still bounds every exchange.
    pub http_client: Option<Arc<dyn HttpClient>>,
    /// Source of environment variables and the home directory.
    pub environment: Environment,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            endpoint: None,
            network: None,
            credentials: None,
            signature_version: SignatureVersion::V3,
            signed_headers: SignedHeaderSet::Standard,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            attempt_timeout: DEFAULT_ATTEMPT_TIMEOUT,
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            retry: RetryConfig::default(),
            rate_limit: None,
            user_agent: None,
            use_system_proxy: true,
            proxy: None,
            root_certificates: Vec::new(),
            http_client: None,
            environment: Environment::process(),
        }
    }
}

impl Config {
    /// Defaults: V3 signing, 5 s connect / 10 s read timeouts, 30 s per attempt, 120 s
    /// per call, 32 MiB response bodies, 3 attempts, no rate limit, default credential
    /// chain, region from the environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the region.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets an endpoint override (`host[:port]` or `http(s)://host[:port]`).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets the network (`vpc`, ...) used by rule-derived endpoints.
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = Some(network.into());
        self
    }

    /// Sets the credential source (a [`Credential`] or any provider).
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Uses a static AccessKey pair.
    pub fn access_key(self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.credentials(Credential::new(id, secret))
    }

    /// Selects V3 or RPC v1 signatures.
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature_version = version;
        self
    }

    /// Selects the headers covered by V3 signatures.
    pub fn signed_headers(mut self, set: SignedHeaderSet) -> Self {
        self.signed_headers = set;
        self
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the read timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets the deadline of one attempt (send + whole answer).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Sets the deadline of a whole call (all attempts and waits).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = timeout;
        self
    }

    /// Sets the largest response body read, in bytes.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets the retry policy ([`RetryConfig::disabled`] for a single attempt).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Enables client-side rate limiting.
    pub fn rate_limit(mut self, rate_limit: RateLimitConfig) -> Self {
        self.rate_limit = Some(rate_limit);
        self
    }

    /// Appends text to the user-agent.
    pub fn user_agent(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent = Some(suffix.into());
        self
    }

    /// Whether to honour the system proxy variables.
    pub fn use_system_proxy(mut self, enabled: bool) -> Self {
        self.use_system_proxy = enabled;
        self
    }

    /// Sends API calls, STS and credentials URI requests through `proxy` (the instance
    /// metadata service is always reached directly).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Trusts `certificate` besides the built-in roots (checked by `Client::new`).
    pub fn add_root_certificate(mut self, certificate: RootCertificate) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    /// Uses `client` for every exchange (API calls and the credential sources the client
    /// builds), instead of a [`ReqwestHttpClient`] built from this configuration.
    pub fn http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Uses your own `reqwest::Client` (its timeouts, proxy and TLS settings) for every
    /// exchange but those with the instance metadata service.
    pub fn reqwest_client(self, client: reqwest::Client) -> Self {
        self.http_client(Arc::new(ReqwestHttpClient::with_client(client)))
    }

    /// Sets the environment source used for region and default-chain lookups.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// The HTTP client these settings describe: `http_client`, else a
    /// [`ReqwestHttpClient`] built from the proxy, certificates and timeouts.
    pub fn build_http_client(&self) -> Result<Arc<dyn HttpClient>, ConfigError> {
        match &self.http_client {
            Some(client) => Ok(Arc::clone(client)),
            None => Ok(Arc::new(ReqwestHttpClient::from_config(self)?)),
        }
    }
}

impl ReqwestHttpClient {
    /// The network settings of `config`: its proxy (explicit, system or none), extra
    /// root certificates and default timeouts. Fails on an invalid proxy URL or
    /// certificate, naming neither the proxy's credentials nor the certificate bytes.
    pub fn from_config(config: &Config) -> Result<ReqwestHttpClient, ConfigError> {
        let proxy = match &config.proxy {
            Some(p) => ProxyMode::Explicit(p.clone()),
            None if config.use_system_proxy => ProxyMode::System,
            None => ProxyMode::Off,
        };
        ReqwestHttpClient::from_settings(
            proxy,
            &config.root_certificates,
            config.connect_timeout,
            config.read_timeout,
        )
    }
}

/// Per-call overrides of the client [`Config`]. Timeouts that differ from the client's
/// use a separate connection pool (kept for reuse).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// Connect timeout for this call.
    pub connect_timeout: Option<Duration>,
    /// Read timeout for this call.
    pub read_timeout: Option<Duration>,
    /// Deadline of each attempt of this call.
    pub attempt_timeout: Option<Duration>,
    /// Deadline of this call as a whole.
    pub operation_timeout: Option<Duration>,
    /// Largest response body read for this call, in bytes.
    pub max_response_bytes: Option<usize>,
    /// Retry policy for this call.
    pub retry: Option<RetryConfig>,
    /// Extra headers; a name already set by the runtime (e.g. `user-agent`) is replaced.
    pub headers: Vec<(String, String)>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the connect timeout.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Overrides the read timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Overrides the deadline of each attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Overrides the deadline of the whole call.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// Overrides the largest response body read, in bytes.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Overrides the retry policy.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Adds (or replaces) a request header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_debug_never_shows_the_proxy_password() {
        let c = Config::new()
            .proxy(ProxyConfig::new("http://alice:s3cr%3At@proxy.example:3128"))
            .access_key("LTAIx", "SecretForConfigTest");
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cr") && !shown.contains("SecretForConfigTest"),
            "{shown}"
        );
    }

    #[test]
    fn defaults_match_the_official_sdks() {
        let c = Config::new();
        assert_eq!(c.connect_timeout, Duration::from_secs(5));
        assert_eq!(c.read_timeout, Duration::from_secs(10));
        assert_eq!(c.retry.max_attempts, 3);
        assert_eq!(c.signature_version, SignatureVersion::V3);
        assert!(c.rate_limit.is_none());
        assert_eq!(c.attempt_timeout, Duration::from_secs(30));
        assert_eq!(c.operation_timeout, Duration::from_secs(120));
        assert_eq!(c.max_response_bytes, 32 << 20);
        let o = CallOptions::new()
            .read_timeout(Duration::from_millis(5))
            .attempt_timeout(Duration::from_millis(6))
            .operation_timeout(Duration::from_millis(7))
            .max_response_bytes(8)
            .header("user-agent", "x");
        assert_eq!(o.read_timeout, Some(Duration::from_millis(5)));
        assert_eq!(o.attempt_timeout, Some(Duration::from_millis(6)));
        assert_eq!(o.operation_timeout, Some(Duration::from_millis(7)));
        assert_eq!(o.max_response_bytes, Some(8));
        assert_eq!(o.headers.len(), 1);
    }
}
