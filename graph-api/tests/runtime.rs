//! Runtime behaviour against a real HTTP server on 127.0.0.1.

use graph_api::__private::{empty_call, json_call, Method, Request, RequestPath};
use graph_api::query::NoQuery;
use graph_api::{Error, GraphClient, NationalCloud};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "TOKEN-s3cr3t";

fn client(server: &MockServer) -> GraphClient {
    GraphClient::builder()
        .base_url(server.uri())
        .allow_http(true)
        .bearer_token(TOKEN)
        .build()
        .unwrap()
}

/// Sends `request` as generated JSON operations do.
async fn send_json<T: DeserializeOwned + Send + 'static>(
    client: &GraphClient,
    request: Request,
) -> Result<T, Error> {
    json_call::<T, NoQuery>(client, request).await
}

/// Sends `request` as generated operations without a response body do.
async fn send_empty(client: &GraphClient, request: Request) -> Result<(), Error> {
    empty_call::<NoQuery>(client, request).await
}

fn reprocess(id: &str) -> Request {
    let path = RequestPath::new("beta")
        .literal("/users/")
        .param(id)
        .literal("/reprocessLicenseAssignment");
    Request::new(Method::POST, path)
}

fn get_user(id: &str) -> Request {
    Request::new(
        Method::GET,
        RequestPath::new("v1.0").literal("/users/").param(id),
    )
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct User {
    id: String,
    display_name: Option<String>,
    assigned_licenses: Vec<License>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // fields exist to be decoded
struct License {
    sku_id: uuid::Uuid,
}

fn assert_no_token(text: &str) {
    assert!(!text.contains("s3cr3t"), "token leaked: {text}");
}

#[tokio::test]
async fn sends_method_path_auth_ids_and_no_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "abc", "displayName": "Ada", "assignedLicenses": []
        })))
        .mount(&server)
        .await;

    let user: User = send_json(&client(&server), reprocess("ada@contoso.com"))
        .await
        .unwrap();
    assert_eq!(user.id, "abc");
    assert_eq!(user.display_name.as_deref(), Some("Ada"));
    assert!(user.assigned_licenses.is_empty());

    let requests = server.received_requests().await.unwrap();
    let [request] = requests.as_slice() else {
        panic!("expected one request, got {requests:?}")
    };
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url.path(),
        "/beta/users/ada%40contoso.com/reprocessLicenseAssignment"
    );
    assert_eq!(request.url.query(), None);
    let header = |name: &str| request.headers.get(name).map(|v| v.to_str().unwrap());
    assert_eq!(header("authorization"), Some("Bearer TOKEN-s3cr3t"));
    assert!(request.body.is_empty());
    assert_eq!(header("content-type"), None);
    assert_eq!(header("content-length"), Some("0"));
    assert_eq!(header("accept"), Some("application/json"));
    let id = uuid::Uuid::parse_str(header("client-request-id").unwrap()).unwrap();
    assert_eq!(id.get_version_num(), 4);
}

#[tokio::test]
async fn every_request_gets_a_fresh_client_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    send_empty(&client, reprocess("a")).await.unwrap();
    send_empty(&client, reprocess("a")).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let ids: Vec<_> = requests
        .iter()
        .map(|r| r.headers.get("client-request-id").unwrap().clone())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn json_body_and_extra_headers_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let request = Request::new(Method::PATCH, RequestPath::new("v1.0").literal("/me"))
        .header("ConsistencyLevel", "eventual")
        .json_body(&serde_json::json!({"displayName": "Ada"}));
    send_empty(&client(&server), request).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let request = &requests[0];
    assert_eq!(request.url.path(), "/v1.0/me");
    assert_eq!(request.headers["consistencylevel"], "eventual");
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(request.body, br#"{"displayName":"Ada"}"#);
}

#[tokio::test]
async fn path_prefix_and_trailing_slash_of_base_url_are_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/proxy/graph/v1.0/users/x"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = GraphClient::builder()
        .base_url(format!("{}/proxy/graph/", server.uri()))
        .allow_http(true)
        .build()
        .unwrap();
    send_empty(&client, get_user("x")).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn graph_error_becomes_api_error() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"error": {
        "code": "Request_ResourceNotFound",
        "message": "Resource 'nobody' does not exist.",
        "innerError": {"date": "2024-05-01T10:00:00", "client-request-id": "cid-1"}
    }});
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("request-id", "rid-1")
                .set_body_json(body),
        )
        .mount(&server)
        .await;

    let error = send_json::<User>(&client(&server), get_user("nobody"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some("Request_ResourceNotFound"));
    assert_eq!(error.request_id(), Some("rid-1"));
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.message, "Resource 'nobody' does not exist.");
    assert_eq!(api.date.as_deref(), Some("2024-05-01T10:00:00"));
    assert_eq!(api.client_request_id.as_deref(), Some("cid-1"));
    assert!(error.to_string().contains("Request_ResourceNotFound"));
    assert_no_token(&error.to_string());
    assert_no_token(&format!("{error:?}"));
}

#[tokio::test]
async fn non_graph_error_body_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("upstream down"))
        .mount(&server)
        .await;
    let error = send_empty(&client(&server), get_user("x"))
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status, 502);
    assert_eq!(api.code, "unknown");
    assert_eq!(api.body, "upstream down");
    // Without one echoed, the id that was sent is reported.
    assert!(api.client_request_id.is_some());
}

