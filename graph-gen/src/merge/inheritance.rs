//! Base-type chains: a cycle is broken, and a chain too deep or too large for one struct is cut,
//! each with an error naming the chain.
//!
//! Each struct holds its inherited properties as fields of its own (`user.id`, not
//! `user.entity.id`), so a struct's size grows with its chain; bounding the depth and the fields
//! of every chain keeps the generated fields within [`MAX_BASE_TYPES`] + 1 times the declared
//! properties.

use rustc_hash::FxHashMap as HashMap;

use super::MAX_MODEL_FIELDS;
use crate::diagnostics::{Ctxt, Diagnostic};
use crate::ir::{ApiVersion, Model};

/// At most this many base types above a model are inherited.
///
/// The deepest chains of the corpus (`../shared/corpus/graph-docs-2021`) have 4 base types above
/// the model: `microsoft.graph.sectionGroup` in v1.0 and
/// `microsoft.graph.windowsUpdates.expeditedQualityUpdateReference` in beta, with no cycle. See
/// BENCHMARKS.md, "Hostile input: generator".
pub(crate) const MAX_BASE_TYPES: usize = 16;

/// How far the chain above a model is known.
#[derive(Debug, Clone, Copy)]
enum Chain {
    Unseen,
    /// On the chain being followed now.
    Following,
    /// Base types above it, and its fields with the inherited ones.
    Known {
        depth: usize,
        fields: usize,
    },
}

/// Breaks cycles of base types and cuts chains deeper than [`MAX_BASE_TYPES`] or larger than
/// [`MAX_MODEL_FIELDS`] fields, by dropping the `base_type` of the model where the chain goes
/// wrong. Each model's chain is followed once, so the cost is linear in the models.
pub(super) fn bound(models: &mut [Model], cx: &Ctxt) {
    let mut index: HashMap<(ApiVersion, String), usize> = HashMap::default();
    for (at, model) in models.iter().enumerate() {
        index
            .entry((model.version, model.name.to_ascii_lowercase()))
            .or_insert(at);
    }
    let mut bases: Vec<Option<usize>> = models
        .iter()
        .map(|model| {
            let base = model.base_type.as_deref()?;
            resolve(&index, model.version, base)
        })
        .collect();
    let mut chains = vec![Chain::Unseen; models.len()];
    let mut path = Vec::new();
    for start in 0..models.len() {
        let mut at = start;
        loop {
            match chains[at] {
                Chain::Known { .. } => break,
                Chain::Following => {
                    // `at` is on the path: the last model's base closes the cycle.
                    let from = path.iter().position(|&id| id == at).unwrap_or(0);
                    let closing = path[path.len() - 1];
                    report_cycle(models, &path[from..], cx);
                    cut(models, &mut bases, closing);
                    break;
                }
                Chain::Unseen => {
                    chains[at] = Chain::Following;
                    path.push(at);
                    match bases[at] {
                        Some(base) => at = base,
                        None => break,
                    }
                }
            }
        }
        while let Some(id) = path.pop() {
            let own = models[id].properties.len();
            let inherited = bases[id].map(|base| match chains[base] {
                Chain::Known { depth, fields } => (depth + 1, own + fields),
                // The path is unwound from its top: a model's base is known before it.
                Chain::Unseen | Chain::Following => (0, own),
            });
            chains[id] = match inherited {
                None => Chain::Known {
                    depth: 0,
                    fields: own,
                },
                Some((depth, fields)) if depth <= MAX_BASE_TYPES && fields <= MAX_MODEL_FIELDS => {
                    Chain::Known { depth, fields }
                }
                Some((depth, fields)) => {
                    report_cut(models, &bases, id, depth, fields, cx);
                    cut(models, &mut bases, id);
                    Chain::Known {
                        depth: 0,
                        fields: own,
                    }
                }
            };
        }
    }
}

