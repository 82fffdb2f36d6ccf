//! HTTP exchange over reqwest (rustls, HTTP/1.1). Kept apart from signing so a signed
//! request can be built and inspected without I/O.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::client::SignedRequest;
use crate::config::Config;
use crate::error::ConfigError;
use crate::service::Method;
use crate::text::truncate;

/// Distinct (connect, read) timeout pairs kept; per-call overrides beyond that evict the
/// oldest client.
const MAX_CLIENTS: usize = 8;

type Timeouts = (Duration, Duration);

/// Header values kept in responses and errors (request id, content type) are cut to this:
/// real ones are under 64 bytes, and a server may send hundreds of kilobytes.
const HEADER_TEXT_LIMIT: usize = 128;

/// Most body capacity reserved up front from a declared `content-length`: a server may
/// declare a large length and send nothing.
const INITIAL_BODY_CAPACITY: u64 = 256 * 1024;

/// An answer as received.
pub(crate) struct HttpResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub content_type: Option<String>,
    pub request_id: Option<String>,
    pub body: Vec<u8>,
}

/// An answer whose body exceeded the limit; what was read is dropped.
pub(crate) struct TooLarge {
    pub status: u16,
    pub content_length: Option<u64>,
    pub received: u64,
    pub request_id: Option<String>,
}

/// Why an exchange failed.
pub(crate) enum SendError {
    /// A header could not be represented (the request was not sent).
    Build(String),
    /// The body is larger than the limit (refused from `content-length` or cut short).
    TooLarge(TooLarge),
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
        max_body: usize,
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
        let mut response = builder.send().await.map_err(SendError::Http)?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| truncate(v.to_owned(), HEADER_TEXT_LIMIT))
        };
        let retry_after = header("x-acs-retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis);
        let content_type = header("content-type");
        let request_id = header("x-acs-request-id");
        let content_length = response.content_length();
        let too_large = |received: u64, request_id: Option<String>| {
            SendError::TooLarge(TooLarge {
                status,
                content_length,
                received,
                request_id,
            })
        };
        // Refuse a declared oversize body before reading any of it.
        if content_length.is_some_and(|len| len > max_body as u64) {
            return Err(too_large(0, request_id));
        }
        // Chunk by chunk, so an endless body stops at the limit instead of exhausting
        // memory; dropping `response` early closes the connection.
        let capacity = content_length.map_or(0, |len| len.min(INITIAL_BODY_CAPACITY) as usize);
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response.chunk().await.map_err(SendError::Http)? {
            let received = body.len().saturating_add(chunk.len());
            if received > max_body {
                return Err(too_large(received as u64, request_id));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            retry_after,
            content_type,
            request_id,
            body,
        })
    }
}
