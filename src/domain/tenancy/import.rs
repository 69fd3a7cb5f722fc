//! Bulk-import files: CSV with a header naming the columns `email` and `role`, and optionally
//! `name`. The whole file is validated before anything changes, and every bad row is reported
//! with its line number.

use std::collections::HashMap;

use super::users::Tenancy;
use super::validate;
use crate::domain::sanitize::sanitize;

/// One valid row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// 1-based line in the file.
    pub line: u64,
    /// Validated and lower-cased.
    pub email: String,
    pub role: String,
    /// The `name` attribute, when given.
    pub name: Option<String>,
}

/// A problem with one line (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The columns a file may have; `email` and `role` are required.
const COLUMNS: [&str; 3] = ["email", "role", "name"];

/// Parse and validate the whole file: every row, or every problem found.
pub fn parse(tenancy: &Tenancy, text: &str) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header_error = |message: String| vec![RowError { line: 1, message }];
    // The reader takes an unclosed quote as a field running to the end of the file.
    if let Some(line) = unclosed_quote(text) {
        return Err(vec![RowError {
            line,
            message: "a quote opened on this line is never closed; close it with \" (a quote \
                      inside a quoted field is written twice: \"\")"
                .into(),
        }]);
    }
    let headers = reader
        .headers()
        .map_err(|e| header_error(format!("cannot read the header: {e}")))?
        .clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let written = shown(&headers.iter().collect::<Vec<_>>().join(","));
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            problems.push(format!(
                "column {} of the header `{written}` has no name; remove it or name it email, role or name",
                i + 1
            ));
        } else if !COLUMNS.contains(&name.as_str()) {
            problems.push(format!(
                "unknown column `{}` in the header `{written}`; the columns are email, role and optionally name",
                shown(name)
            ));
        } else if names[..i].contains(name) {
            problems.push(format!(
                "the header `{written}` names the column `{name}` twice; keep one"
            ));
        }
    }
    if !problems.is_empty() {
        // A header of a million bad names is one mistake, not a million.
        return Err(problems
            .into_iter()
            .take(3)
            .map(|message| RowError { line: 1, message })
            .collect());
    }
    let column = |name: &str| names.iter().position(|h| h == name);
    let (Some(email_col), Some(role_col)) = (column("email"), column("role")) else {
        return Err(header_error(format!(
            "the header must name the columns email and role (and optionally name); found `{written}`"
        )));
    };
    let name_col = column("name");
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut lines = Lines::new(text);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte()));
                errors.push(RowError {
                    line,
                    message: format!("malformed CSV: {e}"),
                });
                continue;
            }
        };
        // The reader's line count skips blank lines; count the file's own lines instead.
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut problems = Vec::new();
        if record.len() > names.len() {
            problems.push(format!(
                "{} fields, but the header names {} columns; put a field that contains a comma in quotes",
                record.len(),
                names.len()
            ));
        }
        let email = validate::email(record.get(email_col).unwrap_or_default());
        let role = validate::role(tenancy, record.get(role_col).unwrap_or_default());
        let name = name_col
            .and_then(|c| record.get(c))
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if let Err(e) = &email {
            problems.push(e.clone());
        }
        if let Err(e) = &role {
            problems.push(e.clone());
        }
        if let Some(n) = &name
            && let Err(e) = validate::description(n)
        {
            problems.push(format!("name: {e}"));
        }
        if let Ok(email) = &email
            && let Some(first) = seen.insert(email.clone(), line)
        {
            problems.push(format!("{email} is already on line {first}"));
        }
        if problems.is_empty() {
            rows.push(ImportRow {
                line,
                email: email.unwrap_or_default(),
                role: role.unwrap_or_default().to_owned(),
                name,
            });
        } else {
            errors.push(RowError {
                line,
                message: problems.join("; "),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(header_error("the file has no rows to import".into()));
    }
    Ok(rows)
}

/// The line of a quote that opens a field and is never closed, as the reader parses quotes: a
/// quote opens a field only at its start, and `""` inside a quoted field is one quote.
fn unclosed_quote(text: &str) -> Option<u64> {
    let mut line = 1;
    let mut opened_on = None;
    let mut field_start = true;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if b == b'\n' {
            line += 1;
        }
        if opened_on.is_some() {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    opened_on = None;
                }
            }
            continue;
        }
        match b {
            b'"' if field_start => {
                opened_on = Some(line);
                field_start = false;
            }
            b',' | b'\n' | b'\r' => field_start = true,
            _ => field_start = false,
        }
    }
    opened_on
}

/// A header as a message quotes it: sanitised, and cut short when it is long.
fn shown(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", sanitize(&text[..cut])),
        None => sanitize(text).into_owned(),
    }
}

/// The 1-based lines of byte offsets asked in increasing order, counted once through the file.
struct Lines<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: u64) -> u64 {
        let mut end = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // A record's position can be the start of the blank lines before it.
        while matches!(self.text.get(end), Some(b'\n' | b'\r')) {
            end += 1;
        }
        if end < self.pos {
            // Not expected (the reader moves forward), but stay right: count again.
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.text[self.pos..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.pos = end;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::super::GroupPattern;
    use super::super::users::Model;
    use super::*;

    fn tenancy() -> Tenancy {
        Tenancy {
            model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
            roles: ["admin", "member"].map(String::from).to_vec(),
            attribute: "custom:tenant_id".into(),
            usernames: Default::default(),
        }
    }

    #[test]
    fn a_good_file_parses_with_line_numbers_and_optional_names() {
        let rows = parse(
            &tenancy(),
            "email,role,name\nA@x.com,admin,Ann\n\nb@x.com,member,\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].email, "a@x.com");
        assert_eq!(rows[0].name.as_deref(), Some("Ann"));
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].name, None);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let errors = parse(
            &tenancy(),
            "role,email\nadmin,good@x.com\nowner,bad\nmember,good@x.com\n",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].starts_with("line 3: "), "{text:?}");
        assert!(text[0].contains("not a valid email") && text[0].contains("unknown role"));
        assert!(text[1].contains("already on line 2"), "{text:?}");
    }

