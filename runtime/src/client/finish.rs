//! The end of an attempt and of a call: an answer classified (success, throttling,
//! service error, non-JSON error), transport failures as errors, and a success decoded
//! into the operation's response (or a failure into its error type).

use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::de::FromWire;
use crate::error::{
    BodyTooLargeError, BuildError, DecodeError, RawError, ResponseError, SdkError, ServiceError,
    ThrottlingError, TimeoutError, TimeoutKind, TransportError, TransportErrorKind,
};
use crate::http_client::{HttpError, HttpErrorKind};
use crate::transport::{Received, SendError};

use super::operation::Operation;

/// A successful (2xx) answer, before decoding.
#[derive(Clone)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// `x-acs-request-id` header (FC: `x-fc-request-id`), when present.
    pub request_id: Option<String>,
    /// Response headers (lowercase names): at most 64, each value at most 8 KiB of
    /// visible ASCII; longer or binary values are left out rather than cut.
    pub headers: Vec<(String, String)>,
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
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
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

    /// The value of header `name` (any case), if the answer kept it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(kept, _)| kept.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Header `name` decoded like a JSON string field of type `T` (so `"42"` is an
    /// integer); `None` when absent. Errors name `action` and the header.
    pub fn header_value<T: FromWire>(
        &self,
        action: &'static str,
        name: &str,
    ) -> Result<Option<T>, DecodeError> {
        let Some(value) = self.header(name) else {
            return Ok(None);
        };
        T::from_wire(serde_json::Value::String(value.to_owned()))
            .map(Some)
            .map_err(|error| {
                // The message quotes the value; the excerpt is the body's, as for any field.
                let error = error.within(&format!("(header {})", name.to_ascii_lowercase()));
                DecodeError::shape(action, error, &self.body)
            })
    }

    /// The whole body as text (a ROA operation answering with a script, say), without
    /// a copy. Errors name `action` when it is not UTF-8.
    pub fn into_text(self, action: &'static str) -> Result<String, DecodeError> {
        String::from_utf8(self.body).map_err(|error| {
            let problem = crate::de::WireError::invalid("the text body is not UTF-8");
            DecodeError::shape(action, problem, error.as_bytes())
        })
    }
}

/// Decodes a JSON response body into a generated response type (tolerant of numbers
/// and booleans sent as strings; see [`crate::de`]). An empty body decodes as `{}`.
/// Errors name `action`, the path of the failing field and an excerpt of the body.
/// (An operation whose response is text, bytes or reads headers overrides
/// [`Operation::response`].)
pub fn decode_response<T: FromWire>(action: &'static str, body: &[u8]) -> Result<T, DecodeError> {
    let value = decode_body(action, body)?;
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

/// The last step of every call, borrowed or owned: `O`'s error, or the decoded body.
pub(super) fn finish<O: Operation>(
    answer: Result<RawResponse, RawError>,
) -> Result<O::Response, SdkError<O::Error>> {
    let raw = answer.map_err(operation_error::<O>)?;
    O::response(raw).map_err(SdkError::Decode)
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

/// The outcome of one exchange as the attempt's result: the answer classified, or the
/// failure as a build, size or transport error.
pub(super) fn classify_exchange(
    action: &'static str,
    host: &str,
    max_body: usize,
    exchange: Result<Received, SendError>,
) -> Result<RawResponse, RawError> {
    match exchange {
        Ok(response) => classify(action, response),
        Err(SendError::TooLarge(t)) => Err(RawError::BodyTooLarge(BodyTooLargeError {
            action,
            status: t.status,
            limit: max_body,
            content_length: t.content_length,
            received: t.received,
            request_id: t.request_id,
        })),
        // The request itself was refused (e.g. the URL): nothing was sent.
        Err(SendError::Http(e)) if e.kind() == HttpErrorKind::Build => {
            Err(RawError::Build(BuildError {
                action,
                problem: e.to_string(),
            }))
        }
        Err(SendError::Http(e)) => Err(RawError::Transport(transport_error(action, host, e))),
    }
}

/// An attempt that did not complete within `after`.
pub(super) fn attempt_timeout(action: &'static str, after: Duration) -> RawError {
    RawError::Timeout(TimeoutError {
        action,
        kind: TimeoutKind::Attempt,
        after,
        attempts: 1,
        last_error: None,
    })
}

fn transport_error(action: &'static str, host: &str, error: HttpError) -> TransportError {
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
        source: error.into_source(),
    }
}

pub(super) fn classify(action: &'static str, response: Received) -> Result<RawResponse, RawError> {
    if (200..300).contains(&response.status) {
        return Ok(RawResponse {
            status: response.status,
            request_id: response.request_id,
            headers: response.headers,
            body: response.body,
        });
    }
    // FC sends the request ID only as a header (`x-fc-request-id`).
    let service = ServiceError::from_body(response.status, &response.body).map(|mut error| {
        if error.request_id.is_empty() {
            error.request_id = response.request_id.clone().unwrap_or_default();
        }
        error
    });
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
