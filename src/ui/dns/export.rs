//! The question `e` asks in an organisation view: CSV or JSON.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::keymap::{Action, Keymap};
use crate::ui::Theme;

/// "export as CSV (c) or JSON (j)?" on the pane's last line, with the keys the keymap binds.
pub(super) fn prompt(keymap: &Keymap, theme: &Theme, frame: &mut Frame, area: Rect) {
    let line = Line::from(vec![
        Span::styled(
            format!(
                " export as CSV ({}) or JSON ({})? ",
                keymap.label(Action::ExportCsv),
                keymap.label(Action::ExportJson)
            ),
            theme.title,
        ),
        Span::raw(format!(" {} cancels", keymap.label(Action::Back))),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
