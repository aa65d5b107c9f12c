//! An embedded mock Microsoft Graph: serves the docs' example responses on 127.0.0.1.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let ir = graph_gen::Generator::default().load_docs(&["api-docs"])?;
//! let server = graph_gen::mock::MockGraph::new(&ir).serve("127.0.0.1:0".parse()?)?;
//! println!("service root: {}", server.url()); // holds /beta/… and /v1.0/…
//! server.shutdown();
//! # Ok(())
//! # }
//! ```
//!
//! Routing: a request `METHOD /{version}/path` is answered by the operation of that version
//! with a template of that method whose path matches (`{param}` matches any text, the rest
//! case-insensitively; the template with the most literal segments wins). Templates sit in a tree
//! by literal segment, so a request costs the same over two templates as over ten thousand. The
//! answer is the
//! page's example whose request URL is the same path, else its first example with the same
//! method, else its first example response; its body is conformed to the declared types
//! ([`crate::infer::conform_sample`]), so `"skuId": "skuId-value"` becomes a nil UUID that a
//! typed client decodes. A page documenting no body answers its status with none.
//!
//! Other requests get Graph's error shape, `{"error": {"code", "message", "innerError"}}`:
//! 404 `ResourceNotFound` for paths no page documents, 405 `MethodNotAllowed` (with `Allow`)
//! for a documented path with another method, 501 `NotImplemented` for an operation whose page
//! shows no response. Every response has a fresh `request-id` header and echoes
//! `client-request-id`.

mod reply;
mod server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

pub use reply::Reply;
pub use server::MockServer;

use crate::ir::{ApiVersion, Ir, Operation};
use crate::route::{self, PathPattern, RouteTree};

/// A mock Graph built from an IR; [`MockGraph::serve`] puts it on a local port.
///
/// The server holds up against clients that misbehave:
///
/// - a request's line and headers must arrive within the header timeout
///   ([`MockGraph::header_timeout`], default [`MockGraph::DEFAULT_HEADER_TIMEOUT`], 30 s) of the
///   server starting to wait for them, so a client trickling bytes cannot hold a connection;
/// - a connection that moves no byte either way for the idle timeout
///   ([`MockGraph::idle_timeout`], default [`MockGraph::DEFAULT_IDLE_TIMEOUT`], 15 s) is
///   closed, whether it never sent anything, is kept alive between requests, or stalled;
/// - when accepting fails for want of file descriptors (`EMFILE`) or memory, the server stops
///   accepting for 10 ms, doubling up to 1 s while the errors last, and goes on serving the
///   connections it has ([`MockGraph::on_accept_error`] hears of each pause).
#[derive(Clone)]
pub struct MockGraph {
    /// The templates of each version, in a tree by path segment.
    routes: Vec<(ApiVersion, RouteTree<Route>)>,
    operations: Vec<Answers>,
    log: Option<RequestLog>,
    accept_log: Option<AcceptLog>,
    header_timeout: Duration,
    idle_timeout: Duration,
}

/// The callback of [`MockGraph::on_request`].
type RequestLog = Arc<dyn Fn(&Served) + Send + Sync>;

/// The callback of [`MockGraph::on_accept_error`].
type AcceptLog = Arc<dyn Fn(&std::io::Error, Duration) + Send + Sync>;

impl std::fmt::Debug for MockGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockGraph")
            .field("routes", &self.route_count())
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}

/// One request as served, for [`MockGraph::on_request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The request method.
    pub method: String,
    /// The request path, as sent.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// The page title of the operation that answered (`user: reprocessLicenseAssignment`).
    pub operation: Option<String>,
    /// The generated call that sends that operation's request
    /// (`beta.users().by_id().reprocess_license_assignment()`).
    pub call: Option<String>,
}

/// A template of one operation; its version and path are where it sits in a [`RouteTree`].
#[derive(Debug, Clone)]
struct Route {
    method: String,
    operation: usize,
}

/// What one operation can answer.
#[derive(Debug, Clone)]
struct Answers {
    title: String,
    /// The generated call, as in [`Served::call`].
    call: Option<String>,
    /// Example replies with their request's method and path segments.
    examples: Vec<(String, Vec<String>, Reply)>,
    /// The answer when no example has a response.
    fallback: Option<Reply>,
}

