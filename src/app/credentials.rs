//! Credentials in the dashboard: the MFA code prompt that takes the keyboard before any AWS call
//! (and asks again after a refused code), `:profile NAME` and `:login`, and the session's time
//! left, with a new code asked for before an MFA session ends. The runtime does the work
//! (`runtime/credentials.rs`); this is the state and what keys and answers do to it.

use std::time::Duration;

use crossterm::event::KeyEvent;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::config::keymap::{Action, Scope};

use super::msg::Effect;
use super::state::{Mode, Pane, State};

/// A new MFA code is asked for this long before the session ends, so calls never fail on it.
pub const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

/// What the dashboard knows of its credentials.
#[derive(Debug, Default)]
pub struct Credentials {
    /// Credentials are in use. False while the first MFA code is awaited: no AWS call is made.
    pub waiting: bool,
    /// The MFA code prompt, while it is open (`Mode::Credentials`).
    pub prompt: Option<CodePrompt>,
    /// The SSO device login in progress: the page to open and the code to confirm there.
    pub device: Option<DeviceLogin>,
    /// How long the MFA or SSO session has left, as the runtime last said.
    pub left: Option<Duration>,
    /// The session is an MFA session (renewed with a new code) rather than an SSO one.
    pub mfa: bool,
    /// A renewal was asked for this session: not again.
    pub renewing: bool,
    /// The profile being switched to, while its credentials resolve.
    pub switching: Option<String>,
    /// The profiles of `~/.aws/config`, for `:profile` completion.
    pub profiles: Vec<String>,
}

/// The open MFA code prompt.
#[derive(Debug)]
pub struct CodePrompt {
    pub profile: String,
    pub serial: String,
    pub input: Input,
    /// Why it asks again (a refused code), or that the code is being checked.
    pub problem: Option<String>,
    /// The code was sent: keys wait for the answer.
    pub checking: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceLogin {
    pub url: String,
    pub code: String,
}

/// What the runtime says about credentials.
#[derive(Debug)]
pub enum CredentialsMsg {
    /// The profile's MFA session needs a code (again, with `problem`, after a refused one).
    NeedCode {
        profile: String,
        serial: String,
        problem: Option<String>,
    },
    /// The SSO device login started: open `url`, confirm `code`.
    DeviceCode {
        url: String,
        code: String,
    },
    /// New credentials are ready for `profile` (None: the configured one); the runtime puts them
    /// in use with [`CredentialsEffect::Use`].
    Ready {
        profile: Option<String>,
        mfa: bool,
        left: Option<Duration>,
    },
    /// How long the session has left (sent every 30 s while a session has an end).
    Left {
        left: Duration,
    },
    Failed {
        message: String,
    },
}

/// An MFA code on its way to STS: never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(pub String);

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Code(******)")
    }
}

/// Work on credentials for the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialsEffect {
    /// Resolve the profile's credentials (None: the configured profile); `fresh` forgets the
    /// cached MFA session first, so a new code is asked for.
    Resolve {
        profile: Option<String>,
        region: Option<String>,
        fresh: bool,
    },
    /// The code typed for the MFA session the runtime holds.
    Code(Code),
    /// The SSO device login (or a new MFA session) for the profile, then its credentials.
    Login {
        profile: Option<String>,
        region: Option<String>,
    },
    /// Put the credentials last made ready in use (before the loads that follow).
    Use,
}

/// Open the code prompt: at start (no call is made until it is answered), or when asked.
pub fn ask_for_code(state: &mut State, profile: String, serial: String, problem: Option<String>) {
    state.credentials.prompt = Some(CodePrompt {
        profile,
        serial,
        input: Input::default(),
        problem,
        checking: false,
    });
    state.mode = Mode::Credentials;
}

/// Before the dashboard's first call: the code is asked for first.
pub fn start_with_code_prompt(state: &mut State, profile: String, serial: String) {
    state.credentials.waiting = true;
    ask_for_code(state, profile, serial, None);
}

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(prompt) = state.credentials.prompt.as_mut() else {
        state.mode = Mode::Normal;
        return Vec::new();
    };
    if prompt.checking {
        return Vec::new();
    }
    match state.keymap.action_in(&[Scope::Form], &key) {
        Some(Action::FormCancel) => {
            state.credentials.prompt = None;
            state.credentials.switching = None;
            state.mode = Mode::Normal;
            if state.credentials.waiting {
                state.notify(
                    "no credentials: :login for a new session, :profile NAME for another profile, \
                     q to quit",
                    true,
                );
            }
            Vec::new()
        }
        Some(Action::FormSubmit) => {
            let code = prompt.input.value().trim().to_owned();
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                prompt.problem = Some("an MFA code is the 6 digits your device shows".into());
                return Vec::new();
            }
            prompt.checking = true;
            prompt.problem = Some("checking the code…".into());
            vec![Effect::Credentials(CredentialsEffect::Code(Code(code)))]
        }
        _ => {
            prompt
                .input
                .handle_event(&crossterm::event::Event::Key(key));
            Vec::new()
        }
    }
}

