//! Credential sources, the default chain and the identity cache, against fake services
//! on 127.0.0.1 started inside each test: STS (the signature of `AssumeRole` re-verified
//! by `tests/support`, `AssumeRoleWithOIDC` checked to be anonymous), the metadata service
//! (IMDSv2 and v1) and a credentials URI. Home directories are temporary; the process
//! environment is never read for settings nor changed; nothing leaves loopback.

#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use acsgen_runtime::credentials::{CredentialsCache, ProvideFuture, ProviderConfig};
use acsgen_runtime::signing::format_timestamp;
use acsgen_runtime::{
    CallOptions, Client, Config, Credential, CredentialsError, DefaultCredentialsChain,
    EcsRamRoleCredentials, EndpointRule, Environment, Location, Method, Operation, OperationInfo,
    Params, ProvideCredentials, RamRoleArnCredentials, RetryConfig, RoleOptions, Scheme, SdkError,
    ServiceError, ServiceInfo,
};
use support::{Key, Reply, TestServer};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const AK_ID: &str = "LTAI5tSourceKey";
const AK_SECRET: &str = "SourceSecretValue123";
const STS_ID: &str = "STS.NUgYrLnoC37mZZCNnAbez2";
const STS_SECRET: &str = "StsSecretValue456";
const STS_TOKEN: &str = "CAIS8wF1q6Ft5B2yfSjIr5bSTokenValue789";
const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.OidcTokenValue.sig";
const ROLE_ARN: &str = "acs:ram::1234567890123456:role/test-role";

fn secrets() -> [&'static str; 4] {
    [AK_SECRET, STS_SECRET, STS_TOKEN, OIDC_TOKEN]
}

fn assert_secret_free(text: &str) {
    for s in secrets() {
        assert!(!text.contains(s), "secret leaked: {text}");
    }
}

fn expiration_in(secs: u64) -> String {
    format_timestamp(SystemTime::now() + Duration::from_secs(secs))
}

fn sts_body(id: &str, secret: &str, token: &str, expires_in: u64) -> String {
    serde_json::json!({
        "RequestId": "6894B13B-6D71-4EF5-88FA-F32781734A7F",
        "AssumedRoleUser": {"Arn": ROLE_ARN, "AssumedRoleId": "344584339364951186:alice"},
        "Credentials": {
            "AccessKeyId": id, "AccessKeySecret": secret, "SecurityToken": token,
            "Expiration": expiration_in(expires_in)
        }
    })
    .to_string()
}

fn metadata_body(expires_in: u64) -> String {
    serde_json::json!({
        "Code": "Success", "AccessKeyId": STS_ID, "AccessKeySecret": STS_SECRET,
        "SecurityToken": STS_TOKEN, "Expiration": expiration_in(expires_in),
        "LastUpdated": format_timestamp(SystemTime::now())
    })
    .to_string()
}

// ---- environment and files ----

struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(tag: &str) -> Home {
        let dir = std::env::temp_dir().join(format!("acsgen-cred-it-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp home");
        Home { dir }
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        path
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn env(vars: &[(&str, &str)], home: Option<&Home>) -> Environment {
    Environment::from_vars(vars.iter().copied(), home.map(|h| h.dir.clone()))
}

// ---- fake services ----

#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&Seen) -> (u16, String) + Send + Sync;

/// A plain HTTP/1.1 server on 127.0.0.1 (one request per connection) for the metadata
/// service, credential URIs and the anonymous OIDC call.
struct FakeService {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeService {
    async fn start(handler: impl Fn(&Seen) -> (u16, String) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let log = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handler = Arc::clone(&handler);
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut reader = BufReader::new(read);
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let mut parts = line.split_whitespace();
                    let method = parts.next().unwrap_or("").to_owned();
                    let target = parts.next().unwrap_or("").to_owned();
                    let mut headers = Vec::new();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let h = h.trim_end();
                        if h.is_empty() {
                            break;
                        }
                        if let Some((n, v)) = h.split_once(':') {
                            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
                        }
                    }
                    let len = headers
                        .iter()
                        .find(|(n, _)| n == "content-length")
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0usize)
                        .min(1 << 20);
                    let mut body = vec![0; len];
                    if reader.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let (path, query) = match target.split_once('?') {
                        Some((p, q)) => (p.to_owned(), q.to_owned()),
                        None => (target, String::new()),
                    };
                    let seen = Seen {
                        method,
                        path,
                        query,
                        headers,
                        body: String::from_utf8_lossy(&body).into_owned(),
                    };
                    log.lock().expect("lock").push(seen.clone());
                    let (status, body) = handler(&seen);
                    let answer = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = write.write_all(answer.as_bytes()).await;
                });
            }
        });
        FakeService { addr, seen, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

impl Drop for FakeService {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A metadata service: IMDSv2 tokens unless `v2` is false (then the PUT answers 403),
/// role `ecs-role`, and credentials valid for an hour.
async fn metadata_service(v2: bool) -> FakeService {
    FakeService::start(move |r| {
        let token_ok = r.header("x-aliyun-ecs-metadata-token") == Some("imds-token-1");
        match (r.method.as_str(), r.path.as_str()) {
            ("PUT", "/latest/api/token") if v2 => {
                assert_eq!(
                    r.header("x-aliyun-ecs-metadata-token-ttl-seconds"),
                    Some("21600")
                );
                (200, "imds-token-1".into())
            }
            ("PUT", "/latest/api/token") => (403, "forbidden".into()),
            _ if v2 && !token_ok => (401, "token required".into()),
            ("GET", "/latest/meta-data/ram/security-credentials/") => (200, "ecs-role".into()),
            ("GET", "/latest/meta-data/ram/security-credentials/ecs-role") => {
                (200, metadata_body(3600))
            }
            _ => (404, "not found".into()),
        }
    })
    .await
}

/// An STS that checks the RPC signature of `AssumeRole` (made with `keys`) and answers
/// a one-hour session; `expires_in` sets the session length.
async fn sts_server(keys: Vec<Key>, expires_in: u64) -> TestServer {
    TestServer::start(keys, move |r, _| {
        let form = r.form();
        let get = |k: &str| {
            form.iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(r.param("Action"), Some("AssumeRole"));
        assert_eq!(r.param("Version"), Some("2015-04-01"));
        assert_eq!(get("RoleArn"), ROLE_ARN);
        assert_eq!(get("DurationSeconds"), "3600");
        assert!(!get("RoleSessionName").is_empty());
        Reply::json(200, &sts_body(STS_ID, STS_SECRET, STS_TOKEN, expires_in))
    })
    .await
}

fn provider_config(sts: Option<String>) -> ProviderConfig {
    let mut config = ProviderConfig::new().metadata_timeout(Duration::from_millis(500));
    config.use_system_proxy = false;
    config.retry = RetryConfig::disabled();
    if let Some(sts) = sts {
        config = config.sts_endpoint(sts);
    }
    config
}

// ---- a service to call end to end ----

static LIVE: ServiceInfo = ServiceInfo {
    product: "live",
    version: "2016-11-01",
    endpoint_rule: EndpointRule::Regional,
    default_endpoint: "live.aliyuncs.com",
    endpoint_map: &[],
    scheme: Scheme::Https,
    crate_name: "alibabacloud-live",
    crate_version: "0.1.0",
};

static DESCRIBE: OperationInfo = OperationInfo {
    action: "DescribeLiveUserTags",
    method: Method::Post,
    path: "/",
    read_only: true,
    qps_limit: None,
};

struct Describe;

impl Operation for Describe {
    type Response = acsgen_runtime::de::Serde<serde_json::Value>;
    type Error = ServiceError;
    const INFO: &'static OperationInfo = &DESCRIBE;
    fn params(&self) -> Params {
        let mut p = Params::with_capacity(1);
        p.push(Location::Query, "RegionId", "cn-shanghai".to_owned());
        p
    }
}

async fn api_server() -> TestServer {
    TestServer::start(vec![Key::sts(STS_ID, STS_SECRET, STS_TOKEN)], |_, _| {
        Reply::json(200, r#"{"RequestId":"REQ-1234-abcd"}"#)
            .header("x-acs-request-id", "REQ-1234-abcd")
    })
    .await
}

fn client_with(api: &TestServer, credentials: impl ProvideCredentials + 'static) -> Client {
    let config = Config::new()
        .region("cn-shanghai")
        .endpoint(api.endpoint())
        .use_system_proxy(false)
        .environment(Environment::empty())
        .credentials(credentials);
    Client::new(&LIVE, config).expect("client")
}

// ---- a scripted source for the cache ----

/// Counts calls; each answers an STS-like credential expiring `lifetime` from now (on
/// the wall clock), after `delay`, or fails when `fail` is set.
#[derive(Debug)]
struct Scripted {
    calls: AtomicUsize,
    lifetime: Duration,
    delay: Duration,
    fail: std::sync::atomic::AtomicBool,
}

impl Scripted {
    fn new(lifetime: Duration, delay: Duration) -> Arc<Scripted> {
        Arc::new(Scripted {
            calls: AtomicUsize::new(0),
            lifetime,
            delay,
            fail: false.into(),
        })
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Scripted {
    fn provide(&self) -> ProvideFuture<'_> {
        ProvideFuture::new(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            if self.fail.load(Ordering::SeqCst) {
                return Err(CredentialsError::Source {
                    provider: "scripted",
                    problem: "STS unavailable".into(),
                });
            }
            Ok(
                Credential::with_security_token(format!("STS.{n}"), STS_SECRET, STS_TOKEN)
                    .with_provider_name("scripted")
                    // Expiry is converted to tokio's (paused) clock at receipt.
                    .with_expiry(SystemTime::now() + self.lifetime),
            )
        })
    }
}

async fn id_of(cache: &CredentialsCache) -> String {
    cache
        .provide()
        .await
        .expect("credential")
        .access_key_id()
        .to_owned()
}

// ---- the cache ----

#[tokio::test(start_paused = true)]
async fn cache_refreshes_when_180_seconds_or_less_remain() {
    let source = Scripted::new(Duration::from_secs(3600), Duration::ZERO);
    let cache = CredentialsCache::new(source.clone());
    assert_eq!(id_of(&cache).await, "STS.1");
    // 3600 - 3419 = 181 s left: still fresh, no call.
    tokio::time::advance(Duration::from_secs(3419)).await;
    assert_eq!(id_of(&cache).await, "STS.1");
    assert_eq!(source.calls(), 1);
    // 180 s left: refreshed.
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(id_of(&cache).await, "STS.2");
    assert_eq!(source.calls(), 2);
    // A long-term key is never refreshed.
    let static_cache = CredentialsCache::new(Arc::new(Credential::new(AK_ID, AK_SECRET)));
    assert_eq!(id_of(&static_cache).await, AK_ID);
    tokio::time::advance(Duration::from_secs(400 * 24 * 3600)).await;
    assert_eq!(id_of(&static_cache).await, AK_ID);
}

#[tokio::test(start_paused = true)]
async fn hundred_concurrent_callers_share_one_refresh() {
    // Nothing cached yet: all 100 wait for the one fetch.
    let source = Scripted::new(Duration::from_secs(3600), Duration::from_millis(200));
    let cache = Arc::new(CredentialsCache::new(source.clone()));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { id_of(&cache).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("task"), "STS.1");
    }
    assert_eq!(source.calls(), 1);

    // Inside the refresh window: one caller refreshes, the others keep the valid one.
    tokio::time::advance(Duration::from_secs(3500)).await;
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { id_of(&cache).await })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.expect("task"));
    }
    assert_eq!(source.calls(), 2);
    assert!(
        ids.iter().all(|id| id == "STS.1" || id == "STS.2"),
        "{ids:?}"
    );
    assert_eq!(id_of(&cache).await, "STS.2");

    // Expired: all wait, still one call.
    tokio::time::advance(Duration::from_secs(3700)).await;
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { id_of(&cache).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("task"), "STS.3");
    }
    assert_eq!(source.calls(), 3);
}

