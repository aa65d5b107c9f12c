//! One scopes cell of a permissions table → alternatives of scope sets (any of them, each
//! needing all of its scopes), with conditions and notes kept beside them.
//!
//! Cells read, in order of how often they occur:
//! - `User.Read, User.ReadWrite.All` and `Mail.Read or Mail.ReadWrite`: alternatives;
//! - `User.Read.All and GroupMember.Read.All, Directory.Read.All`: `and`/`AND` binds tighter
//!   than `,`/`or`, and parentheses group (`A or B AND (C, D, OR E)`);
//! - `A AND B; for Global collection: C D`: clauses apart by `;`, each optionally under a
//!   condition (`for …:`);
//! - `A, B <br><br> Note: X cannot be used …`: a note, kept as text, never as scope names;
//! - `Not supported.`, `Not available.`, `None`, `N/A`, empty: nothing.
//!
//! Words that are not scope names (`TODO`, placeholders such as `_2.AA`) are dropped and
//! returned, for the caller to report.

use crate::parse::plain_text;

/// One way to be allowed the call: all of `scopes`, when `condition` holds (always, if `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Alternative {
    pub(super) scopes: Vec<String>,
    pub(super) condition: Option<String>,
}

/// What a cell says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Cell {
    /// Any one of these allows the call.
    pub(super) alternatives: Vec<Alternative>,
    /// Notes written in the cell (`Directory.AccessAsUser.All cannot be used …`).
    pub(super) notes: Vec<String>,
    /// Words in scope positions that are not scope names.
    pub(super) dropped: Vec<String>,
}

impl Cell {
    /// Every scope name of the cell, in order, once each.
    pub(super) fn scopes(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for scope in self.alternatives.iter().flat_map(|a| &a.scopes) {
            if !all.contains(scope) {
                all.push(scope.clone());
            }
        }
        all
    }
}

/// Alternatives one cell may hold at most; real cells have a few dozen. Parenthesised
/// products multiply, so this bounds the work on a hostile cell.
const MAX_ALTERNATIVES: usize = 256;

/// Reads a scopes cell (markdown source); `None` for "Not supported." and the like.
pub(super) fn read(cell: &str) -> Option<Cell> {
    let text = plain_text(cell);
    let (text, notes) = split_notes(&text);
    let mut read = Cell {
        notes,
        ..Cell::default()
    };
    for clause in text.split(';').flat_map(split_conditions) {
        let clause = clause.trim().trim_end_matches('.').trim();
        if clause.is_empty() || is_no_value(clause) {
            continue;
        }
        let (condition, expression) = condition(clause);
        let tokens = tokens(expression, &mut read.dropped);
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
        };
        let sets = parser.all();
        for scopes in sets {
            if read.alternatives.len() >= MAX_ALTERNATIVES {
                break;
            }
            if !scopes.is_empty()
                && !read
                    .alternatives
                    .iter()
                    .any(|a| a.scopes == scopes && a.condition == condition)
            {
                read.alternatives.push(Alternative {
                    scopes,
                    condition: condition.clone(),
                });
            }
        }
    }
    let says_something =
        !read.alternatives.is_empty() || !read.notes.is_empty() || !read.dropped.is_empty();
    says_something.then_some(read)
}

/// `A, B Note: X cannot be used.` → (`A, B`, [`X cannot be used.`]).
fn split_notes(text: &str) -> (String, Vec<String>) {
    let lower = text.to_ascii_lowercase();
    match lower.find("note:") {
        Some(at) => {
            let note = text[at + "note:".len()..].trim();
            let notes = if note.is_empty() {
                Vec::new()
            } else {
                vec![note.to_owned()]
            };
            (text[..at].to_owned(), notes)
        }
        None => (text.to_owned(), Vec::new()),
    }
}

/// `A, B For group resource: C` → `A, B`, `For group resource: C`: a condition written in the
/// middle of a clause (after a line break in the cell) starts a clause of its own.
fn split_conditions(clause: &str) -> Vec<&str> {
    let lower = clause.to_ascii_lowercase();
    let mut starts: Vec<usize> = lower
        .match_indices("for ")
        .map(|(at, _)| at)
        .filter(|&at| at == 0 || lower.as_bytes()[at - 1] == b' ')
        .filter(|&at| {
            // A condition ends in `:` within a few words.
            lower[at..]
                .find(':')
                .is_some_and(|colon| lower[at..at + colon].split_whitespace().count() <= 6)
        })
        .collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts.push(clause.len());
    starts
        .windows(2)
        .map(|pair| &clause[pair[0]..pair[1]])
        .collect()
}

