//! Sample inference: any JSON body, with any of the types a page may claim for it, unifies with
//! a declared model without panicking, and the models it gives generate Rust that parses.

#![no_main]

use graph_gen::__private::{self as infer, Sample};
use graph_gen::ir::{ApiVersion, Ir, Model};
use graph_gen::__private::Ctxt;
use libfuzzer_sys::fuzz_target;

/// What a response annotation may say the body is.
const TYPES: [Option<&str>; 6] = [
    None,
    Some("microsoft.graph.user"),
    Some("Collection(microsoft.graph.user)"),
    Some("#microsoft.graph.group"),
    Some("microsoft.graph.callRecords.session"),
    Some("Edm.String"),
];

/// A declared model the samples are checked against.
const DECLARED: &str = r#"{
  "name": "microsoft.graph.user", "version": "beta", "description": "A user.",
  "base_type": "microsoft.graph.directoryObject", "open_type": false, "origin": "declared",
  "properties": [
    { "name": "accountEnabled", "type": "Edm.Boolean", "collection": false, "description": "",
      "origin": "declared", "source": { "file": "beta/resources/user.md", "line": 20 } },
    { "name": "assignedLicenses", "type": "microsoft.graph.assignedLicense", "collection": true,
      "description": "", "origin": "declared", "source": { "file": "beta/resources/user.md", "line": 21 } },
    { "name": "id", "type": "Edm.Guid", "collection": false, "description": "",
      "origin": "declared", "source": { "file": "beta/resources/user.md", "line": 22 } }
  ],
  "source": { "file": "beta/resources/user.md", "line": 10 }
}"#;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(raw) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(value) = graph_gen::__private::parse_lenient(raw) else {
        return;
    };
    let declared: Model = serde_json::from_str(DECLARED).expect("the declared model is valid");
    let sample = Sample {
        value: &value,
        raw,
        first_line: 1 + u32::from(selector >> 4),
        file: "beta/api/user-get.md",
        version: if selector & 8 == 0 {
            ApiVersion::Beta
        } else {
            ApiVersion::V1
        },
        odata_type: TYPES[usize::from(selector & 7) % TYPES.len()],
        collection: selector & 1 == 1,
        truncated: selector & 2 == 2,
    };
    let cx = Ctxt::new();
    let models = infer::unify(vec![declared], &[sample, sample], &cx);
    let diagnostics = cx.into_diagnostics();
    let ir = Ir {
        models,
        diagnostics,
        ..Ir::default()
    };
    if let Err(error) = graph_gen::Generator::default().generate_text(&ir) {
        panic!("generated code does not parse: {error}");
    }
});
