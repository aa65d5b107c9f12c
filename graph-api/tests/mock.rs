//! The embedded mock Graph, started in this process on 127.0.0.1, replays every example of
//! `api-docs/`, and the typed client decodes each answer, whatever pages are there.

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

// Every operation of `api-docs/`, called through its flat function (generated from the IR, so
// pages added there are called too).
graph_gen_macros::example_calls!(
    ir = "$OUT_DIR/graph-ir.json",
    bindings = "::graph_api",
    cargo_features = true
);

/// Each call with an example gets the mock's answer decoded into the type its function returns.
#[tokio::test]
async fn every_operation_decodes_its_example_through_the_typed_client() {
    let ir = api_docs::ir();
    let server = serve(&ir);
    let client = client(&server);
    let mut called = 0;
    for call in __example_calls::all()
        .iter()
        .filter(|call| call.has_example)
    {
        if let Err(error) = (call.run)(&client).await {
            panic!("{} ({}): {error}", call.function, call.source);
        }
        called += 1;
    }
    assert!(called > 0, "api-docs/ has no example to call");
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
