#!/usr/bin/env bash
# Executes notebooks with the rustystats kernel and saves their outputs in place.
# The kernel keeps its builds in kernel/build (or $RUSTYSTATS_KERNEL_BUILD), one persistent
# slot per running kernel (kernel/evcxr-kernel.sh), so rustystats stays compiled between runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for nb in "$@"; do
  start=$(date +%s)
  "$root/.venv/bin/jupyter" nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.kernel_name=rustystats \
    --ExecutePreprocessor.timeout=2400 --ExecutePreprocessor.startup_timeout=300 "$nb"
  echo "executed $nb in $(( $(date +%s) - start )) s"
done
