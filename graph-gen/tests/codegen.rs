//! Generated code for small IRs: the seed operation's shape, and hostile docs text.

use graph_gen::ir::Ir;
use graph_gen::{GenerationSettings, Generator};

/// The seed page (`POST /users/{id}/reprocessLicenseAssignment`) and the models it returns.
const SEED: &str = r#"{
  "operations": [{
    "name": "reprocessLicenseAssignment",
    "resource": "user",
    "title": "user: reprocessLicenseAssignment",
    "source": { "file": "api-docs/beta/api/user-reprocesslicenseassignment.md", "line": 12 },
    "version": "beta",
    "namespace": "microsoft.graph",
    "description": "Reprocess all group-based license assignments for the user. See [What is group-based licensing](/azure/active-directory/fundamentals/active-directory-licensing-whatis-azure-portal).",
    "http": [{
      "method": "POST",
      "path": "/users/{id}/reprocessLicenseAssignment",
      "raw": "/users/{id}/reprocessLicenseAssignment",
      "parameters": [{ "name": "id", "placeholder": "id" }],
      "source": { "file": "api-docs/beta/api/user-reprocesslicenseassignment.md", "line": 39 }
    }],
    "permissions": {
      "delegated_work": { "least": ["User.ReadWrite.All"], "higher": ["Directory.ReadWrite.All"] },
      "delegated_personal": null,
      "application": { "least": ["User.ReadWrite.All"], "higher": ["Directory.ReadWrite.All"] },
      "source": { "file": "api-docs/beta/includes/permissions/user-reprocesslicenseassignment-permissions.md", "line": 1 }
    },
    "roles": {
      "roles": ["Directory Writers", "License Administrator", "User Administrator"],
      "role_permission": "microsoft.directory/users/reprocessLicenseAssignment",
      "source": { "file": "api-docs/beta/api/user-reprocesslicenseassignment.md", "line": 30 }
    },
    "national_clouds": "all-clouds",
    "request_headers": [],
    "request_body": { "kind": "none" },
    "response": {
      "status": 200,
      "type": "microsoft.graph.user",
      "collection": false,
      "source": { "file": "api-docs/beta/api/user-reprocesslicenseassignment.md", "line": 50 }
    },
    "examples": []
  }],
  "models": [
    {
      "name": "microsoft.graph.assignedLicense",
      "version": "beta",
      "description": "Represents a license assigned to a user.",
      "base_type": null,
      "open_type": false,
      "origin": "declared",
      "properties": [
        { "name": "disabledPlans", "type": "Edm.Guid", "collection": true, "description": "A collection of the unique identifiers for plans that have been disabled.", "origin": "declared", "source": { "file": "api-docs/beta/resources/assignedlicense.md", "line": 20 } },
        { "name": "skuId", "type": "Edm.Guid", "collection": false, "description": "The unique identifier for the SKU.", "origin": "declared", "source": { "file": "api-docs/beta/resources/assignedlicense.md", "line": 21 } }
      ],
      "source": { "file": "api-docs/beta/resources/assignedlicense.md", "line": 10 }
    },
    {
      "name": "microsoft.graph.user",
      "version": "beta",
      "description": "Represents a Microsoft Entra user account.",
      "base_type": null,
      "open_type": false,
      "origin": "declared",
      "properties": [
        { "name": "accountEnabled", "type": "Edm.Boolean", "collection": false, "description": "`true` if the account is enabled; otherwise, `false`.", "origin": "declared", "source": { "file": "api-docs/beta/resources/user.md", "line": 40 } },
        { "name": "assignedLicenses", "type": "microsoft.graph.assignedLicense", "collection": true, "description": "The licenses that are assigned to the user.", "origin": "declared", "source": { "file": "api-docs/beta/resources/user.md", "line": 41 } },
        { "name": "businessPhones", "type": "String", "collection": true, "description": "The telephone numbers for the user.", "origin": "declared", "source": { "file": "api-docs/beta/resources/user.md", "line": 42 } },
        { "name": "city", "type": "Edm.String", "collection": false, "description": "The city where the user is located.", "origin": "declared", "source": { "file": "api-docs/beta/resources/user.md", "line": 43 } }
      ],
      "source": { "file": "api-docs/beta/resources/user.md", "line": 10 }
    }
  ],
  "diagnostics": [],
  "inputs": []
}"#;

