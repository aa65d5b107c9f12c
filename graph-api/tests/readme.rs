//! The README's example, compiled against bindings of fixture pages like the ones it names
//! (`graph-gen/tests/fixtures/docs/`), and its requests sent to a local server: what they send is what
//! the README says.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use support::{Recorded, Reply, Server};

/// `graph_api` as the README spells it: the runtime, with the fixture pages' bindings.
mod graph_api {
    pub use ::graph_api::*;
    graph_gen_macros::generate_api!(docs = "../../graph-gen/tests/fixtures/docs");
}

/// The README's "Using graph-api" example, word for word between the markers (the README
/// test below checks it); compiled, not run, as it names a server on a fixed port.
#[allow(
    dead_code,
    reason = "compiled to check the README; `readme_requests` runs its requests"
)]
async fn readme_example() -> Result<(), Box<dyn std::error::Error>> {
    // README: begin
    let client = graph_api::GraphClient::builder()
        .base_url("http://127.0.0.1:8080") // service root holding /v1.0 and /beta; default https://graph.microsoft.com
        .allow_http(true) // plain http only with this explicit opt-in
        .bearer_token("TOKEN")
        .build()?;
    let v1 = graph_api::v1::api(&client);
    let message = v1
        .users()
        .by_id("ada@contoso.com")
        .messages()
        .by_id("AAMk…")
        .get()
        .await?;
    let mine = v1.me().messages().by_id("AAMk…").get().await?;
    let link = v1
        .me()
        .drive()
        .items()
        .by_id("01BY…")
        .create_link(&graph_api::v1::drive_item::CreateLinkBody::new(
            "view".into(),
        ))
        .await?;
    let names: Vec<graph_api::v1::User> = v1
        .users()
        .list()
        .select(["id", "displayName"])
        .top(50)
        .await?;
    // PATCH sends only what you set: here `{"city":null}`, which clears the city.
    let clear_city = graph_api::v1::user::UpdateBody {
        city: graph_api::Patch::Null,
        ..Default::default()
    };
    v1.users()
        .by_id("ada@contoso.com")
        .update(&clear_city)
        .await?;
    // Each page also keeps one function for its canonical request, in its resource's module:
    let ada = graph_api::v1::user::get(&client, "ada@contoso.com").await?;
    println!(
        "{:?} {:?} {:?} {} {:?}",
        message.subject,
        mine.subject,
        link.roles,
        names.len(),
        ada.city
    );
    // README: end
    Ok(())
}

/// The lines between the markers, trimmed.
fn example_lines(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|line| !line.contains("// README: begin"))
        .skip(1)
        .take_while(|line| !line.contains("// README: end"))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// The marker before the README's example block.
const MARKER: &str = "<!-- compiled and run by graph-api/tests/readme.rs -->";

#[test]
fn readme_shows_the_compiled_example() {
    let readme = include_str!("../../README.md");
    let after = readme
        .split(MARKER)
        .nth(1)
        .expect("the README has the marker");
    let block: Vec<String> = after
        .trim_start()
        .strip_prefix("```rust\n")
        .and_then(|rest| rest.split("```").next())
        .expect("a rust block follows the marker")
        .lines()
        .map(|line| line.trim().to_owned())
        .collect();
    let compiled = example_lines(include_str!("readme.rs"));
    assert!(compiled.len() > 10, "{compiled:?}");
    assert_eq!(
        block, compiled,
        "the README's example must be `readme_example` in tests/readme.rs, line by line"
    );
}

/// Answers like Graph for the README's requests; `()` for the update.
fn answer(request: &Recorded, _: usize) -> Reply {
    let path = request.uri.split('?').next().unwrap_or_default();
    match (request.method.as_str(), path) {
        ("GET", "/v1.0/users") => Reply::json(
            200,
            &serde_json::json!({"value": [{"id": "1", "displayName": "Ada"}]}),
        ),
        ("GET", path) if path.contains("/messages/") => {
            Reply::json(200, &serde_json::json!({"id": "AAMk", "subject": "Hello"}))
        }
        ("POST", _) => Reply::json(201, &serde_json::json!({"id": "p1", "roles": ["read"]})),
        ("PATCH", _) => Reply::status(204),
        _ => Reply::json(200, &serde_json::json!({"id": "1", "city": "Paris"})),
    }
}

