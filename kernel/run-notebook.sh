#!/usr/bin/env bash
# Executes notebooks with the rustystats kernel and saves their outputs in place.
# evcxr leaves its build folders in TMPDIR when a kernel is killed, so each run gets its own
# TMPDIR, removed afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rustystats-nb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for nb in "$@"; do
  start=$(date +%s)
  RUSTYSTATS_KERNEL_BUILD="$tmp" "$root/.venv/bin/jupyter" nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.kernel_name=rustystats \
    --ExecutePreprocessor.timeout=2400 --ExecutePreprocessor.startup_timeout=300 "$nb"
  echo "executed $nb in $(( $(date +%s) - start )) s"
done
