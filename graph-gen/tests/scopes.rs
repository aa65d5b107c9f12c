//! `graph-gen scopes` on a fixture crate (tests/fixtures/scopes-app) against the fixture docs:
//! the exact least privileged sets per account type, as text and as JSON.

mod support;

use std::process::{Command, Output};

const APP: &str = "graph-gen/tests/fixtures/scopes-app";
const DOCS: &str = "graph-gen/tests/fixtures/docs";

fn scopes(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graph-gen"))
        .args(args)
        .current_dir(support::workspace())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Per account type: each scope with the functions it allows.
type Expected<'a> = &'a [(&'a str, &'a [&'a str])];

const WORK: Expected<'_> = &[
    ("Files.ReadWrite", &["v1::drive_item::create_link"]),
    ("GroupMember.Read.All", &["v1::group::list_members"]),
    (
        "Mail.ReadBasic",
        &["v1::message::get", "v1::user::list_messages"],
    ),
    ("Mail.Send", &["v1::user::send_mail"]),
    // `User.Read.All` is needed anyway, so it also serves `get` (`User.Read`) and `list`
    // (`User.ReadBasic.All`, its least privileged alternative).
    (
        "User.Read.All",
        &[
            "v1::user::check_member_groups",
            "v1::user::get",
            "v1::user::list",
        ],
    ),
    ("User.ReadWrite", &["v1::user::update"]),
];

const PERSONAL: Expected<'_> = &[
    ("Files.ReadWrite", &["v1::drive_item::create_link"]),
    (
        "Mail.ReadBasic",
        &["v1::message::get", "v1::user::list_messages"],
    ),
    ("Mail.Send", &["v1::user::send_mail"]),
    ("User.ReadWrite", &["v1::user::get", "v1::user::update"]),
];

const APPLICATION: Expected<'_> = &[
    ("Files.ReadWrite.All", &["v1::drive_item::create_link"]),
    ("GroupMember.Read.All", &["v1::group::list_members"]),
    (
        "Mail.ReadBasic.All",
        &["v1::message::get", "v1::user::list_messages"],
    ),
    ("Mail.Send", &["v1::user::send_mail"]),
    (
        "User.ReadWrite.All",
        &[
            "v1::user::check_member_groups",
            "v1::user::get",
            "v1::user::list",
            "v1::user::update",
        ],
    ),
];

#[test]
fn scopes_json_has_the_exact_sets_per_account_type() {
    let json = json();
    for (account, expected) in [
        ("delegated_work", WORK),
        ("delegated_personal", PERSONAL),
        ("application", APPLICATION),
    ] {
        let got: Vec<(String, Vec<String>)> = json[account]["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|scope| {
                (
                    scope["scope"].as_str().unwrap().to_owned(),
                    serde_json::from_value(scope["operations"].clone()).unwrap(),
                )
            })
            .collect();
        let expected: Vec<(String, Vec<String>)> = expected
            .iter()
            .map(|(scope, ops)| {
                (
                    (*scope).to_owned(),
                    ops.iter().map(|op| (*op).to_owned()).collect(),
                )
            })
            .collect();
        assert_eq!(got, expected, "{account}");
        assert_eq!(json[account]["roles"], serde_json::json!([]), "{account}");
    }
    assert_eq!(json["delegated_work"]["unsupported"], serde_json::json!([]));
    assert_eq!(
        json["delegated_personal"]["unsupported"],
        serde_json::json!([
            "v1::group::list_members",
            "v1::user::check_member_groups",
            "v1::user::list"
        ])
    );
    assert_eq!(json["undocumented"], serde_json::json!([]));
}

