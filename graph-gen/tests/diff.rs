//! `graph-gen diff` on two small hand-made docs trees with known changes.

use std::path::Path;
use std::process::Command;

use graph_gen::diff::{diff, ChangeKind};

fn load(tree: &str) -> graph_gen::Ir {
    let ir = graph_gen::Generator::default()
        .load_docs_relative(Path::new(env!("CARGO_MANIFEST_DIR")), &[tree])
        .unwrap();
    assert!(!ir.has_errors(), "{:#?}", ir.diagnostics);
    ir
}

/// The changes between `tests/fixtures/diff/old` and `new`, as (kind, item, breaking).
const EXPECTED: &[(ChangeKind, &str, bool)] = &[
    (ChangeKind::OperationRemoved, "beta.users().by_id()", true),
    (
        ChangeKind::PermissionsChanged,
        "beta.users().by_id().reprocess_license_assignment()",
        true,
    ),
    (ChangeKind::PropertyAdded, "beta::User::job_title", true),
    (
        ChangeKind::PropertyRemoved,
        "beta::User::usage_location",
        true,
    ),
    (ChangeKind::OperationAdded, "beta.users().by_id()", false),
    (
        ChangeKind::PathAdded,
        "beta.users().by_id().reprocess_license_assignment()",
        false,
    ),
    (ChangeKind::ModelAdded, "beta::AssignedLicense", false),
];

#[test]
fn finds_exactly_the_known_changes_with_their_classes() {
    let changes = diff(
        &load("tests/fixtures/diff/old"),
        &load("tests/fixtures/diff/new"),
    );
    let found: Vec<(ChangeKind, &str, bool)> = changes
        .changes
        .iter()
        .map(|change| (change.kind, change.item.as_str(), change.breaking))
        .collect();
    assert_eq!(found, EXPECTED, "{changes}");
    let permissions = &changes.changes[1];
    assert_eq!(
        permissions.detail,
        "`Directory.ReadWrite.All` no longer allows application calls"
    );
    // Added and removed requests are told by the builder that gains or loses them.
    assert_eq!(
        changes.changes[0].detail,
        "lost `delete()`: operation `user: delete` removed (and `beta::user::delete`)"
    );
    assert_eq!(
        changes.changes[4].detail,
        "gained `get()`: operation `Get user` added (and `beta::user::get`)"
    );
    assert!(changes.is_breaking());
}

#[test]
fn no_changes_from_a_tree_to_itself() {
    let old = load("tests/fixtures/diff/old");
    assert!(diff(&old, &old).is_empty());
}

#[test]
fn the_cli_prints_json_and_fails_on_breaking_changes() {
    let run = |old: &str, new: &str| {
        Command::new(env!("CARGO_BIN_EXE_graph-gen"))
            .args(["diff", "--format", "json", old, new])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap()
    };
    let output = run("tests/fixtures/diff/old", "tests/fixtures/diff/new");
    assert_eq!(output.status.code(), Some(1), "breaking changes fail");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), EXPECTED.len());
    assert_eq!(changes[0]["kind"], "operation_removed");
    assert_eq!(changes[0]["item"], "beta.users().by_id()");
    assert_eq!(changes[0]["breaking"], true);
    assert_eq!(
        changes[0]["old"]["file"],
        "tests/fixtures/diff/old/beta/api/user-delete.md"
    );

    let compatible = run("tests/fixtures/diff/new", "tests/fixtures/diff/new");
    assert_eq!(compatible.status.code(), Some(0));
}
