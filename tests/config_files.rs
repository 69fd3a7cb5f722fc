//! Config files as users write them, checked through the library API (`opsdeck config check`).
//!
//! `tests/fixtures/config/valid/*.toml` must load; each `invalid/*.toml` starts with
//! `# expect: FRAGMENT`, a piece of the error message (usually `:LINE:COL: key `...`: ...`).

use std::fs;
use std::path::{Path, PathBuf};

use opsdeck::config::{self, Action, Config, ConfigError, Overrides, TenantModel};

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(name)
}

#[test]
fn every_valid_fixture_loads() {
    for path in fixtures("valid") {
        if let Err(e) = config::check_file(&path) {
            panic!("{} should be valid: {e}", path.display());
        }
    }
}

#[test]
fn every_invalid_fixture_fails_with_its_expected_message() {
    // All fixtures are checked before failing, so one run shows every broken message.
    let mut failures = Vec::new();
    for path in fixtures("invalid") {
        let text = fs::read_to_string(&path).unwrap();
        let Some(expect) = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
        else {
            failures.push(format!(
                "{}: lacks a `# expect: ` first line",
                path.display()
            ));
            continue;
        };
        let message = match config::check_file(&path) {
            Ok(_) => {
                failures.push(format!("{}: accepted, should be rejected", path.display()));
                continue;
            }
            Err(ConfigError::Invalid(invalid)) => invalid.to_string(),
            Err(other) => {
                failures.push(format!(
                    "{}: not a content error: {other:?}",
                    path.display()
                ));
                continue;
            }
        };
        let name = path.file_name().unwrap().to_str().unwrap();
        if !message.contains(&format!("{name}:")) || !message.contains(expect) {
            failures.push(format!(
                "{}:\n  expected the file name and: {expect}\n  got: {message}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_shipped_default_file_checks_clean() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/default.toml");
    assert_eq!(config::check_file(&path).unwrap(), Config::default());
}

#[test]
fn the_full_fixture_sets_every_section() {
    let c = config::check_file(&fixture("valid/full.toml")).unwrap();
    assert!(c.read_only);
    assert_eq!(c.aws.profile.as_deref(), Some("prod-admin"));
    assert_eq!(c.aws.region.as_deref(), Some("eu-central-1"));
    assert_eq!(c.aws.regions, ["eu-central-1", "eu-west-1"]);
    assert_eq!(c.organization.role_name, "OpsdeckReadRole");
    assert_eq!(
        c.organization.external_id.as_deref(),
        Some("opsdeck-external-42")
    );
    assert!(!c.organization.discover);
    assert_eq!(c.organization.accounts.len(), 2);
    assert!(c.organization.accounts[0].read_only);
    assert!(!c.organization.accounts[1].read_only);
    assert_eq!((c.concurrency.accounts, c.concurrency.route53_rps), (4, 2));
    assert_eq!(c.cognito.tenant_model, TenantModel::Attribute);
    assert_eq!(c.cognito.tenant_attribute, "custom:org");
    assert_eq!(c.cognito.import_rate, 20);
    assert_eq!(c.workflows.poll_interval_ms, 2500);
    assert_eq!(c.ui.tick_ms, 100);
    assert!(c.ui.utc && c.ui.mouse);
    assert_eq!(c.theme.name, opsdeck::config::ThemeName::Light);
    assert_eq!(c.theme.selected.as_deref(), Some("bold black on yellow"));
    assert_eq!(c.theme.border.as_deref(), Some("#808080"));
    let quit: Vec<String> = c
        .keymap
        .keys_for(Action::Quit)
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(quit, ["Q"]);
    let prev: Vec<String> = c
        .keymap
        .keys_for(Action::PrevPane)
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(prev, ["BackTab"]);
}

#[test]
fn flags_beat_the_file_and_the_file_beats_the_defaults() {
    let loaded = config::load(
        Some(&fixture("valid/full.toml")),
        &Overrides {
            profile: None,
            region: Some("us-west-2".into()),
            endpoint_url: None,
            read_only: false,
        },
    )
    .unwrap();
    assert_eq!(loaded.source, Some(fixture("valid/full.toml")));
    assert_eq!(loaded.config.aws.region.as_deref(), Some("us-west-2"));
    assert_eq!(loaded.config.aws.profile.as_deref(), Some("prod-admin"));
    // A flag left off does not lift the file's read-only.
    assert!(loaded.config.read_only);
}

#[test]
fn show_output_checks_clean_and_reproduces_the_config() {
    let c = config::check_file(&fixture("valid/full.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let shown = dir.path().join("shown.toml");
    fs::write(&shown, config::to_toml(&c)).unwrap();
    assert_eq!(config::check_file(&shown).unwrap(), c);
}

#[test]
fn a_missing_file_given_explicitly_is_an_error() {
    let err = config::check_file(&fixture("valid/does-not-exist.toml")).unwrap_err();
    assert!(matches!(err, ConfigError::NotFound { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("does-not-exist.toml: config file not found"),
        "{err}"
    );
}
