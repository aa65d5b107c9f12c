//! Page reader and lowering: any UTF-8 text as an API or resource page must give an IR with
//! located diagnostics, never a panic, and the IR must generate Rust that parses.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// Where the page pretends to live: the folder decides the version, the name the fallback
/// resource and operation names.
const FILES: [&str; 4] = [
    "beta/api/user-get.md",
    "v1.0/resources/user.md",
    "beta/includes/permissions/x-permissions.md",
    "page.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let file = FILES[usize::from(selector) % FILES.len()];
    let generator = graph_gen::Generator::default();
    let ir = generator.load_page_text(file, text);
    // Lines as the page reader counts them: a lone CR ends a line too.
    let lone_crs = text.matches('\r').count() - text.matches("\r\n").count();
    let lines = u32::try_from(text.lines().count() + lone_crs).unwrap_or(u32::MAX);
    for diagnostic in &ir.diagnostics {
        assert!(
            diagnostic.line >= 1,
            "diagnostic without a line: {diagnostic}"
        );
        assert!(
            diagnostic.line <= lines.saturating_add(1),
            "diagnostic past the end of a {lines}-line page: {diagnostic}"
        );
        assert!(!diagnostic.message.is_empty(), "empty diagnostic message");
    }
    if let Err(error) = generator.generate_text(&ir) {
        panic!("generated code does not parse: {error}");
    }
});
