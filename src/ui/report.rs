//! A report to read: what a change did step by step, or everything wrong with an input file.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, safe};
use crate::app::State;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(report) = &state.report else {
        return;
    };
    let width = area.width.min(100);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    };
    let rows = usize::from(popup.height.saturating_sub(2));
    // Only the visible lines are built: a report of thousands of rows costs what a screen does.
    let lines: Vec<Line> = report
        .lines
        .iter()
        .skip(report.scroll)
        .take(rows)
        .map(|l| {
            let style = if l.starts_with("FAILED") || l.contains(": line ") {
                theme.error
            } else {
                ratatui::style::Style::new()
            };
            Line::styled(safe(l).into_owned(), style)
        })
        .collect();
    let title = format!(
        " {} ({}/{}; j/k scroll, y copies, Esc closes) ",
        safe(&report.title),
        (report.scroll + 1).min(report.lines.len()),
        report.lines.len()
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        popup,
    );
}
