//! The page reader on the seed page (2024 format) and on its 2021 version, field by field.

mod support;

use graph_gen::ir::{
    ApiVersion, Operation, PathParameter, PermissionSet, RequestBody, ScopeAlternative,
};
use graph_gen::Severity;
use serde_json::json;
use support::{line_of, load, shared, workspace};

const SEED: &str = "api-docs/beta/api/user-reprocesslicenseassignment.md";
const INCLUDE: &str =
    "api-docs/beta/includes/permissions/user-reprocesslicenseassignment-permissions.md";

fn seed_text() -> String {
    std::fs::read_to_string(workspace().join(SEED)).unwrap()
}

fn operation(ir: &graph_gen::Ir) -> &Operation {
    let found: Vec<_> = ir
        .operations
        .iter()
        .filter(|op| op.name == "reprocessLicenseAssignment")
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", ir.operations);
    found[0]
}

/// A 2024 row of single-scope alternatives: `least` in the least privileged column, `higher`
/// in the other.
fn supported(least: &[&str], higher: &[&str]) -> Option<PermissionSet> {
    let alternative = |scope: &&str, least_privileged| ScopeAlternative {
        scopes: vec![(*scope).to_owned()],
        condition: None,
        least_privileged,
    };
    let set = PermissionSet {
        least: least.iter().map(ToString::to_string).collect(),
        higher: higher.iter().map(ToString::to_string).collect(),
        alternatives: least
            .iter()
            .map(|scope| alternative(scope, true))
            .chain(higher.iter().map(|scope| alternative(scope, false)))
            .collect(),
        notes: Vec::new(),
    };
    (!set.least.is_empty()).then_some(set)
}

#[test]
fn seed_page_becomes_an_operation_with_every_field() {
    let ir = load(&["api-docs"]);
    let text = seed_text();
    let op = operation(&ir);

    assert_eq!(op.title, "user: reprocessLicenseAssignment");
    assert_eq!(op.resource.as_deref(), Some("user"));
    assert_eq!(
        (op.source.file.as_str(), op.source.line),
        (SEED, line_of(&text, "# user: reprocessLicenseAssignment"))
    );
    assert_eq!(op.version, ApiVersion::Beta);
    assert_eq!(op.namespace.as_deref(), Some("microsoft.graph"));
    assert!(
        op.description.starts_with(
            "Reprocess all group-based license assignments for the user. To learn more"
        ),
        "{}",
        op.description
    );
    assert!(
        !op.description.contains("INCLUDE"),
        "includes are not description text"
    );

    assert_eq!(op.http.len(), 1);
    let template = &op.http[0];
    assert_eq!(
        (template.method.as_str(), template.path.as_str()),
        ("POST", "/users/{id}/reprocessLicenseAssignment")
    );
    assert_eq!(
        template.parameters,
        [PathParameter {
            name: "id".into(),
            placeholder: "id".into()
        }]
    );
    assert_eq!(
        template.source.line,
        line_of(&text, "POST /users/{id}/reprocessLicenseAssignment")
    );

    let permissions = op.permissions.as_ref().expect("the include is read");
    assert_eq!(
        permissions.delegated_work,
        supported(&["User.ReadWrite.All"], &["Directory.ReadWrite.All"])
    );
    assert_eq!(permissions.delegated_personal, None);
    assert_eq!(
        permissions.application,
        supported(&["User.ReadWrite.All"], &["Directory.ReadWrite.All"])
    );
    assert_eq!(permissions.source.file, INCLUDE);

    let roles = op.roles.as_ref().expect("roles are listed in the note");
    assert_eq!(
        roles.roles,
        [
            "Directory Writers",
            "License Administrator",
            "User Administrator"
        ]
    );
    assert_eq!(
        roles.role_permission.as_deref(),
        Some("microsoft.directory/users/reprocessLicenseAssignment")
    );
    assert_eq!(op.national_clouds.as_deref(), Some("all-clouds"));
}

#[test]
fn seed_page_headers_body_response_and_examples() {
    let ir = load(&["api-docs"]);
    let op = operation(&ir);
    assert_eq!(op.request_headers.len(), 1);
    let header = &op.request_headers[0];
    assert_eq!(
        (header.name.as_str(), header.value.as_str(), header.required),
        ("Authorization", "Bearer {token}", true)
    );
    assert_eq!(op.request_body, RequestBody::None);

    let response = op.response.as_ref().unwrap();
    assert_eq!(
        (
            response.status,
            response.type_name.as_deref(),
            response.collection
        ),
        (200, Some("microsoft.graph.user"), false)
    );

    assert_eq!(op.examples.len(), 1);
    let example = &op.examples[0];
    assert_eq!(
        example.name.as_deref(),
        Some("user_reprocessLicenseAssignment")
    );
    let request = example.request.as_ref().unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://graph.microsoft.com/beta/users/047dd774-f1c4-40f2-82f0-278de79f9b83/reprocessLicenseAssignment");
    assert_eq!(request.body, None);
    let response = example.response.as_ref().unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(
        response.headers,
        [("Content-type".to_owned(), "application/json".to_owned())]
    );
    assert_eq!(response.odata_type.as_deref(), Some("microsoft.graph.user"));
    assert!(response.truncated);
    assert!(!response.collection);
    assert_eq!(
        response.body.as_ref().unwrap()["assignedLicenses"][0]["skuId"],
        json!("skuId-value")
    );
    assert_eq!(response.body.as_ref().unwrap()["city"], json!("city-value"));
}

