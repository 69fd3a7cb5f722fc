//! The MFA code prompt (`Mode::Credentials`): which profile and device the code is for, why it
//! asks again, and the code as typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::wrap::wrap;
use super::{Theme, safe};
use crate::app::State;
use crate::config::keymap::Action;

pub fn render(state: &State, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(prompt) = &state.credentials.prompt else {
        return;
    };
    let width = area.width.min(72);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    let asked = format!(
        "Profile {} needs a code from the MFA device {}",
        safe(&prompt.profile),
        safe(&prompt.serial)
    );
    lines.extend(wrap(&asked, inner).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    if let Some(problem) = &prompt.problem {
        let style = if prompt.checking {
            theme.dim
        } else {
            theme.error
        };
        lines.extend(
            wrap(&safe(problem), inner)
                .into_iter()
                .map(|row| Line::styled(row, style)),
        );
    }
    lines.push(Line::from(vec![
        Span::styled("code> ", theme.title),
        Span::raw(safe(prompt.input.value()).into_owned()),
    ]));
    let key = |action| {
        state
            .keymap
            .keys_for(action)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let hint = format!(
        "{} check the code · {} cancel",
        key(Action::FormSubmit),
        key(Action::FormCancel)
    );
    lines.extend(
        wrap(&hint, inner)
            .into_iter()
            .map(|row| Line::styled(row, theme.dim)),
    );
    // The prompt line is the one to keep when the box does not fit: drop from the top.
    let inner_height = usize::from(area.height.saturating_sub(2));
    if lines.len() > inner_height {
        lines.drain(..lines.len() - inner_height);
    }
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.warn)
        .title(" MFA code ");
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines), block.inner(popup));
    frame.render_widget(block, popup);
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use crate::app::credentials::{CredentialsMsg, start_with_code_prompt};
    use crate::app::tests::{loaded_state, session, tenancy};
    use crate::app::{Msg, State, update};
    use crate::config::keymap::Keymap;
    use crate::ui::{Theme, render};

    fn draw(state: &State, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| render(state, &Theme::new(false), f))
            .unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn the_prompt_names_the_profile_and_device_and_shows_why_it_asks_again_at_any_size() {
        let mut state = State::new(session(), Keymap::default(), tenancy());
        start_with_code_prompt(&mut state, "ops".into(), "arn:aws:iam::1:mfa/ann".into());
        update(
            &mut state,
            Msg::Credentials(CredentialsMsg::NeedCode {
                profile: "ops".into(),
                serial: "arn:aws:iam::1:mfa/ann".into(),
                problem: Some("the MFA code was not accepted".into()),
            }),
        );
        let screen = draw(&state, 80, 24);
        for shown in [
            "MFA code",
            "Profile ops needs a code",
            "arn:aws:iam::1:mfa/ann",
            "not accepted",
            "code>",
        ] {
            assert!(screen.contains(shown), "{shown}:\n{screen}");
        }
        for (w, h) in [(1, 1), (20, 5), (30, 8), (200, 60)] {
            draw(&state, w, h);
        }
    }

    #[test]
    fn the_header_shows_the_session_time_left() {
        let (mut state, _) = loaded_state();
        state.credentials.mfa = true;
        update(
            &mut state,
            Msg::Credentials(CredentialsMsg::Left {
                left: std::time::Duration::from_secs(2 * 3600 + 5 * 60),
            }),
        );
        let screen = draw(&state, 120, 24);
        assert!(screen.contains("(MFA session 2h05m left)"), "{screen}");
        // An SSO login waiting for its approval keeps the page and the code in view.
        update(
            &mut state,
            Msg::Credentials(CredentialsMsg::DeviceCode {
                url: "https://device.example/?user_code=AB-CD".into(),
                code: "AB-CD".into(),
            }),
        );
        state.notice = None;
        let screen = draw(&state, 120, 24);
        assert!(
            screen.contains(
                "SSO login: open https://device.example/?user_code=AB-CD and confirm the code AB-CD"
            ),
            "{screen}"
        );
    }
}
