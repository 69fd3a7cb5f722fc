//! The tenant runbook, across panes: `tenants create` with `[onboarding]` and `tenants delete`
//! with `[offboarding]` make one plan over Cognito (the Tenants pane's planning), the tenant's
//! record (Route53, in the zone's account) and a Step Functions workflow, run by the one executor.
//! It sits beside the panes' folders because it uses all three.

pub mod offboard;
pub mod onboard;
pub mod runbook;
pub mod show;
