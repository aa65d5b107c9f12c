//! Hostile input to the generator's later stages (issue #16, "Hostile input, round 2"): base-type
//! chains and cycles, models too large for one struct, one type declared by many pages, and file
//! names that would forge log lines or cannot be tracked. Pages are made in memory or in a
//! temporary folder; sizes stay small enough for a fast test, and BENCHMARKS.md has the time and
//! memory of the large versions ("Hostile input: generator").

mod support;

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

use graph_gen::{Diagnostic, Generator, Ir};

/// A resource page declaring `name` with `properties` (`(json name, type cell)`) and, when
/// given, `base` as its `baseType`; the first property row is at line 12.
fn resource(name: &str, base: Option<&str>, properties: &[(String, &str)]) -> String {
    let mut page = format!(
        "---\ndoc_type: resourcePageType\n---\n# {name} resource type\n\nNamespace: microsoft.graph\n\n\
         ## Properties\n\n| Property | Type | Description |\n|:--|:--|:--|\n"
    );
    for (property, type_cell) in properties {
        let _ = writeln!(page, "| {property} | {type_cell} | The {property}. |");
    }
    let base = base
        .map(|base| format!(", \"baseType\": \"microsoft.graph.{base}\""))
        .unwrap_or_default();
    let _ = write!(
        page,
        "\n## JSON representation\n\n<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.{name}\"{base} }} -->\n```json\n{{}}\n```\n"
    );
    page
}

/// `count` string properties named `{prefix}0`, `{prefix}1`, …
fn strings(prefix: &str, count: usize) -> Vec<(String, &'static str)> {
    (0..count)
        .map(|n| (format!("{prefix}{n}"), "String"))
        .collect()
}

fn load(pages: &[(String, String)]) -> Ir {
    Generator::default().load_page_texts(
        pages
            .iter()
            .map(|(file, text)| (file.as_str(), text.as_str())),
    )
}

fn errors(ir: &Ir) -> Vec<&Diagnostic> {
    ir.diagnostics.iter().filter(|d| d.is_error()).collect()
}

fn model<'ir>(ir: &'ir Ir, name: &str) -> &'ir graph_gen::ir::Model {
    ir.models
        .iter()
        .find(|model| model.name == format!("microsoft.graph.{name}"))
        .unwrap_or_else(|| panic!("no model `{name}`"))
}

/// Fields of the generated structs: every `pub name: Option<…>` line of the formatted text.
fn generated_fields(ir: &Ir) -> usize {
    let text = Generator::default()
        .generate_text(ir)
        .expect("the bindings parse");
    text.lines()
        .filter(|line| {
            line.trim_start().starts_with("pub ") && line.contains(": ::core::option::Option<")
        })
        .count()
}

/// 300 pages, each with one property and the previous page's type as its base: the structs had
/// 45,150 fields (quadratic), and 3,000 pages ran the machine out of memory. A chain is now cut
/// where it passes 16 base types, with an error at that type naming the chain, so the fields
/// generated stay within 17 times the properties declared.
#[test]
fn base_type_chains_are_cut_past_sixteen_levels() {
    let pages: Vec<(String, String)> = (0..300)
        .map(|n| {
            let base = (n > 0).then(|| format!("t{}", n - 1));
            let file = format!("beta/resources/t{n}.md");
            (
                file,
                resource(
                    &format!("t{n}"),
                    base.as_deref(),
                    &strings(&format!("p{n}_"), 1),
                ),
            )
        })
        .collect();
    let ir = load(&pages);
    let errors = errors(&ir);
    let cut: Vec<(&str, u32)> = errors.iter().map(|d| (d.file.as_str(), d.line)).collect();
    let mut expected: Vec<String> = (1..300)
        .filter(|n| n % 17 == 0)
        .map(|n| format!("beta/resources/t{n}.md"))
        .collect();
    expected.sort();
    assert_eq!(
        cut,
        expected
            .iter()
            .map(|file| (file.as_str(), 4))
            .collect::<Vec<_>>()
    );
    let t17 = errors.iter().find(|d| d.file.ends_with("/t17.md")).unwrap();
    assert!(
        t17.message.starts_with(
            "type `microsoft.graph.t17` has 17 base types (`microsoft.graph.t17` → `microsoft.graph.t16` → `microsoft.graph.t15` → … → `microsoft.graph.t0`); at most 16 are inherited"
        ),
        "{t17}"
    );
    assert_eq!(model(&ir, "t17").base_type, None);
    assert_eq!(
        model(&ir, "t18").base_type.as_deref(),
        Some("microsoft.graph.t17")
    );
    let fields = generated_fields(&ir);
    assert!(fields <= 17 * 300, "{fields} fields");
    // t16 inherits all 16 bases above it: 17 fields.
    let text = Generator::default().generate_text(&ir).unwrap();
    let t16 = &text[text.find("pub struct T16 {").unwrap()..];
    let t16 = &t16[..t16.find("pub additional_properties").unwrap()];
    assert_eq!(t16.matches(": ::core::option::Option<").count(), 17);
}