#[tokio::test(start_paused = true)]
async fn failed_refresh_keeps_a_valid_credential_and_expiry_is_a_clear_error() {
    let source = Scripted::new(Duration::from_secs(3600), Duration::ZERO);
    let cache = CredentialsCache::new(source.clone());
    assert_eq!(id_of(&cache).await, "STS.1");
    source.fail.store(true, Ordering::SeqCst);
    tokio::time::advance(Duration::from_secs(3500)).await;
    // The refresh fails; the credential (100 s left) keeps working.
    assert_eq!(id_of(&cache).await, "STS.1");
    assert_eq!(source.calls(), 2);
    // No new attempt within the 10 s back-off.
    tokio::time::advance(Duration::from_secs(5)).await;
    assert_eq!(id_of(&cache).await, "STS.1");
    assert_eq!(source.calls(), 2);
    tokio::time::advance(Duration::from_secs(6)).await;
    assert_eq!(id_of(&cache).await, "STS.1");
    assert_eq!(source.calls(), 3);
    // Past expiry: a clear error naming the source, the age and the cause.
    tokio::time::advance(Duration::from_secs(200)).await;
    let err = cache.provide().await.expect_err("expired");
    assert!(
        matches!(err.root(), CredentialsError::Expired { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("scripted") && text.contains("expired") && text.contains("STS unavailable"),
        "{text}"
    );
    assert_secret_free(&format!("{err} {err:?} {cache:?}"));
    // The source recovers: so does the cache.
    source.fail.store(false, Ordering::SeqCst);
    assert!(id_of(&cache).await.starts_with("STS."));
}

// ---- STS ----

#[tokio::test]
async fn assume_role_is_signed_and_its_session_signs_calls() {
    let sts = sts_server(vec![Key::new(AK_ID, AK_SECRET)], 3600).await;
    let api = api_server().await;
    let role = RamRoleArnCredentials::new(
        Arc::new(Credential::new(AK_ID, AK_SECRET)),
        RoleOptions::new(ROLE_ARN),
        &env(&[], None),
        &provider_config(Some(sts.endpoint())),
    )
    .expect("provider");
    let client = client_with(&api, role);
    for _ in 0..3 {
        client
            .send(&Describe, &CallOptions::new())
            .await
            .expect("call with the role's session");
    }
    // One AssumeRole, verified as an RPC HMAC-SHA1 signature; three API calls signed
    // with the session and its token.
    let requests = sts.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].verified.is_ok(), "{:?}", requests[0].verified);
    assert!(requests[0]
        .form()
        .iter()
        .any(|(k, v)| k == "RoleSessionName" && v.starts_with("acsgen-runtime-")));
    assert_eq!(api.count(), 3);
    assert!(api.requests().iter().all(|r| r.verified.is_ok()));
    let c = client.credentials().provide().await.expect("cached");
    assert_eq!(c.provider_name(), "ram_role_arn");
}

#[tokio::test]
async fn a_wrong_source_key_is_reported_by_sts_without_secrets() {
    let sts = sts_server(vec![Key::new(AK_ID, "another-secret")], 3600).await;
    let role = RamRoleArnCredentials::new(
        Arc::new(Credential::new(AK_ID, AK_SECRET)),
        RoleOptions::new(ROLE_ARN),
        &env(&[], None),
        &provider_config(Some(sts.endpoint())),
    )
    .expect("provider");
    let err = role.provide().await.expect_err("signature mismatch");
    let text = err.to_string();
    assert!(
        text.contains("AssumeRole")
            && text.contains("SignatureDoesNotMatch")
            && text.contains(ROLE_ARN),
        "{text}"
    );
    assert_secret_free(&format!("{err} {err:?} {role:?}"));
}