/// `for Global collection: A B` → (`Some("Global collection")`, `A B`).
fn condition(clause: &str) -> (Option<String>, &str) {
    let lower = clause.to_ascii_lowercase();
    if lower.starts_with("for ") {
        if let Some(colon) = clause.find(':') {
            let condition = clause[4..colon].trim();
            if !condition.is_empty() {
                return (Some(condition.to_owned()), &clause[colon + 1..]);
            }
        }
    }
    (None, clause)
}

fn is_no_value(text: &str) -> bool {
    [
        "not supported",
        "not available",
        "none",
        "n/a",
        "not applicable",
        "-",
    ]
    .iter()
    .any(|no_value| text.eq_ignore_ascii_case(no_value))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Scope(String),
    And,
    Or,
    Open,
    Close,
}

/// Splits an expression into scope names, `and`, `or` (also `,` and spaces between names),
/// and parentheses; other words go to `dropped`.
fn tokens(expression: &str, dropped: &mut Vec<String>) -> Vec<Token> {
    let mut tokens = Vec::new();
    let spaced = expression
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace(',', " , ");
    for word in spaced.split_whitespace() {
        let token = match word {
            "(" => Token::Open,
            ")" => Token::Close,
            "," => Token::Or,
            _ if word.eq_ignore_ascii_case("and") => Token::And,
            _ if word.eq_ignore_ascii_case("or") => Token::Or,
            _ => {
                // `ChannelMessage.Read.Group*`: the star points at a note on consent.
                let name = word
                    .trim_end_matches(['.', '*', ':', '`'])
                    .trim_start_matches(['*', '`']);
                if is_scope(name) {
                    Token::Scope(name.to_owned())
                } else {
                    if !name.is_empty() && dropped.len() < MAX_ALTERNATIVES {
                        dropped.push(name.to_owned());
                    }
                    continue;
                }
            }
        };
        tokens.push(token);
    }
    tokens
}

/// `User.Read.All`, `OrgSettings-Forms.Read.All`, `offline_access`: a letter, then letters,
/// digits, `-`, `_`, and dot-separated parts; names without a dot only as `OpenID` scopes.
pub(super) fn is_scope(name: &str) -> bool {
    let well_formed = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        });
    well_formed
        && (name.contains('.')
            // Written in lower case: `Profile photo of …` is prose.
            || ["openid", "profile", "email", "offline_access"].contains(&name))
}

/// Adds `set` to `all` unless it is there or `all` is full.
fn push_new(all: &mut Vec<Vec<String>>, set: Vec<String>) {
    if all.len() < MAX_ALTERNATIVES && !all.contains(&set) {
        all.push(set);
    }
}

