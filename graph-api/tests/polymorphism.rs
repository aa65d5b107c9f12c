//! Values of a base type decode as the derived type their `@odata.type` names.

mod api_docs;

use graph_api::beta::{AnyDirectoryObject, DirectoryObject};
use graph_api::GraphClient;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The example response of `api-docs/beta/api/group-list-members.md`.
fn example_body() -> Value {
    let ir = api_docs::ir();
    let operation = ir
        .operations
        .iter()
        .find(|op| op.title == "group: list members")
        .unwrap();
    operation.examples[0]
        .response
        .as_ref()
        .unwrap()
        .body
        .clone()
        .unwrap()
}

#[tokio::test]
async fn group_members_decode_as_users_and_groups() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/groups/g1/members"))
        .respond_with(ResponseTemplate::new(200).set_body_json(example_body()))
        .mount(&server)
        .await;
    let client = GraphClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .bearer_token("TOKEN")
        .build()
        .unwrap();

    let members = graph_api::beta::group::list_members(&client, "g1")
        .await
        .unwrap();

    assert_eq!(members.len(), 2);
    let AnyDirectoryObject::User(user) = &members[0] else {
        panic!("{:?}", members[0])
    };
    assert_eq!(
        user.user_principal_name.as_deref(),
        Some("AdeleV@contoso.com")
    );
    assert_eq!(user.account_enabled, Some(true));
    assert_eq!(
        user.id.as_deref(),
        Some("11111111-2222-3333-4444-555555555555"),
        "base fields are included"
    );
    let AnyDirectoryObject::Group(group) = &members[1] else {
        panic!("{:?}", members[1])
    };
    assert_eq!(group.display_name.as_deref(), Some("Sales and Marketing"));
    assert_eq!(group.security_enabled, Some(false));
}

#[test]
fn unknown_or_missing_types_decode_as_the_base_type_and_round_trip() {
    let device = json!({"@odata.type": "#microsoft.graph.device", "id": "d1"});
    let decoded: AnyDirectoryObject = serde_json::from_value(device.clone()).unwrap();
    let AnyDirectoryObject::DirectoryObject(base) = &decoded else {
        panic!("{decoded:?}")
    };
    assert_eq!(base.id.as_deref(), Some("d1"));
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        device,
        "unknown fields are kept"
    );

    let untagged: AnyDirectoryObject = serde_json::from_value(json!({"id": "x"})).unwrap();
    assert_eq!(
        untagged,
        AnyDirectoryObject::DirectoryObject(Box::new(DirectoryObject {
            id: Some("x".into()),
            ..DirectoryObject::default()
        }))
    );
}