#[tokio::test]
async fn hundred_concurrent_calls_make_one_sts_call() {
    let sts = sts_server(vec![Key::new(AK_ID, AK_SECRET)], 3600).await;
    let api = api_server().await;
    let role = RamRoleArnCredentials::new(
        Arc::new(Credential::new(AK_ID, AK_SECRET)),
        RoleOptions::new(ROLE_ARN),
        &env(&[], None),
        &provider_config(Some(sts.endpoint())),
    )
    .expect("provider");
    let client = client_with(&api, role);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(&Describe, &CallOptions::new()).await })
        })
        .collect();
    for call in calls {
        call.await.expect("task").expect("call");
    }
    assert_eq!(sts.count(), 1);
    assert_eq!(api.count(), 100);
}

#[tokio::test]
async fn oidc_is_anonymous_and_rereads_the_token_file() {
    let home = Home::new("oidc");
    let token_file = home.write("token", OIDC_TOKEN);
    let sts = FakeService::start(|r| {
        assert!(r.header("authorization").is_none());
        assert!(!r.query.contains("Signature") && !r.query.contains("AccessKeyId"));
        assert!(r.query.contains("Action=AssumeRoleWithOIDC"), "{}", r.query);
        (200, sts_body(STS_ID, STS_SECRET, STS_TOKEN, 3600))
    })
    .await;
    let vars = [
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/ack-rrsa",
        ),
        (
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.to_str().expect("utf-8"),
        ),
        ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-session"),
    ];
    let chain = DefaultCredentialsChain::with_environment(env(&vars, Some(&home)))
        .provider_config(provider_config(Some(sts.url())));
    let c = chain.provide().await.expect("oidc");
    assert_eq!(c.provider_name(), "default/oidc_role_arn");
    assert_eq!(c.access_key_id(), STS_ID);
    // The kubelet rotates the token: the next fetch sends the new one.
    std::fs::write(&token_file, "rotated.token.value").expect("rotate");
    chain.provide().await.expect("again");
    let seen = sts.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[0]
        .body
        .contains("OIDCToken=eyJhbGciOiJSUzI1NiJ9.OidcTokenValue.sig"));
    assert!(seen[0].body.contains("RoleSessionName=pod-session"));
    assert!(seen[0].body.contains("DurationSeconds=3600"));
    assert!(seen[1].body.contains("OIDCToken=rotated.token.value"));
    assert_secret_free(&format!("{chain:?}"));
}

// ---- the metadata service ----

#[tokio::test]
async fn ecs_role_with_imdsv2_token() {
    let imds = metadata_service(true).await;
    let e = env(&[], None).with_metadata_endpoint(imds.url());
    let p = EcsRamRoleCredentials::new(imds.url(), None, &e, &provider_config(None)).expect("p");
    let c = p.provide().await.expect("credential");
    assert_eq!(c.access_key_id(), STS_ID);
    assert_eq!(c.provider_name(), "ecs_ram_role");
    assert!(c.expiry().is_some());
    let paths: Vec<String> = imds
        .seen()
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        paths,
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/ram/security-credentials/",
            "GET /latest/meta-data/ram/security-credentials/ecs-role"
        ]
    );
}

#[tokio::test]
async fn ecs_role_falls_back_to_imdsv1_unless_disabled() {
    let imds = metadata_service(false).await;
    // Role from ALIBABA_CLOUD_ECS_METADATA: no discovery request.
    let e = env(&[("ALIBABA_CLOUD_ECS_METADATA", "ecs-role")], None);
    let p = EcsRamRoleCredentials::new(imds.url(), None, &e, &provider_config(None)).expect("p");
    assert_eq!(p.provide().await.expect("v1").access_key_id(), STS_ID);
    let seen = imds.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].header("x-aliyun-ecs-metadata-token").is_none());

    let e = env(
        &[
            ("ALIBABA_CLOUD_ECS_METADATA", "ecs-role"),
            ("ALIBABA_CLOUD_IMDSV1_DISABLED", "true"),
        ],
        None,
    );
    let p = EcsRamRoleCredentials::new(imds.url(), None, &e, &provider_config(None)).expect("p");
    let err = p.provide().await.expect_err("v1 disabled");
    let text = err.to_string();
    assert!(
        text.contains("ALIBABA_CLOUD_IMDSV1_DISABLED") && text.contains("403"),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unreachable_metadata_service_costs_one_short_timeout() {
    // Accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&accepted);
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(s);
        }
    });
    let e = env(&[], None);
    // The default metadata timeouts (1 s connect, 1 s read), as the official SDKs.
    let mut config = ProviderConfig::new();
    config.use_system_proxy = false;
    assert_eq!(config.metadata_read_timeout, Duration::from_secs(1));
    let p = EcsRamRoleCredentials::new(format!("http://{addr}"), None, &e, &config).expect("p");
    let started = tokio::time::Instant::now();
    let wall = std::time::Instant::now();
    let err = p.provide().await.expect_err("no answer");
    // Paused clock: exactly the timeouts that fired, no IMDSv1 retry on the same host.
    assert!(
        started.elapsed() <= Duration::from_millis(2100),
        "{:?}",
        started.elapsed()
    );
    assert!(wall.elapsed() < Duration::from_secs(10));
    assert_eq!(
        accepted.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "one connection: the token request, and no v1 retry"
    );
    assert!(
        err.to_string().contains("metadata service unreachable"),
        "{err}"
    );
    hold.abort();
}

