//! A progress line for long fits (a regularization path, cross-validation).
//!
//! Nothing is shown for a fit that ends within [`QUIET_FOR`]; after that, the line says how
//! many of the fits are done, at most once per [`EVERY`]. Where it goes depends on where the
//! code runs:
//! - in a terminal, one line on standard error rewritten in place;
//! - on a redirected standard error, one line per update;
//! - in a notebook (the evcxr kernel), one line per update on standard output, which the
//!   kernel streams into the cell while it runs (standard error would mark the cell as failed
//!   under nbval's stderr check, and the kernel forwards whole lines only, so a line cannot be
//!   rewritten there).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a fit runs before its progress is shown.
pub const QUIET_FOR: Duration = Duration::from_secs(1);
/// The shortest time between two updates of the line.
pub const EVERY: Duration = Duration::from_millis(1500);

/// The environment variable the evcxr kernel sets in the process that runs notebook cells.
const EVCXR_RUNTIME: &str = "EVCXR_IS_RUNTIME";

/// Whether this process runs notebook cells (the evcxr kernel): there, progress is shown
/// unless turned off.
pub fn in_notebook() -> bool {
    std::env::var_os(EVCXR_RUNTIME).is_some()
}

/// Where the line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sink {
    /// Standard error in a terminal: one line rewritten in place.
    Terminal,
    /// Standard error redirected: a line per update.
    Stderr,
    /// Standard output in a notebook: a line per update.
    Notebook,
}

/// A counter of finished fits that shows itself as a line (see the module documentation).
#[derive(Debug)]
pub struct ProgressLine {
    what: &'static str,
    total: usize,
    done: AtomicUsize,
    start: Instant,
    /// When the line was last shown (`None`: not yet).
    shown: Mutex<Option<Instant>>,
    sink: Sink,
}

impl ProgressLine {
    /// A line for `total` fits of `what` (`"path"`, `"cross-validation"`).
    pub fn new(what: &'static str, total: usize) -> Self {
        let sink = if in_notebook() {
            Sink::Notebook
        } else if std::io::stderr().is_terminal() {
            Sink::Terminal
        } else {
            Sink::Stderr
        };
        ProgressLine {
            what,
            total,
            done: AtomicUsize::new(0),
            start: Instant::now(),
            shown: Mutex::new(None),
            sink,
        }
    }

    /// One more fit done; shows the line if it is due. Safe to call from several threads.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let now = Instant::now();
        if now.duration_since(self.start) < QUIET_FOR {
            return;
        }
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if shown.is_some_and(|t| now.duration_since(t) < EVERY) {
            return;
        }
        *shown = Some(now);
        self.write(&self.text(done, now), false);
    }

    /// Ends the line if it was shown (the last count, then a newline in a terminal).
    pub fn finish(&self) {
        let shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        if shown.is_some() {
            let done = self.done.load(Ordering::Relaxed);
            self.write(&self.text(done, Instant::now()), true);
        }
    }

    fn text(&self, done: usize, now: Instant) -> String {
        let percent = 100 * done / self.total.max(1);
        let secs = now.duration_since(self.start).as_secs_f64();
        format!(
            "{}: {done} of {} fits ({percent}%), {secs:.1} s",
            self.what, self.total
        )
    }

    fn write(&self, text: &str, last: bool) {
        // A failed write of a progress line must not fail the fit.
        let _ = match self.sink {
            Sink::Terminal => {
                let end = if last { "\n" } else { "" };
                write!(std::io::stderr(), "\r{text}{end}")
            }
            Sink::Stderr => writeln!(std::io::stderr(), "{text}"),
            Sink::Notebook => writeln!(std::io::stdout(), "{text}"),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_counts_fits_and_percent() {
        let p = ProgressLine::new("path", 8);
        for _ in 0..3 {
            p.tick();
        }
        let text = p.text(p.done.load(Ordering::Relaxed), p.start);
        assert_eq!(text, "path: 3 of 8 fits (37%), 0.0 s");
        // Within QUIET_FOR nothing was shown, so finishing writes nothing either.
        assert!(p.shown.lock().unwrap().is_none());
    }
}
