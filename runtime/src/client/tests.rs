//! Request building, signing assembly, decoding and classification, without I/O.

use super::*;
use crate::encoding::params::Location;
use crate::environment::Environment;
use crate::service::{EndpointRule, Method, Scheme};
use crate::transport::Received;

use super::finish::classify;
use serde::Deserialize;
use std::time::Duration;

static SVC: ServiceInfo = ServiceInfo {
    product: "live",
    version: "2016-11-01",
    endpoint_rule: EndpointRule::Regional,
    default_endpoint: "live.aliyuncs.com",
    endpoint_map: &[("cn-shanghai", "live.aliyuncs.com")],
    scheme: Scheme::Https,
    crate_name: "alibabacloud-live",
    crate_version: "9.9.9",
};

static PATH_OP: OperationInfo = OperationInfo {
    action: "GetThing",
    method: Method::Get,
    path: "/apps/{AppId}/items/[Item]",
    read_only: true,
    qps_limit: None,
};

fn client(config: Config) -> Client {
    let config = config
        .region("cn-shanghai")
        .environment(Environment::empty());
    Client::new(&SVC, config).expect("client")
}

const DATE: &str = "2024-05-06T07:08:09Z";
const NONCE: &str = "1e4c0aa5b2d34f6a8e9f0123456789ab";

#[test]
fn user_agent_names_runtime_and_generated_crate() {
    let c = client(Config::new().user_agent("myapp/1"));
    let ua = c.user_agent();
    assert!(
        ua.contains(&format!("acsgen-runtime/{}", env!("CARGO_PKG_VERSION"))),
        "{ua}"
    );
    assert!(
        ua.contains("alibabacloud-live/9.9.9") && ua.ends_with(" myapp/1"),
        "{ua}"
    );
    let err = Client::new(
        &SVC,
        Config::new().region("cn-shanghai").user_agent("bad\n"),
    )
    .expect_err("control char");
    assert!(matches!(err, ConfigError::InvalidUserAgent(_)));
}

#[test]
fn host_path_and_header_parameters_are_placed() {
    let c = client(Config::new());
    let mut p = Params::default();
    p.push(Location::Path, "AppId", "my app/1".into());
    p.push(Location::Path, "Item", "x".into());
    p.push(Location::Host, "Bucket", "bkt-1".into());
    p.push(Location::Header, "X-Acs-Trace", "t1".into());
    p.push(Location::Header, "If-Match", "etag".into());
    p.push(Location::Query, "Q", "a b".into());
    let cred = Credential::new("id", "secret");
    let r = c
        .sign_request(&PATH_OP, &p, &CallOptions::new(), &cred, DATE, NONCE)
        .expect("built");
    assert_eq!(
        r.url,
        "https://bkt-1.live.aliyuncs.com/apps/my%20app%2F1/items/x?Q=a%20b"
    );
    assert_eq!(r.header("host"), Some("bkt-1.live.aliyuncs.com"));
    assert_eq!(r.header("x-acs-trace"), Some("t1"));
    assert_eq!(r.header("if-match"), Some("etag"));
    assert!(r
        .canonical
        .starts_with("GET\n/apps/my%20app%2F1/items/x\nQ=a%20b\n"));
    // x-acs-* header parameters are signed, others are not.
    let signed = r.header("authorization").expect("auth");
    assert!(
        signed.contains("x-acs-trace") && !signed.contains("if-match"),
        "{signed}"
    );
}

