//! The JSON contract of Halden's sentence engine.
//!
//! One input shape (a case) and one output shape (its key dates with explanations, or a list of
//! errors naming their fields), shared by `halden calc --json` and the web API. Domain types are
//! not `Serialize`: this crate converts by hand, so the contract changes only here, on purpose.

mod input;
mod output;

pub use input::{parse_case, parse_case_str};
pub use output::{calculation_json, errors_json, field_error_json, policy_json};

use serde_json::Value;

/// The outcome of running one case through the contract.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Computed: the result document.
    Computed(Value),
    /// Invalid input: the `{"errors": [...]}` document.
    Invalid(Value),
}

/// Parses, validates and computes one case given as JSON text.
pub fn calculate_json(text: &str) -> Outcome {
    let case = match parse_case_str(text) {
        Ok(case) => case,
        Err(errors) => return Outcome::Invalid(errors_json(&errors)),
    };
    calculate_case(&case)
}

/// Validates and computes a parsed case.
pub fn calculate_case(case: &halden_domain::Case) -> Outcome {
    match halden_domain::calculate(case) {
        Ok(calc) => Outcome::Computed(calculation_json(&calc, case.unfit_to_serve)),
        Err(halden_domain::CalcError::Invalid(errors)) => Outcome::Invalid(errors_json(&errors)),
    }
}

/// Parses, validates and computes one case given as a JSON value (see [`calculate_json`]).
pub fn calculate_case_json(value: &Value) -> Outcome {
    match parse_case(value) {
        Ok(case) => calculate_case(&case),
        Err(errors) => Outcome::Invalid(errors_json(&errors)),
    }
}
