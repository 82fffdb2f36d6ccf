//! Reproduces every signature vector of tests/vectors/vectors.json (RPC and V3) and
//! tests/vectors/roa-vectors.json (ROA: V3 over the real path, JSON bodies), copies of
//! ../shared/protocol/ (computed with Alibaba's official Python SDKs), kept in the
//! repository so a fresh clone runs these tests.

use std::collections::BTreeMap;

use acsgen_runtime::signing::{canonical_query, rpc, v3};
use acsgen_runtime::{
    CallOptions, Client, Config, Credential, EndpointRule, Environment, Location, Method,
    OperationInfo, Params, Scheme, ServiceInfo, SignatureVersion, SignedHeaderSet, SignedRequest,
    Style,
};
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/vectors.json");

/// The upstream file the copy came from, when ../shared is beside the checkout.
const UPSTREAM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/protocol/vectors.json"
);

static LIVE: ServiceInfo = ServiceInfo {
    product: "live",
    version: "2016-11-01",
    endpoint_rule: EndpointRule::Regional,
    default_endpoint: "live.aliyuncs.com",
    endpoint_map: &[
        ("ap-southeast-1", "live.aliyuncs.com"),
        ("cn-beijing", "live.aliyuncs.com"),
        ("cn-shanghai", "live.aliyuncs.com"),
    ],
    scheme: Scheme::Https,
    crate_name: "alibabacloud-live",
    crate_version: "0.1.0",
};

fn load() -> Vec<Value> {
    let root: Value = serde_json::from_str(VECTORS).expect("vectors.json is JSON");
    root["vectors"].as_array().expect("vectors array").clone()
}

#[test]
#[ignore = "needs ../shared beside the checkout; .ci/run runs it when ../shared exists"]
fn the_copy_matches_the_upstream_vectors() {
    let upstream = std::fs::read_to_string(UPSTREAM).expect("read ../shared/protocol/vectors.json");
    assert!(
        upstream == VECTORS,
        "runtime/tests/vectors/vectors.json differs from {UPSTREAM}: copy it again"
    );
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("field {key} missing in {v}"))
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn credential(input: &Value) -> Credential {
    let id = s(input, "access_key_id");
    let secret = s(input, "access_key_secret");
    match input["security_token"].as_str() {
        Some(token) => Credential::with_security_token(id, secret, token),
        None => Credential::new(id, secret),
    }
}

fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ascii");
                out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("utf-8")
}

fn decode_query(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

fn json_map(v: &Value) -> BTreeMap<String, String> {
    pairs(v).into_iter().collect()
}

/// Placement of each request field, as in the generated live client.
fn placement(operation: &str, field: &str) -> (Location, Option<Style>) {
    match (operation, field) {
        ("PutRecordStorageLifeCycle", "StreamIds") => (Location::Body, Some(Style::Json)),
        ("PutRecordStorageLifeCycle", _) => (Location::Body, None),
        ("AddLiveDomain", "Tag") => (Location::Query, Some(Style::RepeatList)),
        ("AddLiveMessageGroupBand", "BannedUsers") => (Location::Query, Some(Style::Simple)),
        _ => (Location::Query, None),
    }
}

fn live_params(operation: &'static str, request: &Value) -> Params {
    let fields = request.as_object().expect("request object");
    let mut params = Params::with_capacity(fields.len());
    for (name, value) in fields {
        let name: &'static str = Box::leak(name.clone().into_boxed_str());
        match placement(operation, name) {
            (location, Some(style)) => params.push_structured(location, name, style, value),
            (location, None) => {
                let text = match value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                params.push(location, name, text);
            }
        }
    }
    params
}

fn operation(name: &str) -> &'static OperationInfo {
    let action: &'static str = Box::leak(name.to_owned().into_boxed_str());
    Box::leak(Box::new(OperationInfo {
        action,
        method: Method::Post,
        path: "/",
        read_only: false,
        qps_limit: None,
    }))
}

