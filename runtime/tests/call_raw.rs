//! `Client::call_raw`: operations the crate does not model, against the local server
//! that re-verifies every signature (V3 and RPC), with retries, typed errors and
//! timeouts as for modelled operations.

mod support;

use std::time::Duration;

use acsgen_runtime::{
    CallOptions, Client, Location, Method, Params, RawOperation, SdkError, SignatureVersion, Style,
};
use support::{test_config, Key, Reply, Signed, TestServer, ID, SECRET, SERVICE};

fn client(endpoint: &str, version: SignatureVersion) -> Client {
    Client::new(&SERVICE, test_config(endpoint).signature_version(version)).expect("client")
}

#[tokio::test]
async fn raw_calls_are_signed_and_decoded_as_json() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        let body = serde_json::json!({
            "RequestId": "r-1",
            "Echo": r.param("GroupId").or_else(|| r.form().into_iter().find(|(k, _)| k == "GroupId").map(|_| "form")),
            "Total": 12345678901234i64,
        });
        Reply::json(200, &body.to_string()).header("x-acs-request-id", "r-1")
    })
    .await;
    for version in [SignatureVersion::V3, SignatureVersion::RpcV1] {
        let client = client(&server.endpoint(), version);
        let mut params = Params::default();
        params.push(Location::Query, "GroupId", "g 1/中".into());
        params.push_structured(Location::Query, "Tag", Style::RepeatList, &[("k", "v")]);
        let value = client
            .call_raw("DescribeUnmodelledThing", params)
            .await
            .expect("answer");
        assert_eq!(value["Echo"], "g 1/中", "{version:?}");
        assert_eq!(value["Total"].as_i64(), Some(12345678901234));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].verified, Ok(Signed::V3));
    assert_eq!(
        requests[0].header("x-acs-action"),
        Some("DescribeUnmodelledThing")
    );
    assert_eq!(requests[1].verified, Ok(Signed::Rpc));
    assert_eq!(requests[1].param("Action"), Some("DescribeUnmodelledThing"));
    assert_eq!(requests[1].method, "POST");
}

#[tokio::test]
async fn raw_calls_take_method_path_body_and_options() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/apps/a%20b/items");
        Reply::json(200, "")
    })
    .await;
    let client = client(&server.endpoint(), SignatureVersion::V3);
    let mut params = Params::default();
    params.push(Location::Path, "AppId", "a b".into());
    let value = client
        .call_raw_with(
            RawOperation::new("ListItems")
                .method(Method::Get)
                .path("/apps/{AppId}/items")
                .read_only(true),
            params,
            CallOptions::new().header("x-acs-trace", "t1"),
        )
        .await
        .expect("answer");
    // An empty body is `{}`.
    assert_eq!(value, serde_json::json!({}));
    assert_eq!(server.requests()[0].header("x-acs-trace"), Some("t1"));
    assert_eq!(server.requests()[0].verified, Ok(Signed::V3));
}

#[tokio::test]
async fn raw_errors_are_service_errors_and_throttling_is_retried() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, i| match i {
        0 => Reply::error(400, "Throttling.User", "slow down"),
        _ => Reply::error(404, "InvalidGroup.NotFound", "no such group"),
    })
    .await;
    let client = client(&server.endpoint(), SignatureVersion::V3);
    let err = client
        .call_raw("RecoverSomething", Params::default())
        .await
        .expect_err("not found");
    assert_eq!(server.count(), 2, "throttling retried once");
    let SdkError::Service(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.code, "InvalidGroup.NotFound");
    assert_eq!(e.status, 404);
    assert_eq!(
        err.as_service().map(|e| e.code.as_str()),
        Some("InvalidGroup.NotFound")
    );

    // 5xx: a raw call may write, so one attempt unless it is declared read-only.
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::error(503, "ServiceUnavailable", "later")
    })
    .await;
    let client = self::client(&server.endpoint(), SignatureVersion::V3);
    client
        .call_raw("WriteSomething", Params::default())
        .await
        .expect_err("503");
    assert_eq!(server.count(), 1);
    client
        .call_raw_with(
            RawOperation::new("ReadSomething").read_only(true),
            Params::default(),
            CallOptions::new(),
        )
        .await
        .expect_err("503");
    assert_eq!(server.count(), 4);
}

