//! The client against answers that are broken or hostile: bodies that never end or
//! declare 100 MB, bodies that trickle in, and error texts of megabytes. Servers listen
//! on 127.0.0.1 only; every test is wrapped in a 20 s timeout that only detects hangs.

mod support;

use std::future::Future;
use std::time::Duration;

use acsgen_runtime::de::{Decode, Fields, Serde};
use acsgen_runtime::{
    CallOptions, Client, Config, Credential, Environment, Location, Method, Operation,
    OperationInfo, Params, RetryConfig, SdkError, ServiceError, TimeoutKind,
};
use serde::Deserialize;
use support::{HostileServer, Key, Reply, Script, TestServer};

const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret123";
const MIB: usize = 1 << 20;

use support::SERVICE;

static WRITE: OperationInfo = OperationInfo {
    action: "RecoverLiveMessageDeletedGroup",
    method: Method::Post,
    path: "/",
    read_only: false,
    qps_limit: None,
};

static READ: OperationInfo = OperationInfo {
    action: "DescribeLiveMessageGroup",
    method: Method::Get,
    path: "/",
    read_only: true,
    qps_limit: None,
};

#[derive(Debug, Deserialize)]
struct Ack {
    #[serde(rename = "RequestId")]
    _request_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Nested {
    #[serde(rename = "Data")]
    _data: Counted,
}

#[derive(Debug, Deserialize)]
struct Counted {
    #[serde(rename = "Total")]
    _total: u32,
}

/// Decoded through the runtime's field table, as generated response types are.
#[derive(Debug)]
struct Generated {
    _total: Option<u32>,
}

impl Decode for Generated {
    const FIELDS: &'static [&'static str] = &["RequestId", "Total"];
    fn build(fields: &mut Fields) -> Self {
        Generated {
            _total: fields.get(1),
        }
    }
}

/// An operation with no parameters; `$info` says whether it is read-only.
macro_rules! operation {
    ($name:ident, $info:expr, $response:ty) => {
        struct $name;

        impl Operation for $name {
            type Response = $response;
            type Error = ServiceError;
            const INFO: &'static OperationInfo = $info;

            fn params(&self) -> Params {
                let mut p = Params::with_capacity(1);
                p.push(Location::Query, "AppId", "app-123".to_owned());
                p
            }
        }
    };
}

operation!(Write, &WRITE, Serde<Ack>);
operation!(Read, &READ, Serde<Ack>);
operation!(ReadNested, &READ, Serde<Nested>);
operation!(ReadGenerated, &READ, Generated);

fn fast_retry(attempts: u32) -> RetryConfig {
    RetryConfig::new()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(5))
}

fn client(endpoint: String, tune: impl FnOnce(Config) -> Config) -> Client {
    let config = Config::new()
        .endpoint(endpoint)
        .credentials(Credential::new(ID, SECRET))
        .use_system_proxy(false)
        .environment(Environment::empty())
        .retry(fast_retry(3));
    Client::new(&SERVICE, tune(config)).expect("client")
}

/// Runs `test`, failing (instead of hanging) if it has not returned within 20 s.
async fn within<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the call returned within 20 s instead of hanging")
}

/// Both renderings of `err`, checked to be short.
fn assert_short<E: std::fmt::Display + std::fmt::Debug>(err: &E, limit: usize) -> String {
    let shown = err.to_string();
    assert!(
        shown.len() < limit,
        "Display is {} bytes: {}…",
        shown.len(),
        &shown[..shown.len().min(300)]
    );
    let debug = format!("{err:?}");
    assert!(debug.len() < 4 * limit, "Debug is {} bytes", debug.len());
    shown
}

