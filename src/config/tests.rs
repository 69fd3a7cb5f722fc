use super::error::tilde;
use super::load::default_path_from;
use super::*;

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};

fn parse(text: &str) -> Result<Config, ConfigError> {
    parse_str(text, Path::new("/etc/opsdeck/test.toml"))
}

fn err(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn the_documented_defaults_equal_config_default() {
    let parsed: Config = toml::from_str(DEFAULT_TOML).expect("config/default.toml parses");
    assert_eq!(parsed, Config::default());
}

#[test]
fn the_defaults_pass_validation() {
    assert_eq!(parse(DEFAULT_TOML).unwrap(), Config::default());
    assert_eq!(parse("").unwrap(), Config::default());
}

#[test]
fn every_key_in_the_default_file_has_a_comment_above_it() {
    let mut previous = "";
    let mut in_array = false;
    for (n, line) in DEFAULT_TOML.lines().enumerate() {
        let trimmed = line.trim();
        if in_array {
            in_array = !trimmed.starts_with(']');
        } else if !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('[') {
            assert!(
                previous.starts_with('#'),
                "line {}: `{trimmed}` has no comment above it",
                n + 1
            );
            in_array = trimmed.ends_with('[');
        }
        previous = trimmed;
    }
}

/// Every key of a fully populated config, as `section.key` (top-level keys bare).
fn all_keys() -> Vec<String> {
    let mut config = Config::default();
    config.aws.profile = Some("p".into());
    config.aws.region = Some("eu-west-1".into());
    config.aws.endpoint_url = Some("http://localhost:5000".into());
    config.organization.external_id = Some("ext-id".into());
    config.cognito.user_pool_id = Some("eu-west-1_Abc".into());
    let table: toml::Table = toml::from_str(&to_toml(&config)).unwrap();
    let mut keys = Vec::new();
    fn walk(prefix: &str, table: &toml::Table, keys: &mut Vec<String>) {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                toml::Value::Table(inner) => walk(&path, inner, keys),
                _ => keys.push(path),
            }
        }
    }
    walk("", &table, &mut keys);
    keys
}

#[test]
fn every_config_key_is_documented_in_the_default_file() {
    // Optional keys are documented as commented-out examples (`# key = ...`).
    let mut section = String::new();
    let mut documented = Vec::new();
    for line in DEFAULT_TOML.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let bare = line.strip_prefix("# ").unwrap_or(line);
        if let Some((key, _)) = bare.split_once(" = ") {
            let key = key.trim();
            if key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
            {
                documented.push(if section.is_empty() {
                    key.to_string()
                } else {
                    format!("{section}.{key}")
                });
            }
        }
    }
    for key in all_keys() {
        assert!(
            documented.contains(&key),
            "`{key}` is not documented in config/default.toml"
        );
    }
}

#[test]
fn the_file_overrides_defaults_and_keeps_the_rest() {
    let config = parse(
        "read_only = true\n[concurrency]\naccounts = 3\n[cognito]\ntenant_model = \"attribute\"\n",
    )
    .unwrap();
    assert!(config.read_only);
    assert_eq!(config.concurrency.accounts, 3);
    assert_eq!(config.concurrency.route53_rps, 5);
    assert_eq!(config.cognito.tenant_model, TenantModel::Attribute);
    assert_eq!(config.cognito.group_pattern, "{tenant}:{role}");
    assert_eq!(config.organization, OrganizationConfig::default());
}

#[test]
fn flags_override_the_file() {
    let mut config = parse("[aws]\nprofile = \"file\"\nregion = \"eu-west-1\"\n").unwrap();
    Overrides {
        profile: Some("flag".into()),
        region: None,
        endpoint_url: Some("http://127.0.0.1:5000".into()),
        read_only: true,
    }
    .apply(&mut config)
    .unwrap();
    assert_eq!(config.aws.profile.as_deref(), Some("flag"));
    assert_eq!(config.aws.region.as_deref(), Some("eu-west-1"));
    assert_eq!(
        config.aws.endpoint_url.as_deref(),
        Some("http://127.0.0.1:5000")
    );
    assert!(config.read_only);
}

#[test]
fn an_absent_read_only_flag_keeps_the_file_read_only() {
    let mut config = parse("read_only = true").unwrap();
    Overrides::default().apply(&mut config).unwrap();
    assert!(config.read_only);
}