#[tokio::test]
async fn readme_requests_send_what_the_readme_says() {
    let server = Server::start("127.0.0.1", answer).await;
    let client = support::client(&server);
    let v1 = graph_api::v1::api(&client);

    let message = v1
        .users()
        .by_id("ada@contoso.com")
        .messages()
        .by_id("AAMk…")
        .get()
        .await
        .unwrap();
    assert_eq!(message.subject.as_deref(), Some("Hello"));
    v1.me().messages().by_id("AAMk…").get().await.unwrap();
    let link = v1
        .me()
        .drive()
        .items()
        .by_id("01BY…")
        .create_link(&graph_api::v1::drive_item::CreateLinkBody::new(
            "view".into(),
        ))
        .await
        .unwrap();
    assert_eq!(link.roles, Some(vec!["read".to_owned()]));
    let names: Vec<graph_api::v1::User> = v1
        .users()
        .list()
        .select(["id", "displayName"])
        .top(50)
        .await
        .unwrap();
    assert_eq!(names[0].display_name.as_deref(), Some("Ada"));
    let clear_city = graph_api::v1::user::UpdateBody {
        city: graph_api::Patch::Null,
        ..Default::default()
    };
    v1.users()
        .by_id("ada@contoso.com")
        .update(&clear_city)
        .await
        .unwrap();
    let ada = graph_api::v1::user::get(&client, "ada@contoso.com")
        .await
        .unwrap();
    assert_eq!(ada.city.as_deref(), Some("Paris"));

    let sent: Vec<(String, String, String)> = server
        .requests()
        .into_iter()
        .map(|request| {
            let body = String::from_utf8(request.body).unwrap();
            (request.method, request.uri, body)
        })
        .collect();
    let expected = [
        (
            "GET",
            "/v1.0/users/ada%40contoso.com/messages/AAMk%E2%80%A6",
            "",
        ),
        ("GET", "/v1.0/me/messages/AAMk%E2%80%A6", ""),
        (
            "POST",
            "/v1.0/me/drive/items/01BY%E2%80%A6/createLink",
            r#"{"type":"view"}"#,
        ),
        ("GET", "/v1.0/users?$select=id,displayName&$top=50", ""),
        ("PATCH", "/v1.0/users/ada%40contoso.com", r#"{"city":null}"#),
        ("GET", "/v1.0/users/ada%40contoso.com", ""),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(m, u, b)| ((*m).to_owned(), (*u).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(sent, expected);
}

/// A body reads back from JSON as it is sent (the tour sends each page's example body so):
/// `null` is `Patch::Null`, a property left out `Patch::Unchanged`, unlisted ones are kept, and
/// a required property left out is serde's error.
#[test]
fn bodies_read_from_json_as_they_are_sent() {
    use graph_api::v1::{drive_item::CreateLinkBody, user::UpdateBody};
    let text = r#"{"city":null,"displayName":"Ada","jobTitle":"Engineer"}"#;
    let body: UpdateBody = serde_json::from_str(text).unwrap();
    assert_eq!(
        (&body.city, &body.display_name, &body.usage_location),
        (
            &graph_api::Patch::Null,
            &graph_api::Patch::Set("Ada".to_owned()),
            &graph_api::Patch::Unchanged
        )
    );
    assert_eq!(body.additional_properties["jobTitle"], "Engineer");
    let sent: serde_json::Value = serde_json::to_value(&body).unwrap();
    assert_eq!(
        sent,
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );

    let missing = serde_json::from_str::<CreateLinkBody>(r#"{"scope":"organization"}"#);
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .contains("missing field `type`"),
        "a required property left out is an error"
    );
}
