//! `dns find`: which zones serve a name, the delegation chain down to them, the records that
//! answer and the CNAME chain followed inside the organisation, as one JSON document, one CSV
//! table (the answers), or four tables.

use std::io::Write;

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::domain::account::Account;
use crate::domain::dns::{
    CnameHop, Inventory, Lookup, MAX_CNAME_HOPS, chain_names, follow_cnames, is_under,
    normalise_name,
};
use crate::domain::sanitize::sanitize;
use crate::rows::dns::{AnswerRow, HopRow, RecordRow, ServingRow};
use crate::rows::write_rows;
use crate::services::{Dns, InventoryPlan};

/// JSON of `dns find`.
#[derive(Debug, Serialize)]
struct FindOutput<'a> {
    name: &'a str,
    zones: Vec<&'a crate::domain::dns::ServingZone>,
    chain: &'a [crate::domain::dns::Hop],
    answers: Vec<AnswerRow>,
    cnames: &'a [CnameHop],
}

/// Follow the CNAME chain from `name`, reading the zones of each name it reaches (the inventory
/// grows by one reading per hop into zones not read yet); the inventory with every zone the chain
/// touched, and the chain.
pub(super) async fn follow<D: Dns + ?Sized>(
    backend: &D,
    accounts: &[Account],
    plan: &InventoryPlan,
    name: &str,
    mut inventory: Inventory,
) -> (Inventory, Vec<CnameHop>) {
    let mut read = vec![normalise_name(name)];
    for _ in 0..MAX_CNAME_HOPS {
        let hops = follow_cnames(&inventory, name);
        let names = chain_names(name, &hops);
        if names.iter().all(|n| read.contains(n)) {
            return (inventory, hops);
        }
        read = names;
        let wanted = read.clone();
        inventory = super::collect(backend, accounts.to_vec(), plan, &move |z| {
            wanted.iter().any(|n| is_under(n, &z.zone.name))
        })
        .await;
    }
    let hops = follow_cnames(&inventory, name);
    (inventory, hops)
}

pub(super) fn write_lookup(
    inventory: &Inventory,
    lookup: &Lookup,
    cnames: &[CnameHop],
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
                cnames,
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
            if !cnames.is_empty() {
                writeln!(out, "\nCNAME chain:")?;
                write_rows(out, format, cnames)?;
            }
        }
    }
    Ok(())
}
