//! The one form widget: a box in the middle of the pane as high as its wrapped rows, with the
//! form's intro lines, one row per field (text fields show as much of their value as fits, choice
//! fields `◂ value ▸`), the error of the last submit or a note, and the keys from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::wrap::wrap;
use super::{Theme, safe};
use crate::app::form::Form;
use crate::config::keymap::{Action, Keymap};
use crate::domain::sanitize::truncate_to_width;

/// What a form says besides its fields.
pub struct Look<'a> {
    pub title: &'a str,
    /// Lines above the fields (what the form acts on).
    pub intro: Vec<String>,
    /// A line under the fields when there is no error (what the fields mean).
    pub note: &'a str,
    /// What submitting does, after the submit key: "reviews the plan", "searches".
    pub submit: &'a str,
}

/// Draw `form` in the middle of `area`.
pub fn render<K>(
    form: &Form<K>,
    look: Look<'_>,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let mut lines: Vec<FormLine> = look.intro.iter().map(FormLine::text).collect();
    if !lines.is_empty() {
        lines.push(FormLine::text(""));
    }
    for (i, f) in form.fields.iter().enumerate() {
        let value = if f.is_choice() {
            format!("◂ {} ▸", f.value())
        } else {
            f.input.value().to_owned()
        };
        lines.push(FormLine::Field {
            label: f.label.to_string(),
            value,
            focused: i == form.focus,
        });
    }
    lines.push(FormLine::text(""));
    match &form.error {
        Some(e) => lines.push(FormLine::Text(safe(e).into_owned(), theme.error)),
        None if !look.note.is_empty() => {
            lines.push(FormLine::Text(look.note.to_owned(), theme.dim));
        }
        None => {}
    }
    lines.push(FormLine::Text(keys_line(form, &look, keymap), theme.dim));
    popup(lines, look.title, theme, frame, area);
}

/// The form's keys as the keymap binds them, e.g. `Tab next field · Enter reviews the plan ·
/// Esc cancels`.
fn keys_line<K>(form: &Form<K>, look: &Look<'_>, keymap: &Keymap) -> String {
    let key = |a| keymap.label(a);
    let mut parts = Vec::new();
    if form.fields.len() > 1 {
        parts.push(format!("{} next field", key(Action::FormNextField)));
    }
    if form.fields.iter().any(|f| f.is_choice()) {
        parts.push(format!(
            "{}/{} choose",
            key(Action::FormPrevChoice),
            key(Action::FormNextChoice)
        ));
    }
    if form.editor {
        parts.push(format!("{} edits in $EDITOR", key(Action::FormEditor)));
    }
    parts.push(format!("{} {}", key(Action::FormSubmit), look.submit));
    parts.push(format!("{} cancels", key(Action::FormCancel)));
    parts.join(" · ")
}

/// One line of a form: text, wrapped to the box, or a field, on one row whatever its length.
enum FormLine {
    Text(String, Style),
    Field {
        label: String,
        value: String,
        focused: bool,
    },
}

impl FormLine {
    fn text(text: impl Into<String>) -> Self {
        FormLine::Text(text.into(), Style::new())
    }
}

/// A field's row: the label, the focus marker and as much of the value as fits. A rerun form
/// comes filled with the execution's name and input, which can be thousands of characters: the
/// focused field shows its end (where typing goes), the other its start; `C-e` edits it all.
fn field<'a>(
    theme: &Theme,
    (label, label_width): (&str, usize),
    value: &str,
    focused: bool,
    width: usize,
) -> Line<'a> {
    let room = width.saturating_sub(label_width + 2);
    let value = safe(value);
    let shown = if focused {
        tail_to_width(&value, room)
    } else {
        truncate_to_width(&value, room).into_owned()
    };
    Line::from(vec![
        Span::styled(format!("{label:<label_width$}"), theme.heading),
        Span::styled(if focused { "> " } else { "  " }, theme.title),
        Span::styled(
            shown,
            if focused {
                theme.selected
            } else {
                Style::new()
            },
        ),
    ])
}

/// The end of `s` in at most `width` columns, after a `…` when the start was cut.
pub fn tail_to_width(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let budget = width.saturating_sub(1);
    let mut used = 0;
    let mut start = s.len();
    for (i, c) in s.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        start = i;
    }
    // A combining mark whose base was cut would attach to the ellipsis.
    let tail = s[start..].trim_start_matches(|c: char| c.width() == Some(0));
    if width == 0 {
        String::new()
    } else {
        format!("…{tail}")
    }
}

/// A box in the middle of `area` holding `lines`, as high as their rows: text is wrapped here,
/// so the rows are known and the last lines (an error, the keys) are never pushed out.
fn popup(lines: Vec<FormLine>, title: &str, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.min(90);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let label_width = lines
        .iter()
        .filter_map(|l| match l {
            FormLine::Field { label, .. } => Some(label.width() + 1),
            FormLine::Text(..) => None,
        })
        .max()
        .unwrap_or(0)
        .max(7);
    let rows: Vec<Line> = lines
        .into_iter()
        .flat_map(|line| match line {
            FormLine::Text(text, style) => wrap(&text, inner)
                .into_iter()
                .map(|row| Line::styled(row, style))
                .collect(),
            FormLine::Field {
                label,
                value,
                focused,
            } => vec![field(theme, (&label, label_width), &value, focused, inner)],
        })
        .collect();
    let height = u16::try_from(rows.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(rows).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(format!(" {title} ")),
        ),
        rect,
    );
}