/// `a` base `b`, `b` base `a`, and `s` base `s`: each cycle is one located error, broken where it
/// closes, and the bindings still generate.
#[test]
fn base_type_cycles_are_located_errors() {
    let pages = [
        (
            "beta/resources/a.md",
            resource("a", Some("b"), &strings("a", 2)),
        ),
        (
            "beta/resources/b.md",
            resource("b", Some("a"), &strings("b", 2)),
        ),
        (
            "beta/resources/s.md",
            resource("s", Some("s"), &strings("s", 2)),
        ),
    ]
    .map(|(file, text)| (file.to_owned(), text));
    let ir = load(&pages);
    let errors: Vec<String> = errors(&ir).iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            "beta/resources/b.md:4: error: base types of `microsoft.graph.b` form a cycle: `microsoft.graph.b` → `microsoft.graph.a` → `microsoft.graph.b`; it is generated without its base type\n  help: make `baseType` of `microsoft.graph.b` name a type that does not derive from it, or remove it",
            "beta/resources/s.md:4: error: type `microsoft.graph.s` is its own base type; it is generated without one\n  help: make `baseType` of `microsoft.graph.s` name a type that does not derive from it, or remove it",
        ]
    );
    // `a` still inherits from `b`: 2 + 2 fields; `b` and `s` have their own.
    assert_eq!(generated_fields(&ir), 4 + 2 + 2);
}

/// A page of 6,000 properties (under the page cap of 10,000 elements) made rustc overflow its
/// stack on the derived `PartialEq`. A struct gets at most 2,000 fields: the rest are cut with
/// an error at the first row left out, and 2,000 exactly pass untouched.
#[test]
fn models_past_two_thousand_properties_are_cut_at_the_first_left_out() {
    let wide = resource("wide", None, &strings("p", 2_500));
    let exact = resource("exact", None, &strings("q", 2_000));
    let ir = load(&[
        ("beta/resources/wide.md".into(), wide),
        ("beta/resources/exact.md".into(), exact),
    ]);
    let errors: Vec<String> = errors(&ir).iter().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        ["beta/resources/wide.md:2012: error: type `microsoft.graph.wide` has 2500 properties; at most 2000 are generated, up to here\n  help: split the type: the largest Microsoft Graph types have about 300 properties"]
    );
    assert_eq!(model(&ir, "wide").properties.len(), 2_000);
    assert_eq!(model(&ir, "exact").properties.len(), 2_000);
    assert_eq!(generated_fields(&ir), 4_000);
}

/// Own and inherited fields count together: a type of 1,500 properties deriving from one of
/// 600 is generated without the inherited ones, with an error naming the chain.
#[test]
fn inherited_fields_count_toward_the_cap() {
    let ir = load(&[
        (
            "beta/resources/base.md".into(),
            resource("base", None, &strings("b", 600)),
        ),
        (
            "beta/resources/big.md".into(),
            resource("big", Some("base"), &strings("p", 1_500)),
        ),
        (
            "beta/resources/small.md".into(),
            resource("small", Some("base"), &strings("s", 10)),
        ),
    ]);
    let errors = errors(&ir);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("beta/resources/big.md", 4)
    );
    assert!(
        errors[0].message.starts_with("type `microsoft.graph.big` has 2100 properties with those of its base types (`microsoft.graph.big` → `microsoft.graph.base`); at most 2000 are generated"),
        "{}",
        errors[0]
    );
    assert_eq!(
        model(&ir, "small").base_type.as_deref(),
        Some("microsoft.graph.base")
    );
    assert_eq!(generated_fields(&ir), 600 + 1_500 + 610);
}

