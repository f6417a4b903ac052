//! Probability distributions and special functions (placeholder, being written).
