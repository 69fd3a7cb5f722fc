//! Owned types and pure logic, no I/O.

pub mod account;
pub mod sanitize;
