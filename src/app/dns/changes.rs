//! Changes from the pane: `n` a new record set in the zone on screen (or the selected record's
//! zone), `c` change the selected record set, `d` delete it (the name typed to confirm), `f` fix
//! the selected delegation. The record form is the one form (`app::form`), checked per type on
//! submit; the plans come from the domain (the exact ChangeBatch with before and after) and go
//! to the shell's confirmation, policy and the one executor. Read-only mode is checked for the
//! zone's account before the form opens.

use crossterm::event::KeyEvent;

use super::{DnsPane, View};
use crate::app::Change;
use crate::app::form::{Field, Form, FormKey};
use crate::app::pane::Ctx;
use crate::config::keymap::Action;
use crate::domain::dns::values::{CHANGEABLE_TYPES, alias_target, record_name};
use crate::domain::dns::{
    NoPlan, RecordSet, RecordSpec, ZoneRef, ZoneTarget, plan_delete, plan_fix_delegation,
    plan_upsert,
};

/// The record form's fields.
pub const NAME: usize = 0;
pub const TYPE: usize = 1;
pub const TTL: usize = 2;
pub const VALUES: usize = 3;
pub const ALIAS: usize = 4;

/// Where the record form writes: the zone, and the record set being changed (`c`).
#[derive(Debug, Clone)]
pub struct RecordTarget {
    pub zone: ZoneTarget,
    pub zone_ref: ZoneRef,
    pub editing: Option<RecordSet>,
}

/// Create or change a record set: name, type, TTL, values (separated by `|`), or an alias target.
pub type RecordForm = Form<RecordTarget>;

impl RecordForm {
    fn open(zone: ZoneTarget, zone_ref: ZoneRef, editing: Option<RecordSet>) -> RecordForm {
        let types: Vec<String> = CHANGEABLE_TYPES.iter().map(|t| (*t).to_owned()).collect();
        let (name, kind, ttl, values, alias) = match &editing {
            Some(r) => (
                r.name.clone(),
                r.kind.clone(),
                r.ttl.map(|t| t.to_string()).unwrap_or_default(),
                r.values.join(" | "),
                r.alias
                    .as_ref()
                    .map(|a| format!("{}/{}", a.hosted_zone_id, a.dns_name))
                    .unwrap_or_default(),
            ),
            None => (
                format!(".{}", zone.zone.name),
                "A".to_owned(),
                String::new(),
                String::new(),
                String::new(),
            ),
        };
        let choice = types.iter().position(|t| *t == kind).unwrap_or(0);
        let focus = if editing.is_some() { VALUES } else { NAME };
        let mut form = Form::new(
            RecordTarget {
                zone,
                zone_ref,
                editing,
            },
            vec![
                Field::text("name", name),
                Field::choice("type", types, choice),
                Field::text("ttl", ttl),
                Field::text("values", values),
                Field::text("alias to", alias),
            ],
        )
        .focused(focus);
        // A new name starts with the zone's suffix typed: the cursor waits before it.
        if form.kind.editing.is_none() {
            form.fields[NAME].input =
                tui_input::Input::new(form.fields[NAME].input.value().into()).with_cursor(0);
        }
        form
    }

    /// What the form asks for, checked as far as it can be without the zone's records.
    fn spec(&self) -> Result<RecordSpec, String> {
        let name = record_name(&self.value(NAME))?;
        let kind = self.value(TYPE);
        let ttl = match self.value(TTL).as_str() {
            "" => None,
            t => Some(
                t.parse::<i64>()
                    .map_err(|_| format!("TTL `{t}` must be a number of seconds"))?,
            ),
        };
        let alias = match self.value(ALIAS).as_str() {
            "" => None,
            a => Some(alias_target(
                a,
                self.kind
                    .editing
                    .as_ref()
                    .and_then(|r| r.alias.as_ref())
                    .is_some_and(|a| a.evaluate_target_health),
            )?),
        };
        let values: Vec<String> = self
            .value(VALUES)
            .split('|')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(RecordSpec {
            name,
            kind: kind.clone(),
            ttl,
            values,
            alias,
            set_identifier: self
                .kind
                .editing
                .as_ref()
                .filter(|r| r.kind == kind)
                .and_then(|r| r.set_identifier.clone()),
        })
    }
}

impl DnsPane {
    /// The zone of the view on screen, or of the selected record.
    fn zone_for_new(&self) -> Option<(ZoneTarget, ZoneRef)> {
        let inv = self.inventory()?;
        let zr = match &self.view {
            View::Records { zone: Some(zr) } => *zr,
            View::Records { zone: None } => {
                let at = self.records.selected()?;
                ZoneRef {
                    account: at.account as usize,
                    zone: at.zone as usize,
                }
            }
            View::OrgZones { .. } => *self.org_zones.selected()?,
            _ => return None,
        };
        let (a, z) = inv.zone(zr)?;
        Some((
            ZoneTarget {
                account_id: a.account.id.clone(),
                account_name: a.account.name.clone(),
                zone: z.zone().clone(),
            },
            zr,
        ))
    }

