//! HTTP exchange over reqwest (rustls, HTTP/1.1). Kept apart from signing so a signed
//! request can be built and inspected without I/O.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::client::SignedRequest;
use crate::config::Config;
use crate::error::ConfigError;
use crate::service::Method;

/// Distinct (connect, read) timeout pairs kept; per-call overrides beyond that evict the
/// oldest client.
const MAX_CLIENTS: usize = 8;

type Timeouts = (Duration, Duration);

/// An answer as received.
pub(crate) struct HttpResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub content_type: Option<String>,
    pub request_id: Option<String>,
    pub body: Vec<u8>,
}

/// Why an exchange failed.
pub(crate) enum SendError {
    /// A header could not be represented (the request was not sent).
    Build(String),
    /// reqwest failed (connect, timeout, I/O).
    Http(reqwest::Error),
}

/// reqwest clients per timeout pair: connect and read timeouts are client settings in
/// reqwest, so a per-call override needs its own client (and connection pool).
pub(crate) struct Transport {
    use_system_proxy: bool,
    clients: Mutex<Vec<(Timeouts, reqwest::Client)>>,
}

impl Transport {
    pub(crate) fn new(config: &Config) -> Result<Transport, ConfigError> {
        let transport = Transport {
            use_system_proxy: config.use_system_proxy,
            clients: Mutex::new(Vec::new()),
        };
        // Build the default client now so TLS or proxy problems surface at construction.
        transport
            .client((config.connect_timeout, config.read_timeout))
            .map_err(|e| ConfigError::HttpClient(e.to_string()))?;
        Ok(transport)
    }

    fn client(&self, timeouts: Timeouts) -> Result<reqwest::Client, reqwest::Error> {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, c)) = clients.iter().find(|(t, _)| *t == timeouts) {
            return Ok(c.clone());
        }
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeouts.0)
            .read_timeout(timeouts.1)
            // An API answer is never a redirect to follow; report it as received.
            .redirect(reqwest::redirect::Policy::none());
        if !self.use_system_proxy {
            builder = builder.no_proxy();
        }
        let client = builder.build()?;
        if clients.len() >= MAX_CLIENTS {
            clients.remove(0);
        }
        clients.push((timeouts, client.clone()));
        Ok(client)
    }

    pub(crate) async fn send(
        &self,
        request: SignedRequest,
        connect_timeout: Duration,
        read_timeout: Duration,
    ) -> Result<HttpResponse, SendError> {
        let client = self
            .client((connect_timeout, read_timeout))
            .map_err(SendError::Http)?;
        let mut headers = HeaderMap::with_capacity(request.headers.len());
        for (name, value) in request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| SendError::Build(format!("invalid header name `{name}`")))?;
            // Takes the String's buffer instead of copying it.
            let value = HeaderValue::try_from(value)
                .map_err(|_| SendError::Build(format!("invalid value for header `{name}`")))?;
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
        let response = builder.send().await.map_err(SendError::Http)?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let retry_after = header("x-acs-retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis);
        let content_type = header("content-type");
        let request_id = header("x-acs-request-id");
        let body = response.bytes().await.map_err(SendError::Http)?;
        Ok(HttpResponse {
            status,
            retry_after,
            content_type,
            request_id,
            body: body.into(),
        })
    }
}
