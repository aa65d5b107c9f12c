//! The success response of each operation, from all the evidence a page gives, once the
//! models are known.
//!
//! # Evidence
//! - the `Response` section's prose ([`ResponseProse`]): a status anywhere in it, links to
//!   resource pages (inline or reference-style), `string collection`, "collection";
//! - the example responses: their status, the annotation's `@odata.type` and `isCollection`,
//!   and the body (its shape, `{"value": [ … ]}` or one object, its own `@odata.type` or
//!   `@odata.context`, and which properties it has);
//! - the templates: one ending in a `{key}` addresses one entity.
//!
//! # Rules, in order
//! 1. **Status**: the prose's first success or redirect status; when the prose says `204` but an
//!    example answers another 2xx with a JSON body, the example's (a `204` has no body); without
//!    a status in the prose, the examples' first 2xx status; without either, `200` for a `GET`
//!    (a read always answers with something) and no response otherwise.
//! 2. **Type**: candidates are the prose's links that name a model or enum (links to error codes
//!    or conceptual pages name none and are never a type), the annotations' and bodies' types,
//!    and a primitive the prose or an annotation names. When the prose and the annotations name
//!    models that derive from one another, the base type wins: it decodes the derived one through
//!    `@odata.type` dispatch. When they are unrelated, the one whose properties cover more of the
//!    example bodies' keys wins (the annotation on a tie). Every disagreement is a warning at the
//!    example. With no model, a primitive is used; with nothing, the body is untyped JSON and a
//!    warning names the page to add.
//! 3. **Collection**: what the example bodies show (`{"value": [ … ]}` of a type that declares no
//!    `value` property), else the annotations, else the prose; a template ending in a `{key}`
//!    always addresses one entity.

use rustc_hash::FxHashMap as HashMap;
use serde_json::Value;

use super::catalog::Catalog;
use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{
    ApiVersion, EnumType, Example, ExampleResponse, Method, Model, Operation, Origin, Response,
    Source, TypeRef,
};
use crate::lower::{ResponseProse, TypeLink};

/// Everything the rules need besides one operation and its prose.
pub(crate) struct Known<'a> {
    catalog: Catalog<'a>,
    enums: HashMap<(ApiVersion, String), &'a str>,
    /// The type each resource page declares, by version and lower-case file stem.
    page_types: &'a HashMap<(ApiVersion, String), String>,
}

impl<'a> Known<'a> {
    pub(crate) fn new(
        models: &'a [Model],
        enums: &'a [EnumType],
        page_types: &'a HashMap<(ApiVersion, String), String>,
    ) -> Self {
        Known {
            catalog: Catalog::new(models),
            enums: enums
                .iter()
                .map(|declared| {
                    (
                        (declared.version, declared.name.to_ascii_lowercase()),
                        declared.name.as_str(),
                    )
                })
                .collect(),
            page_types,
        }
    }

    /// The model or enum `name` names in `version`, spelled as declared.
    fn named(&self, version: ApiVersion, name: &str) -> Option<Named<'a>> {
        let name = name.trim().trim_start_matches('#');
        if let Some(model) = self.catalog.model(version, name) {
            return Some(Named::Model(model));
        }
        self.enums
            .get(&(version, name.to_ascii_lowercase()))
            .map(|name| Named::Enum(name))
    }

    /// The model or enum a prose link names: by its text or page stem in the namespace, or by
    /// the type the linked resource page declares.
    fn linked(&self, version: ApiVersion, namespace: &str, link: &TypeLink) -> Option<Named<'a>> {
        let text = link.text.trim().trim_matches('`');
        let words = [text, link.stem.as_str()];
        words
            .iter()
            .filter(|word| {
                !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || c == '.')
            })
            .find_map(|word| {
                self.named(version, &format!("{namespace}.{word}"))
                    .or_else(|| self.named(version, &format!("microsoft.graph.{word}")))
                    .or_else(|| {
                        word.contains('.')
                            .then(|| self.named(version, word))
                            .flatten()
                    })
            })
            .or_else(|| {
                let declared = self
                    .page_types
                    .get(&(version, link.stem.to_ascii_lowercase()))?;
                self.named(version, declared)
            })
    }

    /// Whether `derived` is `base` or derives from it.
    fn derives(&self, version: ApiVersion, derived: &Model, base: &Model) -> bool {
        self.catalog
            .chain(version, &derived.name)
            .iter()
            .any(|model| std::ptr::eq(*model, base))
    }

    /// How many keys of `bodies` (objects, or the items of `value` arrays) `model` or its bases
    /// declare.
    fn fit(&self, version: ApiVersion, model: &Model, bodies: &[&Value]) -> usize {
        bodies
            .iter()
            .flat_map(|body| instances(body))
            .flat_map(|object| object.keys())
            .filter(|key| !is_annotation(key))
            .filter(|key| self.catalog.property(version, &model.name, key).is_some())
            .count()
    }

    /// Whether `model` or a base declares a `value` property that is a collection: then a
    /// body `{"value": [ … ]}` may be one instance of it.
    fn declares_value_collection(&self, version: ApiVersion, model: &Model) -> bool {
        self.catalog
            .property(version, &model.name, "value")
            .is_some_and(|found| {
                found.property.origin == Origin::Declared
                    && (found.property.collection
                        || found
                            .property
                            .type_name
                            .to_ascii_lowercase()
                            .starts_with("collection("))
            })
    }
}

