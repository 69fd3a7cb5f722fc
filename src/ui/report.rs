//! A report to read: what a change did step by step, or everything wrong with an input file.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Theme, safe, wrap};
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
    let width = usize::from(popup.width.saturating_sub(2));
    let fit = usize::from(popup.height.saturating_sub(2));
    // Long lines wrap, so a long error can be read in full; only the lines on screen are
    // wrapped and built. A wrapped line keeps its style on every row.
    let lines: Vec<Line> = wrap::page(&report.lines, width, fit, &report.scroll)
        .into_iter()
        .map(|(i, row)| {
            let l = &report.lines[i];
            let style = if l.starts_with("FAILED") || l.contains(": line ") {
                theme.error
            } else {
                ratatui::style::Style::new()
            };
            Line::styled(row, style)
        })
        .collect();
    // The position in rows as drawn, the unit the keys scroll by.
    let rows = report.scroll.rows().unwrap_or(0);
    let title = format!(
        " {} ({}/{}; j/k scroll, y copies, Esc closes) ",
        safe(&report.title),
        (report.scroll.top() + 1).min(rows),
        rows
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(title),
        ),
        popup,
    );
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::tests::loaded_state;
    use crate::app::{Msg, update};

    fn draw(state: &State, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| crate::ui::render(state, &Theme::new(false), f))
            .unwrap();
        terminal.backend().to_string()
    }

    fn press(state: &mut State, code: KeyCode) {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    /// The report's text rows on screen, between the box's borders, and its title.
    fn report_rows(screen: &str) -> (String, Vec<String>) {
        let rows: Vec<&str> = screen.lines().collect();
        let top = rows.iter().position(|r| r.contains('┌')).expect("the box");
        let bottom = rows.iter().position(|r| r.contains('└')).expect("the box");
        let text = rows[top + 1..bottom]
            .iter()
            .map(|r| {
                r.split('│')
                    .nth(1)
                    .unwrap_or_default()
                    .trim_end()
                    .to_owned()
            })
            .collect();
        (rows[top].to_owned(), text)
    }

    fn report(steps: Vec<String>) -> State {
        let (mut state, _) = loaded_state();
        update(
            &mut state,
            Msg::Executed {
                title: "Redrive 2 executions".into(),
                result: Err("step 2 failed".into()),
                steps,
                nothing_to_do: None,
                replanned: None,
            },
        );
        state
    }

    #[test]
    fn a_long_error_wraps_and_can_be_read_in_full() {
        let error = format!(
            "FAILED: 2. redrive run-2: ExecutionNotRedrivable: {} (the end)",
            "the execution cannot be redriven because its history is too long; ".repeat(3)
        );
        let mut state = report(vec!["done: 1. redrive run-1".into(), error.clone()]);
        // 60 columns: 58 of text per row.
        let (title, rows) = report_rows(&draw(&state, 60, 24));
        assert_eq!(rows[0], "done: 1. redrive run-1");
        let end = rows.iter().position(|r| r.ends_with("(the end)")).unwrap();
        assert!(end > 2, "{rows:#?}");
        assert!(rows.iter().all(|r| r.chars().count() <= 58), "{rows:#?}");
        assert_eq!(rows[1..=end].join(" "), error);
        // The position counts rows as drawn.
        assert!(title.contains(&format!("(1/{}; ", end + 1)), "{title}");
        // A short box: End puts the error's last row at the bottom, j goes no further.
        draw(&state, 60, 10);
        press(&mut state, KeyCode::End);
        press(&mut state, KeyCode::Char('j'));
        let (title, rows) = report_rows(&draw(&state, 60, 10));
        assert_eq!(rows.len(), 4);
        assert!(rows[3].ends_with("(the end)"), "{rows:#?}");
        assert!(
            title.contains(&format!("({}/{}; ", end + 1 - 3, end + 1)),
            "{title}"
        );
        // The error's rows keep its colour, not only the first.
        let backend = {
            let mut terminal = Terminal::new(TestBackend::new(60, 10)).unwrap();
            terminal
                .draw(|f| crate::ui::render(&state, &Theme::new(true), f))
                .unwrap();
            terminal.backend().buffer().clone()
        };
        let error_style = Theme::new(true).error;
        // The box's last text row is the terminal's row 7 (two header rows, the tabs, the border).
        assert_eq!(backend[(2, 7)].fg, error_style.fg.unwrap());
    }

    #[test]
    fn paging_stops_at_the_last_row_and_comes_straight_back() {
        let steps: Vec<String> = (1..=40)
            .map(|i| format!("done: {i}. create user u{i}@acme.example"))
            .collect();
        let mut state = report(steps);
        // 80x12: the box is 8 rows tall, 6 of them text.
        let first = report_rows(&draw(&state, 80, 12)).1;
        assert_eq!(first.len(), 6);
        for _ in 0..10 {
            press(&mut state, KeyCode::PageDown);
            draw(&state, 80, 12);
        }
        let (title, last) = report_rows(&draw(&state, 80, 12));
        assert_eq!(last[5], "done: 40. create user u40@acme.example");
        assert!(title.contains("(35/40; "), "{title}");
        press(&mut state, KeyCode::PageUp);
        let rows = report_rows(&draw(&state, 80, 12)).1;
        assert_eq!(rows[0], "done: 29. create user u29@acme.example");
        press(&mut state, KeyCode::Char('g'));
        assert_eq!(report_rows(&draw(&state, 80, 12)).1, first);
        // Scrolled to the end in a small terminal, then a taller one: full, the end at the
        // bottom, the rows above shown instead of blank ones below.
        press(&mut state, KeyCode::Char('G'));
        draw(&state, 80, 12);
        let rows = report_rows(&draw(&state, 80, 30)).1;
        assert_eq!(rows.len(), 24);
        assert_eq!(rows[23], "done: 40. create user u40@acme.example");
        assert_eq!(rows[0], "done: 17. create user u17@acme.example");
    }
}
