//! Figures: plotly charts of the diagnostics, shown inline in notebooks and written into
//! standalone HTML reports. plotly itself is re-exported for charts of your own.

mod charts;
mod figure;

pub use figure::{page, plotly_js, plotly_js_tags, Figure};
pub use plotly;
