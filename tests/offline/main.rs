//! Tests of the logic that is ours — planning, the DNS inventory, the change executor, the
//! commands and the runtime's tasks — against `services::fake::FakeBackend`, an in-memory AWS:
//! no emulator, no network. The emulator tests (the other binaries) stay for what the SDK and
//! AWS's shapes do.

mod changes;
mod commands_dns;
mod commands_org;
mod commands_org_tenants;
mod commands_sfn;
mod commands_tenants;
mod executor;
mod fake;
mod onboarding;
mod org_listing;
mod runtime;
mod runtime_onboarding;
mod runtime_org;
mod runtime_scope;
mod services;
mod support;
