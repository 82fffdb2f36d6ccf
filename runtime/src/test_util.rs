//! A test kit (feature `test-util`): test code that calls a client without a network.
//!
//! - [`MockHttpClient`]: an [`HttpClient`] answering per action, with JSON bodies or
//!   service errors, in order or chosen by a predicate on the request, recording every
//!   request it saw ([`MockRequest`]: action, method, path and parameters, signing
//!   parameters left out).
//! - [`RecordingHttpClient`] wraps a real client and writes the exchanges to a JSON file;
//!   [`MockHttpClient::replay`] answers from that file.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! use std::sync::Arc;
//! use acsgen_runtime::test_util::{MockHttpClient, MockResponse};
//! use acsgen_runtime::{Client, Config, Params, ServiceInfo, EndpointRule, Scheme};
//!
//! static SERVICE: ServiceInfo = ServiceInfo {
//!     product: "live", version: "2016-11-01", endpoint_rule: EndpointRule::Central,
//!     default_endpoint: "live.aliyuncs.com", endpoint_map: &[], scheme: Scheme::Https,
//!     crate_name: "demo", crate_version: "0.1.0",
//! };
//! let mock = MockHttpClient::new();
//! mock.on("DescribeThing").respond(MockResponse::json(r#"{"Name":"a"}"#));
//! let client = Client::new(
//!     &SERVICE,
//!     Config::new().access_key("id", "secret").http_client(Arc::new(mock.clone())),
//! ).unwrap();
//! let value = client.call_raw("DescribeThing", Params::default()).await.unwrap();
//! assert_eq!(value["Name"], "a");
//! assert_eq!(mock.requests()[0].action, "DescribeThing");
//! # }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use crate::http_client::{
    HttpClient, HttpError, HttpErrorKind, HttpFuture, HttpRequest, HttpResponse,
};
use crate::service::Method;

/// Parameters the runtime adds to sign an RPC request (in its query), left out of
/// [`MockRequest::params`].
const PROTOCOL_PARAMS: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

/// A request as the mock saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockRequest {
    /// The action (`x-acs-action`).
    pub action: String,
    /// HTTP method.
    pub method: Method,
    /// URL path (still percent-encoded).
    pub path: String,
    /// Query and form-body parameters, decoded, in order, without the ones an RPC
    /// signature adds (`Action`, `Signature`, `Timestamp`, ...).
    pub params: Vec<(String, String)>,
}

impl MockRequest {
    /// From a request the runtime built.
    pub fn from_http(request: &HttpRequest) -> MockRequest {
        let after_scheme = request.url.split_once("://").map_or("", |(_, rest)| rest);
        let path = after_scheme
            .find('/')
            .map_or("/", |i| &after_scheme[i..])
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .to_owned();
        let query = request.query_pairs();
        // RPC signs in the query; V3 in headers, so its query is the caller's alone.
        let rpc = query.iter().any(|(k, _)| k == "SignatureMethod");
        let mut params: Vec<(String, String)> = query
            .into_iter()
            .filter(|(k, _)| !(rpc && PROTOCOL_PARAMS.contains(&k.as_str())))
            .collect();
        params.extend(request.form_pairs());
        let action = request
            .header("x-acs-action")
            .map(str::to_owned)
            .or_else(|| {
                request
                    .query_pairs()
                    .into_iter()
                    .find(|(k, _)| k == "Action")
                    .map(|(_, v)| v)
            })
            .unwrap_or_default();
        MockRequest {
            action,
            method: request.method,
            path,
            params,
        }
    }

    /// The first value of parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// An answer of the mock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MockResponse {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
    /// Extra headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<(String, String)>,
}

/// The request id mock answers carry unless their body has one.
pub const MOCK_REQUEST_ID: &str = "00000000-0000-4000-8000-00000000MOCK";