/// The model `base` names, the way codegen finds it: qualified (`microsoft.graph.entity`) or
/// bare (`entity`) for one in `microsoft.graph`, in any case.
fn resolve(
    index: &HashMap<(ApiVersion, String), usize>,
    version: ApiVersion,
    base: &str,
) -> Option<usize> {
    let key = base.trim().trim_start_matches('#').to_ascii_lowercase();
    if let Some(&at) = index.get(&(version, key.clone())) {
        return Some(at);
    }
    if key.contains('.') {
        return None;
    }
    index
        .get(&(version, format!("microsoft.graph.{key}")))
        .copied()
}

/// Drops the base type of `models[id]`: it is generated with its own properties only.
fn cut(models: &mut [Model], bases: &mut [Option<usize>], id: usize) {
    models[id].base_type = None;
    bases[id] = None;
}

/// `a` → `b` → `c`, shortened to the first three and the last when longer.
fn chain_text(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    if quoted.len() <= 5 {
        return quoted.join(" → ");
    }
    format!(
        "{} → … → {}",
        quoted[..3].join(" → "),
        quoted[quoted.len() - 1]
    )
}

fn report_cycle(models: &[Model], cycle: &[usize], cx: &Ctxt) {
    let Some(&closing) = cycle.last() else {
        return;
    };
    let model = &models[closing];
    let diagnostic = if cycle.len() == 1 {
        Diagnostic::error(
            &model.source,
            format!(
                "type `{}` is its own base type; it is generated without one",
                model.name
            ),
        )
    } else {
        // From the model reported, round the cycle back to it.
        let mut names = vec![model.name.as_str()];
        names.extend(cycle.iter().map(|&id| models[id].name.as_str()));
        Diagnostic::error(
            &model.source,
            format!(
                "base types of `{}` form a cycle: {}; it is generated without its base type",
                model.name,
                chain_text(&names)
            ),
        )
    };
    cx.push(diagnostic.with_help(format!(
        "make `baseType` of `{}` name a type that does not derive from it, or remove it",
        model.name
    )));
}

