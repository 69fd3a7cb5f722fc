//! The MFA code prompt (`Mode::Credentials`): which profile and device the code is for, why it
//! asks again, and the code as typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::wrap::wrap;
use super::{Theme, safe};
use crate::app::State;
use crate::config::keymap::Action;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(prompt) = &state.credentials.prompt else {
        return;
    };
    let width = area.width.min(72);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    let asked = format!(
        "Profile {} needs a code from the MFA device {}",
        safe(&prompt.profile),
        safe(&prompt.serial)
    );
    lines.extend(wrap(&asked, inner).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    if let Some(problem) = &prompt.problem {
        let style = if prompt.checking {
            theme.dim
        } else {
            theme.error
        };
        lines.extend(
            wrap(&safe(problem), inner)
                .into_iter()
                .map(|row| Line::styled(row, style)),
        );
    }
    lines.push(Line::from(vec![
        Span::styled("code> ", theme.title),
        Span::raw(safe(prompt.input.value()).into_owned()),
    ]));
    let key = |action| {
        state
            .keymap
            .keys_for(action)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let hint = format!(
        "{} check the code · {} cancel",
        key(Action::FormSubmit),
        key(Action::FormCancel)
    );
    lines.extend(
        wrap(&hint, inner)
            .into_iter()
            .map(|row| Line::styled(row, theme.dim)),
    );
    // The prompt line is the one to keep when the box does not fit: drop from the top.
    let inner_height = usize::from(area.height.saturating_sub(2));
    if lines.len() > inner_height {
        lines.drain(..lines.len() - inner_height);
    }
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.warn)
        .title(" MFA code ");
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines), block.inner(popup));
    frame.render_widget(block, popup);
}