#[test]
fn bad_flag_values_name_the_flag() {
    let mut config = Config::default();
    let e = Overrides {
        region: Some("Europe".into()),
        ..Overrides::default()
    }
    .apply(&mut config)
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("--region: `Europe` is not a region name"),
        "{e}"
    );
    let e = Overrides {
        endpoint_url: Some("localhost:5000".into()),
        ..Overrides::default()
    }
    .apply(&mut config)
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("--endpoint-url: "), "{e}");
}

#[test]
fn load_reads_an_explicit_file_and_applies_flags() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "[ui]\ntick_ms = 100").unwrap();
    let loaded = load(
        Some(file.path()),
        &Overrides {
            region: Some("us-east-1".into()),
            ..Overrides::default()
        },
    )
    .unwrap();
    assert_eq!(loaded.source.as_deref(), Some(file.path()));
    assert_eq!(loaded.config.ui.tick_ms, 100);
    assert_eq!(loaded.config.aws.region.as_deref(), Some("us-east-1"));
}

#[test]
fn times_are_local_by_default_and_utc_when_the_config_says_so() {
    use crate::domain::time::Zone;
    assert_eq!(Config::default().ui.time_zone(), Zone::Local);
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "[ui]\nutc = true").unwrap();
    let loaded = load(Some(file.path()), &Overrides::default()).unwrap();
    assert_eq!(loaded.config.ui.time_zone(), Zone::Utc);
}

#[test]
fn a_missing_explicit_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let e = load(Some(&missing), &Overrides::default()).unwrap_err();
    assert!(matches!(e, ConfigError::NotFound { .. }), "{e:?}");
    assert!(
        e.to_string().contains("nope.toml: config file not found"),
        "{e}"
    );
}

#[test]
fn the_default_path_prefers_an_absolute_xdg_config_home() {
    let os = |s: &str| Some(OsString::from(s));
    assert_eq!(
        default_path_from(os("/xdg"), os("/home/me")),
        Some(PathBuf::from("/xdg/opsdeck/config.toml"))
    );
    assert_eq!(
        default_path_from(os("relative"), os("/home/me")),
        Some(PathBuf::from("/home/me/.config/opsdeck/config.toml"))
    );
    assert_eq!(
        default_path_from(None, os("/home/me")),
        Some(PathBuf::from("/home/me/.config/opsdeck/config.toml"))
    );
    assert_eq!(default_path_from(None, None), None);
    assert_eq!(default_path_from(os(""), os("")), None);
}

#[test]
fn an_unknown_key_names_file_line_table_and_the_expected_keys() {
    let e = err("read_only = false\n\n[ui]\ncolr = \"red\"\n");
    assert!(
        e.starts_with(
            "/etc/opsdeck/test.toml:4:1: key `ui.colr`: unknown key `colr` in [ui]; expected"
        ),
        "{e}"
    );
    assert!(e.contains("`tick_ms`"), "{e}");
}

#[test]
fn an_unknown_top_level_table_is_named() {
    let e = err("[uii]\ntick_ms = 1\n");
    assert!(
        e.starts_with("/etc/opsdeck/test.toml:1:2: key `uii`: unknown key `uii` at the top level"),
        "{e}"
    );
}

#[test]
fn a_wrong_type_names_file_line_and_key() {
    let e = err("[concurrency]\naccounts = \"8\"\n");
    assert_eq!(
        e,
        "/etc/opsdeck/test.toml:2:12: key `concurrency.accounts`: wrong type: found string \"8\"; \
         expected a whole number, 0 to 4294967295"
    );
}

#[test]
fn a_negative_number_names_its_key() {
    let e = err("[cognito]\nimport_rate = -1\n");
    assert!(
        e.starts_with("/etc/opsdeck/test.toml:2:15: key `cognito.import_rate`: invalid value"),
        "{e}"
    );
}

#[test]
fn an_unknown_enum_value_lists_the_allowed_ones() {
    let e = err("[cognito]\ntenant_model = \"tags\"\n");
    assert!(
        e.contains(":2:16: key `cognito.tenant_model`: unknown value `tags`"),
        "{e}"
    );
    assert!(e.contains("`groups`") && e.contains("`attribute`"), "{e}");
}

