//! Adding pages never renames items that already exist.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

/// Every `pub fn`, `pub struct`, `pub enum` and `pub const` name, with its module path.
fn item_names(rust: &str) -> BTreeSet<String> {
    let file = syn::parse_file(rust).unwrap();
    let mut names = BTreeSet::new();
    collect(&file.items, "", &mut names);
    names
}

fn collect(items: &[syn::Item], prefix: &str, out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, inner)) = &module.content {
                    collect(inner, &format!("{prefix}{}::", module.ident), out);
                }
            }
            syn::Item::Fn(f) => drop(out.insert(format!("{prefix}{}", f.sig.ident))),
            syn::Item::Struct(s) => drop(out.insert(format!("{prefix}{}", s.ident))),
            syn::Item::Enum(e) => drop(out.insert(format!("{prefix}{}", e.ident))),
            syn::Item::Const(c) => drop(out.insert(format!("{prefix}{}", c.ident))),
            _ => {}
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn adding_pages_keeps_every_existing_name() {
    let generator = graph_gen::Generator::default();
    let docs = support::workspace().join("api-docs");
    let before = item_names(
        &generator
            .generate_text(&generator.load_docs(&[&docs]).unwrap())
            .unwrap(),
    );

    let dir = tempfile::tempdir().unwrap();
    copy_tree(&docs, dir.path());
    // A page that sorts first and documents a second `user` operation and a new type.
    std::fs::write(
        dir.path().join("beta/api/aaa-user-revokesigninsessions.md"),
        "---\ndoc_type: apiPageType\n---\n# user: revokeSignInSessions\n\nNamespace: microsoft.graph\n\nInvalidates refresh tokens.\n\n## HTTP request\n```http\nPOST /users/{id}/revokeSignInSessions\n```\n\n## Response\nIf successful, this method returns `204 No Content` response code.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("beta/resources/aaa-passwordprofile.md"),
        "---\ndoc_type: resourcePageType\n---\n# passwordProfile resource type\n\nNamespace: microsoft.graph\n\nA password.\n\n## Properties\n| Property | Type | Description |\n|:--|:--|:--|\n| password | String | The password. |\n",
    )
    .unwrap();
    let after = item_names(
        &generator
            .generate_text(&generator.load_docs(&[dir.path()]).unwrap())
            .unwrap(),
    );

    let lost: Vec<&String> = before.difference(&after).collect();
    assert!(lost.is_empty(), "renamed or lost: {lost:?}");
    assert!(
        after.contains("beta::user::revoke_sign_in_sessions"),
        "{after:?}"
    );
    assert!(after.contains("beta::PasswordProfile"));
}
