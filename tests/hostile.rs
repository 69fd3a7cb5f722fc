//! Hostile data end to end: strings built to attack a terminal are seeded into the emulator with
//! the SDK, then every command that shows them runs in all three output formats. Table and CSV
//! must carry no escape, control, C1 or bidi-control character from the data; JSON must escape
//! them all and parse back to exactly the seeded values.

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/keys.rs"]
mod keys;
mod support;

use std::process::{Output, Stdio};

use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
use aws_sdk_route53::Client as Route53;
use aws_sdk_sfn::Client as Sfn;
use aws_sdk_sfn::types::{ExecutionStatus, StateMachineType};
use serde_json::{Value, json};

use hostile::{
    BIDI, C0, C1, CSI, HOSTILE, OSC_CLIPBOARD, OSC_HYPERLINK, OSC_TITLE, WIDE,
    ZERO_WIDTH_AND_COMBINING, assert_terminal_safe, long_value, upsert_txt, wait_for_end,
};

#[test]
fn the_checker_flags_every_attack_that_reaches_the_output_raw() {
    for attack in [OSC_TITLE, OSC_CLIPBOARD, OSC_HYPERLINK, CSI, C0, C1, BIDI] {
        let caught = std::panic::catch_unwind(|| assert_terminal_safe("raw", attack.as_bytes()));
        assert!(caught.is_err(), "{attack:?} passed the checker");
    }
    assert_terminal_safe("csv line ends", b"a,b\r\nc,d\r\n");
    assert_terminal_safe(
        "plain text",
        format!("{WIDE} {ZERO_WIDTH_AND_COMBINING}").as_bytes(),
    );
}

