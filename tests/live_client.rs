//! The committed generated crate, end to end: the seed operation sent by
//! `alibabacloud-live` to a server on 127.0.0.1 that re-verifies every V3
//! signature, with typed responses and errors coming back.

#[path = "../runtime/tests/support/mod.rs"]
mod server;

use acsgen_runtime::{Location, Operation, RetryConfig};
use alibabacloud_live::operations::recover_live_message_deleted_group::DataCenter;
use alibabacloud_live::{
    Client, Config, ProvideServiceError, RecoverLiveMessageDeletedGroupError,
    RecoverLiveMessageDeletedGroupRequest, SdkError,
};
use server::{Key, Reply, TestServer};

const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret123";

fn client(server: &TestServer) -> Client {
    Client::new(
        Config::new()
            .endpoint(server.endpoint())
            .region("cn-shanghai")
            .access_key(ID, SECRET)
            .retry(RetryConfig::new().initial_backoff(std::time::Duration::from_millis(1))),
    )
    .expect("client")
}

#[test]
fn request_has_exact_wire_parameters() {
    let request = RecoverLiveMessageDeletedGroupRequest::new("demo", "grouptest")
        .data_center(DataCenter::ApSoutheast1);
    let params = request.params();
    let wire: Vec<(Location, &str, &str)> = params
        .iter()
        .map(|p| (p.location, p.name.as_ref(), p.value.as_str()))
        .collect();
    assert_eq!(
        wire,
        vec![
            (Location::Query, "AppId", "demo"),
            (Location::Query, "GroupId", "grouptest"),
            (Location::Query, "DataCenter", "ap-southeast-1"),
        ]
    );
    let minimal = RecoverLiveMessageDeletedGroupRequest::new("demo", "g").params();
    assert_eq!(minimal.len(), 2, "unset optional parameters are not sent");
    assert_eq!(
        DataCenter::from("eu-west-9").as_str(),
        "eu-west-9",
        "unknown values round-trip"
    );
}

#[tokio::test]
async fn seed_operation_round_trips_through_a_verifying_server() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |request, _| {
        assert!(request.verified.is_ok(), "signature verified");
        Reply::json(
            200,
            r#"{"RequestId":"B95BE680-5A6A-1CAD-8AB1-09DFF5D6****","GroupId":"grouptest","NewField":1}"#,
        )
    })
    .await;
    let response = client(&server)
        .recover_live_message_deleted_group("demo", "grouptest")
        .data_center(DataCenter::CnShanghai)
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(response.group_id.as_deref(), Some("grouptest"));
    assert_eq!(
        response.request_id.as_deref(),
        Some("B95BE680-5A6A-1CAD-8AB1-09DFF5D6****")
    );
    let received = &server.requests()[0];
    assert_eq!(received.method, "POST");
    assert_eq!(
        received.header("x-acs-action"),
        Some("RecoverLiveMessageDeletedGroup")
    );
    assert_eq!(received.header("x-acs-version"), Some("2016-11-01"));
    assert_eq!(received.param("AppId"), Some("demo"));
    assert_eq!(received.param("DataCenter"), Some("cn-shanghai"));
    let agent = received.header("user-agent").unwrap_or_default();
    assert!(
        agent.contains("alibabacloud-live/0.1.0"),
        "user-agent names the crate: {agent}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_can_be_spawned_and_tolerate_numbers_as_strings() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        // The service sends GroupId as a number here: decoded as its text.
        Reply::json(200, r#"{"RequestId":"r-1","GroupId":42}"#)
    })
    .await;
    let client = client(&server);
    let calls: Vec<_> = (0..3)
        .map(|_| {
            // 'static + Send: no borrow of `client` outlives this statement.
            tokio::spawn(
                client
                    .recover_live_message_deleted_group("demo", "grouptest")
                    .send(),
            )
        })
        .collect();
    drop(client);
    for call in calls {
        let response = call.await.expect("task").expect("call succeeds");
        assert_eq!(response.group_id.as_deref(), Some("42"));
    }
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn documented_and_unknown_errors_are_typed() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |request, _| {
        match request.param("GroupId") {
            Some("missing") => Reply::error(404, "ResourceNotExist", "The group does not exist."),
            _ => Reply::error(400, "Brand.New.Code", "Something new."),
        }
    })
    .await;
    let client = client(&server);
    let error = client
        .recover_live_message_deleted_group("demo", "missing")
        .send()
        .await
        .expect_err("404");
    match &error {
        SdkError::Service(RecoverLiveMessageDeletedGroupError::ResourceNotExist(details)) => {
            assert_eq!(details.status, 404);
            assert!(!details.request_id.is_empty());
        }
        other => panic!("expected ResourceNotExist, got {other:?}"),
    }
    // Accessors on every error enum, without matching a variant.
    let SdkError::Service(typed) = &error else {
        panic!("service error")
    };
    assert_eq!(
        (typed.code(), typed.message(), typed.status()),
        ("ResourceNotExist", "The group does not exist.", 404)
    );
    assert!(!typed.request_id().is_empty());
    let shown = error.to_string();
    assert!(
        shown.contains("ResourceNotExist") && shown.contains("The group does not exist."),
        "{shown}"
    );

    let unknown = client
        .recover_live_message_deleted_group("demo", "other")
        .send()
        .await
        .expect_err("400");
    match unknown {
        SdkError::Service(RecoverLiveMessageDeletedGroupError::Unhandled(details)) => {
            assert_eq!(
                (details.status, details.code.as_str()),
                (400, "Brand.New.Code")
            );
            assert_eq!(details.message, "Something new.");
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

#[tokio::test]
async fn a_write_is_not_retried_after_a_server_error() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::error(500, "ServerError", "Try later.")
    })
    .await;
    let error = client(&server)
        .recover_live_message_deleted_group("demo", "g")
        .send()
        .await
        .expect_err("500");
    assert!(matches!(
        error,
        SdkError::Service(RecoverLiveMessageDeletedGroupError::ServerError(_))
    ));
    assert_eq!(
        server.count(),
        1,
        "RecoverLiveMessageDeletedGroup is a write: one attempt"
    );
}
