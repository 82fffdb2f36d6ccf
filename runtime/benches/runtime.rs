//! Benchmarks: request build + sign (no I/O), decode of the seed body, and round trips
//! against a local verifying server.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use acsgen_runtime::{
    decode_body, CallOptions, Client, Config, Credential, EndpointRule, Environment, Location,
    Method, Operation, OperationInfo, Params, Scheme, ServiceError, ServiceInfo, SignatureVersion,
};
use criterion::{criterion_group, criterion_main, Criterion};
use serde::Deserialize;
use support::{Key, Reply, TestServer};

static LIVE: ServiceInfo = ServiceInfo {
    product: "live",
    version: "2016-11-01",
    endpoint_rule: EndpointRule::Regional,
    default_endpoint: "live.aliyuncs.com",
    endpoint_map: &[("cn-shanghai", "live.aliyuncs.com")],
    scheme: Scheme::Https,
    crate_name: "alibabacloud-live",
    crate_version: "0.1.0",
};

static RECOVER: OperationInfo = OperationInfo {
    action: "RecoverLiveMessageDeletedGroup",
    method: Method::Post,
    path: "/",
    read_only: false,
    qps_limit: None,
};

const SEED: &[u8] =
    br#"{"RequestId":"B95BE680-5A6A-1CAD-8AB1-09DFF5D6****","GroupId":"grouptest"}"#;
const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret123";

#[derive(Deserialize)]
struct Seed {
    #[serde(rename = "RequestId")]
    request_id: String,
    #[serde(rename = "GroupId")]
    group_id: String,
}

struct Recover;

impl Operation for Recover {
    type Response = acsgen_runtime::de::Serde<Seed>;
    type Error = ServiceError;
    const INFO: &'static OperationInfo = &RECOVER;

    fn params(&self) -> Params {
        let mut p = Params::with_capacity(3);
        p.push(Location::Query, "AppId", "app-123".to_owned());
        p.push(Location::Query, "GroupId", "group-456".to_owned());
        p.push(Location::Query, "DataCenter", "cn-shanghai".to_owned());
        p
    }
}

fn config() -> Config {
    Config::new()
        .region("cn-shanghai")
        .credentials(Credential::new(ID, SECRET))
        .use_system_proxy(false)
        .environment(Environment::empty())
}

fn build_and_sign(c: &mut Criterion) {
    let credential = Credential::new(ID, SECRET);
    let options = CallOptions::new();
    for (name, version) in [
        ("build_and_sign/v3", SignatureVersion::V3),
        ("build_and_sign/rpc_v1", SignatureVersion::RpcV1),
    ] {
        let client = Client::new(&LIVE, config().signature_version(version)).expect("client");
        c.bench_function(name, |b| {
            b.iter(|| {
                let params = Recover.params();
                client
                    .sign_request(
                        &RECOVER,
                        black_box(&params),
                        &options,
                        &credential,
                        black_box("2024-05-06T07:08:09Z"),
                        black_box("1e4c0aa5b2d34f6a8e9f0123456789ab"),
                    )
                    .expect("signed")
            })
        });
    }
}

/// The seed response as acsgen generates it: decoded through the runtime's
/// field table (`de::Decode`, tolerant decoding on), not serde's derive.
#[derive(Default)]
struct GeneratedSeed {
    request_id: Option<String>,
    group_id: Option<String>,
}

impl acsgen_runtime::de::Decode for GeneratedSeed {
    const FIELDS: &'static [&'static str] = &["RequestId", "GroupId"];
    fn build(fields: &mut acsgen_runtime::de::Fields) -> Self {
        GeneratedSeed {
            request_id: fields.get(0),
            group_id: fields.get(1),
        }
    }
}

fn decode(c: &mut Criterion) {
    c.bench_function("decode_seed_body", |b| {
        b.iter(|| {
            let seed: Seed =
                decode_body("RecoverLiveMessageDeletedGroup", black_box(SEED)).expect("decodes");
            black_box((seed.request_id, seed.group_id))
        })
    });
    c.bench_function("decode_seed_body_generated_shape", |b| {
        b.iter(|| {
            let seed: GeneratedSeed =
                acsgen_runtime::decode_response("RecoverLiveMessageDeletedGroup", black_box(SEED))
                    .expect("decodes");
            black_box((seed.request_id, seed.group_id))
        })
    });
}

fn round_trip(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let server = runtime.block_on(TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, std::str::from_utf8(SEED).unwrap_or("{}"))
    }));
    let client = Client::new(&LIVE, config().endpoint(server.endpoint())).expect("client");
    let options = CallOptions::new();
    let mut group = c.benchmark_group("round_trip");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("local_server_v3", |b| {
        b.iter(|| {
            runtime
                .block_on(client.send(&Recover, &options))
                .expect("round trip")
        })
    });
    group.finish();
}

/// The hot path of every attempt: a cached, unexpired credential from the client's
/// `CredentialsCache` (a read lock and an `Arc` clone; the future is ready at once).
fn cached_provide(c: &mut Criterion) {
    use acsgen_runtime::{CredentialsCache, ProvideCredentials};
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    let cache = CredentialsCache::new(std::sync::Arc::new(Credential::new(ID, SECRET)));
    let mut cx = Context::from_waker(Waker::noop());
    let mut provide = || {
        let mut future = cache.provide();
        match std::pin::Pin::new(&mut future).poll(&mut cx) {
            Poll::Ready(result) => result.expect("cached credential"),
            Poll::Pending => panic!("a cached credential is ready at once"),
        }
    };
    // The first call fills the cache; every later one is the hot path.
    provide();
    c.bench_function("credentials/cached_provide", |b| {
        b.iter(|| black_box(provide()))
    });
}