impl MockResponse {
    /// A 200 answer with this JSON body (not checked: a bad body tests decode errors).
    pub fn json(body: impl Into<String>) -> MockResponse {
        MockResponse {
            status: 200,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// A 200 answer with `value` serialized as JSON (a `serde_json::Value`, or a response
    /// type of a generated crate built with its `serialize` feature).
    pub fn typed<T: Serialize + ?Sized>(value: &T) -> MockResponse {
        MockResponse::json(serde_json::to_string(value).expect("a JSON-serializable value"))
    }

    /// An API error answer, as the gateway sends it: `{"Code", "Message", "RequestId"}`.
    pub fn error(status: u16, code: &str, message: &str) -> MockResponse {
        let body = serde_json::json!({
            "RequestId": MOCK_REQUEST_ID,
            "Code": code,
            "Message": message,
        });
        MockResponse {
            status,
            body: body.to_string(),
            headers: Vec::new(),
        }
    }

    /// Sets the status.
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// Adds a header (e.g. `x-acs-retry-after`).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn to_http(&self) -> HttpResponse {
        let mut response = HttpResponse::new(self.status, self.body.clone())
            .header("content-type", "application/json;charset=utf-8")
            .header("x-acs-request-id", MOCK_REQUEST_ID);
        for (name, value) in &self.headers {
            response = response.header(name, value);
        }
        response
    }
}

type Predicate = dyn Fn(&MockRequest) -> bool + Send + Sync;

struct Rule {
    action: String,
    predicate: Option<Box<Predicate>>,
    responses: VecDeque<MockResponse>,
    /// Answers with its last response for ever once the others are used.
    repeat_last: bool,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    requests: Vec<MockRequest>,
}

/// An [`HttpClient`] that answers from rules stated by the test. Cheap to clone (the
/// clones share rules and recorded requests): keep one to inspect, give the client one.
///
/// For a request, the first rule of its action with a predicate that holds, else the
/// first without a predicate, among those with a response left, answers with its next
/// response. A request no rule
/// answers gets a 400 `MockNoResponse` error naming its action, so a test sees it as a
/// service error rather than hanging.
#[derive(Clone, Default)]
pub struct MockHttpClient {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for MockHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MockHttpClient")
            .field("rules", &state.rules.len())
            .field("requests", &state.requests.len())
            .finish()
    }
}

/// A rule being stated: [`MockHttpClient::on`]. Each `respond*` call adds a rule with
/// the predicate stated so far; nothing is answered before one.
pub struct RuleBuilder<'a> {
    mock: &'a MockHttpClient,
    action: String,
    predicate: Option<Box<Predicate>>,
}

impl RuleBuilder<'_> {
    /// Applies the rule only to requests for which `predicate` holds.
    pub fn when(
        mut self,
        predicate: impl Fn(&MockRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.predicate = Some(Box::new(predicate));
        self
    }

    /// Answers once with `response`.
    pub fn respond(self, response: MockResponse) -> Self {
        self.push([response], false)
    }

    /// Answers the next requests with `responses`, in order, once each.
    pub fn respond_in_order(self, responses: impl IntoIterator<Item = MockResponse>) -> Self {
        self.push(responses, false)
    }

    /// Answers every request (after any earlier responses of this rule) with `response`.
    pub fn respond_always(self, response: MockResponse) -> Self {
        self.push([response], true)
    }

    fn push(
        mut self,
        responses: impl IntoIterator<Item = MockResponse>,
        repeat_last: bool,
    ) -> Self {
        let mut state = self.mock.lock();
        state.rules.push(Rule {
            action: self.action.clone(),
            predicate: self.predicate.take(),
            responses: responses.into_iter().collect(),
            repeat_last,
        });
        drop(state);
        self
    }
}

impl MockHttpClient {
    /// A mock with no rules.
    pub fn new() -> MockHttpClient {
        MockHttpClient::default()
    }

