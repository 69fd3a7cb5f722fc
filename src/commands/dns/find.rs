//! `dns find`: which zones serve a name, the delegation chain down to them, and the records that
//! answer, as one JSON document, one CSV table (the answers), or three tables.

use std::io::Write;

use serde::Serialize;

use crate::cli::OutputFormat;
use crate::domain::dns::{Inventory, Lookup};
use crate::domain::sanitize::sanitize;
use crate::rows::dns::{AnswerRow, HopRow, RecordRow, ServingRow};
use crate::rows::write_rows;

/// JSON of `dns find`.
#[derive(Debug, Serialize)]
struct FindOutput<'a> {
    name: &'a str,
    zones: Vec<&'a crate::domain::dns::ServingZone>,
    chain: &'a [crate::domain::dns::Hop],
    answers: Vec<AnswerRow>,
}

pub(super) fn write_lookup(
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
