//! The events tab: the raw history, one row per event.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;

use crate::app::State;
use crate::app::workflows::DetailView;
use crate::app::workflows::event_summary;
use crate::domain::time;
use crate::ui::table::col;
use crate::ui::{Theme, safe, table};

pub(super) fn render_events(
    state: &State,
    d: &DetailView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let events = d.log.events();
    // The type and the state stay; the time, then the details give way (i shows them whole).
    let columns = if area.width >= 100 {
        [
            col("ID", Constraint::Length(6), 5),
            col("TYPE", Constraint::Length(24), 9),
            col("TIME", Constraint::Length(12), 4),
            col("STATE", Constraint::Length(24), 8),
            col("DETAILS", Constraint::Fill(1), 6),
        ]
    } else {
        [
            col("ID", Constraint::Length(6), 5),
            col("TYPE", Constraint::Length(24), 9),
            col("TIME", Constraint::Length(12), 3),
            col("STATE", Constraint::Fill(1), 8),
            col("DETAILS", Constraint::Fill(2), 6),
        ]
    };
    table::draw(state, &d.table, &columns, theme, frame, area, |i| {
        let e = events.get(i)?;
        let detail = event_summary(e);
        let style = if e.kind.ends_with("Failed") || e.kind.ends_with("TimedOut") {
            theme.error
        } else {
            Style::new()
        };
        let state_name = match (e.state.as_deref(), e.details.index) {
            (Some(s), Some(i)) => format!("{} [{i}]", safe(s)),
            (Some(s), None) => safe(s).into_owned(),
            (None, _) => String::new(),
        };
        Some(vec![
            Line::raw(e.id.to_string()),
            Line::styled(safe(&e.kind).into_owned(), style),
            Line::raw(time::clock_ms(e.timestamp)),
            Line::raw(state_name),
            Line::styled(safe(&detail).into_owned(), theme.dim),
        ])
    });
}
