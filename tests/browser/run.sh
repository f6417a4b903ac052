#!/usr/bin/env bash
# Writes a standalone HTML report with the command-line tool, exports the tutorials with
# figures to HTML, and checks in headless Chromium that every figure is drawn. Installs
# Debian's chromium when it is missing (needs root).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
if ! command -v chromium >/dev/null; then
  echo "== installing chromium (Debian package)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./target/release/rustystats fit --data notebooks/data/fremtpl_mini.csv --family poisson \
  --exposure Exposure --formula 'ClaimNb ~ C(Area) + log(BonusMalus) + ns(DrivAge, df=4)' \
  --format html --output "$out/report.html"
python3 tests/browser/check_report.py "$out/report.html" "$out/report.png"

# The tutorials with figures, executed now and exported to HTML as `kernel/setup.sh` writes
# them to notebooks/html/: every figure must draw offline (plotly.js travels in the first
# figure's output). The notebooks in git keep no plotly.js (kernel/strip-plotly.py).
for nb in notebooks/02-*.ipynb notebooks/04-*.ipynb notebooks/05-*.ipynb; do
  .venv/bin/jupyter nbconvert --log-level=WARN --to html --execute \
    --ExecutePreprocessor.kernel_name=rustystats --ExecutePreprocessor.timeout=2400 \
    --ExecutePreprocessor.startup_timeout=300 --output-dir "$out" "$nb"
  python3 tests/browser/check_report.py "$out/$(basename "$nb" .ipynb).html"
done
