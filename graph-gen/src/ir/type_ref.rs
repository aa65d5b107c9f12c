//! Type references as the IR writes them: an OData name (`Edm.String`,
//! `microsoft.graph.user`) and whether the value is a collection of it.

/// A type reference read once from its text: `Collection(…)` (any case), a leading `#` and
/// spaces are understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeRef<'a> {
    /// The element type's name, without `#` or `Collection(…)`.
    pub name: &'a str,
    /// Whether the value is a collection of `name`.
    pub collection: bool,
}

impl<'a> TypeRef<'a> {
    /// Reads `text`: `Collection(microsoft.graph.user)` is a collection of
    /// `microsoft.graph.user`; `#microsoft.graph.user` and ` Edm.String ` are single values.
    pub fn parse(text: &'a str) -> TypeRef<'a> {
        let trimmed = text.trim();
        let inner = trimmed
            .get(..11)
            .filter(|head| head.eq_ignore_ascii_case("collection("))
            .and_then(|_| trimmed[11..].strip_suffix(')'));
        match inner {
            Some(inner) => TypeRef {
                name: inner.trim().trim_start_matches('#'),
                collection: true,
            },
            None => TypeRef {
                name: trimmed.trim_start_matches('#'),
                collection: false,
            },
        }
    }

    /// A name and a collection flag as the IR stores them side by side (the name may still
    /// say `Collection(…)` in IR written by hand).
    pub fn of(name: &'a str, collection: bool) -> TypeRef<'a> {
        let parsed = TypeRef::parse(name);
        TypeRef {
            name: parsed.name,
            collection: parsed.collection || collection,
        }
    }

    /// Whether the element type is an `Edm` primitive name (`Edm.String`).
    pub fn is_edm(&self) -> bool {
        self.name
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("edm."))
    }
}

impl std::fmt::Display for TypeRef<'_> {
    /// `Collection(x)` or `x`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.collection {
            write!(f, "Collection({})", self.name)
        } else {
            f.write_str(self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TypeRef;

    #[test]
    fn collection_wrappers_hashes_and_spaces() {
        assert_eq!(
            TypeRef::parse("Collection(Edm.String)"),
            TypeRef {
                name: "Edm.String",
                collection: true
            }
        );
        assert_eq!(
            TypeRef::parse(" collection( #microsoft.graph.user ) "),
            TypeRef {
                name: "microsoft.graph.user",
                collection: true
            }
        );
        assert_eq!(
            TypeRef::parse("#microsoft.graph.user").name,
            "microsoft.graph.user"
        );
        assert!(!TypeRef::parse("Collection(x").collection);
        assert!(TypeRef::of("Collection(x)", false).collection);
        assert_eq!(TypeRef::of("x", true).to_string(), "Collection(x)");
        assert!(TypeRef::parse("edm.int32").is_edm());
    }
}
