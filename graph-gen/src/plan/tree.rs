//! The path tree of one API version: every template's path as edges from the service root
//! (`users`, a key, `messages`, a key), and what each node addresses.
//!
//! A template's segments become steps: a literal segment (`users`, `mailFolders`), a key
//! (`{id}`, `{id | userPrincipalName}`), a cast (`microsoft.graph.group`), a function call
//! (`reminderView(startDateTime={start},…)`, `delta()`), a path address (`root:/{item-path}:`),
//! or one of `$value`, `$ref`, `$count`. Nodes are shared by the templates that reach them, so
//! `/users/{id}/messages` and `/users/{user-id}/messages` are one node.

use crate::ir::{Piece, Segment};

/// What one step of a path is, as nodes compare it (literals and names in lower case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum EdgeKey {
    /// A literal segment.
    Literal(String),
    /// A key of the collection before it.
    Key,
    /// A cast to a derived type.
    Cast(String),
    /// A function or action call with arguments, by name and argument names.
    Function(String, Vec<String>),
    /// An item addressed by its path (`root:/{path}:`, or `{id}:/{path}:`), by its anchor.
    ItemPath(Option<String>),
    /// `$value`, or `content`: the entity's content as bytes.
    Value,
    /// `$ref`: the reference to the entity, not the entity.
    Ref,
    /// `$count`.
    Count,
}

/// One step of a template's path: what it is, the text it adds to the request path, and the
/// parameters it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) key: EdgeKey,
    /// The text the step adds to the request path, `/` first but for a path address right
    /// after a key (`{id}` then `:/{path}:`).
    pub(crate) pieces: Vec<Piece>,
    /// The literal name (`mailFolders`, `reminderView`, `microsoft.graph.group`), as written.
    pub(crate) name: String,
}

impl Step {
    /// The parameters the step takes, in order.
    pub(crate) fn parameters(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Parameter(name) => Some(name.as_str()),
            Piece::Literal(_) => None,
        })
    }
}

/// The steps of a template path.
pub(crate) fn steps(segments: &[Segment]) -> Vec<Step> {
    let mut steps = Vec::with_capacity(segments.len());
    let mut at = 0;
    while at < segments.len() {
        let pieces = segments[at].pieces();
        // `root:` then `{item-path}:`: one step, the item at that path below the anchor.
        if let (Some(anchor), Some(next)) = (segments[at].literal(), segments.get(at + 1)) {
            if let Some(anchor) = anchor.strip_suffix(':').filter(|a| !a.is_empty()) {
                if is_addressed(next.pieces()) {
                    let mut pieces = vec![Piece::Literal(format!("/{anchor}:/"))];
                    pieces.extend(next.pieces().iter().cloned());
                    steps.push(Step {
                        key: EdgeKey::ItemPath(Some(anchor.to_ascii_lowercase())),
                        pieces,
                        name: anchor.to_owned(),
                    });
                    at += 2;
                    continue;
                }
            }
        }
        // `{parent-id}:` then `{file-name}:`: a key, then the item at a path below it.
        if is_addressed(pieces)
            && segments
                .get(at + 1)
                .is_some_and(|next| is_addressed(next.pieces()))
        {
            steps.push(Step {
                key: EdgeKey::Key,
                pieces: slash(pieces[..1].to_vec()),
                name: String::new(),
            });
            let mut address = vec![Piece::Literal(":/".to_owned())];
            address.extend(segments[at + 1].pieces().iter().cloned());
            steps.push(Step {
                key: EdgeKey::ItemPath(None),
                pieces: address,
                name: String::new(),
            });
            at += 2;
            continue;
        }
        steps.push(step(pieces));
        at += 1;
    }
    steps
}

/// `{name}:`: a parameter that ends a path address.
fn is_addressed(pieces: &[Piece]) -> bool {
    matches!(pieces, [Piece::Parameter(_), Piece::Literal(colon)] if colon == ":")
}

/// `pieces` after a `/`.
fn slash(mut pieces: Vec<Piece>) -> Vec<Piece> {
    match pieces.first_mut() {
        Some(Piece::Literal(text)) => text.insert(0, '/'),
        _ => pieces.insert(0, Piece::Literal("/".to_owned())),
    }
    pieces
}

fn step(pieces: &[Piece]) -> Step {
    let owned = slash(pieces.to_vec());
    match pieces {
        [Piece::Parameter(_)] => Step {
            key: EdgeKey::Key,
            pieces: owned,
            name: String::new(),
        },
        [Piece::Literal(text)] => literal_step(text, owned),
        [Piece::Literal(head), ..] if head.contains('(') => function_step(head, owned),
        _ => {
            // Text and parameters mixed some other way: named by its literal text.
            let name: String = pieces
                .iter()
                .filter_map(|piece| match piece {
                    Piece::Literal(text) => Some(text.as_str()),
                    Piece::Parameter(_) => None,
                })
                .collect();
            Step {
                key: EdgeKey::Function(name.to_ascii_lowercase(), Vec::new()),
                pieces: owned,
                name,
            }
        }
    }
}

