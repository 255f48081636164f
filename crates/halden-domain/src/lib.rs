//! Halden's domain: the law of sentence execution as pure functions.
//!
//! This crate is the heart the rest of Halden depends on. It knows nothing about databases, HTTP,
//! JSON, clocks or files: "today" and every other fact arrive as parameters, and every result is a
//! value. That keeps the legal rules testable by hand-worked examples alone.
//!
//! - [`law`]: the rule catalogue (ids, §, status) and every legal figure, named once.
//! - [`policy`]: the conventions and open questions of RULES.md as explicit choices.
//! - [`calendar`]: integer day arithmetic on civil dates.
//! - [`case`]: the input of a calculation.
//! - [`validate`]: checks against the law, every error naming its field.
//! - [`applications`]: what the rules say about postponement and leave requests.
//! - [`decisions`]: one decision model for every kind; a restrictive decision needs a legal
//!   ground and a written reason; appeals one level up within three weeks.
//! - [`community`]: a community sentence in execution: the nearest probation office, the hours
//!   ledger, progress against the execution period, breaches and the case to the court.
//! - [`parole`]: parole supervision: conditions, the reporting schedule and log, missed reports,
//!   breaches, warnings and the case for re-imprisonment; the period ends on R-PAR-4's date.
//! - [`electronic_monitoring`]: EM home detention (strgjfl § 16 a): the application with its
//!   consents, daytime activity and weekly schedule, eligibility from the engine's R-EM-2 / R-EM-3
//!   figures, the device, breaches, their handling and revocation, folded to a stage.
//! - [`presentence`]: pre-sentence reports (strpl § 161): request, stages, overdue.
//! - [`calc`]: the engine; [`calc::calculate`] is the entry point.
//! - [`progression`]: the steps towards release in date order, and those falling due.
//! - [`queue`]: the serving queue (R-QUEUE-1) and the summons (R-INNK-1).
//! - [`placement`]: the lowest security level the rules allow, and the prisons that fit.
//! - [`register`]: identity numbers, movements and the custody state they project to.
//! - [`youth`]: the youth sentence at the mediation service's boundary (R-YOUTH-3): what
//!   Kriminalomsorgen records (handover, the § 52 c order) and the refusal of the youth plan.
//! - [`explain`]: each computed date as a sentence with its rule and arithmetic, in English and
//!   bokmål.

pub mod applications;
pub mod calc;
pub mod calendar;
pub mod case;
pub mod community;
pub mod decisions;
pub mod electronic_monitoring;
pub mod explain;
pub mod law;
pub mod parole;
pub mod placement;
pub mod policy;
pub mod presentence;
pub mod programme;
pub mod progression;
pub mod queue;
pub mod register;
pub mod validate;
pub mod youth;

pub use calc::{CalcError, Calculation, calculate};
pub use case::Case;
