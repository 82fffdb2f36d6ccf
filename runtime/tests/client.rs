//! End-to-end tests against a local server that re-verifies every signature.

mod support;

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use acsgen_runtime::de::{Decode, Fields};
use acsgen_runtime::{
    Bound, CallOptions, Client, Config, Credential, Environment, Location, Method, Operation,
    OperationInfo, Params, RateLimitConfig, RetryConfig, SdkError, ServiceError, SignatureVersion,
    Style,
};
use serde::Serialize;
use support::{Key, Reply, Signed, TestServer};

const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret123";
const TOKEN: &str = "CAIS+Test/SecurityToken==";

use support::SERVICE;

// ---- a write operation with a typed error, as the generator would emit ----

static RECOVER: OperationInfo = OperationInfo {
    action: "RecoverLiveMessageDeletedGroup",
    method: Method::Post,
    path: "/",
    read_only: false,
    qps_limit: Some(50),
};

struct Recover {
    app_id: String,
    group_id: String,
    data_center: Option<String>,
}

fn recover() -> Recover {
    Recover {
        app_id: "app-123".into(),
        group_id: "my group*~/中文".into(),
        data_center: Some("cn-shanghai".into()),
    }
}

/// Decoded through the runtime's field table, as generated response types are.
#[derive(Debug)]
struct RecoverResponse {
    request_id: String,
    group_id: String,
}

impl Decode for RecoverResponse {
    const FIELDS: &'static [&'static str] = &["RequestId", "GroupId"];
    fn build(fields: &mut Fields) -> Self {
        RecoverResponse {
            request_id: fields.get(0),
            group_id: fields.get(1),
        }
    }
}

#[derive(Debug)]
enum RecoverError {
    AppNotFound(ServiceError),
    Unknown(ServiceError),
}

impl From<ServiceError> for RecoverError {
    fn from(e: ServiceError) -> Self {
        match e.code.as_str() {
            "InvalidAppId.NotFound" => RecoverError::AppNotFound(e),
            _ => RecoverError::Unknown(e),
        }
    }
}

impl fmt::Display for RecoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecoverError::AppNotFound(e) => write!(f, "the app does not exist: {e}"),
            RecoverError::Unknown(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RecoverError {}

impl Operation for Recover {
    type Response = RecoverResponse;
    type Error = RecoverError;
    const INFO: &'static OperationInfo = &RECOVER;

    fn params(&self) -> Params {
        let mut p = Params::with_capacity(3);
        p.push(Location::Query, "AppId", self.app_id.clone());
        p.push(Location::Query, "GroupId", self.group_id.clone());
        if let Some(dc) = &self.data_center {
            p.push(Location::Query, "DataCenter", dc.clone());
        }
        p
    }
}

// ---- a read-only operation with body, path and header parameters ----

static DESCRIBE: OperationInfo = OperationInfo {
    action: "DescribeThings",
    method: Method::Post,
    path: "/apps/{AppId}/things",
    read_only: true,
    qps_limit: Some(100),
};

#[derive(Serialize)]
struct Tag {
    #[serde(rename = "Key")]
    key: &'static str,
    #[serde(rename = "Value")]
    value: &'static str,
}

struct Describe;

#[derive(Debug)]
struct DescribeResponse {
    total: u32,
}

impl Decode for DescribeResponse {
    const FIELDS: &'static [&'static str] = &["Total"];
    fn build(fields: &mut Fields) -> Self {
        DescribeResponse {
            total: fields.get(0),
        }
    }
}

impl Operation for Describe {
    type Response = DescribeResponse;
    type Error = RecoverError;
    const INFO: &'static OperationInfo = &DESCRIBE;

    fn params(&self) -> Params {
        let mut p = Params::with_capacity(6);
        p.push(Location::Path, "AppId", "app 1".into());
        p.push(Location::Header, "x-acs-trace-id", "trace-1".into());
        p.push(Location::Query, "PageSize", "10".into());
        p.push(Location::Body, "Keyword", "a b+c".into());
        p.push_structured(Location::Body, "Ids", Style::Json, &["x/1", "中"]);
        p.push_structured(
            Location::Body,
            "Tag",
            Style::RepeatList,
            &[Tag {
                key: "env",
                value: "prod test",
            }],
        );
        p.push(Location::Query, "Enabled", true.to_string());
        p
    }
}

