//! Styles, with a monochrome variant for `NO_COLOR` that keeps meaning through bold/reverse only.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub title: Style,
    pub dim: Style,
    pub heading: Style,
    pub selected: Style,
    pub tab_active: Style,
    pub ok: Style,
    pub error: Style,
    pub warn: Style,
    pub badge: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if !color {
            return Theme {
                title: bold,
                dim: Style::new(),
                heading: bold.add_modifier(Modifier::UNDERLINED),
                selected: Style::new().add_modifier(Modifier::REVERSED),
                tab_active: bold.add_modifier(Modifier::REVERSED),
                ok: Style::new(),
                error: bold,
                warn: bold,
                badge: bold.add_modifier(Modifier::REVERSED),
            };
        }
        Theme {
            title: bold.fg(Color::Cyan),
            dim: Style::new().fg(Color::DarkGray),
            heading: bold.fg(Color::Yellow),
            selected: Style::new().bg(Color::Blue).fg(Color::White),
            tab_active: bold.fg(Color::Black).bg(Color::Cyan),
            ok: Style::new().fg(Color::Green),
            error: Style::new().fg(Color::Red),
            warn: Style::new().fg(Color::Yellow),
            badge: bold.fg(Color::White).bg(Color::Red),
        }
    }

    /// Colour unless `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(!no_color)
    }
}