/// A type the docs describe.
#[derive(Debug, Clone, Copy)]
enum Named<'a> {
    Model(&'a Model),
    Enum(&'a str),
}

impl Named<'_> {
    fn name(&self) -> &str {
        match self {
            Named::Model(model) => &model.name,
            Named::Enum(name) => name,
        }
    }
}

/// Settles `operation.response` from `prose` and the operation's examples and templates; a
/// collection read gains the query options every collection supports.
pub(crate) fn resolve(
    operation: &mut Operation,
    prose: &ResponseProse,
    known: &Known<'_>,
    cx: &Ctxt,
) {
    operation.response = response(operation, prose, known, cx);
    let reads_collection = operation.response.as_ref().is_some_and(|r| r.collection)
        && operation
            .http
            .first()
            .is_some_and(|template| template.method == Method::Get);
    if reads_collection {
        crate::lower::add_collection_query_options(&mut operation.query_options);
    }
}

fn response(
    operation: &Operation,
    prose: &ResponseProse,
    known: &Known<'_>,
    cx: &Ctxt,
) -> Option<Response> {
    let successes: Vec<&ExampleResponse> = success_examples(&operation.examples).collect();
    let mut with_body: Vec<&ExampleResponse> = successes
        .iter()
        .copied()
        .filter(|example| example.status != 204 && example.body.is_some())
        .collect();
    let is_get = operation
        .http
        .first()
        .is_some_and(|template| template.method == Method::Get);
    let (status, source) = status(operation, prose, &successes, &with_body, is_get, cx)?;
    let mut response = Response {
        status,
        type_name: None,
        collection: false,
        source,
    };
    if status == 204 {
        // Docs that say `204 No Content` yet show a body disagree with themselves: the call
        // decodes the body when one comes (`Option<T>` in the bindings) and accepts none.
        with_body = successes
            .iter()
            .copied()
            .filter(|example| example.body.is_some())
            .collect();
        let Some(first) = with_body.first() else {
            return Some(response);
        };
        cx.warning(
            &first.source,
            "the `204 No Content` response shows a body; the call decodes one when it comes, and none when it does not",
        );
    }
    if (300..400).contains(&status) || (prose.no_body && with_body.is_empty()) {
        return Some(response);
    }
    let version = operation.version;
    let namespace = operation.namespace.as_deref().unwrap_or("microsoft.graph");
    let bodies: Vec<&Value> = with_body.iter().filter_map(|e| e.body.as_ref()).collect();
    let chosen = choose_type(operation, prose, known, &with_body, &bodies, cx);
    match chosen {
        Some(Choice::Named(named)) => {
            response.type_name = Some(named.name().to_owned());
            let declares_value_collection = match named {
                Named::Model(model) => known.declares_value_collection(version, model),
                Named::Enum(_) => false,
            };
            response.collection = collection(
                operation,
                prose,
                &with_body,
                &bodies,
                declares_value_collection,
                &response.source,
                cx,
            );
        }
        Some(Choice::Primitive(name, said_collection)) => {
            response.type_name = Some(name);
            let shown = shape(&bodies, false);
            response.collection = shown.unwrap_or(said_collection);
        }
        None => {
            if let Some(missing) = missing_page(prose, namespace) {
                cx.push(
                    Diagnostic::warning(
                        &response.source,
                        format!(
                            "response type `{missing}` has no resource page; it is decoded as untyped JSON"
                        ),
                    )
                    .with_help(format!(
                        "add `{}/resources/{}.md`",
                        version.as_str(),
                        prose.links.first().map_or("", |link| link.stem.as_str())
                    )),
                );
            } else if !bodies.is_empty() || is_get {
                cx.push(
                    Diagnostic::warning(
                        &response.source,
                        "the docs name no type for the response body; it is decoded as untyped JSON",
                    )
                    .with_help(
                        "link the resource page of the type in the `Response` section, or annotate \
                         the example response with its `@odata.type`",
                    ),
                );
            }
            response.collection = shape(&bodies, false).unwrap_or(false);
        }
    }
    Some(response)
}

