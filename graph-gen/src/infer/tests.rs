//! Inference over small hand-made IRs: examples to models, responses, conforming values.

use serde::Deserialize;
use serde_json::json;

use super::*;
use crate::diagnostics::Diagnostic;
use crate::ir::{Origin, Property, Source};

const FILE: &str = "beta/api/user-get.md";

/// The seed example, as `user-get.md` writes it from line 100.
const SEED: &str = r#"{
  "accountEnabled": true,
  "assignedLicenses": [
{
  "disabledPlans": [ "11b0131d-43c8-4bbb-b2c8-e80f9a50834a" ],
  "skuId": "skuId-value"
}
  ],
  "assignedPlans": [
{
  "assignedDateTime": "2016-10-19T10:37:00Z",
  "capabilityStatus": "capabilityStatus-value",
  "service": "service-value",
  "servicePlanId": "bea13e0c-3828-4daa-a392-28af7ff61a0f"
}
  ],
  "businessPhones": [
"businessPhones-value"
  ],
  "city": "city-value",
  "companyName": "companyName-value"
}"#;

fn sample<'a>(value: &'a Value, raw: &'a str, odata_type: Option<&'a str>) -> Sample<'a> {
    Sample {
        value,
        raw,
        first_line: 100,
        file: FILE,
        version: ApiVersion::Beta,
        odata_type,
        collection: false,
        truncated: true,
    }
}

fn seed() -> Value {
    serde_json::from_str(SEED).unwrap()
}

fn run(declared: Vec<Model>, samples: &[Sample<'_>]) -> (Vec<Model>, Vec<Diagnostic>) {
    let cx = Ctxt::new();
    let models = unify(declared, samples, &cx);
    (models, cx.into_diagnostics())
}

fn property(name: &str, type_name: &str, collection: bool) -> Property {
    Property {
        name: name.to_owned(),
        type_name: type_name.to_owned(),
        collection,
        description: String::new(),
        origin: Origin::Declared,
        source: Source::new("beta/resources/r.md", 20),
    }
}

fn declared(name: &str, properties: Vec<Property>) -> Model {
    Model {
        name: name.to_owned(),
        version: ApiVersion::Beta,
        description: String::new(),
        base_type: None,
        open_type: false,
        origin: Origin::Declared,
        properties,
        source: Source::new("beta/resources/r.md", 7),
    }
}

fn declared_seed_models() -> Vec<Model> {
    vec![
        declared(
            "microsoft.graph.user",
            vec![
                property("accountEnabled", "Edm.Boolean", false),
                property("assignedLicenses", "microsoft.graph.assignedLicense", true),
                property("assignedPlans", "microsoft.graph.assignedPlan", true),
                property("businessPhones", "Edm.String", true),
                property("city", "Edm.String", false),
                property("companyName", "Edm.String", false),
            ],
        ),
        declared(
            "microsoft.graph.assignedLicense",
            vec![
                property("disabledPlans", "Edm.Guid", true),
                property("skuId", "Edm.Guid", false),
            ],
        ),
        declared(
            "microsoft.graph.assignedPlan",
            vec![
                property("assignedDateTime", "Edm.DateTimeOffset", false),
                property("capabilityStatus", "Edm.String", false),
                property("service", "Edm.String", false),
                property("servicePlanId", "Edm.Guid", false),
            ],
        ),
    ]
}

/// `(name, type, collection, line)` of each property.
fn shape(model: &Model) -> Vec<(&str, &str, bool, u32)> {
    model
        .properties
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.type_name.as_str(),
                p.collection,
                p.source.line,
            )
        })
        .collect()
}

fn lines(diagnostics: &[Diagnostic]) -> Vec<u32> {
    diagnostics.iter().map(|d| d.line).collect()
}

