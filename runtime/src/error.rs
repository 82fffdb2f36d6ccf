//! Errors. [`SdkError`] is what a generated operation returns; [`RawError`] is the same
//! without the typed service error, returned by the non-generic `Client::execute`.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::text::clip;

/// Most bytes of one piece of server-provided text (a code, a message, a decode error's
/// excerpt) that an error's `Display` or `Debug` prints. Longer text is cut on a char
/// boundary and marked `…[<full length> bytes]`; the fields keep the full text.
pub const DISPLAY_TEXT_LIMIT: usize = 256;

/// Request ids are 36-character UUIDs; anything past this is not one.
const REQUEST_ID_DISPLAY_LIMIT: usize = 128;

/// An error answer from the service (a JSON body with a `Code`).
///
/// The fields hold the text exactly as sent; `Display` and `Debug` print at most
/// [`DISPLAY_TEXT_LIMIT`] bytes of each.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// HTTP status.
    pub status: u16,
    /// Error code (`Code` / `code`), e.g. `InvalidParameter`.
    pub code: String,
    /// Human-readable message (`Message` / `message`).
    pub message: String,
    /// Request ID (`RequestId` / `requestId`), for support tickets.
    pub request_id: String,
    /// Host that answered (`HostId`).
    pub host_id: Option<String>,
    /// Troubleshooting URL (`Recommend`).
    pub recommend: Option<String>,
    /// RAM denial details (`AccessDeniedDetail`).
    pub access_denied_detail: Option<AccessDeniedDetail>,
}

/// Why RAM denied a call (the `AccessDeniedDetail` object of a 403). `Debug` prints at
/// most [`DISPLAY_TEXT_LIMIT`] bytes of each field.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessDeniedDetail {
    /// The denied action, e.g. `live:RecoverLiveMessageDeletedGroup`.
    pub auth_action: Option<String>,
    /// Principal type (`SubUser`, `AssumedRoleUser`, ...).
    pub auth_principal_type: Option<String>,
    /// Account ID owning the principal.
    pub auth_principal_owner_id: Option<String>,
    /// Display name of the principal.
    pub auth_principal_display_name: Option<String>,
    /// Diagnostic blob for RAM `DecodeDiagnosticMessage`.
    pub encoded_diagnostic_info: Option<String>,
    /// `ImplicitDeny`, `ExplicitDeny`, ...
    pub no_permission_type: Option<String>,
    /// Policy kind that denied (`AccountLevelIdentityBasedPolicy`, ...).
    pub policy_type: Option<String>,
}

/// Where an error body puts its code and message: RPC, ROA, then Function Compute
/// (`{"errorCode": ..., "errorMessage": ...}`, the request ID in a header).
const CODE_KEYS: &[&str] = &["Code", "code", "errorCode", "ErrorCode"];
const MESSAGE_KEYS: &[&str] = &["Message", "message", "errorMessage", "ErrorMessage"];

fn text_field(obj: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match obj.get(*n)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

impl AccessDeniedDetail {
    fn from_object(obj: &Map<String, Value>) -> AccessDeniedDetail {
        let f = |pascal: &str, camel: &str| text_field(obj, &[pascal, camel]);
        AccessDeniedDetail {
            auth_action: f("AuthAction", "authAction"),
            auth_principal_type: f("AuthPrincipalType", "authPrincipalType"),
            auth_principal_owner_id: f("AuthPrincipalOwnerId", "authPrincipalOwnerId"),
            auth_principal_display_name: f("AuthPrincipalDisplayName", "authPrincipalDisplayName"),
            encoded_diagnostic_info: f("EncodedDiagnosticInfo", "encodedDiagnosticInfo"),
            no_permission_type: f("NoPermissionType", "noPermissionType"),
            policy_type: f("PolicyType", "policyType"),
        }
    }
}

/// Code, message, request ID and status of a service error, for
/// [`ServiceError`] and every generated operation's error enum (each variant
/// holds a `ServiceError`).
///
/// The accessors are provided here, once, rather than generated per enum: in a
/// crate of hundreds of operations that is measurably less to compile. Bring the
/// trait into scope to call them (generated crates re-export it at their root).
pub trait ProvideServiceError {
    /// The service error itself, with every field the service sent.
    fn service_error(&self) -> &ServiceError;

    /// The error code, exactly as the service sent it.
    fn code(&self) -> &str {
        &self.service_error().code
    }

    /// The service's message.
    fn message(&self) -> &str {
        &self.service_error().message
    }

    /// The request ID, for support tickets.
    fn request_id(&self) -> &str {
        &self.service_error().request_id
    }

    /// The HTTP status.
    fn status(&self) -> u16 {
        self.service_error().status
    }
}

impl ProvideServiceError for ServiceError {
    fn service_error(&self) -> &ServiceError {
        self
    }
}

impl ServiceError {
    /// Parses an error body; `None` when it is not a JSON object with a `Code`/`code`
    /// (FC: `errorCode`), at its top or (ROA style) in a `data`/`Data` object.
    pub fn from_body(status: u16, body: &[u8]) -> Option<ServiceError> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let outer = value.as_object()?;
        // ROA services may nest the error in `data` (`{"data": {"code": ...}}`).
        let obj = match text_field(outer, CODE_KEYS) {
            Some(_) => outer,
            None => ["data", "Data"]
                .iter()
                .find_map(|k| outer.get(*k)?.as_object())
                .filter(|inner| text_field(inner, CODE_KEYS).is_some())?,
        };
        let code = text_field(obj, CODE_KEYS)?;
        let detail = ["AccessDeniedDetail", "accessDeniedDetail"]
            .iter()
            .find_map(|k| obj.get(*k)?.as_object())
            .map(AccessDeniedDetail::from_object);
        Some(ServiceError {
            status,
            code,
            message: text_field(obj, MESSAGE_KEYS).unwrap_or_default(),
            // The request ID may stay outside a nested error.
            request_id: text_field(obj, &["RequestId", "requestId"])
                .or_else(|| text_field(outer, &["RequestId", "requestId"]))
                .unwrap_or_default(),
            host_id: text_field(obj, &["HostId", "hostId"]),
            recommend: text_field(obj, &["Recommend", "recommend"]),
            access_denied_detail: detail,
        })
    }

    /// True for `Throttling`, `Throttling.User`, `Throttling.Api`, ... codes.
    pub fn is_throttling(&self) -> bool {
        self.code.starts_with("Throttling")
    }
}