fn run(cmd: &mut std::process::Command) -> Output {
    let out = cmd.stdin(Stdio::null()).output().expect("run opsdeck");
    eprintln!(
        "stderr of {:?}:\n{}",
        cmd.get_args().collect::<Vec<_>>(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every string in a JSON value, and in strings that are themselves JSON documents (execution
/// input and output are shown as JSON text).
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            if let Ok(inner) = serde_json::from_str::<Value>(s)
                && (inner.is_object() || inner.is_array())
            {
                strings(&inner, out);
            }
            out.push(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

/// Runs `args` in table, CSV and JSON; checks table and CSV carry nothing hazardous, JSON is
/// escaped on the wire, and every `expected` value comes back exactly as a JSON string.
fn check_all_formats(account: &support::TestAccount, args: &[&str], expected: &[String]) {
    for format in ["table", "csv"] {
        let out = run(support::opsdeck(account).args(args).args(["-o", format]));
        assert_eq!(out.status.code(), Some(0), "{args:?} -o {format}");
        assert!(
            !out.stdout.is_empty(),
            "{args:?} -o {format} printed nothing"
        );
        assert_terminal_safe(&format!("{args:?} -o {format} stdout"), &out.stdout);
        assert_terminal_safe(&format!("{args:?} -o {format} stderr"), &out.stderr);
    }
    let out = run(support::opsdeck(account).args(args).args(["-o", "json"]));
    assert_eq!(out.status.code(), Some(0), "{args:?} -o json");
    // Pretty JSON has newlines but nothing else below 0x20; the rest must be \u-escaped.
    assert_terminal_safe(&format!("{args:?} -o json stdout"), &out.stdout);
    assert!(
        !out.stdout.contains(&b'\r'),
        "{args:?} -o json has a raw \\r"
    );
    assert_terminal_safe(&format!("{args:?} -o json stderr"), &out.stderr);
    let parsed: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let mut found = Vec::new();
    strings(&parsed, &mut found);
    for value in expected {
        assert!(
            found.contains(value),
            "{args:?} -o json lacks the seeded value {value:?}; strings: {found:?}"
        );
    }
}

// ---------------------------------------------------------------- DNS

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn dns_records_in_every_format_show_hostile_txt_values_harmlessly() {
    let account = support::isolated_account().await;
    // The inventory covers the accounts of the organisation: this one is its management account.
    aws_sdk_organizations::Client::new(&account.sdk)
        .create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("create organization");
    let r53 = Route53::new(&account.sdk);
    let zone = r53
        .create_hosted_zone()
        .name("hostile.example.test")
        .caller_reference("hostile-test")
        .send()
        .await
        .expect("create zone")
        .hosted_zone
        .unwrap()
        .id
        .trim_start_matches("/hostedzone/")
        .to_owned();
    // Route 53 speaks XML, which cannot carry C0 characters: the emulator answers any request
    // holding ESC, NUL or the like with an unparseable error (as AWS refuses it). A zone holds
    // them as DNS escapes (`\\033`) instead, which are plain text; everything else goes in raw.
    let long: String = long_value().chars().filter(|&c| c >= ' ').collect();
    let long = long.repeat(2).chars().take(10_000).collect::<String>();
    assert_eq!(long.chars().count(), 10_000);
    let dns_escaped = "\\033]0;title\\007 \\033[2J \\233";
    let mut seeded = Vec::new();
    for (i, value) in [C1, BIDI, ZERO_WIDTH_AND_COMBINING, WIDE, dns_escaped, &long]
        .into_iter()
        .enumerate()
    {
        let quoted = format!("\"{value}\"");
        let name = format!("t{i}.hostile.example.test");
        upsert_txt(&r53, &zone, &name, &quoted)
            .await
            .unwrap_or_else(|e| panic!("the emulator rejects TXT {value:?}: {e}"));
        seeded.push(quoted);
    }
    for value in [OSC_TITLE, C0] {
        let refused = upsert_txt(&r53, &zone, "c0.hostile.example.test", value).await;
        assert!(refused.is_err(), "Route 53 took a C0 character: {value:?}");
    }
    check_all_formats(&account, &["dns", "records"], &seeded);
}

// ---------------------------------------------------------------- Cognito

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn tenants_and_users_in_every_format_show_hostile_attributes_and_descriptions_harmlessly() {
    let account = support::isolated_account().await;
    let cognito = Cognito::new(&account.sdk);
    let pool = support::user_pool(&cognito, "hostile", false).await;
    let long = long_value();
    let description = HOSTILE.join(" | ");
    for (group, description) in [
        ("acme:admin", description.as_str()),
        ("acme:member", long.as_str()),
    ] {
        cognito
            .create_group()
            .user_pool_id(&pool)
            .group_name(group)
            .description(description)
            .send()
            .await
            .expect("the emulator takes hostile group descriptions");
    }
    let mut seeded = vec![description.clone(), long.clone()];
    for (i, value) in HOSTILE.iter().copied().chain([long.as_str()]).enumerate() {
        let username = format!("user{i}");
        cognito
            .admin_create_user()
            .user_pool_id(&pool)
            .username(&username)
            .message_action(MessageActionType::Suppress)
            .user_attributes(
                AttributeType::builder()
                    .name("email")
                    .value(format!("{username}@example.com"))
                    .build()
                    .unwrap(),
            )
            .user_attributes(
                AttributeType::builder()
                    .name("name")
                    .value(value)
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("the emulator takes hostile attribute values");
        cognito
            .admin_add_user_to_group()
            .user_pool_id(&pool)
            .username(&username)
            .group_name(if i % 2 == 0 {
                "acme:admin"
            } else {
                "acme:member"
            })
            .send()
            .await
            .unwrap();
        seeded.push(value.to_owned());
    }

    check_all_formats(&account, &["tenants", "list"], &seeded[..1]);
    check_all_formats(&account, &["tenants", "show", "acme"], &[]);
    check_all_formats(&account, &["users", "list"], &[]);
    for (i, value) in seeded[2..].iter().enumerate() {
        check_all_formats(
            &account,
            &["users", "show", &format!("user{i}")],
            std::slice::from_ref(value),
        );
    }
}

// ---------------------------------------------------------------- Step Functions

#[tokio::test]
#[ignore = "needs the AWS emulator: run scripts/test"]
async fn sfn_commands_in_every_format_show_hostile_states_input_output_and_causes_harmlessly() {
    let account = support::isolated_account().await;
    let sfn = Sfn::new(&account.sdk);
    let long = long_value();
    let state = format!("Step {CSI}{BIDI}");
    let cause = format!("{OSC_TITLE}{C0}{C1}{long}");
    let error = format!("Err.{OSC_HYPERLINK}");
    let definition = json!({
        "StartAt": state,
        "States": {
            state.clone(): {"Type": "Pass", "Result": {"echo": OSC_CLIPBOARD}, "ResultPath": "$.echo", "Next": "Decide"},
            "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "Boom"}], "Default": "Done"},
            "Boom": {"Type": "Fail", "Error": error, "Cause": cause},
            "Done": {"Type": "Succeed"}
        }
    });
    let machine = sfn
        .create_state_machine()
        .name("hostile")
        .r#type(StateMachineType::Standard)
        .role_arn(format!("arn:aws:iam::{}:role/sfn", account.id))
        .definition(definition.to_string())
        .send()
        .await
        .expect("the emulator takes hostile state names")
        .state_machine_arn;
    let mut executions = Vec::new();
    for (name, fail) in [("fails", true), ("succeeds", false)] {
        let input = json!({"fail": fail, "hostile": HOSTILE, "long": long}).to_string();
        let arn = sfn
            .start_execution()
            .state_machine_arn(&machine)
            .name(name)
            .input(&input)
            .send()
            .await
            .expect("start execution")
            .execution_arn;
        let expected = if fail {
            ExecutionStatus::Failed
        } else {
            ExecutionStatus::Succeeded
        };
        assert_eq!(wait_for_end(&sfn, &arn).await, expected);
        executions.push(arn);
    }

    // The emulator hands state names in history events back JSON-escaped a second time (ESC
    // arrives as the six characters `\u001b`), so the name to expect is the one it reports.
    let state = sfn
        .get_execution_history()
        .execution_arn(&executions[1])
        .send()
        .await
        .unwrap()
        .events()
        .iter()
        .find_map(|e| e.state_entered_event_details().map(|d| d.name().to_owned()))
        .expect("a state was entered");
    assert!(state.starts_with("Step "), "{state:?}");
    check_all_formats(&account, &["sfn", "machines"], &[]);
    check_all_formats(&account, &["sfn", "executions"], &[]);
    // Execution input comes back inside the history's input and output documents.
    let mut carried: Vec<String> = HOSTILE.iter().map(|s| (*s).to_owned()).collect();
    carried.extend([long.clone(), OSC_CLIPBOARD.to_owned(), state.clone()]);
    check_all_formats(
        &account,
        &["sfn", "show", &executions[1]],
        std::slice::from_ref(&state),
    );
    check_all_formats(&account, &["sfn", "history", &executions[1]], &carried);
    check_all_formats(
        &account,
        &["sfn", "show", &executions[0]],
        &[state, error.clone(), cause.clone()],
    );
    carried.extend([error, cause]);
    check_all_formats(&account, &["sfn", "history", &executions[0]], &carried);
}

// ---------------------------------------------------------------- the TUI's views

mod views {
    use chrono::{TimeZone, Utc};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use opsdeck::app::dns::{DnsEffect, DnsMsg};
    use opsdeck::app::tenants::{TenancySettings, TenantsEffect, TenantsMsg};
    use opsdeck::app::workflows::{WorkflowsEffect, WorkflowsMsg};
    use opsdeck::app::{Effect, Msg, Session, State, update};
    use opsdeck::config::keymap::Keymap;
    use opsdeck::domain::account::{
        Access, AccessVia, Account, AccountList, AccountSource, CallerIdentity,
    };
    use opsdeck::domain::dns::HostedZone;
    use opsdeck::domain::tenancy::{Group, GroupPattern, UserPool};
    use opsdeck::domain::workflows::{MachineType, StateMachine};
    use opsdeck::ui::{Theme, render};

    use super::hostile::{HOSTILE, hazard, long_value};
    use super::keys::ch;

    fn hostile(i: usize) -> String {
        HOSTILE[i % HOSTILE.len()].to_owned()
    }

    fn me() -> CallerIdentity {
        CallerIdentity {
            account_id: "111111111111".into(),
            arn: format!("arn:aws:sts::111111111111:assumed-role/{}", hostile(0)),
            user_id: "AROA:alice".into(),
        }
    }

    /// The shell with identity and a hostile-named account list loaded, access checked.
    fn shell() -> State {
        let session = Session {
            profile: Some("ops".into()),
            region: Some("eu-west-1".into()),
            endpoint: None,
            read_only: false,
            regions: vec!["eu-west-1".into()],
            read_only_accounts: Vec::new(),
            scope_regions: Vec::new(),
            tag: "h0st11".into(),
        };
        let tenancy = TenancySettings {
            pool_id: None,
            pattern: GroupPattern::parse("{tenant}:{role}").unwrap(),
            roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
        };
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
        let mut state = State::new(session, Keymap::default(), tenancy);
        let effects = state.start();
        let [
            Effect::LoadIdentity { request: id },
            Effect::LoadAccounts { request: list },
        ] = effects.as_slice()
        else {
            panic!("unexpected start effects {effects:?}");
        };
        let (id, list) = (*id, *list);
        update(
            &mut state,
            Msg::Identity {
                request: id,
                result: Ok(me()),
                at,
            },
        );
        let accounts = (0..HOSTILE.len())
            .map(|i| Account {
                id: format!("{}", 111_111_111_111u64 * (i as u64 % 9 + 1)),
                name: hostile(i),
                email: format!("{}@example.com", hostile(i + 1)),
                status: hostile(i + 2),
                read_only: false,
            })
            .collect();
        let checks = update(
            &mut state,
            Msg::Accounts {
                request: list,
                result: Ok(AccountList {
                    accounts,
                    source: AccountSource::Organizations,
                }),
                at,
            },
        );
        for effect in checks {
            if let Effect::CheckAccess {
                list_request,
                account_id,
            } = effect
            {
                let result = Ok(Access {
                    identity: me(),
                    via: AccessVia::CurrentCredentials,
                });
                update(
                    &mut state,
                    Msg::Access {
                        list_request,
                        account_id,
                        result,
                    },
                );
            }
        }
        state
    }

    /// Opens pane `code` on the shell and answers each load it asks for with hostile data.
    fn pane(code: char) -> State {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
        let mut state = shell();
        let mut pending = update(&mut state, Msg::Key(ch(code)));
        let mut answered = 0;
        while let Some(effect) = pending.pop() {
            let msg = match effect {
                Effect::Dns(DnsEffect::LoadZones { request, .. }) => Msg::Dns(DnsMsg::Zones {
                    request,
                    result: Ok((0..HOSTILE.len())
                        .map(|i| HostedZone {
                            id: format!("Z{i}{}", hostile(i + 3)),
                            name: hostile(i),
                            private: i % 2 == 0,
                            record_count: i as i64,
                            comment: if i == 0 { long_value() } else { hostile(i + 1) },
                        })
                        .collect()),
                    at,
                }),
                Effect::Tenants(TenantsEffect::LoadPools { request, .. }) => {
                    Msg::Tenants(TenantsMsg::Pools {
                        request,
                        result: Ok(vec![UserPool {
                            id: "eu-west-1_abc".into(),
                            name: hostile(0),
                        }]),
                        at,
                    })
                }
                Effect::Tenants(TenantsEffect::LoadGroups { request, .. }) => {
                    Msg::Tenants(TenantsMsg::Groups {
                        request,
                        result: Ok((0..HOSTILE.len())
                            .map(|i| Group {
                                name: format!("{}:admin", hostile(i)),
                                description: if i == 0 { long_value() } else { hostile(i + 1) },
                                precedence: None,
                            })
                            .collect()),
                        at,
                    })
                }
                Effect::Workflows(WorkflowsEffect::LoadMachines {
                    request,
                    account_id,
                }) => Msg::Workflows(WorkflowsMsg::Machines {
                    request,
                    result: Ok((0..HOSTILE.len())
                        .map(|i| StateMachine {
                            arn: format!(
                                "arn:aws:states:eu-west-1:{account_id}:stateMachine:{}",
                                hostile(i + 1)
                            ),
                            name: if i == 0 { long_value() } else { hostile(i) },
                            kind: MachineType::Standard,
                            created: Some(at),
                        })
                        .collect()),
                    at,
                }),
                // Counts and the rest stay loading: a loading cell must hold its layout too.
                _ => continue,
            };
            answered += 1;
            pending.extend(update(&mut state, msg));
        }
        assert!(
            answered > 0,
            "pane {code} asked for nothing this test answers"
        );
        state
    }

    fn draw(state: &State, width: u16, height: u16) -> Vec<String> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| render(state, &Theme::new(false), f))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..height)
            .map(|y| {
                (0..width)
                    .map(|x| buffer[(x, y)].symbol().to_owned())
                    .collect()
            })
            .collect()
    }

    fn assert_safe_and_laid_out(what: &str, state: &State) {
        for (width, height) in [(120, 30), (80, 24), (40, 12)] {
            let lines = draw(state, width, height);
            let screen = lines.join("\n");
            if let Some(c) = screen
                .chars()
                .find(|&c| hazard(c) && c != '\r' && c != '\n')
            {
                panic!(
                    "{what} at {width}x{height}: U+{:04X} on screen:\n{screen}",
                    c as u32
                );
            }
            assert!(
                !screen.contains('\r'),
                "{what} at {width}x{height}:\n{screen}"
            );
            assert!(
                lines[0].starts_with(" opsdeck "),
                "{what} at {width}x{height}: header broken:\n{screen}"
            );
            assert!(
                lines[height as usize - 1].starts_with(" ? help"),
                "{what} at {width}x{height}: the last line is not the status bar:\n{screen}"
            );
            assert!(
                screen.contains('␛'),
                "{what}: the hostile data is not shown visibly:\n{screen}"
            );
        }
    }

    #[test]
    fn the_accounts_view_shows_hostile_names_visibly_and_keeps_its_layout() {
        assert_safe_and_laid_out("accounts", &shell());
    }

    #[test]
    fn the_dns_zones_view_shows_hostile_zones_visibly_and_keeps_its_layout() {
        assert_safe_and_laid_out("dns zones", &pane('2'));
    }

    #[test]
    fn the_tenants_view_shows_hostile_groups_visibly_and_keeps_its_layout() {
        assert_safe_and_laid_out("tenants", &pane('1'));
    }

    #[test]
    fn the_workflows_view_shows_hostile_machines_visibly_and_keeps_its_layout() {
        assert_safe_and_laid_out("workflows machines", &pane('3'));
    }
}