// RPC-style placement of the same read operation (no path/header parameters).
static DESCRIBE_RPC: OperationInfo = OperationInfo {
    action: "DescribeThings",
    method: Method::Post,
    path: "/",
    read_only: true,
    qps_limit: None,
};

struct DescribeRpc;

impl Operation for DescribeRpc {
    type Response = DescribeResponse;
    type Error = RecoverError;
    const INFO: &'static OperationInfo = &DESCRIBE_RPC;

    fn params(&self) -> Params {
        let mut p = Params::with_capacity(4);
        p.push(Location::Query, "PageSize", "10".into());
        p.push(Location::Body, "Keyword", "a b+c*~".into());
        p.push_structured(Location::Body, "Ids", Style::Json, &["x/1", "中"]);
        p.push_structured(Location::Query, "Users", Style::Simple, &["u 1", "u2"]);
        p
    }
}

// ---- helpers ----

const OK_BODY: &str =
    r#"{"RequestId":"B95BE680-5A6A-1CAD-8AB1-09DFF5D6****","GroupId":"grouptest"}"#;

fn fast_retry() -> RetryConfig {
    RetryConfig::new()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(5))
}

fn config(server: &TestServer) -> Config {
    Config::new()
        .endpoint(server.endpoint())
        .credentials(Credential::new(ID, SECRET))
        .use_system_proxy(false)
        .environment(Environment::empty())
        .retry(fast_retry())
}

fn client(config: Config) -> Client {
    Client::new(&SERVICE, config).expect("client")
}

async fn server(
    handler: impl Fn(&support::Received, usize) -> Reply + Send + Sync + 'static,
) -> TestServer {
    TestServer::start(
        vec![Key::new(ID, SECRET), Key::sts("STS.Test", SECRET, TOKEN)],
        handler,
    )
    .await
}

fn assert_secret_free(text: &str) {
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    assert!(!text.contains(TOKEN), "token leaked: {text}");
    assert!(
        !text.contains("CAIS%2BTest"),
        "encoded token leaked: {text}"
    );
}

// ---- tests ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bound_call_can_be_spawned_and_outlives_the_client_handle() {
    let srv = server(|_, _| Reply::json(200, OK_BODY)).await;
    let c = client(config(&srv));
    let future = Bound::new(&c).send_owned(recover());
    drop(c);
    // 'static and Send: runs on another task after the handle is gone.
    let resp = tokio::spawn(future).await.expect("task").expect("success");
    assert_eq!(resp.group_id, "grouptest");
}

