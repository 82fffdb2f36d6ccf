//! Paginators against a local server that pages for real (and re-verifies every
//! signature): token paging to the end, page numbers up to the total count, a server
//! repeating its token, empty pages, errors mid-stream, tokens that do not fit.

mod support;

use std::fmt;
use std::time::Duration;

use acsgen_runtime::de::{Decode, Fields};
use acsgen_runtime::paginate::{
    Paginate, Paginator, Paging, StreamExt, TokenSlot, TokenValue, TryStreamExt,
};
use acsgen_runtime::{
    Bound, Client, Config, Credential, Environment, Location, Method, Operation, OperationInfo,
    Params, RetryConfig, SdkError, ServiceError,
};
use support::{Key, Received, Reply, TestServer, SERVICE};

const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "TestAccessKeySecret123";

// ---- one error type for every operation here ----

#[derive(Debug)]
struct ListError(ServiceError);

impl From<ServiceError> for ListError {
    fn from(e: ServiceError) -> Self {
        ListError(e)
    }
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for ListError {}

// ---- token paging, token and items one object down (`Data.NextToken`, `Data.Items`) ----

static LIST_TOKENS: OperationInfo = OperationInfo {
    action: "ListThings",
    method: Method::Get,
    path: "/",
    read_only: true,
    qps_limit: None,
};

#[derive(Debug, Clone, Default)]
struct ListThings {
    next_token: Option<String>,
    max_results: Option<i32>,
}

#[derive(Debug, Default)]
struct ListThingsResponse {
    data: Option<ThingsData>,
}

#[derive(Debug, Default)]
struct ThingsData {
    items: Vec<String>,
    next_token: Option<String>,
    has_more: Option<bool>,
}

impl Decode for ListThingsResponse {
    const FIELDS: &'static [&'static str] = &["Data"];
    fn build(fields: &mut Fields) -> Self {
        ListThingsResponse {
            data: fields.get(0),
        }
    }
}

impl Decode for ThingsData {
    const FIELDS: &'static [&'static str] = &["Items", "NextToken", "HasMore"];
    fn build(fields: &mut Fields) -> Self {
        ThingsData {
            items: fields.get(0),
            next_token: fields.get(1),
            has_more: fields.get(2),
        }
    }
}

impl Operation for ListThings {
    type Response = ListThingsResponse;
    type Error = ListError;
    const INFO: &'static OperationInfo = &LIST_TOKENS;

    fn params(&self) -> Params {
        let mut p = Params::with_capacity(2);
        p.push_value(Location::Query, "NextToken", &self.next_token);
        p.push_value(Location::Query, "MaxResults", &self.max_results);
        p
    }
}

// What generated code looks like: one line each.
impl Paginate for ListThings {
    type Item = String;
    const PAGING: Paging = Paging::Token {
        input: "NextToken",
        output: "Data.NextToken",
    };

    fn set_token(&mut self, token: &str) -> bool {
        TokenSlot::put_token(&mut self.next_token, token)
    }

    fn next_token(response: &ListThingsResponse) -> Option<String> {
        response
            .data
            .as_ref()
            .and_then(|v| v.next_token.as_ref())
            .map(TokenValue::to_token)
    }

    fn has_more(response: &ListThingsResponse) -> Option<bool> {
        response.data.as_ref().and_then(|v| v.has_more)
    }

    fn items(response: &ListThingsResponse) -> &[String] {
        response
            .data
            .as_ref()
            .map(|v| v.items.as_slice())
            .unwrap_or_default()
    }

    fn into_items(response: ListThingsResponse) -> Vec<String> {
        response.data.map(|v| v.items).unwrap_or_default()
    }
}

// ---- page-number paging with a total count ----

static LIST_PAGES: OperationInfo = OperationInfo {
    action: "ListPages",
    method: Method::Get,
    path: "/",
    read_only: true,
    qps_limit: None,
};

#[derive(Debug, Clone, Default)]
struct ListPages {
    page_number: Option<i32>,
    page_size: Option<i32>,
}

#[derive(Debug, Default)]
struct ListPagesResponse {
    total_count: Option<i64>,
    items: Vec<i64>,
}

