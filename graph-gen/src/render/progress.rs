//! The loading progress bar: shown only when stderr is a terminal, cleared when done.

use indicatif::{ProgressDrawTarget, ProgressStyle};

/// A progress bar over pages, or nothing at all.
#[derive(Debug)]
pub struct ProgressBar {
    bar: Option<indicatif::ProgressBar>,
}

impl ProgressBar {
    /// A bar on stderr when `shown`, else one that draws nothing.
    pub fn new(shown: bool) -> Self {
        let bar = shown.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template("{bar:30} {pos}/{len} pages  {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        ProgressBar { bar }
    }

    /// Moves the bar to `progress`, naming the page just read.
    pub fn update(&self, progress: crate::Progress<'_>) {
        if let Some(bar) = &self.bar {
            bar.set_length(u64::try_from(progress.total).unwrap_or(u64::MAX));
            bar.set_position(u64::try_from(progress.done).unwrap_or(u64::MAX));
            let page = progress.page.display().to_string();
            bar.set_message(crate::diagnostics::escape_for_display(&page).into_owned());
        }
    }

    /// Removes the bar, so diagnostics and the summary print on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