#[test]
fn a_whole_path_parameter_is_encoded_segment_by_segment() {
    let c = client(Config::new());
    let op = OperationInfo {
        path: "{+requestPath}",
        ..PATH_OP
    };
    let cred = Credential::new("id", "secret");
    let sign = |value: &str| {
        let mut p = Params::default();
        p.push(Location::Path, "requestPath", value.into());
        c.sign_request(&op, &p, &CallOptions::new(), &cred, DATE, NONCE)
    };
    let r =
        sign("/api/v1/providers/Aliyun/products/Redis/resources/DBInstance/r-1 a*").expect("built");
    assert_eq!(
        r.url,
        "https://live.aliyuncs.com/api/v1/providers/Aliyun/products/Redis/resources/DBInstance/r-1%20a%2A"
    );
    assert!(r.canonical.starts_with(
        "GET\n/api/v1/providers/Aliyun/products/Redis/resources/DBInstance/r-1%20a%2A\n"
    ));
    for (bad, why) in [
        ("api/v1", "must start with `/`"),
        ("/api/../tasks", "`..` segment"),
        ("/api/./x", "`.` segment"),
    ] {
        let err = sign(bad).expect_err(bad).to_string();
        assert!(err.contains("`requestPath`") && err.contains(why), "{err}");
    }
    // `?` and `#` are encoded, so they cannot start a query or a fragment.
    let r = sign("/a?b=1#c").expect("built");
    assert!(r.url.ends_with("/a%3Fb%3D1%23c"), "{}", r.url);
}

#[test]
fn bad_parameters_are_build_errors_naming_them() {
    let c = client(Config::new());
    let cred = Credential::new("id", "secret");
    let build = |p: &Params| {
        c.sign_request(&PATH_OP, p, &CallOptions::new(), &cred, DATE, NONCE)
            .expect_err("invalid")
            .to_string()
    };
    let mut p = Params::default();
    p.push(Location::Path, "AppId", "a".into());
    assert!(build(&p).contains("`Item`"));
    p.push(Location::Path, "Item", "b".into());
    p.push(Location::Path, "Extra", "c".into());
    assert!(build(&p).contains("`Extra`"));

    let mut p = Params::default();
    p.push(Location::Path, "AppId", "a".into());
    p.push(Location::Path, "Item", "b".into());
    let mut with_header = p.clone();
    with_header.push(Location::Header, "x-acs-x", "line\nbreak".into());
    assert!(build(&with_header).contains("`x-acs-x`"));
    let mut with_host = p.clone();
    with_host.push(Location::Host, "Bucket", "evil.com/".into());
    assert!(build(&with_host).contains("`Bucket`"));
}

#[test]
fn call_option_headers_replace_runtime_headers() {
    let c = client(Config::new());
    let op = OperationInfo {
        action: "A",
        method: Method::Post,
        path: "/",
        read_only: false,
        qps_limit: None,
    };
    let r = c
        .sign_request(
            &op,
            &Params::default(),
            &CallOptions::new().header("User-Agent", "custom"),
            &Credential::new("id", "secret"),
            DATE,
            NONCE,
        )
        .expect("built");
    assert_eq!(r.header("user-agent"), Some("custom"));
    assert_eq!(
        r.headers.iter().filter(|(n, _)| n == "user-agent").count(),
        1
    );
    assert_eq!(r.url, "https://live.aliyuncs.com/");
}

#[test]
fn debug_of_signed_requests_hides_the_security_token() {
    let token = "CAISTokenThatMustNotLeak";
    let cred = Credential::with_security_token("STS.id", "secret-xyz", token);
    let op = OperationInfo {
        action: "A",
        method: Method::Post,
        path: "/",
        read_only: false,
        qps_limit: None,
    };
    for version in [SignatureVersion::V3, SignatureVersion::RpcV1] {
        let c = client(Config::new().signature_version(version));
        let r = c
            .sign_request(
                &op,
                &Params::default(),
                &CallOptions::new(),
                &cred,
                DATE,
                NONCE,
            )
            .expect("built");
        let text = format!("{r:?}");
        assert!(!text.contains(token), "{version:?}: {text}");
        assert!(!text.contains("secret-xyz"));
        assert!(text.contains("***"));
    }
}

#[derive(Debug, Deserialize)]
struct Seed {
    #[serde(rename = "RequestId")]
    _request_id: String,
    #[serde(rename = "GroupId")]
    group_id: String,
}

fn raw(headers: &[(&str, &str)], body: &[u8]) -> RawResponse {
    RawResponse {
        status: 200,
        request_id: None,
        headers: headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
        body: body.to_vec(),
    }
}

