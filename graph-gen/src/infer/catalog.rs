//! Look-ups in a list of models: by version and name, and properties through base types.

use rustc_hash::FxHashMap as HashMap;

use crate::ir::{ApiVersion, Model, Property};

/// How many base types a property look-up follows before it assumes a cycle.
const MAX_BASES: usize = 32;

/// An index of models by version and case-insensitive name; the first of duplicates wins.
#[derive(Debug)]
pub(super) struct Catalog<'m> {
    models: &'m [Model],
    by_name: HashMap<(ApiVersion, Caseless<'m>), usize>,
}

/// A name compared and hashed ignoring ASCII case, so look-ups need no lower-cased copy.
#[derive(Debug, Clone, Copy)]
struct Caseless<'a>(&'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl std::hash::Hash for Caseless<'_> {
    /// Eight bytes at a time with bit 5 set: names equal but for ASCII case hash alike (a few
    /// other bytes collide too, and equality tells them apart).
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        const CASE: u64 = 0x2020_2020_2020_2020;
        let mut chunks = self.0.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            state.write_u64(u64::from_le_bytes(word) | CASE);
        }
        let mut tail = [0; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        state.write_u64(u64::from_le_bytes(tail) | CASE);
    }
}

/// A property found for a sample key.
#[derive(Debug, Clone, Copy)]
pub(super) struct Found<'m> {
    /// The model (or base type) that declares it.
    pub model: &'m Model,
    /// The property.
    pub property: &'m Property,
}

impl<'m> Catalog<'m> {
    /// Indexes `models`.
    pub(super) fn new(models: &'m [Model]) -> Self {
        let mut by_name = HashMap::default();
        for (index, model) in models.iter().enumerate() {
            by_name
                .entry((model.version, Caseless(&model.name)))
                .or_insert(index);
        }
        Catalog { models, by_name }
    }

    /// The model named `name` (`#` and case ignored) in `version`.
    pub(super) fn model(&self, version: ApiVersion, name: &str) -> Option<&'m Model> {
        let name = Caseless(name.trim_start_matches('#'));
        let index = *self.by_name.get(&(version, name))?;
        self.models.get(index)
    }

    /// The property `key` of model `name` or of its base types: the exact spelling first, then
    /// one differing only in case.
    pub(super) fn property(&self, version: ApiVersion, name: &str, key: &str) -> Option<Found<'m>> {
        let chain = self.chain(version, name);
        let exact = chain.iter().find_map(|model| {
            let property = model.properties.iter().find(|p| p.name == key)?;
            Some(Found { model, property })
        });
        exact.or_else(|| {
            chain.iter().find_map(|model| {
                let property = model
                    .properties
                    .iter()
                    .find(|p| p.name.eq_ignore_ascii_case(key))?;
                Some(Found { model, property })
            })
        })
    }

    /// Whether model `name` or one of its base types is open.
    pub(super) fn is_open(&self, version: ApiVersion, name: &str) -> bool {
        self.chain(version, name)
            .iter()
            .any(|model| model.open_type)
    }

    /// Model `name` and its known base types, nearest first.
    pub(super) fn chain(&self, version: ApiVersion, name: &str) -> Vec<&'m Model> {
        let mut chain: Vec<&'m Model> = Vec::new();
        let mut next = self.model(version, name);
        while let Some(model) = next {
            if chain.len() >= MAX_BASES || chain.iter().any(|seen| std::ptr::eq(*seen, model)) {
                break;
            }
            chain.push(model);
            next = model.base_type.as_deref().and_then(|base| {
                self.model(version, base).or_else(|| {
                    // An unqualified base is in the derived type's namespace.
                    let (namespace, _) = model.name.rsplit_once('.')?;
                    self.model(version, &format!("{namespace}.{base}"))
                })
            });
        }
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Origin, Source};

    /// Names that differ only in ASCII case are one key, whatever their length.
    #[test]
    fn caseless_names_hash_and_compare_alike() {
        use std::hash::BuildHasher;
        let hasher = rustc_hash::FxBuildHasher;
        for (a, b) in [
            ("user", "USER"),
            ("microsoft.graph.DriveItem", "Microsoft.Graph.driveitem"),
            ("", ""),
            ("abcdefgh", "ABCDEFGH"),
        ] {
            assert_eq!(Caseless(a), Caseless(b));
            assert_eq!(hasher.hash_one(Caseless(a)), hasher.hash_one(Caseless(b)));
        }
        assert_ne!(Caseless("user"), Caseless("users"));
        assert_ne!(Caseless("a@"), Caseless("a`"), "bit 5 alone is not case");
    }

    fn model(name: &str, base: Option<&str>, properties: &[&str]) -> Model {
        Model {
            name: name.to_owned(),
            version: ApiVersion::V1,
            description: String::new(),
            base_type: base.map(str::to_owned),
            open_type: false,
            origin: Origin::Declared,
            properties: properties
                .iter()
                .map(|name| Property {
                    name: (*name).to_owned(),
                    type_name: "Edm.String".to_owned(),
                    collection: false,
                    description: String::new(),
                    origin: Origin::Declared,
                    source: Source::new("r.md", 1),
                })
                .collect(),
            source: Source::new("r.md", 1),
        }
    }

    #[test]
    fn finds_properties_through_base_types() {
        let models = [
            model("microsoft.graph.user", Some("directoryObject"), &["city"]),
            model(
                "microsoft.graph.directoryObject",
                Some("#microsoft.graph.entity"),
                &[],
            ),
            model("microsoft.graph.entity", None, &["id"]),
        ];
        let catalog = Catalog::new(&models);
        let found = catalog
            .property(ApiVersion::V1, "#Microsoft.Graph.User", "id")
            .unwrap();
        assert_eq!(found.model.name, "microsoft.graph.entity");
        assert_eq!(
            catalog
                .property(ApiVersion::V1, "microsoft.graph.user", "City")
                .unwrap()
                .property
                .name,
            "city"
        );
        assert!(catalog
            .property(ApiVersion::Beta, "microsoft.graph.user", "id")
            .is_none());
    }

    #[test]
    fn base_type_cycles_end() {
        let models = [
            model("ns.a", Some("ns.b"), &[]),
            model("ns.b", Some("ns.a"), &[]),
        ];
        let catalog = Catalog::new(&models);
        assert!(catalog.property(ApiVersion::V1, "ns.a", "x").is_none());
        assert!(!catalog.is_open(ApiVersion::V1, "ns.a"));
    }
}
