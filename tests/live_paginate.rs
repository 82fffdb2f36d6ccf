//! Paginators of the committed generated crate, end to end: `into_paginator()` and
//! `.items()` of `alibabacloud-live` against a server on 127.0.0.1 that pages for
//! real and re-verifies every signature.

#[path = "../runtime/tests/support/mod.rs"]
mod server;

use acsgen_runtime::paginate::{StreamExt, TryStreamExt};
use acsgen_runtime::{Environment, RetryConfig};
use alibabacloud_live::types::{GroupList, SortType};
use alibabacloud_live::{Client, Config, ListLiveMessageGroupUsersError, SdkError};
use server::{Key, Received, Reply, TestServer};

const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret123";

fn client(server: &TestServer) -> Client {
    Client::new(
        Config::new()
            .endpoint(server.endpoint())
            .region("cn-shanghai")
            .access_key(ID, SECRET)
            .use_system_proxy(false)
            .environment(Environment::new(|_| None, None))
            .retry(RetryConfig::new().initial_backoff(std::time::Duration::from_millis(1))),
    )
    .expect("client")
}

async fn server(handler: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static) -> TestServer {
    TestServer::start(vec![Key::new(ID, SECRET)], handler).await
}

fn group(id: usize) -> serde_json::Value {
    serde_json::json!({"GroupId": format!("g{id}"), "GroupName": format!("group {id}")})
}

fn ids(groups: &[GroupList]) -> Vec<String> {
    groups
        .iter()
        .map(|g| g.group_id.clone().unwrap_or_default())
        .collect()
}

/// `ListLiveMessageGroups`: 7 groups, 3 per page; the integer `NextPageToken` is the
/// offset, answered (as the metadata says) in a string field `NextpageToken`, with
/// `Hasmore`.
fn groups_by_token(request: &Received) -> Reply {
    assert!(request.verified.is_ok(), "signature verified");
    assert_eq!(
        request.header("x-acs-action"),
        Some("ListLiveMessageGroups")
    );
    let start: usize = request
        .param("NextPageToken")
        .map_or(0, |t| t.parse().expect("an integer token"));
    let end = (start + 3).min(7);
    let list: Vec<_> = (start..end).map(group).collect();
    let body = if end < 7 {
        serde_json::json!({"RequestId": "R", "Hasmore": true, "NextpageToken": end.to_string(), "GroupList": list})
    } else {
        serde_json::json!({"RequestId": "R", "Hasmore": false, "GroupList": list})
    };
    Reply::json(200, &body.to_string())
}

#[tokio::test]
async fn next_token_paging_runs_to_the_end() {
    let server = server(|request, _| groups_by_token(request)).await;
    let pages: Vec<_> = client(&server)
        .list_live_message_groups("demo", SortType::V1)
        .into_paginator()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(pages.len(), 3);
    let all: Vec<GroupList> = pages.into_iter().flat_map(|p| p.group_list).collect();
    assert_eq!(ids(&all), ["g0", "g1", "g2", "g3", "g4", "g5", "g6"]);
    let tokens: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.param("NextPageToken").map(str::to_owned))
        .collect();
    assert_eq!(tokens, [None, Some("3".into()), Some("6".into())]);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.param("AppId") == Some("demo") && r.param("SortType") == Some("1")),
        "every page keeps the request's other parameters"
    );
}

#[tokio::test]
async fn items_of_every_page_one_by_one() {
    let server = server(|request, _| groups_by_token(request)).await;
    let groups: Vec<GroupList> = client(&server)
        .list_live_message_groups("demo", SortType::V2)
        .group_status(1)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .expect("every group");
    assert_eq!(groups.len(), 7);
    assert_eq!(groups[6].group_name.as_deref(), Some("group 6"));
    assert!(server
        .requests()
        .iter()
        .all(|r| r.param("GroupStatus") == Some("1")));
}

