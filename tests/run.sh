#!/usr/bin/env bash
# Runs every test: unit tests, doc tests, the R / statsmodels reference tests and the
# command-line tests. One profile (release) so polars compiles once for the tool and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs)" >&2; exit 2; }
cargo test --release --workspace
