//! Ports: what opsdeck needs from AWS, as traits the `aws` module implements and tests can fake.
//! One file per area; [`Backend`] bundles them for the runtime.

mod accounts;
mod dns;
mod error;
pub mod fake;
pub mod onboarding;
pub mod org_tenants;
pub mod scope;
mod tenants;
pub mod workflows;

pub use accounts::{AccountDirectory, Identity, Organization, every_page};
pub use dns::{
    Dns, InventoryPlan, Pace, SyncWait, ZoneWanted, collect, collect_listed, load_inventory,
    load_listed_inventory, status_of, wait_in_sync,
};
pub use error::{ErrorKind, ServiceError};
pub use tenants::{
    Tenants, UserFilter, UserPage, planning as tenant_planning, queries as tenant_queries,
};
pub use workflows::Workflows;

/// Everything the runtime needs from AWS, behind one object so the runtime (and its tests with
/// fakes) stay free of SDK types.
pub trait Backend: Identity + Organization + Dns + Tenants + Workflows {
    /// The same credentials in another region (`:region`).
    fn in_region(&self, region: &str) -> std::sync::Arc<dyn Backend>;
}
