//! The pane's forms (search, onboarding, role, import), drawn by the one form widget (`ui::form`).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::tenants::{FormKind, TenantsPane};
use crate::config::keymap::Keymap;
use crate::ui::form::{self, Look};
use crate::ui::{Theme, safe};

pub(super) fn render_form(
    pane: &TenantsPane,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let Some(f) = &pane.form else {
        return;
    };
    let title = safe(&f.kind.title()).into_owned();
    let (note, submit) = match f.kind {
        FormKind::Search => (
            "Finds users whose email or username starts with the prefix.",
            "searches",
        ),
        FormKind::Import { .. } => ("A CSV file with the columns email,role.", "checks the file"),
        _ => ("", "reviews the plan"),
    };
    let look = Look {
        title: &title,
        intro: Vec::new(),
        note,
        submit,
    };
    form::render(f, look, keymap, theme, frame, area);
}
