//! Compiles the bindings of every page of graph-gen's adversarial suite
//! (`graph-gen/tests/adversarial/<case>/`) with warnings denied: hostile names, docs and
//! templates must give code that compiles cleanly. Pages with errors are skipped
//! (`lenient = true`); `graph-gen/tests/adversarial.rs` checks those errors, and that this file
//! has a module for every case.

#![deny(warnings)]
#![allow(dead_code, reason = "the bindings are compiled, not called")]

mod attributes_in_docs {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/attributes-in-docs",
        lenient = true
    );
}

mod bidi_and_control_characters {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/bidi-and-control-characters",
        lenient = true
    );
}

mod broken_annotations {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/broken-annotations",
        lenient = true
    );
}

mod case_only_collisions {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/case-only-collisions",
        lenient = true
    );
}

mod code_fences_in_docs {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/code-fences-in-docs",
        lenient = true
    );
}

mod comment_terminators_in_docs {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/comment-terminators-in-docs",
        lenient = true
    );
}

mod deep_json_example {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/deep-json-example",
        lenient = true
    );
}

mod deep_markdown_nesting {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/deep-markdown-nesting",
        lenient = true
    );
}

mod digit_names {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/digit-names",
        lenient = true
    );
}

mod empty_and_blank_pages {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/empty-and-blank-pages",
        lenient = true
    );
}

mod function_name_collisions {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/function-name-collisions",
        lenient = true
    );
}

mod hostile_front_matter {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/hostile-front-matter",
        lenient = true
    );
}

mod hostile_headings {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/hostile-headings",
        lenient = true
    );
}

mod hostile_namespaces {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/hostile-namespaces",
        lenient = true
    );
}

mod hostile_odata_types {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/hostile-odata-types",
        lenient = true
    );
}

mod hostile_property_types {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/hostile-property-types",
        lenient = true
    );
}

mod hostile_sample_keys {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/hostile-sample-keys",
        lenient = true
    );
}

mod hostile_templates {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/hostile-templates",
        lenient = true
    );
}

mod html_and_links_in_docs {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/html-and-links-in-docs",
        lenient = true
    );
}

mod huge_identifiers {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/huge-identifiers",
        lenient = true
    );
}

mod include_absolute_paths {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/include-absolute-paths",
        lenient = true
    );
}

mod include_cycle {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/include-cycle",
        lenient = true
    );
}

mod include_escapes_root {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/include-escapes-root",
        lenient = true
    );
}

mod include_missing {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/include-missing",
        lenient = true
    );
}

mod include_self {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/include-self",
        lenient = true
    );
}

mod invalid_utf8 {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/invalid-utf8",
        lenient = true
    );
}

mod keyword_names {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/keyword-names",
        lenient = true
    );
}

mod line_endings {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/line-endings",
        lenient = true
    );
}

mod path_separators_in_names {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/path-separators-in-names",
        lenient = true
    );
}

mod permission_injection {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/permission-injection",
        lenient = true
    );
}

mod quote_injection_names {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/quote-injection-names",
        lenient = true
    );
}

mod raw_string_breakers {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/raw-string-breakers",
        lenient = true
    );
}

mod size_and_inheritance_caps {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/size-and-inheritance-caps",
        lenient = true
    );
}

mod snake_case_collisions {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/snake-case-collisions",
        lenient = true
    );
}

mod thousands_of_parameters {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/thousands-of-parameters",
        lenient = true
    );
}

mod type_name_collisions {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/type-name-collisions",
        lenient = true
    );
}

mod unicode_confusables {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/unicode-confusables",
        lenient = true
    );
}

mod unclosed_alert_markers {
    graph_gen_macros::generate_api!(
        docs = "../../graph-gen/tests/adversarial/unclosed-alert-markers",
        lenient = true
    );
}

/// A few of the hostile names, used as the generated code spells them.
#[allow(
    clippy::no_effect_underscore_binding,
    reason = "the bindings are only named"
)]
fn _names_resolve(user: &quote_injection_names::beta::User, keywords: &keyword_names::beta::Type) {
    let _ = (
        &user.std_process_exit_1,
        &keywords.r#type,
        &keywords.self_,
        &keywords.r#async,
    );
    let _ = digit_names::beta::N3dModel::default();
    let _ = (
        type_name_collisions::beta::FooBar::default(),
        type_name_collisions::beta::FooBar2::default(),
    );
}

#[test]
fn adversarial_bindings_compile() {
    let user = case_only_collisions::beta::User {
        id_2: Some("b".to_owned()),
        ..Default::default()
    };
    let json = graph_api::__private::serde_json::to_value(&user).unwrap();
    assert_eq!(json, graph_api::__private::serde_json::json!({ "Id": "b" }));
}
