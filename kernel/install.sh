#!/usr/bin/env bash
# Installs what the notebooks need, skipping what is already there:
#   - the release build of the crate and the `rustystats` tool,
#   - evcxr_jupyter (pinned, `cargo install --locked`),
#   - a Python virtual environment .venv with pinned JupyterLab, nbconvert and nbval,
#   - the `rustystats` Jupyter kernel (evcxr with kernel/config: build slots, panic hook),
#   - the mold linker (Debian package) when running as root,
#   - a warm kernel build folder (the crate and its dependencies compiled once inside evcxr).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
EVCXR_VERSION=0.22.0
say() { printf '\n== %s\n' "$*"; }

command -v cargo >/dev/null || { echo "cargo not found: install Rust (https://rustup.rs)" >&2; exit 2; }

say "build (release): crate and command-line tool"
cargo build --release

if ! cargo install --list | grep -q "^evcxr_jupyter v$EVCXR_VERSION:"; then
  say "install evcxr_jupyter $EVCXR_VERSION (about 9 minutes on 2 cores)"
  cargo install evcxr_jupyter --version "$EVCXR_VERSION" --locked
fi

# evcxr links every cell into a shared library; it uses mold when it is installed, which
# makes a cell that touches polars link in seconds instead of tens of seconds.
if ! command -v mold >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "install mold (fast linker for evcxr cells)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q mold >/dev/null
  else
    echo "note: install the mold linker for faster notebook cells (apt-get install mold)" >&2
  fi
fi

venv="$root/.venv"
stamp="$venv/.requirements.sha"
want=$(sha256sum kernel/requirements.txt | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Python environment .venv (JupyterLab, nbconvert, nbval)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r kernel/requirements.txt
  echo "$want" > "$stamp"
fi

say "register the rustystats kernel"
spec=$(mktemp -d)
mkdir -p "$spec/rustystats"
cat > "$spec/rustystats/kernel.json" <<JSON
{
  "argv": ["$root/kernel/evcxr-kernel.sh", "--control_file", "{connection_file}"],
  "display_name": "Rust (rustystats)",
  "language": "rust",
  "interrupt_mode": "message"
}
JSON
"$venv/bin/jupyter" kernelspec install --sys-prefix --name rustystats "$spec/rustystats" >/dev/null
rm -rf "$spec"

# The warm-up compiles rustystats and its dependencies inside evcxr once (about 13 minutes),
# in the kernel's first build slot kernel/build/slot-0; later kernels find them compiled there
# (kernel/evcxr-kernel.sh). The stamp names the lock file's hash, so a dependency change
# warms again.
build="${RUSTYSTATS_KERNEL_BUILD:-$root/kernel/build}"
warm="$build/warm-$(sha256sum Cargo.lock | cut -c1-16)"
# RUSTYSTATS_SKIP_WARMUP=1 leaves it to the first notebook run (the test script does this:
# nbval's first notebook compiles just the same, without an extra kernel start).
if [ ! -f "$warm" ] && [ "${RUSTYSTATS_SKIP_WARMUP:-0}" != 1 ]; then
  say "compile rustystats inside the kernel once (first time only)"
  bash kernel/run-notebook.sh kernel/warmup.ipynb
  mkdir -p "$build"
  touch "$warm"
fi
say "installed: kernel 'rustystats' in $venv"
