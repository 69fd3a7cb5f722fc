//! `e` in the DNS pane: the view on screen, as the rows it shows, written as CSV or as the JSON
//! the `dns` commands print.

use serde::Serialize;

use super::find::find_cells;
use super::grid::visible;
use super::{AccountRow, DnsPane, FindRow, View};
use crate::app::Effect;
use crate::app::pane::Ctx;
use crate::domain::dns::{AccountEntry, Delegation, Hop, ServingZone, ZoneEntry};
use crate::rows::dns::{AnswerRow, RecordRow, ZoneRow};

/// The file format `e` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl DnsPane {
    /// The view on screen as a file of `format`.
    pub(super) fn export(&self, format: ExportFormat) -> Result<Option<Effect>, String> {
        match format {
            ExportFormat::Csv => Ok(self.export_csv()),
            ExportFormat::Json => self.export_json(),
        }
    }

    /// Rows of the view on screen as the `dns` commands print them with `-o json` (the accounts
    /// view, which no command prints, with its CSV columns as keys).
    fn export_json(&self) -> Result<Option<Effect>, String> {
        let inv = self.inventory();
        let (name, json): (&str, String) = match &self.view {
            View::Zones => {
                let account_id = self.zones.account.clone().unwrap_or_default();
                let items = self.zones.items();
                let rows: Vec<ZoneRow> = self
                    .zones
                    .table
                    .visible()
                    .iter()
                    .filter_map(|&i| items.get(i))
                    .map(|z| {
                        // Account name and VPCs only the inventory knows (ListHostedZones has
                        // neither); until it has the zone they stay empty.
                        let known = inv.and_then(|inv| {
                            inv.zones()
                                .find(|(_, a, e)| a.account.id == account_id && e.zone().id == z.id)
                        });
                        ZoneRow {
                            account_id: account_id.clone(),
                            account_name: known
                                .map(|(_, a, _)| a.account.name.clone())
                                .unwrap_or_default(),
                            zone_id: z.id.clone(),
                            zone: z.name.clone(),
                            private: z.private,
                            record_count: z.record_count,
                            comment: z.comment.clone(),
                            vpcs: known
                                .map(|(_, _, e)| e.detail.vpcs.clone())
                                .unwrap_or_default(),
                        }
                    })
                    .collect();
                ("hosted-zones", pretty_json(&rows)?)
            }
            View::Accounts => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<AccountJson> = visible(&self.accounts)
                    .filter_map(|r| match r {
                        AccountRow::Account(i) => inv.accounts.get(*i),
                        _ => None,
                    })
                    .map(|a| AccountJson {
                        account_id: &a.account.id,
                        account_name: &a.account.name,
                        status: a.status.word(),
                        zones: a.zones.len(),
                        records: a.records,
                        error: a.status.error(),
                    })
                    .collect();
                ("dns-accounts", pretty_json(&rows)?)
            }
            View::OrgZones { .. } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<ZoneRow> = visible(&self.org_zones)
                    .filter_map(|zr| inv.zone(*zr))
                    .map(|(a, z)| zone_row(a, z))
                    .collect();
                ("dns-zones", pretty_json(&rows)?)
            }
            View::Records { .. } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<RecordRow> = visible(&self.records)
                    .filter_map(|at| inv.record(*at))
                    .map(|(a, z, r)| RecordRow::new(a, z, r))
                    .collect();
                ("dns-records", pretty_json(&rows)?)
            }
            View::Delegations => {
                let rows: Vec<&Delegation> = visible(&self.delegations).collect();
                ("dns-delegations", pretty_json(&rows)?)
            }
            View::Find { name } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let mut doc = FindJson {
                    name: self.lookup.as_ref().map_or(name.as_str(), |l| &l.name),
                    zones: Vec::new(),
                    chain: Vec::new(),
                    answers: Vec::new(),
                };
                for row in visible(&self.found) {
                    match row {
                        FindRow::Zone(z) => doc.zones.push(z),
                        FindRow::Hop(h) => doc.chain.push(h),
                        FindRow::Answer(at, matched) => {
                            if let Some((a, z, r)) = inv.record(*at) {
                                doc.answers.push(AnswerRow {
                                    matched: *matched,
                                    record: RecordRow::new(a, z, r),
                                });
                            }
                        }
                    }
                }
                ("dns-find", pretty_json(&doc)?)
            }
        };
        Ok(Some(Effect::ExportJson {
            name: name.to_owned(),
            json,
        }))
    }

    /// Rows of the view on screen, as exported cells, with their headers and a file name.
    fn export_csv(&self) -> Option<Effect> {
        let inv = self.inventory();
        let (name, headers, rows): (&str, Vec<&str>, Vec<Vec<String>>) = match &self.view {
            View::Zones => return Some(self.zones.export("hosted-zones")),
            View::Accounts => {
                let inv = inv?;
                let rows = visible(&self.accounts)
                    .filter_map(|r| match r {
                        AccountRow::Account(i) => inv.accounts.get(*i),
                        _ => None,
                    })
                    .map(|a| {
                        vec![
                            a.account.id.clone(),
                            a.account.name.clone(),
                            a.status.word().to_owned(),
                            a.zones.len().to_string(),
                            a.records.to_string(),
                            a.status.error().unwrap_or_default().to_owned(),
                        ]
                    })
                    .collect();
                (
                    "dns-accounts",
                    vec![
                        "account_id",
                        "account_name",
                        "status",
                        "zones",
                        "records",
                        "error",
                    ],
                    rows,
                )
            }
            View::OrgZones { .. } => {
                let inv = inv?;
                let rows = visible(&self.org_zones)
                    .filter_map(|zr| inv.zone(*zr))
                    .map(|(a, z)| {
                        vec![
                            a.account.id.clone(),
                            a.account.name.clone(),
                            z.zone().id.clone(),
                            z.zone().name.clone(),
                            z.zone().private.to_string(),
                            z.records.len().to_string(),
                            z.zone().comment.clone(),
                            z.detail.vpcs.join(" "),
                        ]
                    })
                    .collect();
                (
                    "dns-zones",
                    vec![
                        "account_id",
                        "account_name",
                        "zone_id",
                        "zone",
                        "private",
                        "records",
                        "comment",
                        "vpcs",
                    ],
                    rows,
                )
            }
            View::Records { .. } => {
                let inv = inv?;
                let rows = visible(&self.records)
                    .filter_map(|at| inv.record(*at))
                    .map(|(a, z, r)| {
                        vec![
                            a.account.id.clone(),
                            a.account.name.clone(),
                            z.zone().id.clone(),
                            z.zone().name.clone(),
                            z.zone().private.to_string(),
                            r.name.clone(),
                            r.kind.clone(),
                            r.ttl.map(|t| t.to_string()).unwrap_or_default(),
                            r.data_text(),
                            r.set_identifier.clone().unwrap_or_default(),
                            r.routing_text(),
                        ]
                    })
                    .collect();
                (
                    "dns-records",
                    vec![
                        "account_id",
                        "account_name",
                        "zone_id",
                        "zone",
                        "private",
                        "name",
                        "type",
                        "ttl",
                        "data",
                        "set_identifier",
                        "routing",
                    ],
                    rows,
                )
            }
            View::Delegations => {
                let rows = visible(&self.delegations)
                    .map(|d| {
                        vec![
                            d.status.word().to_owned(),
                            d.parent_zone.clone(),
                            d.parent_account.clone(),
                            d.child_zone.clone(),
                            d.child_account.clone().unwrap_or_default(),
                            d.parent_ns.join(" "),
                            d.child_ns.join(" "),
                        ]
                    })
                    .collect();
                (
                    "dns-delegations",
                    vec![
                        "status",
                        "parent_zone",
                        "parent_account",
                        "child_zone",
                        "child_account",
                        "parent_ns",
                        "child_ns",
                    ],
                    rows,
                )
            }
            View::Find { .. } => {
                let inv = inv?;
                let rows = visible(&self.found)
                    .map(|row| find_cells(inv, row))
                    .collect();
                ("dns-find", vec!["what", "account", "zone", "detail"], rows)
            }
        };
        Some(Effect::Export {
            name: name.to_owned(),
            headers: headers.into_iter().map(str::to_owned).collect(),
            rows,
        })
    }

    /// Ask the runtime to write the view as `format`; say why when it cannot be built.
    pub(super) fn export_as(&self, format: ExportFormat, ctx: &mut Ctx) {
        match self.export(format) {
            Ok(Some(effect)) => ctx.run(effect),
            Ok(None) => {}
            Err(e) => ctx.notify(format!("export failed: {e}"), true),
        }
    }
}

