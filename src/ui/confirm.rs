//! The confirmation dialog of a change: the plan, step by step, and what to type.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{Theme, safe};
use crate::app::State;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(dialog) = &state.confirm else {
        return;
    };
    // Plan lines come sanitised from `Plan::lines`. A long plan (a bulk import) shows the steps
    // that fit and says how many more there are: the question and the answer always stay visible.
    let plan = dialog.plan.lines();
    let footer = [
        Line::raw(""),
        Line::styled(dialog.prompt(), theme.warn),
        Line::from(vec![
            Span::styled("> ", theme.title),
            Span::raw(safe(dialog.input.value()).into_owned()),
        ]),
    ];
    // Borders take two rows and two columns; long lines wrap, so count rows, not lines.
    let width = area.width.min(90);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows_of = |text: &str| text.width().div_ceil(inner).max(1);
    let footer_rows: usize = footer.iter().map(|l| rows_of(&l.to_string())).sum();
    let room = usize::from(area.height.saturating_sub(2)).saturating_sub(footer_rows);
    let total: usize = plan.iter().map(|l| rows_of(l)).sum();
    let lines: Vec<Line> = if total <= room {
        plan.into_iter().map(Line::raw).collect()
    } else {
        // Keep whole lines while they fit, leaving a row for the "more" line.
        let mut used = 0;
        let shown: Vec<String> = plan
            .iter()
            .take_while(|l| {
                used += rows_of(l);
                used < room
            })
            .cloned()
            .collect();
        let hidden = plan.len() - shown.len();
        shown
            .into_iter()
            .map(Line::raw)
            .chain(std::iter::once(Line::styled(
                format!("  … and {hidden} more lines of the plan"),
                theme.dim,
            )))
            .collect()
    };
    let footer_height = u16::try_from(footer_rows).unwrap_or(u16::MAX);
    let plan_rows: usize = lines.iter().map(|l| rows_of(&l.to_string())).sum();
    let height = u16::try_from(plan_rows + footer_rows + 2)
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
        .title(" confirm a change to AWS ");
    let inner_area = block.inner(popup);
    // The question and the answer are laid out on their own, so no wrapping above can push
    // them out of sight.
    let [plan_area, footer_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(footer_height)])
            .areas(inner_area);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), plan_area);
    frame.render_widget(
        Paragraph::new(footer.to_vec()).wrap(Wrap { trim: false }),
        footer_area,
    );
}