#[test]
fn the_username_kind_is_email_or_uuid_and_nothing_else() {
    assert_eq!(Config::default().cognito.username, UsernameKind::Email);
    let config = parse("[cognito]\nusername = \"uuid\"\n").unwrap();
    assert_eq!(config.cognito.username, UsernameKind::Uuid);
    let e = err("[cognito]\nusername = \"sub\"\n");
    assert!(
        e.contains(":2:12: key `cognito.username`: unknown value `sub`"),
        "{e}"
    );
    assert!(e.contains("`email`") && e.contains("`uuid`"), "{e}");
}

#[test]
fn a_missing_account_field_names_the_entry() {
    let e = err("[[organization.accounts]]\nname = \"prod\"\n");
    assert!(
        e.contains("key `organization.accounts[0]`: missing key `id`"),
        "{e}"
    );
}

#[test]
fn a_syntax_error_has_a_line() {
    let e = err("[ui]\ntick_ms = = 3\n");
    assert!(e.starts_with("/etc/opsdeck/test.toml:2:"), "{e}");
}

#[test]
fn a_bad_key_string_points_at_the_string() {
    let e = err("[keymap]\nquit = [\"q\", \"Ctrl+q\"]\n");
    assert!(
        e.starts_with("/etc/opsdeck/test.toml:2:14: key `keymap.quit[1]`: unknown key `Ctrl+q`"),
        "{e}"
    );
}

#[test]
fn an_unknown_action_is_named() {
    let e = err("[keymap]\nquitt = [\"q\"]\n");
    assert!(
        e.contains(":2:1: key `keymap.quitt`: unknown action `quitt`"),
        "{e}"
    );
}

#[test]
fn rebinding_suspend_is_refused() {
    let e = err("[keymap]\nsuspend = [\"x\"]\n");
    assert!(
        e.contains("key `keymap.suspend`: `suspend` is fixed at C-z"),
        "{e}"
    );
}

#[test]
fn a_key_bound_twice_points_at_the_users_line() {
    // The user's `quit` takes refresh's default key: the error must point at the user's line,
    // not at the default binding the user never wrote.
    let e = err("[keymap]\nquit = [\"r\"]\n");
    assert!(
        e.starts_with("/etc/opsdeck/test.toml:2:9: key `keymap.quit[0]`: key `r` is bound to both"),
        "{e}"
    );
    let e = err("[keymap]\nrefresh = [\"F5\", \"q\"]\n");
    assert!(
        e.contains(":2:18: key `keymap.refresh[1]`: key `q` is bound to both `quit` and `refresh`"),
        "{e}"
    );
}

#[test]
fn a_keymap_entry_keeps_other_defaults() {
    let config = parse("[keymap]\nrefresh = [\"F5\"]\n").unwrap();
    assert_eq!(
        config.keymap.keys_for(Action::Refresh),
        &["F5".parse().unwrap()]
    );
    assert_eq!(
        config.keymap.keys_for(Action::Quit),
        Keymap::default().keys_for(Action::Quit)
    );
}

