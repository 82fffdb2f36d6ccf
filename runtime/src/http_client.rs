//! The seam between the runtime and the network: [`HttpClient`] sends one HTTP request
//! and hands back the status, the headers and a body read chunk by chunk.
//!
//! The default implementation is [`ReqwestHttpClient`] (reqwest over rustls). Any other
//! implementation (the `test-util` mock, a client with custom TLS, a recording proxy) is
//! passed with [`Config::http_client`](crate::Config::http_client). Whatever the
//! implementation, the runtime itself bounds every exchange: the wait for the headers
//! and between body chunks (`read_timeout`), the whole attempt (`attempt_timeout`) and
//! the body size (`max_response_bytes`, checked against `content-length` before reading
//! and chunk by chunk while reading).

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::ConfigError;
use crate::identity::Secret;
use crate::service::Method;

// `config` re-exports these as `DEFAULT_CONNECT_TIMEOUT` / `DEFAULT_READ_TIMEOUT`.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub(crate) const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The future of [`HttpClient::call`]: resolves once the status and headers are in.
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'a>>;

/// The future of [`BodyStream::next_chunk`].
pub type ChunkFuture<'a> =
    Pin<Box<dyn Future<Output = Option<Result<Bytes, HttpError>>> + Send + 'a>>;

/// Sends HTTP requests for the runtime. Implementations only move bytes: signing,
/// retries, timeouts of the whole attempt and body limits are the runtime's.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request`; the future resolves when the answer's status and headers have
    /// arrived, and the body is read afterwards through [`HttpResponse::body`].
    fn call(&self, request: HttpRequest) -> HttpFuture<'_>;
}

/// One request to send, fully built and signed.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpRequest {
    /// HTTP method.
    pub method: Method,
    /// Full URL, query included.
    pub url: String,
    /// Headers (lower-case names), in order.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// Body bytes (empty when there is none).
    pub body: Vec<u8>,
    /// Connect timeout the runtime asks for (the default client applies it; the runtime
    /// bounds the whole wait for the headers anyway).
    pub connect_timeout: Duration,
    /// Read timeout the runtime asks for (enforced by the runtime too).
    pub read_timeout: Duration,
    /// Must not go through a proxy (the instance metadata service, a link-local address).
    pub direct: bool,
}

impl HttpRequest {
    /// A request with no headers or body and the default timeouts.
    pub fn new(method: Method, url: impl Into<String>) -> HttpRequest {
        HttpRequest {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            direct: false,
        }
    }

    /// The value of header `name` (compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The decoded query parameters, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = self.url.split_once('?').map_or("", |(_, q)| q);
        let query = query.split('#').next().unwrap_or("");
        form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The decoded parameters of a form body (`application/x-www-form-urlencoded`), in
    /// order; empty for any other body.
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        let form = self
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return Vec::new();
        }
        form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
}

// The STS token travels in a header (V3) or in the query (RPC): neither is shown.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.url.split('?').next().unwrap_or("");
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_ref()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &path)
            .field("header_names", &headers)
            .field("body_len", &self.body.len())
            .field("direct", &self.direct)
            .finish_non_exhaustive()
    }
}

/// An answer: status and headers, with the body still to read.
#[non_exhaustive]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body, read by the runtime chunk by chunk.
    pub body: ResponseBody,
}

impl HttpResponse {
    /// An answer with `status`, no headers and `body`.
    pub fn new(status: u16, body: impl Into<ResponseBody>) -> HttpResponse {
        HttpResponse {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    /// Adds a header; names and values that are not valid HTTP are skipped.
    pub fn header(mut self, name: &str, value: &str) -> HttpResponse {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.append(n, v);
        }
        self
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("header_count", &self.headers.len())
            .finish_non_exhaustive()
    }
}

/// A body read in chunks, for implementations that stream.
pub trait BodyStream: Send {
    /// The next chunk, `None` at the end.
    fn next_chunk(&mut self) -> ChunkFuture<'_>;
    /// The length the server declared, if any (checked before reading).
    fn content_length(&self) -> Option<u64> {
        None
    }
}

/// The body of an [`HttpResponse`]: bytes already in memory or a [`BodyStream`].
pub struct ResponseBody(BodyKind);

enum BodyKind {
    Full(Option<Bytes>),
    Stream(Box<dyn BodyStream>),
}

impl ResponseBody {
    /// An empty body.
    pub fn empty() -> ResponseBody {
        ResponseBody(BodyKind::Full(None))
    }

    /// A streamed body.
    pub fn stream(stream: impl BodyStream + 'static) -> ResponseBody {
        ResponseBody(BodyKind::Stream(Box::new(stream)))
    }

