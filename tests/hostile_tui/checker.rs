//! The checkers and their self-tests: the strict tokenizer of the output stream (`scan`), and the
//! vt100 callbacks that record what the emulated terminal was asked to do besides drawing
//! (`Recorder`).

use crate::hostile::{
    C0, C1, CSI, HOSTILE, OSC_CLIPBOARD, OSC_HYPERLINK, OSC_TITLE, WIDE, long_value,
};
use crate::pty::vt100_size;

/// Where in the run a control sequence is legitimate. Entering the alternate screen and
/// clearing it are what the dashboard does when it starts and after a resize; in any other
/// step those bytes can only have come from data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// The first frame: enter the alternate screen, hide the cursor, clear.
    Start,
    /// The full redraw after a resize: crossterm clears the screen first.
    Resized,
    /// Any other step: frames are diffs of cells.
    Steady,
}

/// A byte sequence the dashboard does not emit: where it starts and what it is.
#[derive(Debug)]
pub(crate) struct Foreign {
    pub(crate) at: usize,
    pub(crate) len: usize,
    pub(crate) what: String,
}

/// The SGR parameters crossterm writes for the dashboard's styles with `NO_COLOR` set (every
/// test here runs with it, from `support::opsdeck`): reset (`ESC[m`, `ESC[0m`), bold, dim,
/// italic, underline and reverse on and off, and the colour *resets* ratatui ends a frame with.
/// Nothing that sets a colour: data such as `ESC[31m` cannot pass as the dashboard's own. (A
/// run showed `m 0 1 4 7 22 24 27`; the others are the same attributes' pairs.)
const OUR_SGR: [&str; 14] = [
    "", "0", "1", "2", "3", "4", "7", "22", "23", "24", "27", "39", "49", "59",
];

fn our_sgr(params: &str) -> bool {
    params.split(';').all(|p| OUR_SGR.contains(&p))
}

/// `ESC [ ...` with its parameters: whether the dashboard writes it in `phase`. Cursor
/// positions always carry both coordinates (crossterm's `MoveTo`); a bare `ESC[H`, cursor
/// reports (`6n`), mode changes other than the cursor's visibility, and everything else are
/// foreign.
fn our_csi(private: bool, params: &str, intermediates: &str, fin: u8, phase: Phase) -> bool {
    if !intermediates.is_empty() {
        return false;
    }
    let numbers = |n: usize| {
        let parts: Vec<&str> = params.split(';').collect();
        parts.len() == n
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    match (private, fin) {
        (false, b'H') => numbers(2),
        (false, b'm') => our_sgr(params),
        (false, b'J') => params == "2" && phase != Phase::Steady,
        (true, b'h' | b'l') if params == "25" => true,
        (true, b'h') => params == "1049" && phase == Phase::Start,
        _ => false,
    }
}

/// A character that must never reach the terminal: C0 (except CR and LF), DEL, C1, the bidi
/// embeddings, overrides, isolates and marks, and the invisible characters the sanitiser shows
/// as `<U+...>` (zero-width space and non-joiner, word joiner and invisible operators, line and
/// paragraph separators, BOM). The zero-width joiner and combining marks are text.
fn foreign_char(c: char) -> bool {
    (c < ' ' && c != '\r' && c != '\n')
        || c == '\x7f'
        || ('\u{80}'..='\u{9f}').contains(&c)
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{200b}'
                | '\u{200c}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
        )
}

