//! Hostile input in errors: a server echoing the token it was sent never gets it into an error
//! (text, fields, headers, serde messages, retries, provider errors), and text it controls is
//! escaped in `Display` (no forged log lines, no terminal escapes) while fields keep it raw.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use std::error::Error as _;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use graph_api::{BoxError, Error, GraphClient, GraphClientBuilder};
use serde_json::json;
use support::{builder, quick_retries, v1, Reply, Server, TOKEN};

/// A JWT-shaped token with a `/`, which JSON may escape as `\/`.
const JWT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhZGEifQ.c2lnbmF0/dXJlLXBhcnQ";

/// Every text of `error` a log line could show: `Display`, `Debug`, the source chain and, for
/// an API error, each field and header.
fn everything(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}\n");
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = writeln!(text, "{cause}\n{cause:?}");
        source = cause.source();
    }
    if let Some(api) = error.api() {
        let _ = writeln!(
            text,
            "{} {} {} {:?} {:?} {:?}",
            api.code, api.message, api.body, api.request_id, api.client_request_id, api.date
        );
        for (name, value) in &api.headers {
            let _ = writeln!(
                text,
                "{name}: {}",
                String::from_utf8_lossy(value.as_bytes())
            );
        }
    }
    text
}

fn provider_client(server: &Server, token: &'static str) -> GraphClientBuilder {
    GraphClient::builder()
        .base_url(&server.url)
        .allow_http(true)
        .retry_policy(quick_retries())
        .token_callback(move || async move { Ok::<_, BoxError>(token) })
}

/// A 401 that repeats the `Authorization` it received everywhere an error body and its headers
/// can: message, code, `innerError`, headers, and the token alone.
fn echo(request: &support::Recorded, status: u16) -> Reply {
    let authorization = request
        .header("authorization")
        .unwrap_or_default()
        .to_owned();
    let token = authorization.trim_start_matches("Bearer ");
    let body = json!({ "error": {
        "code": format!("Invalid_{token}"),
        "message": format!("`{authorization}` is expired; token {token}"),
        "innerError": {
            "request-id": token,
            "client-request-id": format!("{authorization}"),
            "date": token,
        },
    }});
    Reply::json(status, &body)
        .header(
            "www-authenticate",
            &format!("Bearer error=\"invalid_token\", token=\"{token}\""),
        )
        .header("x-echo", &authorization)
        .header("request-id", token)
}

#[tokio::test]
async fn a_token_echoed_in_an_api_error_is_redacted_everywhere() {
    let server = Server::start("127.0.0.1", |request, _| echo(request, 401)).await;
    for (client, token) in [
        (builder(&server).build().unwrap(), TOKEN),
        (provider_client(&server, JWT).build().unwrap(), JWT),
    ] {
        let error = v1::user::get(&client, "ada").await.unwrap_err();

        let text = everything(&error);
        assert!(!text.contains(token), "{text}");
        let api = error.api().unwrap();
        assert_eq!(api.status, 401);
        assert_eq!(
            api.message,
            "`Bearer <redacted>` is expired; token <redacted>"
        );
        assert_eq!(api.request_id.as_deref(), Some("<redacted>"));
        assert_eq!(api.headers["x-echo"], "Bearer <redacted>");
        assert_eq!(
            api.headers["www-authenticate"],
            "Bearer error=\"invalid_token\", token=\"<redacted>\""
        );
        assert!(api.body.contains("<redacted>"), "{}", api.body);
        assert_eq!(
            error.to_string(),
            "graph api returned 401 Invalid_<redacted>: `Bearer <redacted>` is expired; \
             token <redacted> (request-id <redacted>)"
        );
    }
}

