//! The naming plan: every Rust name of the generated API, computed once from the IR, and the
//! shape of the API those names make.
//!
//! Per API version, the templates of every page form a path tree (see [`tree`]). Each node is
//! typed from the evidence the docs give (what a `GET` of it answers, the resource its pages
//! name, the navigation properties of its parent's type, keys and casts), and gets the
//! request builder of what it addresses: one builder per entity type (`UserRequest`) and one per
//! collection of a type (`UserCollectionRequest`), shared by every path that reaches the type;
//! a node the docs cannot type gets a builder of its own, with a warning. A node's children
//! are navigation methods of its builder (`messages()`, `by_id(…)`, `as_group()`,
//! `item_by_path(…)`); each template of each page becomes an operation method: `get`, `list`,
//! `create`, `update`, `delete`, `replace` by method and node, or the action or function it
//! calls (`create_link`, `reminder_view(…)`), or `content`, `count`, `add_ref`, …. Every page
//! also keeps one flat function, in its resource's module, for its canonical template.
//!
//! Names never depend on which other pages exist, except where two pages ask for one name in
//! one scope: the page that sorts first keeps it, the other is named after its title, with a
//! warning.

pub(crate) mod tree;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{ApiVersion, Ir, Method, Model, Operation};
use crate::naming::{self, UniqueNames};

use self::tree::{EdgeKey, Step, Tree};

/// The module of operations whose page title names no resource.
pub(crate) const UNGROUPED_MODULE: &str = "ungrouped";

/// The longest name the plan gives a function, method or parameter (names made from titles
/// are cut at a word before it).
pub(crate) const MAX_NAME: usize = 64;

/// The plan of every version of an IR.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) versions: Vec<VersionPlan>,
}

/// What a node of the tree addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Addressed {
    /// The qualified type name, spelled as its model (or as the docs write it).
    pub(crate) type_name: String,
    /// Whether the node is a collection of the type.
    pub(crate) collection: bool,
}

/// The plan of one version.
#[derive(Debug)]
pub(crate) struct VersionPlan {
    pub(crate) version: ApiVersion,
    pub(crate) tree: Tree,
    /// What each node addresses, and its builder, by node.
    pub(crate) nodes: Vec<NodePlan>,
    pub(crate) builders: Vec<Builder>,
    /// The version's operations, by their index in [`Ir::operations`].
    pub(crate) operations: BTreeMap<usize, OperationPlan>,
    /// The builder and method (index in its `methods`) serving each (operation, template).
    served: HashMap<(usize, usize), (usize, usize)>,
}

impl VersionPlan {
    /// The builders reachable from the root by navigations, in builder order: the ones to
    /// generate.
    pub(crate) fn reachable(&self) -> Vec<usize> {
        let root = self.nodes[0].builder;
        let mut seen = vec![false; self.builders.len()];
        let mut stack = vec![root];
        while let Some(builder) = stack.pop() {
            if std::mem::replace(&mut seen[builder], true) {
                continue;
            }
            stack.extend(self.builders[builder].navigations.iter().map(|n| n.target));
        }
        (0..self.builders.len()).filter(|&b| seen[b]).collect()
    }

    /// How `operation`'s flat function reaches its request, from the version's root, without
    /// arguments: `users().by_id().messages()` and the method, `list()`. What `diff` and the
    /// mock name an operation by.
    pub(crate) fn call_path(&self, operation: usize) -> Option<(String, String)> {
        let plan = self.operations.get(&operation)?;
        let mut chain = String::new();
        for link in &plan.chain {
            let navigation = &self.builders[link.builder].navigations[link.navigation];
            if !chain.is_empty() {
                chain.push('.');
            }
            chain.push_str(&navigation.name);
            chain.push_str("()");
        }
        let method = &self.builders[plan.builder].methods[plan.method];
        Some((chain, format!("{}()", method.name)))
    }
}

/// A node of the tree, typed.
#[derive(Debug, Clone)]
pub(crate) struct NodePlan {
    pub(crate) addressed: Option<Addressed>,
    pub(crate) builder: usize,
}

/// A request builder type.
#[derive(Debug, Clone)]
pub(crate) struct Builder {
    /// The type's name in the version's `requests` module.
    pub(crate) name: String,
    /// What it addresses; `None` for a builder of one path the docs cannot type.
    pub(crate) addressed: Option<Addressed>,
    /// The nodes it serves, in tree order.
    pub(crate) nodes: Vec<usize>,
    /// Navigation methods, by name.
    pub(crate) navigations: Vec<Navigation>,
    /// Operation methods, by name.
    pub(crate) methods: Vec<MethodPlan>,
}

/// A navigation method: a child of one of the builder's nodes.
#[derive(Debug, Clone)]
pub(crate) struct Navigation {
    pub(crate) name: String,
    /// The step it adds to the path.
    pub(crate) step: Step,
    /// The argument names of the step's parameters, in order.
    pub(crate) arguments: Vec<String>,
    /// The builder it returns.
    pub(crate) target: usize,
}

/// An operation method of a builder.
#[derive(Debug, Clone)]
pub(crate) struct MethodPlan {
    pub(crate) name: String,
    /// The operation (index in [`Ir::operations`]) and its templates that the method serves,
    /// the first being the one it sends; the others are other paths or query variants.
    pub(crate) operation: usize,
    pub(crate) templates: Vec<usize>,
    /// Other pages' templates that document the same request on this builder (same method,
    /// path shape and types), as (operation index, template index).
    pub(crate) also: Vec<(usize, usize)>,
    /// The step the method adds to the builder's path (an action, a function call, `$value`,
    /// `$ref`, `$count`), if any.
    pub(crate) step: Option<Step>,
    /// The argument names of that step's parameters and of the template's query parameters.
    pub(crate) arguments: Vec<String>,
}

/// One page's operation in the plan.
#[derive(Debug, Clone)]
pub(crate) struct OperationPlan {
    /// The resource module of its flat function (`user`).
    pub(crate) module: String,
    /// The flat function's name.
    pub(crate) function: String,
    /// The flat function's template (index in the operation's `http`).
    pub(crate) canonical: usize,
    /// How the flat function reaches the method: navigations from the root, each a method of
    /// the builder before it, with the flat function's argument names for its parameters.
    pub(crate) chain: Vec<Link>,
    /// The builder and method (index in its `methods`) that sends the request.
    pub(crate) builder: usize,
    pub(crate) method: usize,
    /// The flat function's arguments for the method's own parameters.
    pub(crate) method_arguments: Vec<String>,
    /// The earlier page (index in [`Ir::operations`]) whose flat function and items this page
    /// shares: both document the same request the same way (Intune repeats pages).
    pub(crate) same_as: Option<usize>,
}

