//! Text broken into rows by the renderer itself, where the number of rows must be known
//! exactly: a box that sizes itself to its text, a view that keeps its last lines on screen
//! whatever the length of the data above them, or a text scrolled by rows (a report, an event's
//! input and output) that must stop with its last row at the bottom.

use unicode_width::UnicodeWidthStr;

use super::safe;
use crate::app::pager::Pager;

/// `text` broken into rows at most `width` columns wide: at spaces where it can (the space at a
/// break is dropped, leading spaces are kept), inside a word longer than a row where it must
/// (a long word starts a row of its own).
/// Never splits a character; zero-width ones (combining marks) stay with the one before.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width.max(1)).break_words(true);
    let rows: Vec<String> = textwrap::wrap(text, options)
        .into_iter()
        .map(|row| row.into_owned())
        .collect();
    if rows.is_empty() {
        vec![String::new()]
    } else {
        rows
    }
}

/// The rows of `lines`, made safe and wrapped as [`wrap`] does at `width`, that a box of `fit`
/// rows shows at `pager`'s position, each with the index of the line it belongs to. Tells the
/// pager how many rows the whole text has, so its keys stop at the last one.
///
/// The whole text is measured once per width (the pager keeps the measure); a frame then wraps
/// only the lines on screen, so a report of thousands of lines costs what a screen does.
pub fn page<L: AsRef<str>>(
    lines: &[L],
    width: usize,
    fit: usize,
    pager: &Pager,
) -> Vec<(usize, String)> {
    let ends = pager.ends(width, lines.len(), || {
        let mut end = 0;
        lines
            .iter()
            .map(|l| {
                let line = safe(l.as_ref());
                end += if fits(&line, width) {
                    1
                } else {
                    wrap(&line, width).len()
                };
                end
            })
            .collect()
    });
    let top = pager.show(ends.last().copied().unwrap_or(0), fit);
    // The first line with a row at `top` or below, and the row it starts at.
    let first = ends.partition_point(|&end| end <= top);
    let mut row = first.checked_sub(1).map_or(0, |i| ends[i]);
    let mut shown = Vec::with_capacity(fit);
    for (i, l) in lines.iter().enumerate().skip(first) {
        if shown.len() >= fit {
            break;
        }
        let line = safe(l.as_ref());
        let rows = if fits(&line, width) {
            vec![line.into_owned()]
        } else {
            wrap(&line, width)
        };
        let room = fit - shown.len();
        let skip = top.saturating_sub(row);
        shown.extend(rows.into_iter().skip(skip).take(room).map(|r| (i, r)));
        row = ends[i];
    }
    shown
}

/// A line that fits is one row as it is, never wrapped: most lines of most texts.
fn fits(line: &str, width: usize) -> bool {
    line.width() <= width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_leading_ones() {
        assert_eq!(wrap("  1. stop it now", 9), ["  1. stop", "it now"]);
        assert_eq!(wrap("short", 10), ["short"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn wrap_breaks_inside_words_longer_than_a_row() {
        assert_eq!(wrap("ab cdefghij", 4), ["ab", "cdef", "ghij"]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn wrapped_rows_never_exceed_the_width_nor_split_wide_characters() {
        let text = "Type evil-user ␛]0;pwned window title␇漢字テスト🦀🦀 e\u{301}\u{302} <U+202E>x to confirm";
        for width in 1..40 {
            let rows = wrap(text, width);
            for row in &rows {
                // A wide character on a row of width 1 is the one case that cannot fit.
                assert!(row.width() <= width.max(2), "{width}: {row:?}");
            }
            let joined: String = rows.concat();
            assert_eq!(
                joined.replace(' ', ""),
                text.replace(' ', ""),
                "{width}: no character lost"
            );
        }
    }

    /// Lines of several rows, scrolled to every position: each screen is the run of rows the
    /// whole text wrapped would have there, and the last screen ends with the last row.
    #[test]
    fn a_page_is_a_window_on_the_wrapped_rows() {
        let lines = [
            "error: States.TaskFailed",
            "cause: the lambda returned a very long message that wraps over several rows",
            "",
            "done",
        ];
        let width = 12;
        let all: Vec<(usize, String)> = lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| wrap(l, width).into_iter().map(move |r| (i, r)))
            .collect();
        let fit = 4;
        let mut pager = Pager::default();
        let first = page(&lines, width, fit, &pager);
        assert_eq!(first, all[..fit]);
        assert_eq!(pager.rows(), Some(all.len()));
        let mut seen = vec![first];
        for _ in 0..all.len() {
            pager.scroll_by(1);
            seen.push(page(&lines, width, fit, &pager));
        }
        for (top, screen) in seen.iter().enumerate() {
            let top = top.min(all.len() - fit);
            assert_eq!(screen[..], all[top..top + fit], "scrolled to {top}");
        }
        assert_eq!(
            seen.last().unwrap().last(),
            all.last(),
            "the last row is reached"
        );
    }

    #[test]
    fn a_page_is_measured_again_at_another_width() {
        let lines = ["one two three four five six"];
        let pager = Pager::default();
        assert_eq!(page(&lines, 10, 5, &pager).len(), 3);
        assert_eq!(pager.rows(), Some(3));
        assert_eq!(page(&lines, 40, 5, &pager).len(), 1);
        assert_eq!(pager.rows(), Some(1));
        assert_eq!(page(&lines, 4, 5, &pager).len(), 5);
        assert_eq!(pager.rows(), Some(7));
    }

    #[test]
    fn a_page_is_made_safe_before_it_is_measured() {
        // Each control byte becomes a picture one column wide: the row is measured after that.
        let lines = ["ab\x1b[2Jcd"];
        let rows = page(&lines, 4, 5, &Pager::default());
        assert!(rows.iter().all(|(_, r)| !r.contains('\x1b')), "{rows:?}");
        assert_eq!(
            rows.iter().map(|(_, r)| r.as_str()).collect::<String>(),
            "ab␛[2Jcd"
        );
    }

    #[test]
    fn a_page_of_nothing_is_empty() {
        let pager = Pager::default();
        assert!(page::<&str>(&[], 10, 5, &pager).is_empty());
        assert_eq!(pager.rows(), Some(0));
        assert!(page(&["a"], 10, 0, &pager).is_empty());
    }
}