/// `Debug` of an optional server-provided text, bounded.
fn clip_opt(value: &Option<String>) -> Option<impl fmt::Debug + '_> {
    value.as_deref().map(|v| clip(v, DISPLAY_TEXT_LIMIT, 0))
}

impl fmt::Debug for AccessDeniedDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessDeniedDetail")
            .field("auth_action", &clip_opt(&self.auth_action))
            .field("auth_principal_type", &clip_opt(&self.auth_principal_type))
            .field(
                "auth_principal_owner_id",
                &clip_opt(&self.auth_principal_owner_id),
            )
            .field(
                "auth_principal_display_name",
                &clip_opt(&self.auth_principal_display_name),
            )
            .field(
                "encoded_diagnostic_info",
                &clip_opt(&self.encoded_diagnostic_info),
            )
            .field("no_permission_type", &clip_opt(&self.no_permission_type))
            .field("policy_type", &clip_opt(&self.policy_type))
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (HTTP {}, request id {})",
            clip(&self.code, DISPLAY_TEXT_LIMIT, 0),
            clip(&self.message, DISPLAY_TEXT_LIMIT, 0),
            self.status,
            clip(&self.request_id, REQUEST_ID_DISPLAY_LIMIT, 0)
        )
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("status", &self.status)
            .field("code", &clip(&self.code, DISPLAY_TEXT_LIMIT, 0))
            .field("message", &clip(&self.message, DISPLAY_TEXT_LIMIT, 0))
            .field(
                "request_id",
                &clip(&self.request_id, REQUEST_ID_DISPLAY_LIMIT, 0),
            )
            .field("host_id", &clip_opt(&self.host_id))
            .field("recommend", &clip_opt(&self.recommend))
            .field("access_denied_detail", &self.access_denied_detail)
            .finish()
    }
}

impl StdError for ServiceError {}

/// The service kept throttling (a `Throttling*` code or an `x-acs-retry-after` header)
/// after the allowed attempts.
#[derive(Debug)]
pub struct ThrottlingError {
    /// Action that was throttled.
    pub action: &'static str,
    /// HTTP status of the last answer.
    pub status: u16,
    /// The service error of the last answer, when its body was a JSON error (boxed to
    /// keep `Result`s small).
    pub error: Option<Box<ServiceError>>,
    /// The wait the server asked for (`x-acs-retry-after`, milliseconds).
    pub retry_after: Option<Duration>,
    /// Attempts made, the last one included.
    pub attempts: u32,
}

impl fmt::Display for ThrottlingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} was throttled", self.action)?;
        match &self.error {
            Some(e) => write!(f, ": {e}")?,
            None => write!(f, " (HTTP {})", self.status)?,
        }
        if let Some(wait) = self.retry_after {
            write!(f, "; server asked to retry after {} ms", wait.as_millis())?;
        }
        write!(f, "; gave up after {} attempt(s)", self.attempts)
    }
}