fn sdk_client(version: SignatureVersion, region: &str) -> Client {
    let config = Config::new()
        .region(region)
        .signature_version(version)
        // The Python SDK signs every header it sends.
        .signed_headers(SignedHeaderSet::All)
        .environment(Environment::empty());
    Client::new(&LIVE, config).expect("client")
}

fn check_v3_raw(id: &str, input: &Value, expected: &Value) {
    let body = s(input, "body_string").as_bytes();
    let content_sha256 = v3::hash_payload(body);
    let mut headers = pairs(&input["headers"]);
    headers.push(("x-acs-content-sha256".into(), content_sha256.clone()));
    assert_eq!(
        content_sha256,
        s(&expected["headers"], "x-acs-content-sha256"),
        "{id}"
    );
    let refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let query = canonical_query(&pairs(&input["query"]));
    let sig = v3::sign(
        &v3::V3Request {
            method: s(input, "method"),
            canonical_uri: s(input, "pathname"),
            canonical_query: &query,
            headers: &refs,
            hashed_payload: &content_sha256,
        },
        // Raw vectors sign exactly the given headers; all are host/x-acs-*/content-type,
        // so the production rule selects the same set.
        SignedHeaderSet::Standard,
        &credential(input),
    );
    assert_eq!(
        sig.canonical_request,
        s(expected, "canonical_request"),
        "{id}"
    );
    assert_eq!(
        sig.string_to_sign,
        format!(
            "ACS3-HMAC-SHA256\n{}",
            s(expected, "hashed_canonical_request")
        ),
        "{id}"
    );
    assert_eq!(sig.string_to_sign, s(expected, "string_to_sign"), "{id}");
    assert_eq!(sig.signed_headers, s(expected, "signed_headers"), "{id}");
    assert_eq!(sig.signature, s(expected, "signature"), "{id}");
    assert_eq!(sig.authorization, s(expected, "authorization"), "{id}");
}

fn check_sdk(id: &str, input: &Value, expected: &Value, version: SignatureVersion) {
    let live = &input["live_request"];
    let op = operation(s(live, "operation"));
    let client = sdk_client(version, s(live, "region_id"));
    assert_eq!(client.endpoint().host, s(expected, "endpoint"), "{id}");
    let params = live_params(op.action, &live["request"]);
    let request = sign_like_the_sdk(id, &client, op, &params, input);
    let sent = &expected["sent"];

    assert_eq!(
        request.string_to_sign,
        s(expected, "string_to_sign"),
        "{id}"
    );
    assert_eq!(request.signature, s(expected, "signature"), "{id}");
    match version {
        SignatureVersion::V3 => {
            assert_eq!(request.canonical, s(expected, "canonical_request"), "{id}");
            assert_eq!(
                request.header("authorization"),
                Some(s(expected, "authorization")),
                "{id}"
            );
        }
        _ => assert_eq!(
            request.canonical,
            s(expected, "canonicalized_query_string"),
            "{id}"
        ),
    }

    assert_same_headers(id, &request, sent);

    // Same parameters (we send %20 where the SDK sends +; both decode alike) and body.
    let (base, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
    assert_eq!(base, "https://live.aliyuncs.com/", "{id}");
    assert_eq!(
        decode_query(query),
        json_map(&expected["final_query_decoded"]),
        "{id}"
    );
    assert!(
        !query.contains('+'),
        "{id}: the sent query is the signed one (%20)"
    );
    let body = sent["body"].as_str().unwrap_or("");
    assert_eq!(String::from_utf8_lossy(&request.body), body, "{id}: body");
    if let Some(decoded) = expected.get("final_body_decoded") {
        assert_eq!(decode_query(body), json_map(decoded), "{id}");
    }
}

/// Signs at the vector's date and nonce, adding the SDK's own headers (its
/// user-agent and its credential provider name).
fn sign_like_the_sdk(
    id: &str,
    client: &Client,
    op: &OperationInfo,
    params: &Params,
    input: &Value,
) -> SignedRequest {
    let cred = credential(input);
    let mut options = CallOptions::new().header("x-acs-credentials-provider", cred.provider_name());
    for (name, value) in pairs(&input["headers"]) {
        options = options.header(name, value);
    }
    client
        .sign_request(
            op,
            params,
            &options,
            &cred,
            s(input, "date"),
            s(input, "nonce"),
        )
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// The request sends exactly the headers the SDK sent (names compared lower-case).
fn assert_same_headers(id: &str, request: &SignedRequest, sent: &Value) {
    let ours: BTreeMap<String, String> = request
        .headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.clone()))
        .collect();
    let theirs: BTreeMap<String, String> = pairs(&sent["headers"])
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    assert_eq!(ours, theirs, "{id}: headers");
}

