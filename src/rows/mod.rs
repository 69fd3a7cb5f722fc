//! Rows: the one shape of tabular data, shared by the commands (`-o table|json|csv`) and the
//! dashboard's exports, and the one place that turns rows into output, so everything prints the
//! same way and every AWS-derived string is made terminal-safe on the way out.
//!
//! Below `app` and `commands`, above `domain`: a pane's row types live in `rows/<pane>.rs`.

pub mod dns;
pub mod tenants;

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::domain::sanitize::{sanitize, to_json_pretty_safe};

pub mod workflows;

/// How rows are written: `-o table|json|csv` on the command line (clap's parser for it is in `cli`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}

/// The one row shape: the columns a row shows in a table (the dashboard's and `-o table`) and
/// writes to CSV (`-o csv` and the dashboard's exports). `headers` and `cells` have the same length.
pub trait Cells {
    /// Column titles.
    fn headers() -> &'static [&'static str];
    /// The row's values, raw: whoever writes them sanitises them.
    fn cells(&self) -> Vec<String>;
}

/// A row the commands print: its columns, and as JSON the struct itself (field names and order as
/// declared, the stable documented schema).
pub trait Row: Cells + serde::Serialize {}

impl<T: Cells + serde::Serialize> Row for T {}

/// Print `rows` in `format`.
///
/// - table: a header row, then one line per row; columns padded to their display width and separated by
///   two spaces, no trailing spaces. An empty list prints only the header row, so scripts see the same
///   shape whether or not anything matched (`tail -n +2` yields nothing rather than a `(none)` line).
/// - json: a pretty-printed array (`[]` when empty) and a newline; hazardous characters are `\u`-escaped
///   so the output is terminal-safe and still parses to exactly the original values.
/// - csv: a header row, then one record per row (RFC 4180 quoting), cells sanitised.
pub fn write_rows<R: Row>(out: &mut dyn Write, format: OutputFormat, rows: &[R]) -> io::Result<()> {
    match format {
        OutputFormat::Table => {
            let lines: Vec<Vec<String>> = rows.iter().map(sanitized_cells).collect();
            write_table(out, R::headers(), &lines)
        }
        OutputFormat::Json => write_json(out, rows),
        OutputFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(R::headers())?;
            for row in rows {
                csv.write_record(sanitized_cells(row))?;
            }
            csv.flush()
        }
    }
}

/// Rows written as they come, for output that must not wait for (or hold) the whole answer
/// (`dns records -o json|csv` across an organisation): the same bytes as [`write_rows`] with the
/// same rows, one row at a time. JSON: the array opens with the first row and closes in
/// [`RowStream::finish`] (`[]` when empty), so the output is a valid array once finished. CSV: the
/// header row comes first. A table needs every row to size its columns: use [`write_rows`].
pub struct RowStream<'a, R> {
    out: Sink<'a>,
    started: bool,
    element: Vec<u8>,
    _rows: std::marker::PhantomData<fn(&R)>,
}

enum Sink<'a> {
    Json(&'a mut dyn Write),
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
}

impl<'a, R: Row> RowStream<'a, R> {
    /// `format` is JSON or CSV.
    pub fn new(out: &'a mut dyn Write, format: OutputFormat) -> Self {
        debug_assert!(format != OutputFormat::Table, "a table is written whole");
        let out = match format {
            OutputFormat::Csv => Sink::Csv(Box::new(
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out),
            )),
            _ => Sink::Json(out),
        };
        RowStream {
            out,
            started: false,
            element: Vec::new(),
            _rows: std::marker::PhantomData,
        }
    }

    pub fn write(&mut self, row: &R) -> io::Result<()> {
        let first = !self.started;
        self.started = true;
        match &mut self.out {
            Sink::Csv(csv) => {
                if first {
                    csv.write_record(R::headers())?;
                }
                csv.write_record(sanitized_cells(row))?;
                Ok(())
            }
            Sink::Json(out) => {
                // The element as `write_rows` nests it: pretty, one level in.
                self.element.clear();
                to_json_pretty_safe(&mut self.element, row).map_err(io::Error::from)?;
                out.write_all(if first { b"[\n" } else { b",\n" })?;
                for (i, line) in self.element.split(|b| *b == b'\n').enumerate() {
                    if i > 0 {
                        out.write_all(b"\n")?;
                    }
                    out.write_all(b"  ")?;
                    out.write_all(line)?;
                }
                Ok(())
            }
        }
    }

    /// Push what was written so far to the output (e.g. after each account).
    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Sink::Csv(csv) => csv.flush(),
            Sink::Json(out) => out.flush(),
        }
    }

    /// Close the output: the JSON array's end, or the CSV header when no row came.
    pub fn finish(mut self) -> io::Result<()> {
        match &mut self.out {
            Sink::Csv(csv) => {
                if !self.started {
                    csv.write_record(R::headers())?;
                }
                csv.flush()
            }
            Sink::Json(out) => {
                out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })?;
                out.flush()
            }
        }
    }
}