fn seed() -> Ir {
    serde_json::from_str(SEED).expect("the seed IR is valid JSON for `Ir`")
}

fn generate(ir: &Ir) -> String {
    Generator::new(GenerationSettings::default())
        .generate_text(ir)
        .expect("generated code parses")
}

/// Text without whitespace or trailing commas, so assertions do not depend on how
/// prettyplease breaks lines.
fn squeeze(text: &str) -> String {
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    flat.replace(",>", ">")
        .replace(",)", ")")
        .replace(",}", "}")
        .replace(",]", "]")
}

/// Every identifier in `tokens`, outside literals.
fn idents(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
    for tree in tokens {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => out.push(ident.to_string()),
            proc_macro2::TokenTree::Group(group) => idents(group.stream(), out),
            proc_macro2::TokenTree::Punct(_) | proc_macro2::TokenTree::Literal(_) => {}
        }
    }
}

/// The info strings of every code fence in the doc comments of `text`.
fn doc_fences(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.trim_start().strip_prefix("///"))
        .map(str::trim_start)
        .filter(|line| line.starts_with("```") || line.starts_with("~~~"))
        .map(|line| line.trim_start_matches(['`', '~']).to_owned())
        .collect()
}

/// Requests are plain `fn`s handing a request to a runtime constructor: awaiting the `Call`
/// sends it, so no per-operation future or generic instantiation is generated. The builder
/// method sends it; the page's flat function goes there through the navigation chain.
#[test]
fn seed_operation_is_a_builder_method_and_a_flat_function() {
    let text = generate(&seed());
    let flat = squeeze(&text);
    assert!(text.starts_with("// @generated by graph-gen"));
    assert!(text.contains("pub mod beta {"), "{text}");
    assert!(!text.contains("pub mod v1"));
    assert!(text.contains("pub mod user {"));
    assert!(text.contains("pub fn reprocess_license_assignment("));
    assert!(!text.contains("async fn"));
    assert!(
        flat.contains(
            "client:&::graph_api::GraphClient,user_id:&::core::primitive::str)->::graph_api::Call<super::User>{super::requests::api(client).users().by_id(user_id).reprocess_license_assignment()}"
        ),
        "{text}"
    );
    assert!(flat.contains(
        "pubfnreprocess_license_assignment(&self)->::graph_api::Call<super::User>{::graph_api::__private::json_call(self.0.client(),::graph_api::__private::Request::new(::graph_api::__private::Method::POST,self.0.path().literal(\"/reprocessLicenseAssignment\")))}"
    ), "{text}");
    assert!(flat.contains("pubfnby_id(&self,user_id:&::core::primitive::str)->UserRequest<'a>{UserRequest(self.0.with(self.0.path().literal(\"/\").param(user_id)))}"), "{text}");
    assert!(flat.contains("pubuseself::requests::api;"), "{text}");
    assert!(
        !text.contains("Query"),
        "no options documented, no marker: {text}"
    );
}

