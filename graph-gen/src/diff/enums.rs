//! Enumeration types compared: presence and members.

use std::collections::BTreeMap;

use super::{version_module, Change, ChangeKind};
use crate::ir::{ApiVersion, EnumType, Ir};
use crate::naming;

/// Pairs enums by version and `OData` name, and reports members added and removed.
pub(super) fn compare(old: &Ir, new: &Ir, changes: &mut Vec<Change>) {
    let (old_enums, new_enums) = (by_key(old), by_key(new));
    for (key, before) in &old_enums {
        match new_enums.get(key) {
            Some(after) => members(before, after, changes),
            None => changes.push(Change {
                kind: ChangeKind::EnumRemoved,
                item: rust_path(before),
                detail: format!("enum `{}` removed", before.name),
                breaking: true,
                old: Some(before.source.clone()),
                new: None,
            }),
        }
    }
    for (key, after) in &new_enums {
        if !old_enums.contains_key(key) {
            changes.push(Change {
                kind: ChangeKind::EnumAdded,
                item: rust_path(after),
                detail: format!("enum `{}` added", after.name),
                breaking: false,
                old: None,
                new: Some(after.source.clone()),
            });
        }
    }
}

/// Members removed and added: both breaking, since generated enums are exhaustive.
fn members(before: &EnumType, after: &EnumType, changes: &mut Vec<Change>) {
    let item = rust_path(after);
    let mut push = |kind, member: &str, detail: String| {
        changes.push(Change {
            kind,
            item: format!("{item}::{}", naming::upper_camel_case(member)),
            detail,
            breaking: true,
            old: Some(before.source.clone()),
            new: Some(after.source.clone()),
        });
    };
    for member in &before.members {
        if !after.members.iter().any(|m| m.name == member.name) {
            push(
                ChangeKind::EnumMemberRemoved,
                &member.name,
                format!("member `{}` removed", member.name),
            );
        }
    }
    for member in &after.members {
        if !before.members.iter().any(|m| m.name == member.name) {
            push(
                ChangeKind::EnumMemberAdded,
                &member.name,
                format!(
                    "member `{}` added (exhaustive `match`es need it, and the value no longer decodes as unlisted)",
                    member.name
                ),
            );
        }
    }
}

fn by_key(ir: &Ir) -> BTreeMap<(ApiVersion, String), &EnumType> {
    let mut keyed = BTreeMap::new();
    for declared in &ir.enums {
        let name = declared
            .name
            .trim()
            .trim_start_matches('#')
            .to_ascii_lowercase();
        keyed.entry((declared.version, name)).or_insert(declared);
    }
    keyed
}

/// `beta::RiskLevel`.
fn rust_path(declared: &EnumType) -> String {
    let name = naming::type_name(&declared.name);
    let mut path = vec![version_module(declared.version).to_owned()];
    path.extend(name.namespace);
    path.push(name.name);
    path.join("::")
}
