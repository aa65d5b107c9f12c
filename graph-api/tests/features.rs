//! Every API version and resource of `api-docs/` has a cargo feature, so users can select it.

mod api_docs;

use graph_gen::__private::{operation_module, version_module_name};
use graph_gen::CargoFeatures;

#[test]
fn every_version_and_resource_in_the_docs_has_a_feature() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let features = CargoFeatures::read(&manifest.join("Cargo.toml")).unwrap();
    let ir = api_docs::ir();
    let mut missing = std::collections::BTreeSet::new();
    for operation in &ir.operations {
        let version = version_module_name(operation.version);
        let resource = operation_module(operation);
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