fn check_rpc_raw(id: &str, input: &Value, expected: &Value) {
    let cred = Credential::new("unused", s(input, "access_key_secret"));
    assert_eq!(
        s(expected, "hmac_key"),
        format!("{}&", s(input, "access_key_secret"))
    );
    let sig = rpc::sign(s(input, "method"), "/", &pairs(&input["query"]), &cred);
    assert_eq!(
        sig.canonicalized_query,
        s(expected, "canonicalized_query_string"),
        "{id}"
    );
    assert_eq!(sig.string_to_sign, s(expected, "string_to_sign"), "{id}");
    assert_eq!(sig.signature, s(expected, "signature"), "{id}");
}

/// aliyunsdkcore's RpcRequest adds RegionId, Format=JSON and an empty SignatureType.
fn check_rpc_core(id: &str, input: &Value, expected: &Value) {
    let cred = credential(input);
    let mut all = pairs(&input["query"]);
    for (k, v) in [
        ("Version", s(input, "version")),
        ("Action", s(input, "action")),
        ("Format", "JSON"),
        ("RegionId", s(input, "region_id")),
        ("Timestamp", s(input, "date")),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureType", ""),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", s(input, "nonce")),
        ("AccessKeyId", cred.access_key_id()),
    ] {
        all.push((k.to_owned(), v.to_owned()));
    }
    let sig = rpc::sign(s(input, "method"), "/", &all, &cred);
    assert_eq!(
        sig.canonicalized_query,
        s(expected, "canonicalized_query_string"),
        "{id}"
    );
    assert_eq!(sig.string_to_sign, s(expected, "string_to_sign"), "{id}");
    assert_eq!(sig.signature, s(expected, "signature"), "{id}");
    // The sent URL carries the same signature, URL-encoded.
    let sent = s(&expected["sent"], "url_path_and_query");
    let signature = decode_query(sent.trim_start_matches("/?"))["Signature"].clone();
    assert_eq!(signature, sig.signature, "{id}");
}

#[test]
fn every_vector_is_reproduced() {
    let vectors = load();
    let mut checked = Vec::new();
    for vector in &vectors {
        let id = s(vector, "id");
        let input = &vector["input"];
        let expected = &vector["expected"];
        match (s(input, "signature"), s(input, "engine")) {
            ("v3", "raw") => check_v3_raw(id, input, expected),
            ("v3", "sdk") => check_sdk(id, input, expected, SignatureVersion::V3),
            ("rpc_v1", "raw") => check_rpc_raw(id, input, expected),
            ("rpc_v1", "sdk") => check_sdk(id, input, expected, SignatureVersion::RpcV1),
            ("rpc_v1", "core") => check_rpc_core(id, input, expected),
            other => panic!("{id}: unhandled vector kind {other:?}"),
        }
        checked.push(id);
    }
    assert_eq!(checked.len(), vectors.len());
    assert!(
        checked.len() >= 20,
        "expected the 20 published vectors, got {checked:?}"
    );
}

