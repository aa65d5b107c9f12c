//! Text a server (or a token provider) controls, written into `Display` output with its control
//! characters escaped, so that an error message cannot start a log line of its own, move the
//! cursor of a terminal or reorder what is shown around it.

use std::fmt::{self, Write};

/// `Display` of `T` with control characters escaped: C0 and C1 controls and DEL (`\n`, `\r`,
/// `\t`, else `\u{1b}` as Rust writes them), the bidirectional formatting characters (U+061C,
/// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the Unicode line and paragraph
/// separators. Nothing else is changed, backslashes included, so escaping twice changes
/// nothing more.
pub(crate) struct Escaped<T>(pub(crate) T);

impl<T: fmt::Display> fmt::Display for Escaped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(Escaping(f), "{}", self.0)
    }
}

/// Writes what it is given to the formatter, escaping as [`Escaped`] describes.
struct Escaping<'a, 'b>(&'a mut fmt::Formatter<'b>);

impl Write for Escaping<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut plain = 0;
        for (at, c) in text.char_indices() {
            if !needs_escape(c) {
                continue;
            }
            self.0.write_str(&text[plain..at])?;
            match c {
                '\n' => self.0.write_str("\\n")?,
                '\r' => self.0.write_str("\\r")?,
                '\t' => self.0.write_str("\\t")?,
                _ => write!(self.0, "\\u{{{:x}}}", u32::from(c))?,
            }
            plain = at + c.len_utf8();
        }
        self.0.write_str(&text[plain..])
    }
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

#[cfg(test)]
mod tests {
    use super::Escaped;

    fn escaped(text: &str) -> String {
        Escaped(text).to_string()
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escaped("a\nb\r\nc\td"), r"a\nb\r\nc\td");
        assert_eq!(escaped("\u{1b}[31mred\u{1b}[0m"), r"\u{1b}[31mred\u{1b}[0m");
        assert_eq!(escaped("\0\u{7f}\u{85}\u{9b}"), r"\u{0}\u{7f}\u{85}\u{9b}");
        assert_eq!(escaped("x\u{2028}y\u{2029}"), r"x\u{2028}y\u{2029}");
    }

    /// A right-to-left override makes `exe.txt` of `\u{202e}txt.exe` when shown.
    #[test]
    fn bidirectional_controls_are_escaped() {
        assert_eq!(escaped("\u{202e}txt.exe"), r"\u{202e}txt.exe");
        for c in [
            '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{2066}', '\u{2069}',
        ] {
            assert!(escaped(&c.to_string()).starts_with("\\u{"), "{c:?}");
        }
    }

    #[test]
    fn other_text_is_kept_and_escaping_twice_changes_nothing() {
        let text = r"Zoë's C:\path 😀 `quoted` — done";
        assert_eq!(escaped(text), text);
        let once = escaped("a\nb\u{1b}");
        assert_eq!(Escaped(&once).to_string(), once);
    }
}