#[test]
fn seed_permissions_are_a_constant_and_a_docs_table() {
    let text = generate(&seed());
    let flat = squeeze(&text);
    assert!(flat.contains(
        "pubconstREPROCESS_LICENSE_ASSIGNMENT_PERMISSIONS:::core::option::Option<::graph_api::Permissions>=::core::option::Option::Some(::graph_api::Permissions{delegated_work:::core::option::Option::Some(::graph_api::PermissionSet{least:&[\"User.ReadWrite.All\"],higher:&[\"Directory.ReadWrite.All\"],alternatives:&[],notes:&[]}),delegated_personal:::core::option::Option::None,application:"
    ), "{text}");
    assert!(text.contains("/// # Permissions"));
    assert!(text.contains(
        "/// | Delegated (work or school account) | `User.ReadWrite.All` | `Directory.ReadWrite.All` |"
    ));
    assert!(text.contains(
        "/// | Delegated (personal Microsoft account) | Not supported | Not supported |"
    ));
    assert!(text.contains("/// - License Administrator"));
    assert!(text.contains("`microsoft.directory/users/reprocessLicenseAssignment`"));
    assert!(text.contains("/// # HTTP"));
    assert!(text.contains("/// POST /users/{id}/reprocessLicenseAssignment"));
    assert!(text.contains("/// # Errors"));
    assert!(text.contains("`api-docs/beta/api/user-reprocesslicenseassignment.md:39`"));
    assert!(text.contains(
        "(https://learn.microsoft.com/azure/active-directory/fundamentals/active-directory-licensing-whatis-azure-portal)"
    ));
}

#[test]
fn seed_models_are_structs_of_options() {
    let text = generate(&seed());
    let flat = squeeze(&text);
    assert!(text.contains("pub struct User {"));
    assert!(text.contains("pub struct AssignedLicense {"));
    // Models (de)serialise through the runtime's `Model` support, a line per JSON name.
    assert!(flat.contains(
        "\"accountEnabled\"=>{::graph_api::__private::read_value(map,&mutself.account_enabled)?;}"
    ));
    assert!(flat.contains(
        "::graph_api::__private::serialize_field(&mutmap,\"accountEnabled\",self.account_enabled.as_ref())?;"
    ));
    assert!(flat.contains("pubaccount_enabled:::core::option::Option<::core::primitive::bool>,"));
    assert!(flat.contains(
        "pubassigned_licenses:::core::option::Option<::std::vec::Vec<AssignedLicense>>,"
    ));
    assert!(flat.contains(
        "pubbusiness_phones:::core::option::Option<::std::vec::Vec<::std::string::String>>,"
    ));
    assert!(flat.contains("pubcity:::core::option::Option<::std::string::String>,"));
    assert!(flat.contains("pubdisabled_plans:::core::option::Option<::std::vec::Vec<::graph_api::__private::uuid::Uuid>>,"));
    assert!(flat.contains("pubsku_id:::core::option::Option<::graph_api::__private::uuid::Uuid>,"));
    assert!(flat.contains(
        "pubadditional_properties:::graph_api::__private::serde_json::Map<::std::string::String,::graph_api::__private::serde_json::Value>"
    ), "{text}");
    assert!(flat.contains("impl::graph_api::__private::ModelforUser{"));
    assert!(flat.contains("impl<'de>::graph_api::__private::serde::Deserialize<'de>forUser{"));
    assert!(flat.contains(
        "::graph_api::__private::serialize_unlisted(&mutmap,&self.additional_properties)?;"
    ));
}

#[test]
fn docs_have_no_doctest_fences() {
    let mut ir = seed();
    ir.operations[0].description.push_str(
        "\n\n```http\nPOST /users/1\n```\n\n```\nfn main() {}\n```\n\n    std::process::exit(1);\n\n```rust\nunterminated",
    );
    let text = generate(&ir);
    let fences = doc_fences(&text);
    assert!(!fences.is_empty());
    assert!(
        fences.iter().all(|info| info == "text" || info.is_empty()),
        "{fences:?}"
    );
    // every opener is `text`: openers and closers alternate
    let openers: Vec<&String> = fences.iter().step_by(2).collect();
    assert!(openers.iter().all(|info| *info == "text"), "{fences:?}");
    assert_eq!(fences.len() % 2, 0, "{fences:?}");
}