/// One navigation of a flat function's chain.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    /// The builder the navigation is a method of, and its index there.
    pub(crate) builder: usize,
    pub(crate) navigation: usize,
    /// The flat function's argument names for the navigation's parameters.
    pub(crate) arguments: Vec<String>,
}

impl Plan {
    /// Plans every version of `ir`; naming conflicts are warnings in `cx`.
    pub(crate) fn new(ir: &Ir, cx: &Ctxt) -> Plan {
        let versions: BTreeSet<ApiVersion> = ir.operations.iter().map(|op| op.version).collect();
        Plan {
            versions: versions
                .into_iter()
                .map(|version| VersionPlan::new(ir, version, cx))
                .collect(),
        }
    }

    /// The plan of `version`, if it has operations.
    pub(crate) fn version(&self, version: ApiVersion) -> Option<&VersionPlan> {
        self.versions.iter().find(|plan| plan.version == version)
    }
}

/// One template placed in the tree.
struct Placed {
    operation: usize,
    template: usize,
    /// The nodes from the root to the builder node.
    path: Vec<usize>,
    /// The step the method adds, if the template's last step is an action, a call, …
    step: Option<Step>,
    /// The method's name before conflicts are settled.
    name: String,
}

impl VersionPlan {
    fn new(ir: &Ir, version: ApiVersion, cx: &Ctxt) -> VersionPlan {
        let operations: Vec<usize> = (0..ir.operations.len())
            .filter(|&index| ir.operations[index].version == version)
            .collect();
        let mut tree = Tree::new();
        let mut routes: Vec<(usize, usize, Vec<usize>, Vec<Step>)> = Vec::new();
        for &index in &operations {
            for (template_index, template) in ir.operations[index].http.iter().enumerate() {
                let steps = tree::steps(template.path.segments());
                let path = tree.insert(&steps);
                routes.push((index, template_index, path, steps));
            }
        }
        let models = Models::new(ir, version);
        let addressed = typing::type_nodes(&tree, ir, &routes, &models);
        let mut plan = VersionPlan {
            version,
            tree,
            nodes: Vec::new(),
            builders: Vec::new(),
            operations: BTreeMap::new(),
            served: HashMap::new(),
        };
        plan.assign_builders(&addressed);
        let place = |plan: &VersionPlan| -> Vec<Placed> {
            routes
                .iter()
                .map(|(operation, template, path, steps)| {
                    placement(
                        &ir.operations[*operation],
                        *operation,
                        *template,
                        path,
                        steps,
                        plan,
                    )
                })
                .collect()
        };
        let leaves = action_leaves(&plan.tree, &routes, &place(&plan));
        plan.navigations(&leaves);
        // Placed again: walking may have given a node another builder, and names say
        // whether it is a collection.
        let placed = place(&plan);
        plan.methods(ir, placed, cx);
        plan.flat_functions(ir, &operations, &models);
        plan.warn_untyped(ir, cx);
        plan
    }

    /// One builder per addressed type and collection-ness, one per untyped node with a path
    /// of its own; nodes get theirs.
    fn assign_builders(&mut self, addressed: &[Option<Addressed>]) {
        let mut by_type: HashMap<Addressed, usize> = HashMap::new();
        let mut names = UniqueNames::upper_camel();
        names.reserve("Root");
        // Typed builders claim their names first, so a path builder never renames one.
        let mut typed: Vec<&Addressed> = addressed.iter().flatten().collect();
        typed.sort();
        typed.dedup();
        for addressed in typed {
            let spelled = naming::type_name(&addressed.type_name);
            let mut name: String = spelled
                .namespace
                .iter()
                .map(|part| naming::upper_camel_case(part))
                .collect();
            name.push_str(&spelled.name);
            name.push_str(if addressed.collection {
                "CollectionRequest"
            } else {
                "Request"
            });
            by_type.insert(addressed.clone(), self.builders.len());
            self.builders.push(Builder {
                name: names.claim(&name),
                addressed: Some(addressed.clone()),
                nodes: Vec::new(),
                navigations: Vec::new(),
                methods: Vec::new(),
            });
        }
        for (node, addressed) in addressed.iter().enumerate() {
            let builder = if let Some(addressed) = addressed {
                by_type[addressed]
            } else {
                let name = if node == 0 {
                    "Root".to_owned()
                } else {
                    names.claim(&format!("{}PathRequest", self.path_name(node)))
                };
                self.builders.push(Builder {
                    name,
                    addressed: None,
                    nodes: Vec::new(),
                    navigations: Vec::new(),
                    methods: Vec::new(),
                });
                self.builders.len() - 1
            };
            self.builders[builder].nodes.push(node);
            self.nodes.push(NodePlan {
                addressed: addressed.clone(),
                builder,
            });
        }
    }

    /// `AdminServiceAnnouncement` for `/admin/serviceAnnouncement`: the literal steps of a path.
    fn path_name(&self, node: usize) -> String {
        let mut parts = Vec::new();
        let mut at = Some(node);
        while let Some(current) = at {
            if let Some(step) = self.tree.edge(current) {
                if step.name.is_empty() {
                    parts.push("Item".to_owned());
                } else {
                    parts.push(naming::upper_camel_case(
                        step.name.rsplit('.').next().unwrap_or(""),
                    ));
                }
            }
            at = self.tree.nodes[current].parent;
        }
        parts.reverse();
        let name: String = parts.concat();
        if name.is_empty() {
            "Unnamed".to_owned()
        } else {
            name
        }
    }

