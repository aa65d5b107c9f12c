//! Redirects: followed by the client, never carrying the token (or any credential) to another
//! host, bounded in number, or left to the caller.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use graph_api::Error;
use support::{builder, client, v1, Reply, Server, TOKEN};

const BINARY: &[u8] = b"\x89PNG\r\n\x1a\n\x00\xff";

#[tokio::test]
async fn redirect_to_another_host_drops_the_token() {
    let download =
        Server::start("127.0.0.2", |_, _| Reply::status(200).body(BINARY.to_vec())).await;
    let location = format!("{}/download?sig=abc", download.url);
    let server = Server::start("127.0.0.1", move |_, _| {
        Reply::status(307).header("location", &location)
    })
    .await;

    let photo = v1::profile_photo::content(&client(&server), "ada")
        .header("Cookie", "session=s3cr3t")
        .await
        .unwrap();

    assert_eq!(photo.as_ref(), BINARY);
    let graph = server.requests();
    assert_eq!(
        graph[0].header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    let downloads = download.requests();
    assert_eq!(downloads.len(), 1);
    assert_eq!(downloads[0].uri, "/download?sig=abc");
    assert_eq!(downloads[0].header("authorization"), None);
    assert_eq!(downloads[0].header("cookie"), None);
    let everything = format!("{:?}", downloads[0].headers);
    assert!(!everything.contains("s3cr3t"), "{everything}");
}

#[tokio::test]
async fn a_307_resends_method_and_body_but_not_the_token() {
    let elsewhere = Server::start("127.0.0.2", |_, _| Reply::status(202)).await;
    let location = format!("{}/v1.0/users/ada/sendMail", elsewhere.url);
    let server = Server::start("127.0.0.1", move |_, _| {
        Reply::status(307).header("location", &location)
    })
    .await;

    let body = v1::user::SendMailBody::new("hello".into());
    v1::user::send_mail(&client(&server), "ada", &body)
        .await
        .unwrap();

    let received = elsewhere.requests();
    assert_eq!(received[0].method, "POST");
    assert_eq!(received[0].body, br#"{"comment":"hello"}"#);
    assert_eq!(received[0].header("content-type"), Some("application/json"));
    assert_eq!(received[0].header("authorization"), None);
}

#[tokio::test]
async fn the_token_stays_on_same_host_redirects_and_never_comes_back() {
    let back = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let back_to_graph = std::sync::Arc::clone(&back);
    let elsewhere = Server::start("127.0.0.2", move |_, _| {
        let location = back_to_graph.lock().unwrap().clone();
        Reply::status(302).header("location", &location)
    })
    .await;
    let away = format!("{}/away", elsewhere.url);
    let server = Server::start("127.0.0.1", move |request, _| match request.uri.as_str() {
        "/v1.0/users/ada" => Reply::status(301).header("location", "/v1.0/users/ada-moved"),
        "/v1.0/users/ada-moved" => Reply::status(302).header("location", &away),
        _ => Reply::json(200, &support::user("ada")),
    })
    .await;
    *back.lock().unwrap() = format!("{}/v1.0/users/back", server.url);

    v1::user::get(&client(&server), "ada").await.unwrap();

    let graph = server.requests();
    let uris: Vec<_> = graph.iter().map(|request| request.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "/v1.0/users/ada",
            "/v1.0/users/ada-moved",
            "/v1.0/users/back"
        ]
    );
    assert!(graph[1].header("authorization").is_some());
    // Once the chain has left the origin, the token is not restored for the way back.
    assert_eq!(graph[2].header("authorization"), None);
    assert_eq!(elsewhere.requests()[0].header("authorization"), None);
}

#[tokio::test]
async fn redirect_loops_stop() {
    let server = Server::start("127.0.0.1", |request, _| {
        Reply::status(302).header("location", &request.uri)
    })
    .await;

    let error = v1::user::get(&client(&server), "ada").await.unwrap_err();

    assert!(matches!(error, Error::Redirect(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "redirect not followed: more than 10 redirects"
    );
    assert_eq!(server.requests().len(), 11);
}

#[tokio::test]
async fn redirects_can_be_left_to_the_caller() {
    let server = Server::start("127.0.0.1", |_, _| {
        Reply::status(302).header("location", "https://download.example/file?sig=abc")
    })
    .await;
    let client = builder(&server).max_redirects(0).build().unwrap();

    let error = v1::profile_photo::content(&client, "ada")
        .await
        .unwrap_err();

    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status, 302);
    assert_eq!(
        api.headers["location"],
        "https://download.example/file?sig=abc"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn failures_after_leaving_the_origin_do_not_show_the_url() {
    // A port nobody listens on any more: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.2:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let location = format!("http://127.0.0.2:{port}/file?sig=s3cr3t");
    let server = Server::start("127.0.0.1", move |_, _| {
        Reply::status(302).header("location", &location)
    })
    .await;

    let error = v1::profile_photo::content(&client(&server), "ada")
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("s3cr3t"), "{text}");
    }
}