#[test]
fn output_is_deterministic_and_version_modules_are_sorted() {
    let mut ir = seed();
    let mut v1 = ir.operations[0].clone();
    v1.version = graph_gen::ir::ApiVersion::V1;
    ir.operations.insert(0, v1);
    let first = generate(&ir);
    ir.operations.reverse();
    ir.models.reverse();
    assert_eq!(first, generate(&ir));
    let v1_at = first.find("pub mod v1 {").expect("v1 module");
    let beta_at = first.find("pub mod beta {").expect("beta module");
    assert!(v1_at < beta_at);
    assert!(first.contains("Node::root(client, \"v1.0\")"), "{first}");
    // no model in v1.0: the response is JSON there, not a dangling `super::User`
    let v1_module = &first[v1_at..beta_at];
    assert!(v1_module.contains("::graph_api::__private::serde_json::Value"));
    assert!(!v1_module.contains("super::User"));
}

/// A page's templates reach one builder (`/users/{id}` and `/me` are users): one method, the
/// flat function on the template with the id; a later page asking for a taken name in the
/// module gets one after its title, never a number or a path fragment.
#[test]
fn several_templates_share_a_method_and_later_pages_take_their_title() {
    let mut ir = seed();
    let operation = &mut ir.operations[0];
    let mut me = operation.http[0].clone();
    me.path = "/me/reprocessLicenseAssignment".into();
    me.raw = me.path.to_string();
    me.parameters.clear();
    operation.http.insert(0, me);
    let mut other_page = operation.clone();
    other_page.source.file = "api-docs/beta/api/zz-later.md".into();
    other_page.title = "user: reprocess licenses of a guest".into();
    other_page.http.truncate(1);
    other_page.http[0].path = "/guests/{id}/reprocessLicenseAssignment".into();
    ir.operations.push(other_page);
    let text = generate(&ir);
    let flat = squeeze(&text);
    // The builder method (shared by the later page) and the first page's flat function.
    assert_eq!(
        text.matches("pub fn reprocess_license_assignment(").count(),
        2,
        "{text}"
    );
    assert!(flat.contains("pubfnme(&self)->UserRequest<'a>"), "{text}");
    assert!(
        flat.contains(
            "{super::requests::api(client).users().by_id(user_id).reprocess_license_assignment()}"
        ),
        "{text}"
    );
    assert!(
        text.contains("pub fn reprocess_licenses_of_a_guest("),
        "{text}"
    );
    assert!(
        text.contains("pub const REPROCESS_LICENSES_OF_A_GUEST_PERMISSIONS"),
        "{text}"
    );
    assert!(!text.contains("_2"), "{text}");
}

#[test]
fn collections_bodies_and_cycles() {
    let mut ir = seed();
    let operation = &mut ir.operations[0];
    operation.http[0].method = graph_gen::ir::Method::Get;
    if let Some(response) = operation.response.as_mut() {
        response.collection = true;
    }
    operation.request_body = graph_gen::ir::RequestBody::Json {
        type_name: Some("microsoft.graph.assignedLicense".into()),
    };
    let mut manager = ir.models[1].properties[0].clone();
    manager.name = "manager".into();
    manager.type_name = "microsoft.graph.user".into();
    ir.models[1].properties.push(manager);
    let text = generate(&ir);
    let flat = squeeze(&text);
    assert!(
        flat.contains("body:&super::AssignedLicense)->::graph_api::ListCall<super::User>{"),
        "{text}"
    );
    assert!(
        flat.contains("::graph_api::__private::list_call(self.0.client(),"),
        "{text}"
    );
    assert!(flat.contains(".json_body(body))"), "{text}");
    assert!(
        !flat.contains("__support"),
        "pages decode in the runtime: {text}"
    );
    assert!(
        flat.contains("pubmanager:::core::option::Option<::std::boxed::Box<User>>,"),
        "{text}"
    );
}