impl StdError for ThrottlingError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.error
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// No credential could be obtained. Never contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The default chain found nothing; `attempts` says where it looked and why each
    /// place gave nothing.
    #[error("no Alibaba Cloud credentials found; looked in: {}", clip(attempts.join("; "), 2048, 64))]
    NotFound {
        /// One entry per place looked at.
        attempts: Vec<String>,
    },
    /// Only one of the two AccessKey environment variables is set.
    #[error("environment variable {present} is set but {missing} is not set or empty")]
    IncompleteEnvironment {
        /// The variable that is set.
        present: &'static str,
        /// The variable that is missing.
        missing: &'static str,
    },
    /// The CLI config file could not be read.
    #[error("cannot read aliyun CLI config {}: {source}", path.display())]
    ReadFile {
        /// File path.
        path: PathBuf,
        /// I/O error.
        source: std::io::Error,
    },
    /// The CLI config file is not JSON.
    #[error("aliyun CLI config {} is not valid JSON: {source}", path.display())]
    ParseFile {
        /// File path.
        path: PathBuf,
        /// Parse error (position only, no content).
        source: serde_json::Error,
    },
    /// The CLI config file is JSON but not shaped as expected.
    #[error("aliyun CLI config {}: {}", path.display(), clip(problem, 512, 32))]
    InvalidFile {
        /// File path.
        path: PathBuf,
        /// What is wrong (names the field, never its value).
        problem: String,
    },
    /// Neither `ALIBABA_CLOUD_PROFILE` nor `current` names a profile.
    #[error(
        "aliyun CLI config {}: no profile selected (ALIBABA_CLOUD_PROFILE is not set and `current` is empty)",
        path.display()
    )]
    NoProfileSelected {
        /// File path.
        path: PathBuf,
    },
    /// The selected profile does not exist.
    #[error("aliyun CLI config {}: no profile named `{}` (profiles: {})", path.display(), clip(profile, 64, 0), clip(available, 256, 0))]
    ProfileNotFound {
        /// File path.
        path: PathBuf,
        /// Requested profile.
        profile: String,
        /// Names present in the file, comma-separated.
        available: String,
    },
    /// The profile uses an authentication mode this runtime cannot use.
    #[error(
        "aliyun CLI config {}: profile `{}` uses mode `{}`, which acsgen-runtime does not support (supported: AK, StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC, CredentialsURI, External)",
        path.display(), clip(profile, 64, 0), clip(mode, 64, 0)
    )]
    UnsupportedMode {
        /// File path.
        path: PathBuf,
        /// Profile name.
        profile: String,
        /// Its mode.
        mode: String,
    },
    /// The profile lacks a field its mode needs.
    #[error(
        "aliyun CLI config {}: profile `{}` (mode `{}`) has no `{field}`",
        path.display(), clip(profile, 64, 0), clip(mode, 64, 0)
    )]
    MissingField {
        /// File path.
        path: PathBuf,
        /// Profile name.
        profile: String,
        /// Its mode.
        mode: String,
        /// The missing field.
        field: &'static str,
    },
    /// A custom provider failed.
    #[error(
        "credentials provider `{}` failed: {}",
        clip(provider, 64, 0),
        clip(message, 1024, 64)
    )]
    Provider {
        /// Provider name.
        provider: String,
        /// What went wrong (must not contain secrets).
        message: String,
    },
    /// A credential source (STS, the metadata service, a credentials URI, an external
    /// process, the credentials file) failed: what it tried and why, never a secret.
    #[error("{provider}: {}", clip(problem, 1024, 64))]
    Source {
        /// The source (`ram_role_arn`, `oidc_role_arn`, `ecs_ram_role`, ...).
        provider: &'static str,
        /// What was tried and why it failed.
        problem: String,
    },
    /// The cached credential expired and refreshing it failed.
    #[error(
        "the credential from {provider} expired {}s ago and refreshing it failed: {}",
        expired_for.as_secs(), clip(reason, 1024, 64)
    )]
    Expired {
        /// Where the expired credential came from.
        provider: &'static str,
        /// How long ago it expired.
        expired_for: Duration,
        /// Why the refresh failed.
        reason: String,
    },
    /// The outcome of a refresh shared by every caller that waited for it.
    #[error(transparent)]
    Shared(std::sync::Arc<CredentialsError>),
}

impl CredentialsError {
    /// The error itself, through any [`CredentialsError::Shared`] wrapper.
    pub fn root(&self) -> &CredentialsError {
        match self {
            CredentialsError::Shared(inner) => inner.root(),
            other => other,
        }
    }
}

