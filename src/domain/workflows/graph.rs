//! A state machine's definition (Amazon States Language) laid out for a terminal: one box line per
//! state in the order an execution reaches them, its outgoing arrows under it (next, each Choice
//! rule, default, catch), and the branches of Parallel and Map states nested under their state.
//! The renderer colours each box by what happened to the state in one execution.

use serde_json::Value;

/// One line of the drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphLine {
    /// Nesting: 0 at the top level, +1 inside each branch or Map iterator.
    pub depth: usize,
    pub item: GraphItem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphItem {
    /// A state: its name, type and notes (`retry`, `catch`).
    State {
        name: String,
        kind: String,
        notes: Vec<String>,
    },
    /// An arrow from the state above: where to and when (`next`, a Choice rule, `default`...).
    Edge {
        label: String,
        target: String,
        last: bool,
    },
    /// The start of a Parallel branch or a Map iterator.
    Branch { label: String },
}

/// Lay out an ASL document; an error says what is wrong with it.
pub fn layout(definition: &str) -> Result<Vec<GraphLine>, String> {
    let doc: Value =
        serde_json::from_str(definition).map_err(|e| format!("the definition is not JSON: {e}"))?;
    let mut lines = Vec::new();
    machine(&doc, 0, &mut lines)?;
    Ok(lines)
}

fn machine(doc: &Value, depth: usize, lines: &mut Vec<GraphLine>) -> Result<(), String> {
    let states = doc
        .get("States")
        .and_then(Value::as_object)
        .ok_or("the definition has no States object")?;
    let start = doc
        .get("StartAt")
        .and_then(Value::as_str)
        .ok_or("the definition has no StartAt")?;
    for name in reach_order(start, states) {
        let Some(state) = states.get(&name) else {
            continue;
        };
        state_lines(&name, state, depth, lines)?;
    }
    Ok(())
}

/// States in the order an execution meets them (depth-first from `StartAt`, the next state
/// before the alternatives), then any state nothing leads to.
fn reach_order(start: &str, states: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut order: Vec<String> = Vec::with_capacity(states.len());
    let mut stack = vec![start.to_owned()];
    while let Some(name) = stack.pop() {
        if order.contains(&name) || !states.contains_key(&name) {
            continue;
        }
        let targets: Vec<String> = edges(&states[&name]).into_iter().map(|(_, t)| t).collect();
        order.push(name);
        for t in targets.into_iter().rev() {
            stack.push(t);
        }
    }
    for name in states.keys() {
        if !order.contains(name) {
            order.push(name.clone());
        }
    }
    order
}

/// A state's outgoing arrows: label and target.
fn edges(state: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    if let Some(choices) = state.get("Choices").and_then(Value::as_array) {
        for choice in choices {
            if let Some(next) = text(choice, "Next") {
                out.push((format!("when {}", rule_label(choice)), next));
            }
        }
        if let Some(default) = text(state, "Default") {
            out.push(("default".to_owned(), default));
        }
    }
    if let Some(next) = text(state, "Next") {
        out.push(("next".to_owned(), next));
    }
    if let Some(catches) = state.get("Catch").and_then(Value::as_array) {
        for catch in catches {
            if let Some(next) = text(catch, "Next") {
                out.push((format!("catch {}", error_list(catch)), next));
            }
        }
    }
    out
}

