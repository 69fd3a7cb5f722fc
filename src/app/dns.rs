//! The DNS pane: the hosted zones of the current account.

use chrono::{DateTime, Utc};

use super::Effect;
use super::list::{ListPane, Listing};
use super::loadable::RequestId;
use super::pane::{Ctx, PaneState};
use super::table::TableView;
use crate::config::keymap::Action;
use crate::domain::dns::HostedZone;
use crate::services::ServiceError;

#[derive(Debug, Default)]
pub struct DnsPane {
    pub zones: ListPane<HostedZone>,
}

#[derive(Debug)]
pub enum DnsMsg {
    Zones {
        request: RequestId,
        result: Result<Vec<HostedZone>, ServiceError>,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsEffect {
    LoadZones {
        request: RequestId,
        account_id: String,
    },
}

impl DnsPane {
    pub fn on_msg(&mut self, msg: DnsMsg, _ctx: &mut Ctx) {
        match msg {
            DnsMsg::Zones {
                request,
                result,
                at,
            } => {
                self.zones.loaded(request, result, at);
            }
        }
    }
}

impl PaneState for DnsPane {
    fn table(&self) -> &TableView {
        &self.zones.table
    }

    fn table_mut(&mut self) -> &mut TableView {
        &mut self.zones.table
    }

    fn refilter(&mut self) {
        self.zones.refilter();
    }

    fn ensure_loaded(&mut self, ctx: &mut Ctx) {
        if let Some((request, account_id)) = self.zones.load_if_needed(ctx) {
            ctx.run(Effect::Dns(DnsEffect::LoadZones {
                request,
                account_id,
            }));
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        self.zones.invalidate();
        self.ensure_loaded(ctx);
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) {
        match action {
            Action::Copy => {
                if let Some(zone) = self.zones.selected() {
                    ctx.run(Effect::Copy { text: zone.key() });
                }
            }
            Action::Export => ctx.run(self.zones.export("hosted-zones")),
            _ => {}
        }
    }

    fn is_busy(&self) -> bool {
        self.zones.list.is_loading()
    }

    fn reset(&mut self) {
        self.zones.clear();
    }

    fn hint(&self, _action: Action) -> &'static str {
        ""
    }
}

impl Listing for HostedZone {
    fn headers() -> &'static [&'static str] {
        &["ZONE", "ID", "VISIBILITY", "RECORDS", "COMMENT"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.id.clone(),
            if self.private { "private" } else { "public" }.into(),
            self.record_count.to_string(),
            self.comment.clone(),
        ]
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}
