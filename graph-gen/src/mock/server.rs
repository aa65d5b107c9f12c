//! The mock's HTTP side: an accept loop on a thread of its own, one hyper HTTP/1.1 connection
//! per task, stopped through its handle.
//!
//! Nobody should be able to knock it over from 127.0.0.1: a connection that sends no complete
//! request head in time, or moves no bytes for a while, is closed; an accept that fails for want
//! of file descriptors is retried after a pause that grows, instead of ending the server.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode};
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

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

/// Binds `addr` and serves `mock` from a new thread.
pub(super) fn start(mock: MockGraph, addr: SocketAddr) -> io::Result<MockServer> {
    start_on(mock, std::net::TcpListener::bind(addr)?)
}

/// Serves `mock` on `listener` from a new thread with its own single-threaded runtime.
pub(super) fn start_on(mock: MockGraph, listener: std::net::TcpListener) -> io::Result<MockServer> {
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    // Timers for the connection timeouts and the accept back-off (axum's own back-off
    // panicked on a runtime without them).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let listener = {
        // Registering the socket needs a runtime context, not a running runtime.
        let _context = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let mock = Arc::new(mock);
    let thread = std::thread::Builder::new()
        .name(format!("mock-graph-{}", addr.port()))
        .spawn(move || runtime.block_on(serve(listener, mock, stopped)))?;
    Ok(MockServer {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Accepts until told to stop (or the handle is dropped), then closes the listener, lets each
/// connection finish the request it is in, and waits for them.
async fn serve(
    listener: tokio::net::TcpListener,
    mock: Arc<MockGraph>,
    mut stopped: oneshot::Receiver<()>,
) -> io::Result<()> {
    let (closing, _) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut backoff = Backoff::default();
    let mut paused_until: Option<Instant> = None;
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept(), if paused_until.is_none() => match accepted {
                Ok((stream, _)) => {
                    backoff.reset();
                    connections.spawn(connection(stream, Arc::clone(&mock), closing.subscribe()));
                }
                Err(error) => {
                    if let Some(pause) = backoff.after(&error) {
                        if let Some(log) = &mock.accept_log {
                            log(&error, pause);
                        }
                        paused_until = Some(Instant::now() + pause);
                    }
                }
            },
            () = tokio::time::sleep_until(paused_until.unwrap_or_else(Instant::now)),
                if paused_until.is_some() => paused_until = None,
            // Reaps finished connections (freeing their descriptors' slots in the set).
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    // Every receiver sees it, however late it subscribed; no receiver is not an error here.
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// How long to stop accepting after an accept error.
///
/// An error of one connection (reset or aborted before it was accepted) is no reason to pause;
/// running out of descriptors (`EMFILE`, `ENFILE`) or memory is: accepting again at once would
/// spin, and connections closing (by the timeouts, if not by their clients) free descriptors.
#[derive(Debug, Default)]
struct Backoff {
    last: Option<Duration>,
}

impl Backoff {
    const FIRST: Duration = Duration::from_millis(10);
    const MAX: Duration = Duration::from_secs(1);

    /// The pause after `error`: none for an error of one connection, else twice the last one
    /// of this run of errors, from 10 ms up to 1 s.
    fn after(&mut self, error: &io::Error) -> Option<Duration> {
        if matches!(
            error.kind(),
            io::ErrorKind::ConnectionAborted
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionRefused
                | io::ErrorKind::Interrupted
        ) {
            return None;
        }
        let pause = self
            .last
            .map_or(Self::FIRST, |last| (last * 2).min(Self::MAX));
        self.last = Some(pause);
        Some(pause)
    }

    /// A connection was accepted: the next error starts again from the shortest pause.
    fn reset(&mut self) {
        self.last = None;
    }
}

/// One connection: HTTP/1.1 with a header-read timeout, closed (by dropping it) once no byte
/// has moved either way for the idle timeout.
async fn connection(stream: TcpStream, mock: Arc<MockGraph>, mut closing: watch::Receiver<bool>) {
    // Responses are small and written whole; Nagle would only delay them.
    let _ = stream.set_nodelay(true);
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: Arc::clone(&activity),
    });
    let (header_timeout, idle_timeout) = (mock.header_timeout, mock.idle_timeout);
    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
        let response = handle(&mock, &request);
        async move { Ok::<_, Infallible>(response) }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    // hyper's clock starts when it waits for a head, so a kept-alive connection is covered too.
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut shutting_down = false;
    loop {
        let quiet_until = activity.last() + idle_timeout;
        tokio::select! {
            _ = conn.as_mut() => break,
            () = tokio::time::sleep_until(quiet_until) => {
                if activity.last() + idle_timeout <= Instant::now() {
                    break;
                }
            }
            changed = closing.changed(), if !shutting_down => {
                shutting_down = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                } else {
                    break;
                }
            }
        }
    }
}

/// When a connection last moved a byte, as milliseconds since it was accepted.
#[derive(Debug)]
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
}

/// A stream that notes in its [`Activity`] each read or write that moved bytes.
#[derive(Debug)]
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(written)) if written > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Every request: route it, log it, answer it.
fn handle<B>(mock: &MockGraph, request: &Request<B>) -> Response {
    let client_request_id = request
        .headers()
        .get("client-request-id")
        .and_then(|value| value.to_str().ok());
    let uri = request.uri();
    let method = request.method();
    let (reply, operation) = mock.answer(method.as_str(), uri.path(), client_request_id);
    if let Some(log) = &mock.log {
        log(&Served {
            method: method.to_string(),
            path: uri.to_string(),
            status: reply.status,
            operation: operation.map(|answers| answers.title.clone()),
            call: operation.and_then(|answers| answers.call.clone()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_errors_of_one_connection_do_not_pause() {
        let mut backoff = Backoff::default();
        for kind in [
            io::ErrorKind::ConnectionAborted,
            io::ErrorKind::ConnectionReset,
        ] {
            assert_eq!(backoff.after(&io::Error::from(kind)), None);
        }
    }

    #[test]
    fn running_out_of_descriptors_pauses_longer_each_time_up_to_a_second() {
        let mut backoff = Backoff::default();
        // EMFILE on Linux and the BSDs alike.
        let emfile = io::Error::from_raw_os_error(24);
        let pauses: Vec<u128> = (0..9)
            .map(|_| backoff.after(&emfile).unwrap().as_millis())
            .collect();
        assert_eq!(pauses, [10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
        backoff.reset();
        assert_eq!(backoff.after(&emfile), Some(Duration::from_millis(10)));
    }
}
