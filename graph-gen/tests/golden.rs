//! The golden IR of graph-gen's fixture docs (`tests/fixtures/docs/`: collisions, bodies,
//! polymorphism, several templates per page, `$ref`, `$value`, functions). The Rust they
//! generate is the golden `example-build` compiles (`graph-gen/example-build/generated/graph.rs`).
//!
//! After an intended change, regenerate both with
//! `GRAPH_GEN_BLESS=1 cargo test -p graph-gen --test golden -p example-build --test up_to_date`
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

const DOCS: &str = "graph-gen/tests/fixtures/docs";

#[test]
fn fixture_docs_ir_matches_golden() {
    let ir = support::load(&[DOCS]);
    compare(
        "fixtures.ir.json",
        &(serde_json::to_string_pretty(&ir).unwrap() + "\n"),
    );
}

#[test]
fn generation_is_deterministic() {
    let generator = graph_gen::Generator::default();
    let once = generator.generate_text(&support::load(&[DOCS])).unwrap();
    let twice = generator.generate_text(&support::load(&[DOCS])).unwrap();
    assert_eq!(once, twice);
}