    #[test]
    fn a_missing_header_or_an_empty_file_is_an_error() {
        assert!(
            parse(&tenancy(), "a@x.com,admin\n").unwrap_err()[0]
                .message
                .contains("header")
        );
        assert!(parse(&tenancy(), "email,role\n").is_err());
    }

    fn messages(text: &str) -> Vec<String> {
        parse(&tenancy(), text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_column_named_twice_is_refused_with_the_header() {
        assert_eq!(
            messages(
                "email,role,Email
a@x.com,admin,b@x.com
"
            ),
            ["line 1: the header `email,role,Email` names the column `email` twice; keep one"]
        );
    }

    #[test]
    fn unknown_and_unnamed_columns_are_refused_with_the_header() {
        assert_eq!(
            messages(
                "email,role,team
a@x.com,admin,red
"
            ),
            [
                "line 1: unknown column `team` in the header `email,role,team`; the columns are email, role and optionally name"
            ]
        );
        assert_eq!(
            messages(
                "email,,role
"
            ),
            [
                "line 1: column 2 of the header `email,,role` has no name; remove it or name it email, role or name"
            ]
        );
        // A huge header is one short message, not one per column.
        let header = vec!["x"; 100_000].join(",");
        let errors = messages(&format!(
            "{header}
"
        ));
        assert_eq!(errors.len(), 3);
        assert!(errors[0].len() < 300, "{}", errors[0]);
    }

    #[test]
    fn an_unclosed_quote_is_named_with_its_line() {
        assert_eq!(
            messages(
                "email,role
b@x.com,member
\"a@x.com,admin\nc@x.com,member\n"
            ),
            [
                "line 3: a quote opened on this line is never closed; close it with \" (a quote inside a quoted field is written twice: \"\")"
            ]
        );
        // Quotes that close, doubled quotes and quotes inside a field are fine.
        let rows = parse(
            &tenancy(),
            "email,role,name\n\"a@x.com\",admin,\"Ann \"\"A\"\", Jr\"\nb@x.com,member,O\"Neil\n",
        )
        .unwrap();
        assert_eq!(rows[0].name.as_deref(), Some("Ann \"A\", Jr"));
        assert_eq!(rows[1].name.as_deref(), Some("O\"Neil"));
    }

    #[test]
    fn a_row_with_more_fields_than_the_header_is_refused() {
        assert_eq!(
            messages("email,role\na@x.com,admin,Ann\n"),
            [
                "line 2: 3 fields, but the header names 2 columns; put a field that contains a comma in quotes"
            ]
        );
    }

    #[test]
    fn line_numbers_count_blank_and_crlf_lines() {
        let errors = messages("email,role\r\n\r\na@x.com,admin\r\n\nbad,admin\r\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("line 5: "), "{errors:?}");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn name() -> impl Strategy<Value = Option<String>> {
            proptest::option::of("[A-Za-z0-9,\"'é.-]([A-Za-z0-9 ,\"'é.-]{0,18}[A-Za-z0-9,\"'é.-])?")
        }

        fn row() -> impl Strategy<Value = (String, usize, Option<String>)> {
            (
                "[a-zA-Z0-9_+-]{1,8}(\\.[a-z0-9]{1,5})?@[a-z]{1,8}\\.(com|org|io)",
                0..2usize,
                name(),
            )
        }

        proptest! {
            #[test]
            fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
                let text = String::from_utf8_lossy(&bytes);
                let _ = parse(&tenancy(), &text);
            }

            #[test]
            fn csv_like_text_never_panics(body in "[a-z@.,\"\r\n ]{0,200}", header in "(email|role|name|x|\"|,){0,5}") {
                let _ = parse(&tenancy(), &format!("{header}\n{body}"));
                let _ = parse(&tenancy(), &format!("email,role,name\n{body}"));
            }

            #[test]
            fn a_valid_file_round_trips(
                rows in proptest::collection::vec(row(), 1..20),
                crlf in any::<bool>(),
                order in Just(["email", "role", "name"]).prop_shuffle(),
            ) {
                let mut writer = csv::WriterBuilder::new()
                    .terminator(if crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') })
                    .from_writer(Vec::new());
                writer.write_record(order).unwrap();
                let roles = ["admin", "member"];
                let expected: Vec<(String, String, Option<String>)> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, (email, role, name))| (format!("u{i}{email}"), roles[*role].to_owned(), name.clone()))
                    .collect();
                for (email, role, name) in &expected {
                    let record = order.map(|column| match column {
                        "email" => email.as_str(),
                        "role" => role.as_str(),
                        _ => name.as_deref().unwrap_or(""),
                    });
                    writer.write_record(record).unwrap();
                }
                let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
                let parsed = parse(&tenancy(), &text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
                let got: Vec<(String, String, Option<String>)> = parsed
                    .iter()
                    .map(|r| (r.email.clone(), r.role.clone(), r.name.clone()))
                    .collect();
                let want: Vec<_> = expected
                    .into_iter()
                    .map(|(email, role, name)| (email.to_lowercase(), role, name))
                    .collect();
                prop_assert_eq!(got, want);
                // One line per row after the header.
                for (i, row) in parsed.iter().enumerate() {
                    prop_assert_eq!(row.line, i as u64 + 2);
                }
            }
        }
    }
}