/// Names and docs text from pages must not become tokens: everything stays in string
/// literals or sanitised identifiers, and the output still parses.
#[test]
fn hostile_names_and_descriptions_stay_inert() {
    const INJECTION: &str = "\"); std::process::exit(1); //";
    let mut ir = seed();
    let operation = &mut ir.operations[0];
    operation.name = INJECTION.into();
    operation.resource = Some("self".into());
    operation.description = format!(
        "*/ #[doc = \"x\"] {INJECTION}\n```rust\nstd::process::exit(1);\n```\n<script>alert(1)</script> [link](javascript:alert(1)) \u{202e}"
    );
    operation.http[0].path = "/users/{type}/x\"y".into();
    operation.http[0].raw = "/users/{type}/x\"y```".into();
    operation.http[0].parameters[0].name = "type".into();
    if let Some(permissions) = operation.permissions.as_mut() {
        permissions.delegated_work = Some(graph_gen::ir::PermissionSet {
            least: vec![INJECTION.into()],
            higher: vec!["a|b`c".into()],
            alternatives: vec![graph_gen::ir::ScopeAlternative {
                scopes: vec![INJECTION.into()],
                condition: Some(INJECTION.into()),
                least_privileged: true,
            }],
            notes: vec![INJECTION.into()],
        });
    }
    let user = &mut ir.models[1];
    user.description = INJECTION.into();
    user.properties[0].name = INJECTION.into();
    user.properties[1].name = "additional_properties".into();
    user.properties[2].name = "Self".into();
    user.properties[3].name = "3rd city".into();
    ir.models[0].name = "microsoft.graph.callRecords.\"); exit(1); //".into();
    ir.models[1].properties[1].type_name = ir.models[0].name.clone();

    let tokens = Generator::new(GenerationSettings::default()).generate_tokens(&ir);
    let file: syn::File = syn::parse2(tokens.clone()).expect("generated tokens parse");
    let text = generate(&ir);

    // `process` and `exit` only occur in string literals (docs, renames, permission names)
    // and inside sanitised identifiers.
    let mut names = Vec::new();
    idents(tokens, &mut names);
    assert!(
        !names.iter().any(|name| name == "process" || name == "exit"),
        "{names:?}"
    );
    assert!(!text.contains('\u{202e}'));
    assert!(!text.contains("<script>"));
    assert!(!text.contains("javascript:"));
    assert!(doc_fences(&text)
        .iter()
        .step_by(2)
        .all(|info| info == "text"));

    assert!(text.contains("pub mod self_ {"), "{text}");
    assert!(text.contains("pub fn std_process_exit_1("));
    assert!(text.contains("r#type: &::core::primitive::str"));
    assert!(text.contains(".param(r#type)"));
    assert!(text.contains("pub std_process_exit_1: "));
    assert!(text.contains("pub additional_properties: ::core::option::Option<"));
    assert!(text.contains("pub additional_properties_2: ::graph_api::__private::serde_json::Map"));
    assert!(text.contains("pub self_: "));
    assert!(text.contains("pub n3rd_city: "));
    assert!(text.contains("pub mod call_records {"));
    assert!(text.contains("pub struct Exit1 {"));
    assert!(text.contains("call_records::Exit1"));
    assert!(!file.items.is_empty());
}

#[test]
fn runtime_crate_is_configurable() {
    let mut settings = GenerationSettings::default();
    settings.with_runtime_crate("crate");
    let text = Generator::new(settings)
        .generate_text(&seed())
        .expect("parses");
    assert!(text.contains("crate::GraphClient"));
    assert!(text.contains("impl crate::__private::Model for User {"));
    assert!(!text.contains("::graph_api"));

    let mut settings = GenerationSettings::default();
    settings.with_runtime_crate("not a path");
    let text = Generator::new(settings)
        .generate_text(&seed())
        .expect("parses");
    assert!(text.contains("compile_error!"));
}

#[test]
fn error_diagnostics_do_not_stop_generation() {
    let mut ir = seed();
    ir.diagnostics.push(graph_gen::Diagnostic::error(
        &graph_gen::ir::Source::new("api-docs/beta/api/broken.md", 3),
        "missing `## HTTP request` section",
    ));
    let text = generate(&ir);
    assert!(text.contains("pub fn reprocess_license_assignment("));
    assert!(!text.contains("compile_error"));
}

#[test]
fn empty_ir_generates_nothing() {
    let text = generate(&Ir::default());
    assert!(!text.contains("pub mod"));
}

