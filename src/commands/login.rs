//! `opsdeck login`, `opsdeck logout`, and the MFA code question commands ask on the terminal.

use std::io::{BufRead, Write};
use std::time::SystemTime;

use aws_config::SdkConfig;

use crate::aws::{self, ChainSettings, DeviceCode, LoginTarget};
use crate::domain::sanitize::sanitize;

/// How commands get an MFA code: `--mfa-code` / `OPSDECK_MFA_CODE` once, else a question on the
/// terminal (the code is typed visibly: it is worthless 30 s later), else an error naming the flag.
pub struct CodeSource {
    pub given: Option<String>,
    /// stdin is a terminal.
    pub interactive: bool,
}

impl CodeSource {
    /// The code for `serial`.
    pub fn ask(&mut self, serial: &str) -> Result<String, String> {
        if let Some(code) = self.given.take() {
            return Ok(code);
        }
        if !self.interactive {
            return Err(
                "pass --mfa-code CODE or set OPSDECK_MFA_CODE (there is no terminal to ask on)"
                    .into(),
            );
        }
        ask_on(
            serial,
            &mut std::io::stdin().lock(),
            &mut std::io::stderr().lock(),
        )
    }
}

/// Ask once on `err`, read one line from `input`.
pub fn ask_on(
    serial: &str,
    input: &mut dyn BufRead,
    err: &mut dyn Write,
) -> Result<String, String> {
    let _ = write!(err, "MFA code for {}: ", sanitize(serial));
    let _ = err.flush();
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) => Err("no MFA code was typed".into()),
        Ok(_) => Ok(line.trim().to_owned()),
        Err(e) => Err(format!("cannot read the MFA code: {e}")),
    }
}

/// `2026-12-03 18:00 UTC`.
pub fn when(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time)
        .format("%Y-%m-%d %H:%M UTC")
        .to_string()
}

/// `opsdeck login`: the SSO device flow, or a new MFA session, for the chosen profile.
pub async fn login(
    sdk: &SdkConfig,
    settings: &ChainSettings,
    codes: &mut CodeSource,
    out: &mut dyn Write,
    err: &mut (dyn Write + Send),
) -> anyhow::Result<i32> {
    let target = aws::login_target(settings.profile.as_deref())
        .await
        .map_err(anyhow::Error::msg)?;
    match target {
        LoginTarget::Sso(login) => {
            let mut show = |code: &DeviceCode| {
                let url = code
                    .verification_uri_complete
                    .as_deref()
                    .unwrap_or(&code.verification_uri);
                let _ = writeln!(
                    err,
                    "To log in to {} (profile {}), open this page and confirm the code {}:\n  {}\n\
                     Waiting for the approval (up to {} min)...",
                    sanitize(&login.start_url),
                    sanitize(&login.profile),
                    sanitize(&code.user_code),
                    sanitize(url),
                    code.expires_in.as_secs().div_ceil(60),
                );
            };
            let (path, expires) = aws::sso_device_login(sdk, &login, &mut show)
                .await
                .map_err(anyhow::Error::msg)?;
            writeln!(
                out,
                "Logged in: the SSO session of profile {} lasts until {} (token in {}).",
                sanitize(&login.profile),
                when(expires),
                path.display()
            )?;
        }
        LoginTarget::Mfa { profile, serial } => {
            aws::forget_mfa_sessions(Some(&profile), &settings.cache_dir)
                .map_err(anyhow::Error::msg)?;
            let resolved = aws::resolve(sdk.clone(), settings, &mut |s: &str| codes.ask(s))
                .await
                .map_err(anyhow::Error::msg)?;
            let until = resolved
                .source
                .session_end()
                .map_or_else(String::new, |t| format!(" lasts until {}", when(t)));
            writeln!(
                out,
                "Logged in: the MFA session of profile {} ({}){until}.",
                sanitize(&profile),
                sanitize(&serial)
            )?;
        }
        LoginTarget::Neither { profile, what } => {
            anyhow::bail!(
                "profile {profile} has nothing to log in to: its credentials are {what}; login is \
                 for profiles with sso_session (or sso_start_url) or mfa_serial"
            );
        }
    }
    Ok(crate::exit::SUCCESS)
}

/// `opsdeck logout`: forget the profile's MFA session and SSO token.
pub async fn logout(settings: &ChainSettings, out: &mut dyn Write) -> anyhow::Result<i32> {
    let removed = aws::logout(settings.profile.as_deref(), &settings.cache_dir)
        .await
        .map_err(anyhow::Error::msg)?;
    let profile = settings.profile.clone().unwrap_or_else(|| {
        std::env::var("AWS_PROFILE")
            .ok()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "default".into())
    });
    if removed.is_empty() {
        writeln!(
            out,
            "Profile {}: no cached session to forget.",
            sanitize(&profile)
        )?;
    } else {
        writeln!(
            out,
            "Profile {}: forgot {} cached session file(s); the next command asks again.",
            sanitize(&profile),
            removed.len()
        )?;
    }
    Ok(crate::exit::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_names_the_device_and_reads_one_line() {
        let mut err = Vec::new();
        let code = ask_on(
            "arn:aws:iam::1:mfa/ann",
            &mut &b"123456\n654321\n"[..],
            &mut err,
        )
        .unwrap();
        assert_eq!(code, "123456");
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "MFA code for arn:aws:iam::1:mfa/ann: "
        );
        assert!(ask_on("x", &mut &b""[..], &mut Vec::new()).is_err());
    }

    #[test]
    fn without_a_terminal_the_flag_is_named() {
        let mut codes = CodeSource {
            given: Some("111111".into()),
            interactive: false,
        };
        assert_eq!(codes.ask("s").unwrap(), "111111");
        let e = codes.ask("s").unwrap_err();
        assert!(
            e.contains("--mfa-code") && e.contains("OPSDECK_MFA_CODE"),
            "{e}"
        );
    }
}
