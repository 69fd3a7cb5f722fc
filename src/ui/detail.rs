//! The detail view of a row: every field in full, its name then its value wrapped, in a box over
//! the table; the selected field (the one `y` copies) marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, safe, wrap};
use crate::app::State;
use crate::config::keymap::Action;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(detail) = &state.detail else {
        return;
    };
    let width = area.width.min(120);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    };
    // One column for the marker of the selected field.
    let text_width = usize::from(popup.width.saturating_sub(3));
    let fit = usize::from(popup.height.saturating_sub(2));
    let lines: Vec<Line> = wrap::page(detail.lines(), text_width, fit, &detail.scroll)
        .into_iter()
        .map(|(i, row)| {
            let field = detail.field_of_line(i);
            let selected = field == detail.selected;
            let marker = if selected { "▌" } else { " " };
            let style = if detail.is_name(i) {
                if selected {
                    theme.selected
                } else {
                    theme.heading
                }
            } else if row.trim() == crate::app::detail::EMPTY {
                theme.dim
            } else {
                ratatui::style::Style::new()
            };
            Line::from(vec![
                Span::styled(marker, theme.title),
                Span::styled(row, style),
            ])
        })
        .collect();
    let key = |action| state.keymap.label(action);
    let title = format!(
        " {} ({}/{} fields; {} copies, {} closes) ",
        safe(&detail.title),
        (detail.selected + 1).min(detail.fields.len()),
        detail.fields.len(),
        key(Action::Copy),
        key(Action::Back),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        popup,
    );
}
