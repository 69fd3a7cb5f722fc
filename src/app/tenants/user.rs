//! A tenant's users and one user: the user an action applies to, the user-action menu, and a
//! user's detail as field rows.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use super::{FieldRow, FormKind, MemberRow, TenantsPane, View};
use crate::app::list::ListPane;
use crate::app::pane::Ctx;
use crate::config::keymap::{Action, Scope};
use crate::domain::tenancy::plan::Intent;
use crate::domain::tenancy::users::{Tenancy, UserDetail};
use crate::domain::time;

/// The actions on a user, offered by `c` on a user row or the user's detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAction {
    ChangeRole,
    Remove,
    RemoveAndDelete,
    ToggleEnabled,
    ResetPassword,
    ResendInvitation,
}

impl UserAction {
    pub const ALL: [UserAction; 6] = [
        UserAction::ChangeRole,
        UserAction::Remove,
        UserAction::RemoveAndDelete,
        UserAction::ToggleEnabled,
        UserAction::ResetPassword,
        UserAction::ResendInvitation,
    ];

    pub fn label(self, enabled: bool) -> &'static str {
        match self {
            UserAction::ChangeRole => "change role in this tenant",
            UserAction::Remove => "remove from this tenant",
            UserAction::RemoveAndDelete => "remove, and delete the user if in no other tenant",
            UserAction::ToggleEnabled if enabled => "disable",
            UserAction::ToggleEnabled => "enable",
            UserAction::ResetPassword => "reset password",
            UserAction::ResendInvitation => "resend the invitation",
        }
    }
}

/// The user-action menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserMenu {
    pub username: String,
    pub tenant: String,
    pub role: String,
    pub enabled: bool,
    pub selected: usize,
}

impl TenantsPane {
    pub(super) fn close_user(&mut self) {
        self.user = None;
        self.detail = ListPane::default();
        self.user_facts = None;
    }

    pub(super) fn selected_member(&self) -> Option<&MemberRow> {
        self.members.selected()
    }

    /// The user an action applies to: the selected member, or the user whose detail is open.
    pub(super) fn acting_user(&self) -> Option<(String, String, bool)> {
        match self.view() {
            View::Members => self
                .selected_member()
                .map(|m| (m.user.username.clone(), m.role.clone(), m.user.enabled)),
            View::User => {
                let username = self.user.clone()?;
                let member = self
                    .members
                    .items()
                    .iter()
                    .find(|m| m.user.username == username);
                // Not in a member list (opened by `:user`): what its detail said.
                let facts = self.user_facts.as_ref();
                let tenant = self.acting_tenant();
                let role = member.map(|m| m.role.clone()).or_else(|| {
                    let (_, memberships) = facts?;
                    memberships
                        .iter()
                        .find(|m| Some(&m.tenant) == tenant.as_ref())
                        .map(|m| m.role.clone())
                });
                let enabled = member
                    .map(|m| m.user.enabled)
                    .or(facts.map(|(enabled, _)| *enabled));
                Some((username, role.unwrap_or_default(), enabled.unwrap_or(true)))
            }
            _ => None,
        }
    }

    pub(super) fn on_menu_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(menu) = self.menu.as_mut() else {
            return;
        };
        let n = UserAction::ALL.len();
        let chosen = match (ctx.action(&[Scope::Global], &key), key.code) {
            (Some(Action::Back | Action::Quit), _) => {
                self.menu = None;
                return;
            }
            (Some(Action::Down), _) => {
                menu.selected = (menu.selected + 1) % n;
                return;
            }
            (Some(Action::Up), _) => {
                menu.selected = (menu.selected + n - 1) % n;
                return;
            }
            (Some(Action::Enter), _) => UserAction::ALL[menu.selected],
            // The menu's items are numbered: a digit chooses one (not a pane here).
            (_, KeyCode::Char(c)) => match c.to_digit(10).and_then(|d| d.checked_sub(1)) {
                Some(i) if (i as usize) < n => UserAction::ALL[i as usize],
                _ => return,
            },
            _ => return,
        };
        let Some(menu) = self.menu.take() else {
            return;
        };
        let (username, tenant) = (menu.username, menu.tenant);
        let intent = match chosen {
            UserAction::ChangeRole => {
                return self.open_form(FormKind::SetRole { username, tenant });
            }
            UserAction::Remove => Intent::Remove {
                username,
                tenant,
                delete_user: false,
            },
            UserAction::RemoveAndDelete => Intent::Remove {
                username,
                tenant,
                delete_user: true,
            },
            UserAction::ToggleEnabled => Intent::SetEnabled {
                username,
                enabled: !menu.enabled,
            },
            UserAction::ResetPassword => Intent::ResetPassword { username },
            UserAction::ResendInvitation => Intent::ResendInvitation { username },
        };
        self.propose(intent, ctx);
    }

    /// The tenant a user's actions apply to: the open tenant, or (a user opened by `:user`) the
    /// first tenant the user's detail names.
    fn acting_tenant(&self) -> Option<String> {
        self.tenant.clone().or_else(|| {
            let (_, memberships) = self.user_facts.as_ref()?;
            memberships.first().map(|m| m.tenant.clone())
        })
    }

    pub(super) fn open_menu(&mut self, ctx: &mut Ctx) {
        let (Some((username, role, enabled)), Some(tenant)) =
            (self.acting_user(), self.acting_tenant())
        else {
            return ctx.notify("select a user first", true);
        };
        self.menu = Some(UserMenu {
            username,
            tenant,
            role,
            enabled,
            selected: 0,
        });
    }
}

/// A user's detail as field/value rows: status first, tenants and roles, MFA, then attributes.
pub(super) fn detail_rows(tenancy: &Tenancy, d: &UserDetail) -> Vec<FieldRow> {
    let date = |t: Option<DateTime<Utc>>| t.map(time::stamp).unwrap_or_default();
    let memberships = tenancy.memberships(&d.user, &d.groups);
    let mut rows = vec![
        ("username", d.user.username.clone()),
        ("email", d.user.email.clone()),
        ("status", d.user.status.clone()),
        (
            "enabled",
            if d.user.enabled {
                "yes"
            } else {
                "no (disabled)"
            }
            .to_owned(),
        ),
        ("created", date(d.user.created)),
        ("modified", date(d.user.modified)),
        (
            "tenants",
            if memberships.is_empty() {
                "none".to_owned()
            } else {
                memberships
                    .iter()
                    .map(|m| format!("{} ({})", m.tenant, m.role))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        ("groups", d.groups.join(", ")),
        (
            "MFA",
            if d.mfa.is_empty() {
                "none".to_owned()
            } else {
                d.mfa.join(", ")
            },
        ),
        (
            "preferred MFA",
            d.preferred_mfa.clone().unwrap_or_else(|| "none".into()),
        ),
    ]
    .into_iter()
    .map(|(name, value)| FieldRow {
        name: name.to_owned(),
        value,
    })
    .collect::<Vec<_>>();
    rows.extend(d.user.attributes.iter().map(|(n, v)| FieldRow {
        name: n.clone(),
        value: v.clone(),
    }));
    rows
}
