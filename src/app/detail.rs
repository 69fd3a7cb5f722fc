//! The detail view of one row of any table (`i`, or `Enter` where a row opens nothing else):
//! every field of the row in full, under its name, wrapped and scrollable; `y` copies the
//! selected field's value. One view for every table of every pane, built from the table's
//! [`Rows`](super::table::Rows).

use super::pager::Pager;
use crate::config::keymap::Action;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub title: String,
    /// Each field's name and whole value, raw (the renderer sanitises them).
    pub fields: Vec<(String, String)>,
    /// The field `y` copies.
    pub selected: usize,
    pub scroll: Pager,
    /// The text drawn: each field's name, then its value's lines, indented.
    lines: Vec<String>,
    /// The line of each field's name.
    starts: Vec<usize>,
}

/// What a key did to the detail view.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    Stay,
    Close,
    Copy { field: String, text: String },
}

/// What an empty value reads as.
pub const EMPTY: &str = "(empty)";

impl Details {
    pub fn new(title: impl Into<String>, fields: Vec<(String, String)>) -> Details {
        let mut lines = Vec::new();
        let mut starts = Vec::with_capacity(fields.len());
        for (name, value) in &fields {
            starts.push(lines.len());
            lines.push(name.clone());
            if value.is_empty() {
                lines.push(format!("  {EMPTY}"));
            }
            lines.extend(value.lines().map(|l| format!("  {l}")));
        }
        Details {
            title: title.into(),
            fields,
            selected: 0,
            scroll: Pager::default(),
            lines,
            starts,
        }
    }

    /// The text as lines, for the renderer.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Whether `line` is a field's name (else a line of a value).
    pub fn is_name(&self, line: usize) -> bool {
        self.starts.binary_search(&line).is_ok()
    }

    /// The field that `line` belongs to.
    pub fn field_of_line(&self, line: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= line)
            .saturating_sub(1)
    }

    /// Apply a key's action; `rows` is a page before the first frame.
    pub fn on_action(&mut self, action: Option<Action>, rows: usize) -> Outcome {
        let last = self.fields.len().saturating_sub(1);
        match action {
            Some(Action::Down) => self.select(self.selected.saturating_add(1).min(last), rows),
            Some(Action::Up) => self.select(self.selected.saturating_sub(1), rows),
            Some(Action::PageDown) => self.page(1, rows),
            Some(Action::PageUp) => self.page(-1, rows),
            Some(Action::Top) => {
                self.scroll.home();
                self.selected = 0;
            }
            Some(Action::Bottom) => {
                self.scroll.end();
                self.selected = last;
            }
            Some(Action::Copy) => {
                if let Some((name, value)) = self.fields.get(self.selected) {
                    return Outcome::Copy {
                        field: name.clone(),
                        text: value.clone(),
                    };
                }
            }
            Some(Action::Back | Action::Describe | Action::Enter | Action::Quit) => {
                return Outcome::Close;
            }
            _ => {}
        }
        Outcome::Stay
    }

    /// Select field `field` and scroll so it shows: from its name, as much of it as fits.
    fn select(&mut self, field: usize, rows: usize) {
        self.selected = field;
        let Some(&start) = self.starts.get(field) else {
            return;
        };
        let first = self.scroll.row_of_line(start);
        let end = self
            .starts
            .get(field + 1)
            .map_or(usize::MAX, |&next| self.scroll.row_of_line(next));
        let top = self.scroll.top();
        let fit = self.scroll.fit().unwrap_or(rows).max(1);
        if first < top || end > top.saturating_add(fit) {
            self.scroll.scroll_to(first);
        }
    }

    /// A box of rows down or up; the selection follows to the field at the top.
    fn page(&mut self, pages: isize, rows: usize) {
        self.scroll.page(pages, rows);
        let line = self.scroll.line_of_row(self.scroll.top());
        self.selected = self.field_of_line(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> Details {
        Details::new(
            "user alice",
            vec![
                ("USERNAME".into(), "alice".into()),
                ("NOTE".into(), "one\ntwo\nthree".into()),
                ("EMPTY".into(), String::new()),
            ],
        )
    }

    #[test]
    fn every_field_is_its_name_then_its_value_indented() {
        let d = details();
        assert_eq!(
            d.lines(),
            [
                "USERNAME",
                "  alice",
                "NOTE",
                "  one",
                "  two",
                "  three",
                "EMPTY",
                "  (empty)"
            ]
        );
        assert!(d.is_name(2) && !d.is_name(3));
        assert_eq!(d.field_of_line(5), 1);
        assert_eq!(d.field_of_line(7), 2);
    }

    #[test]
    fn keys_select_fields_and_copy_the_selected_value() {
        let mut d = details();
        assert_eq!(d.on_action(Some(Action::Down), 3), Outcome::Stay);
        assert_eq!(d.selected, 1);
        // NOTE (4 lines) does not fit under row 0 in 3 rows: scrolled to its name.
        assert_eq!(d.scroll.top(), 2);
        assert_eq!(
            d.on_action(Some(Action::Copy), 3),
            Outcome::Copy {
                field: "NOTE".into(),
                text: "one\ntwo\nthree".into()
            }
        );
        d.on_action(Some(Action::Bottom), 3);
        assert_eq!(d.selected, 2);
        d.on_action(Some(Action::Top), 3);
        assert_eq!((d.selected, d.scroll.top()), (0, 0));
        d.on_action(Some(Action::PageDown), 3);
        assert_eq!(d.selected, 1, "the field at the top after a page");
        assert_eq!(d.on_action(Some(Action::Back), 3), Outcome::Close);
    }
}
