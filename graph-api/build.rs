//! Reads the docs pages into graph-gen's IR at build time; `src/lib.rs` expands it.
//!
//! The docs folder is `api-docs/` at the workspace root, or `GRAPH_API_DOCS` (relative to the
//! workspace root, or absolute). Every page and include read, and the folder itself (so that
//! added and removed pages count), reruns this script when it changes.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let workspace = manifest.parent().unwrap_or(&manifest).to_path_buf();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-env-changed=GRAPH_API_DOCS");
    let docs = std::env::var("GRAPH_API_DOCS").unwrap_or_else(|_| "api-docs".to_owned());
    println!("cargo:rerun-if-changed={}", workspace.join(&docs).display());

    let generator = graph_gen::Generator::default();
    let ir = if workspace.join(&docs).exists() {
        generator
            .load_docs_relative(&workspace, &[Path::new(&docs)])
            .unwrap_or_else(|error| panic!("cannot read the docs folder `{docs}`: {error}"))
    } else {
        println!(
            "cargo:warning=docs folder `{docs}` not found; graph-api has no generated bindings"
        );
        graph_gen::Ir::default()
    };
    for input in &ir.inputs {
        println!("cargo:rerun-if-changed={}", workspace.join(input).display());
    }
    // Errors fail the build in the macro, each at its page line; warnings leave usable items,
    // so the build only says how many there are and where to read them.
    let check = format!("cargo run -p graph-gen -- check {docs}");
    for line in graph_gen::warning_summary(&ir.diagnostics, 5, &check) {
        println!("cargo:warning={line}");
    }
    // A new resource's items compile ungated until the manifest declares its feature: say which
    // lines make it selectable.
    let manifest_features = graph_gen::CargoFeatures::read(&manifest.join("Cargo.toml"))
        .unwrap_or_else(|error| panic!("cannot read graph-api's Cargo.toml: {error}"));
    let missing = manifest_features.missing(&ir);
    if !missing.is_empty() {
        let lines: Vec<String> = missing.iter().map(|name| format!("{name} = []")).collect();
        println!(
            "cargo:warning={} of the docs have no cargo feature, so they cannot be left out: add `{}` to [features] in graph-api/Cargo.toml (and to `default`)",
            if missing.len() == 1 { "one version or resource" } else { "versions or resources" },
            lines.join("`, `")
        );
    }
    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("Cargo.toml").display()
    );
    let json = serde_json::to_string(&ir).expect("the IR serialises");
    std::fs::write(out.join("graph-ir.json"), json).expect("OUT_DIR is writable");
}
