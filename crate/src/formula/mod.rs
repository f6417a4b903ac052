//! Formula parsing (placeholder, being written).
