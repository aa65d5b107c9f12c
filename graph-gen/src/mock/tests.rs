//! Routing and answers of the mock, without HTTP.

use serde_json::{json, Value};

use super::*;

/// An operation as the IR JSON writes it, with the fields these tests do not care about empty.
fn operation(title: &str, templates: &[(&str, &str)], examples: &Value) -> Value {
    let http: Vec<Value> = templates
        .iter()
        .map(|(method, path)| {
            json!({"method": method, "path": path, "raw": path, "parameters": [],
                   "source": {"file": "p.md", "line": 1}})
        })
        .collect();
    json!({
        "name": title, "resource": "user", "title": title,
        "source": {"file": format!("beta/api/{title}.md"), "line": 1},
        "version": "beta", "namespace": null, "description": "", "http": http,
        "permissions": null, "roles": null, "national_clouds": null, "request_headers": [],
        "request_body": {"kind": "none"},
        "response": {"status": 200, "type": "microsoft.graph.user", "collection": false,
                     "source": {"file": "p.md", "line": 1}},
        "examples": examples,
    })
}

fn example(url: &str, status: u16, body: &Value) -> Value {
    json!({
        "name": null,
        "request": {"method": "GET", "url": url, "headers": [], "body": null,
                    "source": {"file": "p.md", "line": 1}},
        "response": {"status": status, "headers": [["Content-type", "application/json"], ["Content-Length", "9"]],
                     "body": body, "odata_type": "microsoft.graph.user", "collection": false,
                     "truncated": false, "source": {"file": "p.md", "line": 1}},
    })
}

fn user_model() -> Value {
    json!({
        "name": "microsoft.graph.user", "version": "beta", "description": "", "base_type": null,
        "open_type": false, "origin": "declared",
        "properties": [{"name": "id", "type": "Edm.Guid", "collection": false, "description": "",
                        "origin": "declared", "source": {"file": "u.md", "line": 1}}],
        "source": {"file": "u.md", "line": 1},
    })
}

fn mock(operations: &[Value]) -> MockGraph {
    let ir: Ir = serde_json::from_value(json!({
        "operations": operations, "models": [user_model()], "diagnostics": [],
    }))
    .unwrap();
    MockGraph::new(&ir)
}

#[test]
fn any_id_gets_the_example_with_placeholders_conformed() {
    let get = operation(
        "get",
        &[("GET", "/users/{id}")],
        &json!([example("/users/1", 200, &json!({"id": "id-value"}))]),
    );
    let reply = mock(&[get]).respond("GET", "/beta/users/someone%40contoso.com");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json().unwrap(),
        json!({"id": "00000000-0000-0000-0000-000000000000"})
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(
        reply.header("content-length"),
        None,
        "the example's length no longer fits the body"
    );
    assert!(reply.header("request-id").is_some());
}

#[test]
fn the_example_for_the_same_path_wins_over_the_first() {
    let get = operation(
        "get",
        &[("GET", "/users/{id}")],
        &json!([
            example(
                "https://graph.microsoft.com/beta/users/1",
                200,
                &json!({"n": 1})
            ),
            example(
                "https://graph.microsoft.com/beta/users/2?$select=id",
                200,
                &json!({"n": 2})
            ),
        ]),
    );
    let graph = mock(&[get]);
    assert_eq!(
        graph.respond("GET", "/beta/users/2").json().unwrap()["n"],
        2
    );
    assert_eq!(
        graph.respond("GET", "/beta/users/3").json().unwrap()["n"],
        1
    );
}

#[test]
fn literal_templates_beat_placeholders() {
    let by_id = operation(
        "get",
        &[("GET", "/users/{id}")],
        &json!([example("/users/1", 200, &json!({"from": "get"}))]),
    );
    let delta = operation(
        "delta",
        &[("GET", "/users/delta")],
        &json!([example("/users/delta", 200, &json!({"from": "delta"}))]),
    );
    let graph = mock(&[by_id, delta]);
    assert_eq!(
        graph.respond("GET", "/beta/users/delta").json().unwrap()["from"],
        "delta"
    );
    assert_eq!(
        graph.respond("GET", "/beta/users/x").json().unwrap()["from"],
        "get"
    );
}

