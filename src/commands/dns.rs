//! `opsdeck dns zones|records|find|delegations`: Route53 across every account of the organisation
//! (or the configured list), read through the assumed role, accounts in parallel, each paced.
//! Exit code 4 with the partial result when some account (or zone) could not be read completely.

use std::io::Write;

use anyhow::bail;
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::{OutputArgs, OutputFormat};
use crate::domain::account::Account;
use crate::domain::dns::{
    AccountEntry, AliasTarget, Delegation, Inventory, Lookup, MatchKind, RecordSet, Routing,
    ZoneDetail, ZoneEntry, check_delegations, find, is_under, normalise_name,
};
use crate::domain::sanitize::sanitize;
use crate::rows::{Row, write_rows};
use crate::services::{
    AccountDirectory, Dns, Identity, InventoryPlan, Organization, load_inventory,
};

#[derive(Debug, Subcommand)]
pub enum DnsCommand {
    /// Every hosted zone of every account.
    Zones(DnsArgs),
    /// Every record set of every zone (or of the zones named).
    Records {
        #[command(flatten)]
        common: DnsArgs,
        /// Only this zone (name or id).
        #[arg(long, value_name = "NAME|ID")]
        zone: Option<String>,
        /// Only record sets of this type (A, AAAA, CNAME, MX, NS, TXT, ...).
        #[arg(long = "type", value_name = "TYPE")]
        kind: Option<String>,
        /// Only record sets whose name contains this text.
        #[arg(long, value_name = "SUBSTRING")]
        name: Option<String>,
    },
    /// Which zones serve a name, the delegation chain down to them, and the records that answer.
    Find {
        /// The name to look up, e.g. api.dev.example.com.
        name: String,
        #[command(flatten)]
        common: DnsArgs,
    },
    /// Check every delegation between the organisation's public zones (problems first).
    Delegations(DnsArgs),
}

impl DnsCommand {
    pub fn name(&self) -> &'static str {
        match self {
            DnsCommand::Zones(_) => "dns zones",
            DnsCommand::Records { .. } => "dns records",
            DnsCommand::Find { .. } => "dns find",
            DnsCommand::Delegations(_) => "dns delegations",
        }
    }

    fn common(&self) -> &DnsArgs {
        match self {
            DnsCommand::Zones(c) | DnsCommand::Delegations(c) => c,
            DnsCommand::Records { common, .. } | DnsCommand::Find { common, .. } => common,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct DnsArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// Only this account (id or name); repeat for several.
    #[arg(long = "account", value_name = "ID|NAME")]
    pub accounts: Vec<String>,
}

/// JSON of `dns zones`: one object per hosted zone.
#[derive(Debug, Serialize)]
pub struct ZoneRow {
    pub account_id: String,
    pub account_name: String,
    pub zone_id: String,
    pub zone: String,
    pub private: bool,
    pub record_count: i64,
    pub comment: String,
    /// `region/vpc-id` of each VPC a private zone answers in.
    pub vpcs: Vec<String>,
}

impl Row for ZoneRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ACCOUNT",
            "ZONE",
            "ID",
            "VISIBILITY",
            "RECORDS",
            "COMMENT",
            "VPCS",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            account_label(&self.account_id, &self.account_name),
            self.zone.clone(),
            self.zone_id.clone(),
            if self.private { "private" } else { "public" }.into(),
            self.record_count.to_string(),
            self.comment.clone(),
            self.vpcs.join(" "),
        ]
    }
}

/// JSON of `dns records`: one object per record set, the documented shape.
#[derive(Debug, Clone, Serialize)]
pub struct RecordRow {
    pub account_id: String,
    pub account_name: String,
    pub zone_id: String,
    pub zone: String,
    pub private: bool,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub ttl: Option<i64>,
    pub values: Vec<String>,
    pub alias: Option<AliasTarget>,
    pub set_identifier: Option<String>,
    pub routing: Routing,
}

impl RecordRow {
    pub fn new(account: &AccountEntry, zone: &ZoneEntry, r: &RecordSet) -> Self {
        RecordRow {
            account_id: account.account.id.clone(),
            account_name: account.account.name.clone(),
            zone_id: zone.zone().id.clone(),
            zone: zone.zone().name.clone(),
            private: zone.zone().private,
            name: r.name.clone(),
            kind: r.kind.clone(),
            ttl: r.ttl,
            values: r.values.clone(),
            alias: r.alias.clone(),
            set_identifier: r.set_identifier.clone(),
            routing: r.routing.clone(),
        }
    }

