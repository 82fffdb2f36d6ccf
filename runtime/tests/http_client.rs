//! The `HttpClient` seam: custom implementations get the runtime's bounds (read
//! timeout, body limit) whatever they do, a user's own `reqwest::Client` works, explicit
//! proxies (with basic authentication and a no-proxy list) and extra root certificates
//! are applied to the default client, and proxy secrets never show. Servers and proxies
//! are on 127.0.0.1; slow implementations run on tokio's paused clock.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use acsgen_runtime::{
    BodyStream, CallOptions, Client, Config, Credential, Environment, HttpClient, HttpError,
    HttpErrorKind, HttpFuture, HttpRequest, HttpResponse, Method, OperationInfo, Params,
    ProxyConfig, RawError, ReqwestHttpClient, ResponseBody, RetryConfig, RootCertificate,
};
use bytes::Bytes;
use support::{Key, Reply, TestServer, SERVICE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret123";

static LIST: OperationInfo = OperationInfo {
    action: "DescribeThings",
    method: Method::Get,
    path: "/",
    read_only: true,
    qps_limit: None,
};

static WRITE: OperationInfo = OperationInfo {
    action: "RecoverLiveMessageDeletedGroup",
    method: Method::Post,
    path: "/",
    read_only: false,
    qps_limit: None,
};

fn config(endpoint: &str) -> Config {
    Config::new()
        .region("cn-shanghai")
        .endpoint(endpoint)
        .access_key(ID, SECRET)
        .environment(Environment::empty())
}

/// Wraps the default client and counts what passes through it.
#[derive(Debug)]
struct Counting {
    inner: ReqwestHttpClient,
    calls: AtomicUsize,
    actions: Mutex<Vec<String>>,
}

impl HttpClient for Counting {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if let Some(action) = request.header("x-acs-action") {
            self.actions.lock().unwrap().push(action.to_owned());
        }
        self.inner.call(request)
    }
}

#[tokio::test]
async fn a_custom_client_carries_signed_calls() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, r#"{"RequestId":"r1"}"#)
    })
    .await;
    let counting = Arc::new(Counting {
        inner: ReqwestHttpClient::new(),
        calls: AtomicUsize::new(0),
        actions: Mutex::new(Vec::new()),
    });
    let client = Client::new(
        &SERVICE,
        config(&server.endpoint()).http_client(counting.clone()),
    )
    .expect("client");
    let mut params = Params::default();
    params.push(acsgen_runtime::Location::Query, "A", "b c".into());
    let raw = client
        .execute(&LIST, &params, &CallOptions::new())
        .await
        .expect("answer");
    assert_eq!(raw.status, 200);
    assert_eq!(counting.calls.load(Ordering::SeqCst), 1);
    assert_eq!(*counting.actions.lock().unwrap(), ["DescribeThings"]);
    assert!(server.requests()[0].verified.is_ok());
}

#[tokio::test]
async fn a_users_own_reqwest_client_is_used() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, r#"{"RequestId":"r1"}"#)
    })
    .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-own-client", "1".parse().expect("header value"));
    let own = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("reqwest");
    let client =
        Client::new(&SERVICE, config(&server.endpoint()).reqwest_client(own)).expect("client");
    client
        .execute(&LIST, &Params::default(), &CallOptions::new())
        .await
        .expect("answer");
    assert_eq!(server.count(), 1);
    assert_eq!(
        server.requests()[0].header("x-own-client"),
        Some("1"),
        "the request went through the user's client"
    );
}

/// Answers with a scripted body.
#[derive(Debug)]
struct Scripted {
    declared: Option<u64>,
    chunk: usize,
    /// Chunks before the body stalls forever (`None`: endless).
    chunks: Option<usize>,
    /// The headers never come.
    hang: bool,
    polled: Arc<AtomicUsize>,
}

struct ScriptedBody {
    declared: Option<u64>,
    chunk: usize,
    left: Option<usize>,
    polled: Arc<AtomicUsize>,
}

impl BodyStream for ScriptedBody {
    fn next_chunk(&mut self) -> acsgen_runtime::http_client::ChunkFuture<'_> {
        self.polled.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            match &mut self.left {
                Some(0) => std::future::pending().await,
                Some(n) => *n -= 1,
                None => {}
            }
            Some(Ok(Bytes::from(vec![b' '; self.chunk])))
        })
    }

    fn content_length(&self) -> Option<u64> {
        self.declared
    }
}

impl HttpClient for Scripted {
    fn call(&self, _request: HttpRequest) -> HttpFuture<'_> {
        let body = ScriptedBody {
            declared: self.declared,
            chunk: self.chunk,
            left: self.chunks,
            polled: Arc::clone(&self.polled),
        };
        let hang = self.hang;
        Box::pin(async move {
            if hang {
                std::future::pending::<()>().await;
            }
            Ok(HttpResponse::new(200, ResponseBody::stream(body)))
        })
    }
}