/// JSON of one account of the accounts view: the CSV export's columns.
#[derive(Debug, Serialize)]
struct AccountJson<'a> {
    account_id: &'a str,
    account_name: &'a str,
    status: &'a str,
    zones: usize,
    records: usize,
    error: Option<&'a str>,
}

/// JSON of the "who serves this name" view: the shape of `dns find -o json`, with the rows the
/// view shows.
#[derive(Debug, Serialize)]
struct FindJson<'a> {
    name: &'a str,
    zones: Vec<&'a ServingZone>,
    chain: Vec<&'a Hop>,
    answers: Vec<AnswerRow>,
}

/// A zone of the inventory as `dns zones -o json` prints it.
fn zone_row(a: &AccountEntry, z: &ZoneEntry) -> ZoneRow {
    ZoneRow {
        account_id: a.account.id.clone(),
        account_name: a.account.name.clone(),
        zone_id: z.zone().id.clone(),
        zone: z.zone().name.clone(),
        private: z.zone().private,
        record_count: z.zone().record_count,
        comment: z.zone().comment.clone(),
        vpcs: z.detail.vpcs.clone(),
    }
}

/// Terminal-safe pretty JSON (the file may well be `cat`ed), keys in the commands' order.
fn pretty_json<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
    let mut json = Vec::new();
    crate::domain::sanitize::to_json_pretty_safe(&mut json, value).map_err(|e| e.to_string())?;
    // serde_json writes UTF-8 only.
    String::from_utf8(json).map_err(|e| e.to_string())
}
