//! Text broken into rows by the renderer itself, where the number of rows must be known
//! exactly: a box that sizes itself to its text, or a view that keeps its last lines on screen
//! whatever the length of the data above them.

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

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

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
}