/// The full length a `…[N bytes]` cut marker reports (0 without one).
fn cut_length(shown: &str) -> usize {
    shown
        .split_once("…[")
        .and_then(|(_, rest)| rest.split_once(" bytes]"))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn endless_body_stops_at_the_limit_and_is_not_retried() {
    within(async {
        let server = HostileServer::start(|_| Script::Endless {
            max_bytes: 256 * MIB,
        })
        .await;
        let c = client(server.endpoint(), |c| c);
        // A per-call limit of 1 MiB; a read-only operation, to show it is not retried.
        let options = CallOptions::new().max_response_bytes(MIB);
        let err = c.send(&Read, &options).await.expect_err("too large");
        let SdkError::BodyTooLarge(b) = &err else {
            panic!("expected BodyTooLarge, got {err:?}");
        };
        assert!(err.is_body_too_large() && !err.is_timeout());
        assert_eq!((b.status, b.limit, b.content_length), (200, MIB, None));
        // Reading stopped within one chunk of the limit.
        assert!(
            b.received > MIB as u64 && b.received <= 2 * MIB as u64,
            "{b:?}"
        );
        assert_eq!(server.count(), 1);
        let shown = assert_short(&err, 512);
        assert!(
            shown.contains("1048576-byte limit") && shown.contains("stopped reading"),
            "{shown}"
        );

        // The client's default limit (32 MiB) applies without any setting.
        let err = c
            .send(&Write, &CallOptions::new())
            .await
            .expect_err("too large");
        let SdkError::BodyTooLarge(b) = &err else {
            panic!("expected BodyTooLarge, got {err:?}");
        };
        assert_eq!(b.limit, 32 * MIB);
        assert!(b.received > 32 * MIB as u64 && b.received <= 33 * MIB as u64);
        assert_eq!(server.count(), 2);
    })
    .await;
}

#[tokio::test]
async fn declared_100_mb_body_is_refused_before_reading() {
    within(async {
        // The server sends 16 KiB of the 100 MB and then waits: reading would stall.
        let server = HostileServer::start(|_| Script::Declared {
            content_length: 100_000_000,
            send: 16 * 1024,
            hold: Duration::from_secs(15),
        })
        .await;
        let c = client(server.endpoint(), |c| c);
        let err = c
            .send(&Read, &CallOptions::new())
            .await
            .expect_err("too large");
        let SdkError::BodyTooLarge(b) = &err else {
            panic!("expected BodyTooLarge, got {err:?}");
        };
        assert_eq!(b.content_length, Some(100_000_000));
        assert_eq!(b.received, 0, "nothing of the body was read");
        assert_eq!(server.count(), 1);
        let shown = assert_short(&err, 512);
        assert!(
            shown.contains("declared content-length 100000000"),
            "{shown}"
        );

        // A client-wide limit below a modest declared length refuses it too.
        let c = client(server.endpoint(), |c| c.max_response_bytes(1024));
        let err = c
            .send(&Write, &CallOptions::new())
            .await
            .expect_err("too large");
        assert!(
            matches!(&err, SdkError::BodyTooLarge(b) if b.limit == 1024 && b.received == 0),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn trickling_body_hits_the_attempt_timeout() {
    within(async {
        // One byte every 200 ms: each read is quick, so the read timeout never fires.
        let server = HostileServer::start(|_| Script::Trickle {
            content_length: 1000,
            every: Duration::from_millis(200),
            max_bytes: 100,
        })
        .await;
        let c = client(server.endpoint(), |c| c);
        let options = CallOptions::new().attempt_timeout(Duration::from_millis(700));
        let err = c.send(&Write, &options).await.expect_err("timeout");
        let SdkError::Timeout(t) = &err else {
            panic!("expected Timeout, got {err:?}");
        };
        assert_eq!(t.kind, TimeoutKind::Attempt);
        assert_eq!(t.after, Duration::from_millis(700));
        assert_eq!(t.attempts, 1, "a write is not resent after a timeout");
        assert!(err.is_timeout() && !err.is_connect());
        assert_eq!(server.count(), 1);
        let shown = assert_short(&err, 512);
        assert!(shown.contains("attempt timeout of 700ms"), "{shown}");

        // Set per client; a read-only operation is retried, like after a read timeout.
        let c = client(server.endpoint(), |c| {
            c.attempt_timeout(Duration::from_millis(700))
                .retry(fast_retry(2))
        });
        let err = c
            .send(&Read, &CallOptions::new())
            .await
            .expect_err("timeout");
        assert!(
            matches!(&err, SdkError::Timeout(t) if t.kind == TimeoutKind::Attempt && t.attempts == 2),
            "{err:?}"
        );
        assert_eq!(server.count(), 3);
    })
    .await;
}

#[tokio::test]
async fn operation_timeout_ends_retries() {
    within(async {
        // Two throttled answers asking for 100 ms waits, then a body that trickles in.
        let server = HostileServer::start(|i| {
            if i < 2 {
                Script::Reply(Reply::html(503, "busy").header("x-acs-retry-after", "100"))
            } else {
                Script::Trickle {
                    content_length: 1000,
                    every: Duration::from_millis(200),
                    max_bytes: 100,
                }
            }
        })
        .await;
        let c = client(server.endpoint(), |c| {
            c.operation_timeout(Duration::from_secs(1))
                .attempt_timeout(Duration::from_secs(15))
                .retry(fast_retry(10))
        });
        let err = c
            .send(&Write, &CallOptions::new())
            .await
            .expect_err("timeout");
        let SdkError::Timeout(t) = &err else {
            panic!("expected Timeout, got {err:?}");
        };
        assert_eq!(t.kind, TimeoutKind::Operation);
        assert!(t.is_operation());
        assert_eq!(t.after, Duration::from_secs(1));
        assert_eq!(t.attempts, 3);
        let last = t.last_error.as_deref().expect("the throttled attempt");
        assert!(
            matches!(last, acsgen_runtime::RawError::Throttling(_)),
            "{last:?}"
        );
        assert!(err.is_timeout());
        assert!(std::error::Error::source(&err).is_some());
        let shown = assert_short(&err, 1024);
        assert!(
            shown.contains("operation timeout of 1s") && shown.contains("throttled"),
            "{shown}"
        );
        // Not retried after the deadline.
        assert_eq!(server.count(), 3);

        // Per call; a server wait that cannot fit before the deadline is not slept
        // through: the throttling error comes back at once.
        let slow = HostileServer::start(|_| {
            Script::Reply(Reply::html(503, "busy").header("x-acs-retry-after", "5000"))
        })
        .await;
        let c = client(slow.endpoint(), |c| c.retry(fast_retry(10)));
        let options = CallOptions::new().operation_timeout(Duration::from_secs(2));
        let err = c.send(&Write, &options).await.expect_err("throttled");
        assert!(
            matches!(&err, SdkError::Throttling(t) if t.attempts == 1),
            "{err:?}"
        );
        assert_eq!(slow.count(), 1);
    })
    .await;
}

async fn verifying_server(reply: Reply) -> TestServer {
    TestServer::start(vec![Key::new(ID, SECRET)], move |_, _| reply.clone()).await
}

#[tokio::test]
async fn megabyte_error_code_and_message_print_short() {
    within(async {
        let code = "X".repeat(MIB);
        let message = "服务".repeat(MIB / 6); // 1 MiB of 3-byte characters
        let body = serde_json::json!({
            "RequestId": "R".repeat(MIB),
            "Code": code,
            "Message": message,
            "HostId": "h".repeat(MIB),
        });
        let server = verifying_server(Reply::json(400, &body.to_string())).await;
        let c = client(server.endpoint(), |c| c);
        let err = c.send(&Write, &CallOptions::new()).await.expect_err("400");
        let SdkError::Service(e) = &err else {
            panic!("expected Service, got {:?}", err.to_string());
        };
        // The full text stays available; only its rendering is bounded.
        assert_eq!((e.code.len(), e.message.len()), (MIB, message.len()));
        let shown = assert_short(&err, 1024);
        assert!(
            shown.contains(&format!("…[{MIB} bytes]"))
                && shown.contains(&format!("…[{} bytes]", message.len()))
                && shown.contains("HTTP 400"),
            "{shown}"
        );

        // The same through the throttling path.
        let body = serde_json::json!({"Code": "Throttling.User", "Message": message});
        let server = verifying_server(Reply::json(400, &body.to_string())).await;
        let c = client(server.endpoint(), |c| c.retry(RetryConfig::disabled()));
        let err = c
            .send(&Write, &CallOptions::new())
            .await
            .expect_err("throttled");
        assert!(err.is_throttling(), "{err}");
        assert_short(&err, 1024);

        // A non-JSON error with a 4 KiB content-type header: the header is cut when
        // stored, and the body prefix is 256 bytes without a split character.
        let reply = Reply {
            headers: vec![(
                "content-type".into(),
                format!("text/html; x={}", "t".repeat(4096)),
            )],
            ..Reply::html(502, &"页".repeat(1000))
        };
        let server = HostileServer::start(move |_| Script::Reply(reply.clone())).await;
        let c = client(server.endpoint(), |c| c);
        let err = c.send(&Write, &CallOptions::new()).await.expect_err("502");
        let SdkError::Response(r) = &err else {
            panic!("expected Response, got {err:?}");
        };
        let content_type = r.content_type.as_deref().expect("content-type");
        assert!(
            content_type.starts_with("text/html; x=ttt") && content_type.len() <= 128 + 3,
            "{} bytes",
            content_type.len()
        );
        assert_eq!(r.body_prefix, "页".repeat(85));
        assert_short(&err, 1024);
    })
    .await;
}

#[tokio::test]
async fn decode_error_on_a_megabyte_field_prints_short_and_names_it() {
    within(async {
        let huge = "9".repeat(MIB);
        let body = format!(r#"{{"RequestId":"r","Data":{{"Total":"{huge}"}},"Total":"{huge}"}}"#);
        let server = verifying_server(Reply::json(200, &body)).await;
        let c = client(server.endpoint(), |c| c);

        let err = c
            .send(&ReadNested, &CallOptions::new())
            .await
            .expect_err("decode");
        let SdkError::Decode(d) = &err else {
            panic!("expected Decode, got {:?}", err.to_string());
        };
        assert_eq!(d.path, "Data.Total");
        let shown = assert_short(&err, 1024);
        assert!(
            shown.contains("DescribeLiveMessageGroup")
                && shown.contains("`Data.Total`")
                && shown.contains("expected u32")
                && cut_length(&shown) > MIB,
            "{shown}"
        );

        // Generated response types give the path too, and quote the value bounded.
        let err = c
            .send(&ReadGenerated, &CallOptions::new())
            .await
            .expect_err("decode");
        let SdkError::Decode(d) = &err else {
            panic!("expected Decode, got {:?}", err.to_string());
        };
        assert_eq!(d.path, "Total");
        let shown = assert_short(&err, 1024);
        assert!(
            shown.contains("expected an integer that fits u32") && cut_length(&shown) > MIB,
            "{shown}"
        );
    })
    .await;
}
