//! The embedded mock Graph, started in this process on 127.0.0.1, replays every example of
//! `api-docs/`, and the typed client decodes each answer.

mod api_docs;

use graph_api::GraphClient;
use graph_gen::__private::{self as route, PathPattern};
use graph_gen::ir::{ApiVersion, Example, Ir, Operation};
use graph_gen::mock::{MockGraph, MockServer};
use serde_json::Value;

fn serve(ir: &Ir) -> MockServer {
    MockGraph::new(ir)
        .serve("127.0.0.1:0".parse().unwrap())
        .unwrap()
}

fn client(server: &MockServer) -> GraphClient {
    GraphClient::builder()
        .base_url(server.url())
        .allow_http(true)
        .bearer_token("TOKEN")
        .build()
        .unwrap()
}

/// `https://graph.microsoft.com/beta/users/1?$x` → `/beta/users/1?$x`; a URL without the
/// version gets the operation's.
fn request_path(url: &str, version: ApiVersion) -> String {
    let path = match url.find("://") {
        Some(at) => url[at + 3..]
            .find('/')
            .map_or("/", |slash| &url[at + 3 + slash..]),
        None => url,
    };
    let first = path.trim_start_matches('/').split(['/', '?']).next();
    if first.and_then(ApiVersion::from_segment).is_some() {
        path.to_owned()
    } else {
        format!("/{}{path}", version.as_str())
    }
}

/// The example's body as the mock serves it: placeholders conformed to the declared types.
fn conformed_body(example: &Example, operation: &Operation, ir: &Ir) -> Option<Value> {
    let response = example.response.as_ref()?;
    let mut body = response.body.clone()?;
    let documented = operation.response.as_ref();
    let type_name = response
        .odata_type
        .clone()
        .or_else(|| documented.and_then(|r| r.type_name.clone()))?;
    let collection = response.collection || documented.is_some_and(|r| r.collection);
    let type_name = if collection {
        format!("Collection({type_name})")
    } else {
        type_name
    };
    graph_gen::__private::conform_sample(&mut body, &type_name, operation.version, &ir.models);
    Some(body)
}

/// Whether `example` is written as one of its page's templates (not `/me` for `/users/{id}`,
/// nor on another host), so the mock routes it to its own page.
fn routed(operation: &Operation, example: &Example) -> bool {
    let Some(request) = &example.request else {
        return false;
    };
    let segments = route::example_segments(&request.url);
    operation.http.iter().any(|template| {
        template.method == request.method.as_str()
            && PathPattern::new(template.path.as_str())
                .matches(&segments)
                .is_some()
    })
}

#[tokio::test]
async fn every_example_request_gets_its_example_response() {
    let ir = api_docs::ir();
    let server = serve(&ir);
    let http = reqwest::Client::new();
    let mut replayed = 0;
    let mut seen = std::collections::HashSet::new();
    for operation in &ir.operations {
        for example in &operation.examples {
            let (Some(request), Some(response)) = (&example.request, &example.response) else {
                continue;
            };
            // Each request once: the first example for a URL is the one served.
            let key = (
                request.method.to_ascii_uppercase(),
                route::example_segments(&request.url),
            );
            if !routed(operation, example) || !seen.insert(key) {
                continue;
            }
            let url = format!(
                "{}{}",
                server.url(),
                request_path(&request.url, operation.version)
            );
            let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
            let answer = http.request(method, &url).send().await.unwrap();
            assert_eq!(answer.status().as_u16(), response.status, "{url}");
            assert!(answer.headers().contains_key("request-id"), "{url}");
            let bytes = answer.bytes().await.unwrap();
            match conformed_body(example, operation, &ir) {
                Some(expected) => {
                    let body: Value = serde_json::from_slice(&bytes).unwrap();
                    assert_eq!(body, expected, "{url}");
                }
                None => assert_eq!(response.body.is_none(), bytes.is_empty(), "{url}"),
            }
            replayed += 1;
        }
    }
    assert!(replayed > 0, "api-docs/ has no example to replay");
    server.shutdown().unwrap();
}

/// Calls `operation` through its generated function with the ids of `example`'s request URL
/// and checks the typed result against the served body.
async fn typed_call(client: &GraphClient, operation: &Operation, body: Option<Value>, url: &str) {
    let key = format!(
        "{}::{}::{}",
        operation.version.as_str(),
        operation.resource.as_deref().unwrap_or(""),
        operation.name
    );
    let segments: Vec<&str> = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .split('/')
        .collect();
    match key.as_str() {
        "beta::user::reprocessLicenseAssignment" => {
            let id = segments[segments.len() - 2];
            let user = graph_api::beta::user::reprocess_license_assignment(client, id)
                .await
                .unwrap();
            let expected: graph_api::beta::User = serde_json::from_value(body.unwrap()).unwrap();
            assert_eq!(user, expected);
            assert!(user.assigned_licenses.unwrap()[0].sku_id.unwrap().is_nil());
        }
        "beta::group::listMembers" => {
            let id = segments[segments.len() - 2];
            let members = graph_api::beta::group::list_members(client, id).await.unwrap();
            let expected: Vec<graph_api::beta::AnyDirectoryObject> =
                serde_json::from_value(body.unwrap()["value"].clone()).unwrap();
            assert_eq!(members, expected);
            assert!(matches!(members[0], graph_api::beta::AnyDirectoryObject::User(_)));
        }
        _ => panic!(
            "`{key}` has no typed call in graph-api/tests/mock.rs; add one so its example is decoded"
        ),
    }
}

#[tokio::test]
async fn every_operation_decodes_its_example_through_the_typed_client() {
    let ir = api_docs::ir();
    let server = serve(&ir);
    let client = client(&server);
    for operation in &ir.operations {
        let example = operation
            .examples
            .iter()
            .find(|example| routed(operation, example) && example.response.is_some());
        let Some(example) = example else { continue };
        let url = &example.request.as_ref().unwrap().url;
        let body = conformed_body(example, operation, &ir);
        typed_call(&client, operation, body, url).await;
    }
    server.shutdown().unwrap();
}

#[tokio::test]
async fn undocumented_paths_are_graph_errors_with_a_request_id() {
    let ir = Ir::default();
    let server = serve(&ir);
    let error = graph_api::beta::user::reprocess_license_assignment(&client(&server), "1")
        .await
        .unwrap_err();
    assert!(error.api().is_some(), "{error:?}");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some("ResourceNotFound"));
    assert!(error.request_id().is_some_and(|id| !id.is_empty()));
    server.shutdown().unwrap();
}
