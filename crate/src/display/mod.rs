//! What a person sees outside a text summary: results shown in an evcxr notebook cell
//! ([`evcxr_payload`] and every `evcxr_display`) and, with the frame and plot features, the
//! standalone HTML report of a model.
//!
//! evcxr finds `evcxr_display` by name on a cell's last value, so the impls here are inherent
//! methods of the result types; the types themselves, and the text and HTML they show, live
//! in the layers below (`report`, `plot`, `frame`).

mod notebook;
#[cfg(all(feature = "frame", feature = "plot"))]
mod report;

pub use notebook::evcxr_payload;
