//! The one sanitiser every AWS-derived string passes through before it reaches a terminal, a table or a
//! CSV file, plus a JSON formatter that applies the same rules to JSON output by escaping instead of
//! replacing (so the JSON keeps exactly the same values).
//!
//! AWS lets tenants and other operators put almost anything into names, tags, attributes and execution
//! input. Printed raw, such a string can clear the screen, retitle the window, write the clipboard
//! (OSC 52), hide a hyperlink (OSC 8), or reorder and hide text (bidi overrides, zero-width characters).
//! The rules here make every such character visible instead:
//!
//! - C0 controls and DEL become their Unicode Control Pictures (`␛`, `␉`, `␊`, `␡`, ...), so an escape
//!   sequence shows up as harmless text such as `␛[2J`.
//! - C1 controls, bidi embeddings/overrides/isolates/marks, line/paragraph separators and the
//!   default-ignorable (invisible) characters become `<U+XXXX>`.
//! - The zero-width joiner, variation selectors and ordinary combining marks stay: emoji sequences, CJK
//!   variants and accented text depend on them and they cannot hide or reorder text on their own.

use std::borrow::Cow;
use std::io;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// What a hazardous character turns into.
enum Replacement {
    /// A single visible stand-in character (the Control Pictures block).
    Picture(char),
    /// The `<U+XXXX>` notation.
    CodePoint,
}

/// How to treat `c`; `None` means it is safe to print as is.
fn classify(c: char) -> Option<Replacement> {
    let code = c as u32;
    match code {
        // C0: U+2400 + code is the matching Control Picture (␀..␟).
        0x00..=0x1F => char::from_u32(0x2400 + code).map(Replacement::Picture),
        0x7F => Some(Replacement::Picture('\u{2421}')),
        _ if is_hidden_or_reordering(code) => Some(Replacement::CodePoint),
        _ => None,
    }
}

/// C1 controls plus the characters that are invisible or change the display order of other text.
///
/// Based on Unicode's Default_Ignorable_Code_Point set, minus the joiners and selectors that emoji and
/// CJK text need (U+200D ZWJ, U+FE00–U+FE0F, U+180B–U+180D and U+180F, U+E0100–U+E01EF), plus the
/// line/paragraph separators and interlinear annotation controls. Tag characters (U+E0000–U+E007F)
/// are shown too: they only matter inside rare flag emoji but are a known way to smuggle hidden text.
fn is_hidden_or_reordering(code: u32) -> bool {
    matches!(
        code,
        0x80..=0x9F                // C1 controls (CSI, OSC, NEL, ... as single code points)
        | 0xAD                     // soft hyphen
        | 0x34F                    // combining grapheme joiner
        | 0x61C                    // Arabic letter mark
        | 0x115F | 0x1160          // Hangul fillers: invisible "letters" used for blank-looking names
        | 0x17B4 | 0x17B5          // Khmer inherent vowels (invisible)
        | 0x180E                   // Mongolian vowel separator
        | 0x200B | 0x200C          // zero-width space, zero-width non-joiner
        | 0x200E | 0x200F          // left-to-right / right-to-left marks
        | 0x2028 | 0x2029          // line / paragraph separators
        | 0x202A..=0x202E          // bidi embeddings and overrides
        | 0x2060..=0x206F          // word joiner, invisible operators, bidi isolates, deprecated formats
        | 0x3164 | 0xFFA0          // Hangul fillers
        | 0xFEFF                   // zero-width no-break space / BOM
        | 0xFFF0..=0xFFFB          // unassigned default-ignorables, interlinear annotation
        | 0x1BCA0..=0x1BCA3        // shorthand format controls
        | 0x1D173..=0x1D17A        // musical format controls
        | 0xE0000..=0xE00FF        // tags and reserved default-ignorables
        | 0xE01F0..=0xE0FFF // reserved default-ignorables after the variation selectors
    )
}

/// Whether `c` must not reach a terminal as is. The JSON formatter escapes exactly these characters.
pub fn is_hazard(c: char) -> bool {
    classify(c).is_some()
}

/// Make `s` safe to print on one line: every control and every invisible or reordering character
/// becomes visible (see the module docs). Borrows when nothing needs changing, which is the common case.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    sanitize_with(s, false)
}

/// Like [`sanitize`], but keeps `\n` so multi-line text (pretty-printed JSON, stack traces) keeps its
/// lines. A `\r` is still shown as `␍`, so `\r\n` text shows a visible `␍` at each line end.
pub fn sanitize_multiline(s: &str) -> Cow<'_, str> {
    sanitize_with(s, true)
}

