//! The shape of the code, checked: layers whose arrows point down only (so no module cycle),
//! imports that belong to one layer, and files a reader can take in without scrolling forever.
//! Reads the sources; needs neither a build of them nor the emulator.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The top-level modules of `src/`, lowest layer first: a module may import only modules of a
/// lower layer (and itself). `docs/architecture.md` draws the same picture.
const LAYERS: &[(&str, u8)] = &[
    ("exit", 0),
    ("files", 0),
    ("logging", 0),
    ("terminal", 0),
    ("domain", 1),
    ("config", 2),
    ("services", 3),
    ("rows", 3),
    ("aws", 4),
    ("mutation", 4),
    ("cli", 5),
    ("app", 6),
    ("ui", 7),
    ("runtime", 8),
    ("commands", 8),
];

/// No file a reader must scroll past this many lines.
const MAX_LINES: usize = 800;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments (`//` to the end of the line), so prose naming a module does not
/// count as an import. String literals are kept: they rarely hold `crate::`.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file under `src/` belongs to (`None` for lib.rs and main.rs).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_owned())
}

/// Every top-level module a piece of code names through `crate::`, including grouped imports
/// such as `use crate::{app, ui};`.
fn crate_refs(code: &str) -> Vec<String> {
    let mut refs = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    refs.push(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                refs.push(name);
            }
        }
        rest = after;
    }
    refs
}

struct Source {
    path: PathBuf,
    module: Option<String>,
    code: String,
}

