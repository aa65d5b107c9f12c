//! Generates the bindings for graph-gen's fixture docs (`graph-gen/tests/fixtures/docs/`) into
//! `$OUT_DIR/graph.rs`, which `src/lib.rs` includes. Pages with errors fail the build, each
//! error naming `file:line`. (The fixture tree, not `api-docs/`: pages a user adds there must
//! not change this crate's golden.)

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The docs, from the workspace root.
const DOCS: &str = "graph-gen/tests/fixtures/docs";

fn main() -> ExitCode {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    // This crate is `graph-gen/example-build/`; paths are shown from the workspace root.
    let workspace = manifest.ancestors().nth(2).unwrap_or(&manifest);
    let docs = Path::new(DOCS);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    // The folder too, so that added and removed pages rerun this script.
    println!("cargo:rerun-if-changed={}", workspace.join(docs).display());

    let generator = graph_gen::Generator::default();
    let ir = match generator.load_docs_relative(workspace, &[docs]) {
        Ok(ir) => ir,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    for input in &ir.inputs {
        println!("cargo:rerun-if-changed={}", workspace.join(input).display());
    }
    if ir.has_errors() {
        for diagnostic in ir.diagnostics.iter().filter(|d| d.is_error()) {
            eprintln!("{diagnostic}");
        }
        return ExitCode::FAILURE;
    }
    if let Err(error) = generator.write_bindings(&ir, out.join("graph.rs")) {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