/// Configuration that cannot work (bad endpoint, missing region, ...).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A regional endpoint is needed but no region was configured.
    #[error(
        "no region for product `{product}`: its endpoint is regional; set Config::region, ALIBABA_CLOUD_REGION_ID or region_id in the aliyun CLI profile, or an endpoint"
    )]
    MissingRegion {
        /// Product code.
        product: &'static str,
    },
    /// The region is not a plain region id.
    #[error("invalid region `{region}`: expected letters, digits and '-' (e.g. cn-shanghai)")]
    InvalidRegion {
        /// The region given.
        region: String,
    },
    /// The endpoint override cannot be used.
    #[error("invalid endpoint `{endpoint}`: {reason}")]
    InvalidEndpoint {
        /// The endpoint given.
        endpoint: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// The user-agent suffix is not printable ASCII.
    #[error("invalid user agent `{0}`: only printable ASCII is allowed")]
    InvalidUserAgent(String),
    /// Credentials could not be resolved (from `Client::from_env`).
    #[error("credentials: {0}")]
    Credentials(#[from] CredentialsError),
    /// The HTTP client could not be created.
    #[error("cannot create the HTTP client: {0}")]
    HttpClient(String),
}

/// The request could not be built (before anything was sent).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the {action} request: {problem}")]
pub struct BuildError {
    /// Action being built.
    pub action: &'static str,
    /// What is wrong (names the parameter).
    pub problem: String,
}

/// What kind of transport failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (refused, DNS, TLS, connect timeout):
    /// the request was not sent.
    Connect,
    /// No (complete) answer within the read timeout after the request was sent.
    Timeout,
    /// The connection failed after the request may have been sent.
    Other,
}

/// The HTTP exchange failed.
#[derive(Debug)]
pub struct TransportError {
    /// Action being called.
    pub action: &'static str,
    /// `host[:port]` contacted.
    pub host: String,
    /// Failure kind.
    pub kind: TransportErrorKind,
    /// True when the failure was a timeout (connect or read).
    pub timed_out: bool,
    /// Attempts made, the last one included.
    pub attempts: u32,
    /// The underlying error (its URL removed, since RPC URLs carry the STS token).
    pub source: Box<dyn StdError + Send + Sync>,
}

impl TransportError {
    /// True for a connect or read timeout.
    pub fn is_timeout(&self) -> bool {
        self.timed_out
    }

    /// True when no connection could be made (the request was not sent).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match (self.kind, self.timed_out) {
            (TransportErrorKind::Connect, true) => "timed out connecting to",
            (TransportErrorKind::Connect, false) => "could not connect to",
            (_, true) => "timed out waiting for the answer from",
            _ => "HTTP exchange failed with",
        };
        write!(
            f,
            "{}: {what} {} after {} attempt(s): {}",
            self.action, self.host, self.attempts, self.source
        )
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// How many bytes of a non-JSON error body are kept.
pub const BODY_PREFIX_LEN: usize = 256;

/// An error status whose body is not an Alibaba Cloud JSON error (a proxy's HTML page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseError {
    /// Action being called.
    pub action: &'static str,
    /// HTTP status.
    pub status: u16,
    /// `content-type` of the answer (a longer one is cut to 128 bytes and `…`).
    pub content_type: Option<String>,
    /// The first [`BODY_PREFIX_LEN`] bytes of the body (lossy UTF-8, not ending in a
    /// split character).
    pub body_prefix: String,
}

impl ResponseError {
    pub(crate) fn new(
        action: &'static str,
        status: u16,
        content_type: Option<String>,
        body: &[u8],
    ) -> Self {
        ResponseError {
            action,
            status,
            content_type,
            body_prefix: String::from_utf8_lossy(body_prefix(body)).into_owned(),
        }
    }
}

/// The first [`BODY_PREFIX_LEN`] bytes of `body`, minus a UTF-8 sequence that the cut
/// split (so a multi-byte character is dropped whole rather than shown as `U+FFFD`).
fn body_prefix(body: &[u8]) -> &[u8] {
    if body.len() <= BODY_PREFIX_LEN {
        return body;
    }
    let cut = &body[..BODY_PREFIX_LEN];
    // Find the start of the last character: at most 3 continuation bytes back.
    let Some(start) = (0..cut.len())
        .rev()
        .take(4)
        .find(|&i| cut[i] & 0b1100_0000 != 0b1000_0000)
    else {
        return cut;
    };
    let needed = match cut[start] {
        b if b >= 0b1111_0000 => 4,
        b if b >= 0b1110_0000 => 3,
        b if b >= 0b1100_0000 => 2,
        _ => 1,
    };
    if start + needed > cut.len() {
        &cut[..start]
    } else {
        cut
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: HTTP {} with a body that is not an Alibaba Cloud JSON error (content-type {}): {:?}",
            self.action,
            self.status,
            self.content_type.as_deref().unwrap_or("none"),
            self.body_prefix
        )
    }
}

impl StdError for ResponseError {}

