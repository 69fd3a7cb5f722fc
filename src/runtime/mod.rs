//! Runs [`Effect`]s as tokio tasks and sends their results back as [`Msg`]s; owns the event loop
//! that feeds keys, resizes, ticks and results to `app::update` and draws once per batch.

mod changes;
mod credentials;
mod dns;
mod event_loop;
mod tenants;
mod workflows;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Semaphore, mpsc};

use crate::app::{Change, Effect, Msg};
use crate::domain::time;
use crate::mutation::AuditLog;
use crate::services::{AccountDirectory, Backend};

pub use credentials::CredentialTasks;
pub use event_loop::run_tui;

/// What the runtime needs besides the backend.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    pub directory: AccountDirectory,
    /// Accounts checked in parallel.
    pub concurrency: usize,
    /// Route53 calls per second per account (the DNS inventory).
    pub route53_rps: u32,
    /// How long a throttled Route53 call keeps backing off.
    pub throttle_patience: std::time::Duration,
    /// Where `e` writes exports.
    pub export_dir: PathBuf,
    /// Where every change to AWS is recorded.
    pub audit: Arc<AuditLog>,
    /// User creations per second when a plan creates many (`cognito.import_rate`).
    pub import_rate: u32,
    /// The `[onboarding]` runbook the Tenants pane's onboarding form plans with.
    pub onboarding: crate::config::OnboardingConfig,
    /// The region the dashboard starts in (empty: the SDK's default); `:region` changes it.
    pub region: String,
    /// Step Functions calls per second per account × region in a scoped read (`scope.sfn_rps`).
    pub sfn_rps: u32,
}

/// The clients of each region: the dashboard's own for its current region, and one set per
/// other region an execution or a scope was read in, kept until the region or the credentials
/// change (each set caches its accounts' assumed roles).
#[derive(Clone)]
pub(crate) struct Backends {
    current: Arc<dyn Backend>,
    region: String,
    others: Arc<std::sync::Mutex<std::collections::HashMap<String, Arc<dyn Backend>>>>,
}

impl Backends {
    /// The clients in `region` (empty: the current region).
    pub(crate) fn at(&self, region: &str) -> Arc<dyn Backend> {
        if region.is_empty() || region == self.region {
            return self.current.clone();
        }
        let mut others = self
            .others
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        others
            .entry(region.to_owned())
            .or_insert_with(|| self.current.in_region(region))
            .clone()
    }
}

pub struct Runtime {
    backend: Arc<dyn Backend>,
    config: RuntimeConfig,
    tx: mpsc::UnboundedSender<Msg>,
    fan_out: Arc<Semaphore>,
    /// `:profile`, `:login` and the MFA prompt's work; None: the credentials cannot change.
    credentials: Option<CredentialTasks>,
    /// The clients of the other regions read so far.
    others: Arc<std::sync::Mutex<std::collections::HashMap<String, Arc<dyn Backend>>>>,
}

impl Runtime {
    pub fn new(
        backend: Arc<dyn Backend>,
        config: RuntimeConfig,
        tx: mpsc::UnboundedSender<Msg>,
    ) -> Runtime {
        let fan_out = Arc::new(Semaphore::new(config.concurrency.max(1)));
        Runtime {
            backend,
            config,
            tx,
            fan_out,
            credentials: None,
            others: Arc::default(),
        }
    }

    /// Let the dashboard change its credentials (see [`CredentialTasks`]); `session_end`: when
    /// the session it starts with ends, for the header's time left.
    pub fn with_credentials(
        mut self,
        tasks: CredentialTasks,
        session_end: Option<std::time::SystemTime>,
    ) -> Runtime {
        tasks.watch_session(session_end, &self.tx);
        self.credentials = Some(tasks);
        self
    }