fn json() -> serde_json::Value {
    let output = scopes(&["--format", "json", "scopes", APP, "--docs", DOCS]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Every way of calling resolved, each to its page, at its line; the two calls the docs do
/// not generate are located warnings.
#[test]
fn scopes_json_locates_each_call_and_each_unresolved_one() {
    let json = json();
    let main = format!("{APP}/src/main.rs");
    let other = format!("{APP}/src/other.rs");
    let main_text = std::fs::read_to_string(support::workspace().join(&main)).unwrap();
    let other_text = std::fs::read_to_string(support::workspace().join(&other)).unwrap();
    let at =
        |file: &str, text: &str, needle: &str| format!("{file}:{}", support::line_of(text, needle));
    let calls: Vec<(String, String)> = json["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| {
            assert_eq!(op["documented"], true);
            assert_eq!(op["calls"].as_array().unwrap().len(), 1, "{op}");
            (
                op["function"].as_str().unwrap().to_owned(),
                op["calls"][0].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        (
            "v1::drive_item::create_link",
            at(&other, &other_text, "item.create_link"),
        ),
        (
            "v1::group::list_members",
            at(&main, &main_text, "members().list()"),
        ),
        ("v1::message::get", at(&main, &main_text, ".get()")),
        (
            "v1::user::check_member_groups",
            at(&other, &other_text, ".check_member_groups("),
        ),
        ("v1::user::get", at(&main, &main_text, "v1::user::get(")),
        ("v1::user::list", at(&other, &other_text, ".users().list()")),
        (
            "v1::user::list_messages",
            at(&main, &main_text, "messages().list()"),
        ),
        (
            "v1::user::send_mail",
            at(&other, &other_text, "me.send_mail"),
        ),
        (
            "v1::user::update",
            at(&main, &main_text, "v1::user::update("),
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(function, call)| (function.to_owned(), call))
        .collect();
    assert_eq!(calls, expected);

    let diagnostics: Vec<(String, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        diagnostics,
        [
            (
                other.clone(),
                u64::from(support::line_of(&other_text, "calendar_view")),
                "`calendar_view` is not a navigation or request of `UserRequest` (in `v1.me()`)"
                    .to_owned()
            ),
            (
                other.clone(),
                u64::from(support::line_of(&other_text, "user::delete")),
                "`v1::user::delete` is not a generated function of the docs".to_owned()
            ),
        ]
    );
}

#[test]
fn scopes_text_lists_scopes_per_account_type() {
    let output = scopes(&["scopes", APP, "--docs", DOCS]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let section = |heading: &str| -> Vec<String> {
        stdout
            .split(&format!("\n{heading}:\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no `{heading}` in\n{stdout}"))
            .lines()
            .take_while(|line| line.starts_with("  "))
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    let lines = |expected: Expected<'_>| -> Vec<String> {
        expected
            .iter()
            .map(|(scope, ops)| format!("{scope} {}", ops.join(", ")))
            .collect()
    };
    assert_eq!(section("delegated (work or school account)"), lines(WORK));
    let mut personal = lines(PERSONAL);
    personal.push(
        "not supported: v1::group::list_members, v1::user::check_member_groups, v1::user::list"
            .to_owned(),
    );
    assert_eq!(section("delegated (personal Microsoft account)"), personal);
    assert_eq!(section("application"), lines(APPLICATION));
    assert!(stdout.starts_with("9 calls to 9 operations\n"), "{stdout}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("other.rs:29: warning: `v1::user::delete` is not a generated function"),
        "{stderr}"
    );
}

#[test]
fn scopes_an_unparsable_file_fails_with_its_line_and_the_rest_still_counts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/broken.rs"),
        "fn main() {\n    let x = ;\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "async fn f(c: &graph_api::GraphClient) { let _ = graph_api::v1::user::list(c).await; }\n",
    )
    .unwrap();
    let docs = support::workspace().join(DOCS);
    let output = scopes(&[
        "scopes",
        dir.path().to_str().unwrap(),
        "--docs",
        docs.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("broken.rs:2: error: `"), "{stderr}");
    assert!(stderr.contains("does not parse as rust"), "{stderr}");
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("User.ReadBasic.All  v1::user::list"),
        "{stdout}"
    );
}