#[tokio::test]
async fn the_last_error_after_retries_is_redacted_too() {
    let server = Server::start("127.0.0.1", |request, _| {
        echo(request, 503).header("retry-after", "0")
    })
    .await;
    let client = provider_client(&server, JWT)
        .retry_policy(quick_retries().with_max_attempts(3))
        .build()
        .unwrap();

    let error = v1::user::get(&client, "ada").await.unwrap_err();

    assert!(
        matches!(error, Error::RetriesExhausted { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(503));
    let text = everything(&error);
    for part in JWT.split('.') {
        assert!(!text.contains(part), "{text}");
    }
}

#[tokio::test]
async fn a_token_in_a_typed_field_is_redacted_from_decode_errors() {
    let server = Server::start("127.0.0.1", |request, _| {
        let authorization = request.header("authorization").unwrap_or_default();
        // JSON may write `/` as `\/`; the decoded message then shows the token as it is.
        let escaped = authorization.replace('/', "\\/");
        let value = format!(r#"{{"id":"a","accountEnabled":"{escaped}"}}"#);
        let body = if request.uri.ends_with("/users") {
            format!(r#"{{"value":[{{"id":"b"}},{value}]}}"#)
        } else {
            value
        };
        Reply::status(200)
            .header("content-type", "application/json")
            .header("request-id", authorization)
            .body(body.into_bytes())
    })
    .await;
    let client = provider_client(&server, JWT).build().unwrap();

    let error = v1::user::get(&client, "ada").await.unwrap_err();
    let Error::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "accountEnabled");
    assert!(!everything(&error).contains("c2lnbmF0"), "{error:?}");
    assert!(
        error
            .to_string()
            .contains(r#"invalid type: string "Bearer <redacted>", expected a boolean"#),
        "{error}"
    );
    assert_eq!(error.request_id(), Some("Bearer <redacted>"));

    let error = v1::user::list(&client).await.unwrap_err();
    let Error::Decode { path, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(path, "value[1].accountEnabled");
    assert!(!everything(&error).contains("c2lnbmF0"), "{error:?}");
}

/// A 3-character token must not turn every `abc` of a message into `<redacted>`.
#[tokio::test]
async fn short_tokens_are_redacted_only_as_bearer_values() {
    let server = Server::start("127.0.0.1", |request, _| {
        let authorization = request.header("authorization").unwrap_or_default();
        let message = format!("{authorization} was refused; abcde is a fine word");
        Reply::json(
            401,
            &json!({ "error": { "code": "abc", "message": message } }),
        )
    })
    .await;
    let client = provider_client(&server, "abc").build().unwrap();

    let error = v1::user::get(&client, "ada").await.unwrap_err();

    assert_eq!(
        error.to_string(),
        "graph api returned 401 abc: Bearer <redacted> was refused; abcde is a fine word"
    );
}

#[tokio::test]
async fn a_provider_error_repeating_the_token_it_gave_before_is_redacted() {
    let server = Server::start("127.0.0.1", |_, index| match index {
        0 => Reply::status(429).header("retry-after", "0"),
        _ => Reply::status(204),
    })
    .await;
    let asked = Arc::new(AtomicUsize::new(0));
    let client = GraphClient::builder()
        .base_url(&server.url)
        .allow_http(true)
        .retry_policy(quick_retries())
        .token_callback(move || {
            let first = asked.fetch_add(1, Ordering::SeqCst) == 0;
            async move {
                if first {
                    Ok(JWT.to_owned())
                } else {
                    Err(BoxError::from(format!("refresh failed for `{JWT}`")))
                }
            }
        })
        .build()
        .unwrap();

    let error = v1::user::delete(&client, "ada").await.unwrap_err();

    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        "could not get an access token: refresh failed for `<redacted>`"
    );
    assert!(!everything(&error).contains("c2lnbmF0"), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

fn has_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
}

#[tokio::test]
async fn server_text_is_escaped_in_display_and_kept_raw_in_fields() {
    let message = "gone\n2024-05-01T10:00:00Z INFO login ok user=admin\r\x1b[2J\u{202e}gnp.exe";
    let server = Server::start("127.0.0.1", move |_, _| {
        let body = json!({ "error": {
            "code": "Not\r\nFound",
            "message": message,
            "innerError": { "request-id": "rid\n\u{9b}31m" },
        }});
        Reply::json(404, &body)
    })
    .await;

    let error = v1::user::get(&support::client(&server), "ada")
        .await
        .unwrap_err();

    let display = error.to_string();
    assert!(!has_controls(&display), "{display:?}");
    assert_eq!(
        display,
        r"graph api returned 404 Not\r\nFound: gone\n2024-05-01T10:00:00Z INFO login ok user=admin\r\u{1b}[2J\u{202e}gnp.exe (request-id rid\n\u{9b}31m)"
    );
    let api = error.api().unwrap();
    assert_eq!(api.message, message);
    assert_eq!(api.code, "Not\r\nFound");
    assert_eq!(api.request_id.as_deref(), Some("rid\n\u{9b}31m"));
}

#[tokio::test]
async fn provider_messages_are_escaped_in_display_and_kept_raw_in_the_source() {
    // Entra ID error descriptions hold line breaks.
    let description = "AADSTS7000215: Invalid client secret.\r\nTrace ID: 1\r\nCorrelation ID: 2";
    let server = Server::start("127.0.0.1", |_, _| Reply::status(204)).await;
    let client = GraphClient::builder()
        .base_url(&server.url)
        .allow_http(true)
        .token_callback(move || async move { Err::<String, _>(description) })
        .build()
        .unwrap();

    let error = v1::user::delete(&client, "ada").await.unwrap_err();

    assert_eq!(
        error.to_string(),
        r"could not get an access token: AADSTS7000215: Invalid client secret.\r\nTrace ID: 1\r\nCorrelation ID: 2"
    );
    assert_eq!(error.source().unwrap().to_string(), description);
}

/// A server on 127.0.0.1 that reads each request's head and answers with `reply(index)`, raw
/// bytes, closing the connection after a `connection: close` answer; `None` closes it instead
/// of answering.
async fn raw_server(reply: fn(usize) -> Option<&'static str>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut index = 0;
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            loop {
                while !head.ends_with(b"\r\n\r\n") {
                    if socket.read(&mut byte).await.unwrap_or(0) == 0 {
                        break;
                    }
                    head.push(byte[0]);
                }
                head.clear();
                let answer = reply(index);
                index += 1;
                let Some(answer) = answer else { break };
                socket.write_all(answer.as_bytes()).await.unwrap();
                if answer.contains("connection: close") {
                    break;
                }
            }
        }
    });
    url
}

fn raw_client(url: &str) -> GraphClient {
    GraphClient::builder()
        .base_url(url)
        .allow_http(true)
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap()
}

fn assert_prints_the_template(error: &Error, template: &str) {
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let display = error.to_string();
    assert!(display.contains(template), "{display}");
    for text in [display, format!("{error:?}")] {
        for private in ["ada", "contoso", "2024", "s3cr3t", "?"] {
            assert!(!text.contains(private), "`{private}` in {text}");
        }
    }
}

#[tokio::test]
async fn transport_errors_print_the_template_not_ids_or_query() {
    // A port nobody listens on any more: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = GraphClient::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .allow_http(true)
        .build()
        .unwrap();

    let error =
        v1::user::list_calendar_view(&client, "ada@contoso.com", "2024-01-01", "2024-02-01")
            .await
            .unwrap_err();

    assert_prints_the_template(
        &error,
        &format!("http://127.0.0.1:{port}/v1.0/users/{{}}/calendarView"),
    );
}

#[tokio::test]
async fn body_and_same_origin_redirect_failures_print_the_template() {
    // The body ends before its declared length.
    let url = raw_server(|_| {
        Some("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{\"id\":")
    })
    .await;
    let client = raw_client(&url);
    let error = v1::user::get(&client, "ada@contoso.com").await.unwrap_err();
    assert_prints_the_template(&error, "/v1.0/users/{}");

    // A redirect on the origin to a url with a secret in it, then the connection drops.
    let url = raw_server(|index| {
        (index == 0).then_some(
            "HTTP/1.1 302 Found\r\nlocation: /v1.0/moved?code=s3cr3t\r\ncontent-length: 0\r\n\r\n",
        )
    })
    .await;
    let client = raw_client(&url);
    let error = v1::user::get(&client, "ada@contoso.com").await.unwrap_err();
    assert_prints_the_template(&error, &format!("{url}/v1.0/users/{{}}"));
}