/// Each rule a type cannot express: (file text, expected fragment, expected line).
const VALIDATION_CASES: &[(&str, &str, usize)] = &[
    (
        "[concurrency]\naccounts = 0\n",
        "key `concurrency.accounts`: must be at least 1",
        2,
    ),
    (
        "[concurrency]\nroute53_rps = 0\n",
        "key `concurrency.route53_rps`: must be at least 1",
        2,
    ),
    (
        "[concurrency]\nthrottle_patience_secs = 601\n",
        "key `concurrency.throttle_patience_secs`: must be at most 600",
        2,
    ),
    (
        "[[cognito.pools]]\npool = \"eu-west-1_x\"\ngroup_pattern = \"{tenant}\"\n",
        "key `cognito.pools[0].group_pattern`: must contain {tenant} and {role}",
        3,
    ),
    (
        "[scope]\nregions = [\"eu-west-1\", \"eu-west-1\"]\n",
        "key `scope.regions[1]`: `eu-west-1` is listed twice",
        2,
    ),
    (
        "[scope]\nsfn_rps = 0\n",
        "key `scope.sfn_rps`: must be at least 1",
        2,
    ),
    (
        "[cognito]\nimport_rate = 0\n",
        "key `cognito.import_rate`: must be at least 1",
        2,
    ),
    (
        "[cognito]\ngroup_pattern = \"{tenant}-x\"\n",
        "key `cognito.group_pattern`: the pattern lacks {role}",
        2,
    ),
    (
        "[cognito]\ngroup_pattern = \"x\"\n",
        "the pattern lacks {tenant} and {role}",
        2,
    ),
    (
        "[cognito]\ntenant_attribute = \"tenant_id\"\n",
        "key `cognito.tenant_attribute`: `tenant_id` is not a custom attribute",
        2,
    ),
    (
        "[cognito]\nroles = []\n",
        "key `cognito.roles`: the list is empty",
        2,
    ),
    (
        "[cognito]\nroles = [\"admin\", \"admin\"]\n",
        "key `cognito.roles[1]`: role `admin` is listed twice",
        2,
    ),
    (
        "[cognito]\nroles = [\" \"]\n",
        "key `cognito.roles[0]`: a role name is empty",
        2,
    ),
    (
        "[cognito]\nuser_pool_id = \"not a pool\"\n",
        "key `cognito.user_pool_id`: `not a pool` is not a user pool id",
        2,
    ),
    (
        "[[organization.accounts]]\nid = \"1234\"\nname = \"x\"\n",
        "key `organization.accounts[0].id`: `1234` is not an AWS account id",
        2,
    ),
    (
        "[[organization.accounts]]\nid = \"111122223333\"\nname = \"a\"\n\
         [[organization.accounts]]\nid = \"111122223333\"\nname = \"b\"\n",
        "key `organization.accounts[1].id`: account `111122223333` is listed twice",
        5,
    ),
    (
        "[[organization.accounts]]\nid = \"111122223333\"\nname = \"\"\n",
        "key `organization.accounts[0].name`: the account name is empty",
        3,
    ),
    (
        "[organization]\nexternal_id = \"x\"\n",
        "key `organization.external_id`: the external id has 1 characters; AWS accepts 2 to 1224",
        2,
    ),
    (
        "[organization]\nexternal_id = \"a b\"\n",
        "key `organization.external_id`: the external id may only contain",
        2,
    ),
    (
        "[organization]\nrole_name = \"my role\"\n",
        "key `organization.role_name`: `my role` is not an IAM role name",
        2,
    ),
    (
        "[organization]\nsession_name = \"x\"\n",
        "key `organization.session_name`: `x` is not a role session name",
        2,
    ),
    (
        "[aws]\nregion = \"EU\"\n",
        "key `aws.region`: `EU` is not a region name",
        2,
    ),
    (
        "[aws]\nregions = []\n",
        "key `aws.regions`: the list is empty",
        2,
    ),
    (
        "[aws]\nregions = [\"eu-west-1\", \"eu-west-1\"]\n",
        "key `aws.regions[1]`: `eu-west-1` is listed twice",
        2,
    ),
    (
        "[aws]\nendpoint_url = \"localhost:5000\"\n",
        "key `aws.endpoint_url`: `localhost:5000` is not an endpoint URL",
        2,
    ),
    (
        "[aws]\nprofile = \"\"\n",
        "key `aws.profile`: the profile name is empty",
        2,
    ),
    (
        "[workflows]\npoll_interval_ms = 10\n",
        "key `workflows.poll_interval_ms`: 10 ms is out of range",
        2,
    ),
    (
        "[ui]\ntick_ms = 0\n",
        "key `ui.tick_ms`: 0 ms is out of range",
        2,
    ),
    (
        "[theme]\nname = \"light\"\nselected = \"bold blurple on white\"\n",
        "key `theme.selected`: `blurple` is not a colour or a modifier",
        3,
    ),
    (
        "[theme]\nborder = \"white on\"\n",
        "key `theme.border`: `on` without a colour after it",
        2,
    ),
    (
        "[keymap]\nquit = []\n",
        "key `keymap.quit`: quit has no key",
        2,
    ),
    (
        "[keymap]\ncopy = [\"C-z\"]\n",
        "key `keymap.copy[0]`: key `C-z` is reserved for suspend",
        2,
    ),
];

#[test]
fn every_validation_rule_reports_file_line_and_key() {
    for (text, fragment, line) in VALIDATION_CASES {
        let e = err(text);
        assert!(e.contains(fragment), "{text:?}: {e}");
        let prefix = format!("/etc/opsdeck/test.toml:{line}:");
        assert!(
            e.starts_with(&prefix),
            "{text:?}: expected line {line}: {e}"
        );
    }
}

