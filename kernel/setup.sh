#!/usr/bin/env bash
# Set-up and main job. Today: builds the `rustystats` command-line tool and fits the
# claim-frequency example. The Jupyter kernel set-up and the tutorial notebooks are coming
# (see the notebook issue); this script will install and run them.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs)" >&2; exit 2; }
cargo build --release
data=tests/fixtures/refs/data/mass_insurance.csv
./target/release/rustystats fit --data "$data" --family poisson \
  --formula 'Claims ~ C(District) + C(Group, ref="<1l") + C(Age, ref="<25") + offset(log(Holders))'
