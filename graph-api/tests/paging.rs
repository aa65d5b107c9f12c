//! Collections: `@odata.nextLink` followed on the client's own host, with the first request's
//! headers, as a stream or all at once, within page and item limits.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use futures_util::{StreamExt, TryStreamExt};
use graph_api::{Error, PageLimits};
use serde_json::json;
use support::{builder, client, user, v1, Recorded, Reply, Server};

/// The page a request asks for (`$skiptoken=pageN`, else 0) of `pages`, linking to the next
/// one on the same server while there is one.
fn paged(request: &Recorded, pages: &[&[&str]]) -> Reply {
    let index = request
        .uri
        .split_once("$skiptoken=page")
        .and_then(|(_, n)| n.parse::<usize>().ok())
        .unwrap_or(0);
    let Some(ids) = pages.get(index) else {
        return Reply::status(404);
    };
    let items: Vec<_> = ids.iter().map(|id| user(id)).collect();
    let mut body = json!({ "value": items, "@odata.count": 3 });
    if index + 1 < pages.len() {
        let next = format!(
            "{}/v1.0/users?$skiptoken=page{}",
            request.origin(),
            index + 1
        );
        body["@odata.nextLink"] = json!(next);
    }
    Reply::json(200, &body)
}

fn ids(users: &[v1::User]) -> Vec<&str> {
    users.iter().filter_map(|user| user.id.as_deref()).collect()
}

#[tokio::test]
async fn two_pages_are_collected_with_the_first_requests_headers() {
    let server = Server::start("127.0.0.1", |request, _| {
        paged(request, &[&["a", "b"], &["c"]])
    })
    .await;

    let users = v1::user::list(&client(&server))
        .select(["id", "displayName"])
        .header("Prefer", "outlook.timezone=\"UTC\"")
        .await
        .unwrap();

    assert_eq!(ids(&users), ["a", "b", "c"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].uri, "/v1.0/users?$select=id,displayName");
    // The next link is followed as given: it already carries the query.
    assert_eq!(requests[1].uri, "/v1.0/users?$skiptoken=page1");
    for request in &requests {
        assert_eq!(request.method, "GET");
        assert_eq!(request.header("prefer"), Some("outlook.timezone=\"UTC\""));
        assert_eq!(request.header("accept"), Some("application/json"));
        assert!(request.header("authorization").is_some());
    }
}

#[tokio::test]
async fn count_and_search_send_eventual_consistency_on_every_page() {
    let server = Server::start("127.0.0.1", |request, _| paged(request, &[&["a"], &["b"]])).await;

    let pages: Vec<_> = v1::user::list(&client(&server))
        .count(true)
        .search("\"displayName:ad a\"")
        .pages()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].body.count, Some(3));
    assert!(pages[0].body.next_link.is_some());
    assert_eq!(pages[1].body.next_link, None);
    assert_eq!(pages[1].status, 200);
    let requests = server.requests();
    assert_eq!(
        requests[0].uri,
        "/v1.0/users?$count=true&$search=%22displayName:ad%20a%22"
    );
    for request in &requests {
        assert_eq!(request.header("consistencylevel"), Some("eventual"));
    }
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let elsewhere =
        Server::start("127.0.0.2", |_, _| Reply::json(200, &json!({"value": []}))).await;
    let next = format!("{}/v1.0/users?$skiptoken=stolen", elsewhere.url);
    let server = Server::start("127.0.0.1", move |_, _| {
        Reply::json(
            200,
            &json!({ "value": [user("a")], "@odata.nextLink": next }),
        )
    })
    .await;

    let items: Vec<_> = v1::user::list(&client(&server)).stream().collect().await;

    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().id.as_deref(), Some("a"));
    let error = items[1].as_ref().unwrap_err();
    assert!(matches!(error, Error::Paging(_)), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("127.0.0.2"), "{message}");
    assert!(!message.contains("stolen"), "{message}");
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn page_and_item_limits_end_paging_with_an_error() {
    // Every page links to another: without limits this would never end.
    let server = Server::start("127.0.0.1", |request, index| {
        let next = format!(
            "{}/v1.0/users?$skiptoken=page{}",
            request.origin(),
            index + 1
        );
        Reply::json(
            200,
            &json!({ "value": [user("a"), user("b")], "@odata.nextLink": next }),
        )
    })
    .await;
    let client = client(&server);

    let error = v1::user::list(&client).max_pages(3).await.unwrap_err();
    assert!(matches!(error, Error::Paging(_)), "{error:?}");
    assert!(error.to_string().contains("more than 3 pages"), "{error}");
    assert_eq!(server.requests().len(), 3);

    let error = v1::user::list(&client).max_items(5).await.unwrap_err();
    assert!(error.to_string().contains("more than 5 items"), "{error}");

    let limited = builder(&server)
        .page_limits(PageLimits::default().with_max_pages(2))
        .build()
        .unwrap();
    let error = v1::user::list(&limited).await.unwrap_err();
    assert!(error.to_string().contains("more than 2 pages"), "{error}");
}

#[tokio::test]
async fn streams_fetch_only_what_is_read() {
    let server = Server::start("127.0.0.1", |request, _| {
        paged(request, &[&["a", "b"], &["c"]])
    })
    .await;

    let first: Vec<_> = v1::user::list(&client(&server))
        .stream()
        .take(2)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(ids(&first), ["a", "b"]);
    assert_eq!(server.requests().len(), 1);

    let page = v1::user::list(&client(&server)).first_page().await.unwrap();
    assert_eq!(ids(&page.body.items), ["a", "b"]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn template_query_values_are_encoded_and_collections_of_strings_decode() {
    let server = Server::start("127.0.0.1", |request, _| {
        if request.uri.contains("calendarView") {
            Reply::json(
                200,
                &json!({ "value": [{ "id": "e1", "subject": "Standup" }] }),
            )
        } else {
            Reply::json(200, &json!({ "value": ["g1", "g2"] }))
        }
    })
    .await;
    let client = client(&server);

    let events = v1::user::list_calendar_view(
        &client,
        "ada",
        "2024-01-01T00:00:00+01:00",
        "2024-01-02T00:00:00Z&$top=1",
    )
    .select(["subject"])
    .await
    .unwrap();
    assert_eq!(events[0].subject.as_deref(), Some("Standup"));

    let body = v1::user::GetMemberGroupsBody::new(true);
    let groups = v1::user::get_member_groups(&client, "ada", &body)
        .await
        .unwrap();
    assert_eq!(groups, ["g1", "g2"]);

    let requests = server.requests();
    assert_eq!(
        requests[0].uri,
        "/v1.0/users/ada/calendarView?startDateTime=2024-01-01T00:00:00%2B01:00\
         &endDateTime=2024-01-02T00:00:00Z%26$top%3D1&$format=json&$select=subject"
    );
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].body, br#"{"securityEnabledOnly":true}"#);
}
