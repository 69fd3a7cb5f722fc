//! Mapping between places in a config file (byte offsets, line:column) and key paths
//! (`organization.accounts[1].id`), and rewording of TOML/serde errors for people.

use std::fmt::Write;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// `a.b[1].c`
pub(crate) fn dotted(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = text.get(..pos).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

pub(crate) fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// The parsed document with the spans of every key and value.
pub(crate) struct Source<'a> {
    root: Spanned<DeTable<'a>>,
}

fn contains(span: &Range<usize>, pos: usize) -> bool {
    span.start <= pos && pos < span.end.max(span.start + 1)
}

impl<'a> Source<'a> {
    /// The document, or the first syntax error with the key path it is in (as far as the
    /// parser got).
    pub(crate) fn parse(text: &'a str) -> Result<Source<'a>, (toml::de::Error, Option<Vec<Seg>>)> {
        let (root, errors) = DeTable::parse_recoverable(text);
        let source = Source { root };
        match errors.into_iter().next() {
            None => Ok(source),
            Some(e) => {
                // A rejected key (e.g. a duplicate) is not in the tree; then the key text at the
                // error is the best name for it.
                let path = e.span().and_then(|s| {
                    source.path_at(s.start).or_else(|| {
                        let written = text.get(s)?.trim();
                        let is_key = !written.is_empty()
                            && written
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                        is_key.then(|| vec![Seg::Key(written.to_string())])
                    })
                });
                Err((e, path))
            }
        }
    }

    /// The key path of the deepest key or value written at byte `pos`.
    pub(crate) fn path_at(&self, pos: usize) -> Option<Vec<Seg>> {
        let mut path = Vec::new();
        find_in_table(self.root.get_ref(), pos, &mut path).then_some(path)
    }

    /// The element of the array at `path` that `message` quotes (`` `Ctrl+q` ``), with its span.
    ///
    /// TOML reports errors inside an array at the array as a whole; error messages quote the
    /// offending string, which is enough to point at the element.
    pub(crate) fn quoted_element(
        &self,
        path: &[Seg],
        message: &str,
    ) -> Option<(Vec<Seg>, Range<usize>)> {
        let (first, rest) = path.split_first()?;
        let Seg::Key(key) = first else { return None };
        let value = find_value(lookup(self.root.get_ref(), key)?, rest)?;
        let DeValue::Array(array) = value.get_ref() else {
            return None;
        };
        // The offending value is quoted first; later quotes are examples of valid values.
        let (i, item) = array
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let text = item.get_ref().as_str()?;
                Some((message.find(&format!("`{text}`"))?, i, item))
            })
            .min_by_key(|(offset, _, _)| *offset)
            .map(|(_, i, item)| (i, item))?;
        let mut at = path.to_vec();
        at.push(Seg::Index(i));
        Some((at, item.span()))
    }

    /// Where the value at `path` is written; `None` when the file does not set it.
    pub(crate) fn span_of(&self, path: &[Seg]) -> Option<Range<usize>> {
        let (first, rest) = path.split_first()?;
        let Seg::Key(key) = first else { return None };
        let value = lookup(self.root.get_ref(), key)?;
        value_span(value, rest)
    }
}

fn lookup<'t, 'a>(table: &'t DeTable<'a>, key: &str) -> Option<&'t Spanned<DeValue<'a>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

fn value_span(value: &Spanned<DeValue<'_>>, path: &[Seg]) -> Option<Range<usize>> {
    find_value(value, path).map(Spanned::span)
}

fn find_value<'t, 'a>(
    value: &'t Spanned<DeValue<'a>>,
    path: &[Seg],
) -> Option<&'t Spanned<DeValue<'a>>> {
    let Some((first, rest)) = path.split_first() else {
        return Some(value);
    };
    let next = match (first, value.get_ref()) {
        (Seg::Key(key), DeValue::Table(table)) => lookup(table, key)?,
        (Seg::Index(i), DeValue::Array(array)) => array.get(*i)?,
        _ => return None,
    };
    find_value(next, rest)
}

