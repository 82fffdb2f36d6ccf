//! Client configuration ([`Config`]), per-call overrides ([`CallOptions`]) and the
//! environment source used for region and credential lookups ([`Environment`]).

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::{
    cli_config_location, CliConfig, Credential, DefaultCredentialsChain, ProvideCredentials,
    Secret, DEFAULT_METADATA_ENDPOINT, ENV_PROFILE,
};
use crate::error::ConfigError;
use crate::http_client::{HttpClient, HttpError, HttpErrorKind, ReqwestHttpClient};
use crate::ratelimit::RateLimitConfig;
use crate::retry::RetryConfig;
use crate::signing::{SignatureVersion, SignedHeaderSet};

/// Environment variable with the default region.
pub const ENV_REGION_ID: &str = "ALIBABA_CLOUD_REGION_ID";

/// Default connect timeout (the official SDKs' value).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default read timeout (the official SDKs' value).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default deadline of one attempt (send, wait, read the whole body): 3x the read
/// timeout, so a slow but steady answer completes and a trickling one does not hang.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default deadline of a whole call: default retries start their last attempt within
/// 60 s (`RetryConfig::max_total`), and that attempt gets its full 30 s, with margin.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(120);
/// Default limit of a response body: OpenAPI answers are paged JSON of kilobytes to a few
/// megabytes, so 32 MiB is never reached by a real one yet bounds memory per call.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Where environment variables, the home directory and the instance metadata service
/// are; injectable so tests never touch the process environment nor the network.
#[derive(Clone)]
pub struct Environment {
    lookup: Arc<Lookup>,
    home: Option<PathBuf>,
    metadata_endpoint: Option<String>,
}

impl Environment {
    /// The process environment; home from `HOME` (or `USERPROFILE`); the metadata
    /// service at `http://100.100.100.200`.
    pub fn process() -> Self {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Environment {
            lookup: Arc::new(|name| std::env::var(name).ok()),
            home,
            metadata_endpoint: Some(DEFAULT_METADATA_ENDPOINT.to_owned()),
        }
    }

    /// A custom source: `lookup` answers variable names, `home` is the home directory.
    /// It has no metadata service unless given one with
    /// [`Environment::with_metadata_endpoint`].
    pub fn new(
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        home: Option<PathBuf>,
    ) -> Self {
        Environment {
            lookup: Arc::new(lookup),
            home,
            metadata_endpoint: None,
        }
    }

