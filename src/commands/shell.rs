//! What a shell and `man` need: the completion script of each shell and the manual page, both
//! generated from the clap definitions in `cli`, so they always list the real commands and flags.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::exit;

/// `opsdeck completions SHELL`.
pub fn completions(shell: Shell, out: &mut dyn Write) -> anyhow::Result<i32> {
    let mut command = Cli::command();
    // Written whole into memory first: clap_complete panics on a write error (`| head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "opsdeck", &mut script);
    out.write_all(&script)?;
    Ok(exit::SUCCESS)
}

/// `opsdeck man`: the page of the top command, then one section per subcommand.
pub fn man(out: &mut dyn Write) -> anyhow::Result<i32> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    for sub in command.get_subcommands() {
        let name = sub.get_name();
        writeln!(out, ".SH \"OPSDECK {}\"", name.to_uppercase())?;
        let page = clap_mangen::Man::new(sub.clone());
        page.render_synopsis_section(out)?;
        page.render_description_section(out)?;
        page.render_options_section(out)?;
        if sub.has_subcommands() {
            page.render_subcommands_section(out)?;
        }
    }
    man.render_version_section(out)?;
    Ok(exit::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_that_knows_the_commands() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let mut out = Vec::new();
            assert_eq!(completions(shell, &mut out).unwrap(), exit::SUCCESS);
            let text = String::from_utf8(out).unwrap();
            for word in ["opsdeck", "delegations", "redrive", "read-only"] {
                assert!(text.contains(word), "{shell:?} lacks {word}");
            }
        }
    }

    #[test]
    fn the_man_page_is_roff_with_every_command_and_the_exit_codes() {
        let mut out = Vec::new();
        assert_eq!(man(&mut out).unwrap(), exit::SUCCESS);
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(".ie") || text.contains(".TH opsdeck"),
            "{}",
            &text[..80]
        );
        for word in [
            "OPSDECK SFN",
            "OPSDECK DNS",
            "OPSDECK USERS",
            "Exit codes",
            "5 the check ran",
        ] {
            assert!(text.contains(word), "the page lacks {word}");
        }
    }
}