fn sources() -> Vec<Source> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).unwrap();
            Source {
                module: module_of(&src, &path),
                code: code_of(&text),
                path,
            }
        })
        .collect()
}

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn every_module_has_a_layer() {
    let missing: Vec<String> = sources()
        .iter()
        .filter_map(|s| s.module.clone())
        .filter(|m| layer(m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "top-level modules without a layer in tests/structure.rs (add them to LAYERS and to \
         docs/architecture.md): {missing:?}"
    );
}

#[test]
fn arrows_point_down_only() {
    // Which file first made each offending edge, to say where to look.
    let mut wrong: BTreeMap<(String, String), String> = BTreeMap::new();
    for source in sources() {
        let Some(from) = &source.module else {
            continue;
        };
        let Some(from_layer) = layer(from) else {
            continue;
        };
        for to in crate_refs(&source.code) {
            if to == *from {
                continue;
            }
            match layer(&to) {
                Some(to_layer) if to_layer < from_layer => {}
                _ => {
                    wrong
                        .entry((from.clone(), to))
                        .or_insert_with(|| shown(&source.path));
                }
            }
        }
    }
    let lines: Vec<String> = wrong
        .iter()
        .map(|((from, to), file)| format!("{from} imports {to} (first in {file})"))
        .collect();
    assert!(
        lines.is_empty(),
        "imports that point up or sideways (a module cycle waiting to happen); move the shared \
         piece down a layer instead:\n{}",
        lines.join("\n")
    );
}

/// The code a file ships: everything before its unit-test module (tests may drive an adapter
/// through the SDK's mock client).
fn shipped(code: &str) -> &str {
    code.find("#[cfg(test)]\nmod tests")
        .map_or(code, |i| &code[..i])
}

#[test]
fn only_aws_names_the_sdk() {
    let offenders: Vec<String> = sources()
        .iter()
        .filter(|s| s.module.as_deref() != Some("aws"))
        .filter(|s| shipped(&s.code).contains("aws_sdk_"))
        .map(|s| shown(&s.path))
        .collect();
    assert!(
        offenders.is_empty(),
        "only src/aws may name aws_sdk_* types; use the services traits instead: {offenders:?}"
    );
}

#[test]
fn clap_definitions_live_in_cli() {
    let offenders: Vec<String> = sources()
        .iter()
        .filter(|s| s.module.as_deref() != Some("cli"))
        .filter(|s| {
            [
                "derive(Parser",
                "Subcommand",
                "derive(Args",
                "ValueEnum",
                "#[arg(",
                "#[command(",
            ]
            .iter()
            .any(|needle| s.code.contains(needle))
        })
        .map(|s| shown(&s.path))
        .collect();
    assert!(
        offenders.is_empty(),
        "clap definitions outside src/cli: {offenders:?}"
    );
}

#[test]
fn panes_do_not_reach_into_each_other() {
    const PANES: [&str; 3] = ["tenants", "dns", "workflows"];
    let mut offenders = Vec::new();
    for source in sources() {
        let rel = shown(&source.path);
        let parts: Vec<&str> = rel.split('/').collect();
        let Some(pane) = parts
            .get(2)
            .map(|p| p.trim_end_matches(".rs"))
            .filter(|p| PANES.contains(p))
        else {
            continue;
        };
        for other in PANES.iter().filter(|p| **p != pane) {
            let needle = format!("::{other}::");
            let layer_prefixes = ["app", "ui", "commands", "cli", "rows"];
            if layer_prefixes
                .iter()
                .any(|l| source.code.contains(&format!("crate::{l}{needle}")))
            {
                offenders.push(format!("{rel} uses the {other} pane"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "a pane's folder uses another pane's (share through a lower layer instead): {offenders:?}"
    );
}

#[test]
fn no_file_a_reader_must_scroll_past_800_lines() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut long: Vec<(usize, String)> = files
        .iter()
        .map(|p| {
            let lines = fs::read_to_string(p).unwrap().lines().count();
            (lines, shown(p))
        })
        .filter(|(lines, _)| *lines > MAX_LINES)
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines; split them by what each part owns: {long:?}"
    );
}

#[test]
fn the_checks_see_what_they_claim_to() {
    // The checks above would pass vacuously if the parser saw nothing: make sure it sees the
    // imports every layer is known to have.
    let sources = sources();
    assert!(sources.len() > 100, "{} source files", sources.len());
    let refs: Vec<String> = sources
        .iter()
        .filter(|s| s.module.as_deref() == Some("app"))
        .flat_map(|s| crate_refs(&s.code))
        .collect();
    assert!(refs.iter().any(|r| r == "domain"), "app imports domain");
    assert_eq!(
        crate_refs("use crate::{app, ui::Theme};\nlet x = crate::domain::plan::Plan::new();"),
        vec!["app", "ui", "domain"]
    );
    assert!(code_of("// crate::commands in a comment").trim().is_empty());
}

/// The emulator tests are `#[ignore]`d so that a plain `cargo test` passes offline; they assert
/// something only because `scripts/test` (what CI runs) includes them. Both halves are checked
/// here: no test is ignored for any other reason, and the script runs the ignored ones.
#[test]
fn ignored_tests_are_the_emulator_tests_and_scripts_test_runs_them() {
    const REASON: &str = "#[ignore = \"needs the AWS emulator: run scripts/test\"]";
    let mut files = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut ignored = 0;
    let mut other = Vec::new();
    for path in &files {
        if path.ends_with("tests/structure.rs") {
            continue;
        }
        for (n, line) in code_of(&fs::read_to_string(path).unwrap())
            .lines()
            .enumerate()
        {
            let line = line.trim();
            if !line.starts_with("#[ignore") {
                continue;
            }
            if line == REASON {
                ignored += 1;
            } else {
                other.push(format!("{}:{}: {line}", shown(path), n + 1));
            }
        }
    }
    assert!(
        other.is_empty(),
        "tests ignored for another reason never run anywhere: {other:?}"
    );
    assert!(
        ignored > 50,
        "{ignored} emulator tests found: the scan is broken"
    );
    let script = fs::read_to_string(root().join("scripts/test")).unwrap();
    assert!(
        script
            .lines()
            .any(|l| l.trim_start().starts_with("cargo test") && l.contains("--include-ignored")),
        "scripts/test must run the ignored emulator tests (cargo test ... -- --include-ignored)"
    );
}
