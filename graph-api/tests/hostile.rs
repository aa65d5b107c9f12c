//! Hostile input on the client side: oversized bodies are refused, not buffered; ids and
//! query values can never change the request's path or add query pairs.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use graph_api::{query, Error};
use support::{builder, client, user, v1, Reply, Server};

const LIMIT: u64 = 1024;

#[tokio::test]
async fn bodies_over_the_cap_are_refused_with_or_without_a_length() {
    let server = Server::start("127.0.0.1", |request, _| {
        let size = usize::try_from(LIMIT).unwrap() + 1;
        match request.uri.as_str() {
            "/v1.0/users/declared/photo/$value" => Reply::status(200).body(vec![b'x'; size]),
            // Chunked, so only counting what arrives can catch it.
            "/v1.0/users/streamed/photo/$value" => {
                Reply::status(200).chunks(vec![vec![b'x'; 600]; 2])
            }
            "/v1.0/users/one-chunk/photo/$value" => {
                Reply::status(200).chunks(vec![vec![b'x'; size]])
            }
            "/v1.0/users/exact-chunks/photo/$value" => {
                Reply::status(200).chunks(vec![vec![b'x'; 512]; 2])
            }
            _ => Reply::status(200).body(vec![b'x'; size - 1]),
        }
    })
    .await;
    let client = builder(&server).max_response_bytes(LIMIT).build().unwrap();

    for id in ["declared", "streamed", "one-chunk"] {
        let error = v1::profile_photo::content(&client, id).await.unwrap_err();
        assert!(
            matches!(error, Error::BodyTooLarge { limit: LIMIT }),
            "{id}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            "response body exceeds the limit of 1024 bytes"
        );
    }
    for id in ["exact", "exact-chunks"] {
        let exact = v1::profile_photo::content(&client, id).await.unwrap();
        assert_eq!(exact.len(), 1024, "{id}");
    }
}

#[tokio::test]
async fn ids_are_one_encoded_path_segment() {
    let server = Server::start("127.0.0.1", |_, _| Reply::json(200, &user("x"))).await;
    let client = client(&server);
    let cases = [
        ("a/b", "a%2Fb"),
        ("x?$filter=1", "x%3F%24filter%3D1"),
        ("x#fragment", "x%23fragment"),
        ("%2F", "%252F"),
        ("../../admin", "..%2F..%2Fadmin"),
        ("...", "..."),
        ("Zoë 😀", "Zo%C3%AB%20%F0%9F%98%80"),
    ];
    for (id, _) in cases {
        v1::user::get(&client, id).await.unwrap();
    }
    let uris: Vec<_> = server
        .requests()
        .into_iter()
        .map(|request| request.uri)
        .collect();
    let expected: Vec<_> = cases
        .iter()
        .map(|(_, encoded)| format!("/v1.0/users/{encoded}"))
        .collect();
    assert_eq!(uris, expected);

    for id in ["..", ".", ""] {
        let error = v1::user::get(&client, id).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{id:?}: {error:?}"
        );
    }
    assert_eq!(server.requests().len(), cases.len());
}

#[tokio::test]
async fn filter_values_stay_one_query_value() {
    let server = Server::start("127.0.0.1", |_, _| {
        Reply::json(200, &serde_json::json!({"value": []}))
    })
    .await;
    let name = "O'Neil & Sons=1#+ 100%";
    let filter = format!("displayName eq {}", query::string_literal(name));

    v1::user::list(&client(&server))
        .filter(filter.as_str())
        .order_by_desc("displayName")
        .top(5)
        .await
        .unwrap();

    let uri = server.requests()[0].uri.clone();
    assert_eq!(
        uri,
        "/v1.0/users?$filter=displayName%20eq%20%27O%27%27Neil%20%26%20Sons%3D1%23%2B%20100%25%27\
         &$orderby=displayName%20desc&$top=5"
    );
    let url = reqwest::Url::parse(&format!("http://host{uri}")).unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("$filter".to_owned(), filter),
            ("$orderby".to_owned(), "displayName desc".to_owned()),
            ("$top".to_owned(), "5".to_owned()),
        ]
    );
}

#[test]
fn calls_show_their_template_not_their_ids() {
    let client = graph_api::GraphClient::builder()
        .bearer_token(support::TOKEN)
        .build()
        .unwrap();
    let call = v1::user::get(&client, "ada@contoso.com").header("x-key", "s3cr3t");
    let list = v1::user::list_calendar_view(&client, "ada@contoso.com", "a", "b");
    let text = format!("{call:?} {list:?}");
    assert!(
        text.contains(r#"Call { method: GET, path: "/v1.0/users/{}""#),
        "{text}"
    );
    assert!(text.contains(r#"ListCall { method: GET, path: "/v1.0/users/{}/calendarView""#));
    for secret in ["ada", "s3cr3t", support::TOKEN] {
        assert!(!text.contains(secret), "{text}");
    }
}
