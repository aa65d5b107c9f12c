//! Hostile pages: the suite in `tests/adversarial/<case>/` (each with an `expected.txt`), and
//! pages too big or too odd to commit, made at run time.
//!
//! `expected.txt` lines, besides `#` comments:
//! - `error FILE:LINE: TEXT` / `warning FILE:LINE: TEXT`: a diagnostic of that severity at that
//!   place whose message contains `TEXT`. Every error the case produces must be listed.
//! - `code TEXT`: the generated Rust (as printed) contains `TEXT`.
//!
//! Every case must also generate code that parses, holds no token a page could have injected
//! (no macro calls, no attributes but the generator's own, no `process`/`exit`/`unsafe`… as
//! code), and docs that rustdoc renders as text, `text` code blocks and web links only.
//! `graph-gen-macros/tests/adversarial_pass.rs` compiles the same cases with warnings denied.
//!
//! Set `ADVERSARIAL_PRINT=1` to print each case's diagnostics.

#[path = "adversarial/inert.rs"]
mod inert;
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use graph_gen::{Generator, Ir, Severity};

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial")
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(suite())
        .expect("tests/adversarial exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.is_dir())
        .collect();
    cases.sort();
    cases
}

fn load(folder: &Path) -> Ir {
    Generator::default()
        .load_docs_relative(folder, &["."])
        .expect("the case folder is readable")
}

/// One line of `expected.txt`.
#[derive(Debug)]
enum Expectation {
    Diagnostic {
        severity: Severity,
        file: String,
        line: u32,
        text: String,
    },
    Code(String),
}

fn expectations(case: &Path) -> Vec<Expectation> {
    let text = std::fs::read_to_string(case.join("expected.txt"))
        .unwrap_or_else(|_| panic!("{} has an expected.txt", case.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (kind, rest) = line.split_once(' ').expect("`kind rest` line");
            match kind {
                "code" => Expectation::Code(rest.to_owned()),
                "error" | "warning" => {
                    let (place, text) = rest.split_once(": ").expect("`FILE:LINE: TEXT`");
                    let (file, line) = place.rsplit_once(':').expect("`FILE:LINE`");
                    Expectation::Diagnostic {
                        severity: if kind == "error" {
                            Severity::Error
                        } else {
                            Severity::Warning
                        },
                        file: file.to_owned(),
                        line: line.parse().expect("a line number"),
                        text: text.to_owned(),
                    }
                }
                other => panic!("unknown expectation `{other}` in {}", case.display()),
            }
        })
        .collect()
}

/// Checks `ir` against the case's expectations; returns the generated text.
fn check_case(case: &Path, ir: &Ir) -> String {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    if std::env::var_os("ADVERSARIAL_PRINT").is_some() {
        eprintln!("== {name}");
        for diagnostic in &ir.diagnostics {
            eprintln!("{diagnostic}");
        }
    }
    let generator = Generator::default();
    let text = generator
        .generate_text(ir)
        .unwrap_or_else(|error| panic!("{name}: generated code does not parse: {error}"));
    inert::check_inert(&name, &generator.generate_tokens(ir), &text);
    let expected = expectations(case);
    for expectation in &expected {
        match expectation {
            Expectation::Code(code) => {
                assert!(
                    text.contains(code.as_str()),
                    "{name}: no `{code}` in\n{text}"
                );
            }
            Expectation::Diagnostic {
                severity,
                file,
                line,
                text,
            } => assert!(
                ir.diagnostics.iter().any(|d| d.severity == *severity
                    && d.file == *file
                    && d.line == *line
                    && d.message.contains(text.as_str())),
                "{name}: no {severity} `{file}:{line}: …{text}…` among\n{:#?}",
                ir.diagnostics
            ),
        }
    }
    for error in ir.diagnostics.iter().filter(|d| d.is_error()) {
        let listed = expected.iter().any(|expectation| {
            matches!(expectation, Expectation::Diagnostic { severity: Severity::Error, file, line, text }
                if *file == error.file && *line == error.line && error.message.contains(text.as_str()))
        });
        assert!(listed, "{name}: unexpected error {error}");
    }
    for diagnostic in &ir.diagnostics {
        assert!(diagnostic.line >= 1, "{name}: no line in {diagnostic}");
        assert!(
            !diagnostic.message.starts_with(|c: char| c.is_uppercase())
                || diagnostic.message.starts_with("API")
                || diagnostic.message.starts_with("JSON")
                || diagnostic.message.starts_with("HTTP"),
            "{name}: message not lowercase: {diagnostic}"
        );
    }
    text
}

/// Every case of the suite meets its `expected.txt` and generates inert code.
#[test]
fn suite_cases_meet_their_expectations() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let failed: Vec<String> = cases
        .iter()
        .filter(|case| std::panic::catch_unwind(|| check_case(case, &load(case))).is_err())
        .map(|case| case.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(failed.is_empty(), "failed cases (see above): {failed:?}");
}

