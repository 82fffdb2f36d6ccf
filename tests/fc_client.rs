//! The committed Function Compute crate (`generated/fc`, three operations written by
//! hand in `spec/fc`), end to end against a server on 127.0.0.1 that re-verifies every
//! V3 signature: response headers read into typed fields (the `ETag`, a duration), a
//! raw request body and a raw (non-UTF-8) response body, and FC's own error body
//! (`errorCode`, the request ID in `x-fc-request-id`) landing in the typed enums.

#[path = "../runtime/tests/support/mod.rs"]
mod server;

use alibabacloud_fc_open::operations::invoke_function::XFcLogType;
use alibabacloud_fc_open::{
    Client, DeleteServiceError, GetServiceError, ProvideServiceError, SdkError,
};
use server::{test_config, Key, Reply, Signed, TestServer, ID, SECRET};

const ETAG: &str = "5e547e5605e1dc17a78a6191bc18fbc5";
/// Not UTF-8, so a body read as text would fail.
const OUTPUT: &[u8] = &[0x00, 0xff, 0xfe, b'o', b'k', 0x80];

fn client(server: &TestServer) -> Client {
    Client::new(test_config(&server.endpoint()).region("cn-hangzhou")).expect("client")
}

fn fc_error(status: u16, code: &str, message: &str) -> Reply {
    let body = serde_json::json!({ "errorCode": code, "errorMessage": message });
    Reply::json(status, &body.to_string()).header("x-fc-request-id", "fc-req-1")
}

#[tokio::test]
async fn etag_guards_a_delete_and_fc_errors_are_typed() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/2021-04-06/services/demo%20service") => Reply::json(
                200,
                r#"{"serviceName":"demo service","internetAccess":"true","createdTime":"2024-04-03T05:57:28Z"}"#,
            )
            .header("ETag", ETAG),
            ("GET", _) => fc_error(404, "ServiceNotFound", "service 'gone' does not exist"),
            ("DELETE", _) if r.header("if-match") == Some(ETAG) => fc_error(
                412,
                "PreconditionFailed",
                "the resource has been changed",
            ),
            other => panic!("unexpected request {other:?}"),
        }
    })
    .await;
    let fc = client(&server);

    let service = fc
        .get_service("demo service")
        .qualifier("LATEST")
        .send()
        .await
        .expect("service");
    assert_eq!(service.service_name.as_deref(), Some("demo service"));
    assert_eq!(service.internet_access, Some(true));
    // Read from the header, not the body.
    assert_eq!(service.etag.as_deref(), Some(ETAG));

    let error = fc
        .delete_service("demo service")
        .if_match(service.etag.clone().expect("etag"))
        .send()
        .await
        .expect_err("changed since");
    let SdkError::Service(DeleteServiceError::PreconditionFailed(e)) = &error else {
        panic!("not the typed 412: {error:?}");
    };
    assert_eq!(
        (e.status, e.message.as_str(), e.request_id.as_str()),
        (412, "the resource has been changed", "fc-req-1")
    );

    let error = fc.get_service("gone").send().await.expect_err("missing");
    let SdkError::Service(service_error) = &error else {
        panic!("not a service error: {error:?}");
    };
    assert!(
        matches!(service_error, GetServiceError::ServiceNotFound(_)),
        "{service_error:?}"
    );
    assert_eq!(service_error.request_id(), "fc-req-1");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests.iter().all(|r| r.verified == Ok(Signed::V3)),
        "{requests:?}"
    );
    assert_eq!(requests[0].param("qualifier"), Some("LATEST"));
    assert_eq!(requests[0].header("x-acs-action"), Some("GetService"));
    assert_eq!(requests[1].header("if-match"), Some(ETAG));
}

#[tokio::test]
async fn invoke_function_sends_and_returns_raw_bytes_with_typed_headers() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        match r.path.as_str() {
            "/2021-04-06/services/svc/functions/echo/invocations" => Reply::bytes(200, OUTPUT)
                .header("X-Fc-Invocation-Duration", "12.5")
                .header("X-Fc-Max-Memory-Usage", "24")
                .header("X-Fc-Log-Result", "bG9nIHRhaWw="),
            "/2021-04-06/services/svc/functions/failing/invocations" => {
                Reply::bytes(200, br#"{"errorMessage":"boom"}"#)
                    .header("X-Fc-Error-Type", "UnhandledInvocationError")
            }
            // A header that does not fit its type: a decode error, not a silent `None`.
            _ => Reply::bytes(200, b"").header("X-Fc-Invocation-Duration", "fast"),
        }
    })
    .await;
    let fc = client(&server);

    let event = [0x01, 0xff, b'{'];
    let output = fc
        .invoke_function("svc", "echo")
        .x_fc_log_type(XFcLogType::Tail)
        .body(event.to_vec())
        .send()
        .await
        .expect("invoked");
    assert_eq!(output.body, OUTPUT);
    assert_eq!(output.x_fc_invocation_duration, Some(12.5));
    assert_eq!(output.x_fc_max_memory_usage, Some(24.0));
    assert_eq!(output.x_fc_log_result.as_deref(), Some("bG9nIHRhaWw="));
    assert_eq!(output.x_fc_error_type, None);

    // A function's own failure is a 200 with the error type in a header.
    let failed = fc
        .invoke_function("svc", "failing")
        .send()
        .await
        .expect("answered");
    assert_eq!(
        failed.x_fc_error_type.as_deref(),
        Some("UnhandledInvocationError")
    );
    assert_eq!(failed.body, br#"{"errorMessage":"boom"}"#);

    let error = fc
        .invoke_function("svc", "odd")
        .send()
        .await
        .expect_err("bad header");
    let SdkError::Decode(decode) = &error else {
        panic!("not a decode error: {error:?}");
    };
    let text = decode.to_string();
    assert!(
        text.contains("InvokeFunction")
            && text.contains("(header x-fc-invocation-duration)")
            && text.contains("a number"),
        "{text}"
    );

    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r.verified == Ok(Signed::V3)),
        "{requests:?}"
    );
    let invoke = &requests[0];
    assert_eq!(invoke.method, "POST");
    assert_eq!(invoke.body, event);
    assert_eq!(
        invoke.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(invoke.header("x-fc-log-type"), Some("Tail"));
    assert!(requests[1].body.is_empty());
}
