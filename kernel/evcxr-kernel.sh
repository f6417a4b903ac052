#!/bin/sh
# Starts evcxr_jupyter with the project's configuration (kernel/config: prelude.rs installs the
# panic hook) and its build folders under $RUSTYSTATS_KERNEL_BUILD (default kernel/build), next
# to a .cargo/config.toml that compiles rustystats quickly. The kernel spec written by
# kernel/install.sh runs this.
#
# Build slots. evcxr compiles a kernel's cells in a crate folder with its own cargo target
# folder, by default a new temporary one per kernel, so every kernel compiled rustystats again
# (about a minute). Here each kernel takes a persistent folder $build/slot-N that no running
# kernel holds, and passes it to evcxr as EVCXR_TMPDIR (evcxr then neither makes nor deletes a
# folder). Everything stays compiled there; cargo's own freshness check rebuilds rustystats
# when its sources change, and a dependency when it changes. A slot is held by an exclusive
# flock on $build/slot-N.lock through file descriptor 9, which evcxr_jupyter inherits by `exec`
# (and so do the cargo and rustc it starts): the lock lasts as long as the kernel and its
# compilers and ends with them, however they end. Two kernels at once get two slots; a new
# slot starts as a copy of the most recently used one.
#
# evcxr's compile cache (`:cache`) stays off in slots: it restores a dependency with the
# dependency files of the folder that first compiled it, which name build-script outputs in
# that other folder, so cargo would find them missing and rebuild everything in every kernel.
# Without flock (or with all slots busy) a kernel falls back to a temporary folder with the
# cache on, as evcxr does by default (kernel/config/init.evcxr).
here=$(cd "$(dirname "$0")" && pwd)
export EVCXR_CONFIG_DIR="$here/config"
build="${RUSTYSTATS_KERNEL_BUILD:-$here/build}"
mkdir -p "$build/.cargo"
cp "$here/config/cargo-config.toml" "$build/.cargo/config.toml"
export TMPDIR="$build"
PATH="$HOME/.cargo/bin:$PATH"

# seed SLOT: copy the target folder of the slot used last into SLOT (a new or emptied slot),
# holding that folder's cargo locks (host, then target, as cargo takes them) so that no build
# writes to it meanwhile. Without a source, or if its builds hold the locks for a minute, the
# slot starts empty and cargo compiles everything once (about 13 minutes on 2 cores).
seed() {
  src= triple=
  for t in $(ls -td "$build"/slot-*/target 2>/dev/null); do
    [ "$t" = "$1/target" ] || { src=$t; break; }
  done
  [ -n "$src" ] || return 0
  for d in "$src"/*/debug; do
    [ "$d" = "$src/debug" ] || triple=$d
  done
  if flock -s -w 60 "$src/debug/.cargo-lock" \
       flock -s -w 60 "${triple:-$src/debug}/.cargo-lock" \
       cp -a --reflink=auto "$src" "$1/target.seed"; then
    rm -f "$1"/target.seed/*/debug/deps/libcode_*.so "$1"/target.seed/*/debug/libcode_*.so
    mv "$1/target.seed" "$1/target"
  else
    rm -rf "$1/target.seed"
  fi
}

# rust-analyzer inside evcxr copies Cargo.lock to $TMPDIR/rust-analyzer<pid in hex>-<n> for a
# moment; a kernel killed then leaves the folder. Remove those of processes that are gone.
if [ -d /proc/self ]; then
  for d in "$build"/rust-analyzer*-*; do
    [ -d "$d" ] || continue
    hex=${d##*/rust-analyzer}
    hex=${hex%%-*}
    case $hex in *[!0-9a-f]*|'') continue ;; esac
    [ -d "/proc/$((0x$hex))" ] || rm -rf "$d"
  done
fi

max_slots=8
if command -v flock >/dev/null 2>&1; then
  n=0
  while [ "$n" -lt "$max_slots" ]; do
    exec 9>>"$build/slot-$n.lock"
    if flock -n 9; then
      slot="$build/slot-$n"
      mkdir -p "$slot"
      rm -rf "$slot/target.seed"
      [ -d "$slot/target" ] || seed "$slot"
      # The compiled cells of the slot's previous kernel (evcxr names them libcode_<n>.so and
      # counts from 1 again in a new kernel): up to tens of MB each, not needed any more.
      rm -f "$slot"/target/*/debug/deps/libcode_*.so "$slot"/target/*/debug/libcode_*.so
      # The configuration without the compile cache (see above), refreshed at each start.
      conf="$build/evcxr-config"
      mkdir -p "$conf"
      cp "$here/config/prelude.rs" "$conf/prelude.rs.$$"
      grep -v '^:cache' "$here/config/init.evcxr" > "$conf/init.evcxr.$$"
      mv -f "$conf/prelude.rs.$$" "$conf/prelude.rs"
      mv -f "$conf/init.evcxr.$$" "$conf/init.evcxr"
      export EVCXR_CONFIG_DIR="$conf"
      export EVCXR_TMPDIR="$slot"
      break
    fi
    exec 9>&-
    n=$((n + 1))
  done
fi
exec evcxr_jupyter "$@"
