//! What is called: the [`Operation`] trait generated request types implement, and
//! [`RawOperation`], an operation described at run time for `Client::call_raw_with`.

use crate::de::FromWire;
use crate::encoding::params::Params;
use crate::error::{BuildError, DecodeError, ServiceError};
use crate::service::{Method, OperationInfo};

use super::RawResponse;

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
    /// [`SdkError::Throttling`](crate::SdkError::Throttling).
    const DOCUMENTED_CODES: &'static [&'static str] = &[];
    /// The request's wire parameters.
    fn params(&self) -> Params;

    /// The response of a successful answer. The default decodes the JSON body; an
    /// operation whose body is text or bytes, or whose response reads headers, overrides
    /// it (with [`RawResponse::into_text`] and [`RawResponse::header_value`]).
    fn response(answer: RawResponse) -> Result<Self::Response, DecodeError> {
        super::decode_response(Self::INFO.action, &answer.body)
    }
}

/// An operation described at run time, for [`Client::call_raw_with`](crate::Client::call_raw_with).
#[derive(Clone, Debug)]
pub struct RawOperation {
    action: String,
    method: Method,
    path: String,
    read_only: bool,
}

impl RawOperation {
    /// `action`, sent as `POST /` (RPC style), not read-only.
    pub fn new(action: impl Into<String>) -> RawOperation {
        RawOperation {
            action: action.into(),
            method: Method::Post,
            path: "/".to_owned(),
            read_only: false,
        }
    }

    /// Sets the HTTP method.
    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Sets the path (ROA style), with `{Name}` placeholders for `Location::Path`
    /// parameters.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Marks the operation read-only: 5xx answers and read timeouts are then retried.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// The action name.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// As an [`OperationInfo`]; the names are interned (errors carry `&'static str`).
    pub(super) fn info(&self) -> Result<OperationInfo, BuildError> {
        let fail = |problem: String| BuildError {
            action: "call_raw",
            problem,
        };
        let action_ok = !self.action.is_empty()
            && self.action.len() <= 128
            && self
                .action
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
        if !action_ok {
            return Err(fail(format!(
                "`{}` is not an action name (1 to 128 ASCII letters, digits, `_`, `-`, `.`)",
                crate::text::clip_string(self.action.escape_debug(), 64, 0)
            )));
        }
        let path_ok = self.path.starts_with('/')
            && self.path.len() <= 512
            && self
                .path
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"?#%".contains(&b));
        if !path_ok {
            return Err(fail(format!(
                "`{}` is not a path (`/`, then at most 512 printable ASCII characters without `?`, `#`, `%`)",
                crate::text::clip_string(self.path.escape_debug(), 64, 0)
            )));
        }
        Ok(OperationInfo {
            action: intern(&self.action).map_err(fail)?,
            method: self.method,
            path: intern(&self.path).map_err(fail)?,
            read_only: self.read_only,
            qps_limit: None,
        })
    }
}

/// Most distinct action names and paths [`Client::call_raw`] keeps: each is stored once
/// for the life of the process (errors name their action as `&'static str`), so the
/// memory this can take is bounded (about 2 MB at most).
const MAX_INTERNED: usize = 4096;

fn intern(name: &str) -> Result<&'static str, String> {
    static NAMES: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut names = NAMES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = names.get(name) {
        return Ok(known);
    }
    if names.len() >= MAX_INTERNED {
        return Err(format!(
            "more than {MAX_INTERNED} distinct raw action names and paths in this process"
        ));
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    Ok(leaked)
}