/// A documented response: status, type and whether it is a collection.
type Documented<'a> = Option<(u16, Option<&'a str>, bool)>;

/// The seed IR with the operation's first template, response and body replaced.
fn seed_with(
    method: &str,
    path: &str,
    response: Documented<'_>,
    body: graph_gen::ir::RequestBody,
) -> Ir {
    let mut ir = seed();
    let operation = &mut ir.operations[0];
    operation.http[0].method = graph_gen::ir::Method::parse(method).unwrap();
    operation.http[0].path = path.into();
    operation.http[0].raw = path.into();
    operation.response = response.map(|(status, type_name, collection)| graph_gen::ir::Response {
        status,
        type_name: type_name.map(Into::into),
        collection,
        source: operation.source.clone(),
    });
    operation.request_body = body;
    ir
}

/// The derive list of `pub struct name`.
fn derives_of<'a>(text: &'a str, name: &str) -> &'a str {
    let at = text
        .find(&format!("pub struct {name} "))
        .expect("the struct");
    let start = text[..at].rfind("#[derive(").expect("a derive");
    &text[start..at]
}

fn parameter(name: &str, type_name: &str, required: bool) -> graph_gen::ir::BodyParameter {
    graph_gen::ir::BodyParameter {
        name: name.into(),
        type_name: type_name.into(),
        collection: false,
        required,
        description: format!("The {name}."),
        source: graph_gen::ir::Source::new("api-docs/beta/api/x.md", 40),
    }
}

#[test]
fn query_options_become_a_marker_with_one_impl_per_option() {
    let mut ir = seed();
    ir.operations[0].query_options = vec!["$count".into(), "$select".into(), "$format".into()];
    let text = generate(&ir);
    let flat = squeeze(&text);
    assert!(
        text.contains("pub enum ReprocessLicenseAssignmentQuery {}"),
        "{text}"
    );
    assert!(
        flat.contains("impl::graph_api::query::SupportsSelectforReprocessLicenseAssignmentQuery{}")
    );
    assert!(
        flat.contains("impl::graph_api::query::SupportsCountforReprocessLicenseAssignmentQuery{}")
    );
    assert_eq!(
        text.matches("impl ::graph_api::query::").count(),
        2,
        "{text}"
    );
    assert!(
        flat.contains("->::graph_api::Call<super::User,ReprocessLicenseAssignmentQuery>{"),
        "{text}"
    );
    assert!(text.contains("`$select`, `$count`"), "{text}");
}

#[test]
fn template_query_pairs_become_arguments_and_encoded_literals() {
    let mut ir = seed();
    // A literal pair before the placeholders takes no argument.
    ir.operations[0].http[0].query = vec![
        graph_gen::ir::QueryParameter {
            key: "$filter".into(),
            value: "kind eq {kind}".into(),
            parameter: None,
        },
        graph_gen::ir::QueryParameter {
            key: "startDateTime".into(),
            value: "{start}".into(),
            parameter: Some("start".into()),
        },
        graph_gen::ir::QueryParameter {
            key: "again".into(),
            value: "{id}".into(),
            parameter: Some("id".into()),
        },
        graph_gen::ir::QueryParameter {
            key: "$format".into(),
            value: "text/csv\"); exit(1); //".into(),
            parameter: None,
        },
    ];
    let text = generate(&ir);
    let flat = squeeze(&text);
    assert!(
        flat.contains("user_id:&::core::primitive::str,start_date_time:&::core::primitive::str,again:&::core::primitive::str)"),
        "{text}"
    );
    assert!(
        flat.contains(".query(\"$filter\",\"kindeq{kind}\").query(\"startDateTime\",start_date_time).query(\"again\",again).query(\"$format\",\"text/csv\\\");exit(1);//\")"),
        "{text}"
    );
}

