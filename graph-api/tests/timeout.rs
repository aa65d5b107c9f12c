//! Timeouts: a client default and a per-call override, each bounding a whole attempt.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use std::time::{Duration, Instant};

use graph_api::{Error, RetryPolicy};
use support::{builder, user, v1, Reply, Server};

#[tokio::test]
async fn a_response_slower_than_the_timeout_fails_in_time() {
    let server = Server::start("127.0.0.1", |_, _| {
        Reply::json(200, &user("ada")).delay(Duration::from_secs(2))
    })
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let started = Instant::now();
    let error = v1::user::get(&client, "ada").await.unwrap_err();
    let elapsed = started.elapsed();

    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert_eq!(error.to_string(), "request timed out after 200ms");
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1_500), "{elapsed:?}");
    // A timeout is not retried: the server may still be working on the request.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_call_can_override_the_client_timeout() {
    let server = Server::start("127.0.0.1", |request, _| {
        let delay = if request.uri.ends_with("/slow") {
            2_000
        } else {
            150
        };
        Reply::json(200, &user("ada")).delay(Duration::from_millis(delay))
    })
    .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();

    let user = v1::user::get(&client, "fast")
        .timeout(Duration::from_secs(2))
        .await
        .unwrap();
    assert_eq!(user.id.as_deref(), Some("ada"));

    let started = Instant::now();
    let error = v1::user::get(&client, "slow")
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_millis(1_500));
}
