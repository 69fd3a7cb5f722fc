//! The credential work of the dashboard (`app::credentials`): resolving a profile's credentials
//! (`:profile`, a renewal before an MFA session ends), checking a typed MFA code, the SSO device
//! login of `:login`, and telling the app how long the session has left.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::credentials::{CredentialsEffect, CredentialsMsg};
use crate::aws::{
    self, Aws, AwsSettings, ChainSettings, CredentialError, LoginTarget, PendingMfa, Prepared,
    Resolved,
};
use crate::services::Backend;

/// How often the session's time left is sent to the app.
const LEFT_EVERY: Duration = Duration::from_secs(30);

/// What the credential tasks share.
#[derive(Clone)]
pub struct CredentialTasks {
    /// The settings the dashboard started with (the profile and region are replaced per request).
    settings: AwsSettings,
    chain: ChainSettings,
    /// The MFA session waiting for its code, with the settings its clients will have.
    pending: Arc<Mutex<Option<(PendingMfa, AwsSettings)>>>,
    /// Clients made ready, put in use by [`CredentialsEffect::Use`].
    ready: Arc<Mutex<Option<Arc<dyn Backend>>>>,
    /// Bumped by each new session: the time-left ticker of an older one stops.
    session: Arc<AtomicU64>,
}

impl CredentialTasks {
    /// `pending`: the MFA session the dashboard starts with, waiting for its code.
    pub fn new(settings: AwsSettings, chain: ChainSettings, pending: Option<PendingMfa>) -> Self {
        let pending = pending.map(|p| (p, settings.clone()));
        CredentialTasks {
            settings,
            chain,
            pending: Arc::new(Mutex::new(pending)),
            ready: Arc::new(Mutex::new(None)),
            session: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The clients made ready last, once.
    pub(super) fn take_ready(&self) -> Option<Arc<dyn Backend>> {
        lock(&self.ready).take()
    }

    /// Tell the app how long the session has left, now and every 30 s, until it ends or another
    /// session replaces it.
    pub fn watch_session(&self, end: Option<SystemTime>, tx: &mpsc::UnboundedSender<Msg>) {
        let generation = self.session.fetch_add(1, Ordering::SeqCst) + 1;
        let Some(end) = end else { return };
        let (session, tx) = (self.session.clone(), tx.clone());
        tokio::spawn(async move {
            while session.load(Ordering::SeqCst) == generation {
                let left = end
                    .duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO);
                let _ = tx.send(Msg::Credentials(CredentialsMsg::Left { left }));
                if left.is_zero() {
                    return;
                }
                tokio::time::sleep(LEFT_EVERY.min(left)).await;
            }
        });
    }

    pub(super) fn spawn(&self, effect: CredentialsEffect, tx: mpsc::UnboundedSender<Msg>) {
        let tasks = self.clone();
        match effect {
            CredentialsEffect::Resolve {
                profile,
                region,
                fresh,
            } => {
                tokio::spawn(async move {
                    let settings = tasks.settings_for(profile, region);
                    let msg = tasks.resolve(settings, fresh, &tx).await;
                    let _ = tx.send(Msg::Credentials(msg));
                });
            }
            CredentialsEffect::Code(code) => {
                tokio::spawn(async move {
                    let msg = tasks.check_code(&code.0, &tx).await;
                    let _ = tx.send(Msg::Credentials(msg));
                });
            }
            CredentialsEffect::Login { profile, region } => {
                tokio::spawn(async move {
                    let settings = tasks.settings_for(profile, region);
                    let msg = tasks.login(settings, &tx).await;
                    let _ = tx.send(Msg::Credentials(msg));
                });
            }
            // The runtime swaps its clients itself.
            CredentialsEffect::Use => {}
        }
    }

    fn settings_for(&self, profile: Option<String>, region: Option<String>) -> AwsSettings {
        let mut settings = self.settings.clone();
        settings.profile = profile.or(settings.profile);
        settings.region = region.or(settings.region);
        settings
    }

    async fn resolve(
        &self,
        settings: AwsSettings,
        fresh: bool,
        tx: &mpsc::UnboundedSender<Msg>,
    ) -> CredentialsMsg {
        let failed = |message: String| CredentialsMsg::Failed { message };
        if let Err(message) = aws::preflight(&settings) {
            return failed(message);
        }
        let chain = ChainSettings {
            profile: settings.profile.clone(),
            ..self.chain.clone()
        };
        let forgotten = || aws::forget_mfa_sessions(chain.profile.as_deref(), &chain.cache_dir);
        if let (true, Err(message)) = (fresh, forgotten()) {
            return failed(message);
        }
        let sdk = aws::load_base_config(&settings).await;
        match aws::prepare(sdk, &chain).await {
            Ok(Prepared::Ready(resolved)) => self.ready(resolved, settings, tx),
            Ok(Prepared::NeedsCode(pending)) => {
                let msg = CredentialsMsg::NeedCode {
                    profile: pending.profile().to_owned(),
                    serial: pending.serial().to_owned(),
                    problem: None,
                };
                *lock(&self.pending) = Some((pending, settings));
                msg
            }
            Err(e @ CredentialError::SsoLogin { .. }) => {
                let profile = chain.profile.as_deref().unwrap_or("default");
                failed(format!("{e}; or :login {profile} here"))
            }
            Err(e) => failed(e.to_string()),
        }
    }

    async fn check_code(&self, code: &str, tx: &mpsc::UnboundedSender<Msg>) -> CredentialsMsg {
        let Some((pending, settings)) = lock(&self.pending).clone() else {
            return CredentialsMsg::Failed {
                message: "no MFA session is waiting for a code".into(),
            };
        };
        match pending.with_code(code).await {
            Ok(resolved) => {
                *lock(&self.pending) = None;
                self.ready(resolved, settings, tx)
            }
            // Asked again: the prompt stays open with the reason.
            Err(
                e @ (CredentialError::MfaRejected { .. } | CredentialError::MfaCodeMissing { .. }),
            ) => CredentialsMsg::NeedCode {
                profile: pending.profile().to_owned(),
                serial: pending.serial().to_owned(),
                problem: Some(e.to_string()),
            },
            Err(e) => CredentialsMsg::Failed {
                message: e.to_string(),
            },
        }
    }

    async fn login(
        &self,
        settings: AwsSettings,
        tx: &mpsc::UnboundedSender<Msg>,
    ) -> CredentialsMsg {
        let target = match aws::login_target(settings.profile.as_deref()).await {
            Ok(target) => target,
            Err(message) => return CredentialsMsg::Failed { message },
        };
        match target {
            LoginTarget::Sso(login) => {
                let sdk = aws::load_base_config(&settings).await;
                let sender = tx.clone();
                let mut show = move |code: &aws::DeviceCode| {
                    let url = code
                        .verification_uri_complete
                        .clone()
                        .unwrap_or_else(|| code.verification_uri.clone());
                    let _ = sender.send(Msg::Credentials(CredentialsMsg::DeviceCode {
                        url,
                        code: code.user_code.clone(),
                    }));
                };
                if let Err(message) = aws::sso_device_login(&sdk, &login, &mut show).await {
                    return CredentialsMsg::Failed { message };
                }
                self.resolve(settings, false, tx).await
            }
            LoginTarget::Mfa { .. } => self.resolve(settings, true, tx).await,
            LoginTarget::Neither { profile, what } => CredentialsMsg::Failed {
                message: format!(
                    "profile {profile} has nothing to log in to: its credentials are {what}"
                ),
            },
        }
    }

    /// New clients for `resolved`, kept until the app puts them in use.
    fn ready(
        &self,
        resolved: Resolved,
        settings: AwsSettings,
        tx: &mpsc::UnboundedSender<Msg>,
    ) -> CredentialsMsg {
        let end = resolved.source.session_end();
        let mfa = matches!(resolved.source, aws::CredentialSource::Mfa { .. });
        let profile = settings.profile.clone();
        let backend: Arc<dyn Backend> = Arc::new(Aws::new(resolved.sdk, settings));
        *lock(&self.ready) = Some(backend);
        self.watch_session(end, tx);
        CredentialsMsg::Ready {
            profile,
            mfa,
            left: end.map(|e| e.duration_since(SystemTime::now()).unwrap_or_default()),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