// ---- credentials URI ----

#[tokio::test]
async fn credentials_uri_answers_and_errors() {
    let uri = FakeService::start(|r| match r.path.as_str() {
        "/ok" => (200, metadata_body(3600)),
        "/failed" => (200, r#"{"Code":"Failed"}"#.into()),
        _ => (500, "oops".into()),
    })
    .await;
    let chain = DefaultCredentialsChain::with_environment(env(
        &[(
            "ALIBABA_CLOUD_CREDENTIALS_URI",
            &format!("{}/ok?token=abc", uri.url()),
        )],
        None,
    ))
    .provider_config(provider_config(None));
    let c = chain.provide().await.expect("uri");
    assert_eq!(c.provider_name(), "default/credential_uri");
    assert_eq!(
        c.security_token().map(|s| s.expose_secret()),
        Some(STS_TOKEN)
    );
    for (path, expect) in [("/failed", "Code"), ("/boom", "HTTP 500")] {
        let chain = DefaultCredentialsChain::with_environment(env(
            &[(
                "ALIBABA_CLOUD_CREDENTIALS_URI",
                &format!("{}{path}?token=abc", uri.url()),
            )],
            None,
        ))
        .provider_config(provider_config(None));
        let err = chain.provide().await.expect_err("fails");
        let text = err.to_string();
        assert!(
            text.contains(expect) && !text.contains("token=abc"),
            "{text}"
        );
    }
}

// ---- the CLI profile, every mode ----

fn cli_config(token_file: &Path, uri: &str, program: &Path) -> String {
    serde_json::json!({
        "current": "ak",
        "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": AK_ID, "access_key_secret": AK_SECRET},
            {"name": "sts", "mode": "StsToken", "access_key_id": STS_ID,
             "access_key_secret": STS_SECRET, "sts_token": STS_TOKEN},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": AK_ID,
             "access_key_secret": AK_SECRET, "ram_role_arn": ROLE_ARN,
             "ram_session_name": "cli-session", "expired_seconds": 3600},
            {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "role",
             "ram_role_arn": ROLE_ARN, "expired_seconds": 3600},
            {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop",
             "ram_role_arn": ROLE_ARN},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "ecs-role"},
            {"name": "oidc", "mode": "OIDC", "ram_role_arn": ROLE_ARN,
             "oidc_provider_arn": "acs:ram::1:oidc-provider/p",
             "oidc_token_file": token_file.to_str().expect("utf-8")},
            {"name": "uri", "mode": "CredentialsURI", "credentials_uri": uri},
            {"name": "external", "mode": "External", "process_command": program.to_str().expect("utf-8")},
            {"name": "sso", "mode": "CloudSSO"}
        ]
    })
    .to_string()
}

