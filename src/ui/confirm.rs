//! The confirmation dialog of a change: the plan, step by step, and what to type.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Theme, safe};
use crate::app::State;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(dialog) = &state.confirm else {
        return;
    };
    // Plan lines come sanitised from `Plan::lines`.
    let mut lines: Vec<Line> = dialog.plan.lines().into_iter().map(Line::raw).collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(dialog.prompt(), theme.warn));
    lines.push(Line::from(vec![
        Span::styled("> ", theme.title),
        Span::raw(safe(dialog.input.value()).into_owned()),
    ]));
    let width = area.width.min(90);
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.warn)
                .title(" confirm a change to AWS "),
        ),
        popup,
    );
}