/// The sdk vectors again, but signing only host/content-type/x-acs-* (production rule):
/// the result must equal the matching "raw ... minimal-headers" vector.
#[test]
fn production_header_rule_matches_minimal_header_vectors() {
    let vectors = load();
    let by_id: BTreeMap<&str, &Value> = vectors.iter().map(|v| (s(v, "id"), v)).collect();
    let pairs_to_check = [
        (
            "v3-sdk-live-recover-plain",
            "v3-raw-live-recover-minimal-headers",
        ),
        (
            "v3-sdk-live-recover-encoding-empty",
            "v3-raw-live-recover-encoding-minimal-headers",
        ),
        (
            "v3-sdk-live-formbody-json-style",
            "v3-raw-live-formbody-minimal-headers",
        ),
        (
            "v3-sdk-live-recover-sts",
            "v3-raw-live-recover-sts-minimal-headers",
        ),
    ];
    for (sdk_id, raw_id) in pairs_to_check {
        let sdk = by_id[sdk_id];
        let raw = by_id[raw_id];
        let input = &sdk["input"];
        let live = &input["live_request"];
        let op = operation(s(live, "operation"));
        let config = Config::new()
            .region(s(live, "region_id"))
            .environment(Environment::empty());
        let client = Client::new(&LIVE, config).expect("client");
        let params = live_params(op.action, &live["request"]);
        let request = client
            .sign_request(
                op,
                &params,
                &CallOptions::new(),
                &credential(input),
                s(input, "date"),
                s(input, "nonce"),
            )
            .expect("signed");
        let expected = &raw["expected"];
        assert_eq!(
            request.canonical,
            s(expected, "canonical_request"),
            "{raw_id}"
        );
        assert_eq!(request.signature, s(expected, "signature"), "{raw_id}");
        assert_eq!(
            request.header("authorization"),
            Some(s(expected, "authorization")),
            "{raw_id}"
        );
    }
}

// ROA: tests/vectors/roa-vectors.json, a copy of ../shared/protocol/roa-vectors.json
// (five ACK requests signed by the official SDK's `call_api` with style ROA).

const ROA_VECTORS: &str = include_str!("vectors/roa-vectors.json");
const ROA_UPSTREAM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/protocol/roa-vectors.json"
);

static CS: ServiceInfo = ServiceInfo {
    product: "cs",
    version: "2015-12-15",
    endpoint_rule: EndpointRule::Regional,
    default_endpoint: "cs.aliyuncs.com",
    endpoint_map: &[],
    scheme: Scheme::Https,
    crate_name: "alibabacloud-cs",
    crate_version: "0.1.0",
};

#[test]
#[ignore = "needs ../shared beside the checkout; .ci/run runs it when ../shared exists"]
fn the_roa_copy_matches_the_upstream_vectors() {
    let upstream =
        std::fs::read_to_string(ROA_UPSTREAM).expect("read ../shared/protocol/roa-vectors.json");
    assert!(
        upstream == ROA_VECTORS,
        "runtime/tests/vectors/roa-vectors.json differs from {ROA_UPSTREAM}: copy it again"
    );
}

/// `CreateCluster`'s body as a generated struct would hold it (fields in wire order).
#[derive(serde::Serialize)]
struct CreateCluster {
    name: &'static str,
    cluster_type: &'static str,
    region_id: &'static str,
    vswitch_ids: Vec<&'static str>,
    tags: Vec<Tag>,
    addons: Vec<Addon>,
    deletion_protection: bool,
    num_of_nodes: i32,
}

#[derive(serde::Serialize)]
struct Tag {
    key: &'static str,
    value: &'static str,
}

#[derive(serde::Serialize)]
struct Addon {
    name: &'static str,
    config: &'static str,
}

fn create_cluster() -> CreateCluster {
    CreateCluster {
        name: "k8s test",
        cluster_type: "ManagedKubernetes",
        region_id: "cn-hangzhou",
        vswitch_ids: vec!["vsw-1", "vsw-2"],
        tags: vec![Tag {
            key: "env",
            value: "中文 ~*",
        }],
        addons: vec![Addon {
            name: "flannel",
            config: r#"{"a":1}"#,
        }],
        deletion_protection: true,
        num_of_nodes: 3,
    }
}

