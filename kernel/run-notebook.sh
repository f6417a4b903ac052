#!/usr/bin/env bash
# Executes notebooks with the rustystats kernel and saves their outputs in place, without the
# embedded plotly.js (kernel/strip-plotly.py keeps the notebooks in git small). With
# `--html DIR` first, each executed notebook is also exported to DIR as an HTML page that keeps
# plotly.js, so its figures draw offline.
# The kernel keeps its builds in kernel/build (or $RUSTYSTATS_KERNEL_BUILD), one persistent
# slot per running kernel (kernel/evcxr-kernel.sh), so rustystats stays compiled between runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
html=
if [ "${1:-}" = --html ]; then
  html=$2
  shift 2
  mkdir -p "$html"
fi
for nb in "$@"; do
  start=$(date +%s)
  "$root/.venv/bin/jupyter" nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.kernel_name=rustystats \
    --ExecutePreprocessor.timeout=2400 --ExecutePreprocessor.startup_timeout=300 "$nb"
  echo "executed $nb in $(( $(date +%s) - start )) s"
  if [ -n "$html" ]; then
    "$root/.venv/bin/jupyter" nbconvert --log-level=WARN --to html --output-dir "$html" "$nb"
  fi
  python3 "$root/kernel/strip-plotly.py" "$nb"
done
