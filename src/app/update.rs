//! Applying one message to the state: keys, ticks, resizes and the answers of the runtime.

use crossterm::event::KeyEventKind;

use super::keys::on_key;
use super::live::LONG_CHANGE;
use super::mouse::on_mouse;
use super::msg::{Effect, Msg};
use super::state::{Pane, Progress, State};
use crate::mutation::REPLANNED;

/// Apply one message; return the work it asks for.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = apply(state, msg);
    state.order_table();
    effects.extend(state.dispatch_jobs());
    state.note_requests();
    effects
}

fn apply(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => {
            let mut effects = on_key(state, key);
            // Without credentials (the first MFA code not given yet) nothing is loaded.
            if !state.credentials.waiting {
                effects.extend(state.ensure_loaded());
            }
            effects
        }
        Msg::Mouse(mouse) => {
            let mut effects = on_mouse(state, mouse);
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
            state.refresh_if_due()
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
        Msg::Credentials(msg) => super::credentials::on_msg(state, msg),
        Msg::Progress { title, done, total } => {
            state.progress = Some(Progress { title, done, total });
            Vec::new()
        }
        Msg::Executed {
            title,
            result,
            steps,
            nothing_to_do: Some(reason),
            ..
        } => {
            let _ = (result, steps);
            state.progress = None;
            state.notify(
                format!("nothing to do: {reason}; nothing was changed"),
                false,
            );
            let (changed, _) = finished(state, &title);
            // What moved is on screen again.
            state.with_pane(changed, |pane, ctx| pane.changed(ctx))
        }
        // Made again on the state at apply, the plan changed: nothing was called; the new plan
        // is shown to confirm (or cancel) in the old one's place.
        Msg::Executed {
            title,
            replanned: Some(fresh),
            ..
        } => {
            state.progress = None;
            let _ = finished(state, &title);
            let mut effects = state.apply(super::pane::Asked {
                confirm: Some(*fresh),
                ..Default::default()
            });
            state.notify(format!("{title}: {REPLANNED}; confirm the new plan"), true);
            effects.extend(state.ensure_loaded());
            effects
        }
        Msg::Executed {
            title,
            result,
            steps,
            nothing_to_do: None,
            replanned: None,
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
            let (changed, long) = finished(state, &title);
            let mut effects = state.with_pane(changed, |pane, ctx| pane.changed(ctx));
            if long && state.live.bell {
                effects.push(Effect::Bell);
            }
            effects
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
        Msg::TableJobDone { generation, answer } => state.table_job_done(generation, answer),
        Msg::Exported { result } => {
            match result {
                Ok(path) => state.notify(format!("exported to {path}"), false),
                Err(e) => state.notify(format!("export failed: {e}"), true),
            }
            Vec::new()
        }
    }
}

/// A change ended: forget it; the pane that planned it (the one on screen if unknown), and
/// whether it ran long enough ([`LONG_CHANGE`]) that the operator may have looked away.
fn finished(state: &mut State, title: &str) -> (Pane, bool) {
    let Some(i) = state.changing.iter().position(|c| c.title == title) else {
        return (state.pane, false);
    };
    let change = state.changing.remove(i);
    let took = state.waits.tick * u32::try_from(state.tick - change.since).unwrap_or(u32::MAX);
    (change.pane, took >= LONG_CHANGE)
}