#[test]
fn infers_the_seed_example_without_declared_models() {
    let value = seed();
    let (models, diagnostics) = run(
        Vec::new(),
        &[sample(&value, SEED, Some("microsoft.graph.user"))],
    );
    let names: Vec<_> = models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "microsoft.graph.assignedLicense",
            "microsoft.graph.assignedPlan",
            "microsoft.graph.user"
        ]
    );
    assert!(models
        .iter()
        .all(|m| m.origin == Origin::Sample && m.version == ApiVersion::Beta));
    assert_eq!(
        shape(&models[2]),
        [
            ("accountEnabled", "Edm.Boolean", false, 101),
            (
                "assignedLicenses",
                "microsoft.graph.assignedLicense",
                true,
                102
            ),
            ("assignedPlans", "microsoft.graph.assignedPlan", true, 108),
            ("businessPhones", "Edm.String", true, 116),
            ("city", "Edm.String", false, 119),
            ("companyName", "Edm.String", false, 120),
        ]
    );
    assert_eq!(
        shape(&models[0]),
        [
            ("disabledPlans", "Edm.Guid", true, 104),
            ("skuId", "Edm.String", false, 105),
        ]
    );
    assert_eq!(
        shape(&models[1]),
        [
            ("assignedDateTime", "Edm.DateTimeOffset", false, 110),
            ("capabilityStatus", "Edm.String", false, 111),
            ("service", "Edm.String", false, 112),
            ("servicePlanId", "Edm.Guid", false, 113),
        ]
    );
    assert_eq!(models[2].source, Source::new(FILE, 100));
    assert_eq!(models[0].source, Source::new(FILE, 103));
    assert_eq!(
        models[0].description,
        "Inferred from the example at beta/api/user-get.md:103. \
         The example is truncated, so the type may have more properties."
    );
    assert!(models[0]
        .properties
        .iter()
        .all(|p| p.origin == Origin::Sample));
    // Every placeholder without a declared type is a guess.
    assert_eq!(lines(&diagnostics), [105, 111, 112, 116, 119, 120]);
    assert_eq!(
        diagnostics[0].message,
        "type of `skuId` of `microsoft.graph.assignedLicense` is a guess (`Edm.String`): \
         the examples only show the placeholder `\"skuId-value\"`"
    );
    assert!(diagnostics.iter().all(|d| !d.is_error()));
}

#[test]
fn declared_guid_stays_and_its_placeholder_is_one_warning() {
    let value = seed();
    let license = declared(
        "microsoft.graph.assignedLicense",
        vec![
            property("disabledPlans", "Edm.Guid", true),
            property("skuId", "Edm.Guid", false),
        ],
    );
    let (models, diagnostics) = run(
        vec![license.clone()],
        &[sample(&value, SEED, Some("microsoft.graph.user"))],
    );
    assert_eq!(models[0], license, "declared model is unchanged");
    assert_eq!(models.len(), 3);
    let sku: Vec<_> = diagnostics.iter().filter(|d| d.line == 105).collect();
    assert_eq!(sku.len(), 1, "{diagnostics:#?}");
    assert_eq!(
        sku[0].message,
        "sample value `\"skuId-value\"` of `skuId` is a placeholder, not an `Edm.Guid`"
    );
    assert_eq!(
        sku[0].help.as_deref(),
        Some("the typed client expects a real `Edm.Guid` here; mocks serve a stand-in")
    );
    assert_eq!(sku[0].file, FILE);
}

#[test]
fn fully_declared_seed_only_warns_about_the_placeholder_guid() {
    let value = seed();
    let declared = declared_seed_models();
    let (models, diagnostics) = run(
        declared.clone(),
        &[sample(&value, SEED, Some("#microsoft.graph.user"))],
    );
    assert_eq!(models, declared);
    assert_eq!(lines(&diagnostics), [105]);
}

#[test]
fn undeclared_sample_properties_join_the_declared_model() {
    let value = seed();
    let user = declared(
        "microsoft.graph.user",
        vec![property("accountEnabled", "Edm.Boolean", false)],
    );
    let (models, diagnostics) = run(
        vec![user],
        &[sample(&value, SEED, Some("microsoft.graph.user"))],
    );
    let user = &models[0];
    assert_eq!(user.origin, Origin::Declared);
    assert_eq!(user.properties.len(), 6);
    assert_eq!(user.properties[0].origin, Origin::Declared);
    let city = &user.properties[4];
    assert_eq!((city.name.as_str(), city.origin), ("city", Origin::Sample));
    assert_eq!(city.source, Source::new(FILE, 119));
    assert_eq!(
        city.description,
        "Inferred from the example at beta/api/user-get.md:119."
    );
    let undeclared: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.file == "beta/resources/r.md")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(undeclared.len(), 5);
    assert!(undeclared.contains(
        &"property `city` of `microsoft.graph.user` appears in the example at \
          beta/api/user-get.md:119 but not in its properties table"
    ));
}