#[test]
fn a_text_body_is_read_whole_and_must_be_utf8() {
    let body = b"#!/bin/sh\necho {not json}";
    let script = raw(&[], body).into_text("DescribeScript").expect("text");
    assert_eq!(script.as_bytes(), body);
    let err = raw(&[], &[b'a', 0xff])
        .into_text("DescribeScript")
        .expect_err("bad");
    let text = err.to_string();
    assert!(
        text.contains("DescribeScript") && text.contains("not UTF-8"),
        "{text}"
    );
    // JSON types are unaffected: text is not JSON for them.
    let err = decode_response::<Vec<String>>("ListNames", b"a,b").expect_err("not JSON");
    assert!(err.to_string().contains("ListNames"));
    let names: Vec<String> = decode_response("ListNames", br#"["a","b"]"#).expect("array");
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn headers_are_read_in_any_case_and_decoded_like_fields() {
    let answer = raw(&[("etag", "\"5e54\""), ("x-timeout", "30")], b"{}");
    assert_eq!(answer.header("ETag"), Some("\"5e54\""));
    let etag: Option<String> = answer.header_value("GetService", "ETag").expect("string");
    assert_eq!(etag.as_deref(), Some("\"5e54\""));
    let timeout: Option<i64> = answer.header_value("Create", "X-Timeout").expect("int");
    assert_eq!(timeout, Some(30));
    let absent: Option<String> = answer.header_value("Create", "x-missing").expect("ok");
    assert_eq!(absent, None);
    let err = answer
        .header_value::<bool>("Create", "X-Timeout")
        .expect_err("not a boolean");
    let text = err.to_string();
    assert!(
        text.contains("Create") && text.contains("(header x-timeout)") && text.contains("boolean"),
        "{text}"
    );
    // The value is quoted in the message; the excerpt is the body's, labelled as such.
    assert!(
        text.contains("\"30\"") && text.ends_with("(body: {})"),
        "{text}"
    );
}

#[test]
fn decode_errors_name_action_and_field_path() {
    let ok: Seed = decode_body(
        "A",
        br#"{"RequestId":"B95BE680-5A6A-1CAD-8AB1-09DFF5D6****","GroupId":"grouptest"}"#,
    )
    .expect("decodes");
    assert_eq!(ok.group_id, "grouptest");
    let err = decode_body::<Seed>("RecoverGroup", br#"{"RequestId":"r","GroupId":5}"#)
        .expect_err("wrong type");
    assert_eq!(err.path, "GroupId");
    let text = err.to_string();
    assert!(
        text.contains("RecoverGroup") && text.contains("`GroupId`"),
        "{text}"
    );
    let err = decode_body::<Seed>("A", b"<html>").expect_err("not json");
    assert!(err.to_string().contains("cannot decode the A response"));
    let err =
        decode_body::<Seed>("A", br#"{"RequestId":"r","GroupId":"g"} x"#).expect_err("trailing");
    assert_eq!(err.path, ".");
    #[derive(Deserialize)]
    struct Empty {}
    assert!(decode_body::<Empty>("A", b"").is_ok());
}

#[test]
fn classify_splits_throttling_service_and_non_json_errors() {
    let resp = |status, retry_after, body: &str| Received {
        status,
        retry_after,
        content_type: Some("text/html".into()),
        request_id: None,
        headers: Vec::new(),
        body: body.as_bytes().to_vec(),
    };
    assert!(classify("A", resp(200, None, "{}")).is_ok());
    let e = classify(
        "A",
        resp(400, None, r#"{"Code":"Throttling.User","Message":"m"}"#),
    );
    assert!(matches!(e, Err(RawError::Throttling(t)) if t.retry_after.is_none()));
    let e = classify(
        "A",
        resp(503, Some(Duration::from_millis(5)), "<html>busy</html>"),
    );
    assert!(matches!(e, Err(RawError::Throttling(t)) if t.error.is_none() && t.status == 503));
    let e = classify("A", resp(404, None, r#"{"Code":"NotFound","Message":"m"}"#));
    assert!(matches!(e, Err(RawError::Service(s)) if s.code == "NotFound"));
    let e = classify("A", resp(502, None, "<html>bad gateway</html>"));
    assert!(matches!(e, Err(RawError::Response(r)) if r.body_prefix.contains("bad gateway")));
}