#[tokio::test]
async fn cli_profile_every_mode() {
    let home = Home::new("cli-modes");
    let token_file = home.write("token", OIDC_TOKEN);
    let out = home.write(
        "external.json",
        &serde_json::json!({"mode": "StsToken", "access_key_id": STS_ID,
            "access_key_secret": STS_SECRET, "sts_token": STS_TOKEN,
            "expiration": expiration_in(3600)})
        .to_string(),
    );
    let program = home.write(
        "external.sh",
        &format!("#!/bin/sh\ncat '{}'\n", out.display()),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    }
    // STS accepts the AK and, for the chained role, the first role's session.
    let sts = sts_server(
        vec![
            Key::new(AK_ID, AK_SECRET),
            Key::sts(STS_ID, STS_SECRET, STS_TOKEN),
        ],
        3600,
    )
    .await;
    let imds = metadata_service(true).await;
    let oidc = FakeService::start(|_| (200, sts_body(STS_ID, STS_SECRET, STS_TOKEN, 3600))).await;
    let uri = FakeService::start(|_| (200, metadata_body(3600))).await;
    home.write(
        ".aliyun/config.json",
        &cli_config(&token_file, &format!("{}/creds", uri.url()), &program),
    );
    let expect = [
        ("ak", AK_ID, "cli_profile"),
        ("sts", STS_ID, "cli_profile"),
        ("role", STS_ID, "ram_role_arn"),
        ("chain", STS_ID, "ram_role_arn"),
        ("ecs", STS_ID, "ecs_ram_role"),
        ("uri", STS_ID, "credential_uri"),
    ];
    // The External command is a shell script: Unix only.
    let external = [("external", STS_ID, "external")];
    let expect = expect.iter().chain(external.iter().filter(|_| cfg!(unix)));
    for &(profile, id, provider) in expect {
        let e = env(&[("ALIBABA_CLOUD_PROFILE", profile)], Some(&home))
            .with_metadata_endpoint(imds.url());
        let p = acsgen_runtime::CliProfileCredentials::with_config(
            e,
            None,
            provider_config(Some(sts.endpoint())),
        );
        let c = p
            .provide()
            .await
            .unwrap_or_else(|e| panic!("{profile}: {e}"));
        assert_eq!(
            (c.access_key_id(), c.provider_name()),
            (id, provider),
            "{profile}"
        );
        assert_secret_free(&format!("{p:?}"));
    }
    // OIDC talks to its own (anonymous) STS.
    let e = env(&[("ALIBABA_CLOUD_PROFILE", "oidc")], Some(&home));
    let p = acsgen_runtime::CliProfileCredentials::with_config(
        e,
        None,
        provider_config(Some(oidc.url())),
    );
    assert_eq!(
        p.provide().await.expect("oidc").provider_name(),
        "oidc_role_arn"
    );
    // role: one AssumeRole with the AK; chain: the AK's role, then the chained role.
    let sts_requests = sts.requests();
    assert_eq!(sts_requests.len(), 3);
    assert!(sts_requests.iter().all(|r| r.verified.is_ok()));
    assert!(sts_requests[0]
        .form()
        .iter()
        .any(|(k, v)| k == "RoleSessionName" && v == "cli-session"));
    assert_eq!(sts_requests[2].param("AccessKeyId"), Some(STS_ID));
    assert_eq!(sts_requests[2].param("SecurityToken"), Some(STS_TOKEN));

    // Unsupported modes and source-profile cycles are clear errors.
    for (profile, words) in [
        ("sso", vec!["CloudSSO", "`sso`"]),
        ("loop", vec!["source_profile", "cycle"]),
    ] {
        let e = env(&[("ALIBABA_CLOUD_PROFILE", profile)], Some(&home));
        let err = acsgen_runtime::CliProfileCredentials::new(e, None)
            .provide()
            .await
            .expect_err(profile);
        let text = err.to_string();
        assert!(words.iter().all(|w| text.contains(w)), "{text}");
        assert_secret_free(&format!("{err} {err:?}"));
    }
}

