//! The Tenants pane: the user pool (configured, or chosen from the account's pools), its tenants
//! with user counts per role, a tenant's users grouped by role, and one user's detail; with the
//! onboarding forms and the user actions, each planned from what the pool holds and confirmed
//! through the shell's dialog.

use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::list::{ListPane, Listing};
use super::loadable::{Loadable, RequestId};
use super::pane::{Ctx, PaneState};
use super::table::TableView;
use super::{Effect, Mutation};
use crate::config::keymap::Action;
use crate::domain::tenancy::plan::{CognitoCall, Intent, Target};
use crate::domain::tenancy::users::{Counts, Model, Tenancy, User, UserDetail, Usernames};
use crate::domain::tenancy::{Group, GroupPattern, Tenant, UserPool};
use crate::mutation::Plan;
use crate::services::{ServiceError, UserFilter};

/// How tenants are named in the pool (from the config's `[cognito]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenancySettings {
    /// The configured pool; without one the operator picks from the account's pools.
    pub pool_id: Option<String>,
    pub pattern: GroupPattern,
    pub roles: Vec<String>,
}

/// The rest of the config's `[cognito]`: the tenant model and the tenant attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenancyOptions {
    /// `tenant_model = "attribute"`: tenants come from a scan of the users' tenant attribute.
    pub attribute_model: bool,
    pub attribute: String,
}

impl Default for TenancyOptions {
    fn default() -> Self {
        TenancyOptions {
            attribute_model: false,
            attribute: "custom:tenant_id".into(),
        }
    }
}

/// A tenant row: the tenant and its user counts, read lazily for the rows on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantRow {
    pub tenant: Tenant,
    pub counts: Counting,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counting {
    NotAsked,
    Loading,
    Ready(Counts),
    Failed(String),
}

/// A user in a tenant's list: one row per role held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub role: String,
    pub user: User,
}

/// A user found by a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRow {
    pub user: User,
}

/// One line of a user's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRow {
    pub name: String,
    pub value: String,
}

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

/// The question `d` asks before deleting a tenant that still has users: the forced deletion
/// (the same plan as `tenants delete --force`) removes only its groups; the users stay in the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceDelete {
    pub tenant: String,
    pub users: usize,
    /// The role groups that would be deleted.
    pub groups: Vec<String>,
}

#[derive(Debug)]
pub struct TenantsPane {
    pub settings: TenancySettings,
    pub options: TenancyOptions,
    /// How new users are named (`cognito.username`); the email unless the config says otherwise.
    pub usernames: Usernames,
    pub pools: ListPane<UserPool>,
    /// The pool whose tenants are shown; `None` while choosing one.
    pub pool: Option<UserPool>,
    pub tenants: ListPane<TenantRow>,
    /// Groups that do not follow the pattern, shown apart.
    pub other_groups: Vec<Group>,
    /// Users read so far by the scan of the attribute model.
    pub scanned: Option<usize>,
    /// The tenant whose users are shown.
    pub tenant: Option<String>,
    pub members: ListPane<MemberRow>,
    /// The user whose detail is shown.
    pub user: Option<String>,
    pub detail: ListPane<FieldRow>,
    pub form: Option<Form>,
    pub menu: Option<UserMenu>,
    pub force_delete: Option<ForceDelete>,
    /// The server-side user search on screen, and what it found so far.
    pub search: Option<UserFilter>,
    pub found: ListPane<FoundRow>,
    /// The search still reading pages.
    pub searching: Option<RequestId>,
    found_so_far: Vec<User>,
    /// The plan being prepared (reads in flight), if any.
    pub planning: Option<RequestId>,
    /// The request of the tenant list on screen: counts answer it.
    list_request: Option<RequestId>,
}

/// What a scan of the attribute model finds: tenants with counts, and the groups that are no
/// role's.
pub type ScanResult = (Vec<(Tenant, Counts)>, Vec<Group>);