impl Decode for ListPagesResponse {
    const FIELDS: &'static [&'static str] = &["TotalCount", "Items"];
    fn build(fields: &mut Fields) -> Self {
        ListPagesResponse {
            total_count: fields.get(0),
            items: fields.get(1),
        }
    }
}

impl Operation for ListPages {
    type Response = ListPagesResponse;
    type Error = ListError;
    const INFO: &'static OperationInfo = &LIST_PAGES;

    fn params(&self) -> Params {
        let mut p = Params::with_capacity(2);
        p.push_value(Location::Query, "PageNumber", &self.page_number);
        p.push_value(Location::Query, "PageSize", &self.page_size);
        p
    }
}

impl Paginate for ListPages {
    type Item = i64;
    const PAGING: Paging = Paging::PageNumber {
        parameter: "PageNumber",
    };

    fn page(&self) -> Option<u64> {
        acsgen_runtime::paginate::PageSlot::page(&self.page_number)
    }

    fn set_page(&mut self, page: u64) -> bool {
        acsgen_runtime::paginate::PageSlot::put_page(&mut self.page_number, page)
    }

    fn total_count(response: &ListPagesResponse) -> Option<u64> {
        response
            .total_count
            .as_ref()
            .and_then(acsgen_runtime::paginate::CountValue::to_count)
    }

    fn items(response: &ListPagesResponse) -> &[i64] {
        response.items.as_slice()
    }

    fn into_items(response: ListPagesResponse) -> Vec<i64> {
        response.items
    }
}

// ---- token paging into an integer parameter ----

static LIST_NUMBERED: OperationInfo = OperationInfo {
    action: "ListNumbered",
    method: Method::Get,
    path: "/",
    read_only: true,
    qps_limit: None,
};

#[derive(Debug, Clone, Default)]
struct ListNumbered {
    next_page_token: Option<i64>,
}

#[derive(Debug, Default)]
struct ListNumberedResponse {
    next_token: Option<String>,
    items: Vec<String>,
}

impl Decode for ListNumberedResponse {
    const FIELDS: &'static [&'static str] = &["NextToken", "Items"];
    fn build(fields: &mut Fields) -> Self {
        ListNumberedResponse {
            next_token: fields.get(0),
            items: fields.get(1),
        }
    }
}

impl Operation for ListNumbered {
    type Response = ListNumberedResponse;
    type Error = ListError;
    const INFO: &'static OperationInfo = &LIST_NUMBERED;

    fn params(&self) -> Params {
        let mut p = Params::with_capacity(1);
        p.push_value(Location::Query, "NextPageToken", &self.next_page_token);
        p
    }
}

impl Paginate for ListNumbered {
    type Item = String;
    const PAGING: Paging = Paging::Token {
        input: "NextPageToken",
        output: "NextToken",
    };

    fn set_token(&mut self, token: &str) -> bool {
        TokenSlot::put_token(&mut self.next_page_token, token)
    }

    fn next_token(response: &ListNumberedResponse) -> Option<String> {
        response.next_token.as_ref().map(TokenValue::to_token)
    }

    fn items(response: &ListNumberedResponse) -> &[String] {
        response.items.as_slice()
    }

    fn into_items(response: ListNumberedResponse) -> Vec<String> {
        response.items
    }
}

// ---- the server side ----

fn client(server: &TestServer) -> Client {
    let config = Config::new()
        .endpoint(server.endpoint())
        .credentials(Credential::new(ID, SECRET))
        .use_system_proxy(false)
        .environment(Environment::empty())
        .retry(
            RetryConfig::new()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(2)),
        );
    Client::new(&SERVICE, config).expect("client")
}

async fn server(handler: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static) -> TestServer {
    TestServer::start(vec![Key::new(ID, SECRET)], handler).await
}