/// A 2xx body that does not match the response type.
///
/// `Display` and `Debug` name the action and the field, with a bounded excerpt of the
/// JSON error (whose text may quote a whole field value); [`DecodeError::json_error`]
/// gives the full error.
pub struct DecodeError {
    /// Action whose response failed to decode.
    pub action: &'static str,
    /// JSON path of the failing field (`.` for the document itself; cut to a few hundred
    /// bytes, since map keys come from the server), e.g. `Data.Items[2].Id`.
    pub path: String,
    cause: DecodeCause,
    body_excerpt: String,
}

enum DecodeCause {
    /// The body is not JSON, or does not fit a serde type.
    Json(serde_json::Error),
    /// The JSON does not fit a generated response type (message already bounded).
    Shape(String),
}

/// Bytes of the JSON error's start and end that a decode error prints: the start names
/// the field and the problem, the end says what was expected and where.
const DECODE_HEAD: usize = 256;
const DECODE_TAIL: usize = 128;
const PATH_HEAD: usize = 96;
const PATH_TAIL: usize = 96;
/// Bytes of the body's start and end kept for [`DecodeError::body_excerpt`].
const BODY_HEAD: usize = 160;
const BODY_TAIL: usize = 64;

impl DecodeError {
    pub(crate) fn new(
        action: &'static str,
        path: String,
        error: serde_json::Error,
        body: &[u8],
    ) -> Self {
        Self::with_cause(action, path, DecodeCause::Json(error), body)
    }

    pub(crate) fn shape(action: &'static str, error: crate::de::WireError, body: &[u8]) -> Self {
        let path = if error.path().is_empty() {
            ".".to_owned()
        } else {
            error.path().to_owned()
        };
        Self::with_cause(
            action,
            path,
            DecodeCause::Shape(error.message().to_owned()),
            body,
        )
    }

    fn with_cause(action: &'static str, path: String, cause: DecodeCause, body: &[u8]) -> Self {
        // Map keys in the path come from the server: always escaped, and bounded.
        let path = crate::text::clip_string(&path, PATH_HEAD, PATH_TAIL);
        let body_excerpt =
            crate::text::clip_string(String::from_utf8_lossy(body), BODY_HEAD, BODY_TAIL);
        DecodeError {
            action,
            path,
            cause,
            body_excerpt,
        }
    }

    /// The full serde_json error, when the body was not JSON or did not fit a serde
    /// type. Its `Display` is unbounded: it may quote a whole (server-provided) value.
    pub fn json_error(&self) -> Option<&serde_json::Error> {
        match &self.cause {
            DecodeCause::Json(error) => Some(error),
            DecodeCause::Shape(_) => None,
        }
    }

    /// The start and end of the body (escaped, bounded, with the full length where
    /// cut), to see what the service really sent.
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }

    /// Line of the body where decoding failed (1-based; 0 when unknown).
    pub fn line(&self) -> usize {
        self.json_error().map_or(0, serde_json::Error::line)
    }

    /// Column of the body where decoding failed (1-based; 0 when unknown).
    pub fn column(&self) -> usize {
        self.json_error().map_or(0, serde_json::Error::column)
    }
}

impl fmt::Display for DecodeCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeCause::Json(error) => clip(error, DECODE_HEAD, DECODE_TAIL).fmt(f),
            DecodeCause::Shape(message) => f.write_str(message),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response at `{}`: {} (body: {})",
            self.action, self.path, self.cause, self.body_excerpt
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("action", &self.action)
            .field("path", &self.path)
            .field("error", &self.cause.to_string())
            .field("body_excerpt", &self.body_excerpt)
            .finish()
    }
}

// No `source()`: the message is already in `Display` (bounded), and error reporters
// print the chain, which would print the serde_json error unbounded.
impl StdError for DecodeError {}

/// The answer's body is larger than the limit (`Config::max_response_bytes` /
/// `CallOptions::max_response_bytes`). Reading stopped at the limit; never retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyTooLargeError {
    /// Action being called.
    pub action: &'static str,
    /// HTTP status of the answer.
    pub status: u16,
    /// The limit, in bytes.
    pub limit: usize,
    /// The `content-length` the answer declared, if any.
    pub content_length: Option<u64>,
    /// Bytes received before reading stopped (0 when `content-length` alone was over the
    /// limit and the body was not read at all).
    pub received: u64,
    /// `x-acs-request-id` (FC: `x-fc-request-id`) header, when present (a longer one is
    /// cut to 128 bytes and `…`).
    pub request_id: Option<String>,
}

impl fmt::Display for BodyTooLargeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the HTTP {} answer is larger than the {}-byte limit (max_response_bytes)",
            self.action, self.status, self.limit
        )?;
        match self.content_length {
            Some(len) if self.received == 0 => {
                write!(f, "; it declared content-length {len} and was not read")?
            }
            _ => write!(f, "; stopped reading after {} bytes", self.received)?,
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl StdError for BodyTooLargeError {}

/// Which deadline a [`TimeoutError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt (send, wait, read the whole body) took longer than
    /// `attempt_timeout`. Retried like a read timeout: only for read-only operations.
    Attempt,
    /// The whole call (every attempt, backoff sleeps and rate-limit waits) took longer
    /// than `operation_timeout`. Never retried.
    Operation,
}