/// The 2xx example responses of the page.
fn success_examples(examples: &[Example]) -> impl Iterator<Item = &ExampleResponse> {
    examples
        .iter()
        .filter(|example| {
            // `$count` and `$value` answer with a number or bytes, not the type.
            example.request.as_ref().is_none_or(|request| {
                let path = request.url.split(['?', '#']).next().unwrap_or_default();
                let path = path.trim_end_matches('/');
                !(path.ends_with("/$count") || path.ends_with("/$value"))
            })
        })
        .filter_map(|example| example.response.as_ref())
        .filter(|response| (200..300).contains(&response.status))
}

/// Rule 1: the status, and where it was read.
fn status(
    operation: &Operation,
    prose: &ResponseProse,
    successes: &[&ExampleResponse],
    with_body: &[&ExampleResponse],
    is_get: bool,
    cx: &Ctxt,
) -> Option<(u16, Source)> {
    match (prose.status, with_body.first(), successes.first()) {
        (Some(204), Some(example), _) => {
            cx.warning(
                &example.source,
                format!(
                    "`Response` section says `204 No Content` but the example answers `{}` with a body; the example's status is used",
                    example.status
                ),
            );
            Some((example.status, example.source.clone()))
        }
        (Some(status), _, _) => Some((status, prose.source.clone())),
        (None, _, Some(example)) => {
            if prose.has_section {
                cx.warning(
                    &prose.source,
                    format!(
                        "`Response` section names no status code; the example's `{}` is used",
                        example.status
                    ),
                );
            }
            Some((example.status, example.source.clone()))
        }
        (None, _, None) if is_get => {
            cx.warning(
                &prose.source,
                if prose.has_section {
                    "`Response` section names no status code; a `GET` is read as answering `200 OK`"
                } else {
                    "page has no `Response` section; a `GET` is read as answering `200 OK`"
                },
            );
            Some((200, prose.source.clone()))
        }
        (None, _, None) => {
            let at = if prose.has_section {
                &prose.source
            } else {
                &operation.source
            };
            cx.warning(
                at,
                "`Response` section names no status code; the response is unknown",
            );
            None
        }
    }
}

/// What rule 2 picked.
enum Choice<'a> {
    Named(Named<'a>),
    /// An `Edm` primitive, and whether the docs say it is a collection.
    Primitive(String, bool),
}

/// Rule 2: the body type.
fn choose_type<'a>(
    operation: &Operation,
    prose: &ResponseProse,
    known: &Known<'a>,
    examples: &[&ExampleResponse],
    bodies: &[&Value],
    cx: &Ctxt,
) -> Option<Choice<'a>> {
    let version = operation.version;
    let namespace = operation.namespace.as_deref().unwrap_or("microsoft.graph");
    let said = prose
        .links
        .iter()
        .find_map(|link| known.linked(version, namespace, link))
        .or_else(|| {
            prose.emphasized.iter().find_map(|word| {
                [word.clone(), super::singular::singular(word)]
                    .iter()
                    .find_map(|word| known.named(version, &format!("{namespace}.{word}")))
            })
        });
    let shown = examples.iter().find_map(|example| {
        let named = example_type(example).and_then(|name| {
            known
                .named(version, name)
                .or_else(|| known.named(version, &format!("{namespace}.{name}")))
        })?;
        Some((named, &example.source))
    });
    let chosen = match (said, shown) {
        (Some(said), None) => said,
        (None, Some((shown, _))) => shown,
        (Some(said), Some((shown, at))) => settle(version, said, shown, at, known, bodies, cx),
        (None, None) => {
            return primitive(prose, examples)
                .map(|(name, collection)| Choice::Primitive(name, collection));
        }
    };
    Some(Choice::Named(chosen))
}

