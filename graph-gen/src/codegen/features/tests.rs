//! Feature gates on a small IR: one `user` operation, the models it reaches, and an orphan.

use serde_json::{json, Value};

use super::CargoFeatures;
use crate::{GenerationSettings, Generator, Ir};

fn source() -> Value {
    json!({"file": "p.md", "line": 1})
}

fn model(name: &str, properties: &Value) -> Value {
    json!({"name": name, "version": "beta", "description": "", "base_type": null,
           "open_type": false, "origin": "declared", "properties": properties, "source": source()})
}

fn property(name: &str, type_name: &str, collection: bool) -> Value {
    json!({"name": name, "type": type_name, "collection": collection, "description": "",
           "origin": "declared", "source": source()})
}

/// `user: reprocessLicenseAssignment` returning a user, who holds licenses; and a group
/// no operation returns.
fn ir() -> Ir {
    let operation = json!({
        "name": "reprocessLicenseAssignment", "resource": "user",
        "title": "user: reprocessLicenseAssignment", "source": source(), "version": "beta",
        "namespace": null, "description": "",
        "http": [{"method": "POST", "path": "/users/{id}/reprocessLicenseAssignment", "raw": "",
                  "parameters": [{"name": "id", "placeholder": "id"}], "source": source()}],
        "permissions": null, "roles": null, "national_clouds": null, "request_headers": [],
        "request_body": {"kind": "none"},
        "response": {"status": 200, "type": "microsoft.graph.user", "collection": false,
                     "source": source()},
        "examples": [],
    });
    serde_json::from_value(json!({
        "operations": [operation],
        "models": [
            model("microsoft.graph.assignedLicense", &json!([property("skuId", "Edm.Guid", false)])),
            model("microsoft.graph.group", &json!([property("id", "Edm.String", false)])),
            model("microsoft.graph.user", &json!([
                property("assignedLicenses", "microsoft.graph.assignedLicense", true)])),
        ],
        "diagnostics": [],
    }))
    .unwrap()
}

fn generate(features: CargoFeatures) -> String {
    let mut settings = GenerationSettings::default();
    settings.with_cargo_features(features);
    Generator::new(settings).generate_text(&ir()).unwrap()
}

/// The attributes right before the line containing `item`.
fn gate_of(text: &str, item: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|line| line.contains(item))
        .unwrap_or_else(|| panic!("`{item}` missing from:\n{text}"));
    lines[..at]
        .iter()
        .rev()
        .take_while(|line| {
            let line = line.trim();
            !line.is_empty() && !line.ends_with('}') && !line.ends_with(';')
        })
        .filter(|line| line.contains("cfg("))
        .map(|line| line.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn manifests_declare_features_and_what_they_enable() {
    let features = CargoFeatures::parse(
        "[package]\nname = \"x\"\n[features]\ndefault = [\"beta\"]\nbeta = []\nuser = []\n",
    )
    .unwrap();
    assert!(features.is_declared("beta") && features.is_declared("default"));
    assert!(!features.is_declared("group"));
    assert_eq!(features.leaves().collect::<Vec<_>>(), ["beta", "user"]);
    assert!(CargoFeatures::parse("[features\n").is_err());
}

#[test]
fn declared_versions_and_resources_gate_their_items() {
    let text = generate(CargoFeatures::from_names(["beta", "user"]));
    assert_eq!(
        gate_of(&text, "pub mod beta"),
        "#[cfg(any(feature = \"beta\"))]"
    );
    assert_eq!(
        gate_of(&text, "fn reprocess_license_assignment("),
        "#[cfg(any(feature = \"user\"))]"
    );
    assert_eq!(
        gate_of(&text, "pub const REPROCESS_LICENSE_ASSIGNMENT_PERMISSIONS"),
        "#[cfg(any(feature = \"user\"))]"
    );
}

#[test]
fn models_follow_the_operations_that_reach_them() {
    let text = generate(CargoFeatures::from_names(["user"]));
    assert_eq!(
        gate_of(&text, "pub struct User "),
        "#[cfg(any(feature = \"user\"))]"
    );
    assert_eq!(
        gate_of(&text, "pub struct AssignedLicense "),
        "#[cfg(any(feature = \"user\"))]",
        "reached through `User::assigned_licenses`"
    );
    assert_eq!(
        gate_of(&text, "pub struct Group "),
        "",
        "no operation reaches it"
    );
    assert_eq!(gate_of(&text, "pub mod beta"), "", "`beta` is not declared");
}

#[test]
fn undeclared_resources_are_not_gated() {
    let text = generate(CargoFeatures::from_names(["beta"]));
    assert_eq!(gate_of(&text, "fn reprocess_license_assignment("), "");
    assert_eq!(gate_of(&text, "pub struct User "), "");
}

#[test]
fn features_naming_nothing_are_compile_errors() {
    let mut features =
        CargoFeatures::parse("[features]\nall = [\"beta\"]\nbeta = []\nusr = []\n").unwrap();
    let text = generate(features.clone());
    let expected = "cargo feature `usr` names no API version or resource in the docs; \
                    help: name one of `beta`, `user`, or remove the feature";
    assert!(text.contains(expected), "{text}");
    assert!(
        !text.contains("cargo feature `all`"),
        "aliases are not checked"
    );
    features = CargoFeatures::from_names(["beta", "user"]);
    assert!(!generate(features).contains("compile_error!"));
}

/// A model no operation reaches is always compiled, so what it holds must be too: with only
/// `v1` and one resource selected, corpus bindings named gated models from ungated ones.
#[test]
fn models_held_by_always_compiled_models_are_always_compiled() {
    let mut ir = ir();
    let orphan = model(
        "microsoft.graph.licenseReport",
        &json!([property(
            "licenses",
            "microsoft.graph.assignedLicense",
            true
        )]),
    );
    ir.models.push(serde_json::from_value(orphan).unwrap());
    let mut settings = GenerationSettings::default();
    settings.with_cargo_features(CargoFeatures::from_names(["user"]));
    let text = Generator::new(settings).generate_text(&ir).unwrap();
    assert_eq!(gate_of(&text, "pub struct LicenseReport "), "");
    assert_eq!(
        gate_of(&text, "pub struct AssignedLicense "),
        "",
        "held by an always-compiled model"
    );
    assert_eq!(
        gate_of(&text, "pub struct User "),
        "#[cfg(any(feature = \"user\"))]"
    );
}