/// Check `bytes` token by token. Returns how many bytes form complete tokens (a sequence cut
/// off at the end is left for the next call), or the first foreign one.
///
/// A byte stream cannot tell `ESC[0m` or `ESC[3;4H` written by data from the same bytes
/// written by the dashboard, so those few would pass alone; every hostile string carries
/// other sequences or characters with them (`ESC[2J` outside a start or resize, a bare
/// `ESC[H`, a colour under `NO_COLOR`, `ESC[6n`, OSC, C1, bidi), so data that leaks is caught.
pub(crate) fn scan(bytes: &[u8], phase: Phase) -> Result<usize, Foreign> {
    let foreign = |at: usize, len: usize, what: String| Err(Foreign { at, len, what });
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0x1b {
            let Some(&next) = bytes.get(i + 1) else {
                return Ok(i);
            };
            if next != b'[' {
                let what = match next {
                    b']' => "OSC (ESC ])",
                    b'P' => "DCS (ESC P)",
                    b'_' => "APC (ESC _)",
                    b'^' => "PM (ESC ^)",
                    b'X' => "SOS (ESC X)",
                    _ => "an escape sequence other than CSI",
                };
                return foreign(i, 2, what.to_owned());
            }
            // CSI: parameter bytes, intermediate bytes, one final byte (ECMA-48 5.4).
            let mut j = i + 2;
            let private = bytes.get(j) == Some(&b'?');
            if private {
                j += 1;
            }
            let params_start = j;
            while j < bytes.len() && (0x30..=0x3f).contains(&bytes[j]) {
                j += 1;
            }
            let params_end = j;
            while j < bytes.len() && (0x20..=0x2f).contains(&bytes[j]) {
                j += 1;
            }
            let Some(&fin) = bytes.get(j) else {
                return Ok(i);
            };
            let text = |a: usize, b: usize| String::from_utf8_lossy(&bytes[a..b]).into_owned();
            if !(0x40..=0x7e).contains(&fin) {
                return foreign(i, j + 1 - i, "a malformed CSI sequence".to_owned());
            }
            let (params, intermediates) = (text(params_start, params_end), text(params_end, j));
            if !our_csi(private, &params, &intermediates, fin, phase) {
                return foreign(
                    i,
                    j + 1 - i,
                    format!("a CSI sequence the dashboard does not write ({phase:?})"),
                );
            }
            i = j + 1;
            continue;
        }
        if b < 0x80 {
            if foreign_char(char::from(b)) {
                return foreign(i, 1, format!("the control character {b:#04x}"));
            }
            i += 1;
            continue;
        }
        // UTF-8: take one whole character; a character cut off at the end waits.
        let len = match b {
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => return foreign(i, 1, format!("the byte {b:#04x}, not UTF-8")),
        };
        if i + len > bytes.len() {
            return Ok(i);
        }
        let Some(c) = std::str::from_utf8(&bytes[i..i + len])
            .ok()
            .and_then(|s| s.chars().next())
        else {
            return foreign(i, len, "invalid UTF-8".to_owned());
        };
        if foreign_char(c) {
            return foreign(i, len, format!("the character U+{:04X}", c as u32));
        }
        i += len;
    }
    Ok(i)
}

/// The bytes around a foreign sequence, escaped, for the failure message.
pub(crate) fn context(bytes: &[u8], f: &Foreign) -> String {
    let from = f.at.saturating_sub(120);
    let to = (f.at + f.len + 120).min(bytes.len());
    format!(
        "{:?} >>> {:?} <<< {:?}",
        String::from_utf8_lossy(&bytes[from..f.at]),
        String::from_utf8_lossy(&bytes[f.at..f.at + f.len]),
        String::from_utf8_lossy(&bytes[f.at + f.len..to]),
    )
}

// ---------------------------------------------------------------- the emulated terminal

/// What the emulated terminal was asked to do besides drawing cells. Every one of these from
/// the dashboard's output would be data acting on the terminal. (vt100 0.18 keeps no window
/// title or icon name on its `Screen`, as older versions did: it reports them through these
/// callbacks, so recording them is how "the title stays unset" is checked.)
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    pub(crate) events: Vec<String>,
}

impl vt100::Callbacks for Recorder {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("audible bell".into());
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("visual bell".into());
    }
    fn resize(&mut self, _: &mut vt100::Screen, request: (u16, u16)) {
        self.events.push(format!("resize request {request:?}"));
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.events.push(format!(
            "icon name set to {:?}",
            String::from_utf8_lossy(name)
        ));
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.events.push(format!(
            "window title set to {:?}",
            String::from_utf8_lossy(title)
        ));
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, ty: &[u8], data: &[u8]) {
        self.events.push(format!(
            "clipboard {:?} written: {:?}",
            String::from_utf8_lossy(ty),
            String::from_utf8_lossy(data)
        ));
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, ty: &[u8]) {
        self.events
            .push(format!("clipboard {:?} read", String::from_utf8_lossy(ty)));
    }
    fn unhandled_char(&mut self, _: &mut vt100::Screen, c: char) {
        self.events
            .push(format!("unhandled character U+{:04X}", c as u32));
    }
    fn unhandled_control(&mut self, _: &mut vt100::Screen, b: u8) {
        self.events.push(format!("unhandled control {b:#04x}"));
    }
    fn unhandled_escape(&mut self, _: &mut vt100::Screen, i1: Option<u8>, i2: Option<u8>, b: u8) {
        self.events.push(format!(
            "unhandled escape {i1:?} {i2:?} {:?}",
            char::from(b)
        ));
    }
    fn unhandled_csi(
        &mut self,
        _: &mut vt100::Screen,
        i1: Option<u8>,
        i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        self.events
            .push(format!("unhandled CSI {i1:?} {i2:?} {params:?} {c:?}"));
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        let params: Vec<_> = params.iter().map(|p| String::from_utf8_lossy(p)).collect();
        self.events.push(format!("unhandled OSC {params:?}"));
    }
}

