//! Cargo features of resources: `graph-api`'s build names the feature lines a version or
//! resource of the docs lacks (a new page's resource builds ungated until then).

use graph_gen::{CargoFeatures, Generator};

/// graph-gen's fixture docs, with paths shown from the workspace.
fn fixture_ir() -> graph_gen::Ir {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("graph-api sits in the workspace");
    Generator::default()
        .load_docs_relative(workspace, &["graph-gen/tests/fixtures/docs"])
        .expect("the fixture docs read")
}

#[test]
fn the_build_names_the_feature_lines_a_manifest_lacks() {
    let ir = fixture_ir();
    let declared =
        CargoFeatures::parse("[features]\nv1 = []\nuser = []\ndefault = [\"v1\"]\n").unwrap();
    assert_eq!(
        declared.missing(&ir),
        ["directory_object", "drive_item", "group", "message"]
    );
    let all = CargoFeatures::from_names([
        "v1",
        "user",
        "directory_object",
        "drive_item",
        "group",
        "message",
    ]);
    assert!(all.missing(&ir).is_empty());
}
