//! Styles per role: the built-in dark and light themes, the config's `[theme]` overrides, and a
//! monochrome variant for `NO_COLOR` that keeps meaning through bold/reverse only (and wins over
//! any theme).

use ratatui::style::{Color, Modifier, Style};

use crate::config::{ThemeConfig, ThemeName};

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
    /// The borders of boxes (dialogs, viewers, help).
    pub border: Style,
}

impl Theme {
    /// The built-in dark theme, or the monochrome one when `color` is false.
    pub fn new(color: bool) -> Theme {
        Theme::built_in(ThemeName::Dark, color)
    }

    /// A built-in theme; without colour, the monochrome one whatever `name` says.
    pub fn built_in(name: ThemeName, color: bool) -> Theme {
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
                border: Style::new(),
            };
        }
        match name {
            ThemeName::Dark => Theme {
                title: bold.fg(Color::Cyan),
                dim: Style::new().fg(Color::DarkGray),
                heading: bold.fg(Color::Yellow),
                selected: Style::new().bg(Color::Blue).fg(Color::White),
                tab_active: bold.fg(Color::Black).bg(Color::Cyan),
                ok: Style::new().fg(Color::Green),
                error: Style::new().fg(Color::Red),
                warn: Style::new().fg(Color::Yellow),
                badge: bold.fg(Color::White).bg(Color::Red),
                border: bold.fg(Color::Cyan),
            },
            // Dark colours on a light background: no yellow or light grey text, which fade there.
            ThemeName::Light => Theme {
                title: bold.fg(Color::Blue),
                dim: Style::new().fg(Color::DarkGray),
                heading: bold.fg(Color::Magenta),
                selected: Style::new().bg(Color::LightCyan).fg(Color::Black),
                tab_active: bold.fg(Color::White).bg(Color::Blue),
                ok: Style::new().fg(Color::Green),
                error: Style::new().fg(Color::Red),
                warn: Style::new().fg(Color::Magenta),
                badge: bold.fg(Color::White).bg(Color::Red),
                border: Style::new().fg(Color::Blue),
            },
        }
    }

    /// The config's theme: the built-in one it names with its roles overridden; without colour
    /// (`color` false: `NO_COLOR`) the monochrome theme, overrides ignored.
    pub fn from_config(config: &ThemeConfig, color: bool) -> Theme {
        let mut theme = Theme::built_in(config.name, color);
        if !color {
            return theme;
        }
        for (role, style) in config.overrides() {
            *theme.role_mut(role) = style;
        }
        theme
    }

    /// The config's theme, in colour unless `NO_COLOR` is set to anything non-empty
    /// (no-color.org).
    pub fn from_env(config: &ThemeConfig) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::from_config(config, !no_color)
    }

    fn role_mut(&mut self, role: &str) -> &mut Style {
        match role {
            "selected" => &mut self.selected,
            "ok" => &mut self.ok,
            "warn" => &mut self.warn,
            "error" => &mut self.error,
            "border" => &mut self.border,
            "title" => &mut self.title,
            "heading" => &mut self.heading,
            "dim" => &mut self.dim,
            "tab_active" => &mut self.tab_active,
            "badge" => &mut self.badge,
            other => unreachable!("{other} is not a role of config::theme::ROLES"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::theme::ROLES;

    #[test]
    fn the_light_theme_differs_from_the_dark_one_where_dark_colours_would_fade() {
        let dark = Theme::built_in(ThemeName::Dark, true);
        let light = Theme::built_in(ThemeName::Light, true);
        assert_eq!(dark.heading.fg, Some(Color::Yellow));
        assert_ne!(light.heading.fg, Some(Color::Yellow));
        assert_ne!(light.warn.fg, Some(Color::Yellow));
        assert_ne!(light.selected, dark.selected);
    }

    #[test]
    fn overrides_replace_their_role_only() {
        let config = ThemeConfig {
            name: ThemeName::Light,
            selected: Some("bold black on yellow".into()),
            border: Some("dark-gray".into()),
            ..ThemeConfig::default()
        };
        let theme = Theme::from_config(&config, true);
        let light = Theme::built_in(ThemeName::Light, true);
        assert_eq!(
            theme.selected,
            Style::new()
                .add_modifier(Modifier::BOLD)
                .fg(Color::Black)
                .bg(Color::Yellow)
        );
        assert_eq!(theme.border, Style::new().fg(Color::DarkGray));
        assert_eq!(theme.title, light.title);
        assert_eq!(theme.error, light.error);
    }

    #[test]
    fn no_color_wins_over_the_theme_and_its_overrides() {
        let config = ThemeConfig {
            name: ThemeName::Light,
            error: Some("red on white".into()),
            ..ThemeConfig::default()
        };
        let theme = Theme::from_config(&config, false);
        let mono = Theme::new(false);
        for style in [theme.error, theme.selected, theme.title, theme.border] {
            assert_eq!((style.fg, style.bg), (None, None), "{style:?}");
        }
        assert_eq!(theme.error, mono.error);
    }

    #[test]
    fn every_config_role_is_a_theme_role() {
        let mut theme = Theme::new(true);
        for (role, _) in ROLES {
            *theme.role_mut(role) = Style::new().fg(Color::Indexed(7));
        }
    }
}