    /// Each builder's navigations, and the builder each node is reached with.
    ///
    /// Nodes typed alike share a builder, so a builder's navigation by one step leads to one
    /// builder whichever node it starts from: the one most of those children are typed with
    /// (typed before untyped, then the first). Walking the tree from the root with these
    /// navigations decides each node's builder, so every request a page documents is
    /// reachable, on the builder its path gives. The children only reached to send an action,
    /// a call, `$value`, … are methods of the builder, not navigations.
    fn navigations(&mut self, leaves: &BTreeSet<usize>) {
        let count = self.tree.nodes.len();
        let method_step = |node: usize, key: &EdgeKey| {
            matches!(key, EdgeKey::Value | EdgeKey::Ref | EdgeKey::Count) || leaves.contains(&node)
        };
        // (parent's builder, step) → (untyped, child's builder) → children.
        let mut votes: HashMap<(usize, EdgeKey), BTreeMap<(bool, usize), usize>> = HashMap::new();
        for node in 1..count {
            let (Some(parent), Some(step)) = (self.tree.nodes[node].parent, self.tree.edge(node))
            else {
                continue;
            };
            if method_step(node, &step.key) {
                continue;
            }
            let builder = self.nodes[node].builder;
            let untyped = self.builders[builder].addressed.is_none();
            *votes
                .entry((self.nodes[parent].builder, step.key.clone()))
                .or_default()
                .entry((untyped, builder))
                .or_default() += 1;
        }
        let winner = |votes: &BTreeMap<(bool, usize), usize>| {
            votes
                .iter()
                .max_by_key(|&(&(untyped, builder), &children)| {
                    (!untyped, children, std::cmp::Reverse(builder))
                })
                .map(|(&(_, builder), _)| builder)
        };
        // Parents come before their children in the tree, so one pass in node order walks it.
        let mut walked: Vec<usize> = self.nodes.iter().map(|node| node.builder).collect();
        let mut targets: BTreeMap<(usize, EdgeKey), (usize, Step, usize)> = BTreeMap::new();
        for node in 1..count {
            let (Some(parent), Some(step)) = (self.tree.nodes[node].parent, self.tree.edge(node))
            else {
                continue;
            };
            if method_step(node, &step.key) {
                continue;
            }
            let from = walked[parent];
            let key = (from, step.key.clone());
            let (target, _, _) = targets.entry(key.clone()).or_insert_with(|| {
                let target = votes
                    .get(&key)
                    .and_then(winner)
                    .unwrap_or(self.nodes[node].builder);
                (target, step.clone(), parent)
            });
            walked[node] = *target;
        }
        for builder in &mut self.builders {
            builder.nodes.clear();
            builder.navigations.clear();
        }
        for (node, builder) in walked.into_iter().enumerate() {
            self.nodes[node].builder = builder;
            self.nodes[node]
                .addressed
                .clone_from(&self.builders[builder].addressed);
            self.builders[builder].nodes.push(node);
        }
        // Named per builder, literal steps first (`messages` before a `messages()` call), in
        // step order: a name never depends on which page came first.
        let mut by_builder: BTreeMap<usize, Vec<(EdgeKey, usize, Step, usize)>> = BTreeMap::new();
        for ((builder, key), (target, step, parent)) in targets {
            by_builder
                .entry(builder)
                .or_default()
                .push((key, target, step, parent));
        }
        for (builder, mut steps) in by_builder {
            steps.sort_by(|a, b| {
                let literal = |key: &EdgeKey| !matches!(key, EdgeKey::Literal(_));
                (literal(&a.0), &a.0).cmp(&(literal(&b.0), &b.0))
            });
            let mut names = UniqueNames::snake();
            let addressed = self.builders[builder].addressed.clone();
            self.builders[builder].navigations = steps
                .into_iter()
                .map(|(_, target, step, parent)| Navigation {
                    name: navigation_name(&step, &mut names),
                    arguments: arguments(&step, addressed.as_ref(), &self.tree, parent),
                    step,
                    target,
                })
                .collect();
        }
    }

    /// Each template's operation method on the builder of the node it acts on; requests the
    /// same on one builder share a method, other pages asking for a taken name get one from
    /// their title.
    fn methods(&mut self, ir: &Ir, placed: Vec<Placed>, cx: &Ctxt) {
        // A page on its resource's own type claims first (`Delete application` keeps
        // `delete` on an application), then source order.
        let mut placed = placed;
        let own = |place: &Placed| {
            let node = *place.path.last().unwrap_or(&0);
            !is_resource_type(
                &ir.operations[place.operation],
                self.nodes[node].addressed.as_ref(),
            )
        };
        placed.sort_by(|a, b| {
            let (x, y) = (&ir.operations[a.operation], &ir.operations[b.operation]);
            (own(a), &x.source, a.template).cmp(&(own(b), &y.source, b.template))
        });
        let mut scopes: Vec<UniqueNames> = self
            .builders
            .iter()
            .map(|builder| {
                let mut names = UniqueNames::snake();
                for navigation in &builder.navigations {
                    names.reserve(&navigation.name);
                }
                names
            })
            .collect();
        // Each builder's methods by the name their request asked for.
        let mut by_wanted: HashMap<(usize, String), Vec<usize>> = HashMap::new();
        for place in placed {
            let node = *place.path.last().unwrap_or(&0);
            let builder = self.nodes[node].builder;
            let operation = &ir.operations[place.operation];
            let template = &operation.http[place.template];
            // The same page again (another path to the same builder, or a query variant).
            let asking = by_wanted.entry((builder, place.name.clone())).or_default();
            let methods = &mut self.builders[builder].methods;
            if let Some(&existing) = asking
                .iter()
                .find(|&&m| methods[m].operation == place.operation)
            {
                methods[existing].templates.push(place.template);
                continue;
            }
            // Another page documenting the same request on this builder.
            if let Some(&existing) = asking.iter().find(|&&m| {
                let m = &methods[m];
                same_request(
                    &ir.operations[m.operation],
                    m.templates[0],
                    m.step.as_ref().map(|step| &step.key),
                    operation,
                    place.template,
                    place.step.as_ref().map(|step| &step.key),
                )
            }) {
                methods[existing]
                    .also
                    .push((place.operation, place.template));
                continue;
            }
            asking.push(methods.len());
            let scope = &mut scopes[builder];
            let name = if scope.is_taken(&place.name) {
                let name = titled(scope, operation, &place.name);
                cx.push(
                    Diagnostic::warning(
                        &template.source,
                        format!(
                            "`{} {}` would be `{}` on `{}`, which another page's request has; it is `{name}` instead, after the page title",
                            template.method,
                            template.path,
                            place.name,
                            self.builders[builder].name
                        ),
                    )
                    .with_help("give the pages titles that say how their requests differ"),
                );
                name
            } else {
                scope.claim(&place.name);
                place.name.clone()
            };
            let arguments = method_arguments(place.step.as_ref(), template);
            self.builders[builder].methods.push(MethodPlan {
                name,
                operation: place.operation,
                templates: vec![place.template],
                also: Vec::new(),
                step: place.step,
                arguments,
            });
        }
        for (builder, plan) in self.builders.iter().enumerate() {
            for (index, method) in plan.methods.iter().enumerate() {
                let templates = method.templates.iter().map(|&t| (method.operation, t));
                for served in templates.chain(method.also.iter().copied()) {
                    self.served.entry(served).or_insert((builder, index));
                }
            }
        }
    }

