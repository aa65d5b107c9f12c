//! Every API version and resource of `api-docs/` has a cargo feature, so users can select it.

mod api_docs;

use graph_gen::codegen::{CargoFeatures, UNGROUPED_MODULE};
use graph_gen::ir::ApiVersion;

#[test]
fn every_version_and_resource_in_the_docs_has_a_feature() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let features = CargoFeatures::read(&manifest.join("Cargo.toml")).unwrap();
    let ir = api_docs::ir();
    let mut missing = std::collections::BTreeSet::new();
    for operation in &ir.operations {
        let version = match operation.version {
            ApiVersion::V1 => "v1",
            ApiVersion::Beta => "beta",
        };
        let resource = operation
            .resource
            .as_deref()
            .filter(|resource| !resource.trim().is_empty())
            .map_or_else(
                || UNGROUPED_MODULE.to_owned(),
                graph_gen::naming::snake_case,
            );
        for feature in [version.to_owned(), resource] {
            if !features.is_declared(&feature) {
                missing.insert(feature);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add to graph-api/Cargo.toml [features]: {}, and to `default`",
        missing
            .iter()
            .map(|name| format!("`{name} = []`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