impl MockGraph {
    /// Routes every HTTP template of `ir` to its operation's example responses.
    pub fn new(ir: &Ir) -> Self {
        let plan = {
            // Naming warnings are `check`'s to report.
            let quiet = crate::diagnostics::Ctxt::new();
            let plan = crate::plan::Plan::new(ir, &quiet);
            drop(quiet.into_diagnostics());
            plan
        };
        let mut routes: Vec<(ApiVersion, RouteTree<Route>)> = Vec::new();
        let mut operations = Vec::new();
        // The models' catalog, built once for every example served.
        let conformance = crate::infer::Conformance::new(&ir.models);
        for operation in &ir.operations {
            let id = operations.len();
            let mut answering = answers(operation, &conformance);
            answering.call = plan.version(operation.version).and_then(|version| {
                let (chain, method) = version.call_path(id)?;
                let root = crate::codegen::version_module_name(operation.version);
                Some(if chain.is_empty() {
                    format!("{root}.{method}")
                } else {
                    format!("{root}.{chain}.{method}")
                })
            });
            operations.push(answering);
            let at = routes
                .iter()
                .position(|(v, _)| *v == operation.version)
                .unwrap_or_else(|| {
                    routes.push((operation.version, RouteTree::default()));
                    routes.len() - 1
                });
            let tree = &mut routes[at].1;
            for template in &operation.http {
                let route = Route {
                    method: template.method.as_str().to_owned(),
                    operation: id,
                };
                tree.insert(&PathPattern::new(template.path.as_str()), route);
            }
        }
        MockGraph {
            routes,
            operations,
            log: None,
            accept_log: None,
            header_timeout: Self::DEFAULT_HEADER_TIMEOUT,
            idle_timeout: Self::DEFAULT_IDLE_TIMEOUT,
        }
    }

    /// How long a request's line and headers may take by default.
    pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(30);

    /// How long a connection may move no bytes by default.
    pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(15);

    /// Closes a connection whose request line and headers are not complete `timeout` after the
    /// server began waiting for them (after accepting it, or after its last response).
    #[must_use]
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// Closes a connection that has moved no byte either way for `timeout`.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Calls `log` with each accept error that pauses accepting, and the pause (the CLI prints
    /// them).
    #[must_use]
    pub fn on_accept_error(
        mut self,
        log: impl Fn(&std::io::Error, Duration) + Send + Sync + 'static,
    ) -> Self {
        self.accept_log = Some(Arc::new(log));
        self
    }

    /// Calls `log` after each request is answered (the CLI prints them).
    #[must_use]
    pub fn on_request(mut self, log: impl Fn(&Served) + Send + Sync + 'static) -> Self {
        self.log = Some(Arc::new(log));
        self
    }

    /// How many templates are routed.
    pub fn route_count(&self) -> usize {
        self.routes
            .iter()
            .map(|(_, tree)| tree.template_count())
            .sum()
    }

    /// The answer to `method path` (path from the service root: `/beta/users/1`), without
    /// HTTP: what [`MockGraph::serve`] sends.
    pub fn respond(&self, method: &str, path: &str) -> Reply {
        self.answer(method, path, None).0
    }

    /// Serves on `addr` (port 0 picks a free one) from a thread of its own, so it works from
    /// synchronous code and from inside an async runtime alike.
    ///
    /// Connections are closed after the header timeout (default 30 s) and the idle timeout
    /// (default 15 s), and accept errors pause accepting instead of stopping the server; see
    /// [`MockGraph`].
    pub fn serve(self, addr: SocketAddr) -> std::io::Result<MockServer> {
        server::start(self, addr)
    }

    /// [`MockGraph::serve`] on a listener bound already, such as one whose port the caller
    /// holds on to.
    pub fn serve_on(self, listener: std::net::TcpListener) -> std::io::Result<MockServer> {
        server::start_on(self, listener)
    }