fn literal_step(text: &str, pieces: Vec<Piece>) -> Step {
    let lower = text.to_ascii_lowercase();
    let key = match lower.as_str() {
        "$value" | "content" => EdgeKey::Value,
        "$ref" => EdgeKey::Ref,
        "$count" => EdgeKey::Count,
        _ if lower.starts_with("microsoft.graph.") && !lower.contains('(') => {
            EdgeKey::Cast(lower.clone())
        }
        _ if text.contains('(') => return function_step(text, pieces),
        _ => EdgeKey::Literal(lower),
    };
    Step {
        key,
        pieces,
        name: text.to_owned(),
    }
}

/// `reminderView(startDateTime={s},endDateTime={e})`, `delta()`, `getCounts(period='D7')`:
/// a call by name; its arguments are the `name=` before each value.
fn function_step(head: &str, pieces: Vec<Piece>) -> Step {
    let name = head.split('(').next().unwrap_or(head).to_owned();
    let text: String = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Literal(text) => text.as_str(),
            Piece::Parameter(_) => "{}",
        })
        .collect();
    let inside = text
        .split_once('(')
        .map_or("", |(_, rest)| rest.trim_end_matches(')'));
    let arguments: Vec<String> = inside
        .split(',')
        .filter_map(|argument| argument.split_once('='))
        .map(|(key, _)| key.trim().to_ascii_lowercase())
        .collect();
    Step {
        key: EdgeKey::Function(name.to_ascii_lowercase(), arguments),
        pieces,
        name,
    }
}

/// A node of the tree.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) parent: Option<usize>,
    /// The edge from the parent; `None` for the root.
    pub(crate) edge: Option<Step>,
    /// Children by edge, in the order first seen.
    pub(crate) children: Vec<(EdgeKey, usize)>,
}

/// The tree of one version's templates.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<Node>,
    index: std::collections::HashMap<(usize, EdgeKey), usize>,
}

impl Tree {
    pub(crate) fn new() -> Tree {
        Tree {
            nodes: vec![Node {
                parent: None,
                edge: None,
                children: Vec::new(),
            }],
            index: std::collections::HashMap::new(),
        }
    }

    /// The node `steps` reach from the root, made as needed; the nodes along the way, root
    /// first.
    pub(crate) fn insert(&mut self, steps: &[Step]) -> Vec<usize> {
        let mut path = vec![0];
        let mut at = 0;
        for step in steps {
            let key = (at, step.key.clone());
            at = if let Some(&child) = self.index.get(&key) {
                child
            } else {
                let child = self.nodes.len();
                self.nodes.push(Node {
                    parent: Some(at),
                    edge: Some(step.clone()),
                    children: Vec::new(),
                });
                self.nodes[at].children.push((step.key.clone(), child));
                self.index.insert(key, child);
                child
            };
            path.push(at);
        }
        path
    }

    /// The step that leads to `node` (`None` for the root).
    pub(crate) fn edge(&self, node: usize) -> Option<&Step> {
        self.nodes[node].edge.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::PathTemplate;

    fn keys(path: &str) -> Vec<EdgeKey> {
        steps(PathTemplate::parse(path).segments())
            .into_iter()
            .map(|step| step.key)
            .collect()
    }

    #[test]
    fn segments_become_steps() {
        use EdgeKey::{Cast, Count, Function, ItemPath, Key, Literal, Ref, Value};
        let literal = |text: &str| Literal(text.into());
        assert_eq!(
            keys("/users/{id}/mailFolders/{id2}/messages"),
            [
                literal("users"),
                Key,
                literal("mailfolders"),
                Key,
                literal("messages")
            ]
        );
        assert_eq!(
            keys("/me/drive/root:/{item-path}:/content"),
            [
                literal("me"),
                literal("drive"),
                ItemPath(Some("root".into())),
                Value
            ]
        );
        assert_eq!(
            keys("/groups/{id}/members/microsoft.graph.user/$count"),
            [
                literal("groups"),
                Key,
                literal("members"),
                Cast("microsoft.graph.user".into()),
                Count
            ]
        );
        assert_eq!(
            keys(
                "/users/{id}/reminderView(startDateTime={startDateTime},endDateTime={endDateTime})"
            ),
            [
                literal("users"),
                Key,
                Function(
                    "reminderview".into(),
                    vec!["startdatetime".into(), "enddatetime".into()]
                )
            ]
        );
        assert_eq!(
            keys("/me/drive/root/delta()"),
            [
                literal("me"),
                literal("drive"),
                literal("root"),
                Function("delta".into(), vec![])
            ]
        );
        assert_eq!(
            keys("/groups/{id}/members/$ref"),
            [literal("groups"), Key, literal("members"), Ref]
        );
        assert_eq!(
            keys("/me/photo/$value"),
            [literal("me"), literal("photo"), Value]
        );
    }

    #[test]
    fn templates_share_nodes() {
        let mut tree = Tree::new();
        let a = tree.insert(&steps(
            PathTemplate::parse("/users/{id}/messages").segments(),
        ));
        let b = tree.insert(&steps(
            PathTemplate::parse("/Users/{user-id}/messages").segments(),
        ));
        assert_eq!(a, b);
        let c = tree.insert(&steps(PathTemplate::parse("/users/{id}").segments()));
        assert_eq!(c, a[..3]);
        assert_eq!(tree.nodes.len(), 4);
    }
}
