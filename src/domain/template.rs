//! Runbook templates: `{name}` placeholders replaced by values (`{tenant}`, `{admin_email}`,
//! `--var key=value`). A placeholder is `{` + a name of letters, digits and `_` (starting with a
//! letter or `_`) + `}`; any other brace (JSON's) is text. An unknown placeholder is an error
//! naming the key it is in.

use std::collections::BTreeMap;

/// The values of a template's placeholders.
pub type Vars = BTreeMap<String, String>;

/// The placeholders `template` uses, in order, without repeats.
pub fn placeholders(template: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    scan(template, |name| {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
        None
    });
    out
}

/// `template` with each placeholder replaced by its value; `key` (e.g. `onboarding.dns.name`)
/// names the template in the error.
pub fn render(template: &str, vars: &Vars, key: &str) -> Result<String, String> {
    render_with(template, vars, key, |v| v.to_owned())
}

/// [`render`] for a JSON document: values are escaped as JSON string content, so a value inside
/// quotes stays one string whatever it holds; the result must be JSON.
pub fn render_json(template: &str, vars: &Vars, key: &str) -> Result<String, String> {
    let text = render_with(template, vars, key, |v| {
        let quoted = serde_json::to_string(v).unwrap_or_default();
        quoted[1..quoted.len() - 1].to_owned()
    })?;
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(_) => Ok(text),
        Err(e) => Err(format!(
            "key `{key}`: the rendered input is not JSON ({e}): {}",
            crate::domain::sanitize::sanitize(&text)
        )),
    }
}

fn render_with(
    template: &str,
    vars: &Vars,
    key: &str,
    value: impl Fn(&str) -> String,
) -> Result<String, String> {
    let mut unknown = Vec::new();
    let text = scan(template, |name| match vars.get(name) {
        Some(v) => Some(value(v)),
        None => {
            unknown.push(name.to_owned());
            Some(String::new())
        }
    });
    if let Some(name) = unknown.first() {
        let known: Vec<String> = vars.keys().map(|k| format!("{{{k}}}")).collect();
        return Err(format!(
            "key `{key}`: unknown placeholder {{{name}}}; known: {}; give it with --var \
             {name}=VALUE",
            known.join(", ")
        ));
    }
    Ok(text)
}

/// Walk `template`, replacing each placeholder by what `f` returns (`None`: keep it).
fn scan(template: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..end];
        let is_name = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && after[end..].starts_with('}');
        if is_name {
            match f(name) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&rest[open..open + name.len() + 2]),
            }
            rest = &after[end + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A `--var key=value`: the key a placeholder name, not one opsdeck sets itself.
pub fn parse_var(text: &str) -> Result<(String, String), String> {
    let Some((key, value)) = text.split_once('=') else {
        return Err(format!("--var {text}: write it as key=value"));
    };
    let key = key.trim();
    let valid = !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "--var {text}: `{key}` is not a placeholder name (letters, digits and _)"
        ));
    }
    if matches!(key, "tenant" | "admin_email") {
        return Err(format!(
            "--var {key}: {{{key}}} is set by the command itself; it cannot be overridden"
        ));
    }
    Ok((key.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn placeholders_are_replaced_and_json_braces_kept() {
        let v = vars(&[("tenant", "acme"), ("plan", "gold")]);
        let input = r#"{"tenant": "{tenant}", "plan": "{plan}", "n": {"x": 1}}"#;
        assert_eq!(
            render_json(input, &v, "k").unwrap(),
            r#"{"tenant": "acme", "plan": "gold", "n": {"x": 1}}"#
        );
        assert_eq!(
            render("{tenant}.apps.example.com", &v, "k").unwrap(),
            "acme.apps.example.com"
        );
        assert_eq!(placeholders(input), ["tenant", "plan"]);
    }

    #[test]
    fn an_unknown_placeholder_names_the_key_and_the_way_to_give_it() {
        let err = render(
            r#"{"p": "{plan}"}"#,
            &vars(&[("tenant", "a")]),
            "onboarding.workflow.input",
        )
        .unwrap_err();
        assert!(err.contains("key `onboarding.workflow.input`"), "{err}");
        assert!(err.contains("unknown placeholder {plan}"), "{err}");
        assert!(err.contains("--var plan=VALUE"), "{err}");
    }

    #[test]
    fn a_value_cannot_break_out_of_its_json_string() {
        let v = vars(&[("tenant", r#"a", "admin": true, "x": ""#)]);
        let text = render_json(r#"{"tenant": "{tenant}"}"#, &v, "k").unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc.as_object().unwrap().len(), 1);
    }

    #[test]
    fn a_template_that_renders_invalid_json_is_refused() {
        let err =
            render_json(r#"{"tenant": {tenant}}"#, &vars(&[("tenant", "acme")]), "k").unwrap_err();
        assert!(err.contains("not JSON"), "{err}");
    }

    #[test]
    fn vars_are_key_value_and_cannot_override_the_command() {
        assert_eq!(
            parse_var("plan=gold").unwrap(),
            ("plan".into(), "gold".into())
        );
        assert_eq!(parse_var("x=a=b").unwrap(), ("x".into(), "a=b".into()));
        assert!(parse_var("plan").is_err());
        assert!(parse_var("a b=1").is_err());
        assert!(parse_var("tenant=other").is_err());
    }
}