    /// One flat function per page, in its resource module, for its canonical template.
    fn flat_functions(&mut self, ir: &Ir, operations: &[usize], models: &Models<'_>) {
        let mut scopes: HashMap<String, UniqueNames> = HashMap::new();
        // The flat function of each request already made: a page documenting the same request
        // as an earlier one in its module shares its function.
        let mut functions: HashMap<(String, usize, usize, String), (usize, String)> =
            HashMap::new();
        // Pages on their resource's own type claim their names first.
        let mut ordered = operations.to_vec();
        ordered.sort_by_cached_key(|&index| {
            let operation = &ir.operations[index];
            let on_own = canonical_template(operation)
                .and_then(|template| self.method_of(index, template))
                .is_some_and(|(builder, _)| {
                    is_resource_type(operation, self.builders[builder].addressed.as_ref())
                });
            (
                operation_module(operation),
                !on_own,
                operation.source.clone(),
            )
        });
        for index in ordered {
            let operation = &ir.operations[index];
            let Some(canonical) = canonical_template(operation) else {
                continue;
            };
            let Some((builder, method)) = self.method_of(index, canonical) else {
                continue;
            };
            let template = &operation.http[canonical];
            let steps = tree::steps(template.path.segments());
            let mut names = UniqueNames::snake();
            names.reserve("client");
            names.reserve("body");
            // The method's own step (an action, a call, `$value`) is the method's, not a link.
            let own_step = self.builders[builder].methods[method].step.is_some();
            let chain = self.chain(&steps[..steps.len() - usize::from(own_step)], &mut names);
            let method_plan = &self.builders[builder].methods[method];
            let method_arguments = method_plan
                .arguments
                .iter()
                .map(|argument| unique_or_numbered(&mut names, argument))
                .collect();
            let module = operation_module(operation);
            let key = (module.clone(), builder, method, template.path.shape());
            // Pages sharing a function share its query marker too, so their options must agree.
            let shared = functions.get(&key).filter(|(first, _)| {
                ir.operations[*first].query_options == operation.query_options
            });
            if let Some(&(first, ref function)) = shared {
                let function: String = function.clone();
                self.operations.insert(
                    index,
                    OperationPlan {
                        module,
                        function,
                        canonical,
                        chain,
                        builder,
                        method,
                        method_arguments,
                        same_as: Some(first),
                    },
                );
                continue;
            }
            let scope = scopes
                .entry(module.clone())
                .or_insert_with(UniqueNames::snake);
            let wanted = self.flat_name(operation, &steps, builder, &method_plan.name, models);
            // Pages of one resource often ask for one verb (`delete` of a group and of its
            // owner): the later is named after its title, which says what it does.
            let function = if scope.is_taken(&wanted) {
                titled(scope, operation, &wanted)
            } else {
                scope.claim(&wanted);
                wanted
            };
            functions.insert(key, (index, function.clone()));
            self.operations.insert(
                index,
                OperationPlan {
                    module,
                    function,
                    canonical,
                    chain,
                    builder,
                    method,
                    method_arguments,
                    same_as: None,
                },
            );
        }
    }

    /// A flat function's name: its method's, and for a standard request on what the page's
    /// resource navigates to (`group: list members` at `/groups/{id}/members`), the navigation
    /// too (`list_members`): in the resource's module, `list` alone would say groups.
    fn flat_name(
        &self,
        operation: &Operation,
        steps: &[Step],
        builder: usize,
        method: &str,
        models: &Models<'_>,
    ) -> String {
        const STANDARD: &[&str] = &[
            "get",
            "list",
            "create",
            "update",
            "delete",
            "replace",
            "count",
            "content",
            "set_content",
            "delete_content",
            "add_ref",
            "remove_ref",
            "get_ref",
            "list_refs",
            "set_ref",
        ];
        if !STANDARD.contains(&method) {
            return method.to_owned();
        }
        let namespace = operation.namespace.as_deref().unwrap_or("microsoft.graph");
        let resource = operation
            .resource
            .as_deref()
            .and_then(|resource| models.get(&format!("{namespace}.{resource}")));
        let addressed = self.builders[builder].addressed.as_ref();
        let same = match (resource, addressed) {
            (Some(model), Some(addressed)) => model.name.eq_ignore_ascii_case(&addressed.type_name),
            _ => true,
        };
        if same {
            return method.to_owned();
        }
        let navigation = steps.iter().rev().find_map(|step| match step.key {
            EdgeKey::Literal(_) => Some(step.name.as_str()),
            _ => None,
        });
        match navigation {
            Some(navigation) => shorten(&format!("{method}_{}", naming::snake_case(navigation))),
            None => method.to_owned(),
        }
    }

    /// The operation whose items (query marker, body struct) `operation`'s requests use: the
    /// page whose flat function it shares, or itself.
    pub(crate) fn items_of(&self, operation: usize) -> usize {
        self.operations
            .get(&operation)
            .and_then(|plan| plan.same_as)
            .unwrap_or(operation)
    }

    /// The builder and method serving template `template` of operation `operation`.
    pub(crate) fn method_of(&self, operation: usize, template: usize) -> Option<(usize, usize)> {
        self.served.get(&(operation, template)).copied()
    }

    /// The navigations from the root along `steps` up to the method's node, with argument names
    /// claimed in `names`.
    fn chain(&self, steps: &[Step], names: &mut UniqueNames) -> Vec<Link> {
        let mut links = Vec::new();
        let mut node = 0;
        for step in steps {
            let Some(&(_, child)) = self.tree.nodes[node]
                .children
                .iter()
                .find(|(key, _)| *key == step.key)
            else {
                break;
            };
            let builder = self.nodes[node].builder;
            let Some(navigation) = self.builders[builder]
                .navigations
                .iter()
                .position(|navigation| navigation.step.key == step.key)
            else {
                // The method's own step (an action, a call, `$value`): not a navigation.
                break;
            };
            // Named from this path (`…/accessPackages/{id}/incompatibleAccessPackages/{id}`:
            // `access_package_id`, `incompatible_access_package_id`).
            let arguments = arguments(step, None, &self.tree, node)
                .iter()
                .map(|argument| unique_or_numbered(names, argument))
                .collect();
            links.push(Link {
                builder,
                navigation,
                arguments,
            });
            node = child;
        }
        links
    }

