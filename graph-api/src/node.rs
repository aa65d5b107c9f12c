//! The state every generated request builder holds: the client and the path so far.

use std::fmt;

use crate::path::RequestPath;
use crate::GraphClient;

/// A position in the URL space of one API version: the client to send with and the request
/// path built so far. Generated builders wrap one each; cloning one is cloning its path.
#[derive(Clone)]
pub struct Node<'a> {
    client: &'a GraphClient,
    path: RequestPath,
}

impl<'a> Node<'a> {
    /// The root of `version` (`"v1.0"`, `"beta"`).
    pub fn root(client: &'a GraphClient, version: &'static str) -> Self {
        Node {
            client,
            path: RequestPath::new(version),
        }
    }

    /// The client requests are sent with.
    pub fn client(&self) -> &'a GraphClient {
        self.client
    }

    /// A copy of the path, to extend into a child's or a request's.
    pub fn path(&self) -> RequestPath {
        self.path.clone()
    }

    /// The node at `path`, with the same client.
    #[must_use]
    pub fn with(&self, path: RequestPath) -> Node<'a> {
        Node {
            client: self.client,
            path,
        }
    }
}

impl fmt::Debug for Node<'_> {
    /// The path with `{}` for each id: ids stay out of logs, as in tracing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("path", &self.path.template())
            .finish_non_exhaustive()
    }
}
