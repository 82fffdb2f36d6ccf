//! The committed ROA crate (`generated/cs`, a few ACK operations written by hand in
//! `spec/cs`), end to end against a server on 127.0.0.1 that re-verifies every V3
//! signature over the request's real path: a path parameter, a JSON body built from
//! fields, a JSON value in the query, and ROA-shaped errors landing in the typed enums.

#[path = "../runtime/tests/support/mod.rs"]
mod server;

use alibabacloud_cs::operations::create_cluster::ClusterType;
use alibabacloud_cs::types::Tags;
use alibabacloud_cs::{
    Client, CreateClusterError, DeleteClusterError, ProvideServiceError, SdkError,
};
use server::{test_config, Key, Reply, Signed, TestServer, ID, SECRET};

fn client(server: &TestServer) -> Client {
    Client::new(test_config(&server.endpoint()).region("cn-hangzhou")).expect("client")
}

#[tokio::test]
async fn ack_operations_are_signed_over_their_paths_and_decoded() {
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/clusters/c-1%202") => Reply::json(
                200,
                r#"{"cluster_id":"c-1 2","name":"demo","cluster_type":"ManagedKubernetes","size":3,"deletion_protection":true,"tags":[{"key":"env","value":"test"}]}"#,
            ),
            ("POST", "/clusters") => Reply::json(
                200,
                r#"{"cluster_id":"c-new","request_id":"R-1","task_id":"T-1"}"#,
            ),
            ("POST", "/clusters/c-1%202/tags") => Reply::json(200, "{}"),
            ("DELETE", _) => Reply::json(
                404,
                r#"{"code":"ErrorClusterNotFound","message":"no such cluster","requestId":"R-404"}"#,
            ),
            other => panic!("unexpected request {other:?}"),
        }
    })
    .await;
    let ack = client(&server);

    let detail = ack
        .describe_cluster_detail("c-1 2")
        .send()
        .await
        .expect("detail");
    assert_eq!(detail.cluster_id.as_deref(), Some("c-1 2"));
    assert_eq!(detail.size, Some(3));
    assert_eq!(detail.tags[0].key.as_deref(), Some("env"));

    let created = ack
        .create_cluster("k8s test", ClusterType::ManagedKubernetes, "cn-hangzhou")
        .vswitch_ids(vec!["vsw-1".into(), "vsw-2".into()])
        .tags(vec![Tags {
            key: "env".into(),
            value: Some("中文 ~*".into()),
        }])
        .deletion_protection(true)
        .send()
        .await
        .expect("created");
    assert_eq!(created.task_id.as_deref(), Some("T-1"));

    // The whole body is one JSON array; the tag type is shared with CreateCluster.
    ack.modify_cluster_tags(
        "c-1 2",
        vec![Tags {
            key: "env".into(),
            value: Some("prod".into()),
        }],
    )
    .send()
    .await
    .expect("tags replaced");

    let error = ack
        .delete_cluster("c-1 2")
        .retain_resources(vec!["eip-1".into(), "slb 2".into()])
        .send()
        .await
        .expect_err("missing cluster");
    let SdkError::Service(service) = &error else {
        panic!("not a service error: {error:?}");
    };
    assert!(
        matches!(service, DeleteClusterError::ErrorClusterNotFound(_)),
        "{service:?}"
    );
    assert_eq!((service.request_id(), service.status()), ("R-404", 404));

    // A 400 whose error is nested in `data`, as some ROA services send it.
    let quota = TestServer::start(vec![Key::new(ID, SECRET)], |_, _| {
        Reply::json(
            400,
            r#"{"requestId":"R-400","data":{"code":"ErrorQuotaExceeded","message":"quota"}}"#,
        )
    })
    .await;
    let error = client(&quota)
        .create_cluster("k8s", ClusterType::Kubernetes, "cn-hangzhou")
        .send()
        .await
        .expect_err("quota");
    assert!(
        matches!(&error, SdkError::Service(CreateClusterError::ErrorQuotaExceeded(e)) if e.request_id == "R-400"),
        "{error:?}"
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(
        requests.iter().all(|r| r.verified == Ok(Signed::V3)),
        "{requests:?}"
    );
    assert_eq!(
        requests[0].header("x-acs-action"),
        Some("DescribeClusterDetail")
    );
    assert_eq!(requests[0].header("x-acs-version"), Some("2015-12-15"));
    let create = &requests[1];
    assert_eq!(
        String::from_utf8_lossy(&create.body),
        r#"{"name":"k8s test","cluster_type":"ManagedKubernetes","region_id":"cn-hangzhou","vswitch_ids":["vsw-1","vsw-2"],"tags":[{"key":"env","value":"中文 ~*"}],"deletion_protection":true}"#
    );
    assert_eq!(
        create.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let tags = &requests[2];
    assert_eq!(tags.body, br#"[{"key":"env","value":"prod"}]"#);
    assert_eq!(
        tags.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let delete = &requests[3];
    assert_eq!(delete.method, "DELETE");
    assert_eq!(delete.path, "/clusters/c-1%202");
    assert_eq!(
        delete.param("retain_resources"),
        Some(r#"["eip-1","slb 2"]"#)
    );
    assert!(delete.body.is_empty());
}

/// Success bodies that are not objects: a JSON array of objects, a JSON array of
/// strings, and a plain-text script, each held whole by the response type.
#[tokio::test]
async fn array_and_text_bodies_are_decoded_whole() {
    const SCRIPT: &str =
        "#!/bin/bash\ncurl -s https://example.invalid/attach | bash -s -- --token {x}\n";
    let server = TestServer::start(vec![Key::new(ID, SECRET)], |r, _| {
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/clusters/c-1/resources") => Reply::json(
                200,
                r#"[{"cluster_id":"c-1","instance_id":"ngw-1","state":"CREATE_COMPLETE","auto_create":"1"},{"instance_id":"vpc-2","state":"NEW_STATE"}]"#,
            ),
            ("GET", "/api/v2/k8s/c-1/namespaces") => Reply::json(200, r#"["default","kube-system"]"#),
            ("POST", "/clusters/c-1/attachscript") => Reply {
                headers: vec![("content-type".into(), "text/plain".into())],
                ..Reply::json(200, SCRIPT)
            },
            ("GET", "/api/v2/k8s/c-2/namespaces") => Reply::json(200, r#"{"not":"an array"}"#),
            other => panic!("unexpected request {other:?}"),
        }
    })
    .await;
    let ack = client(&server);

    let resources = ack
        .describe_cluster_resources("c-1")
        .with_addon_resources(true)
        .send()
        .await
        .expect("resources");
    assert_eq!(resources.items.len(), 2);
    assert_eq!(resources.items[0].instance_id.as_deref(), Some("ngw-1"));
    // Tolerant decoding still applies inside the array: "1" is an int32.
    assert_eq!(resources.items[0].auto_create, Some(1));
    assert_eq!(
        resources.items[1].state.as_ref().map(|s| s.as_str()),
        Some("NEW_STATE")
    );

    let namespaces = ack
        .describe_user_cluster_namespaces("c-1")
        .send()
        .await
        .expect("namespaces");
    assert_eq!(namespaces.items, ["default", "kube-system"]);

    let script = ack
        .describe_cluster_attach_scripts("c-1")
        .arch(alibabacloud_cs::operations::describe_cluster_attach_scripts::Arch::Arm64)
        .send()
        .await
        .expect("script");
    assert_eq!(script.text, SCRIPT);

    // An object where the array belongs is a decode error naming the operation.
    let error = ack
        .describe_user_cluster_namespaces("c-2")
        .send()
        .await
        .expect_err("not an array");
    let SdkError::Decode(decode) = &error else {
        panic!("not a decode error: {error:?}");
    };
    let text = decode.to_string();
    assert!(
        text.contains("DescribeUserClusterNamespaces") && text.contains("expected an array"),
        "{text}"
    );

    let requests = server.requests();
    assert!(
        requests.iter().all(|r| r.verified == Ok(Signed::V3)),
        "{requests:?}"
    );
    assert_eq!(requests[0].param("with_addon_resources"), Some("true"));
    assert_eq!(requests[2].body, br#"{"arch":"arm64"}"#);
}