#[test]
fn unknown_paths_get_a_graph_404() {
    let graph = mock(&[]);
    for path in ["/beta/groups", "/v2/users", "/"] {
        let reply = graph.respond("GET", path);
        assert_eq!(reply.status, 404, "{path}");
        let body = reply.json().unwrap();
        assert_eq!(body["error"]["code"], "ResourceNotFound");
        assert_eq!(
            body["error"]["innerError"]["request-id"],
            reply.header("request-id").unwrap()
        );
    }
}

#[test]
fn other_methods_get_405_with_allow() {
    let get = operation("get", &[("GET", "/users/{id}")], &json!([]));
    let reply = mock(&[get]).respond("DELETE", "/beta/users/1");
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET"));
    assert_eq!(reply.json().unwrap()["error"]["code"], "MethodNotAllowed");
}

#[test]
fn pages_without_examples_answer_204_or_501() {
    let mut delete = operation("delete", &[("DELETE", "/users/{id}")], &json!([]));
    delete["response"] = json!({"status": 204, "type": null, "collection": false,
                                "source": {"file": "p.md", "line": 1}});
    let get = operation("get", &[("GET", "/users/{id}")], &json!([]));
    let graph = mock(&[delete, get]);
    let deleted = graph.respond("DELETE", "/beta/users/1");
    assert_eq!((deleted.status, deleted.body.len()), (204, 0));
    let missing = graph.respond("GET", "/beta/users/1");
    assert_eq!(missing.status, 501);
    assert_eq!(missing.json().unwrap()["error"]["code"], "NotImplemented");
}

/// Operations `GET` of each path, with no examples.
fn gets(paths: &[String]) -> Vec<Value> {
    paths
        .iter()
        .enumerate()
        .map(|(i, path)| operation(&format!("op{i}"), &[("GET", path)], &json!([])))
        .collect()
}

#[test]
fn route_lookups_do_not_grow_with_the_number_of_templates() {
    let requested = [
        "/users/{id}".to_owned(),
        "/reports/getEmailActivity(period='{period}')".to_owned(),
    ];
    let small = mock(&gets(&requested));
    let mut paths = requested.to_vec();
    for i in 0..3_333 {
        paths.push(format!("/things{i}/{{id}}"));
        paths.push(format!("/users/{{id}}/nav{i}"));
        paths.push(format!("/reports/get{i}(period='{{period}}')"));
    }
    let large = mock(&gets(&paths));
    assert_eq!(large.route_count(), 10_001);
    for path in [
        "/beta/users/1",
        "/beta/reports/getEmailActivity(period='D7')",
        "/beta/users/1/nav7",
        "/beta/nothing/here",
    ] {
        let (mut few, mut many) = (0, 0);
        let answer =
            |graph: &MockGraph, steps: &mut usize| match graph.route_counting("GET", path, steps) {
                Routed::Operation(id) => Some(graph.operations[id].title.clone()),
                _ => None,
            };
        let from_small = answer(&small, &mut few);
        let from_large = answer(&large, &mut many);
        if path != "/beta/users/1/nav7" {
            assert_eq!(from_small, from_large, "{path}");
        }
        assert!(
            few > 0 && many == few,
            "{path}: {few} steps over 2, {many} over 10,001"
        );
    }
}

#[test]
fn functions_colon_paths_and_alternate_keys_route_through_the_tree() {
    let graph = mock(&gets(&[
        "/me/drive/root:/{item-path}:/content".to_owned(),
        "/users/{id | userPrincipalName}".to_owned(),
        "/me/drive/root/delta".to_owned(),
        "/workbook/rowsAbove(count={count})".to_owned(),
        "/users/delta".to_owned(),
    ]));
    let routed = |path: &str| match graph.route("GET", path) {
        Routed::Operation(id) => graph.operations[id].title.clone(),
        _ => String::new(),
    };
    assert_eq!(
        routed("/beta/me/drive/root:/a/b/report.docx:/content"),
        "op0"
    );
    assert_eq!(routed("/beta/users/ada%40contoso.com"), "op1");
    assert_eq!(routed("/beta/me/drive/root/delta(token='1')"), "op2");
    assert_eq!(routed("/beta/workbook/rowsAbove"), "op3");
    assert_eq!(routed("/beta/workbook/ROWSABOVE(count=2)"), "op3");
    assert_eq!(
        routed("/beta/users/DELTA"),
        "op4",
        "literals beat placeholders"
    );
    assert!(matches!(
        graph.route("GET", "/beta/me/drive/root:/x:/other"),
        Routed::Nothing
    ));
}