#[test]
fn parameter_bodies_become_structs_with_required_fields_and_a_constructor() {
    use graph_gen::ir::RequestBody;
    let mut license = parameter("addLicenses", "microsoft.graph.assignedLicense", true);
    license.collection = true;
    let body = RequestBody::Parameters {
        parameters: vec![
            license,
            parameter("removeLicenses", "Collection(Edm.Guid)", false),
            parameter("removeLicenses", "Edm.String", false),
            parameter("additional_properties", "Edm.Boolean", false),
        ],
    };
    let ir = seed_with(
        "POST",
        "/users/{id}/assignLicense",
        Some((200, Some("microsoft.graph.user"), false)),
        body,
    );
    let text = generate(&ir);
    let flat = squeeze(&text);
    assert!(
        text.contains("pub struct ReprocessLicenseAssignmentBody {"),
        "{text}"
    );
    // Required properties are always written, optional ones unless `None`.
    assert!(
        flat.contains("pubadd_licenses:::std::vec::Vec<super::AssignedLicense>,"),
        "{text}"
    );
    assert!(flat.contains(
        "serialize_field(&mutmap,\"addLicenses\",::core::option::Option::Some(&self.add_licenses))?;"
    ), "{text}");
    assert!(flat.contains(
        "pubremove_licenses:::core::option::Option<::std::vec::Vec<::graph_api::__private::uuid::Uuid>>,"
    ), "{text}");
    assert!(
        flat.contains(
            "serialize_field(&mutmap,\"removeLicenses\",self.remove_licenses.as_ref())?;"
        ),
        "{text}"
    );
    // One field: written once, read once.
    assert_eq!(
        flat.matches("pubremove_licenses:").count(),
        1,
        "repeated rows are dropped"
    );
    assert_eq!(flat.matches("\"removeLicenses\"").count(), 2, "{text}");
    assert!(
        flat.contains(
            "remove_licenses:::graph_api::__private::take_property(&mutobject,\"removeLicenses\")?"
        ),
        "{text}"
    );
    assert!(
        flat.contains("pubadditional_properties:::core::option::Option<::core::primitive::bool>")
    );
    assert!(
        flat.contains("serialize_unlisted(&mutmap,&self.additional_properties_2)?;"),
        "{text}"
    );
    assert!(
        flat.contains("pubfnnew(add_licenses:::std::vec::Vec<super::AssignedLicense>)->Self"),
        "{text}"
    );
    assert!(!derives_of(&text, "ReprocessLicenseAssignmentBody").contains("Default"));
    assert!(flat.contains("body:&ReprocessLicenseAssignmentBody)->::graph_api::Call<super::User>"));
}

#[test]
fn patch_bodies_use_the_tri_state_and_derive_default() {
    let body = graph_gen::ir::RequestBody::Parameters {
        parameters: vec![parameter("city", "Edm.String", false)],
    };
    let ir = seed_with("PATCH", "/users/{id}", Some((204, None, false)), body);
    let text = generate(&ir);
    let flat = squeeze(&text);
    assert!(
        flat.contains("pubcity:::graph_api::Patch<::std::string::String>,"),
        "{text}"
    );
    // `Patch::Unchanged` is never written.
    assert!(
        flat.contains("serialize_patch(&mutmap,\"city\",&self.city)?;"),
        "{text}"
    );
    assert!(derives_of(&text, "UpdateBody").contains("Default"));
    assert!(!flat.contains("pubfnnew("));
    assert!(
        flat.contains("->::graph_api::Call<()>{::graph_api::__private::empty_call("),
        "{text}"
    );
}

