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

pub const HEADER_ROWS: u16 = 2;
pub const TAB_ROWS: u16 = 1;
pub const TITLE_ROWS: u16 = 1;
pub const COLUMN_ROWS: u16 = 1;
pub const STATUS_ROWS: u16 = 1;

/// How many table rows fit in a terminal `height` rows tall (0 when nothing fits).
pub fn table_rows(height: u16) -> usize {
    usize::from(
        height.saturating_sub(HEADER_ROWS + TAB_ROWS + TITLE_ROWS + COLUMN_ROWS + STATUS_ROWS),
    )
}
