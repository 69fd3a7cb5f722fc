//! The forms that take the keyboard: the user search, onboarding a tenant or a user, a user's
//! role, and the CSV import; their fields, keys, and what a submit plans.

use crossterm::event::KeyEvent;

use super::{TenantsEffect, TenantsPane};
pub use crate::app::form::Field as FormField;
use crate::app::form::FormKey;
use crate::app::list::ListPane;
use crate::app::pane::Ctx;
use crate::domain::tenancy::plan::Intent;
use crate::services::UserFilter;

/// A form that takes the keyboard: onboarding a tenant or a user, or choosing a role.
pub type Form = crate::app::form::Form<FormKind>;

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

impl TenantsPane {
    pub(super) fn open_form(&mut self, kind: FormKind) {
        let roles = self.settings.roles.clone();
        let fields = match &kind {
            FormKind::Search => vec![
                FormField::text("prefix", ""),
                FormField::choice("match", vec!["email".into(), "username".into()], 0),
            ],
            FormKind::OnboardTenant => {
                let mut fields = vec![
                    FormField::text("tenant id", ""),
                    FormField::text("display name", ""),
                    FormField::text("admin email", ""),
                ];
                // The runbook's own variables, as `tenants create --var name=value` takes them.
                for name in self.runbook.iter().flatten() {
                    fields.push(FormField::text(format!("{{{name}}}"), ""));
                }
                fields
            }
            FormKind::OnboardUser { .. } => vec![
                FormField::text("email", ""),
                FormField::choice("role", roles.clone(), roles.len().saturating_sub(1).min(1)),
            ],
            FormKind::Import { .. } => vec![FormField::text("CSV file", "")],
            FormKind::SetRole { .. } => {
                let current = self
                    .acting_user()
                    .and_then(|(_, role, _)| roles.iter().position(|r| *r == role))
                    .unwrap_or(0);
                vec![FormField::choice("role", roles, current)]
            }
        };
        self.form = Some(Form::new(kind, fields));
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
                ctx.run(self.effect(TenantsEffect::PlanImport {
                    request,
                    tenancy,
                    target,
                    tenant,
                    path: values[0].clone(),
                }));
                return;
            }
        };
        if let Intent::OnboardTenant { tenant, .. } = &intent
            && self.runbook.is_none()
        {
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
        if let (Some(names), Intent::OnboardTenant { .. }) = (&self.runbook, &intent) {
            let mut vars = Vec::new();
            for (name, value) in names.iter().zip(values.iter().skip(3)) {
                if value.trim().is_empty() {
                    if let Some(form) = self.form.as_mut() {
                        form.error = Some(format!(
                            "give a value for {{{name}}}: the onboarding runbook uses it"
                        ));
                    }
                    return;
                }
                vars.push(format!("{name}={}", value.trim()));
            }
            self.form = None;
            return self.propose_onboarding(intent, vars, ctx);
        }
        self.form = None;
        self.propose(intent, ctx);
    }

    pub(super) fn on_form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match form.on_key(key, ctx.keymap) {
            FormKey::Cancel => {
                self.form = None;
                ctx.notify("cancelled: nothing was changed", false);
            }
            FormKey::Submit => self.submit_form(ctx),
            FormKey::Handled | FormKey::Editor => {}
        }
    }
}