#[test]
fn sample_type_conflicting_with_declared_type_names_both() {
    let value = json!({"accountEnabled": "yes", "city": 5, "businessPhones": "555", "assignedLicenses": {}});
    let raw = value.to_string();
    let (_, diagnostics) = run(
        declared_seed_models(),
        &[sample(&value, &raw, Some("microsoft.graph.user"))],
    );
    let messages: Vec<_> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "sample value `\"555\"` of `businessPhones` is not a collection, but the properties \
             table of `microsoft.graph.user` says `Collection(Edm.String)`",
            "sample value `\"yes\"` of `accountEnabled` is `Edm.String`, but the properties table \
             of `microsoft.graph.user` says `Edm.Boolean`",
            "sample value `5` of `city` is `Edm.Int32`, but the properties table of \
             `microsoft.graph.user` says `Edm.String`",
            "sample value `{…}` of `assignedLicenses` is not a collection, but the properties \
             table of `microsoft.graph.user` says `Collection(microsoft.graph.assignedLicense)`",
        ]
    );
}

#[test]
fn samples_of_one_type_merge_and_first_wins() {
    let first = json!({"a": 1, "b": "x"});
    let second = json!({"c": true, "a": 3_000_000_000_i64, "b": 5, "d": null});
    let (raw1, raw2) = (first.to_string(), second.to_string());
    let mut s1 = sample(&first, &raw1, Some("microsoft.graph.thing"));
    let mut s2 = sample(&second, &raw2, Some("microsoft.graph.thing"));
    (s1.truncated, s2.truncated, s2.first_line) = (false, false, 200);
    let (models, diagnostics) = run(Vec::new(), &[s1, s2]);
    assert_eq!(models.len(), 1);
    assert_eq!(
        shape(&models[0]),
        [
            ("a", "Edm.Int64", false, 100),
            ("b", "Edm.String", false, 100),
            ("c", "Edm.Boolean", false, 200),
            ("d", "Edm.String", false, 200),
        ]
    );
    assert_eq!(
        models[0].description,
        "Inferred from the example at beta/api/user-get.md:100."
    );
    let messages: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                200,
                "property `b` of `microsoft.graph.thing` is `Edm.String` in the example at \
                 beta/api/user-get.md:100 but `Edm.Int32` here; keeping `Edm.String`"
            ),
            (
                200,
                "type of `d` of `microsoft.graph.thing` is a guess (`Edm.String`): the examples only show `null`"
            ),
        ]
    );
}

#[test]
fn output_keeps_declared_order_then_sorts_new_models() {
    let beta = json!({"z": {"k": 1}, "a": {"k": 1}});
    let v1 = json!({"k": 1});
    let (raw_beta, raw_v1) = (beta.to_string(), v1.to_string());
    let mut on_v1 = sample(&v1, &raw_v1, Some("microsoft.graph.zeta"));
    on_v1.version = ApiVersion::V1;
    let declared = vec![
        declared("ns.second", Vec::new()),
        declared("ns.first", Vec::new()),
    ];
    let (models, _) = run(
        declared,
        &[
            sample(&beta, &raw_beta, Some("microsoft.graph.root")),
            on_v1,
        ],
    );
    let names: Vec<_> = models
        .iter()
        .map(|m| (m.version, m.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (ApiVersion::Beta, "ns.second"),
            (ApiVersion::Beta, "ns.first"),
            (ApiVersion::V1, "microsoft.graph.zeta"),
            (ApiVersion::Beta, "microsoft.graph.a"),
            (ApiVersion::Beta, "microsoft.graph.root"),
            (ApiVersion::Beta, "microsoft.graph.z"),
        ]
    );
}

#[test]
fn collections_annotations_and_self_typed_elements() {
    let raw = r##"{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#users",
  "value": [
{ "id": "1", "members@odata.bind": ["x"] },
{ "@odata.type": "#microsoft.graph.group", "id": "2", "mailEnabled": false }
  ]
}"##;
    let value: Value = serde_json::from_str(raw).unwrap();
    let mut users = sample(&value, raw, Some("microsoft.graph.user"));
    users.collection = true;
    let (models, diagnostics) = run(Vec::new(), &[users]);
    assert_eq!(diagnostics, []);
    assert_eq!(models[0].name, "microsoft.graph.group");
    assert_eq!(
        shape(&models[0]),
        [
            ("id", "Edm.String", false, 104),
            ("mailEnabled", "Edm.Boolean", false, 104)
        ]
    );
    assert_eq!(shape(&models[1]), [("id", "Edm.String", false, 103)]);

    // Without the annotation's `collection`, a lone `value` array still reads as one.
    let (bare, _) = run(
        Vec::new(),
        &[sample(&value, raw, Some("microsoft.graph.user"))],
    );
    assert_eq!(bare, models);
}

