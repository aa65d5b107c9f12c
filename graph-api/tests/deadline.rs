//! The deadline of a collection's `.await`: every page, retry and wait counts against it, the
//! client sets it and a call overrides it; streams, read at the caller's pace, are not bounded.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use std::time::Duration;

use futures_util::TryStreamExt;
use graph_api::{Error, PageLimits};
use serde_json::json;
use support::{builder, user, v1, Recorded, Reply, Server};

/// `count` pages that each take `delay`, each linking to the next (`$skiptoken=N`).
fn pages(count: usize, delay: Duration) -> impl Fn(&Recorded, usize) -> Reply {
    move |request, _| {
        let page = request
            .uri
            .split_once("$skiptoken=")
            .and_then(|(_, n)| n.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = json!({ "value": [user("a")] });
        if page + 1 < count {
            let next = format!("{}/v1.0/users?$skiptoken={}", request.origin(), page + 1);
            body["@odata.nextLink"] = json!(next);
        }
        Reply::json(200, &body).delay(delay)
    }
}

#[test]
fn the_default_deadline_is_ten_minutes() {
    assert_eq!(
        PageLimits::default().max_duration(),
        Duration::from_secs(600)
    );
    let limits = PageLimits::default().with_max_duration(Duration::from_secs(5));
    assert_eq!(limits.max_duration(), Duration::from_secs(5));
    assert_eq!(limits.max_pages(), PageLimits::default().max_pages());
}

/// Each page is well within the attempt timeout; only the deadline ends this.
#[tokio::test]
async fn a_collection_slower_than_its_deadline_fails_with_a_timeout() {
    let server = Server::start("127.0.0.1", pages(usize::MAX, Duration::from_millis(400))).await;
    let client = support::client(&server);

    let error = v1::user::list(&client)
        .max_duration(Duration::from_secs(1))
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Timeout(limit) if limit == Duration::from_secs(1)),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "request timed out after 1s");
    // Pages of 400 ms each: 3 start within the second; 5 leaves a loaded machine a second of
    // slack before the deadline fires. Without it, 1,000 pages would be fetched.
    let pages = server.requests().len();
    assert!((1..=5).contains(&pages), "{pages} pages");
}

#[tokio::test]
async fn the_clients_deadline_applies_and_a_call_can_lift_it() {
    let server = Server::start("127.0.0.1", pages(3, Duration::from_millis(200))).await;
    let client = builder(&server)
        .page_limits(PageLimits::default().with_max_duration(Duration::from_millis(300)))
        .build()
        .unwrap();

    // Three pages of 200 ms each cannot be read within 300 ms.
    let error = v1::user::list(&client).await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");

    let before = server.requests().len();
    let users = v1::user::list(&client)
        .max_duration(Duration::from_secs(600))
        .await
        .unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(server.requests().len(), before + 3);
}

#[tokio::test]
async fn streams_are_not_bounded_by_the_deadline() {
    let server = Server::start("127.0.0.1", pages(3, Duration::from_millis(200))).await;

    let users: Vec<_> = v1::user::list(&support::client(&server))
        .max_duration(Duration::from_millis(100))
        .stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(users.len(), 3);
}
