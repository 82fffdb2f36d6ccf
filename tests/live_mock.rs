//! The generated Live crate tested without a network through the runtime's test kit
//! (`acsgen-runtime` feature `test-util`, enabled by this crate's dev-dependency):
//! typed responses compared with values built by the generated `with_*` setters, typed
//! errors, answers chosen by predicate, the requests the code sent, and the generated
//! `call_raw` passthrough (through the mock and against the verifying server).

#[path = "../runtime/tests/support/mod.rs"]
mod server;

use std::time::Duration;

use acsgen_runtime::test_util::{MockHttpClient, MockResponse};
use acsgen_runtime::{Environment, Location, Params, RetryConfig};
use alibabacloud_live::types::{GroupList, SortType};
use alibabacloud_live::{
    Client, Config, ListLiveMessageGroupsError, ListLiveMessageGroupsResponse, ProvideServiceError,
    SdkError,
};
use server::{Key, Reply, Signed, TestServer};

const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret123";

fn config() -> Config {
    Config::new()
        .region("cn-shanghai")
        .access_key(ID, SECRET)
        .environment(Environment::new(|_| None, None))
        .retry(RetryConfig::new().initial_backoff(Duration::from_millis(1)))
}

fn mocked(mock: &MockHttpClient) -> Client {
    Client::new(config().http_client(mock.shared())).expect("client")
}

/// Code under test, as an application would write it: the names of an app's groups.
async fn group_names(
    client: &Client,
    app: &str,
) -> Result<Vec<String>, SdkError<ListLiveMessageGroupsError>> {
    let page = client
        .list_live_message_groups(app, SortType::V1)
        .send()
        .await?;
    Ok(page
        .group_list
        .into_iter()
        .filter_map(|g| g.group_name)
        .collect())
}

#[tokio::test]
async fn typed_responses_from_the_mock_match_values_built_with_setters() {
    let mock = MockHttpClient::new();
    mock.on("ListLiveMessageGroups").respond(MockResponse::typed(&serde_json::json!({
        "RequestId": "r-1",
        "Hasmore": false,
        "GroupList": [
            {"GroupId": "g1", "GroupName": "first", "Createtime": "1700000000000", "AdminList": ["u1"]},
            {"GroupId": "g2", "GroupName": "second", "Delete": "true"}
        ]
    })));
    let client = mocked(&mock);
    let page = client
        .list_live_message_groups("app-1", SortType::V1)
        .data_center("cn-shanghai")
        .send()
        .await
        .expect("page");
    // Response types are #[non_exhaustive]: test values come from Default + setters.
    let expected = ListLiveMessageGroupsResponse::default()
        .with_request_id("r-1")
        .with_hasmore(false)
        .with_group_list(vec![
            GroupList::default()
                .with_group_id("g1")
                .with_group_name("first")
                .with_createtime(1_700_000_000_000)
                .with_admin_list(vec!["u1".to_owned()]),
            GroupList::default()
                .with_group_id("g2")
                .with_group_name("second")
                .with_delete(true),
        ]);
    assert_eq!(page, expected);

    let sent = mock.requests_for("ListLiveMessageGroups");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].param("AppId"), Some("app-1"));
    assert_eq!(sent[0].param("SortType"), Some("1"));
    assert_eq!(sent[0].param("DataCenter"), Some("cn-shanghai"));
}

#[tokio::test]
async fn typed_errors_and_predicates_drive_the_code_under_test() {
    let mock = MockHttpClient::new();
    mock.on("ListLiveMessageGroups")
        .when(|r| r.param("AppId") == Some("missing"))
        .respond_always(MockResponse::error(404, "ResourceNotExist", "no such app"));
    mock.on("ListLiveMessageGroups")
        .respond_always(MockResponse::json(
            r#"{"RequestId":"r","GroupList":[{"GroupName":"a"},{"GroupName":"b"}]}"#,
        ));
    let client = mocked(&mock);
    assert_eq!(
        group_names(&client, "app-1").await.expect("names"),
        ["a", "b"]
    );
    let err = group_names(&client, "missing").await.expect_err("missing");
    assert!(
        matches!(
            &err,
            SdkError::Service(ListLiveMessageGroupsError::ResourceNotExist(e)) if e.status == 404
        ),
        "{err:?}"
    );
    assert_eq!(err.as_service().map(|e| e.code()), Some("ResourceNotExist"));
    let apps: Vec<String> = mock
        .requests()
        .iter()
        .filter_map(|r| r.param("AppId").map(str::to_owned))
        .collect();
    assert_eq!(apps, ["app-1", "missing"]);
}

