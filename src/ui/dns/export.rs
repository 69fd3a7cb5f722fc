//! The question `e` asks in an organisation view: CSV or JSON.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ui::Theme;

/// "export as (c)sv or (j)son?" on the pane's last line.
pub(super) fn prompt(theme: &Theme, frame: &mut Frame, area: Rect) {
    let line = Line::from(vec![
        Span::styled(" export as (c)sv or (j)son? ", theme.title),
        Span::raw(" Esc cancels"),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
