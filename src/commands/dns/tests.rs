//! Tests of the `dns` commands' logic (their rows are tested in `rows::dns`).

use super::*;
use crate::domain::account::Account;

fn account(id: &str, name: &str) -> Account {
    Account {
        id: id.into(),
        name: name.into(),
        email: String::new(),
        status: "ACTIVE".into(),
        read_only: false,
    }
}

#[test]
fn accounts_are_restricted_by_id_or_name() {
    let all = vec![
        account("111111111111", "dev"),
        account("222222222222", "Prod"),
    ];
    let kept = restrict(all.clone(), &["prod".into(), "111111111111".into()]).unwrap();
    assert_eq!(kept.len(), 2);
    let kept = restrict(all.clone(), &["dev".into()]).unwrap();
    assert_eq!(kept[0].id, "111111111111");
    let err = restrict(all, &["qa".into()]).unwrap_err().to_string();
    assert!(
        err.contains("no account `qa`") && err.contains("dev (111111111111)"),
        "{err}"
    );
}
