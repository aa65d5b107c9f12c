//! The CLI workflow around the docs: rustc-style and JSON diagnostics, the closing summary,
//! per-page progress, and `generate --check` for checked-in bindings.

mod support;

use std::path::Path;
use std::process::{Command, Output};

fn graph_gen(args: &[&str], folder: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graph-gen"))
        .args(args)
        .current_dir(folder)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A docs tree with one API page whose HTTP section has an unknown method at line 8.
fn broken_docs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("docs/beta/api/broken.md");
    std::fs::create_dir_all(page.parent().unwrap()).unwrap();
    std::fs::write(
        &page,
        "---\ndoc_type: apiPageType\n---\n# user: broken\n\n## HTTP request\n```http\nFETCH /users/{id}\n```\n",
    )
    .unwrap();
    dir
}

#[test]
fn human_diagnostics_show_the_page_line_with_a_caret_and_help() {
    let dir = broken_docs();
    let output = graph_gen(&["check", "--format", "human", "docs"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    let expected = "error: unknown HTTP method `FETCH`\n --> docs/beta/api/broken.md:8:1\n  |\n8 | FETCH /users/{id}\n  | ^^^^^^^^^^^^^^^^^\n";
    assert!(stderr.contains(expected), "{stderr}");
    assert!(stderr.contains("  = help: write one of `GET`"), "{stderr}");
}

#[test]
fn short_diagnostics_keep_the_plain_form_and_end_with_the_summary() {
    let dir = broken_docs();
    let output = graph_gen(&["check", "--format", "short", "docs"], dir.path());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("docs/beta/api/broken.md:8: error: unknown HTTP method `FETCH`\n  help: "),
        "{stderr}"
    );
    let summary = stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("1 page, 0 operations, 0 models: ") && summary.ends_with('s'),
        "{summary}"
    );
}

#[test]
fn json_diagnostics_are_one_document_on_stdout() {
    let dir = broken_docs();
    let output = graph_gen(&["check", "--format", "json", "docs"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let fetch = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["line"] == 8)
        .unwrap();
    assert_eq!(fetch["severity"], "error");
    assert_eq!(fetch["file"], "docs/beta/api/broken.md");
    assert_eq!(fetch["message"], "unknown HTTP method `FETCH`");
    assert_eq!(json["summary"]["pages"], 1);
    assert!(json["summary"]["errors"].as_u64().unwrap() >= 1);
}

#[test]
fn loading_reports_progress_after_every_page() {
    let mut seen = Vec::new();
    let ir = graph_gen::Generator::default()
        .load_docs_with_progress(&[support::workspace().join("api-docs")], &mut |progress| {
            seen.push((progress.done, progress.total));
        })
        .unwrap();
    assert!(!ir.operations.is_empty());
    let pages = seen.len();
    assert!(
        pages >= 4,
        "the seed has an API page and three resource pages"
    );
    assert_eq!(seen.last(), Some(&(pages, pages)));
    assert!(seen.windows(2).all(|pair| pair[0].0 + 1 == pair[1].0));
}

#[test]
fn generate_check_accepts_fresh_and_rejects_stale_bindings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("graph.rs");
    let out_arg = out.to_str().unwrap();
    let workspace = support::workspace();
    let written = graph_gen(&["generate", "api-docs", "-o", out_arg], &workspace);
    assert!(written.status.success(), "{}", text(&written.stderr));
    let fresh = graph_gen(
        &["generate", "api-docs", "-o", out_arg, "--check"],
        &workspace,
    );
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));

    let mut bindings = std::fs::read_to_string(&out).unwrap();
    bindings.push_str("// edited by hand\n");
    std::fs::write(&out, &bindings).unwrap();
    let stale = graph_gen(
        &["generate", "api-docs", "-o", out_arg, "--check"],
        &workspace,
    );
    assert_eq!(stale.status.code(), Some(1));
    let line = bindings.lines().count();
    assert!(
        text(&stale.stderr).contains(&format!("first difference at line {line}")),
        "{}",
        text(&stale.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        bindings,
        "--check writes nothing"
    );
}
