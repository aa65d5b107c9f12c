//! One sample walked against the declared models: declared properties are checked, others recorded.

use std::borrow::Cow;

use rustc_hash::{FxBuildHasher, FxHashSet as HashSet};

use serde_json::{Map, Value};

use super::catalog::Catalog;
use super::locate::{Member, Text};
use super::placeholder::is_placeholder;
use super::unify::{Blank, Evidence, Observation, Store};
use super::{scalar, singular, Sample};
use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{Property, Source, TypeRef};

/// How deep objects and arrays may nest before the rest of a sample is ignored.
pub(super) const MAX_DEPTH: usize = 64;
/// How many elements of an array are looked at for typing.
pub(super) const MAX_ELEMENTS: usize = 64;

/// The annotation naming an object's own type.
const ODATA_TYPE: &str = "@odata.type";

/// Walks `sample`, checking values of declared properties and recording the rest in `store`.
pub(super) fn walk(sample: &Sample<'_>, catalog: &Catalog<'_>, store: &mut Store, cx: &Ctxt) {
    let mut walker = Walker {
        sample,
        text: Text::new(sample.raw, sample.first_line),
        catalog,
        store,
        cx,
        too_deep: false,
    };
    walker.root();
}

/// Whether a JSON key is an annotation (`@odata.context`, `members@odata.bind`,
/// `@microsoft.graph.downloadUrl`) rather than a property.
pub(super) fn is_annotation(key: &str) -> bool {
    key.contains('@')
}

/// The type an object names with `@odata.type`, without its `#`.
pub(super) fn own_type(object: &Map<String, Value>) -> Option<&str> {
    let name = object
        .get(ODATA_TYPE)?
        .as_str()?
        .trim()
        .trim_start_matches('#');
    (!name.is_empty()).then_some(name)
}

struct Walker<'w, 's> {
    sample: &'w Sample<'s>,
    text: Text<'s>,
    catalog: &'w Catalog<'w>,
    store: &'w mut Store,
    cx: &'w Ctxt,
    too_deep: bool,
}

/// Where a value is: the key it belongs to, its line, and its offset in the body text if found.
#[derive(Debug, Clone, Copy)]
struct At<'k> {
    key: &'k str,
    line: u32,
    offset: Option<usize>,
}

impl Walker<'_, '_> {
    fn source(&self, line: u32) -> Source {
        Source::new(self.sample.file, line)
    }

    fn root(&mut self) {
        let (type_name, mut collection) = match self.sample.odata_type {
            Some(name) => {
                let type_ref = TypeRef::parse(name);
                (Some(type_ref.name), type_ref.collection)
            }
            None => (None, false),
        };
        if type_name.is_some_and(scalar::is_primitive) {
            return;
        }
        let value = self.sample.value;
        collection |= self.is_bare_collection(value, type_name);
        let at = At {
            key: "",
            line: self.text.first_line(),
            offset: self.text.start(),
        };
        if !collection {
            self.instance(value, type_name, at, 1);
            return;
        }
        let (items, open) = match value {
            Value::Array(items) => (items, at.offset),
            Value::Object(object) => match object.get("value") {
                Some(Value::Array(items)) => {
                    let member = self
                        .locate(object, at.offset)
                        .into_iter()
                        .find(|(key, _)| *key == "value");
                    (
                        items,
                        member.and_then(|(_, member)| member).map(|m| m.value_at),
                    )
                }
                _ => return self.report_not_collection(type_name),
            },
            _ => return self.report_not_collection(type_name),
        };
        self.elements(items, at.key, open, at.line, |walker, item, at| {
            walker.instance(item, type_name, at, 1);
        });
    }

    /// A body typed as a single model that is really `{"value": [...]}` of it, as Graph writes
    /// collections: its only property is a `value` array the model does not declare.
    fn is_bare_collection(&self, value: &Value, type_name: Option<&str>) -> bool {
        let Value::Object(object) = value else {
            return false;
        };
        let mut keys = object.keys().filter(|key| !is_annotation(key));
        let only_value = keys.next().is_some_and(|key| key == "value") && keys.next().is_none();
        let version = self.sample.version;
        only_value
            && object.get("value").is_some_and(Value::is_array)
            && type_name.is_none_or(|name| self.catalog.property(version, name, "value").is_none())
    }

