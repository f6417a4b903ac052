#!/bin/sh
# Starts evcxr_jupyter with the project's configuration: EVCXR_CONFIG_DIR=kernel/config
# (init.evcxr turns the compile cache on; prelude.rs installs the panic hook) and the build
# folders under $RUSTYSTATS_KERNEL_BUILD (default kernel/build), next to a .cargo/config.toml
# that compiles rustystats quickly. The kernel spec written by kernel/install.sh runs this.
here=$(cd "$(dirname "$0")" && pwd)
export EVCXR_CONFIG_DIR="$here/config"
build="${RUSTYSTATS_KERNEL_BUILD:-$here/build}"
mkdir -p "$build/.cargo"
cp "$here/config/cargo-config.toml" "$build/.cargo/config.toml"
export TMPDIR="$build"
PATH="$HOME/.cargo/bin:$PATH"
exec evcxr_jupyter "$@"