    /// States how requests for `action` are answered.
    pub fn on(&self, action: impl Into<String>) -> RuleBuilder<'_> {
        RuleBuilder {
            mock: self,
            action: action.into(),
            predicate: None,
        }
    }

    /// Every request seen, in order.
    pub fn requests(&self) -> Vec<MockRequest> {
        self.lock().requests.clone()
    }

    /// The requests seen for `action`, in order.
    pub fn requests_for(&self, action: &str) -> Vec<MockRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.action == action)
            .cloned()
            .collect()
    }

    /// Responses stated but not used yet (a test can assert it is 0).
    pub fn unused(&self) -> usize {
        self.lock()
            .rules
            .iter()
            .map(|r| r.responses.len() - usize::from(r.repeat_last && !r.responses.is_empty()))
            .sum()
    }

    /// As an `Arc<dyn HttpClient>`, for [`Config::http_client`](crate::Config::http_client).
    pub fn shared(&self) -> Arc<dyn HttpClient> {
        Arc::new(self.clone())
    }

    /// A mock answering the exchanges of a [`RecordingHttpClient`] file: each request
    /// with the recorded answer to the same action and parameters (in recorded order
    /// when they repeat).
    pub fn replay(path: impl AsRef<Path>) -> std::io::Result<MockHttpClient> {
        let text = std::fs::read_to_string(path)?;
        let cassette: Cassette = serde_json::from_str(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let mock = MockHttpClient::new();
        for exchange in cassette.exchanges {
            let params = exchange.request.params.clone();
            let _ = mock
                .on(exchange.request.action)
                .when(move |r| r.params == params)
                .respond(exchange.response);
        }
        Ok(mock)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, request: MockRequest) -> MockResponse {
        let mut state = self.lock();
        // Rules with a predicate first (the specific before the general), each kind in
        // the order stated.
        let usable = |rule: &Rule, with_predicate: bool| {
            rule.action == request.action
                && !rule.responses.is_empty()
                && rule.predicate.is_some() == with_predicate
                && rule.predicate.as_ref().is_none_or(|p| p(&request))
        };
        let index = state
            .rules
            .iter()
            .position(|rule| usable(rule, true))
            .or_else(|| state.rules.iter().position(|rule| usable(rule, false)));
        let chosen = index.map(|i| &mut state.rules[i]);
        let response = match chosen {
            Some(rule) if rule.repeat_last && rule.responses.len() == 1 => {
                rule.responses[0].clone()
            }
            Some(rule) => rule.responses.pop_front().expect("a response is left"),
            None => MockResponse::error(
                400,
                "MockNoResponse",
                &format!("the mock has no (more) responses for `{}`", request.action),
            ),
        };
        state.requests.push(request);
        response
    }
}

impl HttpClient for MockHttpClient {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        let response = self.answer(MockRequest::from_http(&request)).to_http();
        Box::pin(std::future::ready(Ok(response)))
    }
}

/// The file [`RecordingHttpClient::save`] writes and [`MockHttpClient::replay`] reads.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cassette {
    version: u32,
    exchanges: Vec<Exchange>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Exchange {
    request: RecordedRequest,
    response: MockResponse,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct RecordedRequest {
    action: String,
    method: String,
    path: String,
    params: Vec<(String, String)>,
}

/// Largest body a recording keeps; a larger one fails the exchange.
const MAX_RECORDED_BODY: usize = crate::config::DEFAULT_MAX_RESPONSE_BYTES;

/// Wraps a real [`HttpClient`] and keeps each exchange (action, parameters without the
/// signing ones, status and body; no headers, so no signature or token) to save as a
/// JSON file for [`MockHttpClient::replay`].
#[derive(Clone, Debug)]
pub struct RecordingHttpClient {
    inner: Arc<dyn HttpClient>,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl RecordingHttpClient {
    /// Records what goes through `inner`.
    pub fn new(inner: Arc<dyn HttpClient>) -> RecordingHttpClient {
        RecordingHttpClient {
            inner,
            exchanges: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// As an `Arc<dyn HttpClient>`, for [`Config::http_client`](crate::Config::http_client).
    pub fn shared(&self) -> Arc<dyn HttpClient> {
        Arc::new(self.clone())
    }

    /// How many exchanges were recorded.
    pub fn len(&self) -> usize {
        self.exchanges
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the exchanges to `path` (JSON).
    pub fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        let cassette = Cassette {
            version: 1,
            exchanges: self
                .exchanges
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        };
        let text = serde_json::to_string_pretty(&cassette)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        std::fs::write(path, text)
    }
}

impl HttpClient for RecordingHttpClient {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        let seen = MockRequest::from_http(&request);
        Box::pin(async move {
            let mut response = self.inner.call(request).await?;
            let mut body = Vec::new();
            while let Some(chunk) = response.body.next_chunk().await {
                let chunk = chunk?;
                if body.len() + chunk.len() > MAX_RECORDED_BODY {
                    return Err(HttpError::new(
                        HttpErrorKind::Other,
                        format!("the recorded body exceeds {MAX_RECORDED_BODY} bytes"),
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            let kept = ["x-acs-retry-after"];
            let headers = kept
                .iter()
                .filter_map(|name| {
                    let value = response.headers.get(*name)?.to_str().ok()?;
                    Some(((*name).to_owned(), value.to_owned()))
                })
                .collect();
            let recorded = MockResponse {
                status: response.status,
                body: String::from_utf8_lossy(&body).into_owned(),
                headers,
            };
            self.exchanges
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Exchange {
                    request: RecordedRequest {
                        action: seen.action,
                        method: seen.method.as_str().to_owned(),
                        path: seen.path,
                        params: seen.params,
                    },
                    response: recorded,
                });
            response.body = body.into();
            Ok(response)
        })
    }
}