/// Each vector's path template and (decoded) path parameters.
fn roa_path(name: &str) -> (&'static str, Vec<(&'static str, &'static str)>) {
    match name {
        "roa-get-path-param" => (
            "/clusters/{ClusterId}",
            vec![("ClusterId", "c82e6987e2961451182edacd74faf0f2b")],
        ),
        "roa-get-query-encoding" => ("/api/v1/clusters", Vec::new()),
        "roa-post-json-body" => ("/clusters", Vec::new()),
        "roa-delete-path-and-query" => {
            ("/clusters/{ClusterId}", vec![("ClusterId", "c-1 2*~/中文")])
        }
        "roa-put-json-body-sts" => ("/api/v2/clusters/{ClusterId}", vec![("ClusterId", "c-123")]),
        other => panic!("no request for ROA vector {other}"),
    }
}

#[test]
fn every_roa_vector_is_reproduced() {
    let root: Value = serde_json::from_str(ROA_VECTORS).expect("roa-vectors.json is JSON");
    let vectors = root["vectors"].as_array().expect("vectors array");
    assert_eq!(vectors.len(), 5);
    for vector in vectors {
        let name = s(vector, "name");
        let input = &vector["input"];
        let expected = &vector["expected"];
        assert_eq!(
            (s(input, "signature"), s(input, "style")),
            ("v3", "ROA"),
            "{name}"
        );
        let (path, path_params) = roa_path(name);
        let op: &'static OperationInfo = Box::leak(Box::new(OperationInfo {
            action: Box::leak(s(input, "action").to_owned().into_boxed_str()),
            method: match s(input, "method") {
                "GET" => Method::Get,
                "POST" => Method::Post,
                "PUT" => Method::Put,
                "DELETE" => Method::Delete,
                other => panic!("{name}: method {other}"),
            },
            path,
            read_only: false,
            qps_limit: None,
        }));
        let mut params = Params::default();
        for (key, value) in &path_params {
            params.push(Location::Path, key, (*value).to_owned());
        }
        for (key, value) in pairs(&input["query"]) {
            let key: &'static str = Box::leak(key.into_boxed_str());
            params.push(Location::Query, key, value);
        }
        match (name, input.get("body")) {
            // One whole body, from a struct (fields in wire order) holding the
            // vector's value.
            ("roa-post-json-body", Some(body)) => {
                let value = create_cluster();
                assert_eq!(&serde_json::to_value(&value).unwrap(), body, "{name}");
                params.push_json_body("body", &value);
            }
            // Field by field, in the order the SDK sent them.
            ("roa-put-json-body-sts", Some(Value::Object(fields))) => {
                for key in ["deletion_protection", "cluster_name"] {
                    params.push_json_field(key, &fields[key]);
                }
            }
            (_, None) => {}
            other => panic!("{name}: unexpected body {other:?}"),
        }
        let config = Config::new()
            .region("cn-hangzhou")
            .signed_headers(SignedHeaderSet::All)
            .environment(Environment::empty());
        let client = Client::new(&CS, config).expect("client");
        assert_eq!(client.endpoint().host, s(expected, "endpoint"), "{name}");
        let request = sign_like_the_sdk(name, &client, op, &params, input);
        assert_eq!(
            request.canonical,
            s(expected, "canonical_request"),
            "{name}"
        );
        assert_eq!(
            request.string_to_sign,
            s(expected, "string_to_sign"),
            "{name}"
        );
        assert_eq!(request.signature, s(expected, "signature"), "{name}");
        assert_eq!(
            request.header("authorization"),
            Some(s(expected, "authorization")),
            "{name}"
        );
        let sent = &expected["sent"];
        assert_same_headers(name, &request, sent);
        // Same path bytes; the same query once decoded (we send %20 where the SDK
        // sends +, the encoding that was signed).
        let (base, query) = request.url.split_once('?').unwrap_or((&request.url, ""));
        let (their_base, their_query) = s(sent, "url")
            .split_once('?')
            .unwrap_or((s(sent, "url"), ""));
        assert_eq!(base, their_base, "{name}");
        assert_eq!(decode_query(query), decode_query(their_query), "{name}");
        let body = sent["body"].as_str().unwrap_or("");
        assert_eq!(String::from_utf8_lossy(&request.body), body, "{name}: body");
    }
}
