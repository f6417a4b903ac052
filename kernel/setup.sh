#!/usr/bin/env bash
# README command 1: installs what the notebooks need (kernel/install.sh, idempotent), then runs
# the main job: executes every tutorial in notebooks/ with the rustystats kernel (outputs saved
# in the notebooks, without plotly.js) and writes HTML copies to notebooks/html/ that open in
# any browser with their figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash kernel/install.sh
bash kernel/run-notebook.sh --html notebooks/html notebooks/[0-9]*.ipynb
echo
echo "done: open notebooks/html/*.html, or run: .venv/bin/jupyter lab notebooks/"
