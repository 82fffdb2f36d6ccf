//! acsgen: generates typed Rust clients for Alibaba Cloud OpenAPI.
//!
//! The pipeline, one module per stage:
//! [`load`] (YAML to [`spec`] types) -> [`validate`] (semantic checks) ->
//! [`model`] (Rust-ready IR; names from [`names`]) -> [`render`] (askama) ->
//! [`format`] (syn + prettyplease) -> [`write`] (atomic output tree).
//! [`import`] turns Alibaba's api-docs.json into spec files; [`diff`]
//! compares two spec trees for reviewers.

pub mod diagnostics;
pub mod docs;
pub mod load;
pub mod spec;
pub mod validate;
pub mod write;
pub mod model;
pub mod format;
pub mod generate;
pub mod names;
pub mod provenance;
pub mod render;
pub mod cli;
pub mod diff;
pub mod import;
