//! The forms that take the keyboard: the user search, onboarding a tenant or a user, a user's
//! role, and the CSV import; their fields, keys, and what a submit plans.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{TenantsEffect, TenantsPane};
use crate::app::Effect;
use crate::app::list::ListPane;
use crate::app::pane::Ctx;
use crate::config::keymap::{Action, Scope};
use crate::domain::tenancy::plan::Intent;
use crate::services::UserFilter;

/// A form that takes the keyboard: onboarding a tenant or a user, or choosing a role.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// Why the last submit was refused.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// A server-side search of the pool's users by email or username prefix.
    Search,
    OnboardTenant,
    OnboardUser {
        tenant: String,
    },
    SetRole {
        username: String,
        tenant: String,
    },
    /// Bulk onboarding from a CSV file (email,role[,name]).
    Import {
        tenant: String,
    },
}

impl FormKind {
    pub fn title(&self) -> String {
        match self {
            FormKind::Search => "Search the pool's users".into(),
            FormKind::OnboardTenant => "Onboard a tenant".into(),
            FormKind::OnboardUser { tenant } => format!("Onboard a user into {tenant}"),
            FormKind::SetRole { username, tenant } => {
                format!("Role of {username} in {tenant}")
            }
            FormKind::Import { tenant } => format!("Import users into {tenant} from CSV"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub label: &'static str,
    pub input: Input,
    /// A choice field when not empty (Left/Right cycle); free text otherwise.
    pub choices: Vec<String>,
    pub choice: usize,
}

impl FormField {
    fn text(label: &'static str) -> FormField {
        FormField {
            label,
            input: Input::default(),
            choices: Vec::new(),
            choice: 0,
        }
    }

    fn choice(label: &'static str, choices: Vec<String>, choice: usize) -> FormField {
        FormField {
            label,
            input: Input::default(),
            choices,
            choice,
        }
    }

    pub fn value(&self) -> String {
        if self.choices.is_empty() {
            self.input.value().trim().to_owned()
        } else {
            self.choices.get(self.choice).cloned().unwrap_or_default()
        }
    }
}

impl TenantsPane {
    pub(super) fn open_form(&mut self, kind: FormKind) {
        let roles = self.settings.roles.clone();
        let fields = match &kind {
            FormKind::Search => vec![
                FormField::text("prefix"),
                FormField::choice("match", vec!["email".into(), "username".into()], 0),
            ],
            FormKind::OnboardTenant => vec![
                FormField::text("tenant id"),
                FormField::text("display name"),
                FormField::text("admin email"),
            ],
            FormKind::OnboardUser { .. } => vec![
                FormField::text("email"),
                FormField::choice("role", roles.clone(), roles.len().saturating_sub(1).min(1)),
            ],
            FormKind::Import { .. } => vec![FormField::text("CSV file")],
            FormKind::SetRole { .. } => {
                let current = self
                    .acting_user()
                    .and_then(|(_, role, _)| roles.iter().position(|r| *r == role))
                    .unwrap_or(0);
                vec![FormField::choice("role", roles, current)]
            }
        };
        self.form = Some(Form {
            kind,
            fields,
            focus: 0,
            error: None,
        });
    }

    fn submit_form(&mut self, ctx: &mut Ctx) {
        let tenancy = self.tenancy();
        let Some(form) = self.form.as_mut() else {
            return;
        };
        let values: Vec<String> = form.fields.iter().map(FormField::value).collect();
        let intent = match &form.kind {
            FormKind::Search => {
                if values[0].is_empty() {
                    form.error = Some("type the start of an email address or username".into());
                    return;
                }
                let filter = if values[1] == "username" {
                    UserFilter::UsernamePrefix(values[0].clone())
                } else {
                    UserFilter::EmailPrefix(values[0].clone())
                };
                self.form = None;
                self.search = Some(filter);
                self.found = ListPane::default();
                return;
            }
            FormKind::OnboardTenant => Intent::OnboardTenant {
                tenant: values[0].clone(),
                display_name: values[1].clone(),
                admin_email: values[2].clone(),
            },
            FormKind::OnboardUser { tenant } => Intent::OnboardUser {
                tenant: tenant.clone(),
                email: values[0].clone(),
                role: values[1].clone(),
            },
            FormKind::SetRole { username, tenant } => Intent::SetRole {
                username: username.clone(),
                tenant: tenant.clone(),
                role: values[0].clone(),
            },
            FormKind::Import { tenant } => {
                if values[0].is_empty() {
                    form.error = Some("give the path of a CSV file with columns email,role".into());
                    return;
                }
                let tenant = tenant.clone();
                let Some(target) = self.target(ctx) else {
                    return;
                };
                self.form = None;
                let request = ctx.request();
                self.planning = Some(request);
                ctx.notify("checking the file and reading the pool…", false);
                ctx.run(Effect::Tenants(TenantsEffect::PlanImport {
                    request,
                    tenancy,
                    target,
                    tenant,
                    path: values[0].clone(),
                }));
                return;
            }
        };
        if let Intent::OnboardTenant { tenant, .. } = &intent {
            let complete = self.tenants.items().iter().any(|r| {
                r.tenant.id == *tenant && r.tenant.roles.len() == self.settings.roles.len()
            });
            if complete {
                if let Some(form) = self.form.as_mut() {
                    form.error = Some(format!(
                        "tenant {tenant} already exists; choose another id (a tenant with \
                         missing role groups can be completed by onboarding it again)"
                    ));
                }
                return;
            }
        }
        if let Err(e) = intent.clone().validated(&tenancy)
            && let Some(form) = self.form.as_mut()
        {
            form.error = Some(e);
            return;
        }
        self.form = None;
        self.propose(intent, ctx);
    }

    pub(super) fn on_form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        let n = form.fields.len();
        let action = ctx.action(&[Scope::Form], &key);
        match action {
            Some(Action::FormCancel) => {
                self.form = None;
                ctx.notify("cancelled: nothing was changed", false);
            }
            Some(Action::FormSubmit) => self.submit_form(ctx),
            Some(Action::FormNextField) => form.focus = (form.focus + 1) % n,
            Some(Action::FormPrevField) => form.focus = (form.focus + n - 1) % n,
            _ => {
                let field = &mut form.fields[form.focus];
                let m = field.choices.len();
                match action {
                    // Text fields take every other key as typing (Space, Right...).
                    _ if m == 0 => {
                        field.input.handle_event(&Event::Key(key));
                    }
                    Some(Action::FormNextChoice) => field.choice = (field.choice + 1) % m,
                    Some(Action::FormPrevChoice) => field.choice = (field.choice + m - 1) % m,
                    // A letter jumps to the first choice that starts with it.
                    _ => {
                        if let KeyCode::Char(c) = key.code
                            && let Some(i) = field.choices.iter().position(|r| r.starts_with(c))
                        {
                            field.choice = i;
                        }
                    }
                }
                form.error = None;
            }
        }
    }
}