#[test]
fn untyped_bodies_only_teach_self_typed_objects() {
    let value = json!({"a": 1, "nested": {"@odata.type": "#microsoft.graph.x", "b": [{"c": 1}]}});
    let raw = value.to_string();
    let (models, diagnostics) = run(Vec::new(), &[sample(&value, &raw, None)]);
    let names: Vec<_> = models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["microsoft.graph.b", "microsoft.graph.x"]);
    assert_eq!(diagnostics, []);
    let (models, _) = run(
        Vec::new(),
        &[sample(&json!({"value": true}), "", Some("Edm.Boolean"))],
    );
    assert_eq!(models, []);
}

/// Keys a base type declares are declared; open types take undeclared keys as dynamic.
#[test]
fn base_types_declare_and_open_types_allow() {
    let mut user = declared("microsoft.graph.user", Vec::new());
    user.base_type = Some("microsoft.graph.entity".to_owned());
    let entity = declared(
        "microsoft.graph.entity",
        vec![property("id", "Edm.String", false)],
    );
    let mut open = declared("microsoft.graph.openTypeExtension", Vec::new());
    open.open_type = true;
    let models = vec![user, entity, open];
    let value = json!({"id": "1"});
    let dynamic = json!({"anything": {"goes": 1}});
    let (raw, raw_dynamic) = (value.to_string(), dynamic.to_string());
    let (unified, diagnostics) = run(
        models.clone(),
        &[
            sample(&value, &raw, Some("microsoft.graph.user")),
            sample(
                &dynamic,
                &raw_dynamic,
                Some("microsoft.graph.openTypeExtension"),
            ),
        ],
    );
    assert_eq!(unified, models);
    assert_eq!(diagnostics, []);
}

#[test]
fn keys_differing_in_case_are_reported() {
    let value = json!({"AccountEnabled": true});
    let raw = value.to_string();
    let (models, diagnostics) = run(
        declared_seed_models(),
        &[sample(&value, &raw, Some("microsoft.graph.user"))],
    );
    assert_eq!(models, declared_seed_models());
    assert_eq!(
        diagnostics[0].message,
        "key `AccountEnabled` of `microsoft.graph.user` is spelled `accountEnabled` in its properties table"
    );
}

#[test]
fn mixed_arrays_widen_or_keep_the_first_type() {
    let value = json!({"n": [1, 2.5], "s": ["11b0131d-43c8-4bbb-b2c8-e80f9a50834a", "x"], "m": [true, 1], "e": []});
    let raw = value.to_string();
    let (models, diagnostics) = run(Vec::new(), &[sample(&value, &raw, Some("ns.t"))]);
    let types: Vec<_> = models[0]
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.type_name.as_str()))
        .collect();
    assert_eq!(
        types,
        [
            ("e", "Edm.String"),
            ("m", "Edm.Boolean"),
            ("n", "Edm.Double"),
            ("s", "Edm.String")
        ]
    );
    let messages: Vec<_> = diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "elements of `m` of `ns.t` mix `Edm.Boolean` and `Edm.Int32`; typed as `Edm.Boolean`",
            "type of `e` of `ns.t` is a guess (`Edm.String`): the examples only show an empty array",
        ]
    );
}

/// Deep nesting must end in a warning, not a stack overflow.
#[test]
fn deep_nesting_is_cut_with_one_warning() {
    let mut value = json!({"leaf": 1});
    for _ in 0..200 {
        value = json!({ "child": value });
    }
    let raw = serde_json::to_string_pretty(&value).unwrap();
    let (models, diagnostics) = run(
        Vec::new(),
        &[sample(&value, &raw, Some("microsoft.graph.node"))],
    );
    let names: Vec<_> = models.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["microsoft.graph.child", "microsoft.graph.node"]);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].line, 100 + 64);
    assert_eq!(
        diagnostics[0].message,
        "example nests deeper than 64 levels at `child`; deeper values are not inferred"
    );

    let mut arrays = json!([1]);
    for _ in 0..200 {
        arrays = json!([arrays]);
    }
    let wrapped = json!({"deep": arrays});
    let raw = wrapped.to_string();
    let (_, diagnostics) = run(Vec::new(), &[sample(&wrapped, &raw, None)]);
    assert_eq!(diagnostics.len(), 1);
    let mut conformed = value.clone();
    assert_eq!(
        conform_sample(
            &mut conformed,
            "microsoft.graph.node",
            ApiVersion::Beta,
            &models
        ),
        0
    );
}