fn report_cut(
    models: &[Model],
    bases: &[Option<usize>],
    id: usize,
    depth: usize,
    fields: usize,
    cx: &Ctxt,
) {
    let model = &models[id];
    // The chain above is bounded already, so this walk is too.
    let mut names = vec![model.name.as_str()];
    let mut at = bases[id];
    while let Some(base) = at.filter(|_| names.len() <= MAX_BASE_TYPES + 1) {
        names.push(models[base].name.as_str());
        at = bases[base];
    }
    let chain = chain_text(&names);
    let diagnostic = if depth > MAX_BASE_TYPES {
        Diagnostic::error(
            &model.source,
            format!(
                "type `{}` has {depth} base types ({chain}); at most {MAX_BASE_TYPES} are inherited, so it is generated without inherited properties",
                model.name
            ),
        )
        .with_help(format!(
            "derive `{}` from a type nearer the root: Microsoft Graph types have at most 4 base types",
            model.name
        ))
    } else {
        Diagnostic::error(
            &model.source,
            format!(
                "type `{}` has {fields} properties with those of its base types ({chain}); at most {MAX_MODEL_FIELDS} are generated, so it is generated without inherited properties",
                model.name
            ),
        )
        .with_help(format!(
            "declare fewer properties on `{}` or its base types: the largest Microsoft Graph types have about 300",
            model.name
        ))
    };
    cx.push(diagnostic);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Origin, Property, Source};

    fn model(name: &str, base: Option<&str>, properties: usize) -> Model {
        Model {
            name: format!("microsoft.graph.{name}"),
            version: ApiVersion::Beta,
            description: String::new(),
            base_type: base.map(str::to_owned),
            open_type: false,
            origin: Origin::Declared,
            properties: (0..properties)
                .map(|n| Property {
                    name: format!("{name}{n}"),
                    type_name: "Edm.String".into(),
                    collection: false,
                    description: String::new(),
                    origin: Origin::Declared,
                    source: Source::new(format!("{name}.md"), 10),
                })
                .collect(),
            source: Source::new(format!("{name}.md"), 1),
        }
    }

    fn bounded(mut models: Vec<Model>) -> (Vec<Option<String>>, Vec<String>) {
        let cx = Ctxt::new();
        bound(&mut models, &cx);
        let bases = models.into_iter().map(|model| model.base_type).collect();
        let messages = cx
            .into_diagnostics()
            .into_iter()
            .map(|d| d.to_string())
            .collect();
        (bases, messages)
    }

    /// `a` base `b`, `b` base `a`, `s` base `s`: one error per cycle, at the model whose base
    /// closes it, and each cycle broken there.
    #[test]
    fn cycles_are_broken_where_they_close() {
        let (bases, messages) = bounded(vec![
            model("a", Some("b"), 1),
            model("b", Some("microsoft.graph.a"), 1),
            model("s", Some("#S"), 1),
            model("c", Some("a"), 1),
        ]);
        assert_eq!(bases, [Some("b".into()), None, None, Some("a".into())]);
        assert_eq!(
            messages,
            [
                "b.md:1: error: base types of `microsoft.graph.b` form a cycle: `microsoft.graph.b` → `microsoft.graph.a` → `microsoft.graph.b`; it is generated without its base type\n  help: make `baseType` of `microsoft.graph.b` name a type that does not derive from it, or remove it",
                "s.md:1: error: type `microsoft.graph.s` is its own base type; it is generated without one\n  help: make `baseType` of `microsoft.graph.s` name a type that does not derive from it, or remove it",
            ]
        );
    }

    /// A chain of 40 types, each deriving from the one before: every 17th loses its base, so no
    /// struct inherits from more than 16, and the chain is named in the error.
    #[test]
    fn deep_chains_are_cut_every_max_levels() {
        let models: Vec<Model> = (0..40)
            .map(|n| {
                let base = (n > 0).then(|| format!("t{}", n - 1));
                model(&format!("t{n}"), base.as_deref(), 1)
            })
            .collect();
        let (bases, messages) = bounded(models);
        let cut: Vec<usize> = (1..40).filter(|&n| bases[n].is_none()).collect();
        assert_eq!(cut, [17, 34]);
        assert_eq!(messages.len(), 2);
        assert!(
            messages[0].starts_with("t17.md:1: error: type `microsoft.graph.t17` has 17 base types (`microsoft.graph.t17` → `microsoft.graph.t16` → `microsoft.graph.t15` → … → `microsoft.graph.t0`); at most 16 are inherited"),
            "{messages:?}"
        );
    }

    /// Base types whose fields add up past the cap are cut at the model that crosses it.
    #[test]
    fn chains_too_large_for_one_struct_are_cut() {
        let (bases, messages) = bounded(vec![
            model("big", None, 1_500),
            model("mid", Some("big"), 400),
            model("over", Some("mid"), 101),
            model("fine", Some("big"), 500),
        ]);
        assert_eq!(bases, [None, Some("big".into()), None, Some("big".into())]);
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("over.md:1: error: type `microsoft.graph.over` has 2001 properties with those of its base types (`microsoft.graph.over` → `microsoft.graph.mid` → `microsoft.graph.big`); at most 2000 are generated"),
            "{messages:?}"
        );
    }

    /// 100,000 models in one chain and 100,000 deriving from one base are followed in linear
    /// time (each chain once), without recursion.
    #[test]
    fn long_chains_and_wide_trees_are_linear() {
        let chain: Vec<Model> = (0..100_000)
            .map(|n| {
                let base = (n > 0).then(|| format!("t{}", n - 1));
                model(&format!("t{n}"), base.as_deref(), 0)
            })
            .collect();
        let (_, messages) = bounded(chain);
        assert_eq!(messages.len(), 100_000 / 17);
        let star: Vec<Model> = std::iter::once(model("root", None, 1))
            .chain((0..100_000).map(|n| model(&format!("d{n}"), Some("root"), 0)))
            .collect();
        let (bases, messages) = bounded(star);
        assert!(messages.is_empty());
        assert!(bases[1..].iter().all(Option::is_some));
    }
}