    /// A warning for each untyped node a page's request acts on: its builder serves that path
    /// only.
    fn warn_untyped(&self, ir: &Ir, cx: &Ctxt) {
        for builder in &self.builders {
            if builder.addressed.is_some() || builder.methods.is_empty() {
                continue;
            }
            let Some(method) = builder.methods.first() else {
                continue;
            };
            let operation = &ir.operations[method.operation];
            let template = &operation.http[method.templates[0]];
            cx.push(
                Diagnostic::warning(
                    &template.source,
                    format!(
                        "the docs do not say what `{}` addresses; its requests are on `{}`, a builder of that path alone",
                        template.path, builder.name
                    ),
                )
                .with_help("add the resource page of the type, or a `GET` page answering with it"),
            );
        }
    }
}

/// The nodes that templates only reach to send their last step as a method of the node
/// before (`…/reprocessLicenseAssignment`): no request acts on them and nothing is below them.
fn action_leaves(
    tree: &Tree,
    routes: &[(usize, usize, Vec<usize>, Vec<Step>)],
    placed: &[Placed],
) -> BTreeSet<usize> {
    let mut acted_on: BTreeSet<usize> = BTreeSet::new();
    let mut leaves: BTreeSet<usize> = BTreeSet::new();
    for ((_, _, path, _), place) in routes.iter().zip(placed) {
        let last = *path.last().unwrap_or(&0);
        if place.step.is_some() {
            leaves.insert(last);
        } else {
            acted_on.insert(last);
        }
    }
    leaves
        .into_iter()
        .filter(|node| !acted_on.contains(node) && tree.nodes[*node].children.is_empty())
        .collect()
}

/// Where a template's request goes: the builder node and the method's name and step.
fn placement(
    operation: &Operation,
    index: usize,
    template: usize,
    path: &[usize],
    steps: &[Step],
    plan: &VersionPlan,
) -> Placed {
    let method = operation.http[template].method;
    let last = steps.last();
    let parent_path = || path[..path.len().saturating_sub(1)].to_vec();
    let is_collection = |node: usize| {
        plan.nodes[node]
            .addressed
            .as_ref()
            .is_some_and(|addressed| addressed.collection)
    };
    let own = |name: String| Placed {
        operation: index,
        template,
        path: path.to_vec(),
        step: None,
        name,
    };
    let on_parent = |name: String, step: &Step| Placed {
        operation: index,
        template,
        path: parent_path(),
        step: Some(step.clone()),
        name,
    };
    match last.map(|step| &step.key) {
        Some(EdgeKey::Function(..)) => {
            let step = last.expect("a last step");
            on_parent(action_name(&step.name), step)
        }
        Some(EdgeKey::Literal(literal))
            if path.len() > 2 && literal.eq_ignore_ascii_case(&operation.name) =>
        {
            let step = last.expect("a last step");
            on_parent(action_name(&step.name), step)
        }
        Some(EdgeKey::Value) => {
            let name = match method {
                Method::Get => "content",
                Method::Delete => "delete_content",
                _ => "set_content",
            };
            on_parent(name.to_owned(), last.expect("a last step"))
        }
        Some(EdgeKey::Ref) => {
            let parent = path[path.len().saturating_sub(2)];
            let name = match method {
                Method::Get if is_collection(parent) => "list_refs",
                Method::Get => "get_ref",
                Method::Post => "add_ref",
                Method::Put | Method::Patch => "set_ref",
                Method::Delete => "remove_ref",
            };
            on_parent(name.to_owned(), last.expect("a last step"))
        }
        Some(EdgeKey::Count) => on_parent("count".to_owned(), last.expect("a last step")),
        _ => {
            let node = *path.last().unwrap_or(&0);
            let name = match method {
                Method::Get if is_collection(node) => "list".to_owned(),
                Method::Get => "get".to_owned(),
                Method::Post if is_collection(node) || node == 0 => "create".to_owned(),
                Method::Post => action_name(&operation.name),
                Method::Patch => "update".to_owned(),
                Method::Put => "replace".to_owned(),
                Method::Delete => "delete".to_owned(),
            };
            own(name)
        }
    }
}

/// `createLink` → `create_link`; cut to [`MAX_NAME`].
fn action_name(name: &str) -> String {
    shorten(&naming::snake_case(name))
}

/// The name of a navigation method for `step`, claimed in `names`: a function call that
/// shares its name with another (`range()` and `range(address=…)`) is named with its
/// arguments (`range_address`), an address (`root:`) as one.
fn navigation_name(step: &Step, names: &mut UniqueNames) -> String {
    let name = shorten(&match &step.key {
        EdgeKey::Key => "by_id".to_owned(),
        // The page's spelling keeps the word breaks the key folds away (`fileAttachment`).
        EdgeKey::Cast(_) => format!(
            "as_{}",
            naming::snake_case(step.name.rsplit('.').next().unwrap_or(&step.name))
        ),
        EdgeKey::ItemPath(_) => "item_by_path".to_owned(),
        _ => naming::snake_case(&step.name),
    });
    if names.is_taken(&name) {
        let qualified = match &step.key {
            EdgeKey::Function(_, arguments) if !arguments.is_empty() => Some(format!(
                "{name}_{}",
                naming::snake_case(&arguments.join("_"))
            )),
            EdgeKey::Literal(literal) if literal.ends_with(':') => Some(format!("{name}_address")),
            EdgeKey::Function(..) => Some(format!("{name}_function")),
            _ => None,
        };
        if let Some(qualified) = qualified.map(|q| shorten(&q)) {
            if !names.is_taken(&qualified) {
                names.claim(&qualified);
                return qualified;
            }
        }
    }
    unique_or_numbered(names, &name)
}