/// Serves 204 to every request and reports each raw request line, so paths
/// are checked exactly as they crossed the wire.
fn raw_server() -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut reader = BufReader::new(stream.unwrap());
            let mut request_line = String::new();
            while reader.read_line(&mut request_line).unwrap_or(0) > 0 {
                // Skip headers; bodiless requests end at the blank line.
                let mut header = String::new();
                while reader.read_line(&mut header).unwrap() > 2 {
                    header.clear();
                }
                let _ = lines.send(request_line.trim_end().to_owned());
                request_line.clear();
                let response = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n";
                reader.get_mut().write_all(response).unwrap();
            }
        }
    });
    (base_url, received)
}

#[tokio::test]
async fn hostile_ids_arrive_as_one_encoded_segment() {
    let (base_url, received) = raw_server();
    let client = GraphClient::builder()
        .base_url(base_url)
        .allow_http(true)
        .build()
        .unwrap();
    let cases = [
        ("../x?y#z", "..%2Fx%3Fy%23z"),
        ("%2F", "%252F"),
        ("%2E%2E", "%252E%252E"),
        ("...", "..."),
        ("a/b", "a%2Fb"),
        ("Zoë 😀", "Zo%C3%AB%20%F0%9F%98%80"),
    ];
    for (id, encoded) in cases {
        send_empty(&client, get_user(id)).await.unwrap();
        assert_eq!(
            received.recv().unwrap(),
            format!("GET /v1.0/users/{encoded} HTTP/1.1"),
            "{id}"
        );
    }
}

/// URL parsers resolve `%2E%2E` like `..`, so such ids fail before sending.
#[tokio::test]
async fn dot_segment_and_empty_ids_are_refused() {
    let server = MockServer::start().await;
    let client = client(&server);
    for id in [".", "..", ""] {
        let error = send_empty(&client, reprocess(id)).await.unwrap_err();
        assert!(matches!(error, Error::InvalidRequest(_)), "{id}: {error:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn invalid_header_value_is_refused() {
    let server = MockServer::start().await;
    let request = get_user("x").header("ConsistencyLevel", "a\nb");
    let error = send_empty(&client(&server), request).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}

#[tokio::test]
async fn decode_error_names_the_failing_field() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "rid-2")
                .set_body_json(serde_json::json!({
                    "id": "abc",
                    "assignedLicenses": [{"skuId": "6fd2c87f-b296-42f0-b197-1e91e994b900"}, {"skuId": 7}]
                })),
        )
        .mount(&server)
        .await;
    let error = send_json::<User>(&client(&server), get_user("abc"))
        .await
        .unwrap_err();
    let Error::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "assignedLicenses[1].skuId");
    assert!(error.to_string().contains("assignedLicenses[1].skuId"));
    assert_eq!(error.request_id(), Some("rid-2"));
}

#[tokio::test]
async fn transport_error_does_not_leak_the_token() {
    // A port nobody listens on any more: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = GraphClient::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let error = send_empty(&client, get_user("x")).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_no_token(&error.to_string());
    assert_no_token(&format!("{error:?}"));
}

#[test]
fn debug_output_redacts_the_token() {
    let builder = GraphClient::builder().bearer_token(TOKEN);
    let builder_debug = format!("{builder:?}");
    assert_no_token(&builder_debug);
    assert!(builder_debug.contains("<redacted>"), "{builder_debug}");

    let client_debug = format!("{:?}", builder.build().unwrap());
    assert_no_token(&client_debug);
    assert!(client_debug.contains("<redacted>"), "{client_debug}");
}

#[test]
fn bad_tokens_fail_without_echoing_them() {
    for token in ["", "s3cr3t\nx"] {
        let error = GraphClient::builder()
            .bearer_token(token)
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Build(_)));
        assert_no_token(&error.to_string());
    }
}

#[test]
fn plain_http_needs_opt_in() {
    let error = GraphClient::builder()
        .base_url("http://127.0.0.1:8080")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Build(_)), "{error:?}");
    assert!(error.to_string().contains("allow_http"), "{error}");

    for url in ["not a url", "ftp://example.com", "https://example.com/?q=1"] {
        let error = GraphClient::builder().base_url(url).build().unwrap_err();
        assert!(matches!(error, Error::Build(_)), "{url}: {error:?}");
    }
}

#[test]
fn national_clouds_select_service_roots() {
    let cases = [
        (NationalCloud::Global, "https://graph.microsoft.com"),
        (NationalCloud::UsGovL4, "https://graph.microsoft.us"),
        (NationalCloud::UsGovL5Dod, "https://dod-graph.microsoft.us"),
        (
            NationalCloud::China,
            "https://microsoftgraph.chinacloudapi.cn",
        ),
    ];
    for (cloud, url) in cases {
        assert_eq!(cloud.base_url(), url);
        let client = GraphClient::builder()
            .national_cloud(cloud)
            .build()
            .unwrap();
        assert_eq!(client.base_url(), url);
    }
    assert_eq!(
        GraphClient::builder().build().unwrap().base_url(),
        "https://graph.microsoft.com"
    );
    let custom = GraphClient::builder()
        .national_cloud(NationalCloud::China)
        .base_url("https://proxy.example/graph/")
        .build()
        .unwrap();
    assert_eq!(custom.base_url(), "https://proxy.example/graph");
}

/// Generated operations must be usable from spawned tasks.
#[test]
fn client_and_futures_are_send() {
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    fn assert_send<T: Send>(_: &T) {}
    let client = GraphClient::builder().build().unwrap();
    assert_send_sync(&client);
    assert_send(&send_json::<User>(&client, get_user("x")));
    assert_send(&send_empty(&client, get_user("x")));
    assert_send(&json_call::<User, NoQuery>(&client, get_user("x")).with_response());
}