#[tokio::test]
async fn bad_names_and_bodies_are_reported_not_sent() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::html(200, "<html>not json</html>")
    })
    .await;
    let client = client(&server.endpoint(), SignatureVersion::V3);
    for bad in ["", "Has Space", "A\nB", &"x".repeat(129)] {
        let err = client
            .call_raw(bad, Params::default())
            .await
            .expect_err("bad name");
        assert!(matches!(err, SdkError::Build(_)), "{err:?}");
        assert!(err.to_string().len() < 400);
    }
    let err = client
        .call_raw_with(
            RawOperation::new("A").path("no-slash"),
            Params::default(),
            CallOptions::new(),
        )
        .await
        .expect_err("bad path");
    assert!(err.to_string().contains("not a path"), "{err}");
    assert_eq!(server.count(), 0);
    let err = client
        .call_raw("GetPage", Params::default())
        .await
        .expect_err("html");
    let SdkError::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.action, "GetPage");
}

#[tokio::test]
async fn raw_calls_time_out_like_others() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, "{}").delayed(Duration::from_secs(5))
    })
    .await;
    let client = client(&server.endpoint(), SignatureVersion::V3);
    let err = client
        .call_raw_with(
            RawOperation::new("Slow"),
            Params::default(),
            CallOptions::new().read_timeout(Duration::from_millis(50)),
        )
        .await
        .expect_err("timeout");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.count(), 1, "not read-only: not retried");
}

/// A raw (`Location::Stream`) body goes out as `application/octet-stream`, byte for
/// byte, hashed into the V3 signature; query parameters stay in the query.
#[tokio::test]
async fn raw_bodies_are_sent_as_octet_streams_and_signed() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, r#"{"RequestId":"r-1"}"#)
    })
    .await;
    // Not UTF-8, with a NUL: bytes, not text.
    let image: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0, 0xff, 0xfe, b'\n'];
    for version in [SignatureVersion::V3, SignatureVersion::RpcV1] {
        let client = client(&server.endpoint(), version);
        let mut params = Params::default();
        params.push(Location::Query, "Type", "Advanced".into());
        params.push_stream("body", &Some(image.clone()));
        assert_eq!(
            format!("{:?}", ParamsDebug(&params)),
            r#"Req { Type: "Advanced", body: <8 bytes> }"#
        );
        client
            .call_raw("RecognizeAllText", params)
            .await
            .expect("answer");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for (request, signed) in requests.iter().zip([Signed::V3, Signed::Rpc]) {
        assert_eq!(request.verified, Ok(signed));
        assert_eq!(request.body, image);
        assert_eq!(
            request.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(request.param("Type"), Some("Advanced"));
    }
    // V3 signs the body's hash (the server re-checked it against the bytes).
    assert!(requests[0].header("x-acs-content-sha256").is_some());
}

/// A second raw or JSON body, or one beside form parameters, is a build error naming
/// the parameter; nothing is sent.
#[tokio::test]
async fn conflicting_bodies_are_build_errors() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, r#"{"RequestId":"r-1"}"#)
    })
    .await;
    let client = client(&server.endpoint(), SignatureVersion::V3);
    let mut twice = Params::default();
    twice.push_stream("body", &b"one".to_vec());
    twice.push_stream("Image", &b"two".to_vec());
    let mut with_form = Params::default();
    with_form.push_stream("body", &b"one".to_vec());
    with_form.push(Location::Body, "Name", "x".into());
    let mut json_twice = Params::default();
    json_twice.push_json_body("body", &serde_json::json!({"a": 1}));
    json_twice.push_json_field("Name", "x");
    let mut json_with_form = Params::default();
    json_with_form.push_json_field("name", "x");
    json_with_form.push(Location::Body, "Name", "x".into());
    for (params, named) in [
        (twice, "Image"),
        (with_form, "form-body"),
        (json_twice, "`body` is already the request body"),
        (json_with_form, "form-body"),
    ] {
        let error = client
            .call_raw("RecognizeAllText", params)
            .await
            .expect_err("conflict");
        assert!(matches!(error, SdkError::Build(_)), "{error:?}");
        assert!(error.to_string().contains(named), "{error}");
    }
    assert_eq!(server.count(), 0);
}