fn sanitize_with(s: &str, keep_newline: bool) -> Cow<'_, str> {
    // Printable ASCII is by far the most common input: one byte scan settles it.
    if s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Cow::Borrowed(s);
    }
    let needs = |c: char| !(keep_newline && c == '\n') && is_hazard(c);
    let Some(first) = s.char_indices().find(|&(_, c)| needs(c)).map(|(i, _)| i) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match classify(c) {
            Some(_) if keep_newline && c == '\n' => out.push(c),
            Some(Replacement::Picture(p)) => out.push(p),
            Some(Replacement::CodePoint) => push_code_point(&mut out, c),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn push_code_point(out: &mut String, c: char) {
    use std::fmt::Write as _;
    // Writing into a String cannot fail.
    let _ = write!(out, "<U+{:04X}>", c as u32);
}

/// Cut `s` to at most `max_width` terminal columns, ending in `…` when something was cut. Never splits
/// a character; a wide character that would straddle the limit is left out whole. Borrows when `s`
/// already fits. Expects sanitised input (controls count as zero width).
pub fn truncate_to_width(s: &str, max_width: usize) -> Cow<'_, str> {
    if s.width() <= max_width {
        return Cow::Borrowed(s);
    }
    if max_width == 0 {
        return Cow::Borrowed("");
    }
    // One column is reserved for the ellipsis.
    let budget = max_width - 1;
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    // The string width can exceed the sum of char widths for a few sequences (some emoji
    // presentation forms); drop characters until the cut really fits.
    let mut head = &s[..end];
    while head.width() > budget {
        let Some((i, _)) = head.char_indices().next_back() else {
            break;
        };
        head = &head[..i];
    }
    let mut out = String::with_capacity(head.len() + '…'.len_utf8());
    out.push_str(head);
    out.push('…');
    Cow::Owned(out)
}

/// A `serde_json` formatter that additionally escapes every [`is_hazard`] character as `\uXXXX`
/// (serde_json escapes C0 controls itself but lets DEL, C1, bidi and separators through). The JSON
/// stays exactly equivalent — every parser reads the same values back — but printing it on a terminal
/// is safe. Wrap `PrettyFormatter` or `CompactFormatter`.
#[derive(Debug, Clone, Default)]
pub struct SafeJsonFormatter<F>(pub F);

/// Pretty-printed, terminal-safe JSON of `value`, without a trailing newline.
pub fn to_json_pretty_safe<W: io::Write, T: serde::Serialize + ?Sized>(
    out: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        SafeJsonFormatter(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser)
}

/// Compact (one-line), terminal-safe JSON of `value`, without a trailing newline.
pub fn to_json_line_safe<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(
        &mut buf,
        SafeJsonFormatter(serde_json::ser::CompactFormatter),
    );
    value.serialize(&mut ser)?;
    Ok(buf)
}

fn write_json_escape<W: ?Sized + io::Write>(writer: &mut W, c: char) -> io::Result<()> {
    let mut units = [0u16; 2];
    for unit in c.encode_utf16(&mut units) {
        write!(writer, "\\u{unit:04X}")?;
    }
    Ok(())
}

/// Forwards formatter methods to the wrapped formatter, so any formatting choice it makes survives.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $name<W: ?Sized + io::Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> io::Result<()> {
                self.0.$name(writer $(, $arg)*)
            }
        )*
    };
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeJsonFormatter<F> {
    forward! {
        write_null();
        write_bool(value: bool);
        write_i8(value: i8);
        write_i16(value: i16);
        write_i32(value: i32);
        write_i64(value: i64);
        write_i128(value: i128);
        write_u8(value: u8);
        write_u16(value: u16);
        write_u32(value: u32);
        write_u64(value: u64);
        write_u128(value: u128);
        write_f32(value: f32);
        write_f64(value: f64);
        write_number_str(value: &str);
        begin_string();
        end_string();
        write_char_escape(char_escape: serde_json::ser::CharEscape);
        write_byte_array(value: &[u8]);
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
        write_raw_fragment(fragment: &str);
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // serde_json hands over runs that contain no character it escapes itself (so no C0 here).
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hazard(c) {
                if start < i {
                    self.0.write_string_fragment(writer, &fragment[start..i])?;
                }
                write_json_escape(writer, c)?;
                start = i + c.len_utf8();
            }
        }
        if start < fragment.len() {
            self.0.write_string_fragment(writer, &fragment[start..])?;
        }
        Ok(())
    }
}