    /// The declared length: the size of bytes in memory, or the stream's.
    pub fn content_length(&self) -> Option<u64> {
        match &self.0 {
            BodyKind::Full(bytes) => Some(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            BodyKind::Stream(s) => s.content_length(),
        }
    }

    /// The next chunk, `None` at the end.
    pub async fn next_chunk(&mut self) -> Option<Result<Bytes, HttpError>> {
        match &mut self.0 {
            BodyKind::Full(bytes) => bytes.take().filter(|b| !b.is_empty()).map(Ok),
            BodyKind::Stream(s) => s.next_chunk().await,
        }
    }
}

impl From<Vec<u8>> for ResponseBody {
    fn from(bytes: Vec<u8>) -> ResponseBody {
        ResponseBody(BodyKind::Full(Some(Bytes::from(bytes))))
    }
}

impl From<Bytes> for ResponseBody {
    fn from(bytes: Bytes) -> ResponseBody {
        ResponseBody(BodyKind::Full(Some(bytes)))
    }
}

impl From<String> for ResponseBody {
    fn from(text: String) -> ResponseBody {
        ResponseBody::from(text.into_bytes())
    }
}

impl From<&str> for ResponseBody {
    fn from(text: &str) -> ResponseBody {
        ResponseBody::from(text.as_bytes().to_vec())
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseBody")
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

/// What kind of failure an [`HttpError`] is; decides retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpErrorKind {
    /// The request could not be built or was refused before sending (never retried).
    Build,
    /// No connection (refused, DNS, TLS); retried.
    Connect,
    /// The connection timed out; retried.
    ConnectTimeout,
    /// No answer or no data in time after sending; retried for read-only operations.
    Timeout,
    /// Anything else (I/O during the exchange); retried for read-only operations.
    Other,
}

/// Why an exchange failed. Its text never holds the URL (whose query may carry a token)
/// nor proxy credentials.
pub struct HttpError {
    kind: HttpErrorKind,
    source: Box<dyn StdError + Send + Sync>,
}

impl HttpError {
    /// A failure of `kind` caused by `source`.
    pub fn new(kind: HttpErrorKind, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        HttpError {
            kind,
            source: source.into(),
        }
    }

    /// Its kind.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// No connection was made.
    pub fn is_connect(&self) -> bool {
        matches!(
            self.kind,
            HttpErrorKind::Connect | HttpErrorKind::ConnectTimeout
        )
    }

    /// A deadline passed (connecting or waiting for data).
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.kind,
            HttpErrorKind::ConnectTimeout | HttpErrorKind::Timeout
        )
    }

    /// The underlying error.
    pub fn into_source(self) -> Box<dyn StdError + Send + Sync> {
        self.source
    }

    /// A reqwest error, without its URL.
    pub fn from_reqwest(error: reqwest::Error) -> HttpError {
        let kind = if error.is_builder() {
            HttpErrorKind::Build
        } else if error.is_connect() && error.is_timeout() {
            HttpErrorKind::ConnectTimeout
        } else if error.is_connect() {
            HttpErrorKind::Connect
        } else if error.is_timeout() {
            HttpErrorKind::Timeout
        } else {
            HttpErrorKind::Other
        };
        HttpError::new(kind, error.without_url())
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError")
            .field("kind", &self.kind)
            .field("source", &self.source)
            .finish()
    }
}

impl StdError for HttpError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.source()
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

/// Distinct (connect, read, direct) settings kept; per-call timeout overrides beyond
/// that evict the oldest client.
const MAX_CLIENTS: usize = 8;

type ClientKey = (Duration, Duration, bool);

/// How a [`ReqwestHttpClient`] reaches the network.
#[derive(Clone, Debug)]
pub(crate) enum ProxyMode {
    /// `HTTP(S)_PROXY` / `NO_PROXY`.
    System,
    /// Never.
    Off,
    /// This proxy.
    Explicit(ProxyConfig),
}

/// The default [`HttpClient`]: reqwest over rustls (ring, webpki roots plus any extra
/// root certificates), HTTP/1.1, redirects not followed.
///
/// Built from a [`Config`](crate::Config), it keeps one reqwest client (and connection pool) per
/// distinct (connect, read) timeout pair, since those are reqwest client settings, and
/// sends `direct` requests through a client without proxy. Wrapping your own
/// `reqwest::Client` ([`ReqwestHttpClient::with_client`]) uses it as configured (its own
/// timeouts and proxy) for every request but `direct` ones, which go through a default
/// client without proxy; the runtime's read, attempt and size bounds apply either way.
pub struct ReqwestHttpClient {
    proxy: ProxyMode,
    roots: Vec<reqwest::Certificate>,
    user: Option<reqwest::Client>,
    clients: Mutex<Vec<(ClientKey, reqwest::Client)>>,
}

impl fmt::Debug for ReqwestHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestHttpClient")
            .field("proxy", &self.proxy)
            .field("extra_roots", &self.roots.len())
            .field("user_client", &self.user.is_some())
            .finish_non_exhaustive()
    }
}

