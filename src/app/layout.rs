//! The screen's fixed rows, shared by `update` (page size) and the renderer.
//!
//! ```text
//! ┌ header: account, region, profile, READ-ONLY ┐  HEADER_ROWS
//! │ header: caller ARN, endpoint                 │
//! │ tabs: Accounts  Tenants  DNS  Workflows      │  TAB_ROWS
//! │ table title (counts, filter, loading)        │  TITLE_ROWS
//! │ column headings                              │  COLUMN_ROWS
//! │ rows ...                                     │  table_rows(height)
//! └ status: prompt, notice or key hints          ┘  STATUS_ROWS
//! ```

use super::state::Pane;
use crate::config::keymap::{Action, Keymap};

pub const HEADER_ROWS: u16 = 2;
pub const TAB_ROWS: u16 = 1;
pub const TITLE_ROWS: u16 = 1;
pub const COLUMN_ROWS: u16 = 1;
pub const STATUS_ROWS: u16 = 1;

/// The pane tabs as the tab bar shows them, in order: ` 1 Accounts `, with the key that switches
/// to each pane. The bar starts with a space and puts one between tabs; clicks are mapped on the
/// same labels (`app::mouse`).
pub fn tab_labels(keymap: &Keymap) -> [(Pane, String); 4] {
    [
        (Pane::Accounts, Action::PaneAccounts),
        (Pane::Tenants, Action::PaneTenants),
        (Pane::Dns, Action::PaneDns),
        (Pane::Workflows, Action::PaneWorkflows),
    ]
    .map(|(pane, action)| (pane, format!(" {} {} ", keymap.label(action), pane.title())))
}

/// How many table rows fit in a terminal `height` rows tall (0 when nothing fits).
pub fn table_rows(height: u16) -> usize {
    usize::from(
        height.saturating_sub(HEADER_ROWS + TAB_ROWS + TITLE_ROWS + COLUMN_ROWS + STATUS_ROWS),
    )
}