#[tokio::test]
async fn success_is_signed_sent_and_decoded() {
    let srv = server(|_, _| Reply::json(200, OK_BODY)).await;
    let c = client(config(&srv));
    let resp = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect("success");
    assert_eq!(resp.group_id, "grouptest");
    assert_eq!(resp.request_id, "B95BE680-5A6A-1CAD-8AB1-09DFF5D6****");

    let reqs = srv.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.verified, Ok(Signed::V3));
    assert_eq!(r.param("GroupId"), Some("my group*~/中文"));
    assert!(
        r.raw_query
            .contains("GroupId=my%20group%2A~%2F%E4%B8%AD%E6%96%87"),
        "{}",
        r.raw_query
    );
    assert_eq!(
        r.header("x-acs-action"),
        Some("RecoverLiveMessageDeletedGroup")
    );
    assert_eq!(r.header("x-acs-version"), Some("2016-11-01"));
    assert_eq!(r.header("host"), Some(srv.addr.to_string().as_str()));
    let ua = r.header("user-agent").expect("user agent");
    assert!(
        ua.contains("acsgen-runtime/") && ua.contains("alibabacloud-live-test/0.0.1"),
        "{ua}"
    );
    let nonce = r.header("x-acs-signature-nonce").expect("nonce");
    assert!(nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[tokio::test]
async fn bound_requests_use_their_options() {
    let srv = server(|_, _| Reply::json(200, OK_BODY).delayed(Duration::from_millis(300))).await;
    let c = client(config(&srv));
    let mut bound = Bound::new(&c);
    bound.options_mut().read_timeout = Some(Duration::from_millis(50));
    let err = bound
        .send(&recover())
        .await
        .expect_err("timeout from bound options");
    assert!(err.is_timeout(), "{err}");
}

#[tokio::test]
async fn documented_error_code_maps_to_typed_variant() {
    let srv =
        server(|_, _| Reply::error(404, "InvalidAppId.NotFound", "The app does not exist.")).await;
    let c = client(config(&srv));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("404");
    match &err {
        SdkError::Service(RecoverError::AppNotFound(e)) => {
            assert_eq!(e.status, 404);
            assert_eq!(e.request_id, "5E9A1B2C-0000-4000-8000-000000000001");
            assert_eq!(e.host_id.as_deref(), Some("live.aliyuncs.com"));
            assert!(e
                .recommend
                .as_deref()
                .is_some_and(|r| r.contains("InvalidAppId.NotFound")));
        }
        other => panic!("expected AppNotFound, got {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("InvalidAppId.NotFound") && text.contains("HTTP 404"),
        "{text}"
    );
    assert_eq!(srv.count(), 1);
}

#[tokio::test]
async fn unknown_code_keeps_the_service_error() {
    let body = r#"{"code":"Brand.New","message":"new failure","requestId":"R-9",
        "accessDeniedDetail":{"authAction":"live:Recover","noPermissionType":"ImplicitDeny"}}"#;
    let srv = server(move |_, _| Reply::json(403, body)).await;
    let c = client(config(&srv));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("403");
    let SdkError::Service(RecoverError::Unknown(e)) = &err else {
        panic!("expected Unknown, got {err:?}");
    };
    assert_eq!(
        (e.code.as_str(), e.request_id.as_str(), e.status),
        ("Brand.New", "R-9", 403)
    );
    let detail = e.access_denied_detail.as_ref().expect("detail");
    assert_eq!(detail.no_permission_type.as_deref(), Some("ImplicitDeny"));
    assert_eq!(
        err.to_string(),
        "Brand.New: new failure (HTTP 403, request id R-9)"
    );
}

#[tokio::test]
async fn verifier_rejects_a_wrong_signature() {
    let srv = server(|_, _| Reply::json(200, OK_BODY)).await;
    let c = client(config(&srv).credentials(Credential::new(ID, "not-the-secret")));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("bad signature");
    let SdkError::Service(RecoverError::Unknown(e)) = &err else {
        panic!("expected SignatureDoesNotMatch, got {err:?}");
    };
    assert_eq!(e.code, "SignatureDoesNotMatch");
    assert!(e
        .message
        .contains("server string to sign is:ACS3-HMAC-SHA256\n"));
    assert!(srv.requests()[0].verified.is_err());
}

#[tokio::test]
async fn html_502_is_a_response_error_with_the_body_start() {
    let page = format!(
        "<html><body>502 Bad Gateway{}</body></html>",
        "x".repeat(1000)
    );
    let srv = server(move |_, _| Reply::html(502, &page)).await;
    let c = client(config(&srv));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("502");
    let SdkError::Response(r) = &err else {
        panic!("expected Response, got {err:?}");
    };
    assert_eq!(r.status, 502);
    assert_eq!(r.content_type.as_deref(), Some("text/html"));
    assert!(r.body_prefix.starts_with("<html><body>502 Bad Gateway"));
    assert_eq!(r.body_prefix.len(), 256);
    assert!(err.to_string().contains("HTTP 502"));
    // A write is not retried after a 5xx.
    assert_eq!(srv.count(), 1);
}

#[tokio::test]
async fn throttling_with_retry_after_is_retried_until_success() {
    let srv = server(|_, i| {
        if i < 2 {
            Reply::error(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            )
            .header("x-acs-retry-after", "10")
        } else {
            Reply::json(200, OK_BODY)
        }
    })
    .await;
    let c = client(config(&srv));
    let resp = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect("third attempt succeeds");
    assert_eq!(resp.group_id, "grouptest");
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 3);
    // Every attempt is re-signed with a fresh nonce.
    let mut nonces: Vec<&str> = reqs
        .iter()
        .filter_map(|r| r.header("x-acs-signature-nonce"))
        .collect();
    nonces.dedup();
    assert_eq!(nonces.len(), 3);
    assert!(reqs.iter().all(|r| r.verified == Ok(Signed::V3)));
}

