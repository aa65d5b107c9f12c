//! The checked-in `generated/graph.rs` is what graph-gen's fixture docs generate now: the
//! project's golden, compiled by this crate (`example_build::golden`).
//!
//! After changing the docs or graph-gen, regenerate it with
//! `GRAPH_GEN_BLESS=1 cargo test -p example-build --test up_to_date`.

use std::path::Path;

#[test]
fn checked_in_bindings_are_up_to_date() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generator = graph_gen::Generator::default();
    let ir = generator
        .load_docs_relative(
            manifest.ancestors().nth(2).unwrap(),
            &["graph-gen/tests/fixtures/docs"],
        )
        .unwrap();
    let checked_in = manifest.join("generated/graph.rs");
    if std::env::var_os("GRAPH_GEN_BLESS").is_some() {
        generator.write_bindings(&ir, &checked_in).unwrap();
    }
    if let Err(error) = generator.check_up_to_date(&ir, &checked_in) {
        panic!("{error}; regenerate with GRAPH_GEN_BLESS=1 cargo test -p example-build --test up_to_date");
    }
}

#[test]
fn a_changed_copy_is_reported_with_its_first_differing_line() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generator = graph_gen::Generator::default();
    let ir = generator
        .load_docs_relative(
            manifest.ancestors().nth(2).unwrap(),
            &["graph-gen/tests/fixtures/docs"],
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("graph.rs");
    assert!(generator.write_bindings(&ir, &copy).unwrap());
    assert!(
        !generator.write_bindings(&ir, &copy).unwrap(),
        "unchanged files are not rewritten"
    );
    let text = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(
        &copy,
        text.replacen("pub struct User", "pub struct Person", 1),
    )
    .unwrap();
    let error = generator.check_up_to_date(&ir, &copy).unwrap_err();
    let line = text
        .lines()
        .position(|l| l.contains("pub struct User"))
        .unwrap()
        + 1;
    assert!(
        matches!(error, graph_gen::Error::Stale { line: found, .. } if found == line),
        "{error}"
    );
}
