//! Doc examples made decodable: values that do not fit their declared type become stand-ins.

use serde_json::{Map, Value};

use super::catalog::Catalog;
use super::scalar;
use super::shape::{is_annotation, own_type, MAX_DEPTH};
use crate::ir::{ApiVersion, Property, TypeRef};

/// Replaces values in `value` that do not fit their declared type, as `catalog` declares
/// them; returns how many it replaced.
pub(super) fn conform(
    catalog: &Catalog<'_>,
    value: &mut Value,
    type_name: &str,
    version: ApiVersion,
) -> usize {
    let mut conformer = Conformer {
        catalog,
        version,
        replaced: 0,
    };
    let TypeRef { name, collection } = TypeRef::parse(type_name);
    if collection {
        let items = match value {
            Value::Array(items) => Some(items),
            Value::Object(object) => object.get_mut("value").and_then(Value::as_array_mut),
            _ => None,
        };
        for item in items.into_iter().flatten() {
            conformer.value(item, name, 1);
        }
    } else {
        conformer.value(value, name, 1);
    }
    conformer.replaced
}

struct Conformer<'c> {
    catalog: &'c Catalog<'c>,
    version: ApiVersion,
    replaced: usize,
}

impl Conformer<'_> {
    /// One (element) value of type `type_name`.
    fn value(&mut self, value: &mut Value, type_name: &str, depth: usize) {
        if value.is_null() || depth > MAX_DEPTH {
            return;
        }
        if scalar::is_primitive(type_name) {
            if !scalar::fits(type_name, value) {
                if let Some(stand_in) = scalar::stand_in(type_name) {
                    self.replace(value, stand_in);
                }
            }
            return;
        }
        let structured = self.catalog.model(self.version, type_name).is_some();
        match value {
            Value::Object(object) => {
                let own = own_type(object)
                    .filter(|own| self.catalog.model(self.version, own).is_some())
                    .map(str::to_owned);
                let model = own.as_deref().unwrap_or(type_name);
                self.object(object, model, depth);
            }
            // An enum member, or a type no model describes: nothing to check it against.
            _ if !structured => {}
            _ => self.replace(value, Value::Object(Map::new())),
        }
    }

    /// The declared properties of an object of `model`; undeclared keys are left alone.
    fn object(&mut self, object: &mut Map<String, Value>, model: &str, depth: usize) {
        for (key, value) in object.iter_mut() {
            if is_annotation(key) {
                continue;
            }
            if let Some(found) = self.catalog.property(self.version, model, key) {
                self.property(found.property, value, depth);
            }
        }
    }

    fn property(&mut self, property: &Property, value: &mut Value, depth: usize) {
        let TypeRef {
            name: type_name,
            collection,
        } = property.type_ref();
        match value {
            Value::Null => {}
            Value::Array(items) if collection => {
                for item in items {
                    self.value(item, type_name, depth + 1);
                }
            }
            _ if collection => self.replace(value, Value::Array(Vec::new())),
            Value::Array(_) => {
                let stand_in = if scalar::is_primitive(type_name) {
                    scalar::stand_in(type_name)
                } else {
                    self.catalog
                        .model(self.version, type_name)
                        .map(|_| Value::Object(Map::new()))
                };
                self.replace(value, stand_in.unwrap_or(Value::Null));
            }
            _ => self.value(value, type_name, depth + 1),
        }
    }

    fn replace(&mut self, value: &mut Value, stand_in: Value) {
        *value = stand_in;
        self.replaced += 1;
    }
}
