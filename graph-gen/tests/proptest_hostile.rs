//! Bounded property tests of the readers of untrusted text (the part of fuzzing that runs in
//! `cargo test`; `.ci/fuzz` runs the cargo-fuzz targets for longer): pages assembled from page
//! fragments and hostile strings, any text as lenient JSON, any JSON as an inference sample,
//! and any text as a name. Each property must hold for every input, never panic, and the
//! generated code must be inert (`adversarial/inert.rs`).

#[path = "adversarial/inert.rs"]
mod inert;

use graph_gen::__private::Ctxt;
use graph_gen::__private::{self as infer, Sample};
use graph_gen::ir::{ApiVersion, Ir};
use graph_gen::{naming, Generator};
use proptest::prelude::*;
use serde_json::Value;

/// Strings that have broken generators: quotes, comment and doc markers, keywords, non-ASCII.
const HOSTILE: &[&str] = &[
    "\"); std::process::exit(1); //",
    "*/ fn evil() {} /*",
    "#[doc = \"x\"]",
    "```rust\nfn main() {}\n```",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "type",
    "Self",
    "3dModel",
    "a::b",
    "usеr",
    "\u{202e}rtl",
    "\u{1b}[31m",
    "{id}",
    "{",
    "}",
    "'",
    "\\",
    "r#\"",
    "",
];

/// Lines pages are made of, with `{}` where a hostile string goes.
const FRAGMENTS: &[&str] = &[
    "---\ndoc_type: apiPageType\n---",
    "---\ndoc_type: resourcePageType\n---",
    "---\ntitle: {}\n---",
    "# user: {}",
    "# {} resource type",
    "Namespace: microsoft.graph.{}",
    "{}",
    "## HTTP request",
    "```http\nGET /users/{id}/{}\n```",
    "```http\nPOST /{}\n```",
    "## Permissions",
    "| Permission type | Permissions |\n|:--|:--|\n| Application | {} |",
    "[!INCLUDE [permissions-table](../includes/permissions/{}.md)]",
    "## Properties",
    "| Property | Type | Description |\n|:--|:--|:--|\n| {} | String | {} |",
    "| id | [{}]({}.md) collection | x |",
    "## Response",
    "If successful, this method returns a `200 OK` response code and a [user](../resources/{}.md) object.",
    "<!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.{}\" } -->",
    "```http\nHTTP/1.1 200 OK\n\n{\"{}\": {\"@odata.type\": \"#microsoft.graph.{}\", \"a\": [1, \"{}\"]}}\n```",
    "<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.{}\", \"baseType\": \"{}\" } -->",
    "> [!IMPORTANT]\n> - {}",
    "- {}\n  - {}",
];

fn page() -> impl Strategy<Value = String> {
    let line = (
        0..FRAGMENTS.len(),
        prop::collection::vec(0..HOSTILE.len(), 3),
    )
        .prop_map(|(fragment, hostile)| {
            let mut line = FRAGMENTS[fragment].to_owned();
            for index in hostile {
                let replacement = HOSTILE[index].replace('"', "\\\"");
                line = line.replacen("{}", &replacement, 1);
            }
            line
        });
    prop::collection::vec(line, 1..24).prop_map(|lines| lines.join("\n\n"))
}

fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        (0..HOSTILE.len()).prop_map(|index| HOSTILE[index].to_owned()),
        "[a-zA-Z@.#]{0,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        (0..HOSTILE.len()).prop_map(|index| Value::from(HOSTILE[index])),
        "[0-9a-f-]{0,36}|20[0-9]{2}-[01][0-9]-[0-3][0-9](T00:00:00Z)?".prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// A page of hostile fragments lowers without panicking, every diagnostic is on a line of
    /// the page, and the code generated from it parses and is inert.
    #[test]
    fn hostile_pages_generate_inert_code(text in page(), file in 0..3usize) {
        let file = ["beta/api/user-get.md", "v1.0/resources/user.md", "page.md"][file];
        let generator = Generator::default();
        let ir = generator.load_page_text(file, &text);
        let lines = u32::try_from(text.lines().count()).unwrap();
        for diagnostic in &ir.diagnostics {
            prop_assert!(
                (1..=lines + 1).contains(&diagnostic.line),
                "{diagnostic} is not on one of the {lines} lines"
            );
        }
        let printed = generator.generate_text(&ir).expect("generated code parses");
        inert::check_inert("page", &generator.generate_tokens(&ir), &printed);
    }
}

proptest! {
    #![proptest_config(config(2048))]

    /// Any text read as lenient JSON gives a value or a message, and a value is never nested
    /// deeper than the limit.
    #[test]
    fn lenient_json_reads_any_text(text in "[\\[\\]{}\"':,/*\\\\\\n\\r a-z0-9.]{0,300}") {
        if let Ok(value) = graph_gen::__private::parse_lenient(&text) {
            prop_assert!(depth(&value) <= 128);
        }
    }

    /// Any name becomes an identifier Rust accepts (raw or suffixed for keywords).
    #[test]
    fn any_text_becomes_an_identifier(text in "\\PC{0,24}") {
        for name in [naming::snake_case(&text), naming::upper_camel_case(&text), naming::shouty_snake_case(&text)] {
            let ident = naming::ident(&name).to_string();
            prop_assert!(syn::parse_str::<syn::Ident>(&ident).is_ok(), "{text:?} gave `{ident}`");
        }
        let type_name = naming::type_name(&text);
        prop_assert!(syn::parse_str::<syn::Ident>(&type_name.name).is_ok());
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Any JSON, claimed to be any type, unifies without panicking into models whose code
    /// parses and is inert.
    #[test]
    fn any_sample_infers_inert_models(value in json(), claimed in 0..5usize, collection in any::<bool>()) {
        let odata_type = [None, Some("microsoft.graph.user"), Some("Collection(microsoft.graph.user)"), Some("microsoft.graph.a.b"), Some("Edm.String")][claimed];
        let raw = serde_json::to_string_pretty(&value).unwrap();
        let sample = Sample {
            value: &value,
            raw: &raw,
            first_line: 10,
            file: "beta/api/user-get.md",
            version: ApiVersion::Beta,
            odata_type,
            collection,
            truncated: false,
        };
        let cx = Ctxt::new();
        let models = infer::unify(Vec::new(), &[sample], &cx);
        let diagnostics = cx.into_diagnostics();
        let last_line = 10 + u32::try_from(raw.lines().count()).unwrap();
        for diagnostic in &diagnostics {
            prop_assert!((10..=last_line).contains(&diagnostic.line), "{diagnostic}");
        }
        let ir = Ir { models, diagnostics, ..Ir::default() };
        let generator = Generator::default();
        let printed = generator.generate_text(&ir).expect("generated code parses");
        inert::check_inert("sample", &generator.generate_tokens(&ir), &printed);
    }
}

fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(fields) => 1 + fields.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}
