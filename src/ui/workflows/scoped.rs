//! The pane across a scope: the organisation's state machines with account and region columns,
//! and the failures view, its chart (failed, timed-out and aborted executions per time bucket,
//! one sparkline each on a shared scale) over the failures newest first. A target that could
//! not be read is a row saying why; the title counts the targets read and failed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};

use super::{split, status_style};
use crate::app::State;
use crate::app::workflows::scoped::{BUCKETS, FailuresView, OrgMachines, Progress, ScopedRow};
use crate::app::workflows::{Activity, Reach, WorkflowsPane};
use crate::domain::time;
use crate::domain::workflows::MachineType;
use crate::ui::table::col;
use crate::ui::{Theme, safe, spinner, table};

/// Rows of the failures chart: one sparkline per outcome, and the time axis.
pub const CHART_ROWS: u16 = 4;

/// How far the read has come: `⠋ 3 targets answered`, then `6 targets at 12:00:01`, and
/// `· 1 failed`.
fn progress(state: &State, p: &Progress, theme: &Theme) -> Vec<Span<'static>> {
    if let Some(e) = &p.error {
        return vec![Span::styled(
            format!("could not list the accounts: {}", safe(&e.to_string())),
            theme.error,
        )];
    }
    let mut spans = vec![match (p.targets, p.finished) {
        (Some(n), Some(at)) => Span::raw(format!(" · {n} targets at {}", time::clock(at))),
        _ => Span::raw(format!(" · {} {} answered", spinner(state), p.answered)),
    }];
    if !p.unread.is_empty() {
        spans.push(Span::styled(
            format!(" · {} failed", p.unread.len()),
            theme.error,
        ));
    }
    spans
}

pub(super) fn render_org_machines(
    state: &State,
    org: &OrgMachines,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let (title, body) = split(area);
    let mut spans = vec![
        Span::styled(" State machines ", theme.title),
        Span::raw(format!(" {} in the organisation", org.items.len())),
    ];
    spans.extend(progress(state, &org.progress, theme));
    spans.extend(table::filter_note(&org.table, theme));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);
    // The failures, the name and where it lives stay; the ARN and the type give way.
    let columns = [
        col("NAME", Constraint::Fill(2), 8),
        col("ACCOUNT", Constraint::Length(14), 7),
        col("REGION", Constraint::Length(12), 6),
        col("TYPE", Constraint::Length(8), 3),
        col("RUNNING", Constraint::Length(7), 5),
        col("FAILED", Constraint::Length(6), 9),
        col("24H", Constraint::Length(12), 4),
        col("ARN", Constraint::Fill(1), 1),
    ];
    let pane = &state.workflows;
    table::draw(state, &org.table, &columns, theme, frame, body, |i| {
        Some(match org.row(i)? {
            ScopedRow::Unread(u) => vec![
                Line::styled(safe(&u.text()).into_owned(), theme.error),
                Line::raw(safe(&u.place.account()).into_owned()),
                Line::raw(safe(&u.place.region).into_owned()),
            ],
            ScopedRow::Item(m) => {
                let (running, failed) = match (m.machine.kind, m.counts) {
                    (MachineType::Express, _) => ("-".to_owned(), "-".to_owned()),
                    (_, Some((r, f))) => (r.to_string(), f.to_string()),
                    (_, None) => ("…".to_owned(), "…".to_owned()),
                };
                let failed_style = match m.counts {
                    Some((_, f)) if f > 0 => theme.error,
                    _ => Style::new(),
                };
                vec![
                    Line::raw(safe(&m.machine.name).into_owned()),
                    Line::raw(safe(&m.place.account()).into_owned()),
                    Line::raw(safe(&m.place.region).into_owned()),
                    Line::raw(m.machine.kind.as_str()),
                    Line::raw(running),
                    Line::styled(failed, failed_style),
                    activity_line(m.machine.kind, pane.activity.get(&m.machine.arn), theme),
                    Line::raw(safe(&m.machine.arn).into_owned()),
                ]
            }
        })
    });
    if org.progress.finished.is_some() {
        table::empty_note(
            &org.table,
            org.progress.unread.len() + org.items.len(),
            " no state machines in any account of these regions",
            theme,
            frame,
            body,
        );
    }
}

