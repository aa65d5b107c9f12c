//! Classification of single changes on hand-built IRs.

use serde_json::{json, Value};

use super::*;

fn source() -> Value {
    json!({"file": "p.md", "line": 1})
}

fn set(least: &[&str]) -> Value {
    json!({"least": least, "higher": []})
}

fn operation() -> Value {
    json!({
        "name": "reprocessLicenseAssignment", "resource": "user",
        "title": "user: reprocessLicenseAssignment", "source": source(), "version": "beta",
        "namespace": null, "description": "",
        "http": [{"method": "POST", "path": "/users/{id}/reprocessLicenseAssignment", "raw": "",
                  "parameters": [], "source": source()}],
        "permissions": {"delegated_work": set(&["User.ReadWrite.All"]), "delegated_personal": null,
                        "application": set(&["User.ReadWrite.All"]), "source": source()},
        "roles": null, "national_clouds": null, "request_headers": [],
        "request_body": {"kind": "parameters", "parameters": [
            {"name": "note", "type": "Edm.String", "collection": false, "required": false,
             "description": "", "source": source()}]},
        "response": {"status": 200, "type": "microsoft.graph.user", "collection": false,
                     "source": source()},
        "examples": [],
    })
}

fn model() -> Value {
    json!({
        "name": "microsoft.graph.user", "version": "beta", "description": "", "base_type": null,
        "open_type": false, "origin": "declared", "source": source(),
        "properties": [{"name": "city", "type": "Edm.String", "collection": false,
                        "description": "", "origin": "declared", "source": source()}],
    })
}

fn ir(operation: &Value, model: &Value) -> Ir {
    serde_json::from_value(json!({
        "operations": [operation], "models": [model], "diagnostics": []
    }))
    .unwrap()
}

/// The single change between the seed IR and the seed IR edited by `edit`.
fn one_change(edit: impl FnOnce(&mut Value, &mut Value)) -> (ChangeKind, bool, String) {
    let (mut op, mut m) = (operation(), model());
    edit(&mut op, &mut m);
    let diff = diff(&ir(&operation(), &model()), &ir(&op, &m));
    let [change] = diff.changes.as_slice() else {
        panic!("expected one change, got {diff}")
    };
    (change.kind, change.breaking, change.item.clone())
}

#[test]
fn identical_irs_have_no_changes() {
    let diff = diff(&ir(&operation(), &model()), &ir(&operation(), &model()));
    assert!(diff.is_empty());
    assert_eq!(diff.to_string(), "no changes to the generated API\n");
}

#[test]
fn placeholder_renames_are_compatible_and_new_paths_additive() {
    let renamed = one_change(|op, _| {
        op["http"][0]["path"] = json!("/users/{user_id}/reprocessLicenseAssignment");
    });
    assert_eq!(
        renamed,
        (
            ChangeKind::ParameterRenamed,
            false,
            "beta.users().by_id().reprocess_license_assignment()".to_owned()
        )
    );
    let added = one_change(|op, _| {
        let me = json!({"method": "POST", "path": "/me/reprocessLicenseAssignment", "raw": "",
                        "parameters": [], "source": source()});
        op["http"].as_array_mut().unwrap().push(me);
    });
    assert_eq!((added.0, added.1), (ChangeKind::PathAdded, false));
}

#[test]
fn method_changes_remove_a_path() {
    let mut kinds: Vec<(ChangeKind, bool)> = {
        let mut op = operation();
        op["http"][0]["method"] = json!("PATCH");
        diff(&ir(&operation(), &model()), &ir(&op, &model()))
            .changes
            .iter()
            .map(|c| (c.kind, c.breaking))
            .collect()
    };
    kinds.sort();
    assert_eq!(
        kinds,
        [
            (ChangeKind::PathAdded, false),
            (ChangeKind::PathRemoved, true)
        ]
    );
}

#[test]
fn response_types_and_statuses() {
    let retyped = one_change(|op, _| op["response"]["collection"] = json!(true));
    assert_eq!((retyped.0, retyped.1), (ChangeKind::ResponseChanged, true));
    let status = one_change(|op, _| op["response"]["status"] = json!(201));
    assert_eq!((status.0, status.1), (ChangeKind::ResponseChanged, false));
}

