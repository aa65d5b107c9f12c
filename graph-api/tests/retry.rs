//! Throttling and transient failures: 429, 503 and 504 retried within attempts and a time
//! budget, honouring `Retry-After`; bodies only when the server signals throttling.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use std::time::{Duration, Instant, SystemTime};

use graph_api::{Error, Patch, RetryPolicy};
use serde_json::json;
use support::{builder, client, user, v1, Reply, Server};

#[tokio::test]
async fn throttled_request_waits_for_retry_after() {
    let server = Server::start("127.0.0.1", |_, index| match index {
        0 => Reply::json(
            429,
            &json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
        )
        .header("retry-after", "1"),
        _ => Reply::json(200, &user("ada")),
    })
    .await;

    let started = Instant::now();
    let user = v1::user::get(&client(&server), "ada").await.unwrap();
    let elapsed = started.elapsed();

    assert_eq!(user.id.as_deref(), Some("ada"));
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("retry-attempt"), None);
    assert_eq!(requests[1].header("retry-attempt"), Some("1"));
    // One call, one id: retries are recognisable as such on the server.
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id")
    );
}

#[tokio::test]
async fn retry_after_as_a_past_http_date_retries_at_once() {
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
    let server = Server::start("127.0.0.1", move |_, index| match index {
        0 => Reply::status(503).header("retry-after", &past),
        _ => Reply::json(200, &user("ada")),
    })
    .await;

    let started = Instant::now();
    v1::user::get(&client(&server), "ada").await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn unavailable_until_the_budget_is_exhausted() {
    let server = Server::start("127.0.0.1", |_, _| {
        Reply::json(
            503,
            &json!({"error": {"code": "serviceNotAvailable", "message": "busy"}}),
        )
    })
    .await;
    let policy = RetryPolicy::default()
        .with_max_attempts(1_000)
        .with_base_delay(Duration::from_millis(40))
        .with_max_delay(Duration::from_millis(80))
        .with_budget(Duration::from_millis(400));

    let started = Instant::now();
    let error = v1::user::get(&client(&server), "ada")
        .retry_policy(policy)
        .await
        .unwrap_err();
    let elapsed = started.elapsed();

    let Error::RetriesExhausted { attempts, last, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*attempts as usize, server.requests().len());
    assert!(*attempts >= 3, "{attempts}");
    assert!(matches!(**last, Error::Api(_)), "{last:?}");
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.code(), Some("serviceNotAvailable"));
    assert!(
        error
            .to_string()
            .starts_with(&format!("giving up after {attempts} attempts")),
        "{error}"
    );
    assert!(elapsed < Duration::from_millis(800), "{elapsed:?}");
}

#[tokio::test]
async fn attempts_are_capped() {
    let server = Server::start("127.0.0.1", |_, _| Reply::status(504)).await;
    let client = builder(&server)
        .retry_policy(support::quick_retries().with_max_attempts(3))
        .build()
        .unwrap();

    let error = v1::user::get(&client, "ada").await.unwrap_err();

    assert!(
        matches!(error, Error::RetriesExhausted { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn bodies_are_retried_only_when_the_server_signals_throttling() {
    let server = Server::start("127.0.0.1", |request, _| {
        match request.header("x-scenario") {
            Some("plain-503") => Reply::status(503),
            Some("throttled") if request.header("retry-attempt").is_none() => {
                Reply::status(429).header("retry-after", "0")
            }
            _ => Reply::status(204),
        }
    })
    .await;
    let client = client(&server);
    let body = v1::user::UpdateBody {
        city: Patch::Set("Wellington".into()),
        ..Default::default()
    };

    let error = v1::user::update(&client, "ada", &body)
        .header("x-scenario", "plain-503")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(server.requests().len(), 1);

    v1::user::update(&client, "ada", &body)
        .header("x-scenario", "throttled")
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[1].body, requests[2].body);
    assert_eq!(requests[2].body, br#"{"city":"Wellington"}"#);
}

#[tokio::test]
async fn bodiless_posts_are_not_retried_on_gateway_timeouts() {
    let server = Server::start("127.0.0.1", |_, _| Reply::status(504)).await;
    let body = v1::user::SendMailBody::new("hi".into());
    let error = v1::user::send_mail(&client(&server), "ada", &body)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(504));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn disabled_retries_and_other_statuses_make_one_attempt() {
    let server = Server::start("127.0.0.1", |request, _| {
        if request.uri.ends_with("/gone") {
            Reply::status(404)
        } else {
            Reply::status(429).header("retry-after", "0")
        }
    })
    .await;

    let error = v1::user::get(&client(&server), "ada")
        .retry_policy(RetryPolicy::disabled())
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(429));
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.retry_after, Some(Duration::ZERO));

    let error = v1::user::get(&client(&server), "gone").await.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(server.requests().len(), 2);
}
