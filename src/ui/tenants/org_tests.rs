//! The Tenants pane across the organisation at 80x24: the tenants of every account × region with
//! where each lives and the targets that could not be read, and a tenant opened in its place.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::app::State;
use crate::app::tenants::org_tests::{initech_opened, org_state};
use crate::ui::{Theme, render};

fn draw(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| render(state, &Theme::new(false), f))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn tenants_of_the_organisation_at_80x24() {
    let state = org_state();
    insta::assert_snapshot!(draw(&state, 80, 24));
}

#[test]
fn a_tenant_of_another_account_and_region_at_80x24() {
    let state = initech_opened();
    insta::assert_snapshot!(draw(&state, 80, 24));
}

#[test]
fn where_a_user_lives_at_80x24() {
    let state = crate::app::tenants::find_user_tests::two_matches();
    insta::assert_snapshot!(draw(&state, 80, 24));
}

#[test]
fn the_search_and_organisation_titles_keep_their_progress_apart_from_the_list_count() {
    let state = crate::app::tenants::find_user_tests::two_matches();
    let screen = draw(&state, 160, 24);
    assert!(
        screen.contains("could not be searched · 2 of 2 in"),
        "{screen}"
    );
    let screen = draw(&org_state(), 160, 24);
    assert!(screen.contains("1 denied · 4 of 4 in"), "{screen}");
}
