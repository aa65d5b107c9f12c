//! Golden files for the default `api-docs`: its IR as JSON and the Rust generated from it.
//!
//! After an intended change, regenerate them with `GRAPH_GEN_BLESS=1 cargo test -p graph-gen --test golden`
//! and review the diff.

mod support;

use std::path::Path;

fn compare(golden: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(golden);
    if std::env::var_os("GRAPH_GEN_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "`{}` differs from the generated output from line {}; if intended, rerun with GRAPH_GEN_BLESS=1\n--- expected\n{}\n--- actual\n{}",
            path.display(),
            first_difference + 1,
            expected.lines().skip(first_difference).take(5).collect::<Vec<_>>().join("\n"),
            actual.lines().skip(first_difference).take(5).collect::<Vec<_>>().join("\n"),
        );
    }
}

#[test]
fn default_docs_ir_matches_golden() {
    let ir = support::load(&["api-docs"]);
    compare(
        "api-docs.ir.json",
        &(serde_json::to_string_pretty(&ir).unwrap() + "\n"),
    );
}

#[test]
fn default_docs_rust_matches_golden() {
    let ir = support::load(&["api-docs"]);
    let rust = graph_gen::Generator::default().generate_text(&ir).unwrap();
    compare("api-docs.rs", &rust);
}

#[test]
fn generation_is_deterministic() {
    let generator = graph_gen::Generator::default();
    let once = generator
        .generate_text(&support::load(&["api-docs"]))
        .unwrap();
    let twice = generator
        .generate_text(&support::load(&["api-docs"]))
        .unwrap();
    assert_eq!(once, twice);
}
