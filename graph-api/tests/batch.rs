//! JSON batching against a local server that answers `$batch` requests the way Graph does:
//! entries answered out of order, a throttled entry, a Graph error, a base64 `$value` body.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use graph_api::{Batch, Error};
use serde_json::{json, Value};
use support::{Recorded, Reply, Server, TOKEN};

/// The runtime with typed bindings of the fixture pages (user get and list, message get,
/// driveItem content).
mod graph_api {
    pub use ::graph_api::*;
    graph_gen_macros::generate_api!(docs = "../../graph-gen/tests/fixtures/docs");
}

/// What Graph answers for one entry of a batch: `(status, headers, body)`.
fn answer_entry(entry: &Value, throttled: &AtomicUsize) -> (u16, Value, Value) {
    let url = entry["url"].as_str().unwrap();
    let json_type = json!({"Content-Type": "application/json"});
    let path = url.split('?').next().unwrap();
    if path == "/users/throttled" && throttled.fetch_add(1, Ordering::SeqCst) == 0 {
        let body = json!({"error": {"code": "TooManyRequests", "message": "slow down"}});
        return (
            429,
            json!({"Retry-After": "1", "Content-Type": "application/json"}),
            body,
        );
    }
    if path == "/users/missing" {
        // A server that echoes the token: it must not reach the entry's error.
        let message = format!("no user for Bearer {TOKEN}");
        let body = json!({"error": {"code": "Request_ResourceNotFound", "message": message,
            "innerError": {"request-id": "rid-404"}}});
        return (404, json_type, body);
    }
    if path == "/me/drive/items/file-1/content" {
        // Graph's batch form of a binary body: base64 in `body`, the real content type.
        return (
            200,
            json!({"Content-Type": "application/octet-stream"}),
            json!("AAECaGVsbG8g/w=="),
        );
    }
    if path == "/users" {
        let body = json!({"value": [support::user("a"), support::user("b")],
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x"});
        return (200, json_type, body);
    }
    if path.contains("/messages/") {
        let id = path.rsplit('/').next().unwrap();
        return (
            200,
            json_type,
            json!({"id": id, "subject": format!("About {id}")}),
        );
    }
    let id = path.rsplit('/').next().unwrap();
    (200, json_type, support::user(id))
}

/// A `$batch` endpoint: each entry answered, in reverse order, as Graph may.
fn batch_server(throttled: Arc<AtomicUsize>) -> impl Fn(&Recorded, usize) -> Reply {
    move |request, _| {
        assert_eq!(request.method, "POST");
        assert_eq!(request.uri, "/v1.0/$batch");
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let mut responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| {
                let (status, headers, body) = answer_entry(entry, &throttled);
                json!({"id": entry["id"], "status": status, "headers": headers, "body": body})
            })
            .collect();
        responses.reverse();
        Reply::json(200, &json!({ "responses": responses }))
    }
}

/// The requests of a recorded `$batch` body.
fn entries(request: &Recorded) -> Vec<Value> {
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    body["requests"].as_array().unwrap().clone()
}

/// What the three `$batch` requests of the 25 calls held: ids, urls, headers, `dependsOn`.
fn check_sent(requests: &[Recorded]) {
    let ids = |request: &Recorded| -> Vec<String> {
        entries(request)
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut first: Vec<String> = (1..=19).map(|i| i.to_string()).collect();
    first.push("21".into());
    assert_eq!(ids(&requests[0]), first);
    assert_eq!(ids(&requests[1]), ["20", "22", "23", "24", "25"]);
    assert_eq!(ids(&requests[2]), ["6"]);

    // The token is on the `$batch` request only, never in an entry.
    for request in requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert!(!String::from_utf8_lossy(&request.body).contains(TOKEN));
    }
    let sent = entries(&requests[0]);
    assert_eq!(
        sent[0],
        json!({"id": "1", "method": "GET", "url": "/users/u0",
            "headers": {"accept": "application/json"}})
    );
    assert_eq!(
        sent[1]["headers"],
        json!({"accept": "application/json", "prefer": "outlook.timezone=\"UTC\""})
    );
    assert_eq!(
        sent[19],
        json!({"id": "21", "method": "GET", "url": "/users/u1/messages/after",
            "headers": {"accept": "application/json"}, "dependsOn": ["2"]})
    );
    let second = entries(&requests[1]);
    assert_eq!(second[0]["url"], "/me/drive/items/file-1/content");
    assert_eq!(second[0].get("headers"), None);
    assert_eq!(second[1]["url"], "/users?$select=id,displayName&$top=2");
}

#[tokio::test]
async fn twenty_five_calls_take_two_batches_and_a_retry() {
    let throttled = Arc::new(AtomicUsize::new(0));
    let server = Server::start("127.0.0.1", batch_server(Arc::clone(&throttled))).await;
    let client = support::client(&server);
    let v1 = graph_api::v1::api(&client);

    let mut batch = Batch::new(&client);
    // Entries 1–10: users, with one missing and one throttled.
    let user_ids = [
        "u0",
        "u1",
        "u2",
        "missing",
        "u4",
        "throttled",
        "u6",
        "u7",
        "u8",
        "u9",
    ];
    let mut users = Vec::new();
    for (i, id) in user_ids.iter().enumerate() {
        let call = graph_api::v1::user::get(&client, id);
        // Entry 2 carries its own header.
        let call = if i == 1 {
            call.header("Prefer", "outlook.timezone=\"UTC\"")
        } else {
            call
        };
        users.push(batch.add(call));
    }
    // Entries 11–19: messages.
    let messages: Vec<_> = (0..9)
        .map(|i| batch.add(graph_api::v1::message::get(&client, "u0", &format!("m{i}"))))
        .collect();
    // Entry 20: file content, a `$value`-like binary body.
    let content = batch.add(v1.me().drive().items().by_id("file-1").content());
    // Entry 21 depends on entry 2: it must join entry 2's request although 20 came before.
    let after = batch.add_after(
        graph_api::v1::message::get(&client, "u1", "after"),
        &[users[1].id()],
    );
    // Entries 22–25: first pages of user lists.
    let lists: Vec<_> = (0..4)
        .map(|_| {
            batch.add(
                graph_api::v1::user::list(&client)
                    .select(["id", "displayName"])
                    .top(2),
            )
        })
        .collect();
    assert_eq!(batch.len(), 25);

    let started = Instant::now();
    let mut results = batch.send().await.unwrap();
    let elapsed = started.elapsed();

    // 20 + 5, then the throttled entry alone after its Retry-After of 1 s.
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "{requests:?}");
    assert_eq!(results.requests_sent(), 3);
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    check_sent(&requests);

    // Typed results, each as the call alone would give it.
    let mut users = users.into_iter();
    for id in user_ids {
        let handle = users.next().unwrap();
        let result = results.take(handle);
        match id {
            "missing" => {
                let error = result.unwrap_err();
                assert_eq!(error.status(), Some(404));
                assert_eq!(error.code(), Some("Request_ResourceNotFound"));
                assert_eq!(error.request_id(), Some("rid-404"));
                let api = error.api().unwrap();
                assert_eq!(api.message, "no user for Bearer <redacted>");
                assert!(!format!("{error:?}").contains(TOKEN));
            }
            _ => assert_eq!(result.unwrap().id.as_deref(), Some(id)),
        }
    }
    for (i, handle) in messages.into_iter().enumerate() {
        let message = results.take(handle).unwrap();
        assert_eq!(message.subject, Some(format!("About m{i}")));
    }
    let bytes = results.take(content).unwrap();
    assert_eq!(&bytes[..], b"\x00\x01\x02hello \xff");
    let after = results.take_response(after).unwrap();
    assert_eq!(after.status, 200);
    assert_eq!(after.body.id.as_deref(), Some("after"));
    for handle in lists {
        let page = results.take(handle).unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[1].id.as_deref(), Some("b"));
        assert!(page.next_link.is_some());
    }
    assert_eq!(throttled.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn throttling_past_the_policy_fails_the_entry_after_its_retries() {
    let server = Server::start("127.0.0.1", |request: &Recorded, _| {
        let entry = &entries(request)[0];
        let response = json!({"id": entry["id"], "status": 429,
            "headers": {"Retry-After": "0"},
            "body": {"error": {"code": "TooManyRequests", "message": "slow down"}}});
        Reply::json(200, &json!({"responses": [response]}))
    })
    .await;
    let client = support::client(&server);
    let policy = graph_api::RetryPolicy::default().with_max_attempts(2);
    let mut batch = Batch::new(&client).retry_policy(policy);
    let user = batch.add(graph_api::v1::user::get(&client, "ada"));
    let mut results = batch.send().await.unwrap();
    let error = results.take(user).unwrap_err();
    assert!(
        matches!(error, Error::RetriesExhausted { attempts: 2, .. }),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(429));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_chain_longer_than_a_batch_fails_without_being_sent() {
    let server = Server::start("127.0.0.1", |_: &Recorded, _| Reply::status(500)).await;
    let client = support::client(&server);
    let mut batch = Batch::new(&client);
    let mut handles = vec![batch.add(graph_api::v1::user::get(&client, "u0"))];
    for i in 1..21 {
        let previous = handles[i - 1].id();
        handles.push(batch.add_after(graph_api::v1::user::get(&client, "u"), &[previous]));
    }
    let mut results = batch.send().await.unwrap();
    assert_eq!(results.requests_sent(), 0);
    for handle in handles {
        let error = results.take(handle).unwrap_err();
        assert!(matches!(error, Error::Batch(_)), "{error:?}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_failed_batch_request_is_the_error_of_send() {
    let server = Server::start("127.0.0.1", |_: &Recorded, _| {
        Reply::json(
            400,
            &json!({"error": {"code": "BadRequest", "message": "no"}}),
        )
    })
    .await;
    let client = support::client(&server);
    let mut batch = Batch::new(&client);
    let _user = batch.add(graph_api::v1::user::get(&client, "u0"));
    let error = batch.send().await.unwrap_err();
    assert_eq!(error.code(), Some("BadRequest"));
}

/// The figure of BENCHMARKS.md ("Batching"): 20 calls one by one against 20 calls in one
/// batch, each request taking 20 ms at the server.
/// `cargo test -p graph-api --test batch -- --ignored --nocapture`
#[tokio::test]
#[ignore = "a timing figure, not a check"]
async fn figure_batch_against_sequential_calls() {
    const LATENCY: Duration = Duration::from_millis(20);
    let throttled = Arc::new(AtomicUsize::new(0));
    let batch_answer = batch_server(throttled);
    let server = Server::start("127.0.0.1", move |request: &Recorded, index| {
        let reply = if request.uri.ends_with("$batch") {
            batch_answer(request, index)
        } else {
            Reply::json(200, &support::user("u"))
        };
        reply.delay(LATENCY)
    })
    .await;
    let client = support::client(&server);
    let rounds = 10;
    let (mut sequential, mut batched) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        let started = Instant::now();
        for i in 0..20 {
            graph_api::v1::user::get(&client, &format!("u{i}"))
                .await
                .unwrap();
        }
        sequential += started.elapsed();

        let started = Instant::now();
        let mut batch = Batch::new(&client);
        let handles: Vec<_> = (0..20)
            .map(|i| batch.add(graph_api::v1::user::get(&client, &format!("u{i}"))))
            .collect();
        let mut results = batch.send().await.unwrap();
        for handle in handles {
            results.take(handle).unwrap();
        }
        batched += started.elapsed();
    }
    println!(
        "20 user gets, {} ms server latency per request, mean of {rounds} rounds: \
         sequential {:.1} ms, one batch {:.1} ms",
        LATENCY.as_millis(),
        sequential.as_secs_f64() * 1000.0 / f64::from(rounds),
        batched.as_secs_f64() * 1000.0 / f64::from(rounds),
    );
}