fn scripted(
    declared: Option<u64>,
    chunks: Option<usize>,
    hang: bool,
) -> (Client, Arc<AtomicUsize>) {
    let polled = Arc::new(AtomicUsize::new(0));
    let http = Scripted {
        declared,
        chunk: 64 * 1024,
        chunks,
        hang,
        polled: Arc::clone(&polled),
    };
    let client = Client::new(
        &SERVICE,
        config("http://127.0.0.1:9")
            .http_client(Arc::new(http))
            .retry(RetryConfig::disabled())
            .max_response_bytes(1 << 20),
    )
    .expect("client");
    (client, polled)
}

#[tokio::test(start_paused = true)]
async fn any_implementation_gets_the_body_limit() {
    // Endless: cut at the limit.
    let (client, polled) = scripted(None, None, false);
    let err = client
        .execute(&LIST, &Params::default(), &CallOptions::new())
        .await
        .expect_err("too large");
    let RawError::BodyTooLarge(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.limit, 1 << 20);
    assert!(e.received > 1 << 20 && e.received <= (1 << 20) + 64 * 1024);
    assert_eq!(polled.load(Ordering::SeqCst), 17);
    // Declared too large: refused before any chunk is read.
    let (client, polled) = scripted(Some(100 << 20), None, false);
    let err = client
        .execute(&LIST, &Params::default(), &CallOptions::new())
        .await
        .expect_err("too large");
    assert!(
        matches!(err, RawError::BodyTooLarge(ref e) if e.received == 0 && e.content_length == Some(100 << 20))
    );
    assert_eq!(polled.load(Ordering::SeqCst), 0);
}

#[tokio::test(start_paused = true)]
async fn any_implementation_gets_the_read_timeout() {
    let options = CallOptions::new()
        .read_timeout(Duration::from_millis(300))
        .connect_timeout(Duration::from_millis(100));
    // The body stalls after two chunks.
    let (client, _) = scripted(None, Some(2), false);
    let err = client
        .execute(&LIST, &Params::default(), &options)
        .await
        .expect_err("stalls");
    let RawError::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_timeout() && !t.is_connect(), "{err}");
    assert!(err.to_string().contains("300 ms"), "{err}");
    // The headers never come: connect + read timeout.
    let (client, polled) = scripted(None, None, true);
    let err = client
        .execute(&WRITE, &Params::default(), &options)
        .await
        .expect_err("hangs");
    assert!(
        matches!(&err, RawError::Transport(t) if t.is_timeout()),
        "{err:?}"
    );
    assert!(err.to_string().contains("400 ms"), "{err}");
    assert_eq!(polled.load(Ordering::SeqCst), 0);
}

#[test]
fn http_errors_keep_their_kind() {
    let e = HttpError::new(HttpErrorKind::ConnectTimeout, "slow");
    assert!(e.is_connect() && e.is_timeout());
    assert_eq!(e.to_string(), "slow");
    let e = HttpError::new(HttpErrorKind::Other, "reset");
    assert!(!e.is_connect() && !e.is_timeout());
}

/// A forward proxy on 127.0.0.1 that records each request head and answers itself.
async fn fake_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let record = Arc::clone(&record);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                record
                    .lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&head).into_owned());
                let body = r#"{"RequestId":"via-proxy"}"#;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes()).await;
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn an_explicit_proxy_gets_calls_with_basic_auth() {
    let (proxy_url, seen) = fake_proxy().await;
    // Credentials inside the URL are taken out of it and sent as basic authentication.
    let with_userinfo = proxy_url.replace("http://", "http://proxyuser:p%40ss-SECRET@");
    let proxy = ProxyConfig::new(with_userinfo);
    assert_eq!(proxy.url(), proxy_url);
    assert_eq!(proxy.username(), Some("proxyuser"));
    let config = config("http://api.example.invalid").proxy(proxy);
    assert!(!format!("{config:?}").contains("SECRET"), "{config:?}");
    let client = Client::new(&SERVICE, config).expect("client");
    let raw = client
        .execute(&LIST, &Params::default(), &CallOptions::new())
        .await
        .expect("answered by the proxy");
    assert!(String::from_utf8_lossy(&raw.body).contains("via-proxy"));
    let head = seen.lock().unwrap()[0].clone();
    assert!(
        head.starts_with("GET http://api.example.invalid/"),
        "{head}"
    );
    // base64("proxyuser:p@ss-SECRET")
    let expected = format!(
        "proxy-authorization: basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "proxyuser:p@ss-SECRET"
        )
        .to_ascii_lowercase()
    );
    assert!(head.to_ascii_lowercase().contains(&expected), "{head}");
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly_and_secrets_never_show() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(200, r#"{"RequestId":"direct"}"#)
    })
    .await;
    // A proxy nobody listens on: only reached if no_proxy were ignored.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let dead_url = format!("http://{}", dead.local_addr().expect("addr"));
    drop(dead);
    let proxy = ProxyConfig::new(dead_url.clone())
        .basic_auth("u", "hunter2-SECRET")
        .no_proxy(["127.0.0.1"]);
    let client =
        Client::new(&SERVICE, config(&server.endpoint()).proxy(proxy.clone())).expect("client");
    let raw = client
        .execute(&LIST, &Params::default(), &CallOptions::new())
        .await
        .expect("direct");
    assert!(String::from_utf8_lossy(&raw.body).contains("direct"));
    // Through the dead proxy: the failure names no secret.
    let client = Client::new(
        &SERVICE,
        config("http://api.example.invalid")
            .proxy(ProxyConfig::new(dead_url).basic_auth("u", "hunter2-SECRET"))
            .retry(RetryConfig::disabled()),
    )
    .expect("client");
    let err = client
        .execute(&LIST, &Params::default(), &CallOptions::new())
        .await
        .expect_err("proxy down");
    for text in [
        err.to_string(),
        format!("{err:?}"),
        format!("{proxy:?}"),
        format!("{client:?}"),
    ] {
        assert!(!text.contains("hunter2"), "{text}");
    }
}