#[tokio::test]
async fn throttling_gives_up_after_the_attempt_limit() {
    let srv = server(|_, _| Reply::html(503, "busy").header("x-acs-retry-after", "5")).await;
    let c = client(config(&srv));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("throttled");
    let SdkError::Throttling(t) = &err else {
        panic!("expected Throttling, got {err:?}");
    };
    assert_eq!(t.attempts, 3);
    assert_eq!(t.retry_after, Some(Duration::from_millis(5)));
    assert!(err.is_throttling());
    assert_eq!(srv.count(), 3);

    // A Throttling code without the header is retried too; with retries disabled once.
    let srv = server(|_, _| Reply::error(400, "Throttling", "slow down")).await;
    let c = client(config(&srv));
    let opts = CallOptions::new().retry(RetryConfig::disabled());
    let err = c.send(&recover(), &opts).await.expect_err("throttled");
    assert!(matches!(&err, SdkError::Throttling(t) if t.attempts == 1 && t.error.is_some()));
    assert_eq!(srv.count(), 1);
}

/// `Recover`, documenting a throttling code.
struct RecoverDocumented(Recover);

impl Operation for RecoverDocumented {
    type Response = RecoverResponse;
    type Error = RecoverError;
    const INFO: &'static OperationInfo = &RECOVER;
    const DOCUMENTED_CODES: &'static [&'static str] = &["InvalidAppId.NotFound", "Throttling.User"];

    fn params(&self) -> Params {
        self.0.params()
    }
}

#[tokio::test]
async fn a_documented_throttling_code_is_retried_then_typed() {
    let srv = server(|_, _| Reply::error(400, "Throttling.User", "too many calls")).await;
    let c = client(config(&srv));
    let owned = Bound::new(&c)
        .send_owned(RecoverDocumented(recover()))
        .await;
    let borrowed = c
        .send(&RecoverDocumented(recover()), &CallOptions::new())
        .await;
    for answer in [owned, borrowed] {
        let err = answer.expect_err("throttled");
        // Typed by the operation's own mapping (`Unknown` here, as the code has no variant
        // in this hand-written enum; a generated enum has one).
        let SdkError::Service(RecoverError::Unknown(e)) = &err else {
            panic!("expected the typed service error, got {err:?}");
        };
        assert_eq!(e.code, "Throttling.User");
    }
    // Both calls were retried (3 attempts each) before giving up.
    assert_eq!(srv.count(), 6);
    // Undocumented, the same answer stays `SdkError::Throttling`.
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("throttled");
    assert!(matches!(&err, SdkError::Throttling(t) if t.attempts == 3));
}

#[tokio::test]
async fn total_time_bound_stops_retries() {
    let srv = server(|_, _| Reply::html(503, "busy").header("x-acs-retry-after", "60000")).await;
    let c = client(config(&srv));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("throttled");
    // The requested wait exceeds the 60 s budget, so no retry is made.
    assert!(matches!(&err, SdkError::Throttling(t) if t.attempts == 1));
    assert_eq!(srv.count(), 1);
}

#[tokio::test]
async fn server_error_on_a_write_is_sent_exactly_once() {
    let srv = server(|_, _| Reply::error(503, "ServiceUnavailable", "try later")).await;
    let c = client(config(&srv));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("503");
    assert!(matches!(&err, SdkError::Service(RecoverError::Unknown(e)) if e.status == 503));
    assert_eq!(srv.count(), 1);
}

