//! opsdeck: a terminal dashboard for operators of multi-tenant SaaS on AWS.
//!
//! Layers, arrows pointing down only (see DESIGN.md):
//! `main` → `cli`/`commands`/`runtime`+`ui` → `app` → `services` → `domain`, with `aws` implementing
//! `services` and being the only module that names `aws_sdk_*` types.

pub mod app;
pub mod aws;
pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod exit;
pub mod logging;
pub mod mutation;
pub mod rows;
pub mod runtime;
pub mod services;
pub mod terminal;
pub mod ui;
