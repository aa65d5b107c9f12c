//! The seed page end to end: the generated `reprocess_license_assignment` over real HTTP
//! against a server on 127.0.0.1 that answers with the page's own example.

mod api_docs;

use graph_api::beta::User;
use graph_api::{Error, GraphClient};
use serde_json::{json, Value};
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "047dd774-f1c4-40f2-82f0-278de79f9b83";

fn client(server: &MockServer) -> GraphClient {
    GraphClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .bearer_token("TOKEN")
        .build()
        .unwrap()
}

/// The seed page's example response body, with placeholders where a typed value belongs
/// (`"skuId": "skuId-value"` for a Guid) replaced by stand-ins, as the mock Graph serves it.
fn example_body() -> (Value, usize) {
    let ir = api_docs::ir();
    let operation = ir
        .operations
        .iter()
        .find(|op| op.name == "reprocessLicenseAssignment")
        .unwrap();
    let response = operation.examples[0].response.as_ref().unwrap();
    let mut body = response.body.clone().unwrap();
    let replaced = graph_gen::__private::conform_sample(
        &mut body,
        "microsoft.graph.user",
        operation.version,
        &ir.models,
    );
    (body, replaced)
}

#[tokio::test]
async fn typed_call_posts_with_the_token_and_no_body_and_returns_the_example_user() {
    let server = MockServer::start().await;
    let (body, replaced) = example_body();
    assert_eq!(
        replaced, 1,
        "only `skuId-value` is not a valid value of its declared type"
    );
    Mock::given(method("POST"))
        .and(path(format!("/beta/users/{ID}/reprocessLicenseAssignment")))
        .and(header("authorization", "Bearer TOKEN"))
        .and(body_bytes(Vec::<u8>::new()))
        .respond_with(ResponseTemplate::new(200).set_body_json(&body))
        .expect(1)
        .mount(&server)
        .await;

    let user: User = graph_api::beta::user::reprocess_license_assignment(&client(&server), ID)
        .await
        .unwrap();

    let expected: User = serde_json::from_value(body).unwrap();
    assert_eq!(user, expected);
    assert_eq!(user.account_enabled, Some(true));
    assert_eq!(user.city.as_deref(), Some("city-value"));
    let license = &user.assigned_licenses.as_ref().unwrap()[0];
    assert_eq!(license.sku_id, Some(uuid::Uuid::nil()));
    assert_eq!(
        license.disabled_plans.as_ref().unwrap()[0].to_string(),
        "11b0131d-43c8-4bbb-b2c8-e80f9a50834a"
    );
    let plan = &user.assigned_plans.as_ref().unwrap()[0];
    assert_eq!(
        plan.assigned_date_time.unwrap().to_rfc3339(),
        "2016-10-19T10:37:00+00:00"
    );
}

#[tokio::test]
async fn not_found_becomes_the_typed_graph_error() {
    let server = MockServer::start().await;
    let error_body = json!({
        "error": {
            "code": "Request_ResourceNotFound",
            "message": "Resource 'x' does not exist or one of its queried reference-property objects are not present.",
            "innerError": {"request-id": "9f8c3a2e-1111-4c5d-9e0f-2a3b4c5d6e7f", "date": "2024-10-16T10:00:00"}
        }
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body))
        .mount(&server)
        .await;

    let error = graph_api::beta::user::reprocess_license_assignment(&client(&server), "x")
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some("Request_ResourceNotFound"));
    assert_eq!(
        error.request_id(),
        Some("9f8c3a2e-1111-4c5d-9e0f-2a3b4c5d6e7f")
    );
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert!(api.message.starts_with("Resource 'x' does not exist"));
    assert_eq!(api.date.as_deref(), Some("2024-10-16T10:00:00"));
}

#[tokio::test]
async fn hostile_id_arrives_as_one_encoded_segment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;

    graph_api::beta::user::reprocess_license_assignment(&client(&server), "../x?y#z")
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/beta/users/..%2Fx%3Fy%23z/reprocessLicenseAssignment"
    );
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[0].url.fragment(), None);
}

#[test]
fn permissions_are_data_too() {
    let permissions =
        graph_api::beta::user::REPROCESS_LICENSE_ASSIGNMENT_PERMISSIONS.expect("documented");
    let delegated = permissions.delegated_work.unwrap();
    assert_eq!(delegated.least, ["User.ReadWrite.All"]);
    assert_eq!(delegated.higher, ["Directory.ReadWrite.All"]);
    assert!(permissions.delegated_personal.is_none());
    assert_eq!(
        permissions.application.unwrap().least,
        ["User.ReadWrite.All"]
    );
}

#[test]
fn enums_keep_documented_members_and_values_the_docs_do_not_list() {
    use graph_api::beta::CapabilityStatus;

    let status: CapabilityStatus = serde_json::from_value(json!("LockedOut")).unwrap();
    assert_eq!(status, CapabilityStatus::LockedOut);
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("LockedOut"));

    let newer: CapabilityStatus = serde_json::from_value(json!("PendingActivation")).unwrap();
    assert_eq!(
        newer,
        CapabilityStatus::Unlisted("PendingActivation".to_owned())
    );
    assert_eq!(newer.as_str(), "PendingActivation");
    assert_eq!(
        serde_json::to_value(&newer).unwrap(),
        json!("PendingActivation")
    );
}