    /// Sets where the instance metadata service answers (`http://host[:port]`).
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(endpoint.into());
        self
    }

    /// Where the instance metadata service answers, if this environment has one.
    pub fn metadata_endpoint(&self) -> Option<&str> {
        self.metadata_endpoint.as_deref()
    }

    /// The value of variable `name`, if set.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
    }

    /// The home directory, if known.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    /// Region from `ALIBABA_CLOUD_REGION_ID`, else the `region_id` of the selected aliyun
    /// CLI profile (`ALIBABA_CLOUD_CONFIG_FILE` or `~/.aliyun/config.json`; a missing or
    /// unreadable file just gives `None`).
    pub fn region(&self) -> Option<String> {
        if let Some(r) = self.var(ENV_REGION_ID).filter(|r| !r.is_empty()) {
            return Some(r);
        }
        let config = CliConfig::load(&cli_config_location(self)?).ok()?;
        let profile = config.select(self.var(ENV_PROFILE).as_deref()).ok()?;
        profile.region_id.clone().filter(|r| !r.is_empty())
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("home", &self.home)
            .field("metadata_endpoint", &self.metadata_endpoint)
            .finish_non_exhaustive()
    }
}

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
    /// Credential source; `None` uses the default chain ([`DefaultCredentialsChain`]).
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

    /// Defaults, with the default credential chain checked now (no network) so that
    /// having no source at all is reported here rather than on the first call. The
    /// credential itself is fetched at the first call, by the client's chain.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_environment(Environment::process())
    }

    /// As [`Config::from_env`], reading the given environment source.
    pub fn from_environment(environment: Environment) -> Result<Self, ConfigError> {
        DefaultCredentialsChain::with_environment(environment.clone()).check()?;
        Ok(Config {
            credentials: None,
            environment,
            ..Config::default()
        })
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

/// An explicit HTTP(S) proxy: its URL, optional basic authentication and hosts reached
/// directly. The password is never shown (`Debug` prints `***`), nor is any user
/// information given inside the URL.
#[derive(Clone)]
pub struct ProxyConfig {
    url: String,
    username: Option<String>,
    password: Option<Secret>,
    no_proxy: Vec<String>,
}

impl ProxyConfig {
    /// A proxy at `url` (`http://host:port`, `https://host:port`, or `host:port` for
    /// `http://host:port`). User information in
    /// the URL (`http://user:pass@host`) is taken out and used as basic authentication.
    pub fn new(url: impl Into<String>) -> ProxyConfig {
        let url = url.into();
        // reqwest reads `host:port` as `http://host:port`; so do we, so that user
        // information in it is found and taken out too.
        let url = if url.contains("://") {
            url
        } else {
            format!("http://{url}")
        };
        let (url, username, password) = match url.split_once("://") {
            Some((scheme, rest)) => {
                let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                match rest[..authority_end].rsplit_once('@') {
                    Some((userinfo, host)) => {
                        let (user, pass) = match userinfo.split_once(':') {
                            Some((u, p)) => (u, Some(p)),
                            None => (userinfo, None),
                        };
                        let decode = |s: &str| {
                            percent_encoding::percent_decode_str(s)
                                .decode_utf8_lossy()
                                .into_owned()
                        };
                        (
                            format!("{scheme}://{host}{}", &rest[authority_end..]),
                            Some(decode(user)),
                            Some(Secret::new(pass.map(decode).unwrap_or_default())),
                        )
                    }
                    None => (url.clone(), None, None),
                }
            }
            None => (url, None, None),
        };
        ProxyConfig {
            url,
            username,
            password,
            no_proxy: Vec::new(),
        }
    }

    /// Authenticates to the proxy with `username` and `password` (basic).
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self.password = Some(Secret::new(password));
        self
    }

    /// Hosts reached without the proxy, as `NO_PROXY` lists them: host names (a leading
    /// `.` or none matches subdomains too), IP addresses, CIDR blocks, `*` for all.
    pub fn no_proxy<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.no_proxy.extend(hosts.into_iter().map(Into::into));
        self
    }

    /// The proxy URL, without user information.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The basic-authentication user name, if any.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The hosts reached without the proxy.
    pub fn no_proxy_hosts(&self) -> &[String] {
        &self.no_proxy
    }

    pub(crate) fn to_reqwest(&self) -> Result<reqwest::Proxy, HttpError> {
        // reqwest's error would quote the URL; ours names no credential (there is none
        // left in `url`) and stays short.
        let mut proxy = reqwest::Proxy::all(self.url.as_str()).map_err(|_| {
            HttpError::new(
                HttpErrorKind::Build,
                format!(
                    "invalid proxy URL `{}`",
                    crate::text::clip_string(self.url.as_str(), 128, 0)
                ),
            )
        })?;
        if let Some(user) = &self.username {
            let password = self.password.as_ref().map_or("", Secret::expose_secret);
            proxy = proxy.basic_auth(user, password);
        }
        if !self.no_proxy.is_empty() {
            proxy = proxy.no_proxy(reqwest::NoProxy::from_string(&self.no_proxy.join(",")));
        }
        Ok(proxy)
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// A root certificate to trust, in PEM (one or several `CERTIFICATE` blocks).
#[derive(Clone)]
pub struct RootCertificate {
    pem: Vec<u8>,
}

impl RootCertificate {
    /// Certificates in PEM; checked when the client is built.
    pub fn from_pem(pem: impl Into<Vec<u8>>) -> RootCertificate {
        RootCertificate { pem: pem.into() }
    }

    /// The PEM bytes.
    pub fn pem(&self) -> &[u8] {
        &self.pem
    }

    pub(crate) fn to_reqwest(&self) -> Result<Vec<reqwest::Certificate>, ConfigError> {
        let certs = reqwest::Certificate::from_pem_bundle(&self.pem)
            .map_err(|e| ConfigError::HttpClient(format!("invalid root certificate: {e}")))?;
        if certs.is_empty() {
            return Err(ConfigError::HttpClient(
                "invalid root certificate: no PEM CERTIFICATE block".to_owned(),
            ));
        }
        Ok(certs)
    }
}

impl fmt::Debug for RootCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RootCertificate")
            .field("pem_len", &self.pem.len())
            .finish()
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
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)], home: Option<PathBuf>) -> Environment {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Environment::new(move |n| map.get(n).cloned(), home)
    }

    #[test]
    fn region_from_env_var_then_profile() {
        let home = std::env::temp_dir().join(format!("acsgen-runtime-cfg-{}", std::process::id()));
        std::fs::create_dir_all(home.join(".aliyun")).expect("mkdir");
        std::fs::write(
            home.join(".aliyun/config.json"),
            r#"{"current":"a","profiles":[{"name":"a","mode":"AK","region_id":"cn-beijing"},
                {"name":"b","mode":"AK","region_id":"cn-hangzhou"}]}"#,
        )
        .expect("write");
        assert_eq!(
            env(&[(ENV_REGION_ID, "eu-central-1")], Some(home.clone()))
                .region()
                .as_deref(),
            Some("eu-central-1")
        );
        assert_eq!(
            env(&[], Some(home.clone())).region().as_deref(),
            Some("cn-beijing")
        );
        assert_eq!(
            env(&[(ENV_PROFILE, "b")], Some(home.clone()))
                .region()
                .as_deref(),
            Some("cn-hangzhou")
        );
        assert_eq!(env(&[], None).region(), None);
        let _ = std::fs::remove_dir_all(home);
    }

    #[test]
    fn from_environment_reports_missing_credentials_early() {
        let err = Config::from_environment(env(&[], None)).expect_err("nothing configured");
        assert!(
            err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
            "{err}"
        );
        let ok = Config::from_environment(env(
            &[
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SecretForConfigTest"),
            ],
            None,
        ))
        .expect("env credentials");
        assert!(!format!("{ok:?}").contains("SecretForConfigTest"));
    }

    #[test]
    fn proxy_credentials_leave_the_url_and_never_show() {
        for url in [
            "http://alice:s3cr%3At@proxy.example:3128",
            "alice:s3cr%3At@proxy.example:3128",
        ] {
            let p = ProxyConfig::new(url).no_proxy(["localhost", ".internal"]);
            assert_eq!(p.url(), "http://proxy.example:3128");
            assert_eq!(p.username(), Some("alice"));
            assert_eq!(
                p.password.as_ref().map(Secret::expose_secret),
                Some("s3cr:t")
            );
            let shown = format!("{p:?} {:?}", Config::new().proxy(p.clone()));
            assert!(!shown.contains("s3cr"), "{shown}");
            assert!(p.to_reqwest().is_ok());
        }
        let p = ProxyConfig::new("http://proxy.example:3128").basic_auth("bob", "pw-SECRET");
        assert!(!format!("{p:?}").contains("pw-SECRET"));
        assert_eq!(p.no_proxy_hosts(), &[] as &[String]);
        let bad = ProxyConfig::new("http://bad host:1").basic_auth("bob", "pw-SECRET");
        let err = bad.to_reqwest().expect_err("invalid");
        assert!(!err.to_string().contains("pw-SECRET"), "{err}");
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
