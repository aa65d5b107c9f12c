//! The closing line of a run: pages, operations, models, errors, warnings and time taken.

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
    /// Seconds taken.
    pub elapsed_seconds: f64,
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
        }
    }
}

impl fmt::Display for Summary {
    /// `5 pages, 1 operation, 3 models: 0 errors, 2 warnings in 0.04s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {}, {}: {}, {} in {:.2}s",
            count(self.pages, "page"),
            count(self.operations, "operation"),
            count(self.models, "model"),
            count(self.errors, "error"),
            count(self.warnings, "warning"),
            self.elapsed_seconds
        )
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
        };
        assert_eq!(
            summary.to_string(),
            "5 pages, 1 operation, 3 models: 0 errors, 2 warnings in 0.04s"
        );
    }
}
