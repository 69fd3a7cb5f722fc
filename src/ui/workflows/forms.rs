//! The start (and rerun) and stop forms: boxes as high as their wrapped rows, fields on one row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::workflows::{StartForm, StopForm};
use crate::domain::sanitize::truncate_to_width;
use crate::ui::wrap::wrap;
use crate::ui::{Theme, safe};

/// One line of a form: text, wrapped to the box, or a field, on one row whatever its length.
enum FormLine<'a> {
    Text(String, Style),
    Field {
        label: &'static str,
        value: &'a str,
        focused: bool,
    },
}

impl FormLine<'_> {
    fn text(text: impl Into<String>) -> Self {
        FormLine::Text(text.into(), Style::new())
    }
}

/// A field's row: the label, the focus marker and as much of the value as fits. A rerun form
/// comes filled with the execution's name and input, which can be thousands of characters: the
/// focused field shows its end (where typing goes), the other its start; `C-e` edits it all.
fn field<'a>(theme: &Theme, label: &str, value: &str, focused: bool, width: usize) -> Line<'a> {
    const PREFIX: usize = 9;
    let room = width.saturating_sub(PREFIX);
    let value = safe(value);
    let shown = if focused {
        tail_to_width(&value, room)
    } else {
        truncate_to_width(&value, room).into_owned()
    };
    Line::from(vec![
        Span::styled(format!("{label:<7}"), theme.heading),
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
pub(super) fn tail_to_width(s: &str, width: usize) -> String {
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
            } => vec![field(theme, label, value, focused, inner)],
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
                .border_style(theme.title)
                .title(format!(" {title} ")),
        ),
        rect,
    );
}

const FORM_KEYS: &str =
    "Tab switches field, C-e edits the input in $EDITOR, Enter reviews the plan, Esc cancels";

pub(super) fn render_stop_form(form: &StopForm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines = vec![
        FormLine::text(format!("Execution {}", safe(&form.name))),
        FormLine::text(""),
        FormLine::Field {
            label: "error",
            value: form.error.value(),
            focused: form.focus == 0,
        },
        FormLine::Field {
            label: "cause",
            value: form.cause.value(),
            focused: form.focus == 1,
        },
        FormLine::text(""),
        FormLine::Text(
            "Both are optional and recorded with the stop.".into(),
            theme.dim,
        ),
        FormLine::Text(FORM_KEYS.into(), theme.dim),
    ];
    popup(lines, "stop an execution", theme, frame, area);
}

pub(super) fn render_form(form: &StartForm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        FormLine::text(format!("State machine {}", safe(&form.machine.name))),
        FormLine::text(""),
        FormLine::Field {
            label: "name",
            value: form.name.value(),
            focused: form.focus == 0,
        },
        FormLine::Field {
            label: "input",
            value: form.input.value(),
            focused: form.focus == 1,
        },
        FormLine::text(""),
    ];
    lines.push(match &form.error {
        Some(e) => FormLine::Text(safe(e).into_owned(), theme.error),
        None => FormLine::Text(
            "The input must be JSON; it is checked before the plan is shown.".into(),
            theme.dim,
        ),
    });
    lines.push(FormLine::Text(FORM_KEYS.into(), theme.dim));
    popup(lines, "start an execution", theme, frame, area);
}