/// A call or one of its attempts ran past its deadline.
#[derive(Debug)]
pub struct TimeoutError {
    /// Action being called.
    pub action: &'static str,
    /// Which deadline passed.
    pub kind: TimeoutKind,
    /// The deadline's length.
    pub after: Duration,
    /// Attempts started, the interrupted one included.
    pub attempts: u32,
    /// For an operation timeout: the failure of the attempt before the interrupted one,
    /// if there was one (boxed: `RawError` contains this type).
    pub last_error: Option<Box<RawError>>,
}

impl TimeoutError {
    /// True when the whole call's deadline passed (not only one attempt's).
    pub fn is_operation(&self) -> bool {
        self.kind == TimeoutKind::Operation
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TimeoutKind::Attempt => "attempt timeout",
            TimeoutKind::Operation => "operation timeout",
        };
        write!(
            f,
            "{}: {what} of {:?} passed; gave up after {} attempt(s)",
            self.action, self.after, self.attempts
        )?;
        if let Some(last) = &self.last_error {
            write!(f, "; the attempt before failed with: {last}")?;
        }
        Ok(())
    }
}

impl StdError for TimeoutError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.last_error
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Everything `Client::execute` can fail with (the service error untyped).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RawError {
    /// The service answered with an error code (boxed: it is the largest payload).
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// The service throttled the call.
    #[error(transparent)]
    Throttling(ThrottlingError),
    /// No credential.
    #[error(transparent)]
    Credentials(CredentialsError),
    /// Connection failure or timeout.
    #[error(transparent)]
    Transport(TransportError),
    /// Error status with a non-JSON body.
    #[error(transparent)]
    Response(ResponseError),
    /// The answer's body exceeded the size limit.
    #[error(transparent)]
    BodyTooLarge(BodyTooLargeError),
    /// An attempt or the whole call ran past its deadline.
    #[error(transparent)]
    Timeout(TimeoutError),
    /// Request could not be built.
    #[error(transparent)]
    Build(BuildError),
    /// Configuration problem.
    #[error(transparent)]
    Config(ConfigError),
}

impl RawError {
    /// True for a connect or read timeout, and for an attempt or operation deadline.
    pub fn is_timeout(&self) -> bool {
        match self {
            RawError::Transport(t) => t.is_timeout(),
            RawError::Timeout(_) => true,
            _ => false,
        }
    }
}

/// The error of a generated operation. `E` is the operation's typed service error.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The service answered with an error code, mapped to the operation's error type.
    Service(E),
    /// The service kept throttling the call.
    Throttling(ThrottlingError),
    /// No credential could be obtained.
    Credentials(CredentialsError),
    /// Connection failure or timeout (see [`TransportError::is_timeout`] and
    /// [`TransportError::is_connect`]).
    Transport(TransportError),
    /// A 2xx body did not match the response type.
    Decode(DecodeError),
    /// An error status with a body that is not a JSON error (e.g. a proxy's HTML 502).
    Response(ResponseError),
    /// The answer's body exceeded `max_response_bytes`; reading stopped there.
    BodyTooLarge(BodyTooLargeError),
    /// An attempt or the whole call ran past its deadline (`attempt_timeout` /
    /// `operation_timeout`); [`SdkError::is_timeout`] is true.
    Timeout(TimeoutError),
    /// The request could not be built.
    Build(BuildError),
    /// The client configuration cannot work.
    Config(ConfigError),
}

