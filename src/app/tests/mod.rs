//! Pure update tests: state + message → new state + effects, no I/O. The shared fixtures are here;
//! the tests are grouped by what they exercise.

mod accounts;
mod changes;
mod command_line;
mod dns_listing;
mod keys;
mod live;
mod mouse;
mod panes;
mod search;
mod sort;
mod tables;

use chrono::{DateTime, TimeZone, Utc};

use crate::app::tenants::TenancySettings;
use crate::app::{Effect, Msg, Session, State, update};
use crate::config::keymap::Keymap;
use crate::domain::account::{Account, AccountList, AccountSource, CallerIdentity};

pub(crate) fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

pub(crate) fn account(id: &str, name: &str) -> Account {
    Account {
        id: id.into(),
        name: name.into(),
        email: format!("aws+{name}@example.com"),
        status: "ACTIVE".into(),
        read_only: false,
    }
}

pub(crate) fn me() -> CallerIdentity {
    CallerIdentity {
        account_id: "111111111111".into(),
        arn: "arn:aws:sts::111111111111:assumed-role/Admin/alice".into(),
        user_id: "AROA:alice".into(),
    }
}

pub(crate) fn demo_accounts() -> Vec<Account> {
    vec![
        account("111111111111", "management"),
        account("222222222222", "dev"),
        account("333333333333", "staging"),
        account("444444444444", "prod"),
    ]
}

pub(crate) fn tenancy() -> TenancySettings {
    TenancySettings {
        pool_id: None,
        pattern: crate::domain::tenancy::GroupPattern::parse("{tenant}:{role}").unwrap(),
        roles: ["admin", "member", "readonly"].map(String::from).to_vec(),
    }
}

pub(crate) fn session() -> Session {
    Session {
        profile: Some("ops".into()),
        region: Some("eu-west-1".into()),
        endpoint: None,
        read_only: false,
        regions: vec!["eu-west-1".into(), "us-east-1".into()],
        read_only_accounts: Vec::new(),
        scope_regions: Vec::new(),
        tag: "t3st00".into(),
    }
}

/// A started state with identity and accounts loaded; returns the access-check effects.
pub(crate) fn loaded_state() -> (State, Vec<Effect>) {
    let mut state = State::new(session(), Keymap::default(), tenancy());
    // The wall clock the runtime would have read: ages on screen are counted to it.
    state.now = at();
    let effects = state.start();
    let (id_req, acc_req) = match effects.as_slice() {
        [
            Effect::LoadIdentity { request: a },
            Effect::LoadAccounts { request: b },
        ] => (*a, *b),
        other => panic!("unexpected start effects {other:?}"),
    };
    update(
        &mut state,
        Msg::Identity {
            request: id_req,
            result: Ok(me()),
            at: at(),
        },
    );
    let checks = update(
        &mut state,
        Msg::Accounts {
            request: acc_req,
            result: Ok(AccountList {
                accounts: demo_accounts(),
                source: AccountSource::Organizations,
            }),
            at: at(),
        },
    );
    (state, checks)
}
