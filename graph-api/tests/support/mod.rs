//! Shared by the client behaviour tests: a scriptable HTTP server on any loopback address,
//! client builders, and bindings generated from `tests/fixtures/client.ir.json`.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use graph_api::{GraphClient, GraphClientBuilder, RetryPolicy};

/// The token every test client sends; tests check it never shows up where it must not.
pub const TOKEN: &str = "TOKEN-s3cr3t-value";

graph_gen_macros::generate_api!(ir = "$CARGO_MANIFEST_DIR/tests/fixtures/client.ir.json");

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query exactly as sent on the request line.
    pub uri: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    /// A header as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// `http://host:port` of the server, from the `Host` header, for links back to it.
    pub fn origin(&self) -> String {
        format!("http://{}", self.header("host").unwrap_or_default())
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<Vec<u8>>,
    /// Sent without `Content-Length`, one chunk per element of `body`.
    chunked: bool,
    delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            chunked: false,
            delay: Duration::ZERO,
        }
    }

    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::status(status)
            .header("content-type", "application/json")
            .body(body.to_string().into_bytes())
    }

    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    #[must_use]
    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = vec![body];
        self
    }

    #[must_use]
    pub fn chunks(mut self, chunks: Vec<Vec<u8>>) -> Self {
        self.body = chunks;
        self.chunked = true;
        self
    }

    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    fn into_response(self) -> Response {
        let mut response = Response::builder().status(self.status);
        for (name, value) in &self.headers {
            response = response.header(name, value);
        }
        let body = if self.chunked {
            let chunks = self.body.into_iter().map(Ok::<_, std::io::Error>);
            Body::from_stream(futures_util::stream::iter(chunks))
        } else {
            Body::from(self.body.concat())
        };
        response.body(body).expect("test replies are valid")
    }
}

type Respond = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

struct Shared {
    requests: Mutex<Vec<Recorded>>,
    respond: Box<Respond>,
}

/// An HTTP/1.1 server on `ip` and a free port, answering with `respond(request, index)`;
/// stopped when dropped.
pub struct Server {
    pub url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    pub async fn start(
        ip: &str,
        respond: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let ip: IpAddr = ip.parse().expect("a loopback address");
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, 0))
            .await
            .expect("loopback addresses can be bound");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            respond: Box::new(respond),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, shared, task }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        uri: parts.uri.to_string(),
        headers: parts.headers,
        body: body.to_vec(),
    };
    let index = {
        let mut requests = shared.requests.lock().unwrap();
        requests.push(recorded.clone());
        requests.len() - 1
    };
    let reply = (shared.respond)(&recorded, index);
    tokio::time::sleep(reply.delay).await;
    reply.into_response()
}

/// A client of `server` with the test token, quick retries and a short timeout.
pub fn builder(server: &Server) -> GraphClientBuilder {
    GraphClient::builder()
        .base_url(&server.url)
        .allow_http(true)
        .bearer_token(TOKEN)
        .timeout(Duration::from_secs(5))
        .retry_policy(quick_retries())
}

pub fn client(server: &Server) -> GraphClient {
    builder(server).build().unwrap()
}

/// Retries that keep tests fast: short backoff and budget.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(10))
        .with_max_delay(Duration::from_millis(40))
        .with_budget(Duration::from_secs(3))
}

/// A JSON user as the fixture's `User` model reads it.
pub fn user(id: &str) -> serde_json::Value {
    serde_json::json!({ "id": id, "displayName": format!("User {id}") })
}