    fn record(&self) -> RecordSet {
        RecordSet {
            name: self.name.clone(),
            kind: self.kind.clone(),
            ttl: self.ttl,
            values: self.values.clone(),
            alias: self.alias.clone(),
            set_identifier: self.set_identifier.clone(),
            routing: self.routing.clone(),
        }
    }
}

impl Row for RecordRow {
    fn headers() -> &'static [&'static str] {
        &["ACCOUNT", "ZONE", "NAME", "TYPE", "TTL", "DATA", "ROUTING"]
    }

    fn cells(&self) -> Vec<String> {
        let r = self.record();
        vec![
            account_label(&self.account_id, &self.account_name),
            self.zone.clone(),
            self.name.clone(),
            self.kind.clone(),
            self.ttl.map(|t| t.to_string()).unwrap_or_default(),
            r.data_text(),
            r.routing_text(),
        ]
    }
}

impl Row for Delegation {
    fn headers() -> &'static [&'static str] {
        &[
            "STATUS",
            "PARENT_ZONE",
            "PARENT_ACCOUNT",
            "CHILD_ZONE",
            "CHILD_ACCOUNT",
            "PARENT_NS",
            "CHILD_NS",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.status.word().into(),
            self.parent_zone.clone(),
            self.parent_account.clone(),
            self.child_zone.clone(),
            self.child_account.clone().unwrap_or_default(),
            self.parent_ns.join(" "),
            self.child_ns.join(" "),
        ]
    }
}

/// An answer of `dns find`: the record set and whether it matched exactly or by wildcard.
#[derive(Debug, Serialize)]
pub struct AnswerRow {
    #[serde(rename = "match")]
    pub matched: MatchKind,
    #[serde(flatten)]
    pub record: RecordRow,
}

impl Row for AnswerRow {
    fn headers() -> &'static [&'static str] {
        &[
            "MATCH", "ACCOUNT", "ZONE", "NAME", "TYPE", "TTL", "DATA", "ROUTING",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            match self.matched {
                MatchKind::Exact => "exact",
                MatchKind::Wildcard => "wildcard",
            }
            .to_owned(),
        ];
        cells.extend(self.record.cells());
        cells
    }
}

#[derive(Debug, Serialize)]
struct ServingRow<'a> {
    #[serde(flatten)]
    zone: &'a crate::domain::dns::ServingZone,
}

impl Row for ServingRow<'_> {
    fn headers() -> &'static [&'static str] {
        &["ACCOUNT", "ZONE", "ID", "VISIBILITY", "VPCS"]
    }

    fn cells(&self) -> Vec<String> {
        let z = self.zone;
        vec![
            account_label(&z.account_id, &z.account_name),
            z.zone.clone(),
            z.zone_id.clone(),
            if z.private { "private" } else { "public" }.into(),
            z.vpcs.join(" "),
        ]
    }
}

#[derive(Debug, Serialize)]
struct HopRow<'a> {
    #[serde(flatten)]
    hop: &'a crate::domain::dns::Hop,
}

impl Row for HopRow<'_> {
    fn headers() -> &'static [&'static str] {
        &[
            "STATUS",
            "PARENT_ZONE",
            "PARENT_ACCOUNT",
            "CHILD_ZONE",
            "CHILD_ACCOUNT",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.hop.status.word().into(),
            self.hop.parent_zone.clone(),
            self.hop.parent_account.clone(),
            self.hop.child_zone.clone(),
            self.hop.child_account.clone().unwrap_or_default(),
        ]
    }
}

/// JSON of `dns find`.
#[derive(Debug, Serialize)]
struct FindOutput<'a> {
    name: &'a str,
    zones: Vec<&'a crate::domain::dns::ServingZone>,
    chain: &'a [crate::domain::dns::Hop],
    answers: Vec<AnswerRow>,
}

fn account_label(id: &str, name: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        format!("{name} ({id})")
    }
}