#[test]
fn responses_choose_the_call_type() {
    use graph_gen::ir::RequestBody::None as NoBody;
    let value = "::graph_api::__private::serde_json::Value";
    let cases: [(&str, &str, Documented<'_>, &str, &str); 8] = [
        (
            "DELETE",
            "/users/{id}",
            Some((204, None, false)),
            "Call<()>",
            "empty_call",
        ),
        (
            "POST",
            "/users/{id}/x",
            Some((202, None, false)),
            "Call<()>",
            "empty_call",
        ),
        ("POST", "/users/{id}/x", None, "Call<()>", "empty_call"),
        (
            "GET",
            "/users/{id}/photo/$value",
            Some((200, None, false)),
            "Call<::graph_api::Bytes>",
            "bytes_call",
        ),
        (
            "GET",
            "/drives/{id}/content",
            Some((302, None, false)),
            "Call<::graph_api::Bytes>",
            "bytes_call",
        ),
        (
            "GET",
            "/users/{id}/x",
            Some((200, None, false)),
            &format!("Call<{value}>"),
            "json_call",
        ),
        (
            "POST",
            "/users/{id}/x",
            Some((200, Some("Collection(Edm.String)"), true)),
            "ListCall<::std::string::String>",
            "list_call",
        ),
        (
            "GET",
            "/users/{id}/x",
            Some((200, Some("Edm.Stream"), false)),
            "Call<::graph_api::Bytes>",
            "bytes_call",
        ),
    ];
    for (method, path, response, call, constructor) in cases {
        let text = generate(&seed_with(method, path, response, NoBody));
        let flat = squeeze(&text);
        assert!(
            flat.contains(&format!(
                "->::graph_api::{call}{{::graph_api::__private::{constructor}("
            )),
            "{method} {path} {response:?}: {text}"
        );
    }
}

/// A quote in a function argument could end the OData string literal early.
#[test]
fn quoted_function_arguments_go_through_quoted_param() {
    let mut ir = seed();
    let template = &mut ir.operations[0].http[0];
    template.path = "/users/{id}/search(q='{q}',top={top})".into();
    template.parameters.push(graph_gen::ir::PathParameter {
        name: "q".into(),
        placeholder: "q".into(),
    });
    template.parameters.push(graph_gen::ir::PathParameter {
        name: "top".into(),
        placeholder: "top".into(),
    });
    let flat = squeeze(&generate(&ir));
    assert!(
        flat.contains("self.0.path().literal(\"/search(q='\").quoted_param(q).literal(\"',top=\").param(top).literal(\")\")"),
        "{flat}"
    );
}

/// A cast is named after the type as the page spells it, word breaks kept.
#[test]
fn casts_keep_the_word_breaks_of_the_type_name() {
    let ir = seed_with(
        "GET",
        "/groups/{id}/members/microsoft.graph.servicePrincipal",
        Some((200, Some("microsoft.graph.user"), true)),
        graph_gen::ir::RequestBody::None,
    );
    let flat = squeeze(&generate(&ir));
    assert!(flat.contains("pubfnas_service_principal(&self)"), "{flat}");
    assert!(!flat.contains("as_serviceprincipal"), "{flat}");
}

/// The tour and the example test send each page's example body through the typed body; a
/// value the page writes in the wrong JSON type (`"false"` for a `Boolean`) is conformed, as
/// the mock conforms the responses it serves, so a doc slip cannot fail the call.
#[test]
fn example_calls_send_the_example_body_conformed_to_its_types() {
    let body = graph_gen::ir::RequestBody::Parameters {
        parameters: vec![
            parameter("saveToSentItems", "Edm.Boolean", false),
            parameter("comment", "Edm.String", false),
        ],
    };
    let mut ir = seed_with(
        "POST",
        "/users/{id}/sendMail",
        Some((202, None, false)),
        body,
    );
    ir.operations[0].examples = vec![graph_gen::ir::Example {
        name: None,
        request: Some(graph_gen::ir::ExampleRequest {
            method: "POST".into(),
            url: "https://graph.microsoft.com/beta/users/ada/sendMail".into(),
            headers: Vec::new(),
            body: Some(r#"{ "saveToSentItems": "false", "comment": "hi", }"#.into()),
            source: graph_gen::ir::Source::new("p.md", 30),
        }),
        response: None,
    }];
    let calls = graph_gen::Generator::default()
        .example_calls(&ir, &quote::quote!(::graph_api))
        .to_string();
    assert!(
        calls.contains(r#""{\"comment\":\"hi\",\"saveToSentItems\":false}""#),
        "{calls}"
    );
}