impl<E> SdkError<E> {
    /// The typed service error, if that is what this is.
    pub fn as_service(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// True when the call was throttled.
    pub fn is_throttling(&self) -> bool {
        matches!(self, SdkError::Throttling(_))
    }

    /// True for a connect or read timeout, and for an attempt or operation deadline.
    pub fn is_timeout(&self) -> bool {
        match self {
            SdkError::Transport(t) => t.is_timeout(),
            SdkError::Timeout(_) => true,
            _ => false,
        }
    }

    /// True when the answer's body exceeded the size limit.
    pub fn is_body_too_large(&self) -> bool {
        matches!(self, SdkError::BodyTooLarge(_))
    }

    /// True when no connection could be made.
    pub fn is_connect(&self) -> bool {
        matches!(self, SdkError::Transport(t) if t.is_connect())
    }
}

impl<E: From<ServiceError>> From<RawError> for SdkError<E> {
    fn from(raw: RawError) -> Self {
        match raw {
            RawError::Service(e) => SdkError::Service(E::from(*e)),
            RawError::Throttling(e) => SdkError::Throttling(e),
            RawError::Credentials(e) => SdkError::Credentials(e),
            RawError::Transport(e) => SdkError::Transport(e),
            RawError::Response(e) => SdkError::Response(e),
            RawError::BodyTooLarge(e) => SdkError::BodyTooLarge(e),
            RawError::Timeout(e) => SdkError::Timeout(e),
            RawError::Build(e) => SdkError::Build(e),
            RawError::Config(e) => SdkError::Config(e),
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Service(e) => e.fmt(f),
            SdkError::Throttling(e) => e.fmt(f),
            SdkError::Credentials(e) => e.fmt(f),
            SdkError::Transport(e) => e.fmt(f),
            SdkError::Decode(e) => e.fmt(f),
            SdkError::Response(e) => e.fmt(f),
            SdkError::BodyTooLarge(e) => e.fmt(f),
            SdkError::Timeout(e) => e.fmt(f),
            SdkError::Build(e) => e.fmt(f),
            SdkError::Config(e) => e.fmt(f),
        }
    }
}

// Transparent: Display is the inner error's, so source() skips to the inner cause.
impl<E: StdError + 'static> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Service(e) => e.source(),
            SdkError::Throttling(e) => e.source(),
            SdkError::Credentials(e) => e.source(),
            SdkError::Transport(e) => e.source(),
            SdkError::Decode(e) => e.source(),
            SdkError::Response(e) => e.source(),
            SdkError::BodyTooLarge(e) => e.source(),
            SdkError::Timeout(e) => e.source(),
            SdkError::Build(e) => e.source(),
            SdkError::Config(e) => e.source(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_roa_error_bodies_at_the_top_or_nested_in_data() {
        let flat = br#"{"code":"ErrorClusterNotFound","message":"no cluster","requestId":"R2"}"#;
        let e = ServiceError::from_body(404, flat).expect("flat");
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.request_id.as_str()),
            ("ErrorClusterNotFound", "no cluster", "R2")
        );
        let nested = br#"{"requestId":"R3","data":{"code":"QuotaExceeded","message":"too many"}}"#;
        let e = ServiceError::from_body(400, nested).expect("nested");
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.request_id.as_str()),
            ("QuotaExceeded", "too many", "R3")
        );
        // A top-level code wins over a `data` object of the response's own.
        let both = br#"{"Code":"Outer","data":{"code":"Inner"}}"#;
        assert_eq!(
            ServiceError::from_body(400, both).expect("both").code,
            "Outer"
        );
        // Function Compute's shape; its request ID comes in a header.
        let fc = br#"{"errorCode":"ServiceNotFound","errorMessage":"service 'x' does not exist"}"#;
        let e = ServiceError::from_body(404, fc).expect("fc");
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.request_id.as_str()),
            ("ServiceNotFound", "service 'x' does not exist", "")
        );
    }

    #[test]
    fn parses_pascal_and_camel_case_error_bodies() {
        let body = br#"{"RequestId":"R1","HostId":"live.aliyuncs.com","Code":"Forbidden.RAM",
            "Message":"denied","Recommend":"https://api.aliyun.com/troubleshoot?q=Forbidden.RAM",
            "AccessDeniedDetail":{"AuthAction":"live:AddLiveDomain","PolicyType":"AccountLevelIdentityBasedPolicy",
            "NoPermissionType":"ImplicitDeny","AuthPrincipalOwnerId":1234567890}}"#;
        let e = ServiceError::from_body(403, body).expect("json error");
        assert_eq!(e.code, "Forbidden.RAM");
        assert_eq!(e.request_id, "R1");
        assert_eq!(e.host_id.as_deref(), Some("live.aliyuncs.com"));
        assert!(e
            .recommend
            .as_deref()
            .is_some_and(|r| r.contains("troubleshoot")));
        let d = e.access_denied_detail.clone().expect("detail");
        assert_eq!(d.auth_action.as_deref(), Some("live:AddLiveDomain"));
        assert_eq!(d.auth_principal_owner_id.as_deref(), Some("1234567890"));
        assert_eq!(
            e.to_string(),
            "Forbidden.RAM: denied (HTTP 403, request id R1)"
        );

        let camel = br#"{"code":"Throttling.User","message":"slow down","requestId":"R2",
            "accessDeniedDetail":{"authAction":"x:y"}}"#;
        let e = ServiceError::from_body(400, camel).expect("camel");
        assert_eq!(
            (e.code.as_str(), e.request_id.as_str()),
            ("Throttling.User", "R2")
        );
        assert!(e.is_throttling());
        assert_eq!(
            e.access_denied_detail
                .and_then(|d| d.auth_action)
                .as_deref(),
            Some("x:y")
        );
    }

    #[test]
    fn non_error_bodies_are_not_service_errors() {
        assert!(ServiceError::from_body(502, b"<html>Bad Gateway</html>").is_none());
        assert!(ServiceError::from_body(500, br#"{"data":{"message":"no code"}}"#).is_none());
        assert!(ServiceError::from_body(500, br#"{"data":"ErrorCode"}"#).is_none());
        assert!(ServiceError::from_body(500, br#"{"Message":"no code"}"#).is_none());
        assert!(ServiceError::from_body(500, b"[1,2]").is_none());
    }

    #[test]
    fn response_error_keeps_a_bounded_prefix() {
        let body = vec![b'x'; 1000];
        let e = ResponseError::new("Act", 502, Some("text/html".into()), &body);
        assert_eq!(e.body_prefix.len(), BODY_PREFIX_LEN);
        let text = e.to_string();
        assert!(text.contains("HTTP 502") && text.contains("text/html") && text.contains("Act"));
    }

    #[test]
    fn response_error_prefix_never_splits_a_character() {
        // 3-byte characters: 256 is not a multiple of 3, so the cut falls inside one.
        let body = "中".repeat(200);
        let e = ResponseError::new("Act", 502, None, body.as_bytes());
        assert_eq!(e.body_prefix, "中".repeat(85));
        // 4-byte characters after one ASCII byte: the cut splits the 64th.
        let body = format!("x{}", "😀".repeat(100));
        let e = ResponseError::new("Act", 502, None, body.as_bytes());
        assert_eq!(e.body_prefix, format!("x{}", "😀".repeat(63)));
        // Invalid UTF-8 stays lossy and bounded.
        let e = ResponseError::new("Act", 502, None, &[0xff; 1000]);
        assert!(e.body_prefix.chars().all(|c| c == '\u{fffd}'));
        assert!(e.to_string().len() < 2 * 1024);
    }

    #[test]
    fn service_error_display_and_debug_are_bounded() {
        let e = ServiceError {
            status: 400,
            code: "C".repeat(1 << 20),
            message: "消息".repeat(200_000),
            request_id: "R".repeat(1 << 20),
            host_id: Some("h".repeat(1 << 20)),
            recommend: Some("r".repeat(1 << 20)),
            access_denied_detail: Some(AccessDeniedDetail {
                encoded_diagnostic_info: Some("d".repeat(1 << 20)),
                ..AccessDeniedDetail::default()
            }),
        };
        let shown = e.to_string();
        assert!(shown.len() < 1024, "{} bytes", shown.len());
        assert!(shown.contains("…[1048576 bytes]") && shown.contains("…[1200000 bytes]"));
        assert!(shown.ends_with("…[1048576 bytes])"), "{shown}");
        let debug = format!("{e:?}");
        assert!(debug.len() < 3 * 1024, "{} bytes", debug.len());
        // The fields keep the full text.
        assert_eq!(e.message.len(), 1_200_000);
    }

    #[test]
    fn decode_error_display_is_bounded_and_names_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            #[serde(rename = "Total")]
            total: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            #[serde(rename = "Data")]
            data: Inner,
        }
        let body = format!(r#"{{"Data":{{"Total":"{}"}}}}"#, "9".repeat(1 << 20));
        let e = crate::client::decode_body::<Outer>("Act", body.as_bytes()).expect_err("type");
        assert_eq!(e.path, "Data.Total");
        let shown = e.to_string();
        assert!(shown.len() < 1024, "{} bytes", shown.len());
        assert!(
            shown.contains("`Data.Total`") && shown.contains("expected u32"),
            "{shown}"
        );
        assert!(format!("{e:?}").len() < 1024);
        assert!(StdError::source(&e).is_none());
        assert!(e.json_error().expect("serde error").to_string().len() > 1 << 20);
        assert!(e.line() == 1 && e.column() > 1 << 20);
    }

    #[derive(Debug, thiserror::Error)]
    #[error("typed: {0}")]
    struct Typed(ServiceError);
    impl From<ServiceError> for Typed {
        fn from(e: ServiceError) -> Self {
            Typed(e)
        }
    }

    #[test]
    fn raw_errors_convert_to_typed_sdk_errors() {
        let se = ServiceError::from_body(400, br#"{"Code":"X","Message":"m","RequestId":"r"}"#)
            .expect("error body");
        let sdk: SdkError<Typed> = RawError::Service(Box::new(se)).into();
        assert!(matches!(sdk.as_service(), Some(Typed(e)) if e.code == "X"));
        assert_eq!(sdk.to_string(), "typed: X: m (HTTP 400, request id r)");
        let sdk: SdkError<Typed> = RawError::Build(BuildError {
            action: "A",
            problem: "parameter `P`: bad".into(),
        })
        .into();
        assert_eq!(
            sdk.to_string(),
            "cannot build the A request: parameter `P`: bad"
        );
        assert!(!sdk.is_throttling() && !sdk.is_timeout() && !sdk.is_connect());
    }
}
