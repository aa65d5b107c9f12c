//! The IR of the workspace's `api-docs/`, read as `graph-api`'s build script reads it.

/// Every page of `api-docs/`, with paths relative to the workspace.
pub fn ir() -> graph_gen::Ir {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("graph-api sits in the workspace");
    graph_gen::Generator::default()
        .load_docs_relative(workspace, &["api-docs"])
        .expect("api-docs reads")
}