/// Keep the accounts `wanted` names (ids or names, case-insensitive names); all when empty.
/// Naming an account that is not in the list is an error that lists the known ones.
pub fn restrict(accounts: Vec<Account>, wanted: &[String]) -> anyhow::Result<Vec<Account>> {
    if wanted.is_empty() {
        return Ok(accounts);
    }
    for w in wanted {
        if !accounts
            .iter()
            .any(|a| &a.id == w || (!a.name.is_empty() && a.name.eq_ignore_ascii_case(w)))
        {
            let known: Vec<String> = accounts
                .iter()
                .map(|a| account_label(&a.id, &a.name))
                .collect();
            bail!(
                "no account `{}` in the account list; known accounts: {}",
                sanitize(w),
                sanitize(&known.join(", "))
            );
        }
    }
    Ok(accounts
        .into_iter()
        .filter(|a| {
            wanted
                .iter()
                .any(|w| &a.id == w || (!a.name.is_empty() && a.name.eq_ignore_ascii_case(w)))
        })
        .collect())
}

/// Run one `dns` command. Returns the exit code: 0, or 4 when some account or zone failed
/// (what was read is printed; each failure on stderr).
#[allow(clippy::too_many_arguments)]
pub async fn run<B>(
    backend: &B,
    directory: &AccountDirectory,
    plan: &InventoryPlan,
    command: &DnsCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32>
where
    B: Identity + Organization + Dns + ?Sized,
{
    let common = command.common();
    let format = common.output.output;
    let accounts = restrict(directory.load(backend).await?.accounts, &common.accounts)?;
    let wanted: Box<dyn Fn(&ZoneDetail) -> bool + Send + Sync> = match command {
        DnsCommand::Zones(_) => Box::new(|_| false),
        DnsCommand::Records { zone: None, .. } => Box::new(|_| true),
        DnsCommand::Records {
            zone: Some(zone), ..
        } => {
            let zone = zone.clone();
            let name = normalise_name(&zone);
            Box::new(move |z| z.zone.id == zone || z.zone.name == name)
        }
        DnsCommand::Find { name, .. } => {
            let name = normalise_name(name);
            Box::new(move |z| is_under(&name, &z.zone.name))
        }
        DnsCommand::Delegations(_) => Box::new(|z| !z.zone.private),
    };
    let inventory = collect(backend, accounts, plan, wanted.as_ref()).await;
    let failed = report_failures(&inventory, err)?;
    match command {
        DnsCommand::Zones(_) => {
            let rows: Vec<ZoneRow> = inventory
                .zones()
                .map(|(_, a, z)| ZoneRow {
                    account_id: a.account.id.clone(),
                    account_name: a.account.name.clone(),
                    zone_id: z.zone().id.clone(),
                    zone: z.zone().name.clone(),
                    private: z.zone().private,
                    record_count: z.zone().record_count,
                    comment: z.zone().comment.clone(),
                    vpcs: z.detail.vpcs.clone(),
                })
                .collect();
            write_rows(out, format, &rows)?;
        }
        DnsCommand::Records {
            zone, kind, name, ..
        } => {
            let zone = zone.as_deref().map(|z| (z, normalise_name(z)));
            let kind = kind.as_deref().map(str::to_ascii_uppercase);
            let name = name.as_deref().map(str::to_lowercase);
            let rows: Vec<RecordRow> = inventory
                .records()
                .filter(|(_, _, z, _)| {
                    zone.as_ref()
                        .is_none_or(|(raw, n)| z.zone().id == *raw || &z.zone().name == n)
                })
                .filter(|(_, _, _, r)| kind.as_ref().is_none_or(|k| &r.kind == k))
                .filter(|(_, _, _, r)| name.as_ref().is_none_or(|n| r.name.contains(n.as_str())))
                .map(|(_, a, z, r)| RecordRow::new(a, z, r))
                .collect();
            write_rows(out, format, &rows)?;
        }
        DnsCommand::Find { name, .. } => {
            let lookup = find(&inventory, name);
            write_lookup(&inventory, &lookup, format, out)?;
        }
        DnsCommand::Delegations(_) => {
            write_rows(out, format, &check_delegations(&inventory))?;
        }
    }
    Ok(if failed {
        crate::exit::PARTIAL
    } else {
        crate::exit::SUCCESS
    })
}

/// Load the inventory and apply its events.
pub async fn collect<D: Dns + ?Sized>(
    backend: &D,
    accounts: Vec<Account>,
    plan: &InventoryPlan,
    wanted: &(dyn Fn(&ZoneDetail) -> bool + Send + Sync),
) -> Inventory {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    load_inventory(backend, &accounts, plan, wanted, &tx).await;
    drop(tx);
    let mut inventory = Inventory::new(accounts);
    while let Some(event) = rx.recv().await {
        inventory.apply(event);
    }
    inventory
}

/// One stderr line per failed account and per incomplete zone; true when there was any.
fn report_failures(inventory: &Inventory, err: &mut dyn Write) -> std::io::Result<bool> {
    let mut any = false;
    for a in &inventory.accounts {
        if let Some(e) = a.status.error() {
            any = true;
            writeln!(
                err,
                "opsdeck: account {}: {}: {}",
                sanitize(&a.label()),
                a.status.word(),
                sanitize(e)
            )?;
        }
        for z in &a.zones {
            if let Some(e) = &z.error {
                any = true;
                writeln!(
                    err,
                    "opsdeck: account {} zone {} ({}): incomplete: {}",
                    sanitize(&a.label()),
                    sanitize(&z.zone().name),
                    sanitize(&z.zone().id),
                    sanitize(e)
                )?;
            }
        }
    }
    Ok(any)
}

fn write_lookup(
    inventory: &Inventory,
    lookup: &Lookup,
    format: OutputFormat,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let answers: Vec<AnswerRow> = lookup
        .answers
        .iter()
        .filter_map(|ans| {
            let (a, z, r) = inventory.record(ans.at)?;
            Some(AnswerRow {
                matched: ans.matched,
                record: RecordRow::new(a, z, r),
            })
        })
        .collect();
    match format {
        OutputFormat::Json => {
            let doc = FindOutput {
                name: &lookup.name,
                zones: lookup.zones.iter().collect(),
                chain: &lookup.chain,
                answers,
            };
            crate::domain::sanitize::to_json_pretty_safe(&mut *out, &doc)?;
            out.write_all(b"\n")?;
        }
        // CSV is one table: the answering records.
        OutputFormat::Csv => write_rows(out, format, &answers)?,
        OutputFormat::Table => {
            writeln!(out, "Zones serving {}:", sanitize(&lookup.name))?;
            let zones: Vec<ServingRow> = lookup
                .zones
                .iter()
                .map(|zone| ServingRow { zone })
                .collect();
            write_rows(out, format, &zones)?;
            writeln!(out, "\nDelegation chain:")?;
            let hops: Vec<HopRow> = lookup.chain.iter().map(|hop| HopRow { hop }).collect();
            write_rows(out, format, &hops)?;
            writeln!(out, "\nRecords:")?;
            write_rows(out, format, &answers)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str, name: &str) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            email: String::new(),
            status: "ACTIVE".into(),
            read_only: false,
        }
    }

    #[test]
    fn accounts_are_restricted_by_id_or_name() {
        let all = vec![
            account("111111111111", "dev"),
            account("222222222222", "Prod"),
        ];
        let kept = restrict(all.clone(), &["prod".into(), "111111111111".into()]).unwrap();
        assert_eq!(kept.len(), 2);
        let kept = restrict(all.clone(), &["dev".into()]).unwrap();
        assert_eq!(kept[0].id, "111111111111");
        let err = restrict(all, &["qa".into()]).unwrap_err().to_string();
        assert!(
            err.contains("no account `qa`") && err.contains("dev (111111111111)"),
            "{err}"
        );
    }

    #[test]
    fn a_record_row_serialises_in_the_documented_shape() {
        let row = RecordRow {
            account_id: "1".into(),
            account_name: "dev".into(),
            zone_id: "Z1".into(),
            zone: "example.com".into(),
            private: false,
            name: "www.example.com".into(),
            kind: "A".into(),
            ttl: None,
            values: vec![],
            alias: Some(AliasTarget {
                dns_name: "example.com".into(),
                hosted_zone_id: "Z1".into(),
                evaluate_target_health: false,
            }),
            set_identifier: None,
            routing: Routing {
                policy: "simple".into(),
                ..Routing::default()
            },
        };
        let text = serde_json::to_string(&row).unwrap();
        let keys = [
            "account_id",
            "account_name",
            "zone_id",
            "zone",
            "private",
            "name",
            "type",
            "ttl",
            "values",
            "alias",
            "set_identifier",
            "routing",
        ];
        let positions: Vec<usize> = keys
            .iter()
            .map(|k| text.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json.as_object().unwrap().len(), keys.len());
        assert_eq!(
            json["alias"],
            serde_json::json!({"dns_name": "example.com", "hosted_zone_id": "Z1", "evaluate_target_health": false})
        );
    }
}
