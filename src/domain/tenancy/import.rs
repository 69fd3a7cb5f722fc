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

/// Parse and validate the whole file: every row, or every problem found.
pub fn parse(tenancy: &Tenancy, text: &str) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header_error = |message: String| vec![RowError { line: 1, message }];
    let headers = reader
        .headers()
        .map_err(|e| header_error(format!("cannot read the header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let (Some(email_col), Some(role_col)) = (column("email"), column("role")) else {
        return Err(header_error(format!(
            "the header must name the columns email and role (and optionally name); found `{}`",
            sanitize(&headers.iter().collect::<Vec<_>>().join(","))
        )));
    };
    let name_col = column("name");
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(text, p.byte()));
                errors.push(RowError {
                    line,
                    message: format!("malformed CSV: {e}"),
                });
                continue;
            }
        };
        // The reader's line count skips blank lines; count the file's own lines instead.
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut problems = Vec::new();
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

/// The 1-based line of a byte offset.
fn line_at(text: &str, byte: u64) -> u64 {
    let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
    // A record's position can be the start of the blank lines before it.
    while matches!(text.as_bytes().get(end), Some(b'\n' | b'\r')) {
        end += 1;
    }
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
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
}