/// Print one object (e.g. `whoami`).
///
/// - table: one line per field, `field  value`, field names padded to the same width, no header row.
/// - json: the object, pretty-printed, and a newline.
/// - csv: a header row and one record.
pub fn write_record<R: Row>(out: &mut dyn Write, format: OutputFormat, row: &R) -> io::Result<()> {
    match format {
        OutputFormat::Table => {
            let cells = sanitized_cells(row);
            let lines: Vec<Vec<String>> = R::headers()
                .iter()
                .zip(cells)
                .map(|(field, value)| vec![(*field).to_owned(), value])
                .collect();
            write_aligned(out, &lines)
        }
        OutputFormat::Json => write_json(out, row),
        OutputFormat::Csv => write_rows(out, OutputFormat::Csv, std::slice::from_ref(row)),
    }
}

/// A cell as a spreadsheet may open it: one beginning with `=`, `+`, `-` or `@` would be read as
/// a formula (`=HYPERLINK(...)` from a TXT record), so it gets a leading `'`, which spreadsheets
/// show as text; numbers (`-5`) are left alone. The dashboard's CSV exports use it; `-o csv` writes
/// values raw for scripts.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let formula = cell.starts_with(['=', '+', '-', '@']) && cell.parse::<f64>().is_err();
    if formula {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn sanitized_cells<R: Row>(row: &R) -> Vec<String> {
    let cells = row.cells();
    debug_assert_eq!(
        cells.len(),
        R::headers().len(),
        "Row::cells and Row::headers disagree on the column count"
    );
    cells
        .into_iter()
        .map(|cell| match sanitize(&cell) {
            std::borrow::Cow::Borrowed(_) => cell,
            std::borrow::Cow::Owned(safe) => safe,
        })
        .collect()
}

fn write_json<T: serde::Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    // `From` keeps an I/O error's kind (a broken pipe stays one).
    to_json_pretty_safe(&mut *out, value).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

fn write_table(out: &mut dyn Write, headers: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut lines = Vec::with_capacity(rows.len() + 1);
    lines.push(headers.iter().map(|h| (*h).to_owned()).collect());
    lines.extend_from_slice(rows);
    write_aligned(out, &lines)
}

/// Cells are already sanitised. Columns are as wide as their widest cell; the last cell of a line is
/// not padded, and trailing blanks (from empty trailing cells) are trimmed.
fn write_aligned(out: &mut dyn Write, lines: &[Vec<String>]) -> io::Result<()> {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for line in lines {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.width());
        }
    }
    let mut text = String::new();
    for line in lines {
        text.clear();
        for (i, cell) in line.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            if i + 1 < line.len() {
                text.extend(std::iter::repeat_n(' ', widths[i] - cell.width()));
            }
        }
        let trimmed = text.trim_end_matches(' ');
        out.write_all(trimmed.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Account {
        id: String,
        name: String,
        status: String,
    }

    impl Cells for Account {
        fn headers() -> &'static [&'static str] {
            &["ID", "NAME", "STATUS"]
        }
        fn cells(&self) -> Vec<String> {
            vec![self.id.clone(), self.name.clone(), self.status.clone()]
        }
    }

    fn account(id: &str, name: &str, status: &str) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            status: status.into(),
        }
    }

    fn render<F: FnOnce(&mut dyn Write) -> io::Result<()>>(f: F) -> String {
        let mut buf = Vec::new();
        f(&mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    fn hostile() -> Vec<Account> {
        vec![
            account("111111111111", "evil\x1b]52;c;cHduZWQ=\x07", "ACTIVE"),
            account("222222222222", "abc\u{202E}gpj.exe", "line1\nline2\u{85}"),
        ]
    }

    fn has_control(s: &str) -> bool {
        s.chars()
            .any(|c| c != '\n' && (c.is_control() || crate::domain::sanitize::is_hazard(c)))
    }

    #[test]
    fn a_row_stream_writes_what_write_rows_writes() {
        let mut rows = hostile();
        rows.push(account("333333333333", "plain", "=cmd"));
        for format in [OutputFormat::Json, OutputFormat::Csv] {
            for n in 0..=rows.len() {
                let whole = render(|out| write_rows(out, format, &rows[..n]));
                let streamed = render(|out| {
                    let mut stream = RowStream::new(out, format);
                    for row in &rows[..n] {
                        stream.write(row)?;
                        stream.flush()?;
                    }
                    stream.finish()
                });
                assert_eq!(streamed, whole, "{format:?} with {n} rows");
            }
        }
        let parsed: Vec<Account> = serde_json::from_str(&render(|out| {
            let mut stream = RowStream::new(out, OutputFormat::Json);
            rows.iter().try_for_each(|r| stream.write(r))?;
            stream.finish()
        }))
        .unwrap();
        assert_eq!(parsed, rows);
    }

    #[test]
    fn table_pads_columns_by_display_width_without_trailing_spaces() {
        let rows = vec![
            account("111111111111", "東京", "ACTIVE"),
            account("2", "acme-production", ""),
        ];
        let text = render(|out| write_rows(out, OutputFormat::Table, &rows));
        assert_eq!(
            text,
            "ID            NAME             STATUS\n\
             111111111111  東京             ACTIVE\n\
             2             acme-production\n"
        );
    }

    #[test]
    fn table_of_no_rows_prints_only_the_header() {
        let text = render(|out| write_rows::<Account>(out, OutputFormat::Table, &[]));
        assert_eq!(text, "ID  NAME  STATUS\n");
    }

    #[test]
    fn table_sanitises_hostile_cells_and_keeps_one_line_per_row() {
        let text = render(|out| write_rows(out, OutputFormat::Table, &hostile()));
        assert!(!has_control(&text), "{text:?}");
        assert_eq!(text.lines().count(), 3);
        assert!(text.contains("evil␛]52;c;cHduZWQ=␇"), "{text}");
        assert!(text.contains("abc<U+202E>gpj.exe"), "{text}");
        assert!(text.contains("line1␊line2<U+0085>"), "{text}");
    }

    #[test]
    fn json_is_a_pretty_array_with_a_trailing_newline_in_field_order() {
        let rows = vec![account("1", "a", "ACTIVE")];
        let text = render(|out| write_rows(out, OutputFormat::Json, &rows));
        assert_eq!(
            text,
            "[\n  {\n    \"id\": \"1\",\n    \"name\": \"a\",\n    \"status\": \"ACTIVE\"\n  }\n]\n"
        );
        let empty = render(|out| write_rows::<Account>(out, OutputFormat::Json, &[]));
        assert_eq!(empty, "[]\n");
    }

    #[test]
    fn json_escapes_hostile_strings_and_parses_back_to_the_original_values() {
        let rows = hostile();
        let text = render(|out| write_rows(out, OutputFormat::Json, &rows));
        assert!(!has_control(&text), "{text:?}");
        let back: Vec<Account> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn csv_has_a_header_and_sanitised_cells() {
        let text = render(|out| write_rows(out, OutputFormat::Csv, &hostile()));
        assert!(!has_control(&text), "{text:?}");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            ["ID", "NAME", "STATUS"]
        );
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(
            records,
            [
                ["111111111111", "evil␛]52;c;cHduZWQ=␇", "ACTIVE"],
                ["222222222222", "abc<U+202E>gpj.exe", "line1␊line2<U+0085>"],
            ]
        );
    }

    #[test]
    fn csv_quotes_commas_and_quotes() {
        let rows = vec![account("1", "Acme, \"Inc\"", "ACTIVE")];
        let text = render(|out| write_rows(out, OutputFormat::Csv, &rows));
        assert_eq!(text, "ID,NAME,STATUS\n1,\"Acme, \"\"Inc\"\"\",ACTIVE\n");
    }

    #[test]
    fn record_table_is_field_value_lines() {
        let row = account("123456789012", "ops\x1b[2J", "ACTIVE");
        let text = render(|out| write_record(out, OutputFormat::Table, &row));
        assert_eq!(
            text,
            "ID      123456789012\nNAME    ops␛[2J\nSTATUS  ACTIVE\n"
        );
    }

    #[test]
    fn record_json_is_an_object_that_round_trips() {
        let row = account("1", "x\u{2066}y", "ACTIVE");
        let text = render(|out| write_record(out, OutputFormat::Json, &row));
        assert!(text.starts_with('{') && text.ends_with("}\n"), "{text}");
        assert!(!has_control(&text), "{text:?}");
        assert_eq!(serde_json::from_str::<Account>(&text).unwrap(), row);
    }

    #[test]
    fn record_csv_is_a_header_and_one_row() {
        let row = account("1", "a", "ACTIVE");
        let text = render(|out| write_record(out, OutputFormat::Csv, &row));
        assert_eq!(text, "ID,NAME,STATUS\n1,a,ACTIVE\n");
    }

    /// A reader that went away, as `| head -1` leaves stdout.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_is_reported_as_one_in_every_format() {
        let rows = vec![account("1", "a", "ACTIVE")];
        for format in [OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv] {
            let e = write_rows(&mut ClosedPipe, format, &rows).unwrap_err();
            assert!(
                crate::exit::is_broken_pipe(&anyhow::Error::from(e)),
                "{format:?}"
            );
        }
    }

    #[test]
    fn formula_cells_are_made_text_for_spreadsheets_and_numbers_kept() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(
            spreadsheet_safe("+1+cmd|' /C calc'!A0"),
            "'+1+cmd|' /C calc'!A0"
        );
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-5"), "-5");
        assert_eq!(spreadsheet_safe("1.5"), "1.5");
        assert_eq!(spreadsheet_safe("a=b"), "a=b");
        // -o csv stays raw.
        let row = account("1", "=1+1", "-x");
        let text = render(|out| write_rows(out, OutputFormat::Csv, &[row]));
        assert_eq!(text, "ID,NAME,STATUS\n1,=1+1,-x\n");
    }
}