    /// The reply and the operation that gave it.
    fn answer(
        &self,
        method: &str,
        path: &str,
        client_request_id: Option<&str>,
    ) -> (Reply, Option<&Answers>) {
        let request_id = uuid::Uuid::new_v4().to_string();
        let error = |status, code, message: String| {
            reply::graph_error(status, code, &message, &request_id, client_request_id)
        };
        let shown = format!("{method} {path}");
        let (reply, operation) = match self.route(method, path) {
            Routed::Operation(id) => {
                let answers = &self.operations[id];
                let reply = answers.reply(method, path).cloned().unwrap_or_else(|| {
                    error(
                        501,
                        "NotImplemented",
                        format!(
                            "the docs page of `{}` shows no example response",
                            answers.title
                        ),
                    )
                });
                (reply, Some(answers))
            }
            Routed::OtherMethods(allowed) => {
                let mut reply = error(
                    405,
                    "MethodNotAllowed",
                    format!("`{shown}` is not documented; the docs name `{allowed}` for this path"),
                );
                reply.headers.push(("Allow".to_owned(), allowed));
                (reply, None)
            }
            Routed::Nothing => {
                let message = format!("no page in the docs documents `{shown}`");
                (error(404, "ResourceNotFound", message), None)
            }
            Routed::NoVersion => {
                let message = format!("`{path}` is not under `/v1.0/` or `/beta/`");
                (error(404, "ResourceNotFound", message), None)
            }
        };
        (
            reply.with_request_ids(&request_id, client_request_id),
            operation,
        )
    }

    /// The operation answering `method path`.
    fn route(&self, method: &str, path: &str) -> Routed {
        self.route_counting(method, path, &mut 0)
    }

    /// [`MockGraph::route`], counting the segment comparisons made in `steps`.
    fn route_counting(&self, method: &str, path: &str, steps: &mut usize) -> Routed {
        let Some((version, segments)) = route::request_segments(path) else {
            return Routed::NoVersion;
        };
        let Some((_, tree)) = self.routes.iter().find(|(v, _)| *v == version) else {
            return Routed::Nothing;
        };
        // In template order, so the first of equally specific templates wins.
        let matching = tree.lookup(&segments, steps);
        let best = matching
            .iter()
            .filter(|(route, _)| route.method.eq_ignore_ascii_case(method))
            .fold(
                None::<&(&Route, route::Specificity)>,
                |best, candidate| match best {
                    Some(best) if best.1 >= candidate.1 => Some(best),
                    _ => Some(candidate),
                },
            );
        if let Some((route, _)) = best {
            return Routed::Operation(route.operation);
        }
        if matching.is_empty() {
            return Routed::Nothing;
        }
        let mut allowed: Vec<&str> = matching.iter().map(|(r, _)| r.method.as_str()).collect();
        allowed.sort_unstable();
        allowed.dedup();
        Routed::OtherMethods(allowed.join(", "))
    }
}

/// Where a request goes.
enum Routed {
    Operation(usize),
    /// The path is documented for these methods only.
    OtherMethods(String),
    Nothing,
    /// The path does not start with an API version.
    NoVersion,
}

impl Answers {
    /// The example for exactly this request, else the first one with a response.
    fn reply(&self, method: &str, path: &str) -> Option<&Reply> {
        let segments = route::request_segments(path).map(|(_, segments)| segments);
        let same_request = self.examples.iter().find(|(example_method, example, _)| {
            example_method.eq_ignore_ascii_case(method)
                && segments.as_ref().is_some_and(|segments| {
                    segments.len() == example.len()
                        && segments
                            .iter()
                            .zip(example)
                            .all(|(a, b)| a.eq_ignore_ascii_case(b))
                })
        });
        same_request
            .or_else(|| {
                self.examples
                    .iter()
                    .find(|(example_method, _, _)| example_method.eq_ignore_ascii_case(method))
            })
            .or_else(|| self.examples.first())
            .map(|(_, _, reply)| reply)
            .or(self.fallback.as_ref())
    }
}

/// The replies of `operation`'s examples.
fn answers(operation: &Operation, conformance: &crate::infer::Conformance<'_>) -> Answers {
    let examples = operation
        .examples
        .iter()
        .filter_map(|example| {
            let response = example.response.as_ref()?;
            let (method, segments) = example.request.as_ref().map_or_else(
                || (String::new(), Vec::new()),
                |request| {
                    (
                        request.method.clone(),
                        route::example_segments(&request.url),
                    )
                },
            );
            Some((
                method,
                segments,
                reply::example(response, operation, conformance),
            ))
        })
        .collect();
    Answers {
        title: operation.title.clone(),
        call: None,
        examples,
        fallback: reply::documented_empty(operation),
    }
}

#[cfg(test)]
mod tests;