/// A recursive-descent reader of `expression := term (or term)*`, `term := factor (and
/// factor)*`, `factor := scope | ( expression )`, giving the alternatives (each a set of
/// scopes needed together). Two scopes with nothing between them are alternatives.
struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_> {
    /// Every alternative of the tokens; a `)` without its `(` is skipped.
    fn all(&mut self) -> Vec<Vec<String>> {
        let mut all = self.alternatives();
        while self.at < self.tokens.len() {
            self.at += 1;
            for set in self.alternatives() {
                push_new(&mut all, set);
            }
        }
        all
    }

    /// `term (or term)*`, up to a `)` or the end.
    fn alternatives(&mut self) -> Vec<Vec<String>> {
        let mut all = Vec::new();
        loop {
            match self.tokens.get(self.at) {
                // Also a stray `and`: nothing to join it to.
                Some(Token::Or | Token::And) => self.at += 1,
                Some(Token::Scope(_) | Token::Open) => {
                    for set in self.term() {
                        push_new(&mut all, set);
                    }
                }
                Some(Token::Close) | None => return all,
            }
        }
    }

    fn term(&mut self) -> Vec<Vec<String>> {
        let mut product = self.factor();
        while matches!(self.tokens.get(self.at), Some(Token::And)) {
            self.at += 1;
            let next = self.factor();
            if next.is_empty() {
                continue;
            }
            if product.is_empty() {
                product = next;
                continue;
            }
            let mut combined = Vec::new();
            for left in &product {
                for right in &next {
                    if combined.len() >= MAX_ALTERNATIVES {
                        break;
                    }
                    let mut set = left.clone();
                    for scope in right {
                        if !set.contains(scope) {
                            set.push(scope.clone());
                        }
                    }
                    combined.push(set);
                }
            }
            product = combined;
        }
        product
    }

    fn factor(&mut self) -> Vec<Vec<String>> {
        match self.tokens.get(self.at) {
            Some(Token::Scope(name)) => {
                self.at += 1;
                vec![vec![name.clone()]]
            }
            Some(Token::Open) => {
                self.at += 1;
                let inner = self.alternatives();
                if matches!(self.tokens.get(self.at), Some(Token::Close)) {
                    self.at += 1;
                }
                inner
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(cell: &str) -> Vec<(Option<String>, Vec<String>)> {
        read(cell)
            .map(|cell| {
                cell.alternatives
                    .into_iter()
                    .map(|a| (a.condition, a.scopes))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn set(scopes: &[&str]) -> (Option<String>, Vec<String>) {
        (None, scopes.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn lists_are_alternatives() {
        assert_eq!(
            sets("User.ReadWrite.All, Directory.ReadWrite.All"),
            [
                set(&["User.ReadWrite.All"]),
                set(&["Directory.ReadWrite.All"])
            ]
        );
        assert_eq!(
            sets("Mail.Read or Mail.ReadWrite."),
            [set(&["Mail.Read"]), set(&["Mail.ReadWrite"])]
        );
        assert_eq!(sets("Mail.Read.</br>"), [set(&["Mail.Read"])]);
        for none in ["Not supported.", "Not available.", " N/A ", "", "None"] {
            assert!(read(none).is_none(), "{none}");
        }
    }

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_group() {
        assert_eq!(
            sets("User.Read.All and GroupMember.Read.All, Directory.Read.All"),
            [
                set(&["User.Read.All", "GroupMember.Read.All"]),
                set(&["Directory.Read.All"])
            ]
        );
        assert_eq!(
            sets("A.A or B.B AND (C.C, D.D, OR E.E)"),
            [
                set(&["A.A"]),
                set(&["B.B", "C.C"]),
                set(&["B.B", "D.D"]),
                set(&["B.B", "E.E"])
            ]
        );
    }

    /// Current pages put conditions and notes in cells; they became part of scope names
    /// (`"Directory.ReadWrite.All Note: Directory.AccessAsUser.All cannot be used …"`).
    #[test]
    fn conditions_and_notes_stay_beside_the_scopes() {
        let cell = read(
            "AgentCollection.ReadWrite.All AND AgentInstance.Read.All; for Global collection: AgentCollection.ReadWrite.Global AgentCollection.ReadWrite.ManagedBy",
        )
        .unwrap();
        let global = Some("Global collection".to_owned());
        assert_eq!(
            cell.alternatives,
            [
                Alternative {
                    scopes: vec![
                        "AgentCollection.ReadWrite.All".into(),
                        "AgentInstance.Read.All".into()
                    ],
                    condition: None
                },
                Alternative {
                    scopes: vec!["AgentCollection.ReadWrite.Global".into()],
                    condition: global.clone()
                },
                Alternative {
                    scopes: vec!["AgentCollection.ReadWrite.ManagedBy".into()],
                    condition: global
                },
            ]
        );
        let noted =
            read("Directory.ReadWrite.All  <br><br> Note: Directory.AccessAsUser.All cannot be used to perform this operation.")
                .unwrap();
        assert_eq!(noted.scopes(), ["Directory.ReadWrite.All"]);
        assert_eq!(
            noted.notes,
            ["Directory.AccessAsUser.All cannot be used to perform this operation."]
        );
    }

    /// `profilephoto-update.md` writes `Profile photo of the signed-in user:<br/>User.ReadWrite,
    /// …<br/>For group resource:<br/>Group.ReadWrite.All`: `Profile` is prose, not the `OpenID`
    /// scope, and each `For …:` is a condition.
    #[test]
    fn conditions_after_line_breaks_and_prose_words() {
        let cell = read(
            "Profile photo of the signed-in **user**:<br/>User.ReadWrite, User.ReadWrite.All<br /><br />For **group** resource:<br />Group.ReadWrite.All",
        )
        .unwrap();
        assert_eq!(
            cell.scopes(),
            [
                "User.ReadWrite",
                "User.ReadWrite.All",
                "Group.ReadWrite.All"
            ]
        );
        assert_eq!(
            cell.alternatives[2].condition.as_deref(),
            Some("group resource")
        );
        assert_eq!(
            sets("ProgramControl.Read.All`, ProgramControl.ReadWrite.All").len(),
            2
        );
    }

    #[test]
    fn words_that_are_not_scopes_are_dropped_and_returned() {
        let cell = read("_2.AA, _A.A3, TODO: Determine scopes").unwrap();
        assert!(cell.alternatives.is_empty());
        assert_eq!(
            cell.dropped,
            ["_2.AA", "_A.A3", "TODO", "Determine", "scopes"]
        );
        assert!(is_scope("OrgSettings-Forms.Read.All"));
        assert!(is_scope("offline_access"));
        assert!(!is_scope("Determine"));
    }

    /// Parenthesised products multiply; a hostile cell stays bounded.
    #[test]
    fn products_are_bounded() {
        let factor = "(A.A, B.B, C.C, D.D)";
        let cell = [factor; 12].join(" AND ");
        assert!(read(&cell).unwrap().alternatives.len() <= MAX_ALTERNATIVES);
    }
}
