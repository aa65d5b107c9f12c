//! Models compared: presence, base type and properties.

use std::collections::BTreeMap;

use super::{version_module, Change, ChangeKind};
use crate::ir::{ApiVersion, Ir, Model, Property};
use crate::naming;

/// Pairs models by version and `OData` name, and reports what differs.
pub(super) fn compare(old: &Ir, new: &Ir, changes: &mut Vec<Change>) {
    let old_models = by_key(old);
    let new_models = by_key(new);
    for (key, old_model) in &old_models {
        match new_models.get(key) {
            Some(new_model) => pair(old_model, new_model, changes),
            None => changes.push(Change {
                kind: ChangeKind::ModelRemoved,
                item: rust_path(old_model),
                detail: format!("model `{}` removed", old_model.name),
                breaking: true,
                old: Some(old_model.source.clone()),
                new: None,
            }),
        }
    }
    for (key, new_model) in &new_models {
        if !old_models.contains_key(key) {
            changes.push(Change {
                kind: ChangeKind::ModelAdded,
                item: rust_path(new_model),
                detail: format!("model `{}` added", new_model.name),
                breaking: false,
                old: None,
                new: Some(new_model.source.clone()),
            });
        }
    }
}

fn by_key(ir: &Ir) -> BTreeMap<(ApiVersion, String), &Model> {
    let mut keyed = BTreeMap::new();
    for model in &ir.models {
        keyed
            .entry((model.version, normalized(&model.name)))
            .or_insert(model);
    }
    keyed
}

/// `beta::User`, `beta::call_records::Session`.
fn rust_path(model: &Model) -> String {
    let name = naming::type_name(&model.name);
    let mut path = vec![version_module(model.version).to_owned()];
    path.extend(name.namespace);
    path.push(name.name);
    path.join("::")
}

fn pair(old: &Model, new: &Model, changes: &mut Vec<Change>) {
    let item = rust_path(new);
    let mut push = |kind, item: String, detail: String, breaking, old_at, new_at| {
        changes.push(Change {
            kind,
            item,
            detail,
            breaking,
            old: Some(old_at),
            new: Some(new_at),
        });
    };
    let base = |model: &Model| model.base_type.as_deref().map(normalized);
    if base(old) != base(new) {
        push(
            ChangeKind::BaseTypeChanged,
            item.clone(),
            format!(
                "base type is {} instead of {}",
                shown(new.base_type.as_deref()),
                shown(old.base_type.as_deref())
            ),
            true,
            old.source.clone(),
            new.source.clone(),
        );
    }
    for before in &old.properties {
        let field = format!("{item}::{}", naming::snake_case(&before.name));
        match new.properties.iter().find(|p| p.name == before.name) {
            None => push(
                ChangeKind::PropertyRemoved,
                field,
                format!("property `{}` removed", before.name),
                true,
                before.source.clone(),
                new.source.clone(),
            ),
            Some(after) if !type_of(before).eq_ignore_ascii_case(&type_of(after)) => push(
                ChangeKind::PropertyTypeChanged,
                field,
                format!(
                    "property `{}` is `{}` instead of `{}`",
                    after.name,
                    type_of(after),
                    type_of(before)
                ),
                true,
                before.source.clone(),
                after.source.clone(),
            ),
            Some(_) => {}
        }
    }
    for after in &new.properties {
        if !old.properties.iter().any(|p| p.name == after.name) {
            push(
                ChangeKind::PropertyAdded,
                format!("{item}::{}", naming::snake_case(&after.name)),
                format!(
                    "property `{}` added (struct literals listing every field need it)",
                    after.name
                ),
                true,
                old.source.clone(),
                after.source.clone(),
            );
        }
    }
}

/// `Collection(Edm.String)` for a collection property, else the type as written.
fn type_of(property: &Property) -> String {
    property.type_ref().to_string()
}

/// Type names compare without `#` and case, as codegen resolves them.
fn normalized(name: &str) -> String {
    name.trim().trim_start_matches('#').to_ascii_lowercase()
}

fn shown(base: Option<&str>) -> String {
    base.map_or_else(|| "none".to_owned(), |base| format!("`{base}`"))
}
