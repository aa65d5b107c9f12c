//! What changed in the generated API surface between two IRs, each change classified by semver.
//!
//! ```no_run
//! # fn main() -> Result<(), graph_gen::Error> {
//! let generator = graph_gen::Generator::default();
//! let old = generator.load_docs(&["old/api-docs"])?;
//! let new = generator.load_docs(&["api-docs"])?;
//! let diff = graph_gen::diff::diff(&old, &new);
//! print!("{diff}");
//! assert!(!diff.is_breaking(), "needs a major version");
//! # Ok(())
//! # }
//! ```
//!
//! Changes are named in terms of the generated surface: an operation by the navigation chain
//! and method that send it (``v1.users().by_id().messages()`: gained `list()` ``, as each side's
//! naming plan has it), a model by its type and field.
//!
//! Operations are matched by version, resource and name (`beta`, `user`,
//! `reprocessLicenseAssignment`), templates by method and path shape, models and enums by
//! version and `OData` name, properties, body parameters and enum members by JSON name. A
//! change is **breaking** when code or a call that worked against the old bindings can stop
//! working:
//!
//! - an operation, template, model, property, enum or enum member removed; a path parameter,
//!   response type, request body kind, property type or base type changed (the Rust signature
//!   or field changes);
//! - a property added: models are plain structs with public fields, so a struct literal that
//!   lists every field stops compiling (the Rust semver rules; `..Default::default()` keeps
//!   literals working); likewise an enum member added breaks exhaustive `match`es;
//! - a body parameter removed, added as required, made required or retyped (the body is JSON,
//!   so the call compiles, but Graph rejects what it used to accept);
//! - a permission removed, or an account type no longer supported (tokens that were enough
//!   are not any more).
//!
//! Everything else is compatible: operations, templates, models, enums, optional body
//! parameters and permissions added, placeholders renamed, the success status changed.
//! Descriptions and source lines are not compared.

mod enums;
mod model;
mod operation;

use std::fmt;

use serde::Serialize;

use crate::ir::{ApiVersion, Ir, Source};

/// The changes between two IRs, breaking ones first, each group sorted by item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApiDiff {
    /// Every change found.
    pub changes: Vec<Change>,
}

/// One change of the generated API surface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What kind of change.
    pub kind: ChangeKind,
    /// The Rust item: for operations, the call that sends the request
    /// (`v1.users().by_id().messages().list()`), or the builder chain that gained or lost it;
    /// for models and enums, the type or field (`beta::User::city`).
    pub item: String,
    /// What changed, naming the docs' constructs in backticks.
    pub detail: String,
    /// Whether callers of the old bindings can break (see the module docs).
    pub breaking: bool,
    /// Where the item is in the old docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Source>,
    /// Where the item is in the new docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Source>,
}

/// The kinds of [`Change`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A page's operation appeared.
    OperationAdded,
    /// A page's operation disappeared.
    OperationRemoved,
    /// An operation gained an HTTP template (a function).
    PathAdded,
    /// An operation lost an HTTP template (a function).
    PathRemoved,
    /// A template kept its shape but renamed placeholders (argument names).
    ParameterRenamed,
    /// The response type, collection-ness or status changed.
    ResponseChanged,
    /// The request body kind or type changed.
    RequestBodyChanged,
    /// A row of the request body table appeared.
    BodyParameterAdded,
    /// A row of the request body table disappeared.
    BodyParameterRemoved,
    /// A request body parameter changed type or requiredness.
    BodyParameterChanged,
    /// Scopes or supported account types changed.
    PermissionsChanged,
    /// A model appeared.
    ModelAdded,
    /// A model disappeared.
    ModelRemoved,
    /// A model gained a property.
    PropertyAdded,
    /// A model lost a property.
    PropertyRemoved,
    /// A property changed type or collection-ness.
    PropertyTypeChanged,
    /// A model's base type changed (its inherited fields change).
    BaseTypeChanged,
    /// An enumeration type appeared.
    EnumAdded,
    /// An enumeration type disappeared.
    EnumRemoved,
    /// An enumeration gained a member.
    EnumMemberAdded,
    /// An enumeration lost a member.
    EnumMemberRemoved,
}

/// The changes from `old` to `new`.
pub fn diff(old: &Ir, new: &Ir) -> ApiDiff {
    let mut changes = Vec::new();
    operation::compare(old, new, &mut changes);
    model::compare(old, new, &mut changes);
    enums::compare(old, new, &mut changes);
    changes.sort_by(|a, b| {
        (!a.breaking, &a.item, a.kind, &a.detail).cmp(&(!b.breaking, &b.item, b.kind, &b.detail))
    });
    ApiDiff { changes }
}

impl ApiDiff {
    /// Whether any change is breaking: the next release needs a new major version.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|change| change.breaking)
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// How many changes are breaking.
    pub fn breaking_count(&self) -> usize {
        self.changes.iter().filter(|change| change.breaking).count()
    }
}

impl fmt::Display for ApiDiff {
    /// One line per change, `breaking:` or `compatible:` first, then a summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for change in &self.changes {
            writeln!(f, "{change}")?;
        }
        let breaking = self.breaking_count();
        let compatible = self.changes.len() - breaking;
        match (breaking, compatible) {
            (0, 0) => writeln!(f, "no changes to the generated API"),
            (0, _) => writeln!(
                f,
                "{compatible} compatible change(s), none breaking: a minor version"
            ),
            _ => writeln!(
                f,
                "{breaking} breaking and {compatible} compatible change(s): a major version"
            ),
        }
    }
}

impl fmt::Display for Change {
    /// The class, the item and the detail, then where:
    /// ``breaking: `beta::User::city`: property `city` removed (old beta/resources/user.md:40)``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = if self.breaking {
            "breaking"
        } else {
            "compatible"
        };
        write!(f, "{class}: `{}`: {}", self.item, self.detail)?;
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => write!(f, " (old {old}, new {new})"),
            (Some(old), None) => write!(f, " (old {old})"),
            (None, Some(new)) => write!(f, " (new {new})"),
            (None, None) => Ok(()),
        }
    }
}

/// The Rust module of an API version.
fn version_module(version: ApiVersion) -> &'static str {
    match version {
        ApiVersion::V1 => "v1",
        ApiVersion::Beta => "beta",
    }
}

#[cfg(test)]
mod tests;
