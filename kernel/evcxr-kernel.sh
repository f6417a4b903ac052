#!/bin/sh
# Starts evcxr_jupyter with the project's configuration (compile cache on, panic hook prelude).
# The kernel spec written by kernel/install.sh runs this script.
here=$(cd "$(dirname "$0")" && pwd)
export EVCXR_CONFIG_DIR="$here/config"
PATH="$HOME/.cargo/bin:$PATH"
exec evcxr_jupyter "$@"
