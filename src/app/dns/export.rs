//! `e` in the DNS pane: the view on screen, as the rows it shows, written as CSV or as the JSON
//! the `dns` commands print.

use serde::Serialize;

use super::find::find_cells;
use super::grid::visible;
use super::{AccountRow, DnsPane, FindRow, View};
use crate::app::Effect;
use crate::app::pane::Ctx;
use crate::domain::dns::{
    AccountEntry, CnameHop, Delegation, Finding, Hop, ServingZone, ZoneEntry,
};
use crate::rows::dns::{AccountSummaryRow, AnswerRow, RecordRow, ZoneRow};
use crate::rows::{Cells, Row};

/// The file format `e` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl DnsPane {
    /// The view on screen as a file of `format`: the same rows, columns and JSON as the `dns`
    /// commands print with `-o csv` and `-o json` (the accounts view, which no command prints,
    /// as [`AccountSummaryRow`]; the who-serves view as `dns find` prints it).
    pub(super) fn export(&self, format: ExportFormat) -> Result<Option<Effect>, String> {
        let inv = self.inventory();
        match &self.view {
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
                rows_as("hosted-zones", &rows, format).map(Some)
            }
            View::Accounts => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<AccountSummaryRow> = visible(&self.accounts)
                    .filter_map(|r| match r {
                        AccountRow::Account(i) => inv.accounts.get(*i),
                        _ => None,
                    })
                    .map(|a| AccountSummaryRow {
                        account_id: a.account.id.clone(),
                        account_name: a.account.name.clone(),
                        status: a.status.word().to_owned(),
                        zones: a.zones.len(),
                        records: a.records,
                        error: a.status.error().map(str::to_owned),
                    })
                    .collect();
                rows_as("dns-accounts", &rows, format).map(Some)
            }
            View::OrgZones { .. } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<ZoneRow> = visible(&self.org_zones)
                    .filter_map(|zr| inv.zone(*zr))
                    .map(|(a, z)| zone_row(a, z))
                    .collect();
                rows_as("dns-zones", &rows, format).map(Some)
            }
            View::Records { .. } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                let rows: Vec<RecordRow> = visible(&self.records)
                    .filter_map(|at| inv.record(*at))
                    .map(|(a, z, r)| RecordRow::new(a, z, r))
                    .collect();
                rows_as("dns-records", &rows, format).map(Some)
            }
            View::Delegations => {
                let rows: Vec<Delegation> = visible(&self.delegations).cloned().collect();
                rows_as("dns-delegations", &rows, format).map(Some)
            }
            View::Audit => {
                let rows: Vec<Finding> = visible(&self.findings).cloned().collect();
                rows_as("dns-audit", &rows, format).map(Some)
            }
            View::Find { name } => {
                let Some(inv) = inv else {
                    return Ok(None);
                };
                if format == ExportFormat::Csv {
                    // The view mixes serving zones, the delegation chain and answers: one row
                    // each, as on screen.
                    let rows = visible(&self.found)
                        .map(|row| find_cells(inv, row))
                        .collect();
                    return Ok(Some(Effect::Export {
                        name: "dns-find".to_owned(),
                        headers: ["WHAT", "ACCOUNT", "ZONE", "DETAIL"]
                            .map(str::to_owned)
                            .to_vec(),
                        rows,
                    }));
                }
                let mut doc = FindJson {
                    name: self.lookup.as_ref().map_or(name.as_str(), |l| &l.name),
                    zones: Vec::new(),
                    chain: Vec::new(),
                    answers: Vec::new(),
                    cnames: Vec::new(),
                };
                for row in visible(&self.found) {
                    match row {
                        FindRow::Zone(z) => doc.zones.push(z),
                        FindRow::Hop(h) => doc.chain.push(h),
                        FindRow::Cname(h) => doc.cnames.push(h),
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
                Ok(Some(Effect::ExportJson {
                    name: "dns-find".to_owned(),
                    json: pretty_json(&doc)?,
                }))
            }
        }
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

/// Rows as the file `e` writes: CSV with the rows' own headers and cells (what `-o csv` prints),
/// or their JSON (what `-o json` prints).
fn rows_as<R: Row>(name: &str, rows: &[R], format: ExportFormat) -> Result<Effect, String> {
    Ok(match format {
        ExportFormat::Csv => Effect::Export {
            name: name.to_owned(),
            headers: R::headers().iter().map(|h| (*h).to_owned()).collect(),
            rows: rows.iter().map(Cells::cells).collect(),
        },
        ExportFormat::Json => Effect::ExportJson {
            name: name.to_owned(),
            json: pretty_json(rows)?,
        },
    })
}

/// JSON of the "who serves this name" view: the shape of `dns find -o json`, with the rows the
/// view shows.
#[derive(Debug, Serialize)]
struct FindJson<'a> {
    name: &'a str,
    zones: Vec<&'a ServingZone>,
    chain: Vec<&'a Hop>,
    answers: Vec<AnswerRow>,
    cnames: Vec<&'a CnameHop>,
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
