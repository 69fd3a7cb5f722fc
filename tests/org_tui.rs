//! The organisation in a real terminal, against the emulator: `:user EMAIL` finds a user living
//! in a pool of another account and region and opens it there.

#[path = "support/pty.rs"]
mod pty;
mod support;

use std::time::Duration;

use aws_config::Region;
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use aws_sdk_cognitoidentityprovider::types::AttributeType;

use pty::Tui;

const TIMEOUT: Duration = Duration::from_secs(20);

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot build a runtime for the test set-up")
        .block_on(future)
}

#[test]
#[ignore = "needs the AWS emulator: run scripts/test"]
fn user_finds_a_user_of_another_account_and_region_and_opens_it_there() {
    let (account, member) = block_on(async {
        let account = support::isolated_account().await;
        let members = support::organisation(&account, &["prod"]).await;
        let (prod, prod_sdk) = members.into_iter().next().unwrap();
        let eu = prod_sdk
            .to_builder()
            .region(Region::new("eu-west-1"))
            .build();
        let cognito = Cognito::new(&eu);
        let pool = support::user_pool(&cognito, "eu-customers", false).await;
        cognito
            .create_group()
            .user_pool_id(&pool)
            .group_name("globex:admin")
            .send()
            .await
            .expect("create group");
        cognito
            .admin_create_user()
            .user_pool_id(&pool)
            .username("carol@globex.com")
            .user_attributes(
                AttributeType::builder()
                    .name("email")
                    .value("carol@globex.com")
                    .build()
                    .unwrap(),
            )
            .send()
            .await
            .expect("create user");
        cognito
            .admin_add_user_to_group()
            .user_pool_id(&pool)
            .username("carol@globex.com")
            .group_name("globex:admin")
            .send()
            .await
            .expect("add to group");
        (account, prod)
    });
    let config = support::scratch_dir().join("config.toml");
    std::fs::write(
        &config,
        "[ui]\ntick_ms = 100\n\n[scope]\nregions = [\"us-east-1\", \"eu-west-1\"]\n",
    )
    .expect("write the test config");
    let mut command = support::opsdeck(&account);
    command
        .env("TERM", "xterm-256color")
        .arg("--config")
        .arg(config);
    let mut tui = Tui::spawn(command, 100, 30);
    tui.wait_for(&["opsdeck", &account.id, "Accounts"], TIMEOUT);
    tui.send(b":user carol@globex.com\r");
    // Opened at once in its own account, region and pool: the user's detail read there.
    tui.wait_for(
        &[
            "User carol@globex.com in prod",
            &member,
            "eu-west-1",
            "eu-customers",
            "globex",
        ],
        TIMEOUT,
    );
    tui.send(b"q");
    let run = tui.finish();
    assert!(run.status.success(), "{:?}", run.status);
}
