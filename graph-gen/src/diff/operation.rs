//! Operations compared: templates, response, request body and permissions.

use std::collections::{BTreeMap, BTreeSet};

use super::{version_module, Change, ChangeKind};
use crate::codegen::UNGROUPED_MODULE;
use crate::diagnostics::Ctxt;
use crate::ir::{
    BodyParameter, HttpTemplate, Ir, Operation, PermissionSet, Permissions, RequestBody, Response,
};
use crate::naming;
use crate::plan::Plan;

/// Pairs operations by version, resource and name, and reports what differs, naming each by
/// the surface that reaches it in the bindings of its side (the naming plan's).
pub(super) fn compare(old: &Ir, new: &Ir, changes: &mut Vec<Change>) {
    let old_surface = Surface::new(old);
    let new_surface = Surface::new(new);
    let old_ops = by_key(old);
    let new_ops = by_key(new);
    for (key, &(old_index, old_op)) in &old_ops {
        if let Some(&(new_index, new_op)) = new_ops.get(key) {
            Pair::new(old_op, new_op, new_surface.item(new_index, new_op), changes).compare();
            continue;
        }
        let (item, method, flat) = old_surface.parts(old_index, old_op);
        changes.push(Change {
            kind: ChangeKind::OperationRemoved,
            item,
            detail: format!(
                "lost `{method}`: operation `{}` removed (and `{flat}`)",
                old_op.title
            ),
            breaking: true,
            old: Some(old_op.source.clone()),
            new: None,
        });
    }
    for (key, &(new_index, new_op)) in &new_ops {
        if !old_ops.contains_key(key) {
            let (item, method, flat) = new_surface.parts(new_index, new_op);
            changes.push(Change {
                kind: ChangeKind::OperationAdded,
                item,
                detail: format!(
                    "gained `{method}`: operation `{}` added (and `{flat}`)",
                    new_op.title
                ),
                breaking: false,
                old: None,
                new: Some(new_op.source.clone()),
            });
        }
    }
}

/// The generated surface of one IR: where each operation's request is.
struct Surface {
    plan: Plan,
}

impl Surface {
    fn new(ir: &Ir) -> Surface {
        // The plan's naming warnings are `check`'s to report, not the diff's.
        let quiet = Ctxt::new();
        let plan = Plan::new(ir, &quiet);
        drop(quiet.into_diagnostics());
        Surface { plan }
    }

    /// The builder chain (`v1.users().by_id().messages()`), the method (`list()`) and the flat
    /// function (`v1::user::list_messages`) of operation `index`.
    fn parts(&self, index: usize, operation: &Operation) -> (String, String, String) {
        let version = version_module(operation.version);
        let planned = self.plan.version(operation.version).and_then(|plan| {
            let (chain, method) = plan.call_path(index)?;
            let flat = plan.operations.get(&index)?;
            Some((
                chain,
                method,
                format!("{version}::{}::{}", flat.module, flat.function),
            ))
        });
        match planned {
            Some((chain, method, flat)) if chain.is_empty() => (version.to_owned(), method, flat),
            Some((chain, method, flat)) => (format!("{version}.{chain}"), method, flat),
            // Not planned (an operation without a template): the page's own name.
            None => {
                let flat = format!(
                    "{version}::{}::{}",
                    module(operation),
                    naming::snake_case(&operation.name)
                );
                (flat.clone(), String::new(), flat)
            }
        }
    }

    /// The call that sends operation `index`: `v1.users().by_id().messages().list()`.
    fn item(&self, index: usize, operation: &Operation) -> String {
        match self.parts(index, operation) {
            (chain, method, _) if method.is_empty() => chain,
            (chain, method, _) => format!("{chain}.{method}"),
        }
    }
}

/// Operations (and their index) by (version, resource module, lower-case name, occurrence).
fn by_key(ir: &Ir) -> BTreeMap<(String, String, String, usize), (usize, &Operation)> {
    let mut occurrences: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    let mut keyed = BTreeMap::new();
    for (index, operation) in ir.operations.iter().enumerate() {
        let base = (
            version_module(operation.version).to_owned(),
            module(operation),
            operation.name.to_ascii_lowercase(),
        );
        let seen = occurrences.entry(base.clone()).or_default();
        keyed.insert((base.0, base.1, base.2, *seen), (index, operation));
        *seen += 1;
    }
    keyed
}