#[tokio::test]
async fn server_error_on_a_read_is_retried() {
    let srv = server(|_, i| {
        if i < 2 {
            Reply::error(500, "InternalError", "oops")
        } else {
            Reply::json(200, r#"{"Total":7}"#)
        }
    })
    .await;
    let c = client(config(&srv));
    let resp = c
        .send(&Describe, &CallOptions::new())
        .await
        .expect("retried to success");
    assert_eq!(resp.total, 7);
    assert_eq!(srv.count(), 3);

    let always = server(|_, _| Reply::error(500, "InternalError", "oops")).await;
    let c = client(config(&always));
    let err = c
        .send(&Describe, &CallOptions::new())
        .await
        .expect_err("500");
    assert!(matches!(&err, SdkError::Service(RecoverError::Unknown(e)) if e.status == 500));
    assert_eq!(always.count(), 3);
}

#[tokio::test]
async fn slow_response_times_out_and_writes_are_not_resent() {
    let srv = server(|_, _| Reply::json(200, OK_BODY).delayed(Duration::from_millis(400))).await;
    let c = client(config(&srv));
    let opts = CallOptions::new().read_timeout(Duration::from_millis(50));
    let err = c.send(&recover(), &opts).await.expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert!(!err.is_connect());
    let SdkError::Transport(t) = &err else {
        unreachable!()
    };
    assert_eq!(t.attempts, 1);
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(srv.count(), 1);

    // A read-only operation is retried after a read timeout.
    let err = c.send(&Describe, &opts).await.expect_err("timeout");
    assert!(err.is_timeout());
    assert_eq!(srv.count(), 4);
}

#[tokio::test]
async fn connect_failures_are_retried_and_reported() {
    // Bind then drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let config = Config::new()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .signature_version(SignatureVersion::RpcV1)
        .credentials(Credential::with_security_token("STS.Test", SECRET, TOKEN))
        .use_system_proxy(false)
        .environment(Environment::empty())
        .retry(fast_retry());
    let c = client(config);
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("refused");
    assert!(err.is_connect(), "{err:?}");
    let SdkError::Transport(t) = &err else {
        unreachable!()
    };
    assert_eq!(t.attempts, 3);
    let text = err.to_string();
    assert!(
        text.contains("could not connect") && text.contains(&port.to_string()),
        "{text}"
    );
    // RPC URLs carry the STS token: it must not leak through the transport error.
    assert_secret_free(&format!("{err} {err:?}"));
}

#[tokio::test]
async fn sts_credentials_are_sent_and_verified_v3_and_rpc() {
    for version in [SignatureVersion::V3, SignatureVersion::RpcV1] {
        let srv = server(|_, _| Reply::json(200, OK_BODY)).await;
        let c = client(
            config(&srv)
                .signature_version(version)
                .credentials(Credential::with_security_token("STS.Test", SECRET, TOKEN)),
        );
        c.send(&recover(), &CallOptions::new())
            .await
            .expect("sts call");
        let r = &srv.requests()[0];
        match version {
            SignatureVersion::V3 => {
                assert_eq!(r.verified, Ok(Signed::V3));
                assert_eq!(r.header("x-acs-security-token"), Some(TOKEN));
                assert_eq!(r.header("x-acs-accesskey-id"), Some("STS.Test"));
            }
            _ => {
                assert_eq!(r.verified, Ok(Signed::Rpc));
                assert_eq!(r.param("SecurityToken"), Some(TOKEN));
            }
        }
    }
}

#[tokio::test]
async fn rpc_v1_signature_with_form_body_is_verified() {
    let srv = server(|_, _| Reply::json(200, r#"{"Total":1}"#)).await;
    let c = client(config(&srv).signature_version(SignatureVersion::RpcV1));
    c.send(&DescribeRpc, &CallOptions::new())
        .await
        .expect("rpc call");
    let r = &srv.requests()[0];
    assert_eq!(r.verified, Ok(Signed::Rpc));
    assert_eq!(r.param("Action"), Some("DescribeThings"));
    assert_eq!(r.param("Format"), Some("json"));
    assert_eq!(r.param("Users"), Some("u 1,u2"));
    assert!(
        r.param("Keyword").is_none(),
        "body parameters stay in the body"
    );
    let form = r.form();
    assert!(form.contains(&("Keyword".into(), "a b+c*~".into())));
    assert!(form.contains(&("Ids".into(), r#"["x/1","中"]"#.into())));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn body_path_and_header_parameters_are_signed() {
    let srv = server(|_, _| Reply::json(200, r#"{"Total":2}"#)).await;
    let c = client(config(&srv));
    let resp = c
        .send(&Describe, &CallOptions::new())
        .await
        .expect("v3 call");
    assert_eq!(resp.total, 2);
    let r = &srv.requests()[0];
    assert_eq!(r.verified, Ok(Signed::V3));
    assert_eq!(r.path, "/apps/app%201/things");
    assert_eq!(r.header("x-acs-trace-id"), Some("trace-1"));
    assert_eq!(r.param("Enabled"), Some("true"));
    let form = r.form();
    assert!(
        form.contains(&("Tag.1.Value".into(), "prod test".into())),
        "{form:?}"
    );
    assert!(form.contains(&("Keyword".into(), "a b+c".into())));
    assert!(std::str::from_utf8(&r.body)
        .expect("ascii")
        .contains("Keyword=a+b%2Bc"));
}

#[tokio::test]
async fn undecodable_success_body_names_action_and_field() {
    let srv = server(|_, _| Reply::json(200, r#"{"RequestId":"r","GroupId":{"nested":1}}"#)).await;
    let c = client(config(&srv));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("decode");
    let SdkError::Decode(d) = &err else {
        panic!("expected Decode, got {err:?}");
    };
    assert_eq!(d.path, "GroupId");
    let text = err.to_string();
    assert!(
        text.contains("RecoverLiveMessageDeletedGroup") && text.contains("`GroupId`"),
        "{text}"
    );
}

#[tokio::test]
async fn missing_credentials_are_reported_with_every_place_looked() {
    let srv = server(|_, _| Reply::json(200, OK_BODY)).await;
    let mut cfg = config(&srv);
    cfg.credentials = None;
    let home = std::env::temp_dir().join(format!("acsgen-runtime-nohome-{}", std::process::id()));
    let c = client(cfg.environment(Environment::new(|_| None, Some(home.clone()))));
    let err = c
        .send(&recover(), &CallOptions::new())
        .await
        .expect_err("no credentials");
    assert!(matches!(err, SdkError::Credentials(_)));
    let text = err.to_string();
    assert!(text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{text}");
    assert!(text.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), "{text}");
    assert!(
        text.contains(
            &home
                .join(".aliyun")
                .join("config.json")
                .display()
                .to_string()
        ),
        "{text}"
    );
    assert_eq!(srv.count(), 0);
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_errors() {
    let srv = server(|_, _| Reply::error(400, "InvalidParameter", "bad")).await;
    let cred = Credential::with_security_token("STS.Test", SECRET, TOKEN);
    for version in [SignatureVersion::V3, SignatureVersion::RpcV1] {
        let cfg = config(&srv)
            .signature_version(version)
            .credentials(cred.clone());
        assert_secret_free(&format!("{cfg:?}"));
        let c = client(cfg);
        assert_secret_free(&format!("{c:?}"));
        let err = c
            .send(&recover(), &CallOptions::new())
            .await
            .expect_err("400");
        assert_secret_free(&format!("{err} {err:?}"));
        let signed = c
            .sign_request(
                &RECOVER,
                &recover().params(),
                &CallOptions::new(),
                &cred,
                "2024-05-06T07:08:09Z",
                "0123456789abcdef0123456789abcdef",
            )
            .expect("signed");
        assert_secret_free(&format!("{signed:?}"));
    }
    assert_secret_free(&format!("{cred:?}"));
}

#[tokio::test]
async fn rate_limited_client_still_completes_every_call() {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    let srv = server(move |_, _| {
        counter.fetch_add(1, Ordering::SeqCst);
        Reply::json(200, OK_BODY)
    })
    .await;
    let c = client(config(&srv).rate_limit(RateLimitConfig::new().burst(2)));
    let calls = (0..4).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.send(&recover(), &CallOptions::new()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.expect("task").expect("call");
    }
    assert_eq!(seen.load(Ordering::SeqCst), 4);
}
