//! One bounded HTTP exchange over any [`HttpClient`]: the runtime, not the
//! implementation, enforces the read timeout (the wait for the headers, then between
//! two body chunks) and the body limit (a declared oversize `content-length` is refused
//! before reading; a body growing past the limit is cut off). The attempt deadline is
//! the caller's (`tokio::time::timeout` around [`Transport::send`]).

use std::sync::Arc;
use std::time::Duration;

use crate::http_client::{HttpClient, HttpError, HttpErrorKind, HttpRequest};
use crate::text::truncate;

/// Header values kept in responses and errors (request id, content type) are cut to this:
/// real ones are under 64 bytes, and a server may send hundreds of kilobytes.
const HEADER_TEXT_LIMIT: usize = 128;

/// Response headers a successful answer keeps for the operation to read (an `ETag`, say):
/// at most this many, each value at most [`KEPT_HEADER_VALUE_LIMIT`] bytes of visible
/// ASCII; longer or binary values are dropped rather than cut, so a value read is whole.
const KEPT_HEADERS: usize = 64;
const KEPT_HEADER_VALUE_LIMIT: usize = 8 * 1024;
/// A custom `HttpClient` may hand over any header map: names are bounded too.
const KEPT_HEADER_NAME_LIMIT: usize = 256;

/// Most body capacity reserved up front from a declared `content-length`: a server may
/// declare a large length and send nothing.
const INITIAL_BODY_CAPACITY: u64 = 256 * 1024;

/// An answer as received.
pub(crate) struct Received {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub content_type: Option<String>,
    pub request_id: Option<String>,
    /// Lowercase names and values (see [`KEPT_HEADERS`]), in the order received.
    pub headers: Vec<(String, String)>,
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
    /// The body is larger than the limit (refused from `content-length` or cut short).
    TooLarge(TooLarge),
    /// The exchange failed (build, connect, timeout, I/O).
    Http(HttpError),
}

/// Bounds of one exchange.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bounds {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub max_body: usize,
}

/// The runtime's side of the [`HttpClient`] seam.
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    http: Arc<dyn HttpClient>,
}

impl Transport {
    pub(crate) fn new(http: Arc<dyn HttpClient>) -> Transport {
        Transport { http }
    }

    pub(crate) async fn send(
        &self,
        mut request: HttpRequest,
        bounds: Bounds,
    ) -> Result<Received, SendError> {
        request.connect_timeout = bounds.connect_timeout;
        request.read_timeout = bounds.read_timeout;
        // The implementation applies the connect timeout; the headers must follow within
        // the read timeout (reqwest's own read timeout usually fires first).
        let wait = bounds.connect_timeout.saturating_add(bounds.read_timeout);
        let mut response = match tokio::time::timeout(wait, self.http.call(request)).await {
            Ok(answer) => answer.map_err(SendError::Http)?,
            Err(_) => return Err(SendError::Http(read_timeout(wait, "the answer"))),
        };
        let status = response.status;
        let header = |name: &str| {
            response
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| truncate(v.to_owned(), HEADER_TEXT_LIMIT))
        };
        let retry_after = header("x-acs-retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|ms| *ms > 0)
            .map(Duration::from_millis);
        let headers = kept_headers(&response.headers);
        let content_type = header("content-type");
        let request_id = header("x-acs-request-id").or_else(|| header("x-fc-request-id"));
        let content_length = response
            .body
            .content_length()
            .or_else(|| header("content-length").and_then(|v| v.trim().parse::<u64>().ok()));
        let too_large = |received: u64, request_id: Option<String>| {
            SendError::TooLarge(TooLarge {
                status,
                content_length,
                received,
                request_id,
            })
        };
        // Refuse a declared oversize body before reading any of it.
        if content_length.is_some_and(|len| len > bounds.max_body as u64) {
            return Err(too_large(0, request_id));
        }
        // Chunk by chunk, so an endless body stops at the limit instead of exhausting
        // memory; dropping the body early closes the connection.
        let capacity = content_length.map_or(0, |len| len.min(INITIAL_BODY_CAPACITY) as usize);
        let mut body = Vec::with_capacity(capacity);
        loop {
            let chunk =
                match tokio::time::timeout(bounds.read_timeout, response.body.next_chunk()).await {
                    Ok(Some(chunk)) => chunk.map_err(SendError::Http)?,
                    Ok(None) => break,
                    Err(_) => {
                        return Err(SendError::Http(read_timeout(
                            bounds.read_timeout,
                            "the next part of the body",
                        )))
                    }
                };
            let received = body.len().saturating_add(chunk.len());
            if received > bounds.max_body {
                return Err(too_large(received as u64, request_id));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Received {
            status,
            retry_after,
            content_type,
            request_id,
            headers,
            body,
        })
    }
}

fn kept_headers(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, value)| {
            name.as_str().len() <= KEPT_HEADER_NAME_LIMIT && value.len() <= KEPT_HEADER_VALUE_LIMIT
        })
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .take(KEPT_HEADERS)
        .collect()
}

fn read_timeout(after: Duration, what: &str) -> HttpError {
    HttpError::new(
        HttpErrorKind::Timeout,
        format!("no data for {what} within {} ms", after.as_millis()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::{HeaderName, HeaderValue};

    #[test]
    fn kept_headers_are_bounded_and_never_cut() {
        let mut headers = http::HeaderMap::new();
        headers.insert("etag", HeaderValue::from_static("\"5e54\""));
        let long = "v".repeat(KEPT_HEADER_VALUE_LIMIT + 1);
        headers.insert("x-long", HeaderValue::from_str(&long).expect("ascii"));
        headers.insert(
            "x-binary",
            HeaderValue::from_bytes(&[b'a', 0xff]).expect("opaque"),
        );
        let long_name = "x-".to_owned() + &"n".repeat(KEPT_HEADER_NAME_LIMIT);
        headers.insert(
            HeaderName::from_bytes(long_name.as_bytes()).expect("name"),
            HeaderValue::from_static("1"),
        );
        for i in 0..100 {
            let name = HeaderName::from_bytes(format!("x-many-{i}").as_bytes()).expect("name");
            headers.insert(name, HeaderValue::from_static("1"));
        }
        let kept = kept_headers(&headers);
        assert_eq!(kept.len(), KEPT_HEADERS);
        assert!(kept.contains(&("etag".to_owned(), "\"5e54\"".to_owned())));
        // Too long or not text: left out whole, not truncated.
        assert!(kept
            .iter()
            .all(|(name, _)| name != "x-long" && name != "x-binary" && *name != long_name));
        assert!(kept
            .iter()
            .all(|(_, value)| value.len() <= KEPT_HEADER_VALUE_LIMIT));
    }
}
