//! What samples showed, merged per model in first-seen order, then folded into the declared models.

use rustc_hash::FxHashMap as HashMap;

use super::scalar;
use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{ApiVersion, Model, Origin, Property, Source};

/// Why a property value says nothing about its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Blank {
    /// `null`.
    Null,
    /// `[]`, or an array of nothing but `null`s.
    EmptyArray,
    /// A documentation placeholder, as previewed in messages.
    Placeholder(String),
    /// An array of arrays, which no Graph type is.
    NestedArray,
}

/// What one sample value says about its property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Evidence {
    /// The value has this type (`Edm.Guid`, `microsoft.graph.assignedLicense`).
    Type(String),
    /// The value gives no type evidence.
    Blank(Blank),
}

/// One value of a property seen in a sample.
#[derive(Debug, Clone)]
pub(super) struct Observation {
    /// Its type, or why there is none.
    pub evidence: Evidence,
    /// Whether it is an array; `None` for `null`.
    pub collection: Option<bool>,
    /// The line of its key.
    pub source: Source,
}

#[derive(Debug)]
struct SampleProperty {
    name: String,
    source: Source,
    type_name: Option<String>,
    collection: Option<bool>,
    blank: Option<Blank>,
}

#[derive(Debug)]
struct SampleModel {
    name: String,
    version: ApiVersion,
    source: Source,
    truncated: bool,
    properties: Vec<SampleProperty>,
    by_name: HashMap<String, usize>,
}

/// Every model and property the samples showed, in first-seen order.
#[derive(Debug, Default)]
pub(super) struct Store {
    models: Vec<SampleModel>,
    by_name: HashMap<(ApiVersion, String), usize>,
}

impl Store {
    /// Notes an object of model `name` seen at `source`; the first sighting is the model's source.
    pub(super) fn touch(
        &mut self,
        version: ApiVersion,
        name: &str,
        source: &Source,
        truncated: bool,
    ) {
        self.model_index(version, name, source, truncated);
    }

    /// Whether a sample showed an object of model `name`.
    pub(super) fn has_model(&self, version: ApiVersion, name: &str) -> bool {
        self.by_name
            .contains_key(&(version, name.to_ascii_lowercase()))
    }

    /// The type an earlier sample showed for `key` of model `name`.
    pub(super) fn property_type(&self, version: ApiVersion, name: &str, key: &str) -> Option<&str> {
        let model = &self.models[*self.by_name.get(&(version, name.to_ascii_lowercase()))?];
        let property = &model.properties[*model.by_name.get(key)?];
        property.type_name.as_deref()
    }

    /// Records a value of `key` of model `name`. Conflicts with earlier samples are warnings, and
    /// the first sample wins, except that numbers widen (`Edm.Int32` then `Edm.Int64`).
    pub(super) fn observe(
        &mut self,
        version: ApiVersion,
        name: &str,
        key: &str,
        observation: Observation,
        cx: &Ctxt,
    ) {
        let index = self.model_index(version, name, &observation.source, false);
        let model = &mut self.models[index];
        let Some(&at) = model.by_name.get(key) else {
            model.by_name.insert(key.to_owned(), model.properties.len());
            let (type_name, blank) = match observation.evidence {
                Evidence::Type(type_name) => (Some(type_name), None),
                Evidence::Blank(blank) => (None, Some(blank)),
            };
            model.properties.push(SampleProperty {
                name: key.to_owned(),
                source: observation.source,
                type_name,
                collection: observation.collection,
                blank,
            });
            return;
        };
        let model_name = model.name.clone();
        let property = &mut model.properties[at];
        merge(property, &model_name, observation, cx);
    }

    /// The declared models in their order, with the properties samples added to them, then the
    /// models only samples showed, sorted by version and name.
    pub(super) fn finish(self, declared: Vec<Model>, cx: &Ctxt) -> Vec<Model> {
        let mut models = declared;
        let mut index = HashMap::default();
        for (at, model) in models.iter().enumerate() {
            index
                .entry((model.version, model.name.to_ascii_lowercase()))
                .or_insert(at);
        }
        let mut new = Vec::new();
        for sample in self.models {
            match index.get(&(sample.version, sample.name.to_ascii_lowercase())) {
                Some(&at) => {
                    let model = &mut models[at];
                    for property in sample.properties {
                        if model.origin == Origin::Declared {
                            report_undeclared(model, &property, cx);
                        }
                        model.properties.push(property.finish(&model.name, cx));
                    }
                }
                None => new.push(sample.finish(cx)),
            }
        }
        new.sort_by(|a, b| (a.version, &a.name).cmp(&(b.version, &b.name)));
        models.extend(new);
        models
    }

