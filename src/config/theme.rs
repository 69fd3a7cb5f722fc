//! `[theme]`: a built-in theme (`name = "dark"` or `"light"`) and per-role overrides, each a style
//! written as words: optional modifiers, a foreground colour, `on` and a background colour, e.g.
//! `"bold white on blue"`, `"dark-gray"`, `"#ff8800"`, `"reversed"`. Colour names and `#rrggbb` /
//! 0-255 are ratatui's own (`Color::from_str`). `NO_COLOR` still wins: the dashboard then draws
//! without colour whatever the theme says (`ui::Theme`).

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Serialize};

/// A built-in theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeName {
    /// For dark terminal backgrounds.
    #[default]
    Dark,
    /// For light terminal backgrounds.
    Light,
}

/// The roles a theme colours, in the order of the config file: `(key, what it colours)`.
pub const ROLES: [(&str, &str); 10] = [
    ("selected", "the selected row"),
    ("ok", "statuses that are fine (SUCCEEDED, ok)"),
    (
        "warn",
        "statuses that need a look (RUNNING, throttled), change dialogs",
    ),
    ("error", "failures and errors"),
    ("border", "the borders of boxes"),
    ("title", "titles of panes and boxes"),
    ("heading", "table headings"),
    ("dim", "secondary text (hints, notes)"),
    ("tab_active", "the tab of the pane on screen"),
    ("badge", "badges (READ-ONLY)"),
];

/// `[theme]`: the built-in theme and the roles the file overrides (each a whole style).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeConfig {
    pub name: ThemeName,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ok: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dim: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tab_active: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub badge: Option<String>,
}

impl ThemeConfig {
    /// The override of `role` (a key of [`ROLES`]), if the file gives one.
    pub fn role(&self, role: &str) -> Option<&str> {
        match role {
            "selected" => self.selected.as_deref(),
            "ok" => self.ok.as_deref(),
            "warn" => self.warn.as_deref(),
            "error" => self.error.as_deref(),
            "border" => self.border.as_deref(),
            "title" => self.title.as_deref(),
            "heading" => self.heading.as_deref(),
            "dim" => self.dim.as_deref(),
            "tab_active" => self.tab_active.as_deref(),
            "badge" => self.badge.as_deref(),
            _ => None,
        }
    }

    /// The overrides the file gives, parsed: `(role, style)`. Call after the config check, which
    /// reports a bad one; here a bad one is skipped.
    pub fn overrides(&self) -> Vec<(&'static str, Style)> {
        ROLES
            .iter()
            .filter_map(|&(role, _)| Some((role, parse_style(self.role(role)?).ok()?)))
            .collect()
    }
}

const MODIFIERS: [(&str, Modifier); 6] = [
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed-out", Modifier::CROSSED_OUT),
];

/// A style as words: `[modifier...] [colour] [on colour]`, e.g. `bold white on blue`. An empty
/// string is the terminal's default style.
pub fn parse_style(text: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut background = false;
    let mut foreground_set = false;
    for word in text.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        if let Some(&(_, m)) = MODIFIERS.iter().find(|(name, _)| *name == lower) {
            if background {
                return Err(format!(
                    "`{word}` after `on`: write modifiers first, e.g. \"bold white on blue\""
                ));
            }
            style = style.add_modifier(m);
        } else if lower == "on" {
            if background {
                return Err("`on` twice: one background colour after one `on`".to_owned());
            }
            background = true;
        } else {
            let color = colour(word)?;
            if background {
                if style.bg.is_some() {
                    return Err(format!("`{word}`: one background colour only"));
                }
                style = style.bg(color);
            } else {
                if foreground_set {
                    return Err(format!(
                        "`{word}`: one foreground colour only (a background follows `on`)"
                    ));
                }
                foreground_set = true;
                style = style.fg(color);
            }
        }
    }
    if background && style.bg.is_none() {
        return Err("`on` without a colour after it, e.g. \"white on blue\"".to_owned());
    }
    Ok(style)
}

fn colour(word: &str) -> Result<Color, String> {
    Color::from_str(word).map_err(|_| {
        format!(
            "`{word}` is not a colour or a modifier; use a colour name (black, red, green, \
             yellow, blue, magenta, cyan, gray, dark-gray, light-red ... white, reset), \
             #rrggbb or 0-255, the modifiers bold, dim, italic, underlined, reversed, \
             crossed-out, and `on <colour>` for the background"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_read_as_words() {
        assert_eq!(parse_style("").unwrap(), Style::new());
        assert_eq!(parse_style("cyan").unwrap(), Style::new().fg(Color::Cyan));
        assert_eq!(
            parse_style("bold white on blue").unwrap(),
            Style::new()
                .add_modifier(Modifier::BOLD)
                .fg(Color::White)
                .bg(Color::Blue)
        );
        assert_eq!(
            parse_style("on light-cyan").unwrap(),
            Style::new().bg(Color::LightCyan)
        );
        assert_eq!(
            parse_style("#ff8800").unwrap(),
            Style::new().fg(Color::Rgb(0xff, 0x88, 0x00))
        );
        assert_eq!(
            parse_style("208").unwrap(),
            Style::new().fg(Color::Indexed(208))
        );
        assert_eq!(
            parse_style("Reversed").unwrap(),
            Style::new().add_modifier(Modifier::REVERSED)
        );
    }

    #[test]
    fn a_bad_style_says_what_is_wrong() {
        let e = parse_style("blurple").unwrap_err();
        assert!(
            e.starts_with("`blurple` is not a colour or a modifier"),
            "{e}"
        );
        assert!(
            parse_style("red green")
                .unwrap_err()
                .contains("one foreground colour")
        );
        assert!(
            parse_style("white on")
                .unwrap_err()
                .contains("without a colour")
        );
        assert!(
            parse_style("on blue on red")
                .unwrap_err()
                .contains("`on` twice")
        );
        assert!(
            parse_style("on blue bold")
                .unwrap_err()
                .contains("modifiers first")
        );
    }

    #[test]
    fn every_role_is_read_from_its_key() {
        let config = ThemeConfig {
            border: Some("dark-gray".into()),
            badge: Some("bogus".into()),
            ..ThemeConfig::default()
        };
        for (role, _) in ROLES {
            let expected = if role == "border" {
                Some("dark-gray")
            } else if role == "badge" {
                Some("bogus")
            } else {
                None
            };
            assert_eq!(config.role(role), expected, "{role}");
        }
        // A bad one is left to the config check.
        assert_eq!(
            config.overrides(),
            [("border", Style::new().fg(Color::DarkGray))]
        );
    }
}