#[derive(Debug)]
pub enum TenantsMsg {
    Pools {
        request: RequestId,
        result: Result<Vec<UserPool>, ServiceError>,
        at: DateTime<Utc>,
    },
    Groups {
        request: RequestId,
        result: Result<Vec<Group>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// The counts of one tenant; `request` is the tenant list's.
    Counted {
        request: RequestId,
        tenant: String,
        result: Result<Counts, ServiceError>,
    },
    /// The attribute-model scan read `users` users so far.
    ScanProgress { request: RequestId, users: usize },
    Scanned {
        request: RequestId,
        result: Result<ScanResult, ServiceError>,
        at: DateTime<Utc>,
    },
    Members {
        request: RequestId,
        result: Result<Vec<(String, Vec<User>)>, ServiceError>,
        at: DateTime<Utc>,
    },
    User {
        request: RequestId,
        result: Result<Option<UserDetail>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// One page of a search; `done` when no page follows.
    Found {
        request: RequestId,
        result: Result<Vec<User>, ServiceError>,
        done: bool,
        at: DateTime<Utc>,
    },
    /// A plan was made from what the pool holds (`Ok(None)`: nothing to do, with why).
    Planned {
        request: RequestId,
        result: Result<Option<Plan<CognitoCall>>, String>,
        nothing: String,
    },
    /// An import file has bad rows: every one of them, with its line number. Nothing changed.
    ImportRejected {
        request: RequestId,
        file: String,
        errors: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantsEffect {
    LoadPools {
        request: RequestId,
        account_id: String,
    },
    LoadGroups {
        request: RequestId,
        account_id: String,
        pool_id: String,
    },
    CountTenant {
        request: RequestId,
        account_id: String,
        pool_id: String,
        tenancy: Tenancy,
        tenant: Tenant,
    },
    /// Attribute model: scan the pool's users (with progress) for their tenants.
    ScanTenants {
        request: RequestId,
        account_id: String,
        pool_id: String,
        tenancy: Tenancy,
    },
    LoadMembers {
        request: RequestId,
        account_id: String,
        pool_id: String,
        tenancy: Tenancy,
        tenant: Tenant,
    },
    LoadUser {
        request: RequestId,
        account_id: String,
        pool_id: String,
        username: String,
    },
    /// Read and check a CSV file, read the pool, and plan the import.
    PlanImport {
        request: RequestId,
        tenancy: Tenancy,
        target: Target,
        tenant: String,
        path: String,
    },
    /// ListUsers with a filter, page by page (each page a `Found` message).
    SearchUsers {
        request: RequestId,
        account_id: String,
        pool_id: String,
        filter: UserFilter,
    },
    /// Read what the change depends on and plan it.
    Plan {
        request: RequestId,
        tenancy: Tenancy,
        target: Target,
        intent: Intent,
    },
}

/// Which list is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Pools,
    Tenants,
    Members,
    /// Users found by a server-side search of the pool.
    Search,
    User,
}

impl TenantsPane {
    pub fn new(settings: TenancySettings) -> TenantsPane {
        let pool = settings.pool_id.as_ref().map(|id| UserPool {
            id: id.clone(),
            name: String::new(),
        });
        TenantsPane {
            settings,
            options: TenancyOptions::default(),
            usernames: Usernames::Email,
            pools: ListPane::default(),
            pool,
            tenants: ListPane::default(),
            other_groups: Vec::new(),
            scanned: None,
            tenant: None,
            members: ListPane::default(),
            user: None,
            detail: ListPane::default(),
            form: None,
            menu: None,
            force_delete: None,
            search: None,
            found: ListPane::default(),
            searching: None,
            found_so_far: Vec::new(),
            planning: None,
            list_request: None,
        }
    }

    /// The tenancy rules in force.
    pub fn tenancy(&self) -> Tenancy {
        Tenancy {
            model: if self.options.attribute_model {
                Model::Attribute
            } else {
                Model::Groups(self.settings.pattern.clone())
            },
            roles: self.settings.roles.clone(),
            attribute: self.options.attribute.clone(),
            usernames: self.usernames,
        }
    }

    pub fn view(&self) -> View {
        if self.pool.is_none() {
            View::Pools
        } else if self.user.is_some() {
            View::User
        } else if self.tenant.is_some() {
            View::Members
        } else if self.search.is_some() {
            View::Search
        } else {
            View::Tenants
        }
    }

    pub fn on_msg(&mut self, msg: TenantsMsg, ctx: &mut Ctx) {
        match msg {
            TenantsMsg::Pools {
                request,
                result,
                at,
            } => {
                if self.pools.loaded(request, result, at) && self.pools.items().len() == 1 {
                    // One pool: open it instead of asking the operator to pick the only choice.
                    self.pool = self.pools.items().first().cloned();
                    self.ensure_loaded(ctx);
                }
            }
            TenantsMsg::Groups {
                request,
                result,
                at,
            } => {
                if !self.tenants.list.awaits(request) {
                    return;
                }
                let tenancy = self.tenancy();
                let result = result.map(|groups| {
                    let (tenants, other) = tenancy.tenants_from_groups(&groups);
                    self.other_groups = other;
                    tenants
                        .into_iter()
                        .map(|tenant| TenantRow {
                            tenant,
                            counts: Counting::NotAsked,
                        })
                        .collect()
                });
                self.tenants.loaded(request, result, at);
                self.count_visible(ctx);
            }
            TenantsMsg::Counted {
                request,
                tenant,
                result,
            } => {
                if self.tenants_request() != Some(request) {
                    return;
                }
                if let Loadable::Ready { value, .. } = &mut self.tenants.list
                    && let Some(row) = value.iter_mut().find(|r| r.tenant.id == tenant)
                {
                    row.counts = match result {
                        Ok(c) => Counting::Ready(c),
                        Err(e) => Counting::Failed(e.to_string()),
                    };
                }
            }
            TenantsMsg::ScanProgress { request, users } => {
                if self.tenants.list.awaits(request) {
                    self.scanned = Some(users);
                }
            }
            TenantsMsg::Scanned {
                request,
                result,
                at,
            } => {
                if !self.tenants.list.awaits(request) {
                    return;
                }
                let result = result.map(|(tenants, other)| {
                    self.other_groups = other;
                    tenants
                        .into_iter()
                        .map(|(tenant, counts)| TenantRow {
                            tenant,
                            counts: Counting::Ready(counts),
                        })
                        .collect()
                });
                self.tenants.loaded(request, result, at);
            }
            TenantsMsg::Members {
                request,
                result,
                at,
            } => {
                let result = result.map(|roles| {
                    roles
                        .into_iter()
                        .flat_map(|(role, users)| {
                            users.into_iter().map(move |user| MemberRow {
                                role: role.clone(),
                                user,
                            })
                        })
                        .collect()
                });
                self.members.loaded(request, result, at);
            }
            TenantsMsg::User {
                request,
                result,
                at,
            } => {
                let tenancy = self.tenancy();
                let result = result.and_then(|found| {
                    found.map(|d| detail_rows(&tenancy, &d)).ok_or_else(|| {
                        ServiceError::new(
                            crate::services::ErrorKind::NotFound,
                            Some("UserNotFoundException".into()),
                            "the user no longer exists (Esc goes back)",
                        )
                    })
                });
                self.detail.loaded(request, result, at);
            }
            TenantsMsg::Found {
                request,
                result,
                done,
                at,
            } => {
                if self.searching != Some(request) {
                    return;
                }
                if done || result.is_err() {
                    self.searching = None;
                }
                let result = result.map(|users| {
                    self.found_so_far.extend(users);
                    self.found_so_far
                        .iter()
                        .map(|user| FoundRow { user: user.clone() })
                        .collect()
                });
                // Each page settles the list again, so results show while the search goes on.
                self.found.list = Loadable::Loading { request };
                self.found.loaded(request, result, at);
            }
            TenantsMsg::Planned {
                request,
                result,
                nothing,
            } => {
                if self.planning != Some(request) {
                    return;
                }
                self.planning = None;
                match result {
                    Ok(Some(plan)) => ctx.confirm(to_mutation(plan)),
                    Ok(None) => ctx.notify(nothing, false),
                    Err(e) => ctx.notify(e, true),
                }
            }
            TenantsMsg::ImportRejected {
                request,
                file,
                errors,
            } => {
                if self.planning != Some(request) {
                    return;
                }
                self.planning = None;
                let title = format!("{file}: {} bad row(s); nothing was changed", errors.len());
                ctx.notify(title.clone(), true);
                ctx.report(title, errors);
            }
        }
    }

    fn tenants_request(&self) -> Option<RequestId> {
        self.list_request
    }

    /// Ask for the counts of the tenants on screen that have none yet (groups model: one
    /// ListUsersInGroup per role group, so only what the operator looks at is read).
    fn count_visible(&mut self, ctx: &mut Ctx) {
        let (Some(pool), Some(request), Some(account)) = (
            self.pool.clone(),
            self.tenants_request(),
            self.tenants.account.clone(),
        ) else {
            return;
        };
        let window: Vec<usize> = self.tenants.table.window(ctx.rows.max(1)).to_vec();
        let tenancy = self.tenancy();
        if let Loadable::Ready { value, .. } = &mut self.tenants.list {
            for i in window {
                let Some(row) = value.get_mut(i) else {
                    continue;
                };
                if row.counts == Counting::NotAsked {
                    row.counts = Counting::Loading;
                    ctx.run(Effect::Tenants(TenantsEffect::CountTenant {
                        request,
                        account_id: account.clone(),
                        pool_id: pool.id.clone(),
                        tenancy: tenancy.clone(),
                        tenant: row.tenant.clone(),
                    }));
                }
            }
        }
    }

    /// Is the operator choosing a pool (no pool configured, none opened)?
    pub fn choosing_pool(&self) -> bool {
        self.pool.is_none()
    }

    /// Leave the tenants of a chosen pool for the pool list; a configured pool has no list.
    pub fn back_to_pools(&mut self) -> bool {
        if self.settings.pool_id.is_some() || self.pool.is_none() {
            return false;
        }
        self.pool = None;
        self.tenants = ListPane::default();
        self.other_groups.clear();
        self.search = None;
        self.searching = None;
        self.found = ListPane::default();
        self.close_tenant();
        true
    }

    fn close_tenant(&mut self) {
        self.tenant = None;
        self.members = ListPane::default();
        self.close_user();
    }

    fn close_user(&mut self) {
        self.user = None;
        self.detail = ListPane::default();
    }

    fn target(&self, ctx: &Ctx) -> Option<Target> {
        Some(Target {
            account_id: ctx.account.clone()?,
            region: ctx.region.clone().unwrap_or_default(),
            pool_id: self.pool.as_ref()?.id.clone(),
        })
    }

    /// Plan a change: the runtime reads the pool and answers with `Planned`.
    fn propose(&mut self, intent: Intent, ctx: &mut Ctx) {
        let tenancy = self.tenancy();
        let intent = match intent.validated(&tenancy) {
            Ok(i) => i,
            Err(e) => return ctx.notify(e, true),
        };
        let Some(target) = self.target(ctx) else {
            return ctx.notify("no account or pool yet: wait for them to load", true);
        };
        let request = ctx.request();
        self.planning = Some(request);
        ctx.notify("reading the pool to plan the change…", false);
        ctx.run(Effect::Tenants(TenantsEffect::Plan {
            request,
            tenancy,
            target,
            intent,
        }));
    }

    fn selected_member(&self) -> Option<&MemberRow> {
        self.members.selected()
    }

    /// The user an action applies to: the selected member, or the user whose detail is open.
    fn acting_user(&self) -> Option<(String, String, bool)> {
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
                Some((
                    username,
                    member.map(|m| m.role.clone()).unwrap_or_default(),
                    member.is_none_or(|m| m.user.enabled),
                ))
            }
            _ => None,
        }
    }

    fn open_form(&mut self, kind: FormKind) {
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

    fn on_form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        let n = form.fields.len();
        match key.code {
            KeyCode::Esc => {
                self.form = None;
                ctx.notify("cancelled: nothing was changed", false);
            }
            KeyCode::Enter => self.submit_form(ctx),
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + n - 1) % n,
            _ => {
                let field = &mut form.fields[form.focus];
                if field.choices.is_empty() {
                    field.input.handle_event(&Event::Key(key));
                } else {
                    let m = field.choices.len();
                    match key.code {
                        KeyCode::Left => field.choice = (field.choice + m - 1) % m,
                        KeyCode::Right | KeyCode::Char(' ') => {
                            field.choice = (field.choice + 1) % m
                        }
                        KeyCode::Char(c) => {
                            if let Some(i) = field.choices.iter().position(|r| r.starts_with(c)) {
                                field.choice = i;
                            }
                        }
                        _ => {}
                    }
                }
                form.error = None;
            }
        }
    }