/// `graph-gen-macros/tests/adversarial_pass.rs` compiles every case of the suite.
#[test]
fn every_case_is_compiled_by_the_macro_test() {
    let compiled = std::fs::read_to_string(
        support::workspace().join("graph-gen-macros/tests/adversarial_pass.rs"),
    )
    .expect("the macro test exists");
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let invocation = format!("docs = \"../../graph-gen/tests/adversarial/{name}\"");
        assert!(
            compiled.contains(&invocation),
            "adversarial_pass.rs lacks `{invocation}`"
        );
    }
}

/// A folder of pages made at run time (`beta/api/…`), loaded like a docs root.
struct Made {
    folder: tempfile::TempDir,
}

impl Made {
    fn new() -> Self {
        Made {
            folder: tempfile::tempdir().expect("temp folder"),
        }
    }

    fn write(&self, relative: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.folder.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    fn load(&self) -> Ir {
        load(self.folder.path())
    }
}

/// A page whose only problem is what `permissions` says.
fn page_with_permissions(permissions: &str) -> String {
    format!(
        "---\ndoc_type: apiPageType\n---\n# user: get\n\nNamespace: microsoft.graph\n\nGets a user.\n\n## Permissions\n\n{permissions}\n\n## HTTP request\n\n```http\nGET /users/{{id}}\n```\n\n## Response\n\nReturns `200 OK`.\n"
    )
}

fn errors(ir: &Ir) -> Vec<String> {
    ir.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect()
}

/// Includes and pages that are symlinks out of the docs root are refused and never read.
#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret-permissions.md");
    std::fs::write(
        &secret,
        "| Permission type | Permissions |\n|--|--|\n| Application | Secret.Read |\n",
    )
    .unwrap();
    let made = Made::new();
    made.write(
        "beta/api/user-get.md",
        page_with_permissions(
            "[!INCLUDE [permissions-table](../includes/permissions/link-permissions.md)]",
        ),
    );
    std::fs::create_dir_all(made.folder.path().join("beta/includes/permissions")).unwrap();
    std::os::unix::fs::symlink(
        &secret,
        made.folder
            .path()
            .join("beta/includes/permissions/link-permissions.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, made.folder.path().join("beta/api/user-linked.md"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path(), made.folder.path().join("beta/api/folder")).unwrap();
    let ir = made.load();
    let errors = errors(&ir);
    assert_eq!(
        errors,
        [
            "beta/api/user-get.md:12: error: include path `../includes/permissions/link-permissions.md` resolves outside the docs root\n  help: replace the symlink with the included file itself",
            "beta/api/user-linked.md:1: error: page resolves outside the docs root\n  help: replace the symlink with the page itself",
        ]
    );
    let text = Generator::default().generate_text(&ir).unwrap();
    assert!(
        !text.contains("Secret.Read"),
        "the secret was read:\n{text}"
    );
    assert!(!ir.inputs.iter().any(|input| input.contains("secret")));
}

/// A FIFO where a page or an include should be is refused before it is opened: opening it
/// would wait for a writer and block the build.
#[cfg(unix)]
#[test]
fn pages_that_are_not_regular_files_are_refused_unopened() {
    let made = Made::new();
    made.write(
        "beta/api/user-get.md",
        page_with_permissions(
            "[!INCLUDE [permissions-table](../includes/permissions/fifo-permissions.md)]",
        ),
    );
    std::fs::create_dir_all(made.folder.path().join("beta/includes/permissions")).unwrap();
    let fifos = [
        "beta/api/user-fifo.md",
        "beta/includes/permissions/fifo-permissions.md",
    ];
    for fifo in fifos {
        match std::process::Command::new("mkfifo")
            .arg(made.folder.path().join(fifo))
            .status()
        {
            Ok(status) if status.success() => {}
            other => {
                println!("skipped: `mkfifo` is not available here ({other:?})");
                return;
            }
        }
    }
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let ir = made.load();
        let _ = done.send(errors(&ir));
    });
    let errors = finished
        .recv_timeout(Duration::from_secs(20))
        .expect("loading the docs blocked on a FIFO");
    assert_eq!(
        errors,
        [
            "beta/api/user-fifo.md:1: error: file is not a regular file; it is not read\n  help: replace it with a page saved as a file",
            "beta/includes/permissions/fifo-permissions.md:1: error: file is not a regular file; it is not read\n  help: replace it with a page saved as a file",
        ]
    );
}

/// A 50 MB page is refused from its size, before it is read, with a located error.
#[test]
fn pages_over_the_size_limit_are_refused() {
    let made = Made::new();
    let path = made.write("beta/api/user-huge.md", page_with_permissions(""));
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let started = Instant::now();
    let ir = made.load();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        errors(&ir),
        ["beta/api/user-huge.md:1: error: file is 52428800 bytes; pages over 16777216 bytes are not read\n  help: split the page"]
    );
}