#[cfg(unix)]
#[tokio::test]
async fn external_process_output_errors_never_quote_it() {
    let home = Home::new("external-bad");
    let out = home.write(
        "bad.json",
        &format!("{{\"access_key_id\": \"x\", \"access_key_secret\": \"{AK_SECRET}\""),
    );
    let program = home.write("bad.sh", &format!("#!/bin/sh\ncat '{}'\n", out.display()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    }
    let p = acsgen_runtime::ExternalCredentials::new(
        &format!("{} {AK_SECRET}", program.display()),
        &ProviderConfig::new(),
    )
    .expect("p");
    let err = p.provide().await.expect_err("truncated JSON");
    let text = format!("{err} {err:?} {p:?}");
    assert!(
        text.contains("not JSON") && text.contains("bad.sh"),
        "{text}"
    );
    assert_secret_free(&text);
    let p =
        acsgen_runtime::ExternalCredentials::new("/nonexistent/program-x", &ProviderConfig::new())
            .expect("p");
    let err = p.provide().await.expect_err("missing program");
    assert!(err.to_string().contains("cannot run"), "{err}");
}

// ---- the credentials file ----

#[tokio::test]
async fn credentials_file_types() {
    let home = Home::new("ini");
    let token_file = home.write("token", OIDC_TOKEN);
    let sts = sts_server(vec![Key::new(AK_ID, AK_SECRET)], 3600).await;
    let imds = metadata_service(true).await;
    home.write(
        ".alibabacloud/credentials",
        &format!(
            "[default]\ntype = access_key\naccess_key_id = {AK_ID}\naccess_key_secret = {AK_SECRET}\n\n\
             [ecs]\ntype = ecs_ram_role\nrole_name = ecs-role\n\n\
             [role]\ntype = ram_role_arn\naccess_key_id = {AK_ID}\naccess_key_secret = {AK_SECRET}\nrole_arn = {ROLE_ARN}\nrole_session_name = ini-session\n\n\
             [oidc]\ntype = oidc_role_arn\nrole_arn = {ROLE_ARN}\noidc_provider_arn = acs:ram::1:oidc-provider/p\noidc_token_file_path = {}\n\n\
             [bearer]\ntype = bearer\nbearer_token = {AK_SECRET}\n",
            token_file.display()
        ),
    );
    for (section, id, provider) in [
        ("default", AK_ID, "default/profile"),
        ("ecs", STS_ID, "default/profile"),
        ("role", STS_ID, "default/profile"),
    ] {
        let e = env(
            &[
                ("ALIBABA_CLOUD_PROFILE", section),
                ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
            ],
            Some(&home),
        )
        .with_metadata_endpoint(imds.url());
        let chain = DefaultCredentialsChain::with_environment(e)
            .provider_config(provider_config(Some(sts.endpoint())));
        let c = chain
            .provide()
            .await
            .unwrap_or_else(|e| panic!("{section}: {e}"));
        assert_eq!(
            (c.access_key_id(), c.provider_name()),
            (id, provider),
            "{section}"
        );
        assert_eq!(chain.chosen_source(), Some("profile"));
    }
    assert_eq!(sts.count(), 1);
    let oidc = FakeService::start(|_| (200, sts_body(STS_ID, STS_SECRET, STS_TOKEN, 3600))).await;
    let e = env(&[("ALIBABA_CLOUD_PROFILE", "oidc")], Some(&home));
    let p = acsgen_runtime::ProfileFileCredentials::new(e, None, provider_config(Some(oidc.url())));
    assert_eq!(p.provide().await.expect("oidc").access_key_id(), STS_ID);
    // An unsupported type is named; its fields are not quoted.
    let e = env(&[("ALIBABA_CLOUD_PROFILE", "bearer")], Some(&home));
    let err = acsgen_runtime::ProfileFileCredentials::new(e, None, ProviderConfig::new())
        .provide()
        .await
        .expect_err("bearer");
    let text = err.to_string();
    assert!(
        text.contains("`bearer`") && text.contains("[bearer]"),
        "{text}"
    );
    assert_secret_free(&text);
    // ALIBABA_CLOUD_CREDENTIALS_FILE points elsewhere.
    let other = home.write(
        "elsewhere.ini",
        &format!(
            "[default]\ntype=access_key\naccess_key_id=LTAIother\naccess_key_secret={AK_SECRET}\n"
        ),
    );
    let e = env(
        &[(
            "ALIBABA_CLOUD_CREDENTIALS_FILE",
            other.to_str().expect("utf-8"),
        )],
        None,
    );
    let c = DefaultCredentialsChain::with_environment(e)
        .provide()
        .await
        .expect("file");
    assert_eq!(c.access_key_id(), "LTAIother");
}

// ---- the chain ----

#[tokio::test]
async fn chain_precedence_follows_the_official_order() {
    let home = Home::new("precedence");
    let imds = metadata_service(true).await;
    let uri = FakeService::start(|_| (200, metadata_body(3600))).await;
    let token_file = home.write("token", OIDC_TOKEN);
    let oidc =
        FakeService::start(|_| (200, sts_body("STS.oidc", STS_SECRET, STS_TOKEN, 3600))).await;
    home.write(
        ".aliyun/config.json",
        &serde_json::json!({"current": "p", "profiles": [
            {"name": "p", "mode": "AK", "access_key_id": "LTAIcli", "access_key_secret": AK_SECRET}]})
        .to_string(),
    );
    home.write(
        ".alibabacloud/credentials",
        &format!(
            "[default]\ntype=access_key\naccess_key_id=LTAIini\naccess_key_secret={AK_SECRET}\n"
        ),
    );
    let uri_var = format!("{}/c", uri.url());
    let token_path = token_file.to_str().expect("utf-8").to_owned();
    let all: Vec<(&str, &str)> = vec![
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenv"),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET),
        ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &token_path),
        ("ALIBABA_CLOUD_CREDENTIALS_URI", &uri_var),
    ];
    // Remove sources one by one, from the top: the next one in the official order wins.
    let steps: [(&[&str], &str, &str); 6] = [
        (&[], "default/env", "LTAIenv"),
        (
            &["ALIBABA_CLOUD_ACCESS_KEY_ID"],
            "default/oidc_role_arn",
            "STS.oidc",
        ),
        (
            &["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ROLE_ARN"],
            "default/cli_profile",
            "LTAIcli",
        ),
        (
            &[
                "ALIBABA_CLOUD_ACCESS_KEY_ID",
                "ALIBABA_CLOUD_ROLE_ARN",
                "cli",
            ],
            "default/profile",
            "LTAIini",
        ),
        (
            &[
                "ALIBABA_CLOUD_ACCESS_KEY_ID",
                "ALIBABA_CLOUD_ROLE_ARN",
                "cli",
                "ini",
            ],
            "default/ecs_ram_role",
            STS_ID,
        ),
        (
            &[
                "ALIBABA_CLOUD_ACCESS_KEY_ID",
                "ALIBABA_CLOUD_ROLE_ARN",
                "cli",
                "ini",
                "imds",
            ],
            "default/credential_uri",
            STS_ID,
        ),
    ];
    for (removed, provider, id) in steps {
        // Removing the key id removes its secret too.
        let gone = |k: &str| {
            let k = if k == "ALIBABA_CLOUD_ACCESS_KEY_SECRET" {
                "ALIBABA_CLOUD_ACCESS_KEY_ID"
            } else {
                k
            };
            removed.contains(&k)
        };
        let mut vars: Vec<(&str, &str)> = all.iter().filter(|(k, _)| !gone(k)).copied().collect();
        if removed.contains(&"cli") {
            vars.push(("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"));
        }
        if removed.contains(&"ini") {
            vars.push((
                "ALIBABA_CLOUD_CREDENTIALS_FILE",
                "/nonexistent/acsgen/credentials",
            ));
        }
        if removed.contains(&"imds") {
            vars.push(("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"));
        }
        let e = env(&vars, Some(&home)).with_metadata_endpoint(imds.url());
        let chain = DefaultCredentialsChain::with_environment(e)
            .provider_config(provider_config(Some(oidc.url())));
        let c = chain
            .provide()
            .await
            .unwrap_or_else(|e| panic!("{provider}: {e}"));
        assert_eq!((c.provider_name(), c.access_key_id()), (provider, id));
    }
}