    /// The selected record set with its zone.
    fn selected_record(&self) -> Option<(ZoneTarget, ZoneRef, RecordSet)> {
        if !matches!(self.view, View::Records { .. }) {
            return None;
        }
        let at = *self.records.selected()?;
        let (a, z, r) = self.inventory()?.record(at)?;
        Some((
            ZoneTarget {
                account_id: a.account.id.clone(),
                account_name: a.account.name.clone(),
                zone: z.zone().clone(),
            },
            ZoneRef {
                account: at.account as usize,
                zone: at.zone as usize,
            },
            r.to_record_set(),
        ))
    }

    /// The record sets of `name` in a zone, as the inventory holds them.
    fn records_named(&self, zr: ZoneRef, name: &str) -> Vec<RecordSet> {
        self.inventory()
            .and_then(|inv| inv.zone(zr))
            .map(|(_, z)| {
                z.records
                    .iter()
                    .filter(|r| r.name() == name)
                    .map(|r| r.to_record_set())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The account a change `action` acts in: the zone's.
    pub(super) fn change_account_of(&self, action: Action) -> Option<String> {
        match action {
            Action::New => self.zone_for_new().map(|(z, _)| z.account_id),
            Action::Edit | Action::Delete => self.selected_record().map(|(z, ..)| z.account_id),
            _ => None,
        }
    }

    fn allowed(&self, account: &str, ctx: &mut Ctx) -> bool {
        match ctx.policy.check_account(account) {
            Ok(()) => true,
            Err(refusal) => {
                ctx.notify(format!("{refusal}; nothing was opened"), true);
                false
            }
        }
    }

    /// `n`: the record form for a new record set.
    pub(super) fn new_record(&mut self, ctx: &mut Ctx) {
        let Some((zone, zr)) = self.zone_for_new() else {
            return;
        };
        if self.allowed(&zone.account_id, ctx) {
            self.form = Some(RecordForm::open(zone, zr, None));
        }
    }

    /// `c`: the record form on the selected record set.
    pub(super) fn change_record(&mut self, ctx: &mut Ctx) {
        let Some((zone, zr, record)) = self.selected_record() else {
            return;
        };
        if self.allowed(&zone.account_id, ctx) {
            self.form = Some(RecordForm::open(zone, zr, Some(record)));
        }
    }

    /// `d`: the plan deleting the selected record set (its name typed to confirm).
    pub(super) fn delete_record(&mut self, ctx: &mut Ctx) {
        let Some((zone, zr, record)) = self.selected_record() else {
            return;
        };
        let existing = self.records_named(zr, &record.name);
        let region = ctx.region.clone().unwrap_or_default();
        match plan_delete(
            &zone,
            &record.name,
            &record.kind,
            record.set_identifier.as_deref(),
            &existing,
            false,
            &region,
        ) {
            Ok(plan) => ctx.confirm(plan.map_actions(Change::Dns)),
            Err(why) => ctx.notify(why.to_string(), true),
        }
    }

    /// `f` on a delegation: the plan that fixes it.
    pub(super) fn fix_delegation(&mut self, ctx: &mut Ctx) {
        let (Some(row), Some(inv)) = (self.delegations.selected(), self.inventory()) else {
            return;
        };
        let region = ctx.region.clone().unwrap_or_default();
        match plan_fix_delegation(inv, &row.child_zone, &region) {
            Ok((_, plan)) => ctx.confirm(plan.map_actions(Change::Dns)),
            Err(NoPlan::NothingToDo(why)) => ctx.notify(why, false),
            Err(NoPlan::Invalid(why)) => ctx.notify(why, true),
        }
    }

    /// A key while the record form is open.
    pub(super) fn on_form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) {
        let Some(form) = self.form.as_mut() else {
            return;
        };
        match form.on_key(key, ctx.keymap) {
            FormKey::Cancel => self.form = None,
            FormKey::Submit => self.submit_form(ctx),
            FormKey::Handled | FormKey::Editor => {}
        }
    }

    fn submit_form(&mut self, ctx: &mut Ctx) {
        let Some(form) = self.form.as_ref() else {
            return;
        };
        let spec = match form.spec() {
            Ok(spec) => spec,
            Err(why) => {
                if let Some(form) = self.form.as_mut() {
                    form.error = Some(why);
                }
                return;
            }
        };
        let target = form.kind.clone();
        let existing = self.records_named(target.zone_ref, &spec.name);
        let region = ctx.region.clone().unwrap_or_default();
        match plan_upsert(&target.zone, &spec, &existing, false, &region) {
            Ok(plan) => {
                self.form = None;
                ctx.confirm(plan.map_actions(Change::Dns));
            }
            Err(NoPlan::NothingToDo(why)) => {
                self.form = None;
                ctx.notify(why, false);
            }
            Err(NoPlan::Invalid(why)) => {
                if let Some(form) = self.form.as_mut() {
                    form.error = Some(why);
                }
            }
        }
    }
}