    /// Start the work an effect asks for. Never blocks on the network: every call is a task.
    /// Terminal effects (copy, suspend) are the event loop's; they are not handled here.
    pub fn spawn(&mut self, effect: Effect) {
        let tx = self.tx.clone();
        let backend = self.backend.clone();
        match effect {
            Effect::LoadIdentity { request } => {
                tokio::spawn(async move {
                    let result = backend.caller_identity().await;
                    log_failure("caller_identity", &result);
                    let _ = tx.send(Msg::Identity {
                        request,
                        result,
                        at: Utc::now(),
                    });
                });
            }
            Effect::LoadAccounts { request } => {
                let directory = self.config.directory.clone();
                tokio::spawn(async move {
                    let result = directory.load(backend.as_ref()).await;
                    log_failure("list_accounts", &result);
                    let _ = tx.send(Msg::Accounts {
                        request,
                        result,
                        at: Utc::now(),
                    });
                });
            }
            Effect::CheckAccess {
                list_request,
                account_id,
            } => {
                let fan_out = self.fan_out.clone();
                tokio::spawn(async move {
                    // The semaphore is never closed, so acquiring cannot fail.
                    let _permit = fan_out.acquire_owned().await;
                    let result = backend.check_access(&account_id).await;
                    log_failure("check_access", &result);
                    let _ = tx.send(Msg::Access {
                        list_request,
                        account_id,
                        result,
                    });
                });
            }
            Effect::Tenants(effect) => tenants::spawn(effect, self.backends(), tx, &self.config),
            Effect::Dns(effect) => dns::spawn(effect, backend, tx, &self.config),
            Effect::Workflows(effect) => {
                workflows::spawn(effect, self.backends(), tx, &self.config);
            }
            Effect::Execute(approved) => {
                // A tenant's change is made in the plan's region (a tenant opened from the
                // organisation may live in another one).
                let plan = approved.plan();
                let (backend, region) = if !self.config.region.is_empty()
                    && plan
                        .steps
                        .iter()
                        .any(|s| matches!(s.action, Change::Tenants(_)))
                {
                    (self.backends().at(&plan.region), plan.region.clone())
                } else {
                    (backend, self.config.region.clone())
                };
                let audit = self.config.audit.clone();
                let rates = changes::Rates {
                    create: self.config.import_rate,
                    route53: self.config.route53_rps,
                };
                tokio::spawn(async move {
                    let progress = tx.clone();
                    let msg =
                        changes::execute(approved, backend, &region, audit, rates, progress).await;
                    let _ = tx.send(msg);
                });
            }
            Effect::Credentials(crate::app::credentials::CredentialsEffect::Use) => {
                if let Some(backend) = self.credentials.as_ref().and_then(|t| t.take_ready()) {
                    self.backend = backend;
                    self.forget_regions();
                }
            }
            Effect::Credentials(effect) => match &self.credentials {
                Some(tasks) => tasks.spawn(effect, tx),
                None => {
                    let _ = tx.send(Msg::Credentials(
                        crate::app::credentials::CredentialsMsg::Failed {
                            message: "this dashboard cannot change its credentials".into(),
                        },
                    ));
                }
            },
            Effect::SwitchRegion { region } => {
                self.backend = self.backend.in_region(&region);
                self.config.region = region;
                self.forget_regions();
            }
            Effect::Export {
                name,
                headers,
                rows,
            } => {
                let dir = self.config.export_dir.clone();
                tokio::task::spawn_blocking(move || {
                    let result = write_export(&dir, &name, &headers, &rows)
                        .map(|p| p.display().to_string())
                        .map_err(|e| format!("{}: {e}", dir.display()));
                    let _ = tx.send(Msg::Exported { result });
                });
            }
            Effect::ExportJson { name, json } => {
                let dir = self.config.export_dir.clone();
                tokio::task::spawn_blocking(move || {
                    let result = write_json_export(&dir, &name, &json)
                        .map(|p| p.display().to_string())
                        .map_err(|e| format!("{}: {e}", dir.display()));
                    let _ = tx.send(Msg::Exported { result });
                });
            }
            Effect::TableJob(job) => {
                // Fuzzy matching or sorting of a large table: CPU work, off the async workers.
                tokio::task::spawn_blocking(move || {
                    if let Some(answer) = job.run() {
                        let _ = tx.send(Msg::TableJobDone {
                            generation: job.generation(),
                            answer,
                        });
                    }
                });
            }
            Effect::Copy { .. }
            | Effect::Suspend
            | Effect::Bell
            | Effect::EditExternally { .. } => {}
        }
    }
}

impl Runtime {
    fn backends(&self) -> Backends {
        Backends {
            current: self.backend.clone(),
            region: self.config.region.clone(),
            others: self.others.clone(),
        }
    }

    /// Other credentials or another current region: the other regions' clients are rebuilt
    /// when next needed.
    fn forget_regions(&mut self) {
        self.others = Arc::default();
    }

    /// A message produced by the event loop itself (e.g. after the external editor closed).
    pub fn send(&self, msg: Msg) {
        let _ = self.tx.send(msg);
    }

    /// The system-clipboard half of a copy; `osc52` says whether the terminal half was written.
    /// Either reaching a clipboard is success: over SSH there is no system clipboard, and a
    /// desktop terminal without OSC 52 support has one.
    pub fn copy_to_system_clipboard(&self, text: String, osc52: Result<(), String>) {
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let system = arboard::Clipboard::new()
                .and_then(|mut c| c.set_text(text.clone()))
                .map_err(|e| e.to_string());
            let result = match (osc52, system) {
                (Ok(()), _) | (_, Ok(())) => Ok(()),
                (Err(terminal), Err(system)) => {
                    Err(format!("terminal: {terminal}; system clipboard: {system}"))
                }
            };
            let _ = tx.send(Msg::Copied { what: text, result });
        });
    }
}

/// Failures reach the screen as messages; the log keeps them for later (no secrets: a
/// `ServiceError` holds the AWS code and message only).
pub(crate) fn log_failure<T>(what: &str, result: &Result<T, crate::services::ServiceError>) {
    if let Err(e) = result {
        tracing::warn!(call = what, kind = ?e.kind, code = ?e.code, "{}", e.message);
    }
}

/// Write a CSV export next to the log, named by view and time, values sanitised like `-o csv`.
fn write_export(
    dir: &std::path::Path,
    name: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{name}-{}.csv", time::file_stamp(Utc::now())));
    let mut writer = csv::Writer::from_writer(create_private(&path)?);
    writer.write_record(headers)?;
    for row in rows {
        // Exports are opened in spreadsheets: formula cells become text.
        writer.write_record(row.iter().map(|c| {
            let safe = crate::domain::sanitize::sanitize(c);
            crate::rows::spreadsheet_safe(&safe).into_owned()
        }))?;
    }
    writer.flush()?;
    Ok(path)
}

/// Write a JSON export next to the CSV ones, named the same way.
fn write_json_export(dir: &std::path::Path, name: &str, json: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{name}-{}.json", time::file_stamp(Utc::now())));
    create_private(&path)?.write_all(format!("{json}\n").as_bytes())?;
    Ok(path)
}

/// Create (or truncate) an export file readable and writable by the user only: exports hold
/// tenants, users and accounts.
fn create_private(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_exports_neutralise_formula_cells() {
        let dir = tempfile::tempdir().unwrap();
        let headers = vec!["NAME".to_owned(), "VALUE".to_owned()];
        let rows = vec![vec!["=cmd|'/C calc'!A0".to_owned(), "-5".to_owned()]];
        let path = super::write_export(dir.path(), "records", &headers, &rows).unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(text, "NAME,VALUE\n'=cmd|'/C calc'!A0,-5\n");
    }
}