/// The type an example response names: its annotation, else the body's own `@odata.type`
/// (of the object or of the first item of `value`), else a qualified name in `@odata.context`.
fn example_type(example: &ExampleResponse) -> Option<&str> {
    if let Some(name) = example.odata_type.as_deref() {
        return Some(name.trim().trim_start_matches('#'));
    }
    let body = example.body.as_ref()?.as_object()?;
    typed(body)
        .or_else(|| {
            let first = body.get("value")?.as_array()?.first()?.as_object()?;
            typed(first)
        })
        .or_else(|| {
            let context = body.get("@odata.context")?.as_str()?;
            let inner = TypeRef::parse(context.split_once("$metadata#")?.1).name;
            (inner.starts_with("microsoft.graph.") && !inner.contains(['/', '('])).then_some(inner)
        })
}

/// An object's own `"@odata.type"`, without its `#`.
fn typed(object: &serde_json::Map<String, Value>) -> Option<&str> {
    object
        .get("@odata.type")
        .and_then(Value::as_str)
        .map(|name| name.trim_start_matches('#'))
}

/// The prose's and the example's models disagree: pick by the base-type rule, then by fit.
fn settle<'a>(
    version: ApiVersion,
    said: Named<'a>,
    shown: Named<'a>,
    at: &Source,
    known: &Known<'a>,
    bodies: &[&Value],
    cx: &Ctxt,
) -> Named<'a> {
    let (Named::Model(said_model), Named::Model(shown_model)) = (said, shown) else {
        return shown;
    };
    if std::ptr::eq(said_model, shown_model) {
        return said;
    }
    let (chosen, why) = if known.derives(version, shown_model, said_model) {
        (
            said,
            "the base type, which decodes the derived one through `@odata.type`",
        )
    } else if known.derives(version, said_model, shown_model) {
        (
            shown,
            "the base type, which decodes the derived one through `@odata.type`",
        )
    } else if known.fit(version, said_model, bodies) > known.fit(version, shown_model, bodies) {
        (said, "the type whose properties the example bodies show")
    } else {
        (shown, "the type the example shows")
    };
    cx.warning(
        at,
        format!(
            "the `Response` section names `{}` but the example response is `{}`; the response is read as `{}`, {why}",
            said.name(),
            shown.name(),
            chosen.name()
        ),
    );
    chosen
}

/// A primitive the prose or an example annotation names (`Collection(Edm.String)`, `string`),
/// else the one the bodies hold (`{"value": true}`, `{"value": ["a", "b"]}`).
fn primitive(prose: &ResponseProse, examples: &[&ExampleResponse]) -> Option<(String, bool)> {
    let named = prose.primitive.clone().or_else(|| {
        examples.iter().find_map(|example| {
            let name = example.odata_type.as_deref()?;
            let primitive = crate::lower::primitive_type(name)?;
            Some((primitive.to_owned(), example.collection))
        })
    });
    named.or_else(|| {
        examples.iter().find_map(|example| {
            let value = example.body.as_ref()?.as_object()?.get("value")?;
            match value {
                Value::Array(items) => Some((scalar_type(items.first()?)?.to_owned(), true)),
                scalar => Some((scalar_type(scalar)?.to_owned(), false)),
            }
        })
    })
}

/// The `Edm` type of a JSON scalar, as an example shows it.
fn scalar_type(value: &Value) -> Option<&'static str> {
    match value {
        Value::Bool(_) => Some("Edm.Boolean"),
        Value::String(_) => Some("Edm.String"),
        Value::Number(number) if number.is_i64() || number.is_u64() => Some("Edm.Int64"),
        Value::Number(_) => Some("Edm.Double"),
        _ => None,
    }
}

/// The qualified name of a resource page the prose links but no page in the docs declares.
fn missing_page(prose: &ResponseProse, namespace: &str) -> Option<String> {
    prose
        .links
        .iter()
        .find(|link| link.to_resource_page && !link.stem.contains('-'))
        .map(|link| format!("{namespace}.{}", link.stem))
}

