//! The `?` help screen, built from the keymap so it always tells the truth.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use crate::app::State;
use crate::app::command::COMMANDS;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = area.width.min(72);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    };
    let mut lines: Vec<Line> = vec![Line::styled("Keys", theme.heading)];
    for (action, keys) in state.keymap.bindings() {
        if !crate::app::is_available(state, action) {
            continue;
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{:<18}", keys.join(" ")), theme.title),
            Span::raw(action.description()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Commands (after :, Tab completes)",
        theme.heading,
    ));
    for (word, what) in COMMANDS {
        lines.push(Line::from(vec![
            Span::styled(format!(":{word:<17}"), theme.title),
            Span::raw(*what),
        ]));
    }
    let inner_rows = usize::from(popup.height.saturating_sub(2));
    let scroll = state
        .help_scroll
        .min(lines.len().saturating_sub(inner_rows));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" help: j/k scroll, Esc closes "),
            ),
        popup,
    );
}
