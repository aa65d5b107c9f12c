//! Typed bodies and raw access: generated body structs on the wire, `()` for no content,
//! bytes for `$value`, and status and headers next to the typed body.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use graph_api::{Error, Patch};
use serde_json::json;
use support::{client, user, v1, Reply, Server};

#[tokio::test]
async fn patch_bodies_tell_unchanged_from_cleared() {
    let server = Server::start("127.0.0.1", |_, _| Reply::status(204)).await;
    let body = v1::user::UpdateBody {
        display_name: Patch::Set("Ada Lovelace".into()),
        city: Patch::Null,
        business_phones: vec!["+44 20 0000".to_owned()].into(),
        additional_properties: [("jobTitle".to_owned(), json!("Analyst"))]
            .into_iter()
            .collect(),
        ..Default::default()
    };

    let (): () = v1::user::update(&client(&server), "ada", &body)
        .await
        .unwrap();

    let request = &server.requests()[0];
    assert_eq!(request.method, "PATCH");
    assert_eq!(request.header("content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({
            "displayName": "Ada Lovelace",
            "city": null,
            "businessPhones": ["+44 20 0000"],
            "jobTitle": "Analyst"
        })
    );
}

#[tokio::test]
async fn required_properties_are_constructor_arguments() {
    let server = Server::start("127.0.0.1", |_, _| Reply::status(202)).await;
    let mut body = v1::user::SendMailBody::new("hello".into());
    v1::user::send_mail(&client(&server), "ada", &body)
        .await
        .unwrap();
    body.save_to_sent_items = Some(false);
    v1::user::send_mail(&client(&server), "ada", &body)
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].body, br#"{"comment":"hello"}"#);
    assert_eq!(
        requests[1].body,
        br#"{"comment":"hello","saveToSentItems":false}"#
    );
}

#[tokio::test]
async fn value_downloads_are_bytes() {
    let bytes: Vec<u8> = (0..=255).collect();
    let content = bytes.clone();
    let server = Server::start("127.0.0.1", move |_, _| {
        Reply::status(200)
            .header("content-type", "image/jpeg")
            .body(content.clone())
    })
    .await;

    let photo = v1::profile_photo::content(&client(&server), "ada")
        .await
        .unwrap();

    assert_eq!(photo.as_ref(), bytes.as_slice());
    let request = &server.requests()[0];
    assert_eq!(request.uri, "/v1.0/users/ada/photo/$value");
    assert_eq!(request.header("accept"), Some("*/*"));
}

#[tokio::test]
async fn responses_keep_status_headers_and_ids() {
    let server = Server::start("127.0.0.1", |request, _| {
        let reply = if request.uri.ends_with("/gone") {
            Reply::json(
                404,
                &json!({"error": {"code": "Request_ResourceNotFound", "message": "gone"}}),
            )
        } else {
            Reply::json(200, &user("ada")).header("etag", "W/\"1\"")
        };
        reply
            .header("request-id", "rid-7")
            .header("date", "Tue, 15 Oct 2024 10:00:00 GMT")
    })
    .await;
    let client = client(&server);

    let response = v1::user::get(&client, "ada").with_response().await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.headers["etag"], "W/\"1\"");
    assert_eq!(response.request_id.as_deref(), Some("rid-7"));
    assert_eq!(
        response.date.as_deref(),
        Some("Tue, 15 Oct 2024 10:00:00 GMT")
    );
    let sent_id = server.requests()[0]
        .header("client-request-id")
        .unwrap()
        .to_owned();
    assert_eq!(response.client_request_id, sent_id);
    assert_eq!(response.into_body().id.as_deref(), Some("ada"));

    let error = v1::user::get(&client, "gone")
        .with_response()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.request_id.as_deref(), Some("rid-7"));
    assert_eq!(api.date.as_deref(), Some("Tue, 15 Oct 2024 10:00:00 GMT"));
    assert_eq!(api.headers["request-id"], "rid-7");
}

#[tokio::test]
async fn a_body_that_does_not_fit_names_the_field() {
    let server = Server::start("127.0.0.1", |_, _| {
        Reply::json(200, &json!({"id": "ada", "accountEnabled": "yes"}))
    })
    .await;
    let error = v1::user::get(&client(&server), "ada").await.unwrap_err();
    let Error::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "accountEnabled");
}