impl ReqwestHttpClient {
    /// Default settings: system proxy variables honoured, webpki roots.
    pub fn new() -> ReqwestHttpClient {
        ReqwestHttpClient {
            proxy: ProxyMode::System,
            roots: Vec::new(),
            user: None,
            clients: Mutex::new(Vec::new()),
        }
    }

    /// Built with these settings (`ReqwestHttpClient::from_config` in `config` gives
    /// them from a `Config`); the default client is built now, so TLS or proxy problems
    /// surface at construction.
    pub(crate) fn from_settings(
        proxy: ProxyMode,
        root_certificates: &[RootCertificate],
        connect_timeout: Duration,
        read_timeout: Duration,
    ) -> Result<ReqwestHttpClient, ConfigError> {
        let roots = root_certificates
            .iter()
            .map(RootCertificate::to_reqwest)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        let client = ReqwestHttpClient {
            proxy,
            roots,
            user: None,
            clients: Mutex::new(Vec::new()),
        };
        // Build the default client now so TLS or proxy problems surface at construction.
        client
            .client((connect_timeout, read_timeout, false))
            .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
        Ok(client)
    }

    /// Sends every request that is not `direct` through `client`, as configured.
    pub fn with_client(client: reqwest::Client) -> ReqwestHttpClient {
        ReqwestHttpClient {
            proxy: ProxyMode::Off,
            roots: Vec::new(),
            user: Some(client),
            clients: Mutex::new(Vec::new()),
        }
    }

    fn client(&self, key: ClientKey) -> Result<reqwest::Client, HttpError> {
        if let (Some(user), false) = (&self.user, key.2) {
            return Ok(user.clone());
        }
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, c)) = clients.iter().find(|(k, _)| *k == key) {
            return Ok(c.clone());
        }
        let (connect_timeout, read_timeout, direct) = key;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .read_timeout(read_timeout)
            // An API answer is never a redirect to follow; report it as received.
            .redirect(reqwest::redirect::Policy::none());
        for root in &self.roots {
            builder = builder.add_root_certificate(root.clone());
        }
        builder = match (&self.proxy, direct) {
            (ProxyMode::System, false) => builder,
            (ProxyMode::Explicit(p), false) => builder.proxy(p.to_reqwest()?),
            _ => builder.no_proxy(),
        };
        let client = builder.build().map_err(HttpError::from_reqwest)?;
        if clients.len() >= MAX_CLIENTS {
            clients.remove(0);
        }
        clients.push((key, client.clone()));
        Ok(client)
    }
}

impl Default for ReqwestHttpClient {
    fn default() -> Self {
        ReqwestHttpClient::new()
    }
}

impl HttpClient for ReqwestHttpClient {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        Box::pin(async move {
            let client = self.client((
                request.connect_timeout,
                request.read_timeout,
                request.direct,
            ))?;
            let mut headers = HeaderMap::with_capacity(request.headers.len());
            for (name, value) in request.headers {
                let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    HttpError::new(
                        HttpErrorKind::Build,
                        format!("invalid header name `{name}`"),
                    )
                })?;
                // Takes the String's buffer instead of copying it.
                let value = HeaderValue::try_from(value).map_err(|_| {
                    HttpError::new(
                        HttpErrorKind::Build,
                        format!("invalid value for header `{name}`"),
                    )
                })?;
                headers.append(name, value);
            }
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Delete => reqwest::Method::DELETE,
                Method::Patch => reqwest::Method::PATCH,
                Method::Head => reqwest::Method::HEAD,
            };
            let mut builder = client
                .request(method, request.url.as_str())
                .headers(headers);
            if !request.body.is_empty() {
                builder = builder.body(request.body);
            }
            let mut response = builder.send().await.map_err(HttpError::from_reqwest)?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            Ok(HttpResponse {
                status,
                headers,
                body: ResponseBody::stream(ReqwestBody(response)),
            })
        })
    }
}

struct ReqwestBody(reqwest::Response);

impl BodyStream for ReqwestBody {
    fn next_chunk(&mut self) -> ChunkFuture<'_> {
        Box::pin(async move {
            self.0
                .chunk()
                .await
                .map_err(HttpError::from_reqwest)
                .transpose()
        })
    }

    fn content_length(&self) -> Option<u64> {
        self.0.content_length()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let shown = format!("{p:?}");
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
}