/// The module an operation's functions are in, below the version module.
fn module(operation: &Operation) -> String {
    operation
        .resource
        .as_deref()
        .filter(|resource| !resource.trim().is_empty())
        .map_or_else(|| UNGROUPED_MODULE.to_owned(), naming::snake_case)
}

/// One operation in both IRs.
struct Pair<'a> {
    old: &'a Operation,
    new: &'a Operation,
    item: String,
    changes: &'a mut Vec<Change>,
}

impl<'a> Pair<'a> {
    fn new(
        old: &'a Operation,
        new: &'a Operation,
        item: String,
        changes: &'a mut Vec<Change>,
    ) -> Self {
        Pair {
            old,
            new,
            item,
            changes,
        }
    }

    fn push(&mut self, kind: ChangeKind, breaking: bool, detail: String) {
        self.changes.push(Change {
            kind,
            item: self.item.clone(),
            detail,
            breaking,
            old: Some(self.old.source.clone()),
            new: Some(self.new.source.clone()),
        });
    }

    fn compare(mut self) {
        self.templates();
        self.response();
        self.request_body();
        self.permissions();
    }

    fn templates(&mut self) {
        let old = shapes(&self.old.http);
        let new = shapes(&self.new.http);
        for (shape, template) in &old {
            match new.get(shape) {
                None => self.push(
                    ChangeKind::PathRemoved,
                    true,
                    format!("`{} {}` removed", template.method, template.path),
                ),
                Some(renamed) if renamed.path != template.path => self.push(
                    ChangeKind::ParameterRenamed,
                    false,
                    format!(
                        "`{} {}` renamed placeholders: `{}`",
                        template.method, template.path, renamed.path
                    ),
                ),
                Some(_) => {}
            }
        }
        for (shape, template) in &new {
            if !old.contains_key(shape) {
                self.push(
                    ChangeKind::PathAdded,
                    false,
                    format!("`{} {}` added", template.method, template.path),
                );
            }
        }
    }

    fn response(&mut self) {
        let (old, new) = (
            body_of(self.old.response.as_ref()),
            body_of(self.new.response.as_ref()),
        );
        if old != new {
            self.push(
                ChangeKind::ResponseChanged,
                true,
                format!("returns {} instead of {}", new.describe(), old.describe()),
            );
        }
        let status = |op: &Operation| op.response.as_ref().map(|response| response.status);
        if let (Some(before), Some(after)) = (status(self.old), status(self.new)) {
            if before != after {
                self.push(
                    ChangeKind::ResponseChanged,
                    false,
                    format!("success status `{before}` is now `{after}`"),
                );
            }
        }
    }

    fn request_body(&mut self) {
        let (old_op, new_op) = (self.old, self.new);
        match (&old_op.request_body, &new_op.request_body) {
            (
                RequestBody::Parameters { parameters: old },
                RequestBody::Parameters { parameters: new },
            ) => self.body_parameters(old, new),
            (old, new) if body_kind(old) != body_kind(new) => self.push(
                ChangeKind::RequestBodyChanged,
                true,
                format!(
                    "request body is {} instead of {}",
                    body_kind(new),
                    body_kind(old)
                ),
            ),
            _ => {}
        }
    }

    fn body_parameters(&mut self, old: &[BodyParameter], new: &[BodyParameter]) {
        for before in old {
            match new.iter().find(|p| p.name == before.name) {
                None => self.push(
                    ChangeKind::BodyParameterRemoved,
                    true,
                    format!("body parameter `{}` removed", before.name),
                ),
                Some(after) => {
                    if !same_type(&before.type_name, &after.type_name)
                        || before.collection != after.collection
                    {
                        self.push(
                            ChangeKind::BodyParameterChanged,
                            true,
                            format!(
                                "body parameter `{}` is `{}` instead of `{}`",
                                after.name,
                                shown_type(&after.type_name, after.collection),
                                shown_type(&before.type_name, before.collection)
                            ),
                        );
                    }
                    if before.required != after.required {
                        let now = if after.required {
                            "required"
                        } else {
                            "optional"
                        };
                        self.push(
                            ChangeKind::BodyParameterChanged,
                            after.required,
                            format!("body parameter `{}` is now {now}", after.name),
                        );
                    }
                }
            }
        }
        for after in new.iter().filter(|p| !old.iter().any(|o| o.name == p.name)) {
            let required = if after.required {
                "required"
            } else {
                "optional"
            };
            self.push(
                ChangeKind::BodyParameterAdded,
                after.required,
                format!("{required} body parameter `{}` added", after.name),
            );
        }
    }