#[tokio::test]
async fn chain_remembers_the_source_that_worked_and_explains_failures() {
    let home = Home::new("remember");
    let imds = metadata_service(true).await;
    let e = env(&[], Some(&home)).with_metadata_endpoint(imds.url());
    let chain = DefaultCredentialsChain::with_environment(e).provider_config(provider_config(None));
    chain.provide().await.expect("imds");
    assert_eq!(chain.chosen_source(), Some("ecs_ram_role"));
    // A CLI profile appearing later does not change the source in use.
    home.write(
        ".aliyun/config.json",
        r#"{"current":"p","profiles":[{"name":"p","mode":"AK","access_key_id":"LTAIlate","access_key_secret":"x"}]}"#,
    );
    let c = chain.provide().await.expect("imds again");
    assert_eq!(c.provider_name(), "default/ecs_ram_role");

    // Nothing anywhere: every place is named with its reason.
    let empty = Home::new("nothing");
    let dead = FakeService::start(|_| (500, "down".into())).await;
    let e = env(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIhalf")], Some(&empty))
        .with_metadata_endpoint(dead.url());
    let err = DefaultCredentialsChain::with_environment(e)
        .provider_config(provider_config(None))
        .provide()
        .await
        .expect_err("nothing");
    let text = err.to_string();
    for needle in [
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "OIDC (RRSA)",
        "ALIBABA_CLOUD_ROLE_ARN",
        ".aliyun/config.json: file not found",
        ".alibabacloud/credentials: file not found",
        "ecs_ram_role:",
        "HTTP 500",
        "ALIBABA_CLOUD_CREDENTIALS_URI: not set",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    // Without a metadata service (Environment::new) nothing is contacted.
    let err = DefaultCredentialsChain::with_environment(env(&[], None))
        .check()
        .expect_err("no source");
    assert!(err.to_string().contains("no metadata service"), "{err}");
    assert!(Config::from_environment(env(&[], None)).is_err());

    // ALIBABA_CLOUD_CONFIG_FILE replaces ~/.aliyun/config.json.
    let cfg = home.write(
        "elsewhere/config.json",
        r#"{"current":"p","profiles":[{"name":"p","mode":"AK","access_key_id":"LTAIcfgfile","access_key_secret":"x"}]}"#,
    );
    let e = env(
        &[("ALIBABA_CLOUD_CONFIG_FILE", cfg.to_str().expect("utf-8"))],
        None,
    );
    assert!(Config::from_environment(e.clone()).is_ok());
    let c = DefaultCredentialsChain::with_environment(e)
        .provide()
        .await
        .expect("config file");
    assert_eq!(
        (c.access_key_id(), c.provider_name()),
        ("LTAIcfgfile", "default/cli_profile")
    );
}

// ---- tracing ----

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_names_the_call_the_source_and_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sts = sts_server(vec![Key::new(AK_ID, AK_SECRET)], 3600).await;
    let api = api_server().await;
    let home = Home::new("tracing");
    home.write(
        ".aliyun/config.json",
        &serde_json::json!({"current": "r", "profiles": [
            {"name": "r", "mode": "RamRoleArn", "access_key_id": AK_ID,
             "access_key_secret": AK_SECRET, "ram_role_arn": ROLE_ARN}]})
        .to_string(),
    );
    let chain = DefaultCredentialsChain::with_environment(env(&[], Some(&home)))
        .provider_config(provider_config(Some(sts.endpoint())));
    let client = client_with(&api, chain);
    client
        .send(&Describe, &CallOptions::new())
        .await
        .expect("call");

    let text = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(text.contains("acs_call"), "{text}");
    assert!(
        text.contains("action=\"DescribeLiveUserTags\"")
            || text.contains("action=DescribeLiveUserTags"),
        "{text}"
    );
    assert!(text.contains("attempt=1"), "{text}");
    assert!(text.contains("REQ-1234-abcd"), "{text}");
    assert!(
        text.contains("credential source chosen") && text.contains("cli_profile"),
        "{text}"
    );
    assert!(
        text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID: not set"),
        "{text}"
    );
    assert_secret_free(&text);
}

// ---- the client ----

#[tokio::test]
async fn an_already_expired_credential_fails_the_call_before_sending() {
    let api = api_server().await;
    let expired = Credential::with_security_token(STS_ID, STS_SECRET, STS_TOKEN)
        .with_expiry(SystemTime::now() - Duration::from_secs(60));
    let client = client_with(&api, expired);
    let err = client
        .send(&Describe, &CallOptions::new())
        .await
        .expect_err("expired");
    let SdkError::Credentials(inner) = &err else {
        panic!("not a credentials error: {err:?}")
    };
    assert!(
        matches!(inner.root(), CredentialsError::Expired { .. }),
        "{inner:?}"
    );
    assert!(err.to_string().contains("expired"), "{err}");
    assert_secret_free(&format!("{err} {err:?}"));
    assert_eq!(api.count(), 0);
}