fn find_in_table(table: &DeTable<'_>, pos: usize, path: &mut Vec<Seg>) -> bool {
    for (key, value) in table.iter() {
        path.push(Seg::Key(key.get_ref().to_string()));
        // Deeper matches first: a table's span may enclose the key that is actually at fault.
        if contains(&key.span(), pos) || find_in_value(value, pos, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn find_in_value(value: &Spanned<DeValue<'_>>, pos: usize, path: &mut Vec<Seg>) -> bool {
    let found_inside = match value.get_ref() {
        DeValue::Table(table) => find_in_table(table, pos, path),
        DeValue::Array(array) => array.iter().enumerate().any(|(i, item)| {
            path.push(Seg::Index(i));
            let found = find_in_value(item, pos, path);
            if !found {
                path.pop();
            }
            found
        }),
        _ => false,
    };
    found_inside || contains(&value.span(), pos)
}

/// Rewords a serde/TOML message: `field` becomes `key`, type names become TOML words, and an
/// unknown key says which table it is in.
pub(crate) fn humanize(message: &str, path: Option<&[Seg]>) -> String {
    let message = first_line(message);
    let message = if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let table = path
            .and_then(|p| p.split_last())
            .map(|(_, parent)| parent)
            .filter(|parent| !parent.is_empty())
            .map_or_else(
                || "at the top level".to_string(),
                |p| format!("in [{}]", dotted(p)),
            );
        let expected = if expected.is_empty() {
            "this table takes no keys".to_string()
        } else {
            format!("expected {expected}")
        };
        format!("unknown key {name} {table}; {expected}")
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        format!(
            "unknown value {}",
            rest.replacen(", expected", "; expected", 1)
        )
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        format!("missing key {rest}; add it")
    } else if message.starts_with("string values must be quoted") {
        "string values must be quoted: write \"...\"".to_string()
    } else if message.starts_with("invalid boolean") {
        // The parser reads any bare word starting with t/f as a misspelt boolean.
        format!("{message}; write true or false, or put text in quotes: \"...\"")
    } else if message == "duplicate key" {
        "duplicate key; each key and [table] may appear only once".to_string()
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        format!(
            "wrong type: found {}",
            rest.replacen(", expected", "; expected", 1)
        )
    } else if let Some(rest) = message.strip_prefix("invalid value: ") {
        format!(
            "invalid value: {}",
            rest.replacen(", expected", "; expected", 1)
        )
    } else {
        message
    };
    without_struct_name(message)
        .replace("expected u32", "expected a whole number, 0 to 4294967295")
        .replace("expected u64", "expected a whole number, 0 or more")
        .replace("expected a boolean", "expected true or false")
        .replace(
            "expected a sequence",
            "expected a list, e.g. [\"a\", \"b\"]",
        )
        .replace("expected a string", "expected a string in quotes")
}

/// Drops serde's Rust type name from "expected struct UiConfig".
fn without_struct_name(message: String) -> String {
    match message.find("expected struct ") {
        Some(at) => {
            let name_start = at + "expected struct ".len();
            let name_end = message[name_start..]
                .find(|c: char| !c.is_alphanumeric() && c != '_')
                .map_or(message.len(), |i| name_start + i);
            format!("{}expected a table{}", &message[..at], &message[name_end..])
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    #[test]
    fn line_col_counts_lines_and_characters_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // `é` is two bytes but one column.
        assert_eq!(line_col(text, 9), (2, 3));
        assert_eq!(line_col(text, 1000), (3, 1));
    }

    #[test]
    fn dotted_paths_show_indexes_in_brackets() {
        let p = vec![
            key("organization"),
            key("accounts"),
            Seg::Index(1),
            key("id"),
        ];
        assert_eq!(dotted(&p), "organization.accounts[1].id");
    }

    #[test]
    fn path_at_finds_keys_values_and_array_entries() {
        let text = "top = 1\n[ui]\ntick_ms = 5\n[[org.accounts]]\nid = \"x\"\n[[org.accounts]]\nid = \"y\"\n";
        let source = Source::parse(text).unwrap();
        let at = |needle: &str| {
            source
                .path_at(text.find(needle).unwrap())
                .map(|p| dotted(&p))
        };
        assert_eq!(at("top").as_deref(), Some("top"));
        assert_eq!(at("tick_ms").as_deref(), Some("ui.tick_ms"));
        assert_eq!(at("5").as_deref(), Some("ui.tick_ms"));
        assert_eq!(at("\"y\"").as_deref(), Some("org.accounts[1].id"));
    }

    #[test]
    fn span_of_points_at_the_value_written_in_the_file() {
        let text = "[keymap]\nquit = [\"q\", \"x\"]\n";
        let source = Source::parse(text).unwrap();
        let span = source
            .span_of(&[key("keymap"), key("quit"), Seg::Index(1)])
            .unwrap();
        assert_eq!(&text[span], "\"x\"");
        assert_eq!(source.span_of(&[key("keymap"), key("help")]), None);
        assert_eq!(
            source.span_of(&[key("keymap"), key("quit"), Seg::Index(2)]),
            None
        );
    }

    #[test]
    fn humanize_names_the_table_of_an_unknown_key() {
        let m = humanize(
            "unknown field `colr`, expected `tick_ms`",
            Some(&[key("ui"), key("colr")]),
        );
        assert_eq!(m, "unknown key `colr` in [ui]; expected `tick_ms`");
        let m = humanize("unknown field `x`, expected `a`", Some(&[key("x")]));
        assert_eq!(m, "unknown key `x` at the top level; expected `a`");
    }

    #[test]
    fn quoted_element_picks_the_first_quoted_array_string() {
        let text = "quit = [\"q\", \"Ctrl+q\"]\n";
        let source = Source::parse(text).unwrap();
        let (path, span) = source
            .quoted_element(&[key("quit")], "unknown key `Ctrl+q`; e.g. `q`")
            .unwrap();
        assert_eq!(dotted(&path), "quit[1]");
        assert_eq!(&text[span], "\"Ctrl+q\"");
        assert_eq!(source.quoted_element(&[key("quit")], "no quotes"), None);
    }

    #[test]
    fn a_syntax_error_comes_with_the_key_it_is_in() {
        let Err((e, path)) = Source::parse("[ui]\ntick_ms = 1\ntick_ms = 2\n") else {
            panic!("duplicate keys must not parse");
        };
        assert_eq!(e.message(), "duplicate key");
        assert_eq!(path.map(|p| dotted(&p)).as_deref(), Some("tick_ms"));
    }

    #[test]
    fn humanize_hides_rust_type_names() {
        assert_eq!(
            humanize("invalid type: integer `3`, expected struct UiConfig", None),
            "wrong type: found integer `3`; expected a table"
        );
    }

    #[test]
    fn humanize_uses_toml_words_for_types() {
        assert_eq!(
            humanize("invalid type: string \"8\", expected u32", None),
            "wrong type: found string \"8\"; expected a whole number, 0 to 4294967295"
        );
        assert_eq!(
            humanize("missing field `id`", None),
            "missing key `id`; add it"
        );
    }
}
