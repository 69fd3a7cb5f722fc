//! The graph tab: the definition's states and transitions, coloured by what happened.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::state_style;
use crate::app::workflows::{DetailView, HistoryState};
use crate::app::{Loadable, State};
use crate::domain::workflows::graph::GraphItem;
use crate::ui::{Theme, safe, spinner, table};

pub(super) fn render_graph(
    state: &State,
    d: &DetailView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let lines = match (&d.graph, &d.definition) {
        (Some(Ok(lines)), _) => lines,
        (Some(Err(problem)), _) => {
            let text = format!(" cannot draw the definition: {}", safe(problem));
            frame.render_widget(Paragraph::new(Line::styled(text, theme.error)), area);
            return;
        }
        (None, Loadable::Failed { error }) => {
            return table::failure(error, "r retries", theme, frame, area);
        }
        _ => {
            let text = format!(
                " {} loading the definition…{}",
                spinner(state),
                crate::ui::waiting(state, &d.definition)
            );
            frame.render_widget(Paragraph::new(Line::raw(text)), area);
            return;
        }
    };
    let statuses = d.timeline.state_statuses();
    let express = d.history == HistoryState::Express;
    let fit = usize::from(area.height);
    let selected = d.table.selected_index();
    let window = d.table.window(fit);
    let text: Vec<Line> = window
        .iter()
        .filter_map(|&i| lines.get(i).map(|l| (i, l)))
        .map(|(i, l)| {
            let indent = "┊ ".repeat(l.depth);
            let mut line = match &l.item {
                GraphItem::State { name, kind, notes } => {
                    let status = statuses.get(name.as_str()).copied();
                    let (style, word) = match status {
                        Some(s) => (state_style(theme, s), s.as_str()),
                        None if express => (Style::new(), ""),
                        None => (theme.dim, "not reached"),
                    };
                    let mut spans = vec![
                        Span::styled(indent, theme.dim),
                        Span::styled(
                            format!("┃ {} ", safe(name)),
                            style.add_modifier(Modifier::BOLD),
                        ),
                        Span::styled(format!("{} ", safe(kind)), theme.dim),
                        Span::styled(word.to_owned(), style),
                    ];
                    if !notes.is_empty() {
                        spans.push(Span::styled(
                            format!("  ({})", safe(&notes.join("; "))),
                            theme.dim,
                        ));
                    }
                    Line::from(spans)
                }
                GraphItem::Edge {
                    label,
                    target,
                    last,
                } => {
                    let arrow = if *last { "└─▶ " } else { "├─▶ " };
                    let mut spans = vec![
                        Span::styled(indent, theme.dim),
                        Span::styled(arrow, theme.dim),
                    ];
                    if target.is_empty() {
                        spans.push(Span::styled(safe(label).into_owned(), theme.dim));
                    } else {
                        spans.push(Span::raw(safe(target).into_owned()));
                        if label != "next" {
                            spans.push(Span::styled(format!("  {}", safe(label)), theme.warn));
                        }
                    }
                    Line::from(spans)
                }
                GraphItem::Branch { label } => Line::from(vec![
                    Span::styled(indent, theme.dim),
                    Span::styled(format!("╶ {} ╴", safe(label)), theme.heading),
                ]),
            };
            if Some(i) == selected {
                line = line.style(theme.selected);
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(text), area);
}
