#!/usr/bin/env bash
# Notebook tests (needs `bash kernel/install.sh`):
#   1. nbval executes every tutorial in notebooks/ with the rustystats kernel; a failing cell
#      (a compile error, a panic, a failed assert!, an error returned with `?`) fails the
#      test. Outputs are not compared (--nbval-lax): the notebooks check their own numbers
#      with assert!.
#   2. the test notebooks in tests/notebooks/ pass under nbval (wide-frame.ipynb: lookups by
#      name on a wide DataFrame in later cells, issue #20);
#   3. the notebooks tests/notebooks/failing-*.ipynb must FAIL under nbval: proof that a
#      failing cell fails.
#   4. the saved outputs of the tutorials carry the HTML summary and the figures.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
py="$root/.venv/bin/python"
[ -x "$py" ] || { echo "run 'bash kernel/install.sh' first (no .venv)" >&2; exit 2; }
# The kernels build in kernel/build's persistent slots (kernel/evcxr-kernel.sh), as in
# interactive use, so rustystats is compiled once, not once per notebook.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rustystats-nbval.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# -p nbval_stderr: a cell that writes to standard error fails too (an error returned with `?`).
nbval() {
  PYTHONPATH="$root/tests/notebooks" \
    "$py" -m pytest -q -p no:cacheprovider -p nbval_stderr --nbval-lax \
    --nbval-kernel-name rustystats --nbval-cell-timeout 2400 --nbval-kernel-startup-timeout 300 "$@"
}

echo "== nbval: tutorials"
nbval notebooks/

echo "== nbval: test notebooks"
passing=()
for nb in tests/notebooks/*.ipynb; do
  case ${nb##*/} in failing-*) ;; *) passing+=("$nb") ;; esac
done
nbval "${passing[@]}"

echo "== nbval: notebooks that must fail"
for nb in tests/notebooks/failing-*.ipynb; do
  if nbval "$nb" > "$tmp/out.txt" 2>&1; then
    cat "$tmp/out.txt"
    echo "FAIL: $nb passed under nbval, but its failing cell must fail the test" >&2
    exit 1
  fi
  grep -q "1 failed" "$tmp/out.txt" || { cat "$tmp/out.txt"; echo "FAIL: $nb: expected exactly one failed cell" >&2; exit 1; }
  echo "ok: $nb fails as it must"
done

echo "== saved outputs"
"$py" tests/notebooks/check_outputs.py notebooks/*.ipynb