    fn report_not_collection(&self, type_name: Option<&str>) {
        let name = type_name.unwrap_or("…");
        self.cx.push(
            Diagnostic::warning(
                &self.source(self.text.first_line()),
                format!("example body of `Collection({name})` has no `value` array"),
            )
            .with_help("write the body as `{\"value\": [ … ]}`, or drop `Collection(…)` from its `@odata.type`"),
        );
    }

    /// An instance of `type_name` (or of what it names itself) at the root or in a collection.
    fn instance(&mut self, value: &Value, type_name: Option<&str>, at: At<'_>, depth: usize) {
        match value {
            Value::Object(object) => {
                let model = own_type(object).or(type_name).map(str::to_owned);
                self.object(object, model.as_deref(), at, depth);
            }
            Value::Null => {}
            _ => {
                if let Some(name) = type_name {
                    self.cx.push(
                        Diagnostic::warning(
                            &self.source(at.line),
                            format!("example body of `{name}` is not a JSON object"),
                        )
                        .with_help("write the example body as the JSON object the call returns"),
                    );
                }
            }
        }
    }

    /// An object of `model` (or of no known model: then only self-typed objects inside it count).
    fn object(
        &mut self,
        object: &Map<String, Value>,
        model: Option<&str>,
        at: At<'_>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            self.report_too_deep(at);
            return;
        }
        let model = model.filter(|name| !name.is_empty());
        if let Some(model) = model {
            let source = self.source(at.line);
            self.store
                .touch(self.sample.version, model, &source, self.sample.truncated);
        }
        for (key, member) in self.locate(object, at.offset) {
            if is_annotation(key) {
                continue;
            }
            let Some(value) = object.get(key) else {
                continue;
            };
            let child = At {
                key,
                line: member
                    .as_ref()
                    .map_or(at.line, |m| self.text.line(m.key_at)),
                offset: member.map(|m| m.value_at),
            };
            match model {
                Some(model) => self.member(model, value, child, depth),
                None => self.untyped(value, child, depth),
            }
        }
    }

    /// The object's keys in text order, each with where it is written; keys the text does not
    /// show come last, in map order, found the plain way if possible.
    fn locate<'v>(
        &self,
        object: &'v Map<String, Value>,
        open: Option<usize>,
    ) -> Vec<(&'v str, Option<Member>)> {
        let mut ordered: Vec<(&'v str, Option<Member>)> = Vec::with_capacity(object.len());
        // Borrowed from the object's own keys, so marking one seen copies nothing.
        let mut seen: HashSet<&str> =
            HashSet::with_capacity_and_hasher(object.len(), FxBuildHasher);
        let members = open.map(|open| self.text.members(open)).unwrap_or_default();
        for (written, member) in members {
            if let Some((own, _)) = object.get_key_value(unescape(written).as_ref()) {
                if seen.insert(own.as_str()) {
                    ordered.push((own.as_str(), Some(member)));
                }
            }
        }
        for key in object.keys() {
            if !seen.contains(key.as_str()) {
                let found = open.and_then(|open| self.text.find_key(key, open));
                ordered.push((key.as_str(), found));
            }
        }
        ordered
    }

    /// Values under an object no model names: only objects that name their own type are learnt.
    fn untyped(&mut self, value: &Value, at: At<'_>, depth: usize) {
        match value {
            Value::Object(object) => {
                let model = own_type(object).map(str::to_owned);
                self.object(object, model.as_deref(), at, depth + 1);
            }
            Value::Array(items) if depth < MAX_DEPTH => {
                self.elements(items, at.key, at.offset, at.line, |walker, item, at| {
                    walker.untyped(item, at, depth + 1);
                });
            }
            Value::Array(_) => self.report_too_deep(at),
            _ => {}
        }
    }

    /// Calls `visit` on the first [`MAX_ELEMENTS`] elements, each with its line and offset.
    fn elements(
        &mut self,
        items: &[Value],
        key: &str,
        open: Option<usize>,
        line: u32,
        mut visit: impl FnMut(&mut Self, &Value, At<'_>),
    ) {
        let offsets = open
            .map(|open| self.text.elements(open, MAX_ELEMENTS))
            .unwrap_or_default();
        for (index, item) in items.iter().take(MAX_ELEMENTS).enumerate() {
            let offset = offsets.get(index).copied();
            let at = At {
                key,
                line: offset.map_or(line, |offset| self.text.line(offset)),
                offset,
            };
            visit(self, item, at);
        }
    }

    /// A member `at.key` of an object of `model`: checked if declared, recorded otherwise.
    fn member(&mut self, model: &str, value: &Value, at: At<'_>, depth: usize) {
        let version = self.sample.version;
        if let Some(found) = self.catalog.property(version, model, at.key) {
            if found.property.name != at.key {
                self.cx.push(
                    Diagnostic::warning(
                        &self.source(at.line),
                        format!(
                            "key `{}` of `{}` is spelled `{}` in its properties table",
                            at.key, found.model.name, found.property.name
                        ),
                    )
                    .with_help(format!(
                        "JSON names are case-sensitive: write `{}`",
                        found.property.name
                    )),
                );
            }
            self.check(&found.model.name, found.property, value, at, depth);
        } else if !self.catalog.is_open(version, model) {
            self.infer(model, value, at, depth);
        }
    }

    /// Checks a value against its declared property, walking nested objects.
    fn check(&mut self, model: &str, property: &Property, value: &Value, at: At<'_>, depth: usize) {
        let TypeRef {
            name: type_name,
            collection,
        } = property.type_ref();
        if type_name == "Edm.Untyped" && !collection {
            return; // any JSON value is one
        }
        match (value, collection) {
            (Value::Null, _) => {}
            (Value::Array(items), true) => {
                self.elements(items, at.key, at.offset, at.line, |walker, item, at| {
                    walker.check_one(model, type_name, item, at, depth);
                });
            }
            (Value::Array(_), false) => {
                self.report_mismatch(model, type_name, false, value, "a collection", at);
            }
            (_, true) => {
                self.report_mismatch(model, type_name, true, value, "not a collection", at);
            }
            (_, false) => self.check_one(model, type_name, value, at, depth),
        }
    }

    /// Checks one (element) value against a declared type.
    fn check_one(&mut self, model: &str, type_name: &str, value: &Value, at: At<'_>, depth: usize) {
        if scalar::is_primitive(type_name) {
            if value.is_null() || scalar::fits(type_name, value) {
                return;
            }
            match value {
                Value::String(text) if is_placeholder(at.key, text) => {
                    self.report_placeholder(type_name, value, at);
                }
                _ => self.report_mismatch(model, type_name, false, value, &describe(value), at),
            }
            return;
        }
        let version = self.sample.version;
        let structured = self.catalog.model(version, type_name).is_some()
            || self.store.has_model(version, type_name);
        match value {
            Value::Null => {}
            Value::Object(object) => {
                let nested = own_type(object).unwrap_or(type_name).to_owned();
                self.object(object, Some(&nested), at, depth + 1);
            }
            // Probably a member of an enum type, which models do not describe.
            Value::String(_) if !structured => {}
            _ => self.report_mismatch(model, type_name, false, value, &describe(value), at),
        }
    }

    /// Records a value of a property no properties table declares.
    fn infer(&mut self, model: &str, value: &Value, at: At<'_>, depth: usize) {
        let (evidence, collection) = match value {
            Value::Null => (Evidence::Blank(Blank::Null), None),
            Value::Array(items) => (self.infer_elements(model, items, at, depth), Some(true)),
            Value::Object(object) => {
                let Some(nested) = self.nested_type(model, object, false, at) else {
                    return;
                };
                self.object(object, Some(&nested), at, depth + 1);
                (Evidence::Type(nested), Some(false))
            }
            scalar_value => (scalar_evidence(at.key, scalar_value), Some(false)),
        };
        let observation = Observation {
            evidence,
            collection,
            source: self.source(at.line),
        };
        self.store
            .observe(self.sample.version, model, at.key, observation, self.cx);
    }

    /// The element type of an array no properties table declares: numbers widen, strings of
    /// different shapes are `Edm.String`, other mixes keep the first type with a warning.
    fn infer_elements(
        &mut self,
        model: &str,
        items: &[Value],
        at: At<'_>,
        depth: usize,
    ) -> Evidence {
        let mut joined: Option<String> = None;
        let mut blank = Blank::EmptyArray;
        let mut mixed_reported = false;
        self.elements(items, at.key, at.offset, at.line, |walker, item, element| {
            let found = match item {
                Value::Null => return,
                Value::Array(_) => {
                    blank = Blank::NestedArray;
                    return;
                }
                Value::Object(object) => {
                    let Some(nested) = walker.nested_type(model, object, true, element) else {
                        return;
                    };
                    walker.object(object, Some(&nested), element, depth + 1);
                    nested
                }
                scalar_value => match scalar_evidence(at.key, scalar_value) {
                    Evidence::Type(found) => found,
                    Evidence::Blank(placeholder) => {
                        blank = placeholder;
                        return;
                    }
                },
            };
            let Some(first) = &joined else {
                joined = Some(found);
                return;
            };
            if *first == found {
                return;
            }
            if let Some(wider) = scalar::widen(first, &found) {
                joined = Some(wider.to_owned());
            } else if !mixed_reported {
                mixed_reported = true;
                walker.cx.push(
                    Diagnostic::warning(
                        &walker.source(element.line),
                        format!(
                            "elements of `{}` of `{model}` mix `{first}` and `{found}`; typed as `{first}`",
                            at.key
                        ),
                    )
                    .with_help(format!(
                        "declare `{}` with the type its elements share in the properties table of `{model}`",
                        at.key
                    )),
                );
            }
        });
        joined.map_or(Evidence::Blank(blank), Evidence::Type)
    }

    /// The type of a nested object under `at.key` of `model`: what it names itself, what an
    /// earlier sample showed, or a name made from the key (singular for array elements).
    fn nested_type(
        &mut self,
        model: &str,
        object: &Map<String, Value>,
        array: bool,
        at: At<'_>,
    ) -> Option<String> {
        if let Some(own) = own_type(object) {
            return Some(own.to_owned());
        }
        let earlier = self
            .store
            .property_type(self.sample.version, model, at.key)
            .filter(|earlier| !scalar::is_primitive(earlier));
        if let Some(earlier) = earlier {
            return Some(earlier.to_owned());
        }
        let named = singular::nested_type_name(model, at.key, array);
        if named.is_none() {
            self.cx.push(
                Diagnostic::warning(
                    &self.source(at.line),
                    format!("cannot name a type after key `{}` of `{model}`; its object is not inferred", at.key),
                )
                .with_help(format!(
                    "add `\"{ODATA_TYPE}\": \"#microsoft.graph.…\"` to the object, or declare `{}` in the properties table of `{model}`",
                    at.key
                )),
            );
        }
        named
    }

    fn report_placeholder(&self, type_name: &str, value: &Value, at: At<'_>) {
        let article = scalar::article(type_name);
        self.cx.push(
            Diagnostic::warning(
                &self.source(at.line),
                format!(
                    "sample value `{}` of `{}` is a placeholder, not {article} `{type_name}`",
                    scalar::preview(value),
                    at.key
                ),
            )
            .with_help(format!(
                "the typed client expects a real `{type_name}` here; mocks serve a stand-in"
            )),
        );
    }

    fn report_mismatch(
        &self,
        model: &str,
        type_name: &str,
        collection: bool,
        value: &Value,
        what: &str,
        at: At<'_>,
    ) {
        let declared = if collection {
            format!("Collection({type_name})")
        } else {
            type_name.to_owned()
        };
        self.cx.push(
            Diagnostic::warning(
                &self.source(at.line),
                format!(
                    "sample value `{}` of `{}` is {what}, but the properties table of `{model}` says `{declared}`",
                    scalar::preview(value),
                    at.key
                ),
            )
            .with_help("fix the example or the properties table; mocks serve a stand-in"),
        );
    }

    fn report_too_deep(&mut self, at: At<'_>) {
        if std::mem::replace(&mut self.too_deep, true) {
            return;
        }
        self.cx.push(
            Diagnostic::warning(
                &self.source(at.line),
                format!("example nests deeper than {MAX_DEPTH} levels at `{}`; deeper values are not inferred", at.key),
            )
            .with_help("shorten the example; its types come from the properties tables"),
        );
    }
}

/// What a scalar says about its type: a placeholder says nothing.
fn scalar_evidence(key: &str, value: &Value) -> Evidence {
    match value {
        Value::String(text) if is_placeholder(key, text) => {
            Evidence::Blank(Blank::Placeholder(scalar::preview(value)))
        }
        _ => scalar::classify(value).map_or(Evidence::Blank(Blank::Null), |found| {
            Evidence::Type(found.to_owned())
        }),
    }
}

/// How a value reads in a type mismatch message.
fn describe(value: &Value) -> String {
    match value {
        Value::Object(_) => "an object".to_owned(),
        Value::Array(_) => "a collection".to_owned(),
        Value::Null => "`null`".to_owned(),
        scalar_value => {
            scalar::classify(scalar_value).map_or_else(String::new, |found| format!("`{found}`"))
        }
    }
}

/// A key as written in the text, with JSON escapes decoded when there are any.
fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    serde_json::from_str(&format!("\"{raw}\"")).map_or_else(|_| Cow::Borrowed(raw), Cow::Owned)
}
