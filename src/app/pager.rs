//! Scrolling a text to read (a report, an event's input and output) by rows as rendered.
//!
//! Long lines wrap, so how many rows a text has, and how many of them fit, depend on the width
//! and height of the box it is drawn in, which only the renderer knows (and which change with the
//! terminal). The renderer therefore tells the pager both on every frame ([`Pager::show`]), and
//! the keys move within what the last frame drew: down until the last row is at the bottom of the
//! box, never onto a page of blank rows. The runtime always draws a frame before it reads the next
//! key, so the keys never act on a stale layout for longer than one frame.
//!
//! A pager belongs to one text: the text it scrolls does not change under it (a new text opens
//! with a new pager), which lets the renderer measure a long text once per width.

use std::cell::{Cell, Ref, RefCell};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pager {
    /// The first row shown.
    top: usize,
    /// The text's rows and the rows that fit, as the last frame drew them; `None` before the
    /// first frame. A `Cell` because rendering only borrows the state.
    drawn: Cell<Option<Drawn>>,
    /// The renderer's measure of the text at the last width it drew it.
    measured: RefCell<Measured>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Measured {
    width: usize,
    /// For each line, the row after its last one.
    ends: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Drawn {
    rows: usize,
    fit: usize,
}

impl Drawn {
    /// The first row that puts the last row at the bottom of the box.
    fn last_top(self) -> usize {
        self.rows.saturating_sub(self.fit)
    }
}

impl Pager {
    /// The renderer's side: the text has `rows` rows and `fit` of them fit in the box. Returns
    /// the first row to show, so that the box is full as long as the text is long enough: after
    /// the terminal grew, a pager scrolled to the end shows more of what is above.
    pub fn show(&self, rows: usize, fit: usize) -> usize {
        let drawn = Drawn { rows, fit };
        self.drawn.set(Some(drawn));
        self.top.min(drawn.last_top())
    }

    /// The renderer's side: for each of the text's `lines` lines wrapped at `width`, the row after
    /// its last one, as `measure` computes them; kept, so `measure` runs again only when the
    /// width changes, and a frame of a long text costs what its screen does.
    pub fn ends(
        &self,
        width: usize,
        lines: usize,
        measure: impl FnOnce() -> Vec<usize>,
    ) -> Ref<'_, [usize]> {
        let stale = {
            let m = self.measured.borrow();
            m.width != width || m.ends.len() != lines
        };
        if stale {
            *self.measured.borrow_mut() = Measured {
                width,
                ends: measure(),
            };
        }
        Ref::map(self.measured.borrow(), |m| m.ends.as_slice())
    }

    /// The first row shown by the last frame (before any frame: as the keys left it).
    pub fn top(&self) -> usize {
        match self.drawn.get() {
            Some(drawn) => self.top.min(drawn.last_top()),
            None => self.top,
        }
    }

    /// Rows the text had at the last frame, if one was drawn.
    pub fn rows(&self) -> Option<usize> {
        self.drawn.get().map(|d| d.rows)
    }

    /// Scroll by `delta` rows, within what the last frame drew.
    pub fn scroll_by(&mut self, delta: isize) {
        let last = self.drawn.get().map_or(usize::MAX, Drawn::last_top);
        self.top = self.top().saturating_add_signed(delta).min(last);
    }

    /// One box of rows down (`pages` 1) or up (-1); before any frame, a page is `fallback` rows.
    pub fn page(&mut self, pages: isize, fallback: usize) {
        let fit = self.drawn.get().map_or(fallback, |d| d.fit).max(1);
        self.scroll_by(pages.saturating_mul(isize::try_from(fit).unwrap_or(isize::MAX)));
    }

    pub fn home(&mut self) {
        self.top = 0;
    }

    /// Scroll so `row` is the first shown (within what the last frame drew).
    pub fn scroll_to(&mut self, row: usize) {
        let last = self.drawn.get().map_or(usize::MAX, Drawn::last_top);
        self.top = row.min(last);
    }

    /// The rows that fit in the box at the last frame, if one was drawn.
    pub fn fit(&self) -> Option<usize> {
        self.drawn.get().map(|d| d.fit)
    }

    /// The first row of line `line` as the last frame measured the text; before any frame, the
    /// line's index (one row a line).
    pub fn row_of_line(&self, line: usize) -> usize {
        let measured = self.measured.borrow();
        if measured.ends.is_empty() {
            return line;
        }
        line.checked_sub(1)
            .map_or(0, |i| measured.ends.get(i).copied().unwrap_or(usize::MAX))
    }

    /// The line that row `row` belongs to, as the last frame measured the text.
    pub fn line_of_row(&self, row: usize) -> usize {
        let measured = self.measured.borrow();
        if measured.ends.is_empty() {
            return row;
        }
        measured.ends.partition_point(|&end| end <= row)
    }

    /// The last row at the bottom of the box; before any frame, as far as it goes (the first
    /// frame brings it back to the last page).
    pub fn end(&mut self) {
        self.top = self.drawn.get().map_or(usize::MAX, Drawn::last_top);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stop_with_the_last_row_at_the_bottom_and_come_back() {
        let mut p = Pager::default();
        assert_eq!(p.show(50, 10), 0);
        p.page(1, 0);
        assert_eq!(p.top(), 10);
        for _ in 0..10 {
            p.page(1, 0);
        }
        assert_eq!(p.top(), 40, "PageDown stops at the last page");
        p.page(-1, 0);
        assert_eq!(p.top(), 30, "and PageUp comes straight back");
        p.scroll_by(1_000);
        assert_eq!(p.top(), 40, "j stops at the same place");
        p.scroll_by(-1);
        assert_eq!(p.top(), 39);
        p.end();
        assert_eq!(p.top(), 40, "End too");
        p.home();
        assert_eq!(p.top(), 0);
        p.page(-1, 0);
        assert_eq!(p.top(), 0);
    }

    #[test]
    fn a_text_shorter_than_the_box_does_not_scroll() {
        let mut p = Pager::default();
        p.show(3, 10);
        p.scroll_by(1);
        p.page(1, 0);
        p.end();
        assert_eq!(p.top(), 0);
    }

    #[test]
    fn a_taller_box_shows_more_of_what_is_above() {
        let mut p = Pager::default();
        p.show(50, 10);
        p.end();
        assert_eq!(p.top(), 40);
        // The terminal grew: the last row stays at the bottom, the rows above fill the box.
        assert_eq!(p.show(50, 30), 20);
        p.scroll_by(-1);
        assert_eq!(p.top(), 19, "Up moves from what is on screen");
        // Narrower: the same text wraps onto more rows; the position is kept.
        assert_eq!(p.show(120, 30), 19);
    }

    #[test]
    fn before_the_first_frame_the_keys_move_freely_and_the_frame_clamps() {
        let mut p = Pager::default();
        p.page(1, 5);
        assert_eq!(p.top(), 5);
        p.end();
        assert_eq!(p.show(50, 10), 40);
        p.scroll_by(-1);
        assert_eq!(p.top(), 39);
    }
}
