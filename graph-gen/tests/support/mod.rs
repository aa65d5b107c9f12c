//! Helpers shared by graph-gen's integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `../shared` next to the workspace, or `None` (after printing why) on machines without it.
pub fn shared() -> Option<PathBuf> {
    let shared = workspace().join("../shared");
    if shared.join("corpus").is_dir() {
        Some(shared)
    } else {
        eprintln!(
            "skipped: `{}` is absent; corpus tests run where the shared corpus is present (CI)",
            shared.display()
        );
        None
    }
}

/// The 1-based line of the first line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> u32 {
    let index = text
        .lines()
        .position(|line| line.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not found"));
    u32::try_from(index + 1).unwrap()
}

/// Loads docs paths relative to the workspace root.
pub fn load(paths: &[&str]) -> graph_gen::Ir {
    graph_gen::Generator::default()
        .load_docs_relative(&workspace(), paths)
        .expect("docs are readable")
}
