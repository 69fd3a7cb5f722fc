//! Which accounts and regions the Tenants and Workflows panes read.

/// Which accounts and regions the Tenants and Workflows panes read.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Scope {
    /// The current account and region (the default).
    #[default]
    Here,
    /// Every account of the organisation × these regions.
    Organisation { regions: Vec<String> },
}