const TEST_ROOT: &str = "-----BEGIN CERTIFICATE-----
MIIBjTCCATOgAwIBAgIUTc2gcb6Chz3D5RU5WjNqDW+pJsMwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQYWNzZ2VuLXRlc3Qtcm9vdDAgFw0yNjEyMDIxMzI0MzhaGA8y
MTI2MTEwODEzMjQzOFowGzEZMBcGA1UEAwwQYWNzZ2VuLXRlc3Qtcm9vdDBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABMYlGi9TOxaX5uv+0WMGWYVdDLKDDQxMBZNn
DCRP1sWUW4CJ4bfy5he8e520YQ8IXOZmWSL4OC5RfzgaWbkvrKyjUzBRMB0GA1Ud
DgQWBBT6CbOeLPrrZYASHiTQeZ26ZNhDwTAfBgNVHSMEGDAWgBT6CbOeLPrrZYAS
HiTQeZ26ZNhDwTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDA
9aC/H4MHXDwb0nMU+YOJqBIZAi7AqgpEqVrc5+3kJwIgSR0XvXoECsPhIsbm2EcP
xOPeF6T/oiyfu0XxvCVBFFw=
-----END CERTIFICATE-----
";

#[test]
fn extra_root_certificates_are_checked_when_the_client_is_built() {
    let ok = Config::new()
        .region("cn-shanghai")
        .credentials(Credential::new(ID, SECRET))
        .environment(Environment::empty())
        .add_root_certificate(RootCertificate::from_pem(TEST_ROOT));
    assert!(format!("{ok:?}").contains("pem_len"));
    Client::new(&SERVICE, ok).expect("valid root accepted");
    for bad in [
        "not a certificate",
        "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
    ] {
        let err = Client::new(
            &SERVICE,
            Config::new()
                .region("cn-shanghai")
                .environment(Environment::empty())
                .add_root_certificate(RootCertificate::from_pem(bad)),
        )
        .expect_err("invalid root");
        assert!(err.to_string().contains("root certificate"), "{err}");
    }
}

/// Answers the metadata service and the API by URL, recording each request's path and
/// whether it was marked `direct`.
#[derive(Debug, Default)]
struct Imds {
    seen: Mutex<Vec<(String, bool, Option<String>)>>,
}

impl HttpClient for Imds {
    fn call(&self, request: HttpRequest) -> HttpFuture<'_> {
        let path = request
            .url
            .split('?')
            .next()
            .unwrap_or("")
            .replace("http://100.100.100.200", "");
        self.seen.lock().unwrap().push((
            path.clone(),
            request.direct,
            request.header("x-acs-accesskey-id").map(str::to_owned),
        ));
        let body = match path.as_str() {
            "/latest/api/token" => "imds-token".to_owned(),
            "/latest/meta-data/ram/security-credentials/" => "role-1".to_owned(),
            "/latest/meta-data/ram/security-credentials/role-1" => serde_json::json!({
                "Code": "Success", "AccessKeyId": "STS.fromImds", "AccessKeySecret": "s",
                "SecurityToken": "tok", "Expiration": "2999-01-01T00:00:00Z"
            })
            .to_string(),
            _ => r#"{"RequestId":"api"}"#.to_owned(),
        };
        Box::pin(async move { Ok(HttpResponse::new(200, body)) })
    }
}

#[tokio::test]
async fn the_credential_chain_uses_the_same_client_and_metadata_stays_direct() {
    let imds = Arc::new(Imds::default());
    let config = Config::new()
        .region("cn-shanghai")
        .endpoint("http://api.example.invalid")
        .environment(Environment::empty().with_metadata_endpoint("http://100.100.100.200"))
        .proxy(ProxyConfig::new("http://127.0.0.1:9"))
        .http_client(imds.clone());
    let client = Client::new(&SERVICE, config).expect("client");
    client
        .execute(&LIST, &Params::default(), &CallOptions::new())
        .await
        .expect("answer");
    let seen = imds.seen.lock().unwrap().clone();
    let (api, metadata): (Vec<_>, Vec<_>) = seen
        .iter()
        .partition(|(p, _, _)| p.starts_with("http://api.example.invalid"));
    assert!(metadata.len() >= 2, "{seen:?}");
    assert!(metadata.iter().all(|(_, direct, _)| *direct), "{seen:?}");
    assert_eq!(api.len(), 1);
    assert!(!api[0].1);
    assert_eq!(api[0].2.as_deref(), Some("STS.fromImds"));
}
