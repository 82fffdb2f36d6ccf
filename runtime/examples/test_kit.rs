//! The test kit (`--features test-util`): a client answered by a mock, requests
//! inspected, then a recorded exchange replayed.
//!
//! ```sh
//! cargo run -p acsgen-runtime --features test-util --example test_kit
//! ```

use acsgen_runtime::test_util::{MockHttpClient, MockResponse, RecordingHttpClient};
use acsgen_runtime::{
    Client, Config, EndpointRule, Environment, Location, Params, RetryConfig, Scheme, SdkError,
    ServiceInfo,
};

static SERVICE: ServiceInfo = ServiceInfo {
    product: "live",
    version: "2016-11-01",
    endpoint_rule: EndpointRule::Central,
    default_endpoint: "live.aliyuncs.com",
    endpoint_map: &[],
    scheme: Scheme::Https,
    crate_name: "test-kit-example",
    crate_version: "0.1.0",
};

fn make_client(http: std::sync::Arc<dyn acsgen_runtime::HttpClient>) -> Client {
    let config = Config::new()
        .access_key("LTAI-example", "example-secret")
        // No lookups of the real environment (region, profiles) in a test.
        .environment(Environment::empty())
        .retry(RetryConfig::disabled())
        .http_client(http);
    Client::new(&SERVICE, config).expect("client")
}

fn params(group: &str) -> Params {
    let mut p = Params::default();
    p.push(Location::Query, "AppId", "demo".into());
    p.push(Location::Query, "GroupId", group.into());
    p
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockHttpClient::new();
    // In order: the first call gets the group, the second an error.
    mock.on("DescribeLiveMessageGroup")
        .respond(MockResponse::json(
            r#"{"RequestId":"r1","GroupId":"g1","Status":0}"#,
        ))
        .respond(MockResponse::error(
            404,
            "InvalidGroupId.NotFound",
            "no such group",
        ));
    // By predicate: only for GroupId=vip.
    mock.on("DescribeLiveMessageGroup")
        .when(|r| r.param("GroupId") == Some("vip"))
        .respond_always(MockResponse::json(r#"{"RequestId":"r2","GroupId":"vip"}"#));

    let client = make_client(mock.shared());
    let vip = client
        .call_raw("DescribeLiveMessageGroup", params("vip"))
        .await?;
    println!("vip: {vip}");
    let first = client
        .call_raw("DescribeLiveMessageGroup", params("g1"))
        .await?;
    println!("first: {first}");
    match client
        .call_raw("DescribeLiveMessageGroup", params("g1"))
        .await
    {
        Err(SdkError::Service(e)) => println!("second: {} (HTTP {})", e.code, e.status),
        other => println!("unexpected: {other:?}"),
    }
    for request in mock.requests() {
        println!("sent {} {:?}", request.action, request.params);
    }

    // Record: the recording wraps any HttpClient (here the mock; in practice the
    // default `ReqwestHttpClient` talking to the real service), then replay the file.
    let recorder = RecordingHttpClient::new(mock.shared());
    make_client(recorder.shared())
        .call_raw("DescribeLiveMessageGroup", params("vip"))
        .await?;
    let file = std::env::temp_dir().join(format!("acsgen-test-kit-{}.json", std::process::id()));
    recorder.save(&file)?;
    let replayed = make_client(MockHttpClient::replay(&file)?.shared())
        .call_raw("DescribeLiveMessageGroup", params("vip"))
        .await?;
    println!("replayed: {replayed}");
    std::fs::remove_file(&file)?;
    Ok(())
}
