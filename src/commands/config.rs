//! `opsdeck config show|check|default`.

use std::io::Write;
use std::path::Path;

use crate::config::{self, Config};

pub fn show(config: &Config, source: Option<&Path>, out: &mut dyn Write) -> anyhow::Result<i32> {
    match source {
        Some(path) => writeln!(
            out,
            "# effective config: defaults < {} < flags",
            path.display()
        )?,
        None => writeln!(out, "# effective config: defaults < flags (no config file)")?,
    }
    out.write_all(config::to_toml(config).as_bytes())?;
    Ok(crate::exit::SUCCESS)
}

/// Validates the file; what is allowed but looks wrong (an unknown region) is warned about on
/// `err` and does not fail the check.
pub fn check(path: &Path, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let checked = config::check_file(path)?;
    for warning in config::warnings(&checked) {
        writeln!(err, "opsdeck: warning: {}: {warning}", path.display())?;
    }
    writeln!(out, "{}: ok", path.display())?;
    Ok(crate::exit::SUCCESS)
}

pub fn default(out: &mut dyn Write) -> anyhow::Result<i32> {
    out.write_all(config::DEFAULT_TOML.as_bytes())?;
    Ok(crate::exit::SUCCESS)
}
