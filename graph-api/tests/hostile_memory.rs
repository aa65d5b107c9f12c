//! Hostile input against memory: a page is decoded only up to the item limit, and a body that
//! would take far more memory decoded than its size fails before the memory is spent.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use futures_util::StreamExt;
use graph_api::Error;
use support::{builder, client, v1, Reply, Server};

/// `{"value":[{},{},…(count)…, <tail>]}`, linking to `next` if given.
fn page_of_empty_objects(count: usize, tail: &str, next: Option<&str>) -> Vec<u8> {
    let mut body = String::from(r#"{"value":["#);
    body.push_str(&vec!["{}"; count].join(","));
    body.push_str(tail);
    body.push(']');
    if let Some(next) = next {
        body.push_str(r#","@odata.nextLink":""#);
        body.push_str(next);
        body.push('"');
    }
    body.push('}');
    body.into_bytes()
}

fn json(body: Vec<u8>) -> Reply {
    Reply::status(200)
        .header("content-type", "application/json")
        .body(body)
}

/// Item 11 of the page does not decode: only a client that decodes past the limit sees it.
#[tokio::test]
async fn a_page_is_decoded_only_up_to_the_item_limit() {
    let server = Server::start("127.0.0.1", |_, _| {
        json(page_of_empty_objects(
            10,
            r#",{"accountEnabled":"not a boolean"},{}"#,
            None,
        ))
    })
    .await;
    let client = client(&server);

    let items: Vec<_> = v1::user::list(&client)
        .max_items(10)
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 11);
    assert!(items[..10].iter().all(Result::is_ok));
    let error = items[10].as_ref().unwrap_err();
    assert!(matches!(error, Error::Paging(_)), "{error:?}");
    assert!(error.to_string().contains("more than 10 items"), "{error}");

    for error in [
        v1::user::list(&client).max_items(10).await.unwrap_err(),
        v1::user::list(&client)
            .max_items(3)
            .first_page()
            .await
            .unwrap_err(),
        v1::user::list(&client)
            .max_items(10)
            .pages()
            .collect::<Vec<_>>()
            .await
            .pop()
            .unwrap()
            .unwrap_err(),
    ] {
        assert!(matches!(error, Error::Paging(_)), "{error:?}");
    }
    // Without the limit in the way, item 11 is decoded and fails.
    let error = v1::user::list(&client).await.unwrap_err();
    let Error::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "value[10].accountEnabled");
}

#[tokio::test]
async fn the_item_limit_counts_across_pages_and_stops_paging() {
    let server = Server::start("127.0.0.1", |request, index| {
        let next = format!("{}/v1.0/users?$skiptoken={}", request.origin(), index + 1);
        json(page_of_empty_objects(
            2,
            r#",{"accountEnabled":1}"#,
            Some(&next),
        ))
    })
    .await;
    // Each page: two items, then one that does not decode.
    let error = v1::user::list(&client(&server))
        .max_items(2)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("more than 2 items"), "{error}");
    assert_eq!(server.requests().len(), 1);

    let server = Server::start("127.0.0.1", |request, index| {
        let next = format!("{}/v1.0/users?$skiptoken={}", request.origin(), index + 1);
        json(page_of_empty_objects(2, "", Some(&next)))
    })
    .await;
    let items: Vec<_> = v1::user::list(&client(&server))
        .max_items(5)
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 6);
    assert!(items[..5].iter().all(Result::is_ok));
    assert!(matches!(items[5], Err(Error::Paging(_))), "{:?}", items[5]);
    // The third page was cut after its first item; no fourth was asked for.
    assert_eq!(server.requests().len(), 3);
}

/// 2.5 million zeros: 5 MiB of JSON, 80 MiB as `serde_json::Value`s, past the 64 MiB every
/// body may take.
fn user_with_zeros() -> Vec<u8> {
    let zeros = vec!["0"; 2_500_000].join(",");
    format!(r#"{{"id":"ada","zeros":[{zeros}]}}"#).into_bytes()
}

#[tokio::test]
async fn a_body_that_would_take_too_much_memory_decoded_fails_at_its_value() {
    let server = Server::start("127.0.0.1", |_, _| json(user_with_zeros())).await;

    let error = v1::user::get(&client(&server), "ada").await.unwrap_err();

    let Error::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "zeros");
    assert!(
        error
            .to_string()
            .contains("decoding would take more than 67108864 bytes of memory"),
        "{error}"
    );

    // The bound is the client's to move.
    let roomy = builder(&server).max_decode_ratio(20).build().unwrap();
    let user = v1::user::get(&roomy, "ada").await.unwrap();
    assert_eq!(user.id.as_deref(), Some("ada"));
}
