//! Tracing: one span per call with method, path template, attempt and status, and never a
//! secret in anything logged, by this crate or the HTTP stack under it.

#[allow(
    dead_code,
    reason = "each test binary uses a part of the shared support"
)]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use support::{client, user, v1, Reply, Server, TOKEN};

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

// One thread, so the thread-local subscriber sees the HTTP stack's tasks too.
#[tokio::test(flavor = "current_thread")]
async fn spans_describe_requests_and_never_hold_the_token() {
    let download =
        Server::start("127.0.0.2", |_, _| Reply::status(200).body(b"img".to_vec())).await;
    let location = format!("{}/photo?sig=s3cr3t-signature", download.url);
    let server = Server::start("127.0.0.1", move |request, index| {
        match (request.uri.as_str(), index) {
            (_, 0) => Reply::status(429).header("retry-after", "0"),
            ("/v1.0/users/ada/photo/$value", _) => Reply::status(302).header("location", &location),
            ("/v1.0/users/gone", _) => Reply::status(404),
            _ => Reply::json(200, &user("ada")),
        }
    })
    .await;
    let client = client(&server);
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);

    v1::user::get(&client, "ada").await.unwrap();
    v1::profile_photo::content(&client, "ada").await.unwrap();
    let error = v1::user::get(&client, "gone").await.unwrap_err();
    drop(guard);

    let text = captured.text();
    assert!(text.contains("graph.request{"), "{text}");
    assert!(text.contains("method=GET path=/v1.0/users/{}"), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(text.contains("status=429"), "{text}");
    assert!(text.contains("status=200"), "{text}");
    assert!(text.contains("status=404"), "{text}");
    assert!(text.contains("retrying"), "{text}");
    assert!(text.contains("following redirect"), "{text}");
    for secret in [TOKEN, "s3cr3t"] {
        assert!(!text.contains(secret), "`{secret}` was logged:\n{text}");
        assert!(!error.to_string().contains(secret));
        assert!(!format!("{error:?}").contains(secret));
    }
}
