//! Token providers: a static token, an async callback asked before every attempt, and
//! provider errors; none of them ever shows the token.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use graph_api::{AccessToken, BoxError, Error, GraphClient, TokenFuture, TokenProvider};
use support::{quick_retries, user, v1, Reply, Server};

fn base(server: &Server) -> graph_api::GraphClientBuilder {
    GraphClient::builder()
        .base_url(&server.url)
        .allow_http(true)
        .retry_policy(quick_retries())
}

#[tokio::test]
async fn the_callback_is_asked_before_every_attempt() {
    let server = Server::start("127.0.0.1", |_, index| match index {
        0 => Reply::status(429).header("retry-after", "0"),
        _ => Reply::json(200, &user("ada")),
    })
    .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = base(&server)
        .token_callback(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok::<_, BoxError>(format!("refreshed-{n}")) }
        })
        .build()
        .unwrap();

    v1::user::get(&client, "ada").await.unwrap();

    let tokens: Vec<_> = server
        .requests()
        .iter()
        .map(|request| request.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(tokens, ["Bearer refreshed-1", "Bearer refreshed-2"]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert!(!format!("{client:?}").contains("refreshed"));
}

#[tokio::test]
async fn provider_failures_are_token_errors_and_nothing_is_sent() {
    let server = Server::start("127.0.0.1", |_, _| Reply::status(204)).await;
    let failing = base(&server)
        .token_callback(|| async { Err::<String, _>("vault is sealed") })
        .build()
        .unwrap();
    let error = v1::user::delete(&failing, "ada").await.unwrap_err();
    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "could not get an access token: vault is sealed"
    );

    let empty = base(&server)
        .token_callback(|| async { Ok::<_, BoxError>(String::new()) })
        .build()
        .unwrap();
    let error = v1::user::delete(&empty, "ada").await.unwrap_err();
    assert!(
        error.to_string().contains("access token is empty"),
        "{error}"
    );
    assert!(server.requests().is_empty());
}

/// A provider that hands out a fixed token, counting how often it is asked.
struct Counting(AtomicUsize);

impl TokenProvider for Counting {
    fn token(&self) -> TokenFuture<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(AccessToken::new("from-provider")) })
    }
}

#[tokio::test]
async fn custom_and_static_providers_send_their_token() {
    let server = Server::start("127.0.0.1", |_, _| Reply::status(204)).await;
    let custom = base(&server)
        .token_provider(Counting(AtomicUsize::new(0)))
        .build()
        .unwrap();
    v1::user::delete(&custom, "ada").await.unwrap();
    let fixed = base(&server)
        .token_provider(graph_api::StaticToken::new("static-token"))
        .build()
        .unwrap();
    v1::user::delete(&fixed, "ada").await.unwrap();
    let none = base(&server).build().unwrap();
    v1::user::delete(&none, "ada").await.unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].header("authorization"),
        Some("Bearer from-provider")
    );
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer static-token")
    );
    assert_eq!(requests[2].header("authorization"), None);
}

#[test]
fn tokens_never_show_in_debug_output() {
    let token = AccessToken::new("s3cr3t");
    assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
    let builder = GraphClient::builder().bearer_token(token);
    let text = format!("{builder:?} {:?}", builder.clone().build().unwrap());
    assert!(!text.contains("s3cr3t"), "{text}");
    assert!(text.contains("<redacted>"), "{text}");
    let provider = graph_api::StaticToken::new("s3cr3t");
    assert!(!format!("{provider:?}").contains("s3cr3t"));
}