/// The argument names of a navigation's parameters: a key is named after the collection it
/// is a key of (`messages/{id}` → `message_id`), or the placeholder's own name when it says more
/// than `id`; other parameters by their names.
fn arguments(
    step: &Step,
    addressed: Option<&Addressed>,
    tree: &Tree,
    parent: usize,
) -> Vec<String> {
    match step.key {
        // A builder of a collection of a type, whichever path reached it: its keys are the
        // type's (`UserCollectionRequest::by_id(user_id)`).
        EdgeKey::Key if addressed.is_some_and(|addressed| addressed.collection) => {
            let placeholder = step.parameters().next().unwrap_or("id");
            let short = addressed.map_or("", |a| a.type_name.rsplit('.').next().unwrap_or(""));
            vec![key_name(placeholder, short)]
        }
        EdgeKey::Key => {
            let placeholder = step.parameters().next().unwrap_or("id");
            // The collection the key is of: the nearest step with a name (`messages`, a cast).
            let mut at = Some(parent);
            let mut collection = "";
            while let Some(node) = at {
                match tree.edge(node) {
                    Some(edge) if !edge.name.is_empty() => {
                        collection = edge.name.as_str();
                        break;
                    }
                    _ => at = tree.nodes[node].parent,
                }
            }
            vec![key_name(placeholder, collection)]
        }
        EdgeKey::ItemPath(_) => vec!["path".to_owned()],
        _ => step
            .parameters()
            .map(|parameter| shorten(&naming::snake_case(parameter)))
            .collect(),
    }
}

/// `id` under `messages` → `message_id`, and so are `{message-id}` and `{id2}`; a key named
/// otherwise keeps its name (`hostname`).
fn key_name(placeholder: &str, collection: &str) -> String {
    let snake = naming::snake_case(placeholder.split('|').next().unwrap_or(placeholder));
    let generic = snake == "id"
        || snake.ends_with("_id")
        || snake.starts_with("id") && snake[2..].chars().all(|c| c.is_ascii_digit());
    if generic && !collection.is_empty() {
        let singular = crate::infer::singular(collection.rsplit('.').next().unwrap_or(collection));
        return shorten(&format!("{}_id", naming::snake_case(&singular)));
    }
    shorten(&snake)
}

/// The argument names of a method's own step and of its template's query placeholders.
///
/// Names repeated within one method are numbered: a step with two parameters of one name.
fn method_arguments(step: Option<&Step>, template: &crate::ir::HttpTemplate) -> Vec<String> {
    let mut names = UniqueNames::snake();
    names.reserve("client");
    names.reserve("body");
    let from_step = step
        .into_iter()
        .flat_map(Step::parameters)
        .map(str::to_owned);
    // A query parameter is named by its key (`?startDateTime={start}`, `?$id={id}`).
    let from_query = template
        .query
        .iter()
        .filter(|pair| pair.parameter.is_some())
        .map(|pair| pair.key.trim_start_matches('$').to_owned());
    from_step
        .chain(from_query)
        .map(|parameter| unique_or_numbered(&mut names, &shorten(&naming::snake_case(&parameter))))
        .collect()
}

/// A name after the page title, claimed in `scope`: without its `resource:` prefix, else with
/// it (`directory_object_check_member_groups`), numbered only as a last resort.
fn titled(scope: &mut UniqueNames, operation: &Operation, wanted: &str) -> String {
    let short = title_name(&operation.title, &operation.name);
    let full = shorten(&naming::snake_case(&operation.title));
    // A page asking twice (a `PUT` and a `PATCH` of one title) adds the verb it wanted.
    let with_verb = shorten(&format!("{short}_{wanted}"));
    for candidate in [short, full, with_verb.clone()] {
        if !scope.is_taken(&candidate) {
            scope.claim(&candidate);
            return candidate;
        }
    }
    unique_or_numbered(scope, &with_verb)
}

/// `title` in snake case, without a `resource:` prefix, cut to [`MAX_NAME`] at a word; the
/// operation name when the title has no word.
fn title_name(title: &str, fallback: &str) -> String {
    let text = title.split_once(':').map_or(title, |(_, rest)| rest);
    let snake = naming::snake_case(text);
    let snake = if snake == "unnamed" {
        naming::snake_case(fallback)
    } else {
        snake
    };
    shorten(&snake)
}

/// `name` in at most [`MAX_NAME`] characters: words are dropped from the middle, so the first
/// (the verb) and the last (what tells two long names apart) stay.
fn shorten(name: &str) -> String {
    if name.len() <= MAX_NAME {
        return name.to_owned();
    }
    let mut words: Vec<&str> = name.split('_').filter(|word| !word.is_empty()).collect();
    while words.len() > 2 && words.join("_").len() > MAX_NAME {
        words.remove(1);
    }
    let joined = words.join("_");
    if joined.len() <= MAX_NAME {
        joined
    } else {
        joined.chars().take(MAX_NAME).collect()
    }
}

/// `name` if free in `scope`, else the lowest free numbered form: a last resort, which no
/// page of the real docs trees reaches (the corpus test counts them).
fn unique_or_numbered(scope: &mut UniqueNames, name: &str) -> String {
    scope.claim(name)
}

/// Whether `addressed` is the type the page's resource names.
fn is_resource_type(operation: &Operation, addressed: Option<&Addressed>) -> bool {
    let (Some(resource), Some(addressed)) = (operation.resource.as_deref(), addressed) else {
        return false;
    };
    let short = addressed.type_name.rsplit('.').next().unwrap_or("");
    short.eq_ignore_ascii_case(resource)
}

/// Whether two pages document the same request on one builder (the builder's path is the
/// same whichever page reached it): one method, the same step after the builder's path (an
/// action, a call, `$ref`, or none), the same body properties and response type.
fn same_request(
    a: &Operation,
    a_template: usize,
    a_step: Option<&EdgeKey>,
    b: &Operation,
    b_template: usize,
    b_step: Option<&EdgeKey>,
) -> bool {
    a.http[a_template].method == b.http[b_template].method
        && a_step == b_step
        && (same_title(a, b)
            || (same_body(&a.request_body, &b.request_body)
                && a.response.as_ref().and_then(crate::ir::Response::type_ref)
                    == b.response.as_ref().and_then(crate::ir::Response::type_ref)))
}

/// Pages with one title documenting one method name on one builder are one request, each
/// listing the properties of its part of the service (Intune's `Update deviceManagement`
/// pages): the first page's body serves them all.
fn same_title(a: &Operation, b: &Operation) -> bool {
    a.title.trim().eq_ignore_ascii_case(b.title.trim())
}

