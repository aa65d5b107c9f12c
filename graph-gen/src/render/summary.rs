//! The closing line of a run: pages, operations, models, errors, warnings and time taken,
//! reading and generating apart.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::ir::Ir;

/// What one run read and found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Pages read.
    pub pages: usize,
    /// Operations in the IR.
    pub operations: usize,
    /// Models in the IR.
    pub models: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
    /// Seconds taken reading the pages into the IR.
    pub elapsed_seconds: f64,
    /// Seconds taken generating (and formatting, writing or comparing) the bindings, for
    /// `generate`; reading is often the smaller part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generating_seconds: Option<f64>,
}

impl Summary {
    /// The summary of `ir`, read from `pages` pages in `elapsed`.
    pub fn new(ir: &Ir, pages: usize, elapsed: Duration) -> Self {
        let errors = ir.diagnostics.iter().filter(|d| d.is_error()).count();
        Summary {
            pages,
            operations: ir.operations.len(),
            models: ir.models.len(),
            errors,
            warnings: ir.diagnostics.len() - errors,
            elapsed_seconds: elapsed.as_secs_f64(),
            generating_seconds: None,
        }
    }

    /// The summary with the time generation took after reading.
    #[must_use]
    pub fn with_generating(mut self, elapsed: Duration) -> Self {
        self.generating_seconds = Some(elapsed.as_secs_f64());
        self
    }
}

impl fmt::Display for Summary {
    /// `5 pages, 1 operation, 3 models: 0 errors, 2 warnings in 0.04s`, and with generation
    /// `… in 0.31s (0.04s reading, 0.27s generating)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {}, {}: {}, {} in ",
            count(self.pages, "page"),
            count(self.operations, "operation"),
            count(self.models, "model"),
            count(self.errors, "error"),
            count(self.warnings, "warning"),
        )?;
        match self.generating_seconds {
            None => write!(f, "{:.2}s", self.elapsed_seconds),
            Some(generating) => write!(
                f,
                "{:.2}s ({:.2}s reading, {generating:.2}s generating)",
                self.elapsed_seconds + generating,
                self.elapsed_seconds
            ),
        }
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_naturally() {
        let summary = Summary {
            pages: 5,
            operations: 1,
            models: 3,
            errors: 0,
            warnings: 2,
            elapsed_seconds: 0.041,
            generating_seconds: None,
        };
        assert_eq!(
            summary.to_string(),
            "5 pages, 1 operation, 3 models: 0 errors, 2 warnings in 0.04s"
        );
    }

    /// `generate` of 10,000 operations said "in 1.65s" while it ran for 18.8 s: the time after
    /// reading was left out. The summary of `generate` now gives both and their sum.
    #[test]
    fn generation_time_is_in_the_summary() {
        let summary = Summary {
            pages: 1,
            operations: 0,
            models: 0,
            errors: 0,
            warnings: 0,
            elapsed_seconds: 1.65,
            generating_seconds: None,
        }
        .with_generating(Duration::from_millis(17_150));
        assert_eq!(
            summary.to_string(),
            "1 page, 0 operations, 0 models: 0 errors, 0 warnings in 18.80s (1.65s reading, 17.15s generating)"
        );
        assert_eq!(
            serde_json::to_value(summary).unwrap()["generating_seconds"],
            17.15
        );
    }
}
