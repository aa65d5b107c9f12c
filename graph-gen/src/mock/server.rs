//! The mock's HTTP side: an axum server on a thread of its own, stopped through its handle.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use tokio::sync::oneshot;

use super::{MockGraph, Reply, Served};

/// A running mock Graph. Dropping it stops the server; [`MockServer::shutdown`] also waits.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl MockServer {
    /// The bound address (the port chosen when asked for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The service root, `http://127.0.0.1:PORT`: a client's base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Blocks until the server stops by itself (only on an I/O error): for the CLI.
    pub fn wait(mut self) -> std::io::Result<()> {
        self.join()
    }

    /// Stops accepting requests, lets requests in flight finish, and waits for the thread.
    pub fn shutdown(mut self) -> std::io::Result<()> {
        self.signal();
        self.join()
    }

    fn signal(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The server may have stopped on its own already; nothing to tell then.
            let _ = stop.send(());
        }
    }

    fn join(&mut self) -> std::io::Result<()> {
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other(
                "the mock Graph server thread panicked",
            )),
            None => Ok(()),
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.signal();
    }
}

/// Binds `addr` and serves `mock` from a new thread with its own single-threaded runtime.
pub(super) fn start(mock: MockGraph, addr: SocketAddr) -> std::io::Result<MockServer> {
    let listener = std::net::TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    let listener = {
        // Registering the socket needs a runtime context, not a running runtime.
        let _context = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let app = Router::new().fallback(handle).with_state(Arc::new(mock));
    let thread = std::thread::Builder::new()
        .name(format!("mock-graph-{}", addr.port()))
        .spawn(move || {
            runtime.block_on(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
            })
        })?;
    Ok(MockServer {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Every request: route it, log it, answer it.
async fn handle(
    State(mock): State<Arc<MockGraph>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let client_request_id = headers
        .get("client-request-id")
        .and_then(|value| value.to_str().ok());
    let (reply, operation) = mock.answer(method.as_str(), uri.path(), client_request_id);
    if let Some(log) = &mock.log {
        log(&Served {
            method: method.to_string(),
            path: uri.to_string(),
            status: reply.status,
            operation: operation.map(str::to_owned),
        });
    }
    response(reply)
}

/// The HTTP response for a reply; header lines that are not valid HTTP are left out.
fn response(reply: Reply) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.trim().as_bytes()),
            HeaderValue::from_str(value.trim()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