#[test]
fn huge_arrays_are_sampled() {
    let items: Vec<Value> = (0..100_000).map(|i| json!({ "i": i })).collect();
    let value = json!({ "items": items });
    let raw = value.to_string();
    let (models, diagnostics) = run(Vec::new(), &[sample(&value, &raw, Some("ns.big"))]);
    assert_eq!(diagnostics, []);
    assert_eq!(shape(&models[0]), [("items", "ns.item", true, 100)]);
    assert_eq!(shape(&models[1]), [("i", "Edm.Int32", false, 100)]);
}

#[test]
fn odd_samples_never_panic() {
    let bodies = [
        json!("text"),
        json!(null),
        json!([1, "a", null, [], {}]),
        json!({"": {"": []}, "a b": {}, "@odata.type": 5, "x": [[{"y": 1}]]}),
        json!({"value": 5}),
    ];
    for body in &bodies {
        for raw in ["", "ü", "{\"a\":", "[[[", "{\"\": {\"\": ["] {
            for odata_type in [
                None,
                Some("ns.t"),
                Some("Collection(ns.t)"),
                Some("#"),
                Some(""),
            ] {
                let (_, _) = run(declared_seed_models(), &[sample(body, raw, odata_type)]);
                let mut copy = body.clone();
                let _ = conform_sample(
                    &mut copy,
                    odata_type.unwrap_or(""),
                    ApiVersion::Beta,
                    &declared_seed_models(),
                );
            }
        }
    }
}

/// What the typed client would decode: GUIDs must be UUIDs.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct User {
    account_enabled: Option<bool>,
    assigned_licenses: Vec<AssignedLicense>,
    assigned_plans: Vec<AssignedPlan>,
    business_phones: Vec<String>,
    city: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct AssignedLicense {
    disabled_plans: Vec<Guid>,
    sku_id: Option<Guid>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct AssignedPlan {
    assigned_date_time: Option<String>,
    service_plan_id: Option<Guid>,
}

#[derive(Debug)]
struct Guid;

impl<'de> Deserialize<'de> for Guid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if scalar::is_uuid(&text) {
            Ok(Guid)
        } else {
            Err(serde::de::Error::custom(format!("not a UUID: {text}")))
        }
    }
}

#[test]
fn conformed_seed_decodes() {
    let mut value = seed();
    assert!(serde_json::from_value::<User>(value.clone()).is_err());
    let models = declared_seed_models();
    assert_eq!(
        conform_sample(
            &mut value,
            "microsoft.graph.user",
            ApiVersion::Beta,
            &models
        ),
        1
    );
    assert_eq!(
        value["assignedLicenses"][0]["skuId"],
        "00000000-0000-0000-0000-000000000000"
    );
    assert_eq!(value["city"], "city-value", "valid strings stay");
    serde_json::from_value::<User>(value.clone()).expect("conformed seed decodes");
    assert_eq!(
        conform_sample(
            &mut value,
            "microsoft.graph.user",
            ApiVersion::Beta,
            &models
        ),
        0
    );
    assert_eq!(
        conform_sample(&mut value, "microsoft.graph.user", ApiVersion::V1, &models),
        0
    );
}

#[test]
fn conform_fixes_collections_and_wrong_shapes() {
    let models = declared_seed_models();
    let mut users = json!({"value": [
        {"accountEnabled": "yes", "assignedLicenses": {"skuId": "x"}, "city": null, "extra": "{id}"},
        {"assignedPlans": [{"assignedDateTime": "datetime-value", "servicePlanId": ["a"]}], "businessPhones": "1"},
        {"accountEnabled": [true], "assignedPlans": [5]}
    ]});
    let replaced = conform_sample(
        &mut users,
        "Collection(microsoft.graph.user)",
        ApiVersion::Beta,
        &models,
    );
    assert_eq!(
        users,
        json!({"value": [
            {"accountEnabled": false, "assignedLicenses": [], "city": null, "extra": "{id}"},
            {"assignedPlans": [{"assignedDateTime": "0001-01-01T00:00:00Z", "servicePlanId": "00000000-0000-0000-0000-000000000000"}], "businessPhones": []},
            {"accountEnabled": false, "assignedPlans": [{}]}
        ]})
    );
    assert_eq!(replaced, 7);
    assert_eq!(
        conform_sample(&mut json!("x"), "Edm.Guid", ApiVersion::Beta, &[]),
        1
    );
}