/// Twenty pages declaring `microsoft.graph.thing` merged property by property against every
/// kept one (20 × 9,990 properties: 304 s) and gave one struct of 199,800 fields, past every cap.
/// The merge indexes the kept properties, and the cap applies to the merged model: an error
/// at the first property left out, naming how many pages declare the type.
#[test]
fn a_type_declared_by_many_pages_is_merged_then_capped() {
    let pages: Vec<(String, String)> = (0..20)
        .map(|page| {
            // Each page repeats 200 shared properties and adds 300 of its own.
            let mut properties = strings("shared", 200);
            properties.extend(strings(&format!("own{page}_"), 300));
            (
                format!("beta/resources/thing{page:02}.md"),
                resource("thing", None, &properties),
            )
        })
        .collect();
    let ir = load(&pages);
    let thing = model(&ir, "thing");
    assert_eq!(thing.properties.len(), 2_000);
    let errors: Vec<String> = errors(&ir).iter().map(ToString::to_string).collect();
    // 200 + 300 from the first page, 300 more from each later one: the 2,001st property is the
    // first own property of the seventh page, after its 200 shared rows.
    assert_eq!(
        errors,
        ["beta/resources/thing06.md:212: error: type `microsoft.graph.thing` has 6200 properties on 20 pages; at most 2000 are generated, up to here\n  help: split the type: the largest Microsoft Graph types have about 300 properties"]
    );
    let merged = ir
        .diagnostics
        .iter()
        .filter(|d| {
            d.message
                .contains("is also declared at beta/resources/thing00.md:4")
        })
        .count();
    assert_eq!(merged, 19);
    assert_eq!(generated_fields(&ir), 2_000);
}

/// Two pages giving one property two types: a warning at the later row naming both
/// declarations, and the first kept; the same type in another spelling is no conflict.
#[test]
fn a_property_declared_with_two_types_names_both() {
    let first = resource(
        "thing",
        None,
        &[
            ("size".into(), "Int32"),
            ("name".into(), "String"),
            ("tags".into(), "String collection"),
        ],
    );
    let later = resource(
        "thing",
        Some("entity"),
        &[
            ("size".into(), "String"),
            ("name".into(), "string"),
            ("tags".into(), "String"),
        ],
    );
    let ir = load(&[
        ("beta/resources/thing.md".into(), first), // read in path order: `thing.md` first
        ("beta/resources/thing2.md".into(), later),
    ]);
    let conflicts: Vec<String> = ir
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("property "))
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        conflicts,
        [
            "beta/resources/thing2.md:12: warning: property `size` of `microsoft.graph.thing` is `Edm.String` here but `Edm.Int32` at beta/resources/thing.md:12; the first declaration is kept\n  help: declare `size` with one type on every page that declares `microsoft.graph.thing`",
            "beta/resources/thing2.md:14: warning: property `tags` of `microsoft.graph.thing` is `Edm.String` here but `Collection(Edm.String)` at beta/resources/thing.md:14; the first declaration is kept\n  help: declare `tags` with one type on every page that declares `microsoft.graph.thing`",
        ]
    );
    let size = &model(&ir, "thing").properties[0];
    assert_eq!(size.type_name, "Edm.Int32");
    assert!(errors(&ir).is_empty());
}

fn graph_gen(args: &[&str], folder: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_graph-gen"))
        .args(args)
        .current_dir(folder)
        .output()
        .unwrap()
}

/// A broken API page (unknown method at line 8) under `name` in a temporary docs tree.
#[cfg(unix)]
fn docs_with_page(name: &std::ffi::OsStr) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("docs/beta/api");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join(name),
        "---\ndoc_type: apiPageType\n---\n# user: broken\n\n## HTTP request\n```http\nFETCH /users/{id}\n```\n",
    )
    .unwrap();
    dir
}