pub(super) fn on_msg(state: &mut State, msg: CredentialsMsg) -> Vec<Effect> {
    match msg {
        CredentialsMsg::NeedCode {
            profile,
            serial,
            problem,
        } => {
            ask_for_code(state, profile, serial, problem);
            Vec::new()
        }
        CredentialsMsg::DeviceCode { url, code } => {
            state.notify(
                format!("SSO login: open {url} and confirm the code {code}"),
                false,
            );
            state.credentials.device = Some(DeviceLogin { url, code });
            Vec::new()
        }
        CredentialsMsg::Ready { profile, mfa, left } => {
            let creds = &mut state.credentials;
            let first = creds.waiting;
            creds.switching = None;
            let switched = profile != state.session.profile;
            creds.waiting = false;
            creds.prompt = None;
            creds.device = None;
            creds.renewing = false;
            creds.mfa = mfa;
            creds.left = left;
            if state.mode == Mode::Credentials {
                state.mode = Mode::Normal;
            }
            if !first && !switched {
                // A renewed session for the same profile: the panes keep what they show.
                state.notify("new session: credentials renewed", false);
                return vec![Effect::Credentials(CredentialsEffect::Use)];
            }
            if switched {
                state.session.profile = profile.clone();
                state.notify(
                    format!("profile {}", profile.as_deref().unwrap_or("default")),
                    false,
                );
            }
            // Everything loaded so far belongs to the old credentials.
            state.current_account = None;
            for pane in Pane::ALL {
                state.with_pane(pane, |pane, _| pane.reset());
            }
            let mut effects = vec![
                Effect::Credentials(CredentialsEffect::Use),
                state.load_identity(),
            ];
            effects.extend(state.with_pane(Pane::Accounts, |pane, ctx| pane.reload(ctx)));
            effects
        }
        CredentialsMsg::Left { left } => {
            let creds = &mut state.credentials;
            creds.left = Some(left);
            if left > RENEW_BEFORE || creds.renewing || creds.prompt.is_some() || creds.waiting {
                return Vec::new();
            }
            creds.renewing = true;
            let minutes = left.as_secs().div_ceil(60);
            if !creds.mfa {
                state.notify(
                    format!("the SSO session ends in {minutes} min: :login to renew it"),
                    true,
                );
                return Vec::new();
            }
            state.notify(
                format!("the MFA session ends in {minutes} min: enter a new code"),
                true,
            );
            vec![Effect::Credentials(CredentialsEffect::Resolve {
                profile: state.session.profile.clone(),
                region: state.session.region.clone(),
                fresh: true,
            })]
        }
        CredentialsMsg::Failed { message } => {
            state.credentials.switching = None;
            state.credentials.device = None;
            match state.credentials.prompt.as_mut() {
                Some(prompt) => {
                    prompt.checking = false;
                    prompt.problem = Some(message);
                }
                None => state.notify(message, true),
            }
            Vec::new()
        }
    }
}

/// `:profile NAME`: resolve its credentials (asking for a code if it needs one); the panes reload
/// when they are ready.
pub(super) fn switch_profile(state: &mut State, profile: String) -> Vec<Effect> {
    state.notify(format!("switching to profile {profile}…"), false);
    state.credentials.switching = Some(profile.clone());
    vec![Effect::Credentials(CredentialsEffect::Resolve {
        profile: Some(profile),
        region: state.session.region.clone(),
        fresh: false,
    })]
}

/// `:login [PROFILE]`: the SSO device flow, or a new MFA session, for that profile (then in use)
/// or the one in use.
pub(super) fn login(state: &mut State, profile: Option<String>) -> Vec<Effect> {
    state.notify("logging in…", false);
    if profile.is_some() {
        state.credentials.switching = profile.clone();
    }
    vec![Effect::Credentials(CredentialsEffect::Login {
        profile: profile.or_else(|| state.session.profile.clone()),
        region: state.session.region.clone(),
    })]
}

/// `3h12m`, `42m`, `<1m`: the header's session time left.
pub fn left_text(left: Duration) -> String {
    let minutes = left.as_secs() / 60;
    match (minutes / 60, minutes % 60) {
        (0, 0) => "<1m".into(),
        (0, m) => format!("{m}m"),
        (h, m) => format!("{h}h{m:02}m"),
    }
}

#[cfg(test)]
mod tests;