    fn permissions(&mut self) {
        let (old_op, new_op) = (self.old, self.new);
        let (Some(old), Some(new)) = (&old_op.permissions, &new_op.permissions) else {
            if self.old.permissions.is_some() != self.new.permissions.is_some() {
                let now = if self.new.permissions.is_some() {
                    "readable"
                } else {
                    "unreadable"
                };
                self.push(
                    ChangeKind::PermissionsChanged,
                    false,
                    format!("the permissions table is now {now}"),
                );
            }
            return;
        };
        for (account, before, after) in account_types(old, new) {
            match (before, after) {
                (Some(_), None) => self.push(
                    ChangeKind::PermissionsChanged,
                    true,
                    format!("{account} calls are no longer supported"),
                ),
                (None, Some(_)) => self.push(
                    ChangeKind::PermissionsChanged,
                    false,
                    format!("{account} calls are now supported"),
                ),
                (Some(before), Some(after)) => {
                    let (before, after) = (scopes(before), scopes(after));
                    for removed in before.difference(&after) {
                        self.push(
                            ChangeKind::PermissionsChanged,
                            true,
                            format!("`{removed}` no longer allows {account} calls"),
                        );
                    }
                    for added in after.difference(&before) {
                        self.push(
                            ChangeKind::PermissionsChanged,
                            false,
                            format!("`{added}` now allows {account} calls"),
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }
}

/// Templates by method and path with placeholders blanked (`GET /users/{}`).
fn shapes(templates: &[HttpTemplate]) -> BTreeMap<String, &HttpTemplate> {
    let mut shapes = BTreeMap::new();
    for template in templates {
        shapes
            .entry(format!("{} {}", template.method, template.path.shape()))
            .or_insert(template);
    }
    shapes
}

/// What the generated function returns.
#[derive(Debug, PartialEq, Eq)]
enum Returned {
    Nothing,
    Value { type_name: String, collection: bool },
}

impl Returned {
    fn describe(&self) -> String {
        match self {
            Returned::Nothing => "no body".to_owned(),
            Returned::Value {
                type_name,
                collection,
            } => format!("`{}`", shown_type(type_name, *collection)),
        }
    }
}

fn body_of(response: Option<&Response>) -> Returned {
    match response {
        Some(Response {
            type_name: Some(type_name),
            collection,
            status,
            ..
        }) if *status != 204 => Returned::Value {
            type_name: type_name
                .trim()
                .trim_start_matches('#')
                .to_ascii_lowercase(),
            collection: *collection,
        },
        _ => Returned::Nothing,
    }
}

fn body_kind(body: &RequestBody) -> String {
    match body {
        RequestBody::None => "none".to_owned(),
        RequestBody::Parameters { .. } | RequestBody::Json { type_name: None } => "JSON".to_owned(),
        RequestBody::Json {
            type_name: Some(type_name),
        } => format!("`{type_name}`"),
    }
}

fn same_type(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn shown_type(type_name: &str, collection: bool) -> String {
    if collection && !type_name.starts_with("Collection(") {
        format!("Collection({type_name})")
    } else {
        type_name.to_owned()
    }
}

type AccountTypes<'a> = [(
    &'static str,
    Option<&'a PermissionSet>,
    Option<&'a PermissionSet>,
); 3];

fn account_types<'a>(old: &'a Permissions, new: &'a Permissions) -> AccountTypes<'a> {
    [
        (
            "delegated (work or school)",
            old.delegated_work.as_ref(),
            new.delegated_work.as_ref(),
        ),
        (
            "delegated (personal account)",
            old.delegated_personal.as_ref(),
            new.delegated_personal.as_ref(),
        ),
        (
            "application",
            old.application.as_ref(),
            new.application.as_ref(),
        ),
    ]
}

/// Every scope that allows the call, least or higher privileged.
fn scopes(set: &PermissionSet) -> BTreeSet<&str> {
    set.least
        .iter()
        .chain(&set.higher)
        .map(String::as_str)
        .collect()
}