/// A page named `a.md\n::error file=lib.rs,line=1::FORGED\nz.md` printed that middle line on
/// its own in `--format short` (CI's default), where CI systems read it as a command. No format
/// prints a line the generator did not write.
#[cfg(unix)]
#[test]
fn page_names_cannot_forge_log_lines() {
    let name = "a.md\n::error file=lib.rs,line=1::FORGED\nz.md";
    let dir = docs_with_page(std::ffi::OsStr::new(name));
    for format in ["short", "human"] {
        let output = graph_gen(&["check", "--format", format, "docs"], dir.path());
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr
                .lines()
                .any(|line| line.trim_start().starts_with("::")),
            "{format}: {stderr}"
        );
        assert!(
            stderr.contains("a.md\\n::error file=lib.rs,line=1::FORGED\\nz.md"),
            "{format}: {stderr}"
        );
    }
    let output = graph_gen(&["check", "--format", "json", "docs"], dir.path());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["diagnostics"][0]["file"],
        format!("docs/beta/api/{name}")
    );
}

/// A page whose name is not UTF-8 passed `check`, and `generate_api!` then failed with an
/// unlocated `couldn't read '…/bad�.md'`: `include_bytes!` cannot name it. It is a located
/// error of `check` now, the page is not read, and every input the macro tracks exists.
#[cfg(unix)]
#[test]
fn page_names_that_are_not_utf8_are_located_errors() {
    use std::os::unix::ffi::OsStrExt;
    let dir = docs_with_page(std::ffi::OsStr::from_bytes(b"bad\xff.md"));
    std::fs::write(
        dir.path().join("docs/beta/api/good.md"),
        "---\ndoc_type: apiPageType\n---\n# user: get\n\n## HTTP request\n```http\nGET /me\n```\n",
    )
    .unwrap();
    let output = graph_gen(&["check", "--format", "short", "docs"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("docs/beta/api/bad\\xff.md:1: error: file name `docs/beta/api/bad\\xff.md` is not valid UTF-8; the page is not read"),
        "{stderr}"
    );
    assert!(!stderr.contains("FETCH"), "the page was read: {stderr}");
    let ir = Generator::default()
        .load_docs_relative(dir.path(), &["docs"])
        .unwrap();
    assert_eq!(ir.inputs, ["docs/beta/api/good.md"]);
    for input in &ir.inputs {
        assert!(dir.path().join(input).is_file(), "{input}");
    }
}

/// `generate`'s summary said "in 1.65s" for a run of 18.8 s: it was made before generating.
#[test]
fn the_generate_summary_gives_the_time_generating() {
    let output = graph_gen(&["generate", "api-docs"], &support::workspace());
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let summary = stderr.lines().last().unwrap();
    assert!(
        summary.contains("s reading, ") && summary.ends_with("s generating)"),
        "{summary}"
    );
}

/// Properties only an example shows are capped like declared ones: a sample-only type with
/// 2,500 keys is cut at 2,000, with an error at the first key left out.
#[test]
fn properties_learnt_from_examples_are_capped_too() {
    let keys: Vec<String> = (0..2_500).map(|n| format!("\"k{n}\": \"v\"")).collect();
    let page = format!(
        "---\ndoc_type: apiPageType\n---\n# Get widget\n\nNamespace: microsoft.graph\n\n\
         ## HTTP request\n\n```http\nGET /widgets/{{id}}\n```\n\n## Response\n\n\
         If successful, this method returns a `200 OK` response code and a widget object in the response body.\n\n\
         ## Example\n\n### Request\n\n```http\nGET https://graph.microsoft.com/beta/widgets/1\n```\n\n\
         ### Response\n\n<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.widget\" }} -->\n\
         ```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\n{}\n}}\n```\n",
        keys.join(",\n")
    );
    let ir = load(&[("beta/api/widget-get.md".into(), page)]);
    let errors: Vec<String> = errors(&ir).iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].contains(
            "type `microsoft.graph.widget` has 2500 properties; at most 2000 are generated"
        ),
        "{errors:#?}"
    );
    assert_eq!(model(&ir, "widget").properties.len(), 2_000);
}