    fn on_menu_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(menu) = self.menu.as_mut() else {
            return;
        };
        let n = UserAction::ALL.len();
        let chosen = match key.code {
            KeyCode::Esc | KeyCode::Char('q') => {
                self.menu = None;
                return;
            }
            KeyCode::Down | KeyCode::Char('j') => {
                menu.selected = (menu.selected + 1) % n;
                return;
            }
            KeyCode::Up | KeyCode::Char('k') => {
                menu.selected = (menu.selected + n - 1) % n;
                return;
            }
            KeyCode::Enter => UserAction::ALL[menu.selected],
            KeyCode::Char(c) => match c.to_digit(10).and_then(|d| d.checked_sub(1)) {
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

    fn on_force_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        match key.code {
            KeyCode::Char('f') | KeyCode::Char('F') => {
                if let Some(ask) = self.force_delete.take() {
                    let intent = Intent::DeleteTenant {
                        tenant: ask.tenant,
                        force: true,
                    };
                    // The shell's dialog still asks for the tenant id to be typed.
                    self.propose(intent, ctx);
                }
            }
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('n') => {
                self.force_delete = None;
                ctx.notify("cancelled: nothing was changed", false);
            }
            _ => {}
        }
    }

    fn open_menu(&mut self, ctx: &mut Ctx) {
        let (Some((username, role, enabled)), Some(tenant)) =
            (self.acting_user(), self.tenant.clone())
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

/// The plan's steps carrying the shell's mutation type.
fn to_mutation(plan: Plan<CognitoCall>) -> Plan<Mutation> {
    plan.map_actions(Mutation::Tenants)
}

/// A user's detail as field/value rows: status first, tenants and roles, MFA, then attributes.
fn detail_rows(tenancy: &Tenancy, d: &UserDetail) -> Vec<FieldRow> {
    let date = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_default()
    };
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

impl PaneState for TenantsPane {
    fn table(&self) -> &TableView {
        match self.view() {
            View::Pools => &self.pools.table,
            View::Tenants => &self.tenants.table,
            View::Members => &self.members.table,
            View::Search => &self.found.table,
            View::User => &self.detail.table,
        }
    }

    fn table_mut(&mut self) -> &mut TableView {
        match self.view() {
            View::Pools => &mut self.pools.table,
            View::Tenants => &mut self.tenants.table,
            View::Members => &mut self.members.table,
            View::Search => &mut self.found.table,
            View::User => &mut self.detail.table,
        }
    }

    fn refilter(&mut self) {
        match self.view() {
            View::Pools => self.pools.refilter(),
            View::Tenants => self.tenants.refilter(),
            View::Members => self.members.refilter(),
            View::Search => self.found.refilter(),
            View::User => self.detail.refilter(),
        }
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        let Some(account) = ctx.account.clone() else {
            return;
        };
        if self.settings.pool_id.is_none() && !self.pools.is_for(&account) {
            // Another account: its pools, and nothing opened in it yet.
            self.back_to_pools();
            if let Some((request, account_id)) = self.pools.load_if_needed(ctx) {
                ctx.run(Effect::Tenants(TenantsEffect::LoadPools {
                    request,
                    account_id,
                }));
            }
            return;
        }
        let Some(pool) = self.pool.clone() else {
            return;
        };
        if self.settings.pool_id.is_some() && !self.tenants.is_for(&account) {
            // A configured pool in another account: nothing opened in it yet.
            self.close_tenant();
        }
        if let Some((request, account_id)) = self.tenants.load_if_needed(ctx) {
            self.scanned = None;
            self.list_request = Some(request);
            let effect = if self.options.attribute_model {
                TenantsEffect::ScanTenants {
                    request,
                    account_id,
                    pool_id: pool.id,
                    tenancy: self.tenancy(),
                }
            } else {
                TenantsEffect::LoadGroups {
                    request,
                    account_id,
                    pool_id: pool.id,
                }
            };
            ctx.run(Effect::Tenants(effect));
            return;
        }
        match self.view() {
            View::Tenants => self.count_visible(ctx),
            View::Members => {
                let Some(tenant) = self.tenant.clone() else {
                    return;
                };
                let tenant = self
                    .tenants
                    .items()
                    .iter()
                    .find(|r| r.tenant.id == tenant)
                    .map(|r| r.tenant.clone())
                    .unwrap_or(Tenant {
                        id: tenant,
                        description: String::new(),
                        roles: self.settings.roles.clone(),
                    });
                if let Some((request, account_id)) = self.members.load_if_needed(ctx) {
                    ctx.run(Effect::Tenants(TenantsEffect::LoadMembers {
                        request,
                        account_id,
                        pool_id: pool.id,
                        tenancy: self.tenancy(),
                        tenant,
                    }));
                }
            }
            View::User => {
                let Some(username) = self.user.clone() else {
                    return;
                };
                if let Some((request, account_id)) = self.detail.load_if_needed(ctx) {
                    ctx.run(Effect::Tenants(TenantsEffect::LoadUser {
                        request,
                        account_id,
                        pool_id: pool.id,
                        username,
                    }));
                }
            }
            View::Search => {
                let Some(filter) = self.search.clone() else {
                    return;
                };
                if let Some((request, account_id)) = self.found.load_if_needed(ctx) {
                    self.searching = Some(request);
                    self.found_so_far.clear();
                    ctx.run(Effect::Tenants(TenantsEffect::SearchUsers {
                        request,
                        account_id,
                        pool_id: pool.id,
                        filter,
                    }));
                }
            }
            View::Pools => {}
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        match self.view() {
            View::Pools => self.pools.invalidate(),
            View::Tenants => self.tenants.invalidate(),
            View::Members => self.members.invalidate(),
            View::Search => self.found.invalidate(),
            View::User => {
                // A change to a user can change the tenant's list too.
                self.detail.invalidate();
                self.members.invalidate();
            }
        }
        self.ensure_loaded(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        let view = self.view();
        match (action, view) {
            (Action::Enter, View::Pools) => {
                self.pool = self.pools.selected().cloned();
            }
            (Action::Enter, View::Tenants) => {
                if let Some(row) = self.tenants.selected() {
                    self.tenant = Some(row.tenant.id.clone());
                    self.members = ListPane::default();
                }
            }
            (Action::Enter, View::Members) => {
                if let Some(m) = self.selected_member() {
                    self.user = Some(m.user.username.clone());
                    self.detail = ListPane::default();
                }
            }
            (Action::Enter, View::Search) => {
                if let Some(row) = self.found.selected() {
                    self.user = Some(row.user.username.clone());
                    self.detail = ListPane::default();
                }
            }
            (Action::Watch, View::Tenants | View::Search) => self.open_form(FormKind::Search),
            (Action::Watch, View::Members) => {
                if let Some(tenant) = self.tenant.clone() {
                    self.open_form(FormKind::Import { tenant });
                }
            }
            (Action::Back, View::Search) => {
                self.search = None;
                self.searching = None;
                self.found = ListPane::default();
            }
            (Action::Back, View::User) => self.close_user(),
            (Action::Back, View::Members) => self.close_tenant(),
            (Action::Back, _) => {
                self.back_to_pools();
            }
            (Action::New, View::Tenants) => self.open_form(FormKind::OnboardTenant),
            (Action::New, View::Members | View::User) => {
                if let Some(tenant) = self.tenant.clone() {
                    self.open_form(FormKind::OnboardUser { tenant });
                }
            }
            (Action::Edit, View::Members | View::User) => self.open_menu(ctx),
            (Action::Delete, View::Tenants) => {
                if let Some(row) = self.tenants.selected() {
                    match &row.counts {
                        // Ask before forcing; without a count the plan itself refuses a
                        // tenant with users.
                        Counting::Ready(c) if c.users > 0 => {
                            let tenancy = self.tenancy();
                            self.force_delete = Some(ForceDelete {
                                tenant: row.tenant.id.clone(),
                                users: c.users,
                                groups: row
                                    .tenant
                                    .roles
                                    .iter()
                                    .map(|r| tenancy.role_group(&row.tenant.id, r))
                                    .collect(),
                            });
                        }
                        _ => {
                            let intent = Intent::DeleteTenant {
                                tenant: row.tenant.id.clone(),
                                force: false,
                            };
                            self.propose(intent, ctx);
                        }
                    }
                }
            }
            (Action::Delete, View::Members | View::User) => {
                if let (Some((username, _, _)), Some(tenant)) =
                    (self.acting_user(), self.tenant.clone())
                {
                    let intent = Intent::Remove {
                        username,
                        tenant,
                        delete_user: false,
                    };
                    self.propose(intent, ctx);
                }
            }
            (Action::Copy, _) => {
                let key = match view {
                    View::Pools => self.pools.selected().map(Listing::key),
                    View::Tenants => self.tenants.selected().map(Listing::key),
                    View::Members => self.members.selected().map(Listing::key),
                    View::Search => self.found.selected().map(Listing::key),
                    View::User => self.detail.selected().map(Listing::key),
                };
                if let Some(text) = key {
                    ctx.run(Effect::Copy { text });
                }
            }
            (Action::Export, View::Pools) => ctx.run(self.pools.export("user-pools")),
            (Action::Export, View::Tenants) => ctx.run(self.tenants.export("tenants")),
            (Action::Export, View::Members) => ctx.run(self.members.export("tenant-users")),
            (Action::Export, View::Search) => ctx.run(self.found.export("users-found")),
            (Action::Export, View::User) => ctx.run(self.detail.export("user")),
            _ => {}
        }
        self.ensure_loaded(ctx);
    }

    fn captures_keys(&self) -> bool {
        self.form.is_some() || self.menu.is_some() || self.force_delete.is_some()
    }

    fn on_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        if self.form.is_some() {
            self.on_form_key(key, ctx);
        } else if self.menu.is_some() {
            self.on_menu_key(key, ctx);
        } else if self.force_delete.is_some() {
            self.on_force_key(key, ctx);
        }
    }

    fn is_busy(&self) -> bool {
        self.pools.list.is_loading()
            || self.tenants.list.is_loading()
            || self.members.list.is_loading()
            || self.detail.list.is_loading()
            || self.searching.is_some()
            || self.planning.is_some()
    }

    fn reset(&mut self) {
        let options = self.options.clone();
        *self = TenantsPane::new(self.settings.clone());
        self.options = options;
    }

    fn hint(&self, action: Action) -> &'static str {
        let view = self.view();
        match (action, view) {
            (Action::Enter, View::Pools) => "open",
            (Action::Enter, View::Tenants) => "users",
            (Action::Enter, View::Members | View::Search) => "user detail",
            (Action::Watch, View::Tenants | View::Search) => "search users",
            (Action::Watch, View::Members) => "import CSV",
            (Action::Back, View::Search) => "tenants",
            (Action::Back, View::Tenants)
                if self.pool.is_some() && self.settings.pool_id.is_none() =>
            {
                "pools"
            }
            (Action::Back, View::Members) => "tenants",
            (Action::Back, View::User) => "users",
            (Action::New, View::Tenants) => "onboard tenant",
            (Action::New, View::Members | View::User) => "onboard user",
            (Action::Edit, View::Members | View::User) => "user actions",
            (Action::Delete, View::Tenants) => "delete tenant",
            (Action::Delete, View::Members | View::User) => "remove from tenant",
            _ => "",
        }
    }
}

impl Listing for UserPool {
    fn headers() -> &'static [&'static str] {
        &["POOL", "ID"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.name.clone(), self.id.clone()]
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}

impl Listing for TenantRow {
    fn headers() -> &'static [&'static str] {
        &["TENANT", "USERS", "ROLES", "DESCRIPTION"]
    }

    fn cells(&self) -> Vec<String> {
        let (users, roles) = match &self.counts {
            Counting::NotAsked => (String::new(), self.tenant.roles.join(" ")),
            Counting::Loading => ("…".to_owned(), self.tenant.roles.join(" ")),
            Counting::Ready(c) => (
                c.users.to_string(),
                self.tenant
                    .roles
                    .iter()
                    .map(|r| format!("{r}={}", c.roles.get(r).copied().unwrap_or(0)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Counting::Failed(e) => ("?".to_owned(), format!("counts failed: {e}")),
        };
        vec![
            self.tenant.id.clone(),
            users,
            roles,
            self.tenant.description.clone(),
        ]
    }

    fn key(&self) -> String {
        self.tenant.id.clone()
    }
}

impl Listing for MemberRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ROLE", "USERNAME", "EMAIL", "STATUS", "ENABLED", "CREATED", "MODIFIED",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let date = |t: Option<DateTime<Utc>>| {
            t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default()
        };
        vec![
            self.role.clone(),
            self.user.username.clone(),
            self.user.email.clone(),
            self.user.status.clone(),
            if self.user.enabled { "yes" } else { "no" }.to_owned(),
            date(self.user.created),
            date(self.user.modified),
        ]
    }

    fn key(&self) -> String {
        self.user.username.clone()
    }
}

impl Listing for FoundRow {
    fn headers() -> &'static [&'static str] {
        &["USERNAME", "EMAIL", "STATUS", "ENABLED", "CREATED"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.user.username.clone(),
            self.user.email.clone(),
            self.user.status.clone(),
            if self.user.enabled { "yes" } else { "no" }.to_owned(),
            self.user
                .created
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
        ]
    }

    fn key(&self) -> String {
        self.user.username.clone()
    }
}

impl Listing for FieldRow {
    fn headers() -> &'static [&'static str] {
        &["FIELD", "VALUE"]
    }

