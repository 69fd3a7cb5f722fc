//! Owned types and pure logic, no I/O.

pub mod account;
pub mod dns;
pub mod plan;
pub mod region;
pub mod sanitize;
pub mod template;
pub mod tenancy;
pub mod time;
pub mod workflows;