/// `count` items `item-0`, `item-1`, ... served `MaxResults` (default 3) at a time
/// after the offset the token `t<offset>` names; the last page has an empty token.
fn token_pages(request: &Received, count: usize) -> Reply {
    assert!(request.verified.is_ok(), "signature verified");
    let start: usize = match request.param("NextToken") {
        None => 0,
        Some(token) => token
            .strip_prefix('t')
            .and_then(|n| n.parse().ok())
            .expect("a token this server handed out"),
    };
    let size: usize = request
        .param("MaxResults")
        .map_or(3, |s| s.parse().expect("a number"));
    let end = (start + size).min(count);
    let items: Vec<String> = (start..end).map(|i| format!("item-{i}")).collect();
    let next = if end < count {
        format!("t{end}")
    } else {
        String::new()
    };
    let body = serde_json::json!({"RequestId": "R", "Data": {"Items": items, "NextToken": next}});
    Reply::json(200, &body.to_string())
}

/// `count` numbers `PageSize` (default 3) at a time, page `PageNumber` (1-based),
/// with `TotalCount`.
fn numbered_pages(request: &Received, count: i64) -> Reply {
    assert!(request.verified.is_ok(), "signature verified");
    let page: i64 = request
        .param("PageNumber")
        .expect("the page number is always sent")
        .parse()
        .expect("a number");
    let size: i64 = request
        .param("PageSize")
        .map_or(3, |s| s.parse().expect("a number"));
    let items: Vec<i64> = ((page - 1) * size..(page * size).min(count)).collect();
    let body = serde_json::json!({"RequestId": "R", "TotalCount": count, "Items": items});
    Reply::json(200, &body.to_string())
}

fn bound(server: &TestServer) -> Bound {
    Bound::new(&client(server))
}

// ---- tests ----

#[tokio::test]
async fn token_paging_runs_to_the_last_page() {
    let server = server(|request, _| token_pages(request, 10)).await;
    let pages: Vec<ListThingsResponse> = Paginator::new(bound(&server), ListThings::default())
        .try_collect()
        .await
        .expect("every page");
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.data.as_ref().map_or(0, |d| d.items.len()))
        .collect();
    assert_eq!(sizes, [3, 3, 3, 1]);
    let sent: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|r| r.param("NextToken").map(str::to_owned))
        .collect();
    assert_eq!(
        sent,
        [
            None,
            Some("t3".into()),
            Some("t6".into()),
            Some("t9".into())
        ],
        "each page's token is sent back once"
    );
}

#[tokio::test]
async fn items_stream_flattens_the_pages_and_keeps_the_request() {
    let server = server(|request, _| token_pages(request, 7)).await;
    let request = ListThings {
        max_results: Some(2),
        ..ListThings::default()
    };
    let items: Vec<String> = Paginator::new(bound(&server), request)
        .items()
        .try_collect()
        .await
        .expect("every item");
    let expected: Vec<String> = (0..7).map(|i| format!("item-{i}")).collect();
    assert_eq!(items, expected);
    assert_eq!(server.count(), 4);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.param("MaxResults") == Some("2")),
        "the page size set on the request is sent with every page"
    );
}

#[tokio::test]
async fn page_numbers_stop_at_the_total_count() {
    let server = server(|request, _| numbered_pages(request, 7)).await;
    let mut pages = Paginator::new(bound(&server), ListPages::default());
    let mut sizes = Vec::new();
    while let Some(page) = pages.try_next().await.expect("a page") {
        sizes.push(page.items.len());
    }
    assert_eq!(sizes, [3, 3, 1]);
    assert_eq!(pages.items_seen(), 7);
    let asked: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("PageNumber").unwrap_or("-").to_owned())
        .collect();
    assert_eq!(
        asked,
        ["1", "2", "3"],
        "no page after the one reaching TotalCount"
    );
}

#[tokio::test]
async fn page_numbers_start_where_the_request_says() {
    let server = server(|request, _| numbered_pages(request, 12)).await;
    let request = ListPages {
        page_number: Some(3),
        page_size: Some(4),
    };
    let items: Vec<i64> = Paginator::new(bound(&server), request)
        .items()
        .try_collect()
        .await
        .expect("every item");
    assert_eq!(items, [8, 9, 10, 11]);
    // Page 3 of 4 is the last; 4 items counted is short of 12, so page 4 is asked
    // for and comes back empty, which ends the stream.
    let asked: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("PageNumber").unwrap_or("-").to_owned())
        .collect();
    assert_eq!(asked, ["3", "4"]);
}