/// Bodies with the same properties and types (descriptions and rows aside).
fn same_body(a: &crate::ir::RequestBody, b: &crate::ir::RequestBody) -> bool {
    use crate::ir::RequestBody::{Json, None, Parameters};
    let fields = |parameters: &[crate::ir::BodyParameter]| {
        let mut fields: Vec<(String, String, bool)> = parameters
            .iter()
            .map(|p| {
                let type_ref = p.type_ref();
                (
                    p.name.to_ascii_lowercase(),
                    type_ref.name.to_ascii_lowercase(),
                    type_ref.collection,
                )
            })
            .collect();
        fields.sort();
        fields
    };
    match (a, b) {
        (None, None) => true,
        (Json { type_name: x }, Json { type_name: y }) => {
            x.as_deref().map(str::to_ascii_lowercase) == y.as_deref().map(str::to_ascii_lowercase)
        }
        (Parameters { parameters: x }, Parameters { parameters: y }) => fields(x) == fields(y),
        _ => false,
    }
}

/// The module (below the version module) of an operation's flat function, which is also the
/// cargo feature that selects it (`user`, `drive_item`, `ungrouped`).
pub fn operation_module(operation: &Operation) -> String {
    match operation
        .resource
        .as_deref()
        .filter(|resource| !resource.trim().is_empty())
    {
        Some(resource) => naming::snake_case(resource),
        None => UNGROUPED_MODULE.to_owned(),
    }
}

/// The template a page's flat function calls: the first that does not start at `/me` (the
/// signed-in user is a shortcut; the function takes the user's id), else the first.
fn canonical_template(operation: &Operation) -> Option<usize> {
    let is_me = |path: &str| {
        let lower = path.to_ascii_lowercase();
        lower == "/me" || lower.starts_with("/me/")
    };
    operation
        .http
        .iter()
        .position(|template| !is_me(template.path.as_str()))
        .or_else(|| (!operation.http.is_empty()).then_some(0))
}

/// Models of one version by lower-case name, for typing nodes.
pub(crate) struct Models<'ir> {
    by_name: HashMap<String, &'ir Model>,
}

impl<'ir> Models<'ir> {
    fn new(ir: &'ir Ir, version: ApiVersion) -> Self {
        let mut by_name = HashMap::new();
        for model in ir.models.iter().filter(|model| model.version == version) {
            by_name
                .entry(model.name.trim_start_matches('#').to_ascii_lowercase())
                .or_insert(model);
        }
        Models { by_name }
    }

    /// The model `name` names (qualified, case ignored).
    pub(crate) fn get(&self, name: &str) -> Option<&'ir Model> {
        self.by_name
            .get(&name.trim().trim_start_matches('#').to_ascii_lowercase())
            .copied()
    }

    /// The property `key` of `name` or of its base types (a few levels, cycles cut).
    pub(crate) fn property(&self, name: &str, key: &str) -> Option<&'ir crate::ir::Property> {
        let mut model = self.get(name)?;
        for _ in 0..32 {
            if let Some(property) = model
                .properties
                .iter()
                .find(|property| property.name.eq_ignore_ascii_case(key))
            {
                return Some(property);
            }
            let base = model.base_type.as_deref()?;
            let qualified = if base.contains('.') {
                base.to_owned()
            } else {
                let namespace = model
                    .name
                    .rsplit_once('.')
                    .map_or("microsoft.graph", |(ns, _)| ns);
                format!("{namespace}.{base}")
            };
            model = self.get(&qualified)?;
        }
        None
    }
}

mod typing {
    //! What each node addresses, from the evidence in order of strength: a `GET` of the node
    //! answering with a type; the resource a page acting on the node names (`user:
    //! reprocessLicenseAssignment` acts on a user); the navigation properties of the parent's
    //! type; a key of a collection of a type is one of it, and a node with keys of a type is a
    //! collection of it; a cast addresses its type.

    use std::collections::BTreeMap;

    use super::tree::{EdgeKey, Step, Tree};
    use super::{Addressed, Models};
    use crate::ir::{Ir, Method};

    /// A template's operation, its template, the nodes from the root and its steps.
    pub(super) type Route = (usize, usize, Vec<usize>, Vec<Step>);

    pub(super) fn type_nodes(
        tree: &Tree,
        ir: &Ir,
        routes: &[Route],
        models: &Models<'_>,
    ) -> Vec<Option<Addressed>> {
        let mut addressed: Vec<Option<Addressed>> = vec![None; tree.nodes.len()];
        from_reads(tree, ir, routes, models, &mut addressed);
        from_resources(tree, ir, routes, models, &mut addressed);
        from_navigations(tree, ir, routes, models, &mut addressed);
        from_structure(tree, models, &mut addressed);
        addressed
    }

    /// What a `GET` of the node answers with, by vote: a page reads a node with a query
    /// variant of its own (`opentypeextension-get` lists `/users/{id}/events?$filter=…` and
    /// answers with an extension), so a template without a query string counts double, an
    /// answer whose collection-ness the node's keys agree with counts once more, and one of
    /// the page's own resource twice more (`Get message` over `Get eventMessage`'s event).
    fn from_reads(
        tree: &Tree,
        ir: &Ir,
        routes: &[Route],
        models: &Models<'_>,
        addressed: &mut [Option<Addressed>],
    ) {
        let mut votes: BTreeMap<usize, BTreeMap<Addressed, usize>> = BTreeMap::new();
        for (operation, template, path, steps) in routes {
            let operation = &ir.operations[*operation];
            let template = &operation.http[*template];
            if template.method != Method::Get || acts_on_parent(steps, operation) {
                continue;
            }
            let Some(type_ref) = operation
                .response
                .as_ref()
                .and_then(crate::ir::Response::type_ref)
            else {
                continue;
            };
            let Some(model) = models.get(type_ref.name) else {
                continue;
            };
            let node = *path.last().unwrap_or(&0);
            let keyed = tree.nodes[node]
                .children
                .iter()
                .any(|(key, _)| *key == EdgeKey::Key);
            let namespace = operation.namespace.as_deref().unwrap_or("microsoft.graph");
            let of_resource = operation.resource.as_deref().is_some_and(|resource| {
                model
                    .name
                    .eq_ignore_ascii_case(&format!("{namespace}.{resource}"))
            });
            let weight = if template.query.is_empty() { 2 } else { 1 }
                + usize::from(keyed == type_ref.collection)
                + 2 * usize::from(of_resource);
            *votes
                .entry(node)
                .or_default()
                .entry(Addressed {
                    type_name: model.name.clone(),
                    collection: type_ref.collection,
                })
                .or_default() += weight;
        }
        for (node, votes) in votes {
            // The most votes; of equals, the first in type order, so the outcome never
            // depends on page order.
            let winner =
                votes
                    .into_iter()
                    .fold(
                        None::<(Addressed, usize)>,
                        |best, (candidate, count)| match best {
                            Some((_, most)) if most >= count => best,
                            _ => Some((candidate, count)),
                        },
                    );
            addressed[node] = winner.map(|(winner, _)| winner);
        }
    }

