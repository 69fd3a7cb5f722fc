//! The record form (`n`, `c`), drawn by the one form widget (`ui::form`).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::dns::RecordForm;
use crate::config::keymap::Keymap;
use crate::ui::form::{self, Look};
use crate::ui::{Theme, safe};

pub(super) fn render(
    form: &RecordForm,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let zone = &form.kind.zone;
    let look = Look {
        title: if form.kind.editing.is_some() {
            "change a record set"
        } else {
            "new record set"
        },
        intro: vec![format!(
            "Zone {} ({}, account {})",
            safe(&zone.zone.name),
            safe(&zone.zone.id),
            safe(&zone.account_id)
        )],
        note: "Values separated by |; or an alias target ZONE_ID/NAME instead. Checked per type.",
        submit: "reviews the plan",
    };
    form::render(form, look, keymap, theme, frame, area);
}