#[tokio::test]
async fn a_repeated_token_ends_the_stream() {
    // A broken service: every page has items and the same token.
    let server = server(|_, index| {
        let body =
            serde_json::json!({"Data": {"Items": [format!("item-{index}")], "NextToken": "again"}});
        Reply::json(200, &body.to_string())
    })
    .await;
    // `take` bounds the test should the paginator loop; it must end on its own first.
    let pages: Vec<_> = Paginator::new(bound(&server), ListThings::default())
        .take(50)
        .collect()
        .await;
    assert_eq!(
        pages.len(),
        2,
        "the first page, then the one repeating its token"
    );
    assert!(pages.iter().all(Result::is_ok));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_token_cycle_ends_the_stream() {
    // Tokens a -> b -> a: seen before, so the stream ends after the third page.
    let server = server(|_, index| {
        let token = if index % 2 == 0 { "a" } else { "b" };
        let body = serde_json::json!({"Data": {"Items": ["x"], "NextToken": token}});
        Reply::json(200, &body.to_string())
    })
    .await;
    let pages: Vec<_> = Paginator::new(bound(&server), ListThings::default())
        .take(50)
        .collect()
        .await;
    assert_eq!(pages.len(), 3);
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn an_empty_page_ends_the_stream() {
    // The second page is empty but still offers a token: paging stops there.
    let server = server(|_, index| {
        let body = if index == 0 {
            serde_json::json!({"Data": {"Items": ["a", "b"], "NextToken": "t2"}})
        } else {
            serde_json::json!({"Data": {"Items": [], "NextToken": "t4"}})
        };
        Reply::json(200, &body.to_string())
    })
    .await;
    let items: Vec<String> = Paginator::new(bound(&server), ListThings::default())
        .items()
        .take(50)
        .try_collect()
        .await
        .expect("every item");
    assert_eq!(items, ["a", "b"]);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn an_empty_first_page_is_yielded_and_ends_the_stream() {
    let server = server(|request, _| numbered_pages(request, 0)).await;
    let pages: Vec<ListPagesResponse> = Paginator::new(bound(&server), ListPages::default())
        .try_collect()
        .await
        .expect("one page");
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].total_count, Some(0));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn has_more_false_ends_the_stream() {
    let server = server(|_, _| {
        let body =
            serde_json::json!({"Data": {"Items": ["a"], "NextToken": "t1", "HasMore": false}});
        Reply::json(200, &body.to_string())
    })
    .await;
    let pages: Vec<_> = Paginator::new(bound(&server), ListThings::default())
        .take(50)
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn an_error_mid_stream_is_the_last_element() {
    let server = server(|request, index| {
        if index == 1 {
            Reply::error(400, "InvalidToken.Malformed", "The token is malformed.")
        } else {
            token_pages(request, 10)
        }
    })
    .await;
    let mut items = Paginator::new(bound(&server), ListThings::default()).items();
    let mut seen = Vec::new();
    let error = loop {
        match items.next().await.expect("an element before the end") {
            Ok(item) => seen.push(item),
            Err(error) => break error,
        }
    };
    assert_eq!(seen, ["item-0", "item-1", "item-2"]);
    match &error {
        SdkError::Service(ListError(e)) => assert_eq!(e.code, "InvalidToken.Malformed"),
        other => panic!("expected the service error, got {other:?}"),
    }
    assert!(
        items.next().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(
        server.count(),
        2,
        "a 400 is not retried, and no page follows"
    );
}

#[tokio::test]
async fn a_token_that_does_not_fit_the_parameter_is_an_error() {
    let server = server(|request, _| {
        let body = match request.param("NextPageToken") {
            None => serde_json::json!({"NextToken": "17", "Items": ["a"]}),
            Some("17") => serde_json::json!({"NextToken": "not-a-number", "Items": ["b"]}),
            Some(other) => panic!("unexpected token {other}"),
        };
        Reply::json(200, &body.to_string())
    })
    .await;
    let results: Vec<_> = Paginator::new(bound(&server), ListNumbered::default())
        .take(50)
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two pages, then the error");
    assert!(results[0].is_ok() && results[1].is_ok());
    match &results[2] {
        Err(SdkError::Build(e)) => {
            assert_eq!(e.action, "ListNumbered");
            assert!(e.problem.contains("NextPageToken"), "{}", e.problem);
            assert!(e.problem.contains("not-a-number"), "{}", e.problem);
        }
        other => panic!("expected a build error, got {other:?}"),
    }
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_paginator_can_be_spawned() {
    let server = server(|request, _| token_pages(request, 5)).await;
    let items = Paginator::new(bound(&server), ListThings::default()).items();
    let collected: Vec<String> = tokio::spawn(items.try_collect::<Vec<String>>())
        .await
        .expect("task")
        .expect("every item");
    assert_eq!(collected.len(), 5);
}

#[test]
fn slots_convert_tokens_and_pages() {
    use acsgen_runtime::paginate::{CountValue, PageSlot};
    let mut text: Option<String> = None;
    assert!(text.put_token("abc"));
    assert_eq!(text.as_deref(), Some("abc"));
    let mut number: Option<i64> = None;
    assert!(number.put_token("42"));
    assert_eq!(number, Some(42));
    assert!(!number.put_token("4x"), "not an integer");
    assert_eq!(number, Some(42), "left as it was");
    let mut small: i32 = 0;
    assert!(!small.put_page(u64::from(u32::MAX)), "too large for i32");
    assert!(small.put_page(5));
    assert_eq!(PageSlot::page(&small), Some(5));
    assert_eq!(PageSlot::page(&Some(-1i32)), None);
    assert_eq!((-3i64).to_count(), None);
    assert_eq!(7i32.to_count(), Some(7));
    assert_eq!(12i64.to_token(), "12");
}

#[tokio::test]
async fn a_server_ignoring_the_page_number_is_stopped_by_the_page_bound() {
    // The same non-empty page forever, with no total and no "has more".
    let server = server(|_, _| Reply::json(200, r#"{"RequestId":"R","Items":[1,2,3]}"#)).await;
    let mut pages = Paginator::new(bound(&server), ListPages::default()).max_pages(5);
    let mut taken = 0;
    let error = loop {
        match pages.try_next().await {
            Ok(Some(_)) => taken += 1,
            Ok(None) => panic!("the stream ended without an error after {taken} pages"),
            Err(error) => break error,
        }
    };
    assert_eq!(taken, 5);
    assert_eq!(server.count(), 5, "no sixth request");
    assert!(
        error.to_string().contains("stopped after 5 pages"),
        "{error}"
    );
    assert!(pages.try_next().await.expect("ended").is_none());
}

#[tokio::test]
async fn a_huge_total_count_cannot_outlast_the_pages_it_implies() {
    // Claims 2^62 items but serves one item a page: the page number reaches
    // the total only in theory, so the page bound ends it.
    let server = server(|request, _| {
        let page = request.param("PageNumber").unwrap_or("1").to_owned();
        Reply::json(
            200,
            &format!(r#"{{"RequestId":"R","TotalCount":4611686018427387904,"Items":[{page}]}}"#),
        )
    })
    .await;
    let pages = Paginator::new(bound(&server), ListPages::default()).max_pages(3);
    let items: Vec<Result<i64, _>> = pages.items().collect().await;
    assert_eq!(items.len(), 4, "three items, then the error");
    assert!(items[3].is_err());
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn page_number_paging_stops_when_the_pages_reach_the_total() {
    // A total of 2 items, each page (ignoring the page size) holding one and
    // counting it twice: stop at page 2 whatever the items counted say.
    let server =
        server(|_, _| Reply::json(200, r#"{"RequestId":"R","TotalCount":2,"Items":[7]}"#)).await;
    let pages = Paginator::new(bound(&server), ListPages::default());
    let items: Vec<i64> = pages.items().try_collect().await.expect("pages");
    assert_eq!(items, [7, 7]);
    assert_eq!(server.count(), 2);
}
