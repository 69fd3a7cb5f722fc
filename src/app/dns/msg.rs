//! The DNS pane's messages (answers from the runtime) and effects (what it asks the runtime for).

use chrono::{DateTime, Utc};

use crate::app::loadable::RequestId;
use crate::domain::account::Account;
use crate::domain::dns::{HostedZone, InventoryEvent};
use crate::services::ServiceError;

#[derive(Debug)]
pub enum DnsMsg {
    Zones {
        request: RequestId,
        result: Result<Vec<HostedZone>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// The organisation's accounts, before their inventory streams in.
    OrgAccounts {
        request: RequestId,
        result: Result<Vec<Account>, ServiceError>,
        at: DateTime<Utc>,
    },
    /// Progress of the organisation-wide load.
    Inventory {
        request: RequestId,
        event: InventoryEvent,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsEffect {
    LoadZones {
        request: RequestId,
        account_id: String,
    },
    /// Every account (from the account directory) → zones → records, streamed back.
    LoadInventory { request: RequestId },
}
