//! The confirmation dialog of a change: the plan, step by step, and what to type.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::wrap::wrap;
use super::{Theme, safe};
use crate::app::State;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(dialog) = &state.confirm else {
        return;
    };
    // Borders take two rows and two columns. Every line is broken into rows here, not by the
    // widget, so the rows are known exactly: a plan line or a question holding a long name
    // (a username or an execution name can be hundreds of characters) must never push the
    // question or the answer out of the box.
    let width = area.width.min(90);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let inner_height = usize::from(area.height.saturating_sub(2));

    // The question and the answer come first: they always stay visible (from the bottom up,
    // when not even they fit).
    let mut footer: Vec<Line> = vec![Line::raw("")];
    if let Some(error) = &dialog.error {
        footer.extend(
            wrap(&safe(error), inner)
                .into_iter()
                .map(|row| Line::styled(row, theme.error)),
        );
    }
    footer.extend(
        wrap(&dialog.prompt(), inner)
            .into_iter()
            .map(|row| Line::styled(row, theme.warn)),
    );
    // Typed text is shown sanitised, as the plan shows the names it is compared with.
    let answer = format!("> {}", safe(dialog.input.value()));
    footer.extend(
        wrap(&answer, inner)
            .into_iter()
            .enumerate()
            .map(|(i, row)| match row.strip_prefix("> ").filter(|_| i == 0) {
                Some(typed) => Line::from(vec![
                    Span::styled("> ", theme.title),
                    Span::raw(typed.to_owned()),
                ]),
                None => Line::raw(row),
            }),
    );
    if footer.len() > inner_height {
        footer.drain(..footer.len() - inner_height);
    }

    // Plan lines come sanitised from `Plan::lines`. A long plan (a bulk import) shows the
    // whole lines that fit and says how many more there are.
    let plan = dialog.plan.lines();
    let room = inner_height - footer.len();
    let wrapped: Vec<Vec<String>> = plan.iter().map(|l| wrap(l, inner)).collect();
    let total: usize = wrapped.iter().map(Vec::len).sum();
    let mut lines: Vec<Line> = Vec::new();
    if total <= room {
        lines.extend(wrapped.into_iter().flatten().map(Line::raw));
    } else {
        // Keep whole lines while they fit, leaving a row for the "more" line.
        let mut used = 0;
        let mut shown = 0;
        for rows in &wrapped {
            if used + rows.len() >= room {
                break;
            }
            used += rows.len();
            shown += 1;
        }
        lines.extend(wrapped.into_iter().take(shown).flatten().map(Line::raw));
        let more = format!("  … and {} more lines of the plan", plan.len() - shown);
        if room > used {
            lines.extend(
                wrap(&more, inner)
                    .into_iter()
                    .take(room - used)
                    .map(|row| Line::styled(row, theme.dim)),
            );
        }
    }

    let footer_height = u16::try_from(footer.len()).unwrap_or(u16::MAX);
    let height = u16::try_from(lines.len() + footer.len() + 2)
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
    let [plan_area, footer_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(footer_height)])
            .areas(inner_area);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    frame.render_widget(Paragraph::new(lines), plan_area);
    frame.render_widget(Paragraph::new(footer), footer_area);
}
