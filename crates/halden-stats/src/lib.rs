//! Official statistics from custody episodes (STATISTICS.md §§ 1–3): SPACE I and II, Nordic
//! Correctional Statistics, SSB-style annual figures, KDI monthly key figures, the serving
//! queue and the stock-flow reconciliation, as JSON and long-format CSV.
//!
//! Pure: a report is a function of (dataset, parameters). The only input it reads is an
//! extract from an `impl Read` ([`extract`]); the register's episodes come from
//! `halden-storage`. No person-level record ever leaves: every output is a count or a ratio.
//!
//! - [`model`]: persons, episodes `[start, end)`, categories, the dataset.
//! - [`extract`]: CSV extracts with line and column errors.
//! - [`fold`]: a person's register history to episodes.
//! - [`count`]: the counting passes (stock on a day, flows and days, daily series).
//! - [`reports`]: the reports.
//! - [`report`]: the report as data; JSON and CSV.
//! - [`ratio`]: exact ratios and the rounding rule.
//! - [`dq`]: data-quality warnings against published figures.
//! - [`bands`]: sentence-length bands (BAND).

pub mod bands;
pub mod count;
pub mod dq;
pub mod extract;
pub mod fold;
pub mod model;
pub mod ratio;
pub mod report;
pub mod reports;

pub use count::Profile;
pub use model::Dataset;
pub use report::Report;
pub use reports::Params;
