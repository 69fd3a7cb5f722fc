//! Where the config comes from and how it is put together: the default path, the user file on
//! top of the defaults, validated and located, then the command-line overrides.

use std::path::{Path, PathBuf};

use super::check::{check_endpoint_url, check_region};
use super::error::{ConfigError, Invalid};
use super::locate::{self, Seg, Source};
use super::model::Config;
use crate::files::{self, ReadError};

/// Command-line flags that override the config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Only turns read-only on: a flag cannot lift the config's protection.
    pub read_only: bool,
}

impl Overrides {
    pub(super) fn apply(&self, config: &mut Config) -> Result<(), ConfigError> {
        if let Some(profile) = &self.profile {
            if profile.trim().is_empty() {
                return Err(ConfigError::Flag {
                    flag: "profile",
                    message: "the profile name is empty; name a profile from ~/.aws/config".into(),
                });
            }
            config.aws.profile = Some(profile.clone());
        }
        if let Some(region) = &self.region {
            if let Err(message) = check_region(region) {
                return Err(ConfigError::Flag {
                    flag: "region",
                    message,
                });
            }
            config.aws.region = Some(region.clone());
        }
        if let Some(url) = &self.endpoint_url {
            if let Err(message) = check_endpoint_url(url) {
                return Err(ConfigError::Flag {
                    flag: "endpoint-url",
                    message,
                });
            }
            config.aws.endpoint_url = Some(url.clone());
        }
        config.read_only |= self.read_only;
        Ok(())
    }
}

/// The effective configuration and the file it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub config: Config,
    /// The user file that was read; `None` when only the defaults (and flags) apply.
    pub source: Option<PathBuf>,
}

/// Where the user file is by default: `$XDG_CONFIG_HOME/opsdeck/config.toml`, else
/// `~/.config/opsdeck/config.toml`; `None` without either variable.
pub fn default_path() -> Option<PathBuf> {
    default_path_from(
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
}

pub(super) fn default_path_from(
    xdg_config_home: Option<std::ffi::OsString>,
    home: Option<std::ffi::OsString>,
) -> Option<PathBuf> {
    // The XDG spec says relative values are invalid and must be ignored.
    let base = match xdg_config_home.map(PathBuf::from) {
        Some(xdg) if xdg.is_absolute() => xdg,
        _ => PathBuf::from(home.filter(|h| !h.is_empty())?).join(".config"),
    };
    Some(base.join("opsdeck").join("config.toml"))
}

/// defaults < file (explicit path must exist; default path may be missing) < overrides.
pub fn load(explicit: Option<&Path>, overrides: &Overrides) -> Result<Loaded, ConfigError> {
    let (mut config, source) = match explicit {
        Some(path) => (check_file(path)?, Some(path.to_path_buf())),
        None => match default_path() {
            Some(path) if path.exists() => (check_file(&path)?, Some(path)),
            _ => (Config::default(), None),
        },
    };
    overrides.apply(&mut config)?;
    Ok(Loaded { config, source })
}

/// `opsdeck config check FILE`: the file on top of the defaults, validated, flags not applied.
pub fn check_file(path: &Path) -> Result<Config, ConfigError> {
    let text = files::read_text(path, files::CONFIG).map_err(|source| match source {
        ReadError::NotFound => ConfigError::NotFound {
            path: path.to_path_buf(),
        },
        problem => ConfigError::Read {
            path: path.to_path_buf(),
            problem,
        },
    })?;
    parse_str(&text, path)
}

/// Parses config text on top of the defaults and validates it; `file` only labels errors.
pub fn parse_str(text: &str, file: &Path) -> Result<Config, ConfigError> {
    let invalid = |position, key, message| {
        ConfigError::Invalid(Box::new(Invalid {
            file: file.to_path_buf(),
            position,
            key,
            message,
        }))
    };
    let source = match Source::parse(text) {
        Ok(source) => source,
        Err((e, path)) => {
            let position = e.span().map(|s| locate::line_col(text, s.start));
            let message = locate::humanize(e.message(), path.as_deref());
            return Err(invalid(position, path.map(|p| locate::dotted(&p)), message));
        }
    };
    let config: Config = match toml::from_str(text) {
        Ok(config) => config,
        Err(e) => {
            let mut at = e.span().map(|s| s.start);
            let mut path = at.and_then(|pos| source.path_at(pos));
            if let Some((element, span)) = path
                .as_deref()
                .and_then(|p| source.quoted_element(p, e.message()))
            {
                at = Some(span.start);
                path = Some(element);
            }
            let message = locate::humanize(e.message(), path.as_deref());
            return Err(invalid(
                at.map(|pos| locate::line_col(text, pos)),
                path.map(|p| locate::dotted(&p)),
                message,
            ));
        }
    };
    let mut located: Vec<(Option<usize>, Vec<Seg>, String)> = config
        .problems()
        .into_iter()
        .map(|problem| {
            let found = problem
                .candidates
                .iter()
                .filter_map(|path| source.span_of(path).map(|span| (span.start, path.clone())))
                .max_by_key(|(start, _)| *start);
            match found {
                Some((start, path)) => (Some(start), path, problem.message),
                None => (None, problem.candidates[0].clone(), problem.message),
            }
        })
        .collect();
    // Report the problem a reader meets first in the file.
    located.sort_by_key(|(start, _, _)| start.unwrap_or(usize::MAX));
    match located.into_iter().next() {
        None => Ok(config),
        Some((start, path, message)) => Err(invalid(
            start.map(|pos| locate::line_col(text, pos)),
            Some(locate::dotted(&path)),
            message,
        )),
    }
}

/// `opsdeck config show`: the effective config as TOML (unset options are left out).
pub fn to_toml(config: &Config) -> String {
    toml::to_string_pretty(config).expect("the config types serialize to TOML")
}
