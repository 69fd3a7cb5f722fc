//! The one path every change to AWS takes: plan, policy check, confirmation, execution, audit.
//!
//! 1. A caller builds a [`Plan`] (`crate::domain::plan`): what will be called, on what, in which
//!    account, how dangerous it is, and which steps are spaced out.
//! 2. [`Policy::check`] refuses it up front in read-only mode (global or per account), before any prompt.
//! 3. The operator confirms: `y` for a normal plan, the plan's confirmation text typed out for a
//!    destructive one. [`approve`] (TUI dialogs) and [`confirm_on_terminal`] (commands) both re-check the
//!    policy and return an [`Approved`] plan — the only thing [`execute`] accepts, so no code path can
//!    call AWS for a plan that was refused or not confirmed.
//! 4. The [`Executor`] (the only one, used by the dashboard's runtime and by every command through
//!    [`terminal::apply`]) runs the steps in order and stops at the first failure. Every call gets
//!    an [`AuditEntry`] in the [`AuditLog`] before it is sent (`intent`; if that line cannot be
//!    written the call is not made) and one when it ended (`ok`, `error`, or `unknown` when no
//!    answer came back: lost connection, timeout, Ctrl-C). [`dry_run`] audits the plan as
//!    `dry_run` and calls nothing.
//!
//! Refusals map to exit code 3 ([`crate::exit::REFUSED`]).

mod audit;
mod execute;
mod executor;
mod results;
pub mod terminal;

use std::io::{BufRead, Write};

pub use audit::{AuditEntry, AuditLog, Audited, Outcome};
pub use execute::{dry_run, execute, execute_until};
pub use executor::{Applied, Executor};
pub use results::{REPLANNED, StepOutcome, StepResults};

pub use crate::domain::plan::{Change, Danger, Pace, Plan, Policy, Refusal, Step, step_line};
use crate::domain::sanitize::sanitize;

/// A plan the policy allowed and the operator confirmed; only [`approve`] and [`confirm_on_terminal`]
/// make one, and [`execute`] takes nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved<A = ()> {
    plan: Plan<A>,
}

impl<A> Approved<A> {
    pub fn plan(&self) -> &Plan<A> {
        &self.plan
    }
}

/// Whether `typed` confirms `plan`: `y`/`yes` (any case) for a normal plan; for a destructive plan the
/// confirmation text exactly as displayed (surrounding whitespace ignored, never empty).
pub fn confirmation_matches<A>(plan: &Plan<A>, typed: &str) -> bool {
    let typed = typed.trim();
    match plan.danger.confirm_text() {
        None => typed.eq_ignore_ascii_case("y") || typed.eq_ignore_ascii_case("yes"),
        // The operator types what the screen shows, i.e. the sanitised text.
        Some(confirm_text) => !typed.is_empty() && typed == sanitize(confirm_text.trim()),
    }
}

/// Refuse `plan` if read-only mode covers its account or the account of any of its steps (a plan
/// across accounts, e.g. a tenant's onboarding with its record in the zone's account, is refused
/// whole when one of them is read-only).
pub fn check_policy<A: Audited>(policy: &Policy, plan: &Plan<A>) -> Result<(), Refusal> {
    policy.check(plan)?;
    for step in &plan.steps {
        if let Some(account) = step.action.account_id().filter(|a| !a.is_empty()) {
            policy.check_account(account)?;
        }
    }
    Ok(())
}

/// For TUI dialogs: check the policy and the operator's answer, and approve the plan.
pub fn approve<A: Clone + Audited>(
    policy: &Policy,
    plan: &Plan<A>,
    typed: &str,
) -> Result<Approved<A>, Refusal> {
    check_policy(policy, plan)?;
    if confirmation_matches(plan, typed) {
        Ok(Approved { plan: plan.clone() })
    } else {
        Err(not_confirmed(plan))
    }
}

fn not_confirmed<A>(plan: &Plan<A>) -> Refusal {
    let reason = match plan.danger.confirm_text() {
        None => "the answer was not yes".to_owned(),
        Some(confirm_text) => format!(
            "the typed text did not match {}",
            sanitize(confirm_text.trim())
        ),
    };
    Refusal::NotConfirmed { reason }
}

