//! What the CLI shows people: rustc-style diagnostics, a progress bar, a closing summary.

mod diagnostic;
mod progress;
mod summary;

pub use diagnostic::{human, Sources};
pub use progress::ProgressBar;
pub use summary::Summary;