    /// The resource a page acting on an entity names: an action or function bound to it, or a
    /// request on an entity addressed by key or at the root (`/me`). (A page's resource is not
    /// what a collection, `$ref` or `$value` request acts on.)
    fn from_resources(
        tree: &Tree,
        ir: &Ir,
        routes: &[Route],
        models: &Models<'_>,
        addressed: &mut [Option<Addressed>],
    ) {
        let has_key = |node: usize| {
            tree.nodes[node]
                .children
                .iter()
                .any(|(key, _)| *key == EdgeKey::Key)
        };
        for (operation, _, path, steps) in routes {
            let operation = &ir.operations[*operation];
            let bound = matches!(
                steps.last().map(|step| &step.key),
                Some(EdgeKey::Function(..) | EdgeKey::Literal(_))
            ) && acts_on_parent(steps, operation);
            let node = if bound {
                path[path.len().saturating_sub(2)]
            } else if acts_on_parent(steps, operation) {
                continue;
            } else {
                *path.last().unwrap_or(&0)
            };
            let entity = bound
                || tree.edge(node).is_some_and(|edge| edge.key == EdgeKey::Key)
                || (tree.nodes[node].parent == Some(0) && !has_key(node));
            if node == 0 || addressed[node].is_some() || !entity {
                continue;
            }
            let Some(resource) = operation.resource.as_deref() else {
                continue;
            };
            let namespace = operation.namespace.as_deref().unwrap_or("microsoft.graph");
            if let Some(model) = models.get(&format!("{namespace}.{resource}")) {
                addressed[node] = Some(Addressed {
                    type_name: model.name.clone(),
                    collection: has_key(node),
                });
            }
        }
    }

    /// The resource a page names, for the entity its path navigates from: `group: list
    /// members` at `/groups/{id}/members` acts on a group's `members`, when the resource's type
    /// has that navigation property (or the page's last step is that navigation, from a key).
    fn from_navigations(
        tree: &Tree,
        ir: &Ir,
        routes: &[Route],
        models: &Models<'_>,
        addressed: &mut [Option<Addressed>],
    ) {
        for (operation, _, path, steps) in routes {
            let operation = &ir.operations[*operation];
            let Some(resource) = operation.resource.as_deref() else {
                continue;
            };
            let namespace = operation.namespace.as_deref().unwrap_or("microsoft.graph");
            let Some(model) = models.get(&format!("{namespace}.{resource}")) else {
                continue;
            };
            // `path[at]` is the node before `steps[at]` (paths start at the root).
            for (at, step) in steps.iter().enumerate().skip(1) {
                let before = path[at];
                if addressed[before].is_some() || !matches!(step.key, EdgeKey::Literal(_)) {
                    continue;
                }
                // Without the property in the docs, the page's own navigation still says it:
                // its last step, from an entity of a collection.
                let navigates = at + 1 == steps.len()
                    && tree
                        .edge(before)
                        .is_some_and(|edge| edge.key == EdgeKey::Key);
                if navigates || models.property(&model.name, &step.name).is_some() {
                    addressed[before] = Some(Addressed {
                        type_name: model.name.clone(),
                        collection: false,
                    });
                }
            }
        }
    }

    /// Structure, until nothing changes: keys of a collection, addresses below an item, casts,
    /// the parent type's navigation properties, and a node whose keys address a type.
    fn from_structure(tree: &Tree, models: &Models<'_>, addressed: &mut [Option<Addressed>]) {
        for _ in 0..tree.nodes.len() {
            let mut changed = false;
            for node in 1..tree.nodes.len() {
                if addressed[node].is_some() {
                    continue;
                }
                let Some(parent) = tree.nodes[node].parent else {
                    continue;
                };
                let step = tree.edge(node).expect("a node below the root has an edge");
                let found = match (&step.key, &addressed[parent]) {
                    (EdgeKey::Key, Some(parent)) if parent.collection => Some(Addressed {
                        type_name: parent.type_name.clone(),
                        collection: false,
                    }),
                    (EdgeKey::ItemPath(_), Some(parent)) => Some(Addressed {
                        type_name: parent.type_name.clone(),
                        collection: false,
                    }),
                    (EdgeKey::Cast(cast), Some(parent)) => {
                        models.get(cast).map(|model| Addressed {
                            type_name: model.name.clone(),
                            collection: parent.collection,
                        })
                    }
                    (EdgeKey::Literal(_), Some(parent)) if !parent.collection => models
                        .property(&parent.type_name, &step.name)
                        .and_then(|property| {
                            let type_ref = property.type_ref();
                            let model = models.get(type_ref.name)?;
                            Some(Addressed {
                                type_name: model.name.clone(),
                                collection: type_ref.collection,
                            })
                        }),
                    _ => None,
                }
                .or_else(|| {
                    // A node whose keys address a type is a collection of it.
                    tree.nodes[node].children.iter().find_map(|(key, child)| {
                        let child = addressed[*child].as_ref()?;
                        (*key == EdgeKey::Key && !child.collection).then(|| Addressed {
                            type_name: child.type_name.clone(),
                            collection: true,
                        })
                    })
                });
                if found.is_some() {
                    addressed[node] = found;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Whether the template's last step is what the operation does (an action or function),
    /// so the request acts on the node before it.
    pub(super) fn acts_on_parent(steps: &[Step], operation: &crate::ir::Operation) -> bool {
        match steps.last().map(|step| &step.key) {
            Some(EdgeKey::Function(..) | EdgeKey::Value | EdgeKey::Ref | EdgeKey::Count) => true,
            Some(EdgeKey::Literal(literal)) => {
                steps.len() > 1 && literal.eq_ignore_ascii_case(&operation.name)
            }
            _ => false,
        }
    }
}
