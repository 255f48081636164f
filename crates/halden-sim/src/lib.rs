//! Synthetic populations for Halden.
//!
//! - [`estate`]: the reference estate (prisons, probation offices, municipalities) shipped in
//!   `data/estate/` and embedded in the binary.
//! - [`demo`]: a deterministic synthetic national population for the demo register, consistent
//!   with the published flows in STATISTICS.md §6.
//! - [`population`]: the population simulator (STATISTICS.md §4–5): people through the real
//!   sentence engine, Monte Carlo bands, policy what-ifs on common random numbers, validation.
//!
//! Pure: no I/O beyond parsing embedded text, no clock ("today" is a parameter), no randomness
//! beyond a seeded generator, so the same seed and day always give the same population.

pub mod demo;
pub mod estate;
pub mod population;