// ---------------------------------------------------------------- self-tests

/// Bytes shaped like a frame of the dashboard: position, style, text, resets.
fn frame_with(text: &str) -> Vec<u8> {
    let mut out = b"\x1b[3;1H\x1b[1m opsdeck \x1b[0m\x1b[4;2H".to_vec();
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m\x1b[?25l");
    out
}

#[test]
fn the_stream_checker_catches_every_attack_written_raw() {
    // Every hostile string but the wide one (which is plain text) is caught raw, in any phase,
    // and each of them again inside the 10,000-character value's mix.
    for attack in HOSTILE.iter().copied().filter(|&s| s != WIDE) {
        let bytes = frame_with(attack);
        for phase in [Phase::Start, Phase::Resized, Phase::Steady] {
            assert!(
                scan(&bytes, phase).is_err(),
                "{attack:?} passed the checker in {phase:?}"
            );
        }
    }
    assert_eq!(
        scan(&frame_with(WIDE), Phase::Steady).unwrap(),
        frame_with(WIDE).len()
    );
    for piece in ["\u{202e}", "\u{9b}"] {
        assert!(scan(&frame_with(&format!("漢e\u{301}{piece}x")), Phase::Steady).is_err());
    }
    // The long value starts with a colour; NO_COLOR frames have none.
    assert!(scan(&frame_with(&long_value()), Phase::Steady).is_err());
    // Sequences that look like the dashboard's own but are not, in a steady frame.
    for foreign in [
        "\x1b[2J",
        "\x1b[H",
        "\x1b[?1049l",
        "\x1b[?1049h",
        "\x1b[6n",
        "\x1b[31m",
        "\x1b[38;5;1m",
        "\x1b[?1000h",
        "\x1bc",
        "\x1b7",
        "\x1b[1 q",
        "\u{9b}2J",
    ] {
        assert!(
            scan(&frame_with(foreign), Phase::Steady).is_err(),
            "{foreign:?} passed the checker"
        );
    }
}

#[test]
fn the_stream_checker_accepts_the_dashboards_own_output_and_waits_for_cut_sequences() {
    let safe = format!("{WIDE} e\u{301}\u{302} nj\u{200d}j ␛]0;title␇ <U+202E>");
    let frame = frame_with(&safe);
    assert_eq!(scan(&frame, Phase::Steady).unwrap(), frame.len());
    let start = b"\x1b[?1049h\x1b[?25l\x1b[2J\x1b[1;1Hx";
    assert_eq!(scan(start, Phase::Start).unwrap(), start.len());
    assert!(scan(start, Phase::Steady).is_err());
    assert!(scan(b"\x1b[2J", Phase::Resized).is_ok());
    // A sequence or character cut off by a read boundary is left for the next read.
    assert_eq!(scan(b"ab\x1b[12;", Phase::Steady).unwrap(), 2);
    assert_eq!(scan(b"ab\x1b", Phase::Steady).unwrap(), 2);
    assert_eq!(
        scan("ab漢".as_bytes().split_at(4).0, Phase::Steady).unwrap(),
        2
    );
}

#[test]
fn the_emulated_terminal_marks_a_row_written_past_its_width() {
    // The layout check relies on this: a cell wider on the terminal than ratatui thought pushes
    // the rest of its row past the last column, and the terminal wraps it onto the next row.
    let mut terminal = vt100::Parser::new(vt100_size(3), vt100_size(10), 0);
    terminal.process("\x1b[1;1H0123456789".as_bytes());
    assert!(!terminal.screen().row_wrapped(0));
    terminal.process("\x1b[2;1H漢字漢字漢x".as_bytes());
    assert!(terminal.screen().row_wrapped(1));
}

#[test]
fn the_emulated_terminal_reports_what_the_attacks_would_do() {
    for attack in [OSC_TITLE, OSC_CLIPBOARD, OSC_HYPERLINK, CSI, C0, C1] {
        let mut terminal = vt100::Parser::new_with_callbacks(
            vt100_size(24),
            vt100_size(80),
            0,
            Recorder::default(),
        );
        terminal.process(attack.as_bytes());
        assert!(
            !terminal.callbacks().events.is_empty(),
            "{attack:?} did nothing the recorder saw"
        );
    }
}