#[tokio::test]
async fn page_number_paging_stops_at_total_count() {
    // 5 groups, PageSize 2: pages 1, 2 and 3 (with 2, 2 and 1 groups), and no 4th.
    let server = server(|request, _| {
        assert!(request.verified.is_ok(), "signature verified");
        let page: usize = request
            .param("PageNumber")
            .expect("page number sent")
            .parse()
            .expect("a number");
        let size: usize = request
            .param("PageSize")
            .expect("page size sent")
            .parse()
            .expect("a number");
        let list: Vec<_> = ((page - 1) * size..(page * size).min(5))
            .map(group)
            .collect();
        let body = serde_json::json!({"RequestId": "R", "TotalCount": 5, "PageNumber": page, "PageSize": size, "GroupList": list});
        Reply::json(200, &body.to_string())
    })
    .await;
    let groups: Vec<GroupList> = client(&server)
        .list_live_message_group_by_page("demo", SortType::V1)
        .page_size(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .expect("every group");
    assert_eq!(ids(&groups), ["g0", "g1", "g2", "g3", "g4"]);
    let pages: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("PageNumber").unwrap_or("-").to_owned())
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
}

#[tokio::test]
async fn a_server_repeating_its_token_does_not_loop() {
    // `ListLiveMessageApps` answers the same token (and "more") forever.
    let server = server(|request, index| {
        assert!(request.verified.is_ok(), "signature verified");
        let body = serde_json::json!({"RequestId": "R", "HasMore": true, "NextPageToken": 1001, "AppList": [{"AppId": format!("app-{index}")}]});
        Reply::json(200, &body.to_string())
    })
    .await;
    let pages: Vec<_> = client(&server)
        .list_live_message_apps(SortType::V1)
        .into_paginator()
        .take(50)
        .collect()
        .await;
    assert_eq!(
        pages.len(),
        2,
        "stops once the token comes back a second time"
    );
    assert!(pages.iter().all(Result::is_ok));
    assert_eq!(server.count(), 2);
    assert_eq!(
        server.requests()[1].param("NextPageToken"),
        Some("1001"),
        "the integer token is sent back"
    );
}

#[tokio::test]
async fn an_empty_page_ends_the_stream() {
    let server = server(|request, _| {
        let body = match request.param("NextPageToken") {
            None => serde_json::json!({"Hasmore": true, "NextPageToken": 5, "UserList": [{"UserId": "u1"}]}),
            Some(_) => serde_json::json!({"Hasmore": true, "NextPageToken": 9, "UserList": []}),
        };
        Reply::json(200, &body.to_string())
    })
    .await;
    let users: Vec<_> = client(&server)
        .list_live_message_group_users("demo", "g1", 10, SortType::V1)
        .into_paginator()
        .items()
        .take(50)
        .try_collect()
        .await
        .expect("every user");
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].user_id.as_deref(), Some("u1"));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn an_error_mid_stream_is_typed_and_ends_the_stream() {
    let server = server(|_, index| {
        if index == 0 {
            let body = serde_json::json!({"Hasmore": true, "NextPageToken": 5, "UserList": [{"UserId": "u1"}, {"UserId": "u2"}]});
            Reply::json(200, &body.to_string())
        } else {
            Reply::error(404, "ResourceNotExist", "The group does not exist.")
        }
    })
    .await;
    let mut users = client(&server)
        .list_live_message_group_users("demo", "g1", 10, SortType::V1)
        .into_paginator()
        .items();
    let mut seen = Vec::new();
    let error = loop {
        match users.next().await.expect("an element before the end") {
            Ok(user) => seen.push(user.user_id.unwrap_or_default()),
            Err(error) => break error,
        }
    };
    assert_eq!(seen, ["u1", "u2"]);
    assert!(
        matches!(
            error,
            SdkError::Service(ListLiveMessageGroupUsersError::ResourceNotExist(_))
        ),
        "{error:?}"
    );
    assert!(users.next().await.is_none());
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_paginator_is_send_and_static() {
    let server = server(|request, _| groups_by_token(request)).await;
    let pages = client(&server)
        .list_live_message_groups("demo", SortType::V1)
        .into_paginator();
    let count = tokio::spawn(pages.count()).await.expect("task");
    assert_eq!(count, 3);
}
