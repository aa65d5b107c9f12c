//! Delta queries against a local server: a first round of three pages up to the delta link,
//! with a removed item; the link stored as JSON and a second round resumed from it. The call
//! is the generated `user::delta` of the fixture page `user-delta.md`.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use graph_api::{DeltaCall, DeltaChange, DeltaLink, Error};
use serde_json::json;
use support::{Recorded, Reply, Server};

/// The runtime with typed bindings of the fixture pages, for the `User` model.
mod graph_api {
    pub use ::graph_api::*;
    graph_gen_macros::generate_api!(docs = "../../graph-gen/tests/fixtures/docs");
}

use graph_api::v1::User;

/// `GET /users/delta`, as the fixture page `user-delta.md` generates it.
fn users_delta(
    client: &graph_api::GraphClient,
) -> DeltaCall<User, graph_api::v1::user::DeltaQuery> {
    graph_api::v1::user::delta(client)
}

/// Graph's answers: three pages in round one, one in round two.
fn answer(request: &Recorded, _: usize) -> Reply {
    let origin = request.origin();
    let query = request.uri.split_once('?').map_or("", |(_, query)| query);
    let page = match query {
        "$select=id,displayName" => json!({
            "value": [support::user("a"), support::user("b")],
            "@odata.nextLink": format!("{origin}/v1.0/users/delta?$skiptoken=p2"),
        }),
        "$skiptoken=p2" => json!({
            "value": [{"id": "c", "@removed": {"reason": "changed"}}, support::user("d")],
            "@odata.nextLink": format!("{origin}/v1.0/users/delta?$skiptoken=p3"),
        }),
        "$skiptoken=p3" => json!({
            "value": [support::user("e")],
            "@odata.deltaLink": format!("{origin}/v1.0/users/delta?$deltatoken=t1"),
        }),
        "$deltatoken=t1" => json!({
            "value": [
                {"displayName": "Ada L.", "id": "a"},
                {"@removed": {"reason": "deleted"}, "id": "b"},
            ],
            "@odata.deltaLink": format!("{origin}/v1.0/users/delta?$deltatoken=t2"),
        }),
        other => panic!("unexpected query `{other}`"),
    };
    Reply::json(200, &page)
}

fn ids(changes: &[DeltaChange<User>]) -> Vec<String> {
    changes
        .iter()
        .map(|change| match change {
            DeltaChange::Changed(user) => user.id.clone().unwrap(),
            DeltaChange::Removed { id, reason } => {
                format!("-{id} ({})", reason.as_deref().unwrap())
            }
        })
        .collect()
}

#[tokio::test]
async fn two_rounds_follow_pages_to_the_delta_link_and_resume_from_it() {
    let server = Server::start("127.0.0.1", answer).await;
    let client = support::client(&server);

    let first = users_delta(&client)
        .header("Prefer", "return=minimal")
        .select(["id", "displayName"])
        .await
        .unwrap();
    assert_eq!(ids(&first.changes), ["a", "b", "-c (changed)", "d", "e"]);
    let link = first.delta_link;
    assert!(link.as_str().ends_with("/v1.0/users/delta?$deltatoken=t1"));
    // `Debug` leaves the token out.
    assert!(!format!("{link:?}").contains("t1"), "{link:?}");

    // Stored as JSON, read back later.
    let stored = serde_json::to_string(&link).unwrap();
    assert_eq!(stored, format!("\"{}\"", link.as_str()));
    let link: DeltaLink = serde_json::from_str(&stored).unwrap();

    let second = users_delta(&client)
        .header("Prefer", "return=minimal")
        .select(["id", "displayName"])
        .resume(&link)
        .await
        .unwrap();
    assert_eq!(ids(&second.changes), ["a", "-b (deleted)"]);
    let DeltaChange::Changed(ada) = &second.changes[0] else {
        panic!("{:?}", second.changes[0])
    };
    assert_eq!(ada.display_name.as_deref(), Some("Ada L."));
    assert!(second.delta_link.as_str().ends_with("$deltatoken=t2"));

    // The resumed round sends the link as it is (its query replaces the call's), with the
    // call's headers; every page keeps them.
    let requests = server.requests();
    let uris: Vec<&str> = requests.iter().map(|r| r.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "/v1.0/users/delta?$select=id,displayName",
            "/v1.0/users/delta?$skiptoken=p2",
            "/v1.0/users/delta?$skiptoken=p3",
            "/v1.0/users/delta?$deltatoken=t1",
        ]
    );
    for request in &requests {
        assert_eq!(request.header("prefer"), Some("return=minimal"));
    }
}

#[tokio::test]
async fn a_link_to_another_host_is_not_followed() {
    let server = Server::start("127.0.0.1", answer).await;
    let client = support::client(&server);
    let foreign = DeltaLink::new("https://evil.example/v1.0/users/delta?$deltatoken=t1");
    let error = users_delta(&client).resume(&foreign).await.unwrap_err();
    assert!(matches!(error, Error::Paging(_)), "{error:?}");
    assert!(!error.to_string().contains("deltatoken"), "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn paging_limits_hold_for_a_round() {
    let server = Server::start("127.0.0.1", answer).await;
    let client = support::client(&server);
    let error = users_delta(&client)
        .select(["id", "displayName"])
        .max_pages(2)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Paging(_)), "{error:?}");
    assert_eq!(server.requests().len(), 2);

    let error = users_delta(&client)
        .select(["id", "displayName"])
        .max_items(3)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Paging(_)), "{error:?}");
}

#[tokio::test]
async fn a_last_page_without_a_delta_link_fails_the_round() {
    let server = Server::start("127.0.0.1", |_: &Recorded, _| {
        Reply::json(200, &json!({"value": [support::user("a")]}))
    })
    .await;
    let client = support::client(&server);
    let error = users_delta(&client).await.unwrap_err();
    assert!(matches!(error, Error::Paging(_)), "{error:?}");
}