#[tokio::test]
async fn call_raw_reaches_unmodelled_operations() {
    // Through the mock.
    let mock = MockHttpClient::new();
    mock.on("DescribeLiveStreamsOnlineList")
        .respond(MockResponse::json(r#"{"RequestId":"r","TotalNum":3}"#));
    let client = mocked(&mock);
    let mut params = Params::default();
    params.push(Location::Query, "DomainName", "example.com".into());
    let value = client
        .call_raw("DescribeLiveStreamsOnlineList", params.clone())
        .await
        .expect("raw");
    assert_eq!(value["TotalNum"], 3);
    assert_eq!(mock.requests()[0].param("DomainName"), Some("example.com"));

    // Against the server that re-verifies the signature.
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        assert_eq!(
            r.header("x-acs-action"),
            Some("DescribeLiveStreamsOnlineList")
        );
        Reply::json(200, r#"{"RequestId":"r","TotalNum":7}"#)
    })
    .await;
    let client = Client::new(config().endpoint(server.endpoint())).expect("client");
    let value = client
        .call_raw("DescribeLiveStreamsOnlineList", params)
        .await
        .expect("raw");
    assert_eq!(value["TotalNum"], 7);
    assert_eq!(server.requests()[0].verified, Ok(Signed::V3));
    assert_eq!(
        server.requests()[0].param("DomainName"),
        Some("example.com")
    );
}

/// Operations whose response is only a request ID share one response type, and those
/// that document no error code share one error enum: values pass between them, the
/// per-operation names still work, and `code()` comes from `ProvideServiceError`.
#[tokio::test]
async fn shared_response_and_error_types_work_through_each_operations_names() {
    use alibabacloud_live::types::{RequestIdResponse, UndocumentedError};
    use alibabacloud_live::{BanLiveMessageGroupError, BanLiveMessageGroupResponse};

    let mock = MockHttpClient::new();
    mock.on("BanLiveMessageGroup")
        .when(|r| r.param("GroupId") == Some("gone"))
        .respond_always(MockResponse::error(404, "GroupNotFound", "no such group"));
    mock.on("BanLiveMessageGroup")
        .respond_always(MockResponse::json(r#"{"RequestId":"r-ban"}"#));
    mock.on("RemoveLiveMessageGroupBand")
        .respond_always(MockResponse::json(r#"{"RequestId":"r-unban"}"#));
    let client = mocked(&mock);

    let banned: BanLiveMessageGroupResponse = client
        .ban_live_message_group("app", "g1")
        .send()
        .await
        .expect("ban");
    let unbanned: RequestIdResponse = client
        .remove_live_message_group_band("app", "g1", vec!["u1".to_owned()])
        .send()
        .await
        .expect("unban");
    assert_eq!(banned.request_id.as_deref(), Some("r-ban"));
    assert_eq!(unbanned.request_id.as_deref(), Some("r-unban"));
    // One type: both values fit in one list.
    let both: Vec<RequestIdResponse> = vec![banned, unbanned];
    assert_eq!(both.len(), 2);

    let err = client
        .ban_live_message_group("app", "gone")
        .send()
        .await
        .expect_err("gone");
    let SdkError::Service(service) = &err else {
        panic!("not a service error: {err:?}");
    };
    assert!(matches!(service, BanLiveMessageGroupError::Unhandled(_)));
    assert!(matches!(service, UndocumentedError::Unhandled(_)));
    assert_eq!(service.code(), "GroupNotFound");
    assert_eq!(service.message(), "no such group");
    assert_eq!(service.status(), 404);
    assert_eq!(service.service_error().code, "GroupNotFound");
}

/// `Debug` of a request shows what goes on the wire, unset parameters left out.
#[test]
fn request_debug_shows_the_wire_parameters() {
    use alibabacloud_live::RecoverLiveMessageDeletedGroupRequest;
    let request = RecoverLiveMessageDeletedGroupRequest::new("demo", "grouptest");
    assert_eq!(
        format!("{request:?}"),
        r#"RecoverLiveMessageDeletedGroupRequest { AppId: "demo", GroupId: "grouptest" }"#
    );
    let request = request.data_center("cn-shanghai");
    assert_eq!(
        format!("{request:?}"),
        r#"RecoverLiveMessageDeletedGroupRequest { AppId: "demo", GroupId: "grouptest", DataCenter: "cn-shanghai" }"#
    );
}