    fn cells(&self) -> Vec<String> {
        vec![self.name.clone(), self.value.clone()]
    }

    fn key(&self) -> String {
        self.value.clone()
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::tests::{at, loaded_state};
    use crate::app::{Mode, Msg, State, update};
    use crate::domain::tenancy::plan::CognitoOp;

    fn key(state: &mut State, code: KeyCode) -> Vec<Effect> {
        update(state, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn typed(state: &mut State, text: &str) {
        for c in text.chars() {
            key(state, KeyCode::Char(c));
        }
    }

    fn group(name: &str) -> Group {
        Group {
            name: name.into(),
            description: "d".into(),
            precedence: None,
        }
    }

    fn user(name: &str) -> User {
        User {
            username: name.into(),
            email: format!("{name}@x.com"),
            status: "CONFIRMED".into(),
            enabled: true,
            ..User::default()
        }
    }

    /// The Tenants pane open on pool `p1` with acme (3 roles) and globex (admin), counts unasked.
    fn tenants_state() -> (State, Vec<Effect>) {
        let (mut state, _) = loaded_state();
        let effects = key(&mut state, KeyCode::Char('1'));
        let Some(Effect::Tenants(TenantsEffect::LoadPools { request, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        let effects = update(
            &mut state,
            Msg::Tenants(TenantsMsg::Pools {
                request: *request,
                result: Ok(vec![UserPool {
                    id: "p1".into(),
                    name: "customers".into(),
                }]),
                at: at(),
            }),
        );
        let Some(Effect::Tenants(TenantsEffect::LoadGroups { request, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        let groups = ["acme:admin", "acme:member", "acme:readonly", "globex:admin"]
            .map(group)
            .to_vec();
        let effects = update(
            &mut state,
            Msg::Tenants(TenantsMsg::Groups {
                request: *request,
                result: Ok(groups),
                at: at(),
            }),
        );
        (state, effects)
    }

    fn answer_plan(state: &mut State, effects: &[Effect], plan: Option<Plan<CognitoCall>>) {
        let Some(Effect::Tenants(TenantsEffect::Plan { request, .. })) = effects.first() else {
            panic!("expected a plan request, got {effects:?}")
        };
        update(
            state,
            Msg::Tenants(TenantsMsg::Planned {
                request: *request,
                result: Ok(plan),
                nothing: "nothing to do".into(),
            }),
        );
    }

    fn a_plan() -> Plan<CognitoCall> {
        let target = Target {
            account_id: "111111111111".into(),
            region: "eu-west-1".into(),
            pool_id: "p1".into(),
        };
        let tenancy = crate::domain::tenancy::users::Tenancy {
            model: Model::Groups(GroupPattern::parse("{tenant}:{role}").unwrap()),
            roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
            attribute: "custom:tenant_id".into(),
            usernames: Usernames::Email,
        };
        crate::domain::tenancy::plan::onboard_tenant(
            &tenancy,
            &target,
            &Default::default(),
            "wonka",
            "",
            "w@wonka.com",
            None,
        )
        .unwrap()
        .unwrap()
    }

    #[test]
    fn counts_are_asked_only_for_the_tenants_on_screen_and_fill_in() {
        let (mut state, effects) = tenants_state();
        let counted: Vec<&str> = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Tenants(TenantsEffect::CountTenant { tenant, .. }) => {
                    Some(tenant.id.as_str())
                }
                _ => None,
            })
            .collect();
        assert_eq!(counted, ["acme", "globex"]);
        let Effect::Tenants(TenantsEffect::CountTenant { request, .. }) = &effects[0] else {
            unreachable!()
        };
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Counted {
                request: *request,
                tenant: "acme".into(),
                result: Ok(Counts::from_role_members(&[(
                    "admin".into(),
                    vec!["ann".into()],
                )])),
            }),
        );
        let acme = &state.tenants.tenants.items()[0];
        assert_eq!(acme.cells()[1], "1");
        assert_eq!(acme.cells()[2], "admin=1 member=0 readonly=0");
        assert_eq!(state.tenants.tenants.items()[1].cells()[1], "…");
        // Moving does not ask again for what is counted or being counted.
        let again = key(&mut state, KeyCode::Char('j'));
        assert!(
            !again
                .iter()
                .any(|e| matches!(e, Effect::Tenants(TenantsEffect::CountTenant { .. })))
        );
    }

    #[test]
    fn counts_of_a_superseded_list_are_dropped() {
        let (mut state, effects) = tenants_state();
        let Effect::Tenants(TenantsEffect::CountTenant { request, .. }) = &effects[0] else {
            unreachable!()
        };
        let old = *request;
        key(&mut state, KeyCode::Char('r'));
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Counted {
                request: old,
                tenant: "acme".into(),
                result: Ok(Counts::default()),
            }),
        );
        assert!(state.tenants.tenants.list.is_loading());
    }

    #[test]
    fn enter_drills_into_users_grouped_by_role_then_a_user_and_esc_comes_back() {
        let (mut state, _) = tenants_state();
        let effects = key(&mut state, KeyCode::Enter);
        let [
            Effect::Tenants(TenantsEffect::LoadMembers {
                request, tenant, ..
            }),
        ] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert_eq!(tenant.id, "acme");
        assert_eq!(tenant.roles, ["admin", "member", "readonly"]);
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Members {
                request: *request,
                result: Ok(vec![
                    ("admin".into(), vec![user("ann")]),
                    ("member".into(), vec![user("bob"), user("cid")]),
                ]),
                at: at(),
            }),
        );
        assert_eq!(state.tenants.view(), View::Members);
        let roles: Vec<&str> = state
            .tenants
            .members
            .items()
            .iter()
            .map(|m| m.role.as_str())
            .collect();
        assert_eq!(roles, ["admin", "member", "member"]);
        key(&mut state, KeyCode::Char('j'));
        let effects = key(&mut state, KeyCode::Enter);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Tenants(TenantsEffect::LoadUser { username, .. })] if username == "bob"
        ));
        assert_eq!(state.tenants.view(), View::User);
        key(&mut state, KeyCode::Esc);
        assert_eq!(state.tenants.view(), View::Members);
        key(&mut state, KeyCode::Esc);
        assert_eq!(state.tenants.view(), View::Tenants);
    }

    #[test]
    fn the_onboarding_form_validates_before_asking_aws_then_plans_and_confirms() {
        let (mut state, _) = tenants_state();
        key(&mut state, KeyCode::Char('n'));
        assert!(state.tenants.captures_keys());
        // Keys go to the form, not the keymap: q is text.
        typed(&mut state, "acme");
        let effects = key(&mut state, KeyCode::Enter);
        assert!(effects.is_empty());
        let error = state.tenants.form.as_ref().unwrap().error.clone().unwrap();
        assert!(error.contains("already exists"), "{error}");
        for _ in 0..4 {
            key(&mut state, KeyCode::Backspace);
        }
        typed(&mut state, "wonka");
        key(&mut state, KeyCode::Tab);
        key(&mut state, KeyCode::Tab);
        typed(&mut state, "not-an-email");
        key(&mut state, KeyCode::Enter);
        let error = state.tenants.form.as_ref().unwrap().error.clone().unwrap();
        assert!(error.contains("not a valid email"), "{error}");
        for _ in 0.."not-an-email".len() {
            key(&mut state, KeyCode::Backspace);
        }
        typed(&mut state, "W@Wonka.com");
        let effects = key(&mut state, KeyCode::Enter);
        assert!(state.tenants.form.is_none());
        let Some(Effect::Tenants(TenantsEffect::Plan { intent, target, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        assert_eq!(
            intent,
            &Intent::OnboardTenant {
                tenant: "wonka".into(),
                display_name: String::new(),
                admin_email: "w@wonka.com".into(),
            }
        );
        assert_eq!(target.pool_id, "p1");
        assert!(state.tenants.is_busy());
        let effects = effects.clone();
        answer_plan(&mut state, &effects, Some(a_plan()));
        assert_eq!(state.mode, Mode::Confirm);
        let dialog = state.confirm.as_ref().unwrap();
        assert_eq!(dialog.plan.steps.len(), 5);
        assert!(matches!(
            &dialog.plan.steps[3].action,
            Mutation::Tenants(CognitoCall {
                op: CognitoOp::CreateUser { .. },
                ..
            })
        ));
        typed(&mut state, "y");
        let effects = key(&mut state, KeyCode::Enter);
        assert!(matches!(effects.as_slice(), [Effect::Execute(_)]));
    }

    #[test]
    fn escape_cancels_a_form_and_nothing_is_planned() {
        let (mut state, _) = tenants_state();
        key(&mut state, KeyCode::Char('n'));
        typed(&mut state, "x");
        let effects = key(&mut state, KeyCode::Esc);
        assert!(
            effects
                .iter()
                .all(|e| !matches!(e, Effect::Tenants(TenantsEffect::Plan { .. })))
        );
        assert!(state.tenants.form.is_none());
        assert_eq!(state.tenants.view(), View::Tenants);
    }

    /// The tenants state with acme counted: ann (admin) and bob (member).
    fn acme_with_users() -> State {
        let (mut state, effects) = tenants_state();
        let Effect::Tenants(TenantsEffect::CountTenant { request, .. }) = &effects[0] else {
            panic!("{effects:?}")
        };
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Counted {
                request: *request,
                tenant: "acme".into(),
                result: Ok(Counts::from_role_members(&[
                    ("admin".into(), vec!["ann".into()]),
                    ("member".into(), vec!["bob".into()]),
                ])),
            }),
        );
        state
    }

    #[test]
    fn delete_of_a_tenant_with_users_asks_before_planning_a_forced_delete() {
        let mut state = acme_with_users();
        let effects = key(&mut state, KeyCode::Char('d'));
        assert!(effects.is_empty(), "{effects:?}");
        assert_eq!(
            state.tenants.force_delete,
            Some(ForceDelete {
                tenant: "acme".into(),
                users: 2,
                groups: ["acme:admin", "acme:member", "acme:readonly"]
                    .map(String::from)
                    .to_vec(),
            })
        );
        assert!(state.tenants.captures_keys());
        // Other keys do nothing while the question is open.
        assert!(key(&mut state, KeyCode::Char('x')).is_empty());
        let effects = key(&mut state, KeyCode::Char('f'));
        let Some(Effect::Tenants(TenantsEffect::Plan { intent, .. })) = effects.first() else {
            panic!("{effects:?}")
        };
        assert_eq!(
            intent,
            &Intent::DeleteTenant {
                tenant: "acme".into(),
                force: true
            }
        );
        assert!(state.tenants.force_delete.is_none());
        assert!(!state.tenants.captures_keys());
    }

    #[test]
    fn escape_from_the_forced_delete_question_changes_nothing() {
        let mut state = acme_with_users();
        key(&mut state, KeyCode::Char('d'));
        let effects = key(&mut state, KeyCode::Esc);
        assert!(
            effects
                .iter()
                .all(|e| !matches!(e, Effect::Tenants(TenantsEffect::Plan { .. })))
        );
        assert!(state.tenants.force_delete.is_none());
        assert!(state.notice.as_ref().unwrap().text.contains("cancelled"));
    }

    #[test]
    fn read_only_refuses_the_plan_before_the_dialog_opens() {
        let (mut state, _) = tenants_state();
        state.session.read_only = true;
        let effects = key(&mut state, KeyCode::Char('d'));
        let Some(Effect::Tenants(TenantsEffect::Plan { intent, .. })) = effects.first() else {
            panic!("{effects:?}")
        };
        assert_eq!(
            intent,
            &Intent::DeleteTenant {
                tenant: "acme".into(),
                force: false
            }
        );
        let effects = effects.clone();
        answer_plan(&mut state, &effects, Some(a_plan()));
        assert_eq!(state.mode, Mode::Normal);
        assert!(state.confirm.is_none());
        assert!(state.notice.as_ref().unwrap().text.contains("read-only"));
    }

    #[test]
    fn a_stale_or_empty_plan_opens_no_dialog() {
        let (mut state, _) = tenants_state();
        let effects = key(&mut state, KeyCode::Char('d'));
        answer_plan(&mut state, &effects, None);
        assert!(state.confirm.is_none());
        assert_eq!(state.notice.as_ref().unwrap().text, "nothing to do");
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Planned {
                request: RequestId(9999),
                result: Ok(Some(a_plan())),
                nothing: String::new(),
            }),
        );
        assert!(state.confirm.is_none());
    }

    #[test]
    fn the_user_menu_offers_every_action_and_plans_the_chosen_one() {
        let (mut state, _) = tenants_state();
        let effects = key(&mut state, KeyCode::Enter);
        let [Effect::Tenants(TenantsEffect::LoadMembers { request, .. })] = effects.as_slice()
        else {
            unreachable!()
        };
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Members {
                request: *request,
                result: Ok(vec![("member".into(), vec![user("bob")])]),
                at: at(),
            }),
        );
        key(&mut state, KeyCode::Char('c'));
        assert_eq!(state.tenants.menu.as_ref().unwrap().username, "bob");
        let effects = key(&mut state, KeyCode::Char('4'));
        assert!(matches!(
            effects.first(),
            Some(Effect::Tenants(TenantsEffect::Plan {
                intent: Intent::SetEnabled { enabled: false, .. },
                ..
            }))
        ));
        // Change role: the form starts on the current role; Right picks the next.
        key(&mut state, KeyCode::Char('c'));
        key(&mut state, KeyCode::Enter);
        assert_eq!(
            state.tenants.form.as_ref().unwrap().fields[0].value(),
            "member"
        );
        key(&mut state, KeyCode::Right);
        let effects = key(&mut state, KeyCode::Enter);
        assert!(matches!(
            effects.first(),
            Some(Effect::Tenants(TenantsEffect::Plan {
                intent: Intent::SetRole { role, .. },
                ..
            })) if role == "readonly"
        ));
        // d on a user removes them from the tenant (a destructive plan: typed confirmation).
        let effects = key(&mut state, KeyCode::Char('d'));
        assert!(matches!(
            effects.first(),
            Some(Effect::Tenants(TenantsEffect::Plan {
                intent: Intent::Remove {
                    delete_user: false,
                    ..
                },
                ..
            }))
        ));
    }

    #[test]
    fn the_attribute_model_scans_with_progress() {
        let (mut state, _) = loaded_state();
        state.tenants.options.attribute_model = true;
        let effects = key(&mut state, KeyCode::Char('1'));
        let Some(Effect::Tenants(TenantsEffect::LoadPools { request, .. })) = effects.first()
        else {
            unreachable!()
        };
        let effects = update(
            &mut state,
            Msg::Tenants(TenantsMsg::Pools {
                request: *request,
                result: Ok(vec![UserPool {
                    id: "p1".into(),
                    name: "customers".into(),
                }]),
                at: at(),
            }),
        );
        let [Effect::Tenants(TenantsEffect::ScanTenants { request, .. })] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        let request = *request;
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::ScanProgress {
                request,
                users: 120,
            }),
        );
        assert_eq!(state.tenants.scanned, Some(120));
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Scanned {
                request,
                result: Ok((
                    vec![(
                        Tenant {
                            id: "acme".into(),
                            description: String::new(),
                            roles: vec!["admin".into()],
                        },
                        Counts::default(),
                    )],
                    vec![group("Staff")],
                )),
                at: at(),
            }),
        );
        assert_eq!(state.tenants.tenants.items().len(), 1);
        assert_eq!(
            state.tenants.tenants.items()[0].counts,
            Counting::Ready(Counts::default())
        );
    }

    #[test]
    fn a_server_side_search_streams_pages_in_and_drops_a_superseded_one() {
        let (mut state, _) = tenants_state();
        key(&mut state, KeyCode::Char('w'));
        typed(&mut state, "ava");
        let effects = key(&mut state, KeyCode::Enter);
        let [
            Effect::Tenants(TenantsEffect::SearchUsers {
                request, filter, ..
            }),
        ] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert_eq!(filter, &UserFilter::EmailPrefix("ava".into()));
        let request = *request;
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Found {
                request,
                result: Ok(vec![user("ava1")]),
                done: false,
                at: at(),
            }),
        );
        assert_eq!(state.tenants.found.items().len(), 1);
        assert!(state.tenants.is_busy(), "more pages to come");
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Found {
                request,
                result: Ok(vec![user("ava2"), user("ava3")]),
                done: true,
                at: at(),
            }),
        );
        assert_eq!(state.tenants.found.items().len(), 3);
        assert_eq!(state.tenants.searching, None);
        // A new search: pages of the old one are dropped.
        key(&mut state, KeyCode::Char('w'));
        key(&mut state, KeyCode::Tab);
        key(&mut state, KeyCode::Right);
        key(&mut state, KeyCode::Tab);
        typed(&mut state, "bo");
        let effects = key(&mut state, KeyCode::Enter);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Tenants(TenantsEffect::SearchUsers { filter: UserFilter::UsernamePrefix(p), .. })] if p == "bo"
        ));
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::Found {
                request,
                result: Ok(vec![user("stale")]),
                done: true,
                at: at(),
            }),
        );
        assert!(state.tenants.found.items().is_empty());
        let effects = key(&mut state, KeyCode::Esc);
        assert!(effects.is_empty());
        assert_eq!(state.tenants.view(), View::Tenants);
    }

    #[test]
    fn w_on_a_tenants_users_imports_a_csv_file_through_a_plan() {
        let (mut state, _) = tenants_state();
        key(&mut state, KeyCode::Enter);
        assert_eq!(state.tenants.hint(Action::Watch), "import CSV");
        key(&mut state, KeyCode::Char('w'));
        let effects = key(&mut state, KeyCode::Enter);
        assert!(effects.is_empty(), "an empty path is refused in the form");
        typed(&mut state, "users.csv");
        let effects = key(&mut state, KeyCode::Enter);
        let Some(Effect::Tenants(TenantsEffect::PlanImport { tenant, path, .. })) = effects.first()
        else {
            panic!("{effects:?}")
        };
        assert_eq!((tenant.as_str(), path.as_str()), ("acme", "users.csv"));
        assert!(state.tenants.is_busy());

        // A file with bad rows: every one is listed, with its line, and nothing is planned.
        let Some(Effect::Tenants(TenantsEffect::PlanImport { request, .. })) = effects.first()
        else {
            unreachable!()
        };
        let errors: Vec<String> = (2..=40)
            .map(|line| format!("line {line}: invalid email"))
            .collect();
        update(
            &mut state,
            Msg::Tenants(TenantsMsg::ImportRejected {
                request: *request,
                file: "users.csv".into(),
                errors: errors.clone(),
            }),
        );
        assert_eq!(state.mode, crate::app::Mode::Report);
        assert_eq!(state.report.as_ref().unwrap().lines, errors);
        assert!(state.confirm.is_none());
    }

    #[test]
    fn hints_name_what_each_view_offers() {
        let (state, _) = tenants_state();
        let pane = &state.tenants;
        assert_eq!(pane.hint(Action::New), "onboard tenant");
        assert_eq!(pane.hint(Action::Delete), "delete tenant");
        assert_eq!(pane.hint(Action::Edit), "");
    }
}