    fn model_index(
        &mut self,
        version: ApiVersion,
        name: &str,
        source: &Source,
        truncated: bool,
    ) -> usize {
        let key = (version, name.to_ascii_lowercase());
        if let Some(&at) = self.by_name.get(&key) {
            self.models[at].truncated |= truncated;
            return at;
        }
        self.by_name.insert(key, self.models.len());
        self.models.push(SampleModel {
            name: name.to_owned(),
            version,
            source: source.clone(),
            truncated,
            properties: Vec::new(),
            by_name: HashMap::default(),
        });
        self.models.len() - 1
    }
}

/// Folds a later observation into a property an earlier one created.
fn merge(property: &mut SampleProperty, model: &str, observation: Observation, cx: &Ctxt) {
    let name = &property.name;
    match (property.collection, observation.collection) {
        (None, Some(collection)) => property.collection = Some(collection),
        (Some(first), Some(now)) if first != now => {
            let (was, is) = if first {
                ("a collection", "a single value")
            } else {
                ("a single value", "a collection")
            };
            cx.push(
                Diagnostic::warning(
                    &observation.source,
                    format!(
                        "property `{name}` of `{model}` is {was} in the example at {} but {is} here; keeping {was}",
                        property.source
                    ),
                )
                .with_help(format!(
                    "make the examples agree, or declare `{name}` in the properties table of `{model}`"
                )),
            );
        }
        _ => {}
    }
    match (&property.type_name, observation.evidence) {
        (None, Evidence::Type(now)) => property.type_name = Some(now),
        (Some(first), Evidence::Type(now)) if *first != now => {
            if let Some(wider) = scalar::widen_number(first, &now) {
                property.type_name = Some(wider.to_owned());
                return;
            }
            cx.push(
                Diagnostic::warning(
                    &observation.source,
                    format!(
                        "property `{name}` of `{model}` is `{first}` in the example at {} but `{now}` here; keeping `{first}`",
                        property.source
                    ),
                )
                .with_help(format!(
                    "make the examples agree, or declare `{name}` in the properties table of `{model}`"
                )),
            );
        }
        (_, Evidence::Blank(blank)) => {
            property.blank.get_or_insert(blank);
        }
        _ => {}
    }
}

/// Warns, at the model's properties table, that a sample shows a property the table lacks.
fn report_undeclared(model: &Model, property: &SampleProperty, cx: &Ctxt) {
    cx.push(
        Diagnostic::warning(
            &model.source,
            format!(
                "property `{}` of `{}` appears in the example at {} but not in its properties table",
                property.name, model.name, property.source
            ),
        )
        .with_help(format!(
            "add a `{}` row to the properties table of `{}`, or remove it from the example",
            property.name, model.name
        )),
    );
}

impl SampleProperty {
    /// The IR property; a property without type evidence is an `Edm.String` and a warning.
    fn finish(self, model: &str, cx: &Ctxt) -> Property {
        let type_name = self.type_name.unwrap_or_else(|| {
            let only = match &self.blank {
                Some(Blank::Placeholder(value)) => format!("the placeholder `{value}`"),
                Some(Blank::Null) | None => "`null`".to_owned(),
                Some(Blank::EmptyArray) => "an empty array".to_owned(),
                Some(Blank::NestedArray) => "arrays of arrays".to_owned(),
            };
            cx.push(
                Diagnostic::warning(
                    &self.source,
                    format!(
                        "type of `{}` of `{model}` is a guess (`{}`): the examples only show {only}",
                        self.name,
                        scalar::STRING
                    ),
                )
                .with_help(format!(
                    "declare `{}` in the properties table of `{model}`, or write a real value in the example",
                    self.name
                )),
            );
            scalar::STRING.to_owned()
        });
        Property {
            description: format!("Inferred from the example at {}.", self.source),
            name: self.name,
            type_name,
            collection: self.collection.unwrap_or(false),
            origin: Origin::Sample,
            source: self.source,
        }
    }
}

impl SampleModel {
    /// The IR model of a type only samples showed.
    fn finish(self, cx: &Ctxt) -> Model {
        let mut description = format!("Inferred from the example at {}.", self.source);
        if self.truncated {
            description
                .push_str(" The example is truncated, so the type may have more properties.");
        }
        let properties = self
            .properties
            .into_iter()
            .map(|property| property.finish(&self.name, cx))
            .collect();
        Model {
            name: self.name,
            version: self.version,
            description,
            base_type: None,
            open_type: false,
            origin: Origin::Sample,
            properties,
            source: self.source,
        }
    }
}