#[test]
fn body_parameters_break_when_required_or_removed() {
    let optional = one_change(|op, _| {
        let mut extra = op["request_body"]["parameters"][0].clone();
        extra["name"] = json!("reason");
        op["request_body"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(extra);
    });
    assert_eq!(
        (optional.0, optional.1),
        (ChangeKind::BodyParameterAdded, false)
    );
    let required =
        one_change(|op, _| op["request_body"]["parameters"][0]["required"] = json!(true));
    assert_eq!(
        (required.0, required.1),
        (ChangeKind::BodyParameterChanged, true)
    );
    let removed = one_change(|op, _| op["request_body"]["parameters"] = json!([]));
    assert_eq!(
        (removed.0, removed.1),
        (ChangeKind::BodyParameterRemoved, true)
    );
    let no_body = one_change(|op, _| op["request_body"] = json!({"kind": "none"}));
    assert_eq!(
        (no_body.0, no_body.1),
        (ChangeKind::RequestBodyChanged, true)
    );
}

#[test]
fn permissions_break_when_scopes_or_account_types_go() {
    let narrowed = one_change(|op, _| {
        op["permissions"]["application"] = set(&[]);
    });
    assert_eq!(
        (narrowed.0, narrowed.1),
        (ChangeKind::PermissionsChanged, true)
    );
    let widened = one_change(|op, _| {
        op["permissions"]["delegated_personal"] = set(&["User.Read"]);
    });
    assert_eq!(
        (widened.0, widened.1),
        (ChangeKind::PermissionsChanged, false)
    );
    let dropped = one_change(|op, _| op["permissions"]["application"] = json!(null));
    assert_eq!(
        (dropped.0, dropped.1),
        (ChangeKind::PermissionsChanged, true)
    );
}

#[test]
fn property_changes_are_breaking_for_exhaustive_structs() {
    let added = one_change(|_, m| {
        let mut extra = m["properties"][0].clone();
        extra["name"] = json!("jobTitle");
        m["properties"].as_array_mut().unwrap().push(extra);
    });
    assert_eq!(
        added,
        (
            ChangeKind::PropertyAdded,
            true,
            "beta::User::job_title".to_owned()
        )
    );
    let retyped = one_change(|_, m| m["properties"][0]["collection"] = json!(true));
    assert_eq!(
        (retyped.0, retyped.1),
        (ChangeKind::PropertyTypeChanged, true)
    );
    let rebased = one_change(|_, m| m["base_type"] = json!("microsoft.graph.directoryObject"));
    assert_eq!((rebased.0, rebased.1), (ChangeKind::BaseTypeChanged, true));
}

#[test]
fn text_puts_breaking_changes_first_and_summarises() {
    let mut op = operation();
    op["response"]["status"] = json!(201);
    let mut m = model();
    m["properties"] = json!([]);
    let text = diff(&ir(&operation(), &model()), &ir(&op, &m)).to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "breaking: `beta::User::city`: property `city` removed (old p.md:1, new p.md:1)",
            "compatible: `beta.users().by_id().reprocess_license_assignment()`: success status `200` is now `201` (old p.md:1, new p.md:1)",
            "1 breaking and 1 compatible change(s): a major version",
        ]
    );
}

#[test]
fn enum_members_added_and_removed_are_breaking() {
    let risk = |members: &[&str]| {
        let members: Vec<Value> = members
            .iter()
            .map(|name| json!({"name": name, "value": null, "description": "", "source": source()}))
            .collect();
        json!({"name": "microsoft.graph.riskLevel", "version": "beta", "description": "",
               "members": members, "source": source()})
    };
    let with_enum = |members: &[&str]| -> Ir {
        let mut ir = ir(&operation(), &model());
        ir.enums = vec![serde_json::from_value(risk(members)).unwrap()];
        ir
    };
    let changes = diff(&with_enum(&["low", "high"]), &with_enum(&["low", "medium"])).changes;
    let found: Vec<(ChangeKind, &str, bool)> = changes
        .iter()
        .map(|c| (c.kind, c.item.as_str(), c.breaking))
        .collect();
    assert_eq!(
        found,
        [
            (ChangeKind::EnumMemberRemoved, "beta::RiskLevel::High", true),
            (ChangeKind::EnumMemberAdded, "beta::RiskLevel::Medium", true),
        ]
    );
    let added = diff(&ir(&operation(), &model()), &with_enum(&["low"])).changes;
    assert_eq!(
        (added[0].kind, added[0].breaking),
        (ChangeKind::EnumAdded, false)
    );
}
