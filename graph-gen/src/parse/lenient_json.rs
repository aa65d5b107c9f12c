//! JSON as docs write it: strict first, then JSON5 (comments, trailing commas, unquoted keys),
//! then JSON5 after repairing what docs authors commonly leave in samples (raw line breaks
//! inside strings, `...` standing for omitted items).

use serde_json::Value;

/// Deeper nesting than this is refused before any recursive parser sees it.
pub const MAX_DEPTH: usize = 128;

/// Parses `text` as JSON, falling back to JSON5 for what docs authors commonly write.
///
/// Errors are lowercase messages fit for a diagnostic.
pub fn parse_lenient(text: &str) -> Result<Value, String> {
    // serde_json stops at its own recursion limit (128), so strict JSON needs no depth scan;
    // the JSON5 parser recurses without one, so the scan guards it.
    let strict = match serde_json::from_str(text) {
        Ok(value) => return Ok(value),
        Err(strict) => strict,
    };
    let depth = nesting_depth(text);
    if depth > MAX_DEPTH {
        return Err(format!(
            "JSON is nested {depth} levels deep; at most {MAX_DEPTH} are read"
        ));
    }
    json5::from_str(text)
        .ok()
        .or_else(|| {
            // Repairing moves string and comment boundaries: check the depth again.
            let repaired = repair(text);
            (nesting_depth(&repaired) <= MAX_DEPTH)
                .then(|| json5::from_str(&repaired).ok())
                .flatten()
        })
        .ok_or_else(|| lowercase_first(&strict.to_string()))
}

/// Escapes control characters inside strings and drops `...`/`…` elisions outside them.
fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                _ if c == q => quote = None,
                '\n' => {
                    out.push_str("\\n");
                    continue;
                }
                _ if c.is_control() => {
                    out.push(' ');
                    continue;
                }
                _ => {}
            }
            out.push(c);
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '…' => continue,
            '.' if chars.peek() == Some(&'.') => {
                while chars.peek() == Some(&'.') {
                    chars.next();
                }
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// The deepest `[`/`{` nesting outside strings and comments, counted without recursion.
///
/// Strings and comments are delimited exactly as the JSON5 reader delimits them (a `'` or `"`
/// inside a `//` comment opens no string; a comment ends at any JSON5 line terminator; `\`
/// followed by CR LF continues a string), so no bracket that reader would nest into is missed.
/// Where they disagree the text is invalid there (a raw line break in a string ends the string
/// here, and is an error there), and counting on can only over-count.
fn nesting_depth(text: &str) -> usize {
    /// What the scanner is inside of.
    enum State {
        Code,
        Text { quote: char, escaped: bool },
        LineComment,
        BlockComment { star: bool },
    }
    let is_line_end = |c: char| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}');
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut state = State::Code;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        state = match state {
            State::Code => match c {
                '"' | '\'' => State::Text {
                    quote: c,
                    escaped: false,
                },
                '/' if chars.peek() == Some(&'/') => {
                    chars.next();
                    State::LineComment
                }
                '/' if chars.peek() == Some(&'*') => {
                    chars.next();
                    State::BlockComment { star: false }
                }
                '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                    State::Code
                }
                ']' | '}' => {
                    depth = depth.saturating_sub(1);
                    State::Code
                }
                _ => State::Code,
            },
            State::Text {
                quote,
                escaped: true,
            } => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                State::Text {
                    quote,
                    escaped: false,
                }
            }
            State::Text { quote, .. } if c == quote || c == '\n' || c == '\r' => State::Code,
            State::Text { quote, .. } => State::Text {
                quote,
                escaped: c == '\\',
            },
            State::LineComment if is_line_end(c) => State::Code,
            State::LineComment => State::LineComment,
            State::BlockComment { star: true } if c == '/' => State::Code,
            State::BlockComment { .. } => State::BlockComment { star: c == '*' },
        };
    }
    deepest
}

/// `Expected value` → `expected value`; an acronym such as `EOF` stays as it is.
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    let acronym = message.chars().nth(1).is_some_and(char::is_uppercase);
    match chars.next() {
        Some(first) if !acronym => first.to_lowercase().chain(chars).collect(),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_is_read_as_is() {
        assert_eq!(parse_lenient(r#"{"a": [1, 2]}"#).unwrap()["a"][1], 2);
    }

    #[test]
    fn trailing_commas_comments_and_bare_keys_are_accepted() {
        let value = parse_lenient("{ blockType: 'request', // why\n \"name\": \"x\", }").unwrap();
        assert_eq!(value["blockType"], "request");
        assert_eq!(value["name"], "x");
    }

    /// Annotations with a line break inside a string failed to parse (`rangeformat-update.md`).
    #[test]
    fn raw_line_breaks_in_strings_are_repaired() {
        let value = parse_lenient("{ \"a\": \"one\n   two\" }").unwrap();
        assert_eq!(value["a"], "one\n   two");
    }

    #[test]
    fn elisions_are_dropped() {
        let value =
            parse_lenient("{ \"value\": [ {\"id\": \"1\"}, ... ], \"b\": \"x...y\" }").unwrap();
        assert_eq!(value["value"].as_array().unwrap().len(), 1);
        assert_eq!(value["b"], "x...y", "dots inside strings are kept");
        assert!(parse_lenient("{ \"a\": 1, … }").is_ok());
    }

    /// `serde_json`'s `EOF while parsing a value` became `eOF while parsing a value`.
    #[test]
    fn acronyms_keep_their_case_in_messages() {
        assert_eq!(
            parse_lenient("{ \"a\": ").unwrap_err(),
            "EOF while parsing a value at line 1 column 7"
        );
        assert_eq!(lowercase_first("Expected value"), "expected value");
    }

    #[test]
    fn broken_json_is_an_error_not_a_panic() {
        assert!(parse_lenient("{ \"a\": ").is_err());
        assert!(parse_lenient("").is_err());
    }

    /// Deep nesting used to be able to overflow the stack of a recursive parser.
    #[test]
    fn deep_nesting_is_refused_early() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let error = parse_lenient(&deep).unwrap_err();
        assert!(error.contains("10000 levels"), "{error}");
    }

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        assert_eq!(nesting_depth(r#"{"a": "[[[[{{{{"}"#), 1);
        assert_eq!(nesting_depth("{'a': '[[[\\'[['}"), 1);
        assert_eq!(nesting_depth("{ // [[[[\n a: 1 /* {{{{ */ }"), 1);
    }

    /// A quote inside a `//` comment (`// it's`) opened a "string" for the depth check, which
    /// then missed 100,000 brackets after it; the JSON5 reader recursed into them and
    /// overflowed the stack.
    #[test]
    fn quotes_in_comments_do_not_hide_brackets() {
        let deep = format!(
            "{{\"a\": 1, // it's\n \"b\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let error = parse_lenient(&deep).unwrap_err();
        assert!(error.contains("100001 levels"), "{error}");
    }

    /// A JSON5 line comment ends at a lone CR, and `\` + CR LF continues a string: counting
    /// either differently from the JSON5 reader hid the brackets after it.
    #[test]
    fn line_terminators_end_comments_and_continue_strings_as_in_json5() {
        let deep = "[".repeat(100_000);
        for prefix in ["// x\r", "// x\u{2028}", "[\"a\\\r\nb\" ", "/* ' */"] {
            let text = format!("{prefix}{deep}");
            let error = parse_lenient(&text).unwrap_err();
            assert!(error.contains("levels deep"), "{prefix:?}: {error}");
        }
    }
}
