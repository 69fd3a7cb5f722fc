//! opsdeck: a terminal dashboard for operators of multi-tenant SaaS on AWS.
//!
//! Layers, arrows pointing down only (docs/architecture.md draws them; tests/structure.rs checks
//! them): `commands`, `runtime` → `ui` → `app` → `cli` → `mutation`, `aws` → `services`, `rows` →
//! `config` → `domain` → `exit`, `files`, `logging`, `terminal`. `aws` implements `services` and is the
//! only module that names `aws_sdk_*` types; `mutation` is the one change executor.

pub mod app;
pub mod aws;
pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod exit;
pub mod files;
pub mod logging;
pub mod mutation;
pub mod rows;
pub mod runtime;
pub mod services;
pub mod terminal;
pub mod ui;
