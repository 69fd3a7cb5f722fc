//! The form on screen: its fields, the focused one, and why the last submit was refused.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::popup;
use crate::app::tenants::TenantsPane;
use crate::ui::{Theme, safe};

pub(super) fn render_form(pane: &TenantsPane, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(form) = &pane.form else {
        return;
    };
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { "▸ " } else { "  " };
        let value = if field.choices.is_empty() {
            let v = safe(field.input.value()).into_owned();
            if focused { format!("{v}▏") } else { v }
        } else {
            format!("◂ {} ▸", safe(&field.value()))
        };
        let style = if focused { theme.title } else { theme.dim };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker}{:<13}", field.label), style),
            Span::raw(value),
        ]));
    }
    lines.push(Line::raw(""));
    match &form.error {
        Some(e) => lines.push(Line::styled(safe(e).into_owned(), theme.error)),
        None => lines.push(Line::styled(
            "Tab next field · ←/→ choose · Enter plan the change · Esc cancel",
            theme.dim,
        )),
    }
    // The error may wrap: one more line per inner width of text.
    let wrapped = form.error.as_ref().map_or(0, |e| {
        e.chars().count() / usize::from(area.width.clamp(3, 76) - 2)
    });
    let height = u16::try_from(lines.len() + 2 + wrapped).unwrap_or(u16::MAX);
    let rect = popup(area, 76, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.title)
                .title(format!(" {} ", safe(&form.kind.title()))),
        ),
        rect,
    );
}
