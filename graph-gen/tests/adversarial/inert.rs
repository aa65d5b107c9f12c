//! Checks that generated code holds nothing a page wrote as code, shared by the adversarial
//! suite and the proptests: no macro calls, no attributes but the generator's own, no paths
//! into the process or memory, printed text that means its tokens, and docs that rustdoc
//! renders as text, `text` code blocks and http(s) links only.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

/// Keywords the generator never writes as code (raw identifiers such as `r#unsafe` are names).
const FORBIDDEN_KEYWORDS: &[&str] = &["unsafe", "extern"];

/// Path segments that would reach the process, the environment or raw memory: `process::…`.
const FORBIDDEN_BEFORE_PATH: &[&str] = &[
    "process",
    "env",
    "fs",
    "net",
    "os",
    "ptr",
    "mem",
    "intrinsics",
];

/// Items no path may end in: `…::exit`.
const FORBIDDEN_AFTER_PATH: &[&str] = &["exit", "abort", "Command", "spawn", "system"];

/// The attributes the generator itself writes.
const ALLOWED_ATTRIBUTES: &[&str] = &["doc", "derive", "serde", "allow", "expect", "must_use"];

/// Nothing a page wrote is code: see the module docs.
pub fn check_inert(name: &str, tokens: &TokenStream, text: &str) {
    check_tokens(name, tokens.clone());
    let mut block: Vec<String> = Vec::new();
    for line in text.lines().chain([""]) {
        match line.trim_start().strip_prefix("///") {
            Some(doc) => block.push(doc.strip_prefix(' ').unwrap_or(doc).to_owned()),
            None if !block.is_empty() => {
                check_docs(name, &block.join("\n"));
                block.clear();
            }
            None => {}
        }
    }
    // The printed text means exactly the tokens: no doc text ended its comment.
    let printed = syn::parse_file(text).expect("printed code parses");
    let generated: syn::File = syn::parse2(tokens.clone()).expect("generated tokens parse");
    let (printed, generated) = (
        meaning(quote::quote!(#printed)),
        meaning(quote::quote!(#generated)),
    );
    let same = printed.len().min(generated.len());
    let at = (0..same)
        .find(|&at| printed.as_bytes()[at] != generated.as_bytes()[at])
        .unwrap_or(same);
    assert!(
        printed == generated,
        "{name}: the printed code does not mean the generated tokens: printed `{}`, generated `{}`",
        printed
            .get(at.saturating_sub(80)..(at + 80).min(printed.len()))
            .unwrap_or("?"),
        generated
            .get(at.saturating_sub(80)..(at + 80).min(generated.len()))
            .unwrap_or("?"),
    );
}

/// The identifiers and literals of `tokens` in order, string literals by value (`r"a"` and
/// `"a"` are the same); punctuation, which the printer may add (trailing commas), is left out.
fn meaning(tokens: TokenStream) -> String {
    let mut out = String::new();
    for tree in tokens {
        let piece = match tree {
            TokenTree::Group(group) => {
                format!("{:?}[{}]", group.delimiter(), meaning(group.stream()))
            }
            TokenTree::Literal(literal) => {
                match syn::parse_str::<syn::LitStr>(&literal.to_string()) {
                    Ok(string) => format!("{:?}", string.value()),
                    Err(_) => literal.to_string(),
                }
            }
            TokenTree::Ident(ident) => ident.to_string(),
            TokenTree::Punct(_) => continue,
        };
        out.push_str(&piece);
        out.push(' ');
    }
    out
}

fn check_tokens(name: &str, tokens: TokenStream) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (at, tree) in trees.iter().enumerate() {
        let next = trees.get(at + 1);
        match tree {
            TokenTree::Ident(ident) => {
                let ident = ident.to_string();
                let is_path_sep = |tree: Option<&TokenTree>| matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == ':');
                assert!(
                    !FORBIDDEN_KEYWORDS.contains(&ident.as_str()),
                    "{name}: `{ident}` is code in the output"
                );
                assert!(
                    !(FORBIDDEN_BEFORE_PATH.contains(&ident.as_str()) && is_path_sep(next)),
                    "{name}: path `{ident}::…` in the output"
                );
                assert!(
                    !(FORBIDDEN_AFTER_PATH.contains(&ident.as_str())
                        && at > 0
                        && is_path_sep(trees.get(at - 1))),
                    "{name}: path `…::{ident}` in the output"
                );
                assert!(ident.is_ascii(), "{name}: non-ASCII identifier `{ident}`");
                let is_macro_call = matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == '!' && p.spacing() == Spacing::Alone)
                    && matches!(trees.get(at + 2), Some(TokenTree::Group(_)));
                assert!(
                    !is_macro_call,
                    "{name}: macro call `{ident}!` in the output"
                );
            }
            TokenTree::Punct(punct) if punct.as_char() == '#' => match next {
                Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Bracket => {
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    let Some(TokenTree::Ident(path)) = inner.first() else {
                        panic!("{name}: attribute without a name: {group}");
                    };
                    let path = path.to_string();
                    assert!(
                        ALLOWED_ATTRIBUTES.contains(&path.as_str()),
                        "{name}: attribute `#[{path}]` in the output"
                    );
                    if path == "doc" {
                        let literal = matches!(inner.as_slice(), [_, TokenTree::Punct(eq), TokenTree::Literal(value)]
                            if eq.as_char() == '=' && value.to_string().starts_with(['"', 'r']));
                        assert!(literal, "{name}: doc attribute is not one string: {group}");
                    }
                }
                other => panic!("{name}: `#` not starting an outer attribute: {other:?}"),
            },
            TokenTree::Group(group) => check_tokens(name, group.stream()),
            _ => {}
        }
    }
}

/// Docs render as text, `text` code blocks, http(s) links and links to generated items only
/// (rustdoc's markdown).
fn check_docs(name: &str, markdown: &str) {
    for event in Parser::new_ext(markdown, pulldown_cmark::Options::all()) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                panic!("{name}: HTML `{html}` in docs:\n{markdown}")
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => "(indented)".to_owned(),
                };
                assert_eq!(info, "text", "{name}: code block in docs:\n{markdown}");
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                // Links to generated items (`Self::get`) are codegen's own: page text never
                // becomes one (sanitizing leaves only web links).
                let item = dest_url.split("::").all(|part| {
                    part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                assert!(
                    dest_url.starts_with("https://") || dest_url.starts_with("http://") || item,
                    "{name}: link to `{dest_url}` in docs:\n{markdown}"
                );
            }
            _ => {}
        }
    }
}