/// `Params::debug_as` through `Debug`, as a generated request prints itself.
struct ParamsDebug<'a>(&'a Params);

impl std::fmt::Debug for ParamsDebug<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.debug_as("Req", f)
    }
}

/// ROA style through the verifying server: the signature covers the real path with
/// its encoded parameter, JSON bodies go out as `application/json`, a JSON value can
/// ride in the query, and ROA error bodies (`code`/`message`/`requestId`, or nested in
/// `data`) become service errors.
#[tokio::test]
async fn roa_requests_are_signed_over_their_path_with_json_bodies() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        match (r.method.as_str(), r.path.as_str()) {
            ("PUT", "/api/v2/clusters/c-1%202") => Reply::json(202, r#"{"cluster_id":"c-1 2"}"#),
            ("DELETE", _) => Reply::json(
                404,
                r#"{"code":"ErrorClusterNotFound","message":"gone","requestId":"R-404"}"#,
            ),
            _ => Reply::json(
                400,
                r#"{"requestId":"R-400","data":{"code":"QuotaExceeded","message":"too many"}}"#,
            ),
        }
    })
    .await;
    let client = client(&server.endpoint(), SignatureVersion::V3);
    let cluster = |method: Method| {
        RawOperation::new("ModifyCluster")
            .method(method)
            .path("/api/v2/clusters/{ClusterId}")
    };

    let mut params = Params::default();
    params.push(Location::Path, "ClusterId", "c-1 2".into());
    params.push_json_field("cluster_name", "new name");
    params.push_json_field("deletion_protection", &false);
    params.push_json_field("unset", &None::<String>);
    let value = client
        .call_raw_with(cluster(Method::Put), params, CallOptions::new())
        .await
        .expect("answer");
    assert_eq!(value["cluster_id"], "c-1 2");

    let mut params = Params::default();
    params.push(Location::Path, "ClusterId", "c-1 2".into());
    params.push_structured(
        Location::Query,
        "retain_resources",
        Style::Json,
        &["eip-1", "slb 2"],
    );
    let error = client
        .call_raw_with(cluster(Method::Delete), params, CallOptions::new())
        .await
        .expect_err("404");
    let SdkError::Service(service) = &error else {
        panic!("not a service error: {error:?}");
    };
    assert_eq!(
        (
            service.code.as_str(),
            service.request_id.as_str(),
            service.status
        ),
        ("ErrorClusterNotFound", "R-404", 404)
    );

    let mut params = Params::default();
    params.push_json_body("body", &serde_json::json!({"name": "k8s"}));
    let error = client
        .call_raw_with(
            RawOperation::new("CreateCluster").path("/clusters"),
            params,
            CallOptions::new(),
        )
        .await
        .expect_err("400");
    let SdkError::Service(service) = &error else {
        panic!("not a service error: {error:?}");
    };
    assert_eq!(
        (
            service.code.as_str(),
            service.message.as_str(),
            service.request_id.as_str()
        ),
        ("QuotaExceeded", "too many", "R-400")
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests.iter().all(|r| r.verified == Ok(Signed::V3)),
        "{requests:?}"
    );
    let put = &requests[0];
    assert_eq!(
        put.body,
        br#"{"cluster_name":"new name","deletion_protection":false}"#
    );
    assert_eq!(
        put.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let delete = &requests[1];
    assert_eq!(delete.method, "DELETE");
    assert_eq!(delete.path, "/api/v2/clusters/c-1%202");
    assert_eq!(
        delete.param("retain_resources"),
        Some(r#"["eip-1","slb 2"]"#)
    );
    assert!(delete.body.is_empty());
    assert_eq!(requests[2].body, br#"{"name":"k8s"}"#);
}