/// An endpoint URL as it may be shown (whoami, the dashboard's header, logs): without the
/// `user:pass@` part before the host, which can hold a secret.
pub fn without_userinfo(url: &str) -> Cow<'_, str> {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return Cow::Borrowed(url);
    };
    let rest = &url[scheme_end..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    match authority.rfind('@') {
        Some(at) => Cow::Owned(format!("{}{}", &url[..scheme_end], &rest[at + 1..])),
        None => Cow::Borrowed(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A character a terminal may act on instead of printing.
    fn is_terminal_control(c: char) -> bool {
        c.is_control() || is_hazard(c)
    }

    #[test]
    fn plain_ascii_is_borrowed_unchanged() {
        let s = "acme-prod: arn:aws:iam::123456789012:role/Admin ~!@#$%^&*()_+{}|[]\\";
        assert!(matches!(sanitize(s), Cow::Borrowed(x) if x == s));
        assert!(matches!(sanitize_multiline(s), Cow::Borrowed(x) if x == s));
    }

    #[test]
    fn safe_unicode_is_borrowed_unchanged() {
        let s = "Zoë Müller — 東京テナント 👩‍💻 e\u{301}";
        assert!(matches!(sanitize(s), Cow::Borrowed(x) if x == s));
    }

    #[test]
    fn csi_clear_screen_becomes_visible() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a␛[2Jb");
    }

    #[test]
    fn osc_title_clipboard_and_hyperlink_sequences_become_visible() {
        assert_eq!(sanitize("\x1b]0;pwned\x07"), "␛]0;pwned␇");
        assert_eq!(
            sanitize("\x1b]52;c;ZWNobyBoaQ==\x1b\\"),
            "␛]52;c;ZWNobyBoaQ==␛\\"
        );
        assert_eq!(
            sanitize("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"),
            "␛]8;;https://evil.example␛\\click␛]8;;␛\\"
        );
    }

    #[test]
    fn c0_controls_and_del_become_control_pictures() {
        assert_eq!(sanitize("\0\t\r\n\x7f"), "␀␉␍␊␡");
    }

    #[test]
    fn c1_controls_become_code_points() {
        // U+009B is CSI and U+009D is OSC on terminals that honour 8-bit controls.
        assert_eq!(sanitize("a\u{9b}2Jb\u{9d}0;x"), "a<U+009B>2Jb<U+009D>0;x");
        assert_eq!(sanitize("\u{85}"), "<U+0085>");
    }

    #[test]
    fn bidi_overrides_isolates_and_marks_become_code_points() {
        assert_eq!(sanitize("user\u{202E}gpj.exe"), "user<U+202E>gpj.exe");
        assert_eq!(
            sanitize("\u{2066}a\u{2069}\u{200E}\u{200F}\u{61C}"),
            "<U+2066>a<U+2069><U+200E><U+200F><U+061C>"
        );
    }

    #[test]
    fn zero_width_and_invisible_characters_become_code_points() {
        assert_eq!(
            sanitize("ac\u{200B}me\u{2060}\u{FEFF}\u{AD}\u{2028}\u{2029}"),
            "ac<U+200B>me<U+2060><U+FEFF><U+00AD><U+2028><U+2029>"
        );
        assert_eq!(sanitize("\u{E0041}"), "<U+E0041>");
        assert_eq!(sanitize("\u{3164}"), "<U+3164>");
    }

    #[test]
    fn zwj_variation_selectors_and_combining_marks_are_kept() {
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(sanitize(family), family);
        assert_eq!(sanitize("❤\u{FE0F}"), "❤\u{FE0F}");
        assert_eq!(sanitize("e\u{301}\u{308}"), "e\u{301}\u{308}");
    }

    #[test]
    fn wide_cjk_text_is_kept() {
        assert_eq!(sanitize("テナント管理"), "テナント管理");
    }

    #[test]
    fn multiline_keeps_newlines_but_not_other_controls() {
        assert_eq!(
            sanitize_multiline("{\n  \"a\": 1\r\n}\x1b"),
            "{\n  \"a\": 1␍\n}␛"
        );
        assert_eq!(sanitize("a\nb"), "a␊b");
    }

    #[test]
    fn long_hostile_string_is_fully_sanitised() {
        let s: String = "ab\x1b[31m\u{202E}".repeat(1_250);
        assert_eq!(s.chars().count(), 10_000);
        let out = sanitize(&s);
        assert!(!out.chars().any(is_terminal_control));
        assert_eq!(out.matches('␛').count(), 1_250);
        assert_eq!(out.matches("<U+202E>").count(), 1_250);
    }

    #[test]
    fn sanitising_twice_changes_nothing_more() {
        let inputs = [
            "\x1b]52;c;AAAA\x07",
            "\u{9b}\u{202E}\u{200B}x\n",
            "plain",
            "<U+202E> already escaped-looking",
        ];
        for s in inputs {
            let once = sanitize(s).into_owned();
            assert_eq!(sanitize(&once), once.as_str(), "input {s:?}");
            let once = sanitize_multiline(s).into_owned();
            assert_eq!(sanitize_multiline(&once), once.as_str(), "input {s:?}");
        }
    }

    #[test]
    fn no_control_survives_for_any_code_point() {
        for code in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut buf = [0u8; 4];
            let s: &str = c.encode_utf8(&mut buf);
            let out = sanitize(s);
            assert!(
                !out.chars().any(is_terminal_control),
                "U+{code:04X} -> {out:?}"
            );
            let multi = sanitize_multiline(s);
            assert!(
                !multi.chars().any(|c| c != '\n' && is_terminal_control(c)),
                "U+{code:04X} -> {multi:?}"
            );
        }
    }

    #[test]
    fn every_c0_c1_and_general_punctuation_control_is_replaced() {
        let ranges = (0u32..=0xFF).chain(0x2000..=0x206F);
        for code in ranges {
            let c = char::from_u32(code).unwrap();
            let s = c.to_string();
            let out = sanitize(&s);
            let must_change = c.is_control()
                || matches!(code, 0x200B | 0x200C | 0x200E | 0x200F | 0x2028..=0x202E)
                || (0x2060..=0x206F).contains(&code)
                || code == 0xAD;
            assert_eq!(out != s, must_change, "U+{code:04X} -> {out:?}");
        }
    }

    #[test]
    fn truncate_borrows_when_it_fits() {
        assert!(matches!(truncate_to_width("abc", 3), Cow::Borrowed("abc")));
        assert!(matches!(truncate_to_width("", 0), Cow::Borrowed("")));
    }

    #[test]
    fn truncate_cuts_and_adds_an_ellipsis_within_the_width() {
        assert_eq!(truncate_to_width("abcdef", 4), "abc…");
        assert_eq!(truncate_to_width("abcdef", 1), "…");
        assert_eq!(truncate_to_width("abcdef", 0), "");
    }

    #[test]
    fn truncate_never_splits_a_wide_character() {
        // Each CJK character is two columns: 5 columns fit two of them plus the ellipsis.
        let out = truncate_to_width("東京都庁舎", 6);
        assert_eq!(out, "東京…");
        assert!(out.width() <= 6);
        assert_eq!(truncate_to_width("東京都庁舎", 2), "…");
    }

    #[test]
    fn truncate_keeps_combining_marks_with_their_base() {
        assert_eq!(
            truncate_to_width("e\u{301}e\u{301}e\u{301}", 2),
            "e\u{301}…"
        );
    }

    #[test]
    fn truncated_output_never_exceeds_the_width() {
        let s = "a東👩‍💻e\u{301}❤\u{FE0F}b".repeat(5);
        for max in 0..40 {
            assert!(truncate_to_width(&s, max).width() <= max, "max {max}");
        }
    }

    #[test]
    fn safe_json_escapes_hazards_and_round_trips() {
        let value = serde_json::json!({
            "name\u{202E}": "a\x1b[2J\u{7f}\u{9b}\u{2028}\u{200B}\u{E0041}b",
            "plain": "東京 👩‍💻",
        });
        let mut out = Vec::new();
        to_json_pretty_safe(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.chars().any(|c| c != '\n' && is_terminal_control(c)),
            "{text}"
        );
        assert!(text.contains("\\u202E"), "{text}");
        assert!(text.contains("\\uDB40\\uDC41"), "{text}");
        assert!(text.contains("東京 👩‍💻"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn safe_json_line_is_one_line_and_round_trips() {
        let value = serde_json::json!({"a": [1, 2.5, null, true, "x\ny\u{85}"]});
        let line = to_json_line_safe(&value).unwrap();
        let text = String::from_utf8(line).unwrap();
        assert!(!text.contains('\n'));
        assert_eq!(text, r#"{"a":[1,2.5,null,true,"x\ny\u0085"]}"#);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn endpoints_are_shown_without_user_and_password() {
        assert_eq!(
            without_userinfo("http://user:pass@127.0.0.1:5000/x?a=b@c"),
            "http://127.0.0.1:5000/x?a=b@c"
        );
        assert_eq!(without_userinfo("https://a@b@host"), "https://host");
        assert_eq!(
            without_userinfo("http://127.0.0.1:5000/p@th"),
            "http://127.0.0.1:5000/p@th"
        );
        assert_eq!(without_userinfo("not a url@x"), "not a url@x");
    }
}