#[test]
fn an_unknown_theme_name_names_the_key_and_the_choices() {
    let e = err("[theme]\nname = \"solarized\"\n");
    assert!(e.starts_with("/etc/opsdeck/test.toml:2:"), "{e}");
    assert!(e.contains("theme.name"), "{e}");
    assert!(e.contains("dark") && e.contains("light"), "{e}");
}

#[test]
fn the_first_problem_in_file_order_is_reported() {
    let e = err("[ui]\ntick_ms = 0\n[concurrency]\naccounts = 0\n");
    assert!(e.contains(":2:11: key `ui.tick_ms`"), "{e}");
}

#[test]
fn to_toml_round_trips_a_populated_config() {
    let mut config = Config {
        read_only: true,
        ..Config::default()
    };
    config.aws.region = Some("eu-west-1".into());
    config.organization.external_id = Some("ext-id".into());
    config.organization.accounts = vec![AccountConfig {
        id: "111122223333".into(),
        name: "prod".into(),
        read_only: true,
    }];
    config.cognito.tenant_model = TenantModel::Attribute;
    config
        .keymap
        .set(Action::Refresh, vec!["F5".parse().unwrap()]);
    let text = to_toml(&config);
    assert_eq!(parse(&text).unwrap(), config, "{text}");
    assert!(!to_toml(&Config::default()).contains("profile"));
}

#[test]
fn static_accounts_become_configured_domain_accounts() {
    let mut org = OrganizationConfig::default();
    org.accounts.push(AccountConfig {
        id: "111122223333".into(),
        name: "prod".into(),
        read_only: true,
    });
    let accounts = org.static_accounts();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].status, "CONFIGURED");
    assert!(accounts[0].read_only);
}

#[test]
fn region_choices_put_the_configured_region_first_without_repeats() {
    let mut config = Config::default();
    config.aws.regions = vec!["us-east-1".into(), "eu-west-1".into()];
    config.aws.region = Some("eu-west-1".into());
    assert_eq!(config.region_choices(), vec!["eu-west-1", "us-east-1"]);
}

#[test]
fn paths_under_home_are_shown_with_a_tilde() {
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let path = PathBuf::from(home).join(".config/opsdeck/config.toml");
        assert_eq!(tilde(&path), "~/.config/opsdeck/config.toml");
    }
    assert_eq!(tilde(Path::new("/etc/x.toml")), "/etc/x.toml");
}

fn fifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
}

#[test]
fn a_config_file_over_1_mib_is_refused_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    std::fs::write(&path, "#".repeat((1 << 20) + 1)).unwrap();
    let e = check_file(&path).unwrap_err();
    assert!(matches!(e, ConfigError::Read { .. }), "{e:?}");
    assert!(
        e.to_string().ends_with(
            "big.toml: the config file is larger than 1 MiB, the most opsdeck reads for a config file; check that this is the file you meant"
        ),
        "{e}"
    );
}

