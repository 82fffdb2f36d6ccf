//! acsgen: generates typed Rust clients for Alibaba Cloud OpenAPI.
//!
//! The pipeline, one module per stage:
//! [`load`] (YAML to [`spec`] types) -> [`validate`] (semantic checks) ->
//! [`model`] (Rust-ready IR; names from [`names`]) -> [`render`] (askama) ->
//! [`format`](mod@format) (syn + prettyplease) -> [`write`](mod@write) (atomic output tree).
//! [`import`] turns Alibaba's api-docs.json into spec files; [`diff`]
//! compares two spec trees for reviewers, the Rust side through
//! [`surface`] (the generated API as data). [`exit`] is the one table of
//! exit codes all commands share.

pub mod builder;
pub mod cli;
pub mod diagnostics;
pub mod diff;
pub mod docs;
pub mod embed;
pub mod exit;
pub mod format;
pub mod generate;
pub mod import;
pub mod load;
pub mod model;
pub mod names;
pub mod provenance;
pub mod render;
pub mod spec;
pub mod surface;
pub mod synthetic;
pub mod validate;
pub mod write;

pub use builder::Builder;
