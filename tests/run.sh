#!/usr/bin/env bash
# Runs every test (README command 2), installing what is missing first (idempotent):
#   1. Rust: unit tests, doc tests, R / statsmodels reference tests, command-line tests
#      (one profile, release, so polars compiles once for the tool and the tests); then the
#      math core alone (no default features) and a check that it depends on neither polars
#      nor plotly;
#   2. notebooks: nbval runs every tutorial with the rustystats kernel, a notebook with a
#      failing assert! must fail, saved outputs carry summaries and figures;
#   3. browser: the standalone HTML report renders in headless Chromium with drawn figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs)" >&2; exit 2; }
t0=$(date +%s)
lap() { echo "== $1 done at $(( $(date +%s) - t0 )) s"; }

cargo test --release --workspace
cargo test --release -p rustystats --no-default-features --lib --tests
core_deps=$(cargo tree -p rustystats --no-default-features -e normal --prefix none)
if grep -qE '^(polars|plotly)' <<<"$core_deps"; then
  echo "the math core (no default features) depends on polars or plotly:" >&2
  grep -E '^(polars|plotly)' <<<"$core_deps" >&2
  exit 1
fi
lap "Rust tests"

RUSTYSTATS_SKIP_WARMUP=1 bash kernel/install.sh
lap "kernel install"

bash tests/notebooks/run.sh
lap "notebook tests"

bash tests/browser/run.sh
lap "browser test"