#[test]
fn seed_models_come_from_resource_pages_and_samples_are_checked_against_them() {
    let ir = load(&["api-docs"]);
    let user = ir
        .model(ApiVersion::Beta, "microsoft.graph.user")
        .expect("user model");
    let property = |name: &str| {
        user.properties
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("no `{name}`"))
    };
    assert_eq!(
        (
            property("accountEnabled").type_name.as_str(),
            property("accountEnabled").collection
        ),
        ("Edm.Boolean", false)
    );
    assert_eq!(
        (
            property("assignedLicenses").type_name.as_str(),
            property("assignedLicenses").collection
        ),
        ("microsoft.graph.assignedLicense", true)
    );
    assert_eq!(property("businessPhones").type_name, "Edm.String");
    assert_eq!(
        user.base_type.as_deref(),
        Some("microsoft.graph.directoryObject")
    );
    let license = ir
        .model(ApiVersion::Beta, "microsoft.graph.assignedLicense")
        .unwrap();
    assert_eq!(
        license
            .properties
            .iter()
            .find(|p| p.name == "skuId")
            .unwrap()
            .type_name,
        "Edm.Guid"
    );

    // The sample's `"skuId": "skuId-value"` is a placeholder where a Guid is declared.
    let skuid_line = line_of(&seed_text(), "\"skuId\": \"skuId-value\"");
    let placeholder = ir
        .diagnostics
        .iter()
        .find(|d| d.file == SEED && d.line == skuid_line);
    let placeholder = placeholder.unwrap_or_else(|| {
        panic!(
            "no diagnostic at {SEED}:{skuid_line}: {:#?}",
            ir.diagnostics
        )
    });
    assert_eq!(placeholder.severity, Severity::Warning);
    assert!(
        placeholder.message.contains("skuId"),
        "{}",
        placeholder.message
    );
    assert!(!ir.has_errors(), "{:#?}", ir.diagnostics);
}

#[test]
fn v1_2021_page_reads_the_inline_permissions_table() {
    let Some(shared) = shared() else { return };
    let page = shared.join("corpus/graph-docs-2021/v1.0/api/user-reprocesslicenseassignment.md");
    let ir = graph_gen::Generator::default().load_docs(&[&page]).unwrap();
    let op = operation(&ir);
    let text = std::fs::read_to_string(&page).unwrap();

    assert_eq!(op.version, ApiVersion::V1);
    assert_eq!(op.resource.as_deref(), Some("user"));
    assert_eq!(
        op.source.line,
        line_of(&text, "# user: reprocessLicenseAssignment")
    );
    assert!(
        op.source
            .file
            .ends_with("v1.0/api/user-reprocesslicenseassignment.md"),
        "{}",
        op.source.file
    );
    assert_eq!(op.http[0].path, "/users/{id}/reprocessLicenseAssignment");
    assert_eq!(op.http[0].method, "POST");
    let permissions = op.permissions.as_ref().unwrap();
    assert_eq!(
        permissions.delegated_work,
        supported(&["User.ReadWrite.All"], &["Directory.ReadWrite.All"])
    );
    assert_eq!(permissions.delegated_personal, None);
    assert_eq!(
        permissions.application,
        supported(&["User.ReadWrite.All"], &["Directory.ReadWrite.All"])
    );
    assert_eq!(permissions.source.line, line_of(&text, "|Permission type"));
    assert_eq!(op.roles, None);
    assert_eq!(op.national_clouds, None);
    assert_eq!(op.request_headers[0].name, "Authorization");
    assert!(op.request_headers[0].required);
    assert_eq!(op.request_body, RequestBody::None);
    assert_eq!(op.response.as_ref().unwrap().status, 200);
    assert_eq!(
        op.response.as_ref().unwrap().type_name.as_deref(),
        Some("microsoft.graph.user")
    );
    let example = &op.examples[0];
    assert_eq!(example.request.as_ref().unwrap().url, "https://graph.microsoft.com/v1.0/users/047dd774-f1c4-40f2-82f0-278de79f9b83/reprocessLicenseAssignment");
    assert!(example.response.as_ref().unwrap().truncated);
    assert!(!ir.has_errors(), "{:#?}", ir.diagnostics);
}

/// A docs tree with the seed page and nothing else, in a temporary folder.
fn seed_alone() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("beta/api")).unwrap();
    std::fs::write(dir.path().join("beta/api/seed.md"), seed_text()).unwrap();
    dir
}

#[test]
fn missing_permissions_include_is_a_warning_and_null_permissions() {
    let dir = seed_alone();
    let ir = graph_gen::Generator::default()
        .load_docs(&[dir.path()])
        .unwrap();
    let op = operation(&ir);
    assert_eq!(op.permissions, None, "never invented");
    let include_line = line_of(&seed_text(), "[!INCLUDE [permissions-table]");
    let warning = ir
        .diagnostics
        .iter()
        .find(|d| d.line == include_line)
        .expect("a located warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(
        warning.message.contains("permissions include"),
        "{}",
        warning.message
    );
    assert!(warning.file.ends_with("beta/api/seed.md"));
    assert!(!ir.has_errors());
}

#[test]
fn include_leaving_the_docs_root_is_refused() {
    let dir = seed_alone();
    let escaping = seed_text().replace(
        "../includes/permissions/user-reprocesslicenseassignment-permissions.md",
        "../../../../etc/passwd",
    );
    std::fs::write(dir.path().join("beta/api/seed.md"), escaping).unwrap();
    let ir = graph_gen::Generator::default()
        .load_docs(&[dir.path()])
        .unwrap();
    assert_eq!(operation(&ir).permissions, None);
    let error = ir
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error");
    assert!(
        error.message.contains("leaves the docs root"),
        "{}",
        error.message
    );
    assert_eq!(
        error.line,
        line_of(&seed_text(), "[!INCLUDE [permissions-table]")
    );
    assert!(ir.inputs.iter().all(|input| !input.contains("passwd")));
}
