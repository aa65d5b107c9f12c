//! [`RouteTree`]: templates by literal segment, for the mock.

use rustc_hash::FxHashMap;

use super::{function_call_of, glob, PathPattern, Piece, Specificity};

/// Templates in a tree keyed by literal segments, so that finding a request's templates costs
/// what its path holds, not how many templates the docs have.
///
/// Each node keeps its child segments three ways: whole literals (`users`) in a map; segments
/// opening with a literal name and `(` or `:` (`getEmailActivity(period='{p}')`, `root:/{path}:`)
/// in a map by that name; and the rest (`{id}`), which are few per node, in a list to try.
/// A lookup finds exactly what [`PathPattern::matches`] over every template would.
#[derive(Debug, Clone)]
pub struct RouteTree<T> {
    nodes: Vec<Node>,
    values: Vec<T>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    /// Children by a whole literal segment without `(`, lower-cased.
    exact: FxHashMap<String, usize>,
    /// Other child segments: their pieces, literal length, whether all literal, and node.
    patterns: Vec<Edge>,
    /// Indexes into `patterns` by the name before the segment's first `(` or `:`.
    by_head: FxHashMap<String, Vec<usize>>,
    /// Indexes into `patterns` without such a name (`{id}`, `{hostname}:`).
    unkeyed: Vec<usize>,
    /// Values of the templates ending here, by index into `values`.
    ends: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Edge {
    pieces: Vec<Piece>,
    literal_chars: usize,
    all_literal: bool,
    child: usize,
}

impl<T> Default for RouteTree<T> {
    fn default() -> Self {
        RouteTree {
            nodes: vec![Node::default()],
            values: Vec::new(),
        }
    }
}

impl<T> RouteTree<T> {
    /// How many templates were inserted.
    pub fn template_count(&self) -> usize {
        self.values.len()
    }

    /// Adds the template `pattern` answering with `value`; earlier values win ties.
    pub fn insert(&mut self, pattern: &PathPattern, value: T) {
        let mut node = 0;
        for pieces in &pattern.segments {
            node = match pieces.as_slice() {
                [Piece::Literal(text)] if !text.contains('(') => {
                    if let Some(&child) = self.nodes[node].exact.get(text) {
                        child
                    } else {
                        let child = self.new_node();
                        self.nodes[node].exact.insert(text.clone(), child);
                        child
                    }
                }
                _ => self.pattern_child(node, pieces),
            };
        }
        self.nodes[node].ends.push(self.values.len());
        self.values.push(value);
    }

    fn new_node(&mut self) -> usize {
        self.nodes.push(Node::default());
        self.nodes.len() - 1
    }

    /// The child of `node` for the non-literal segment `pieces`, made if new.
    fn pattern_child(&mut self, node: usize, pieces: &[Piece]) -> usize {
        if let Some(edge) = self.nodes[node]
            .patterns
            .iter()
            .find(|e| e.pieces == pieces)
        {
            return edge.child;
        }
        let child = self.new_node();
        let literal_chars = pieces
            .iter()
            .map(|piece| match piece {
                Piece::Literal(text) => text.len(),
                Piece::Wildcard => 0,
            })
            .sum();
        // The name is the same for every segment matching a literal that holds the delimiter.
        let head = match pieces.first() {
            Some(Piece::Literal(text)) if text.contains(['(', ':']) => Some(head(text).to_owned()),
            _ => None,
        };
        let parent = &mut self.nodes[node];
        let at = parent.patterns.len();
        parent.patterns.push(Edge {
            pieces: pieces.to_vec(),
            literal_chars,
            all_literal: pieces.iter().all(|p| matches!(p, Piece::Literal(_))),
            child,
        });
        match head {
            Some(head) => parent.by_head.entry(head).or_default().push(at),
            None => parent.unkeyed.push(at),
        }
        child
    }

    /// Every template matching `segments` (percent-decoded, as [`request_segments`] gives
    /// them), in insertion order, with how specifically it matches. `steps` counts the
    /// segment comparisons made, so tests can see that they do not grow with the tree.
    pub fn lookup(&self, segments: &[String], steps: &mut usize) -> Vec<(&T, Specificity)> {
        let lowered: Vec<String> = segments.iter().map(|s| s.to_lowercase()).collect();
        let mut found = Vec::new();
        let fit = Specificity {
            literal_segments: 0,
            literal_chars: 0,
        };
        self.walk(0, &lowered, fit, &mut found, steps);
        found.sort_by_key(|&(value, _)| value);
        found
            .into_iter()
            .map(|(value, fit)| (&self.values[value], fit))
            .collect()
    }

    fn walk(
        &self,
        node: usize,
        rest: &[String],
        fit: Specificity,
        found: &mut Vec<(usize, Specificity)>,
        steps: &mut usize,
    ) {
        let node = &self.nodes[node];
        let Some((segment, rest)) = rest.split_first() else {
            found.extend(node.ends.iter().map(|&value| (value, fit)));
            return;
        };
        let literal = |fit: Specificity, chars: usize| Specificity {
            literal_segments: fit.literal_segments + 1,
            literal_chars: fit.literal_chars + chars,
        };
        *steps += 1;
        if let Some(&child) = node.exact.get(segment.as_str()) {
            self.walk(child, rest, literal(fit, segment.len()), found, steps);
        }
        // `delta(token='…')` for the template segment `delta`.
        if let Some((name, _)) = segment.split_once('(') {
            *steps += 1;
            if let Some(&child) = node.exact.get(name) {
                if function_call_of(&[Piece::Literal(name.to_owned())], segment) {
                    self.walk(child, rest, literal(fit, name.len()), found, steps);
                }
            }
        }
        let keyed = node.by_head.get(head(segment)).into_iter().flatten();
        for &at in keyed.chain(&node.unkeyed) {
            *steps += 1;
            let edge = &node.patterns[at];
            if glob(&edge.pieces, segment) || function_call_of(&edge.pieces, segment) {
                let fit = Specificity {
                    literal_segments: fit.literal_segments + usize::from(edge.all_literal),
                    literal_chars: fit.literal_chars + edge.literal_chars,
                };
                self.walk(edge.child, rest, fit, found, steps);
            }
        }
    }
}

/// The text before the first `(` or `:`: the name of a function call or a colon address.
fn head(segment: &str) -> &str {
    segment.split(['(', ':']).next().unwrap_or(segment)
}