/// JSON nested 10,000 deep in an annotation and in an example body: a clear error, no
/// stack overflow.
#[test]
fn json_nested_ten_thousand_deep_is_an_error() {
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let made = Made::new();
    let page = page_with_permissions("")
        + &format!("\n## Examples\n\n<!-- {{ \"blockType\": \"response\", \"a\": {deep} }} -->\n```http\nHTTP/1.1 200 OK\n\n{{\"b\": {deep}}}\n```\n\n<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.user\" }} -->\n```http\nHTTP/1.1 200 OK\n\n{{\"c\": {deep}}}\n```\n");
    made.write("beta/api/user-get.md", page);
    let ir = made.load();
    let deep: Vec<u32> = ir
        .diagnostics
        .iter()
        .filter(|d| {
            d.message
                .contains("JSON is nested 10001 levels deep; at most 128 are read")
        })
        .map(|d| d.line)
        .collect();
    assert_eq!(deep, [26, 27, 34], "{:#?}", ir.diagnostics);
    Generator::default().generate_text(&ir).unwrap();
}

/// `>` × 100,000, `- ` × 100,000 and 100,000-deep emphasis and links: pulldown-cmark and the
/// page reader take them without a stack overflow, in bounded time.
#[test]
fn deeply_nested_markdown_is_read() {
    let started = Instant::now();
    for body in [
        ">".repeat(100_000),
        "> ".repeat(100_000),
        "- ".repeat(100_000),
        "1. ".repeat(50_000),
        "> - ".repeat(50_000),
        format!("{}x{}", "*".repeat(100_000), "*".repeat(100_000)),
        format!("{}x{}", "[".repeat(100_000), "](y)".repeat(100_000)),
        "<div>".repeat(100_000),
    ] {
        let page = page_with_permissions("") + "\n" + &body + "\n";
        let ir = Generator::default().load_page_text("beta/api/user-get.md", &page);
        assert_eq!(ir.operations.len(), 1);
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// A page of 200,000 template fences (4 MB) is cut at the element cap with an error, and
/// lowering and generation stay fast.
#[test]
fn pages_of_countless_blocks_are_cut() {
    let fences = "```http\nGET /users/{id}\n```\n".repeat(200_000);
    let page =
        format!("---\ndoc_type: apiPageType\n---\n# user: get\n\n## HTTP request\n\n{fences}");
    let started = Instant::now();
    let ir = Generator::default().load_page_text("beta/api/user-get.md", &page);
    let cut = ir
        .diagnostics
        .iter()
        .find(|d| d.message.starts_with("page has more than 10000 blocks"))
        .expect("the page is cut");
    assert_eq!(
        cut.line,
        8 + 3 * 9_998,
        "the 10,001st element is the 9,999th fence"
    );
    Generator::default().generate_tokens(&ir);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// A template with 5,000 placeholders is refused with a located diagnostic (a warning: the page
/// keeps its other template), not a stack overflow in the printer or minutes of naming.
#[test]
fn templates_with_thousands_of_placeholders_are_refused() {
    let path = (0..5_000).fold(String::new(), |mut path, n| {
        path.push_str("/{p");
        path.push_str(&n.to_string());
        path.push('}');
        path
    });
    let repeated = "/{id}".repeat(5_000);
    let page = format!(
        "---\ndoc_type: apiPageType\n---\n# user: get\n\n## HTTP request\n\n```http\nGET {path}\nGET {repeated}\nGET /users/{{id}}\n```\n"
    );
    let ir = Generator::default().load_page_text("beta/api/user-get.md", &page);
    assert!(errors(&ir).is_empty(), "{:#?}", ir.diagnostics);
    let refused: Vec<String> = ir
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|line| line.contains("placeholders"))
        .collect();
    assert_eq!(refused.len(), 2, "{refused:#?}");
    assert!(refused[0].starts_with("beta/api/user-get.md:9: warning: template `"));
    assert!(refused[0].contains("has 5000 placeholders; at most 64 are read"));
    assert!(refused[1].starts_with("beta/api/user-get.md:10: warning: template `"));
    let text = Generator::default().generate_text(&ir).unwrap();
    assert!(text.contains("pub fn get("), "{text}");
}

/// Front matter with 2,000 nested block mappings and a billion-laughs alias bomb: read in
/// bounded time and memory.
#[test]
fn hostile_front_matter_is_read_in_bounded_time() {
    let nested = (0..2_000).fold(String::new(), |mut yaml, level| {
        yaml.push_str(&" ".repeat(level));
        yaml.push_str("a:\n");
        yaml
    });
    let started = Instant::now();
    let ir = Generator::default().load_page_text(
        "beta/api/user-get.md",
        &format!("---\ndoc_type: apiPageType\n{nested}---\n# user: get\n\n## HTTP request\n\n```http\nGET /me\n```\n"),
    );
    assert_eq!(ir.operations.len(), 1);
    let case = suite().join("hostile-front-matter");
    let ir = load(&case);
    assert!(ir.operations.iter().any(|o| o.name == "laughs"));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

/// The suite is real input to the generator: its pages are in the IR's inputs, and the
/// `include-escapes-root` case did not read `/etc/passwd`.
#[test]
fn suite_reads_only_its_own_files() {
    let ir = load(&suite().join("include-escapes-root"));
    assert_eq!(ir.inputs, ["beta/api/user-escape.md"]);
    let ir = load(&suite().join("include-cycle"));
    assert_eq!(
        ir.inputs,
        [
            "beta/api/user-cycle.md",
            "beta/includes/permissions/cycle-permissions.md"
        ]
    );
}