fn error_list(rule: &Value) -> String {
    rule.get("ErrorEquals")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// A Choice rule in words: `$.plan == "enterprise"`, `not(...)`, `and(2 rules)`.
fn rule_label(rule: &Value) -> String {
    if let Some(condition) = rule.get("Condition").and_then(Value::as_str) {
        return condition.to_owned();
    }
    for (op, word) in [("And", "and"), ("Or", "or")] {
        if let Some(rules) = rule.get(op).and_then(Value::as_array) {
            let parts: Vec<String> = rules.iter().map(rule_label).collect();
            return format!("{word}({})", parts.join(", "));
        }
    }
    if let Some(inner) = rule.get("Not") {
        return format!("not({})", rule_label(inner));
    }
    let variable = rule.get("Variable").and_then(Value::as_str).unwrap_or("?");
    let Some(obj) = rule.as_object() else {
        return variable.to_owned();
    };
    for (key, value) in obj {
        if matches!(key.as_str(), "Variable" | "Next" | "Assign" | "Comment") {
            continue;
        }
        let op = comparison(key);
        return format!("{variable} {op} {value}");
    }
    variable.to_owned()
}

/// `StringEquals` → `==`, `NumericLessThanPath` → `< (path)`, `IsPresent` → `is present`.
fn comparison(key: &str) -> String {
    let (base, path) = match key.strip_suffix("Path") {
        Some(b) if !b.starts_with("Is") => (b, " (path)"),
        _ => (key, ""),
    };
    let op = if base.ends_with("GreaterThanEquals") {
        ">="
    } else if base.ends_with("LessThanEquals") {
        "<="
    } else if base.ends_with("GreaterThan") {
        ">"
    } else if base.ends_with("LessThan") {
        "<"
    } else if base.ends_with("Equals") {
        "=="
    } else if base == "StringMatches" {
        "matches"
    } else if let Some(test) = base.strip_prefix("Is") {
        return format!("is {}", test.to_lowercase());
    } else {
        base
    };
    format!("{op}{path}")
}

fn state_lines(
    name: &str,
    state: &Value,
    depth: usize,
    lines: &mut Vec<GraphLine>,
) -> Result<(), String> {
    let kind = state
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned();
    let mut notes = Vec::new();
    if let Some(retry) = state.get("Retry").and_then(Value::as_array) {
        notes.push(format!(
            "retry {}",
            retry.iter().map(error_list).collect::<Vec<_>>().join("; ")
        ));
    }
    if let Some(resource) = state.get("Resource").and_then(Value::as_str) {
        notes.push(resource.to_owned());
    }
    lines.push(GraphLine {
        depth,
        item: GraphItem::State {
            name: name.to_owned(),
            kind: kind.clone(),
            notes,
        },
    });
    if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
        for (i, branch) in branches.iter().enumerate() {
            lines.push(GraphLine {
                depth: depth + 1,
                item: GraphItem::Branch {
                    label: format!("branch {i}"),
                },
            });
            machine(branch, depth + 1, lines)?;
        }
    }
    if let Some(iterator) = state.get("ItemProcessor").or_else(|| state.get("Iterator")) {
        lines.push(GraphLine {
            depth: depth + 1,
            item: GraphItem::Branch {
                label: "for each item".to_owned(),
            },
        });
        machine(iterator, depth + 1, lines)?;
    }
    let out = edges(state);
    let ends = state.get("End").and_then(Value::as_bool) == Some(true)
        || matches!(kind.as_str(), "Succeed" | "Fail");
    let n = out.len();
    for (i, (label, target)) in out.into_iter().enumerate() {
        lines.push(GraphLine {
            depth,
            item: GraphItem::Edge {
                label,
                target,
                last: i + 1 == n && !ends,
            },
        });
    }
    if ends {
        lines.push(GraphLine {
            depth,
            item: GraphItem::Edge {
                label: match kind.as_str() {
                    "Fail" => "fails the execution".to_owned(),
                    _ => "end".to_owned(),
                },
                target: String::new(),
                last: true,
            },
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn states(lines: &[GraphLine]) -> Vec<(usize, &str)> {
        lines
            .iter()
            .filter_map(|l| match &l.item {
                GraphItem::State { name, .. } => Some((l.depth, name.as_str())),
                _ => None,
            })
            .collect()
    }

    const ONBOARDING: &str = r#"{
      "StartAt": "Check",
      "States": {
        "Done": {"Type": "Succeed"},
        "Check": {"Type": "Choice",
          "Choices": [{"Variable": "$.plan", "StringEquals": "enterprise", "Next": "Reserve"}],
          "Default": "Provision"},
        "Reserve": {"Type": "Pass", "Next": "Provision"},
        "Provision": {"Type": "Parallel", "Next": "Seed",
          "Retry": [{"ErrorEquals": ["States.ALL"]}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
          "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 1, "End": true}}}
          ]},
        "Seed": {"Type": "Map", "Next": "Done",
          "Iterator": {"StartAt": "Role", "States": {"Role": {"Type": "Pass", "End": true}}}}
      }
    }"#;

    #[test]
    fn states_follow_the_execution_order_with_branches_nested() {
        let lines = layout(ONBOARDING).unwrap();
        assert_eq!(
            states(&lines),
            [
                (0, "Check"),
                (0, "Reserve"),
                (0, "Provision"),
                (1, "A"),
                (1, "B"),
                (0, "Seed"),
                (1, "Role"),
                (0, "Done")
            ]
        );
    }

    #[test]
    fn choice_rules_catches_and_retries_are_labelled() {
        let lines = layout(ONBOARDING).unwrap();
        let edges: Vec<(&str, &str)> = lines
            .iter()
            .filter_map(|l| match &l.item {
                GraphItem::Edge { label, target, .. } => Some((label.as_str(), target.as_str())),
                _ => None,
            })
            .collect();
        assert!(edges.contains(&(r#"when $.plan == "enterprise""#, "Reserve")));
        assert!(edges.contains(&("default", "Provision")));
        assert!(edges.contains(&("catch States.ALL", "Done")));
        let provision = lines.iter().find_map(|l| match &l.item {
            GraphItem::State { name, notes, .. } if name == "Provision" => Some(notes.clone()),
            _ => None,
        });
        assert_eq!(provision.unwrap(), ["retry States.ALL"]);
    }

    #[test]
    fn compound_rules_read_as_words() {
        let rule: Value = serde_json::from_str(
            r#"{"And": [{"Variable": "$.n", "NumericGreaterThanEquals": 3},
                        {"Not": {"Variable": "$.x", "IsPresent": true}}], "Next": "X"}"#,
        )
        .unwrap();
        assert_eq!(rule_label(&rule), "and($.n >= 3, not($.x is present true))");
    }

    #[test]
    fn a_broken_definition_says_what_is_wrong() {
        assert!(layout("{").unwrap_err().contains("not JSON"));
        assert!(layout("{}").unwrap_err().contains("States"));
    }
}
