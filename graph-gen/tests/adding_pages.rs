//! "Adding a page" (README) can never break the project's tests: a copy of the workspace with
//! real v1.0 pages added to its `api-docs/` passes `cargo test --workspace`.
//!
//! Heavy (the copy builds from scratch in its own target folder, about 7 minutes on 2 cores), so
//! ignored; `.ci/run` runs it: `cargo test -p graph-gen --test adding_pages -- --ignored`.

mod support;

use std::path::Path;
use std::process::Command;

/// Pages a new user might add: API pages of several resources (a `GET` by key, collections, a
/// `PATCH`, actions, a `$ref`-style member list), with the resource pages they name.
const API_PAGES: &[&str] = &[
    "user-get",
    "user-list",
    "user-update",
    "user-sendmail",
    "user-list-messages",
    "group-get",
    "group-list",
    "group-list-members",
    "message-get",
    "event-get",
    "driveitem-get",
    "driveitem-createlink",
    "application-list",
];
const RESOURCE_PAGES: &[&str] = &[
    "user",
    "group",
    "message",
    "event",
    "driveitem",
    "application",
    "permission",
    "drive",
];

/// Calls written the way the URL reads (issue #14's contract), over the pages above: a test
/// file of the copy, so it compiles with the copy's tests and fails them if a name moves.
const CONTRACT: &str = r#"//! Written by graph-gen's `adding_pages` test.

async fn contract(client: &graph_api::GraphClient) -> Result<(), graph_api::Error> {
    let v1 = graph_api::v1::api(client);
    let _: graph_api::v1::Message = v1.users().by_id("ada@contoso.com").messages().by_id("AAMk").get().await?;
    let _: graph_api::v1::Message = v1.me().messages().by_id("AAMk").get().await?;
    let body = graph_api::v1::drive_item::CreateLinkBody::default();
    let _: graph_api::v1::Permission = v1.me().drive().items().by_id("01BY").create_link(&body).await?;
    let _users = v1.users().list().select(["id", "displayName"]).stream();
    v1.users()
        .by_id("ada@contoso.com")
        .update(&graph_api::v1::user::UpdateBody { city: graph_api::Patch::Null, ..Default::default() })
        .await?;
    Ok(())
}

#[test]
fn the_navigation_contract_compiles() {
    let client = graph_api::GraphClient::builder().bearer_token("t").build().unwrap();
    // Built, not awaited: nothing is sent.
    drop(contract(&client));
}
"#;

#[test]
#[ignore = "builds a copy of the workspace; run by .ci/run"]
fn workspace_tests_pass_with_corpus_pages_added_to_api_docs() {
    let Some(shared) = support::shared() else {
        return;
    };
    let workspace = support::workspace();
    let scratch = workspace.join("target/adding-pages");
    let copy = scratch.join("workspace");
    if copy.exists() {
        std::fs::remove_dir_all(&copy).unwrap();
    }
    copy_tracked_files(&workspace, &copy);
    let corpus = shared.join("corpus/graph-docs-2021/v1.0");
    for (folder, pages) in [("api", API_PAGES), ("resources", RESOURCE_PAGES)] {
        let to = copy.join("api-docs/v1.0").join(folder);
        std::fs::create_dir_all(&to).unwrap();
        for page in pages {
            let name = format!("{page}.md");
            std::fs::copy(corpus.join(folder).join(&name), to.join(&name))
                .unwrap_or_else(|error| panic!("{folder}/{name}: {error}"));
        }
    }
    // The navigation contract of the API-surface issue, compiled against these pages.
    std::fs::write(
        copy.join("graph-api/tests/navigation_contract.rs"),
        CONTRACT,
    )
    .unwrap();
    // The copy has no `../shared` beside it: its corpus tests skip, the rest run.
    let status = Command::new(env!("CARGO"))
        .args(["test", "--workspace", "--locked"])
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .status()
        .unwrap();
    assert!(
        status.success(),
        "`cargo test --workspace` fails in {} after adding {} pages to api-docs/",
        copy.display(),
        API_PAGES.len() + RESOURCE_PAGES.len()
    );
    std::fs::remove_dir_all(&copy).unwrap();
}

/// Copies the files git tracks (what a clone has) from `from` into `to`.
fn copy_tracked_files(from: &Path, to: &Path) {
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(from)
        .output()
        .unwrap();
    assert!(listed.status.success(), "git ls-files failed");
    for file in listed
        .stdout
        .split(|&byte| byte == 0)
        .filter(|f| !f.is_empty())
    {
        let file = Path::new(std::str::from_utf8(file).unwrap());
        let target = to.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(file), &target).unwrap();
    }
}