/// For commands: check the policy (refusing before any output), print the plan to `out`, then accept
/// `assume_yes` (`--yes`) or ask on `input`. Without a terminal (`interactive` false) and without
/// `--yes` it refuses instead of waiting for an answer that cannot come.
pub fn confirm_on_terminal<A: Clone + Audited>(
    policy: &Policy,
    plan: &Plan<A>,
    assume_yes: bool,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    interactive: bool,
) -> Result<Approved<A>, Refusal> {
    check_policy(policy, plan)?;
    let io_refusal = |e: std::io::Error| Refusal::NotConfirmed {
        reason: format!("could not ask for confirmation: {e}"),
    };
    write!(out, "{plan}").map_err(io_refusal)?;
    if assume_yes {
        writeln!(out, "Confirmed by --yes.").map_err(io_refusal)?;
        return Ok(Approved { plan: plan.clone() });
    }
    if !interactive {
        return Err(Refusal::NotConfirmed {
            reason: "there is no terminal to ask on; pass --yes to confirm (or --dry-run to only \
                     see what would happen)"
                .to_owned(),
        });
    }
    write!(out, "{} ", plan.prompt()).map_err(io_refusal)?;
    out.flush().map_err(io_refusal)?;
    let mut answer = String::new();
    if input.read_line(&mut answer).map_err(io_refusal)? == 0 {
        return Err(Refusal::NotConfirmed {
            reason: "no answer (end of input)".to_owned(),
        });
    }
    approve(policy, plan, &answer)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    pub(crate) fn plan(danger: Danger) -> Plan {
        Plan {
            basis: None,
            title: "Remove alice from tenant acme".into(),
            account_id: "111111111111".into(),
            region: "eu-west-1".into(),
            steps: vec![
                Step::new(
                    "cognito-idp",
                    "AdminRemoveUserFromGroup",
                    "alice",
                    "remove from acme:admin",
                ),
                Step::new(
                    "cognito-idp",
                    "AdminDisableUser",
                    "alice",
                    "disable the user",
                ),
            ],
            danger,
        }
    }

    fn destructive() -> Plan {
        plan(Danger::Destructive {
            confirm_text: "acme".into(),
        })
    }

    #[test]
    fn global_read_only_refuses_every_plan() {
        let policy = Policy {
            read_only: true,
            ..Policy::default()
        };
        let err = policy.check(&plan(Danger::Normal)).unwrap_err();
        assert!(matches!(err, Refusal::ReadOnly { .. }));
        assert!(err.to_string().contains("--read-only"), "{err}");
        assert_eq!(err.exit_code(), crate::exit::REFUSED);
    }

    #[test]
    fn read_only_account_refuses_plans_for_that_account_only() {
        let policy = Policy {
            read_only: false,
            read_only_accounts: HashSet::from(["111111111111".to_owned()]),
        };
        let err = policy.check(&plan(Danger::Normal)).unwrap_err();
        assert!(err.to_string().contains("111111111111"), "{err}");
        let mut other = plan(Danger::Normal);
        other.account_id = "222222222222".into();
        assert_eq!(policy.check(&other), Ok(()));
    }

    #[test]
    fn normal_plans_accept_y_or_yes_only() {
        let p = plan(Danger::Normal);
        for yes in ["y", "Y", "yes", "YES\n", "  y  "] {
            assert!(confirmation_matches(&p, yes), "{yes:?}");
        }
        for no in ["", "n", "no", "yess", "acme"] {
            assert!(!confirmation_matches(&p, no), "{no:?}");
        }
    }

    #[test]
    fn destructive_plans_need_the_exact_confirmation_text() {
        let p = destructive();
        assert!(confirmation_matches(&p, "acme"));
        assert!(confirmation_matches(&p, "acme\n"));
        for wrong in ["y", "yes", "ACME", "acm", "acme2", ""] {
            assert!(!confirmation_matches(&p, wrong), "{wrong:?}");
        }
    }

    #[test]
    fn destructive_confirmation_is_the_text_as_displayed() {
        let p = plan(Danger::Destructive {
            confirm_text: "ac\u{200B}me".into(),
        });
        assert!(p.prompt().contains("ac<U+200B>me"));
        assert!(confirmation_matches(&p, "ac<U+200B>me"));
        assert!(!confirmation_matches(&p, "acme"));
    }

    #[test]
    fn a_reversible_change_is_confirmed_by_its_text_too_not_by_yes() {
        let p = plan(Danger::Reversible {
            confirm_text: "ava".into(),
            undo: "enable the user again".into(),
        });
        assert!(!confirmation_matches(&p, "y"));
        assert!(confirmation_matches(&p, "ava"));
        let Err(Refusal::NotConfirmed { reason }) = approve(&Policy::default(), &p, "yes") else {
            panic!("approved without the typed name");
        };
        assert!(reason.contains("did not match ava"), "{reason}");
    }

    #[test]
    fn empty_confirmation_text_never_matches() {
        let p = plan(Danger::Destructive {
            confirm_text: String::new(),
        });
        assert!(!confirmation_matches(&p, ""));
        assert!(!confirmation_matches(&p, "\n"));
    }

    #[test]
    fn approve_rechecks_the_policy() {
        let policy = Policy {
            read_only: true,
            ..Policy::default()
        };
        let err = approve(&policy, &plan(Danger::Normal), "y").unwrap_err();
        assert!(matches!(err, Refusal::ReadOnly { .. }));
    }

    #[test]
    fn approve_refuses_a_wrong_answer() {
        let err = approve(&Policy::default(), &destructive(), "y").unwrap_err();
        assert_eq!(
            err,
            Refusal::NotConfirmed {
                reason: "the typed text did not match acme".into()
            }
        );
        let ok = approve(&Policy::default(), &destructive(), "acme").unwrap();
        assert_eq!(ok.plan(), &destructive());
    }

    #[test]
    fn plan_lines_are_sanitised() {
        let mut p = plan(Danger::Normal);
        p.title = "evil\x1b]0;x\x07".into();
        p.steps[0].target = "bob\u{202E}".into();
        let text = p.to_string();
        assert!(text.contains("Plan: evil␛]0;x␇"), "{text}");
        assert!(text.contains(
            "1. remove from acme:admin (cognito-idp:AdminRemoveUserFromGroup bob<U+202E>)"
        ));
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn terminal_refuses_read_only_before_printing_anything() {
        let policy = Policy {
            read_only: true,
            ..Policy::default()
        };
        let mut out = Vec::new();
        let err = confirm_on_terminal(
            &policy,
            &plan(Danger::Normal),
            true,
            &mut &b"y\n"[..],
            &mut out,
            true,
        )
        .unwrap_err();
        assert!(matches!(err, Refusal::ReadOnly { .. }));
        assert!(out.is_empty());
    }

    #[test]
    fn terminal_without_tty_and_without_yes_refuses_without_reading() {
        let mut input = &b"y\n"[..];
        let mut out = Vec::new();
        let err = confirm_on_terminal(
            &Policy::default(),
            &plan(Danger::Normal),
            false,
            &mut input,
            &mut out,
            false,
        )
        .unwrap_err();
        assert!(matches!(err, Refusal::NotConfirmed { .. }));
        assert!(err.to_string().contains("--yes"), "{err}");
        assert_eq!(input, b"y\n", "the answer must not be consumed");
        assert!(String::from_utf8(out).unwrap().contains("Plan: "));
    }

    #[test]
    fn terminal_with_yes_approves_even_without_tty() {
        let mut out = Vec::new();
        let approved = confirm_on_terminal(
            &Policy::default(),
            &destructive(),
            true,
            &mut &b""[..],
            &mut out,
            false,
        )
        .unwrap();
        assert_eq!(approved.plan().title, "Remove alice from tenant acme");
        assert!(
            String::from_utf8(out)
                .unwrap()
                .contains("Confirmed by --yes.")
        );
    }

    #[test]
    fn terminal_asks_and_checks_the_typed_text() {
        let mut out = Vec::new();
        let ok = confirm_on_terminal(
            &Policy::default(),
            &destructive(),
            false,
            &mut &b"acme\n"[..],
            &mut out,
            true,
        );
        assert!(ok.is_ok());
        assert!(
            String::from_utf8(out)
                .unwrap()
                .ends_with("Type acme to confirm: ")
        );

        let wrong = confirm_on_terminal(
            &Policy::default(),
            &destructive(),
            false,
            &mut &b"y\n"[..],
            &mut Vec::new(),
            true,
        );
        assert!(matches!(wrong, Err(Refusal::NotConfirmed { .. })));
    }

    #[test]
    fn terminal_treats_end_of_input_as_no() {
        let err = confirm_on_terminal(
            &Policy::default(),
            &plan(Danger::Normal),
            false,
            &mut &b""[..],
            &mut Vec::new(),
            true,
        )
        .unwrap_err();
        assert!(err.to_string().contains("end of input"), "{err}");
    }

    #[test]
    fn plan_json_omits_the_action_even_when_it_cannot_be_serialised() {
        #[derive(Debug, Clone, PartialEq, Eq)]
        struct Opaque;
        let p = plan(Danger::Destructive {
            confirm_text: "acme".into(),
        });
        let p = Plan {
            basis: None,
            steps: p.steps.into_iter().map(|s| s.with_action(Opaque)).collect(),
            title: p.title,
            account_id: p.account_id,
            region: p.region,
            danger: p.danger,
        };
        let json = serde_json::to_value(&p).unwrap();
        assert!(json["steps"][0].get("action").is_none());
        assert_eq!(json["steps"][0]["operation"], "AdminRemoveUserFromGroup");
        assert_eq!(
            json["danger"],
            serde_json::json!({"kind": "destructive", "confirm_text": "acme"})
        );
    }
}