#[test]
fn a_device_or_fifo_config_is_refused_at_once() {
    let started = std::time::Instant::now();
    let e = check_file(Path::new("/dev/zero")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/dev/zero: the config file is a character device, not a regular file; name a regular file"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    fifo(&path);
    let e = load(Some(&path), &Overrides::default()).unwrap_err();
    assert!(e.to_string().contains("is a FIFO (named pipe)"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

#[test]
fn long_lists_are_checked_in_linear_time() {
    // 80,000 roles (under 1 MiB) with the first repeated at the end: a scan of the earlier
    // entries for each one took seconds; sets take milliseconds.
    let n = 80_000;
    let mut text = String::from("[cognito]\nroles = [");
    for i in 0..n {
        text.push_str(&format!("\"r{i}\","));
    }
    text.push_str("\"r0\"]\n[keymap]\nquit = [");
    // As many keys bound twice, each a clash to report.
    for _ in 0..n / 4 {
        text.push_str("\"?\",");
    }
    text.push_str("\"q\"]\n");
    assert!(text.len() < 1 << 20);
    let started = std::time::Instant::now();
    let e = err(&text);
    let elapsed = started.elapsed();
    assert!(e.contains(&format!("cognito.roles[{n}]")), "{e}");
    assert!(e.contains("role `r0` is listed twice"), "{e}");
    assert!(elapsed < std::time::Duration::from_secs(4), "{elapsed:?}");
}

#[test]
fn call_timeouts_are_bounded_and_the_call_outlasts_its_attempt() {
    let c =
        parse("[aws]\nconnect_timeout_secs = 2\nread_timeout_secs = 3\noperation_timeout_secs = 9")
            .unwrap();
    assert_eq!(
        c.aws.timeouts(),
        CallTimeouts {
            connect: std::time::Duration::from_secs(2),
            read: std::time::Duration::from_secs(3),
            operation: std::time::Duration::from_secs(9),
        }
    );
    let e = err("[aws]\nconnect_timeout_secs = 0");
    assert!(
        e.contains(":2:") && e.contains("aws.connect_timeout_secs"),
        "{e}"
    );
    assert!(e.contains("0 s is out of range; use 1 to 600"), "{e}");
    let e = err("[aws]\nread_timeout_secs = 30\noperation_timeout_secs = 10");
    assert!(e.contains("aws.operation_timeout_secs"), "{e}");
    assert!(e.contains("raise operation_timeout_secs"), "{e}");
}

#[test]
fn unknown_regions_are_warnings_not_errors() {
    let c = parse("[aws]\nregion = \"mars-north-9\"\nregions = [\"eu-west-1\", \"eu-wset-1\"]")
        .unwrap();
    let w = warnings(&c);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].starts_with("aws.region: `mars-north-9` is not an AWS region opsdeck knows"));
    assert!(w[1].starts_with("aws.regions[1]: `eu-wset-1`"));
    assert!(warnings(&Config::default()).is_empty());
}

#[test]
fn the_mfa_session_lasts_what_sts_allows() {
    assert_eq!(
        parse("[aws]\nmfa_session_hours = 36")
            .unwrap()
            .aws
            .mfa_session_hours,
        36
    );
    assert_eq!(parse("").unwrap().aws.mfa_session_hours, 12);
    for bad in ["0", "37"] {
        let e = err(&format!("[aws]\nmfa_session_hours = {bad}"));
        assert!(
            e.contains("aws.mfa_session_hours") && e.contains("use 1 to 36"),
            "{e}"
        );
    }
}

const RUNBOOK: &str = r#"
[onboarding.dns]
zone = "apps.example.com"
name = "{tenant}.apps.example.com"
type = "CNAME"
values = ["edge.apps.example.com"]
ttl = 300

[onboarding.workflow]
state_machine = "tenant-provision"
account = "shared-services"
region = "eu-west-1"
input = '{"tenant": "{tenant}", "plan": "{plan}"}'
name = "onboard-{tenant}"
wait = true
timeout_secs = 900

[offboarding]
delete_dns = true
[offboarding.workflow]
state_machine = "tenant-deprovision"
input = '{"tenant": "{tenant}"}'
name = "offboard-{tenant}"
"#;

#[test]
fn the_runbook_of_the_issue_parses_as_written() {
    let config = parse(RUNBOOK).unwrap();
    let dns = config.onboarding.dns.unwrap();
    assert_eq!(
        (dns.kind.as_str(), dns.ttl, dns.values.len()),
        ("CNAME", Some(300), 1)
    );
    let w = config.onboarding.workflow.unwrap();
    assert_eq!(w.account.as_deref(), Some("shared-services"));
    assert!(w.wait && !w.redrive);
    assert_eq!(w.timeout_secs, 900);
    assert!(config.offboarding.delete_dns);
    let off = config.offboarding.workflow.unwrap();
    assert_eq!(off.name.as_deref(), Some("offboard-{tenant}"));
    assert!(off.wait, "wait defaults to true");
}

#[test]
fn a_runbook_input_that_is_not_json_is_refused_at_its_key() {
    let text = RUNBOOK.replace(
        r#"input = '{"tenant": "{tenant}", "plan": "{plan}"}'"#,
        r#"input = '{"tenant": "{tenant}",}'"#,
    );
    let e = err(&text);
    assert!(e.contains("onboarding.workflow.input"), "{e}");
    assert!(e.contains("not JSON"), "{e}");
}

#[test]
fn a_runbook_record_name_without_the_tenant_is_refused() {
    let e = err(&RUNBOOK.replace("{tenant}.apps", "www.apps"));
    assert!(e.contains("onboarding.dns.name"), "{e}");
    assert!(e.contains("{tenant}"), "{e}");
}

#[test]
fn deleting_dns_at_offboarding_needs_the_onboarding_record() {
    let e = err("[offboarding]\ndelete_dns = true\n");
    assert!(e.contains("offboarding.delete_dns"), "{e}");
}
