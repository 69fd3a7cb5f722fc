//! Applying one message to the state: keys, ticks, resizes and the answers of the runtime.

use crossterm::event::KeyEventKind;

use super::keys::on_key;
use super::msg::{Effect, Msg};
use super::state::{Progress, State};

/// Apply one message; return the work it asks for.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let effects = apply(state, msg);
    state.order_table();
    state.note_requests();
    effects
}

fn apply(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => {
            let mut effects = on_key(state, key);
            effects.extend(state.ensure_loaded());
            effects
        }
        Msg::Resize(width, height) => {
            state.size = (width, height);
            let rows = state.table_rows();
            state.with_pane(state.pane, |pane, _| {
                pane.table_mut().scroll_into_view(rows)
            })
        }
        Msg::Tick => {
            state.tick += 1;
            if state
                .notice
                .as_ref()
                .is_some_and(|n| n.until_tick <= state.tick)
            {
                state.notice = None;
            }
            Vec::new()
        }
        Msg::Identity {
            request,
            result,
            at,
        } => {
            state.identity.settle(request, result, at);
            state.ensure_loaded()
        }
        Msg::Accounts {
            request,
            result,
            at,
        } => state
            .accounts
            .loaded(request, result, at)
            .into_iter()
            .map(|account_id| Effect::CheckAccess {
                list_request: request,
                account_id,
            })
            .collect(),
        Msg::Access {
            list_request,
            account_id,
            result,
        } => {
            state.accounts.checked(list_request, &account_id, result);
            Vec::new()
        }
        Msg::Tenants(msg) => {
            let (mut ctx, panes) = state.split();
            panes.tenants.on_msg(msg, &mut ctx);
            let asked = ctx.finish();
            state.apply(asked)
        }
        Msg::Dns(msg) => {
            let (mut ctx, panes) = state.split();
            panes.dns.on_msg(msg, &mut ctx);
            let asked = ctx.finish();
            state.apply(asked)
        }
        Msg::Workflows(msg) => {
            let (mut ctx, panes) = state.split();
            panes.workflows.on_msg(msg, &mut ctx);
            let asked = ctx.finish();
            state.apply(asked)
        }
        Msg::Progress { title, done, total } => {
            state.progress = Some(Progress { title, done, total });
            Vec::new()
        }
        Msg::Executed {
            title,
            result,
            steps,
            nothing_to_do: Some(reason),
        } => {
            let _ = (result, steps);
            state.progress = None;
            state.notify(
                format!("nothing to do: {reason}; nothing was changed"),
                false,
            );
            let changed = state
                .changing
                .iter()
                .position(|(t, _)| *t == title)
                .map_or(state.pane, |i| state.changing.remove(i).1);
            // What moved is on screen again.
            state.with_pane(changed, |pane, ctx| pane.reload(ctx))
        }
        Msg::Executed {
            title,
            result,
            steps,
            nothing_to_do: None,
        } => {
            state.progress = None;
            let heading = match &result {
                Ok(()) => format!("done: {title}"),
                Err(_) => format!("stopped: {title}"),
            };
            match result {
                Ok(()) => state.notify(format!("done: {title}"), false),
                Err(e) => state.notify(format!("{title}: {e}"), true),
            }
            // A plan of several calls reports each one (a bulk import: every row).
            if steps.len() > 1 {
                state.open_report(heading, steps);
            }
            // Load again what the change touched: the pane it was planned in, even if the
            // operator has moved to another meanwhile, or approved another change since.
            let changed = state
                .changing
                .iter()
                .position(|(t, _)| *t == title)
                .map_or(state.pane, |i| state.changing.remove(i).1);
            state.with_pane(changed, |pane, ctx| pane.reload(ctx))
        }
        Msg::Copied { what, result } => {
            match result {
                Ok(()) => state.notify(format!("copied {what}"), false),
                Err(e) => state.notify(format!("could not copy: {e}"), true),
            }
            Vec::new()
        }
        Msg::Edited { pane, result } => match result {
            Ok(text) => state.with_pane(pane, |pane, ctx| pane.on_edited(text, ctx)),
            Err(e) => {
                state.notify(format!("the editor did not run: {e}"), true);
                Vec::new()
            }
        },
        Msg::Exported { result } => {
            match result {
                Ok(path) => state.notify(format!("exported to {path}"), false),
                Err(e) => state.notify(format!("export failed: {e}"), true),
            }
            Vec::new()
        }
    }
}
