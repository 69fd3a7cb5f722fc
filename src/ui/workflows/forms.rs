//! The start (and rerun) and stop forms, drawn by the one form widget (`ui::form`).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::workflows::{StartForm, StopForm};
use crate::config::keymap::Keymap;
use crate::ui::form::{self, Look};
use crate::ui::{Theme, safe};

pub(super) fn render_stop_form(
    form: &StopForm,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let look = Look {
        title: "stop an execution",
        intro: vec![format!("Execution {}", safe(&form.kind.name))],
        note: "Both are optional and recorded with the stop.",
        submit: "reviews the plan",
    };
    form::render(form, look, keymap, theme, frame, area);
}

pub(super) fn render_form(
    form: &StartForm,
    keymap: &Keymap,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let look = Look {
        title: "start an execution",
        intro: vec![format!("State machine {}", safe(&form.kind.machine.name))],
        note: "The input must be JSON; it is checked before the plan is shown.",
        submit: "reviews the plan",
    };
    form::render(form, look, keymap, theme, frame, area);
}