/// Rule 3: whether the response is a collection of the chosen type.
fn collection(
    operation: &Operation,
    prose: &ResponseProse,
    examples: &[&ExampleResponse],
    bodies: &[&Value],
    declares_value: bool,
    source: &Source,
    cx: &Ctxt,
) -> bool {
    let annotated = examples
        .iter()
        .find(|example| example.odata_type.is_some())
        .map(|example| example.collection);
    let said = prose.collection || prose.links.iter().any(|link| link.collection);
    let shown = shape(bodies, declares_value);
    let read = shown.or(annotated).unwrap_or(said);
    let addresses_one = !operation.http.is_empty()
        && operation
            .http
            .iter()
            .all(|template| template.path.addresses_one());
    let collection = read && !addresses_one;
    if shown.is_some() && collection != said && prose.has_section && !prose.links.is_empty() {
        let (was, now) = if collection {
            ("one object", "a collection")
        } else {
            ("a collection", "one object")
        };
        cx.warning(
            source,
            format!(
                "`Response` section says {was} but the examples return {now}; it is read as {now}"
            ),
        );
    }
    collection
}

/// What the bodies show when they agree: `Some(true)` for `{"value": [ … ]}` (only `value`
/// besides annotations) or a bare array, `Some(false)` for other objects.
fn shape(bodies: &[&Value], declares_value: bool) -> Option<bool> {
    let mut shapes = bodies.iter().filter_map(|body| match body {
        Value::Array(_) => Some(true),
        Value::Object(object) => {
            let mut keys = object.keys().filter(|key| !is_annotation(key));
            let only_value = keys.next().is_some_and(|key| key == "value") && keys.next().is_none();
            Some(only_value && !declares_value && object.get("value").is_some_and(Value::is_array))
        }
        _ => None,
    });
    let first = shapes.next()?;
    shapes.all(|shape| shape == first).then_some(first)
}

/// `@odata.context`, `value@odata.nextLink`, and `odata.context` as some examples write it.
fn is_annotation(key: &str) -> bool {
    key.contains('@') || key.starts_with("odata.")
}

/// The objects a body holds instances in: itself, or the items of its `value` array.
fn instances(body: &Value) -> Vec<&serde_json::Map<String, Value>> {
    match body {
        Value::Object(object) => match object.get("value") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
            _ => vec![object],
        },
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// Rule 4, for responses the page leaves untyped: the type that the `GET` of the same
/// template answers with elsewhere in the docs (for a `POST` to a collection, its element).
pub(crate) fn from_paths(operations: &mut [Operation], cx: &Ctxt) {
    let mut answers: HashMap<(ApiVersion, String), (String, bool)> = HashMap::default();
    for operation in operations.iter() {
        let Some(response) = &operation.response else {
            continue;
        };
        let Some(type_name) = &response.type_name else {
            continue;
        };
        for template in &operation.http {
            if template.method == Method::Get {
                answers
                    .entry((operation.version, template.path.shape()))
                    .or_insert_with(|| (type_name.clone(), response.collection));
            }
        }
    }
    for operation in operations.iter_mut() {
        let shows_body = success_examples(&operation.examples)
            .any(|example| example.status != 204 && example.body.is_some());
        let version = operation.version;
        let Some(response) = operation.response.as_mut() else {
            continue;
        };
        let reads = operation
            .http
            .first()
            .is_some_and(|template| template.method == Method::Get);
        if response.type_name.is_some()
            || !(200..300).contains(&response.status)
            || response.status == 204
            || !(shows_body || reads)
        {
            continue;
        }
        let found = operation.http.iter().find_map(|template| {
            let key = template.path.shape();
            let answer = answers.get(&(version, key.clone()));
            match template.method {
                Method::Get | Method::Patch | Method::Put => {
                    answer.map(|(name, collection)| (name, *collection))
                }
                // A `POST` to a collection answers with the item it created.
                Method::Post => answer
                    .filter(|(_, collection)| *collection)
                    .or_else(|| answers.get(&(version, format!("{key}/{{}}"))))
                    .map(|(name, _)| (name, false)),
                Method::Delete => None,
            }
            .map(|(name, collection)| (name, collection, template))
        });
        if let Some((type_name, collection, template)) = found {
            cx.warning(
                &response.source,
                format!(
                    "the docs name no type for the response body; it is read as `{type_name}`{}, which `GET {}` answers with",
                    if collection { " collection" } else { "" },
                    template.path
                ),
            );
            response.type_name = Some(type_name.clone());
            response.collection = collection;
        }
    }
}