pub(super) fn render_failures(
    state: &State,
    view: &FailuresView,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) {
    let [title, chart, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(CHART_ROWS),
        Constraint::Fill(1),
    ])
    .areas(area);
    let place = match &view.reach {
        Reach::Here { account_id, region } => {
            format!("{} {}", safe(account_id), safe(region))
        }
        Reach::Organisation { .. } => "the organisation".to_owned(),
    };
    let mut spans = vec![
        Span::styled(
            format!(" Failures, last {} ", view.window_text()),
            theme.title,
        ),
        Span::raw(format!(" {} in {place}", view.items.len())),
    ];
    spans.extend(progress(state, &view.progress, theme));
    spans.extend(table::filter_note(&view.table, theme));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);
    render_chart(view, theme, frame, chart);
    // At 80 columns the cause gives way; the error keeps room for a usual error name.
    let columns = [
        col("AGE", Constraint::Length(8), 6),
        col("STATUS", Constraint::Length(9), 9),
        col("ACCOUNT", Constraint::Length(10), 7),
        col("REGION", Constraint::Length(12), 5),
        col("MACHINE", Constraint::Fill(1), 6),
        col("NAME", Constraint::Fill(1), 8),
        col("ERROR", Constraint::Min(15), 8),
        col("CAUSE", Constraint::Fill(2), 2),
    ];
    let until = view.until.unwrap_or(state.now);
    table::draw(state, &view.table, &columns, theme, frame, body, |i| {
        Some(match view.row(i)? {
            ScopedRow::Unread(u) => vec![
                Line::raw(""),
                Line::styled(u.status.word(), theme.error),
                Line::raw(safe(&u.place.account()).into_owned()),
                Line::raw(safe(&u.place.region).into_owned()),
                Line::raw(""),
                Line::raw(""),
                Line::styled(
                    safe(u.status.error().unwrap_or_default()).into_owned(),
                    theme.error,
                ),
            ],
            ScopedRow::Item(f) => {
                let e = &f.found.execution;
                vec![
                    Line::raw(time::age(f.at(), until)),
                    Line::styled(e.status.as_str(), status_style(theme, e.status)),
                    Line::raw(safe(&f.place.account()).into_owned()),
                    Line::raw(safe(&f.place.region).into_owned()),
                    Line::raw(safe(f.machine()).into_owned()),
                    Line::raw(safe(&e.name).into_owned()),
                    Line::raw(safe(f.found.error.as_deref().unwrap_or_default()).into_owned()),
                    Line::raw(safe(f.found.cause.as_deref().unwrap_or_default()).into_owned()),
                ]
            }
        })
    });
    if view.progress.finished.is_some() {
        table::empty_note(
            &view.table,
            view.progress.unread.len() + view.items.len(),
            " no failed, timed-out or aborted execution in this window",
            theme,
            frame,
            body,
        );
    }
}

/// One sparkline per outcome over [`BUCKETS`] buckets of the window, on one scale (the fullest
/// bucket of any outcome is the full height), a bucket never shorter than one eighth when it
/// holds anything; an empty bucket is a dim dot. Under them the time axis.
fn render_chart(view: &FailuresView, theme: &Theme, frame: &mut Frame, area: Rect) {
    let buckets = view.buckets(BUCKETS);
    let max = buckets.iter().flatten().copied().max().unwrap_or(0).max(1);
    // ` failed       3 `: the name, the total, and a space before the first bucket.
    let label_width: u16 = 16;
    let per = usize::from(area.width.saturating_sub(label_width + 1)) / BUCKETS;
    let per = per.max(1);
    let rows = Layout::vertical([Constraint::Length(1); CHART_ROWS as usize]).split(area);
    let series = [
        ("failed", theme.error),
        ("timed out", theme.error),
        ("aborted", theme.warn),
    ];
    for (s, (name, style)) in series.into_iter().enumerate() {
        let total: u64 = buckets.iter().map(|b| b[s]).sum();
        let [label, spark] =
            Layout::horizontal([Constraint::Length(label_width), Constraint::Fill(1)])
                .areas(rows[s]);
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(format!(" {name:<9}")),
                Span::styled(
                    format!("{total:>5} "),
                    if total > 0 { style } else { theme.dim },
                ),
            ])),
            label,
        );
        let data: Vec<Option<u64>> = buckets
            .iter()
            .flat_map(|b| {
                let v = b[s];
                let level = (v > 0).then(|| (v * 8 / max).max(1));
                std::iter::repeat_n(level, per)
            })
            .collect();
        frame.render_widget(
            Sparkline::default()
                .data(data)
                .max(8)
                .style(style)
                .absent_value_symbol("·")
                .absent_value_style(theme.dim),
            spark,
        );
    }
    let width = BUCKETS * per;
    let start = format!("-{}", view.window_text());
    let end = "now";
    let mut axis = format!("{:width$}", "", width = usize::from(label_width));
    axis.push_str(&start);
    axis.push_str(&" ".repeat(width.saturating_sub(start.len() + end.len())));
    axis.push_str(end);
    frame.render_widget(Paragraph::new(Line::styled(axis, theme.dim)), rows[3]);
}

/// A machine's last 24 hours in the `24H` column: one bar per bucket, as tall as its executions
/// against the machine's busiest bucket, red when one failed, else blue while one runs, else
/// green; a dim dot for none. `-` for an express machine (no history to read), `…` until read.
pub(super) fn activity_line(
    kind: MachineType,
    activity: Option<&Activity>,
    theme: &Theme,
) -> Line<'static> {
    const LEVELS: [&str; 8] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
    let buckets = match (kind, activity) {
        (MachineType::Express, _) => return Line::raw("-"),
        (_, Some(Activity::Ready(b))) => b,
        (_, Some(Activity::Failed)) => return Line::styled("?", theme.dim),
        _ => return Line::styled("…", theme.dim),
    };
    let max = buckets.iter().map(|b| b.total()).max().unwrap_or(0).max(1);
    Line::from(
        buckets
            .iter()
            .map(|b| {
                let total = b.total();
                if total == 0 {
                    return Span::styled("·", theme.dim);
                }
                let level = ((total * 8).div_ceil(max)).clamp(1, 8) as usize;
                let style = if b.failed > 0 {
                    theme.error
                } else if b.running > 0 {
                    theme.title
                } else {
                    theme.ok
                };
                Span::styled(LEVELS[level - 1], style)
            })
            .collect::<Vec<_>>(),
    )
}

/// The machine list of the pane in its scope, or the failures view over it.
pub(super) fn render_list(
    state: &State,
    pane: &WorkflowsPane,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> bool {
    if let Some(view) = &pane.failures {
        render_failures(state, view, theme, frame, area);
        true
    } else if let Some(org) = &pane.org {
        render_org_machines(state, org, theme, frame, area);
        true
    } else {
        false
    }
}
