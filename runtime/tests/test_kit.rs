//! The `test-util` kit: mock answers in order and by predicate, requests inspected
//! (V3 and RPC, signing parameters left out), retries through the mock, and a recording
//! made against the verifying server on 127.0.0.1 replayed without it.
//!
//! `cargo test -p acsgen-runtime --features test-util --test test_kit`

mod support;

use std::sync::Arc;

use acsgen_runtime::test_util::{MockHttpClient, MockResponse, RecordingHttpClient};
use acsgen_runtime::{
    Client, HttpClient, Location, Method, Params, ReqwestHttpClient, SdkError, SignatureVersion,
};
use support::{test_config, Key, Reply, TestServer, ID, SECRET, SERVICE};

fn client(http: Arc<dyn HttpClient>, version: SignatureVersion, endpoint: &str) -> Client {
    let config = test_config(endpoint)
        .signature_version(version)
        .http_client(http);
    Client::new(&SERVICE, config).expect("client")
}

fn group(id: &str) -> Params {
    let mut p = Params::default();
    p.push(Location::Query, "GroupId", id.into());
    p.push(Location::Body, "Note", "a b&c".into());
    p
}

#[tokio::test]
async fn answers_in_order_and_by_predicate_and_records_requests() {
    let mock = MockHttpClient::new();
    mock.on("DescribeGroup").respond_in_order([
        MockResponse::json(r#"{"Name":"first"}"#),
        MockResponse::json(r#"{"Name":"second"}"#),
    ]);
    mock.on("DescribeGroup")
        .when(|r| r.param("GroupId") == Some("vip"))
        .respond_always(MockResponse::json(r#"{"Name":"vip"}"#));
    for version in [SignatureVersion::V3, SignatureVersion::RpcV1] {
        let client = client(mock.shared(), version, "live.aliyuncs.com");
        let v = client
            .call_raw("DescribeGroup", group("vip"))
            .await
            .expect("vip");
        assert_eq!(v["Name"], "vip");
    }
    let client = client(mock.shared(), SignatureVersion::RpcV1, "live.aliyuncs.com");
    let first = client
        .call_raw("DescribeGroup", group("g"))
        .await
        .expect("1");
    let second = client
        .call_raw("DescribeGroup", group("g"))
        .await
        .expect("2");
    assert_eq!(
        (first["Name"].as_str(), second["Name"].as_str()),
        (Some("first"), Some("second"))
    );
    assert_eq!(mock.unused(), 0);
    // Used up: a clear service error naming the action, not a hang.
    let err = client
        .call_raw("DescribeGroup", group("g"))
        .await
        .expect_err("no more");
    assert_eq!(
        err.as_service().map(|e| e.code.as_str()),
        Some("MockNoResponse")
    );
    assert!(err.to_string().contains("DescribeGroup"), "{err}");

    let requests = mock.requests_for("DescribeGroup");
    assert_eq!(requests.len(), 5);
    for r in &requests {
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.path, "/");
        // Only the caller's parameters: no Signature, Timestamp, AccessKeyId, ...
        let names: Vec<&str> = r.params.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["GroupId", "Note"], "{r:?}");
        assert_eq!(r.param("Note"), Some("a b&c"));
    }
}

#[tokio::test]
async fn errors_are_typed_and_throttling_is_retried_through_the_mock() {
    let mock = MockHttpClient::new();
    mock.on("RecoverGroup").respond_in_order([
        MockResponse::error(400, "Throttling.User", "slow down"),
        MockResponse::error(404, "InvalidGroup.NotFound", "gone"),
    ]);
    let client = client(mock.shared(), SignatureVersion::V3, "live.aliyuncs.com");
    let err = client
        .call_raw("RecoverGroup", group("g"))
        .await
        .expect_err("gone");
    let SdkError::Service(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((e.status, e.code.as_str()), (404, "InvalidGroup.NotFound"));
    assert_eq!(mock.requests().len(), 2, "throttling retried");
    // A retry-after header is honoured like a real one.
    let mock = MockHttpClient::new();
    mock.on("A").respond(
        MockResponse::json("{}")
            .status(503)
            .header("x-acs-retry-after", "1"),
    );
    mock.on("A").respond(MockResponse::json(r#"{"ok":true}"#));
    let client = self::client(mock.shared(), SignatureVersion::V3, "live.aliyuncs.com");
    let v = client
        .call_raw("A", Params::default())
        .await
        .expect("after retry");
    assert_eq!(v["ok"], true);
}

#[tokio::test]
async fn a_recording_of_the_real_server_replays_without_it() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        assert!(r.verified.is_ok(), "{:?}", r.verified);
        match r.param("GroupId") {
            Some("missing") => Reply::error(404, "InvalidGroup.NotFound", "gone"),
            Some(g) => Reply::json(200, &format!(r#"{{"RequestId":"r","GroupId":"{g}"}}"#)),
            None => Reply::json(200, "{}"),
        }
    })
    .await;
    let recorder = RecordingHttpClient::new(Arc::new(ReqwestHttpClient::new()));
    let live = client(recorder.shared(), SignatureVersion::V3, &server.endpoint());
    let a = live.call_raw("DescribeGroup", group("a")).await.expect("a");
    let b = live.call_raw("DescribeGroup", group("b")).await.expect("b");
    let missing = live
        .call_raw("DescribeGroup", group("missing"))
        .await
        .expect_err("404");
    assert_eq!(recorder.len(), 3);
    let file = std::env::temp_dir().join(format!(
        "acsgen-runtime-cassette-{}.json",
        std::process::id()
    ));
    recorder.save(&file).expect("save");
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(!text.contains(SECRET) && !text.contains("Signature") && !text.contains(ID));
    drop(server);

    let replay = MockHttpClient::replay(&file).expect("load");
    let _ = std::fs::remove_file(&file);
    let offline = client(replay.shared(), SignatureVersion::V3, "live.aliyuncs.com");
    // Matched by action and parameters, whatever the order.
    assert_eq!(
        offline
            .call_raw("DescribeGroup", group("b"))
            .await
            .expect("b"),
        b
    );
    assert_eq!(
        offline
            .call_raw("DescribeGroup", group("a"))
            .await
            .expect("a"),
        a
    );
    let again = offline
        .call_raw("DescribeGroup", group("missing"))
        .await
        .expect_err("404");
    assert_eq!(
        again.as_service().map(|e| &e.code),
        missing.as_service().map(|e| &e.code)
    );
}

#[tokio::test]
async fn v3_requests_keep_parameters_named_like_rpc_signing_ones() {
    let mock = MockHttpClient::new();
    mock.on("A").respond_always(MockResponse::json("{}"));
    let mut params = Params::default();
    params.push(Location::Query, "Version", "v9".into());
    client(mock.shared(), SignatureVersion::V3, "live.aliyuncs.com")
        .call_raw("A", params.clone())
        .await
        .expect("v3");
    client(mock.shared(), SignatureVersion::RpcV1, "live.aliyuncs.com")
        .call_raw("A", Params::default())
        .await
        .expect("rpc");
    let seen = mock.requests();
    assert_eq!(seen[0].param("Version"), Some("v9"));
    assert!(seen[1].params.is_empty(), "{:?}", seen[1]);
}