/// The `HttpClient` seam: the same loopback exchange (one signed request, answered by the
/// verifying server with the seed body) sent by a concrete `reqwest::Client` and read
/// with `Response::chunk`, and sent through `Arc<dyn HttpClient>` (the default
/// `ReqwestHttpClient`) and read as the runtime reads it: under the header-wait and
/// per-chunk read timeouts, chunk by chunk through the boxed `BodyStream`. Plus the
/// seam alone, without network: an in-memory `HttpClient` through the same steps.
fn http_client_seam(c: &mut Criterion) {
    use acsgen_runtime::{HttpClient, HttpFuture, HttpRequest, HttpResponse, ReqwestHttpClient};
    use std::sync::Arc;

    const CONNECT: Duration = Duration::from_secs(5);
    const READ: Duration = Duration::from_secs(10);

    /// What `Transport::send` does around any implementation.
    async fn through_seam(http: &dyn HttpClient, request: HttpRequest) -> usize {
        let mut response = tokio::time::timeout(CONNECT + READ, http.call(request))
            .await
            .expect("in time")
            .expect("answer");
        let declared = response.body.content_length();
        let mut body = Vec::with_capacity(declared.unwrap_or(0).min(256 * 1024) as usize);
        while let Some(chunk) = tokio::time::timeout(READ, response.body.next_chunk())
            .await
            .expect("in time")
        {
            body.extend_from_slice(&chunk.expect("chunk"));
        }
        black_box(response.headers.get("x-acs-request-id"));
        body.len()
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let server = runtime.block_on(TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, std::str::from_utf8(SEED).unwrap_or("{}"))
    }));
    let client = Client::new(&LIVE, config().endpoint(server.endpoint())).expect("client");
    // One signed request, sent again and again (the server does not check nonces).
    let signed = client
        .sign_request(
            &RECOVER,
            &Recover.params(),
            &CallOptions::new(),
            &Credential::new(ID, SECRET),
            &acsgen_runtime::signing::now_timestamp(),
            "1e4c0aa5b2d34f6a8e9f0123456789ab",
        )
        .expect("signed");

    let direct = reqwest::Client::builder()
        .connect_timeout(CONNECT)
        .read_timeout(READ)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("reqwest");
    let seam: Arc<dyn HttpClient> = Arc::new(ReqwestHttpClient::new());

    let mut group = c.benchmark_group("http_client");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("loopback_reqwest_direct", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let mut builder = direct.post(signed.url.as_str());
                for (name, value) in &signed.headers {
                    builder = builder.header(name.as_ref(), value.as_str());
                }
                let mut response = builder.send().await.expect("answer");
                let mut body = Vec::new();
                while let Some(chunk) = response.chunk().await.expect("chunk") {
                    body.extend_from_slice(&chunk);
                }
                black_box(response.headers().get("x-acs-request-id"));
                assert_eq!(response.status(), 200);
                body.len()
            })
        })
    });
    group.bench_function("loopback_dyn_http_client", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let mut request = HttpRequest::new(Method::Post, signed.url.clone());
                request.headers = signed.headers.clone();
                request.connect_timeout = CONNECT;
                request.read_timeout = READ;
                through_seam(seam.as_ref(), request).await
            })
        })
    });
    group.finish();

    /// Answers at once from memory: what is left is the seam itself.
    #[derive(Debug)]
    struct InMemory;
    impl HttpClient for InMemory {
        fn call(&self, _request: HttpRequest) -> HttpFuture<'_> {
            Box::pin(std::future::ready(Ok(HttpResponse::new(
                200,
                SEED.to_vec(),
            )
            .header("x-acs-request-id", "B95BE680-5A6A-1CAD-8AB1-09DFF5D6****"))))
        }
    }
    impl InMemory {
        fn answer(&self) -> HttpResponse {
            HttpResponse::new(200, SEED.to_vec())
                .header("x-acs-request-id", "B95BE680-5A6A-1CAD-8AB1-09DFF5D6****")
        }
    }
    let local = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio runtime");
    let in_memory: Arc<dyn HttpClient> = Arc::new(InMemory);
    // The same work without the seam: the answer built by a plain call and its body
    // read without timeouts. The difference to `seam_in_memory` is the seam's own cost
    // (virtual call, boxed future, header and chunk deadlines).
    c.bench_function("http_client/no_seam_in_memory", |b| {
        b.iter(|| {
            local.block_on(async {
                let request =
                    HttpRequest::new(Method::Post, black_box("https://live.aliyuncs.com/"));
                black_box(&request);
                let mut response = InMemory.answer();
                let mut body = Vec::new();
                while let Some(chunk) = response.body.next_chunk().await {
                    body.extend_from_slice(&chunk.expect("chunk"));
                }
                black_box(response.headers.get("x-acs-request-id"));
                body.len()
            })
        })
    });
    c.bench_function("http_client/seam_in_memory", |b| {
        b.iter(|| {
            local.block_on(through_seam(
                in_memory.as_ref(),
                HttpRequest::new(Method::Post, black_box("https://live.aliyuncs.com/")),
            ))
        })
    });
}

criterion_group!(
    benches,
    build_and_sign,
    decode,
    round_trip,
    cached_provide,
    http_client_seam
);
criterion_main!(benches);
