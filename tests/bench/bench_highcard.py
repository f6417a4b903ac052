"""Benchmark: factors with many levels, rustystats' whole `fit` process against glum's fit.

Cases (Poisson, numeric columns N(0,1), factor levels drawn uniformly, labels `L0`, `L1`...):

- `3x1000`: 250,000 rows, 10 numerics + 3 factors of 1,000 levels (3,008 coefficients);
- `20k`: 250,000 rows, 10 numerics + 1 factor of 20,000 levels;
- `100k`: 300,000 rows, 10 numerics + 1 factor of 100,000 levels;
- `1M`: 1,000,000 rows, 10 numerics + 10 factors of 10 levels + 1 factor of 100,000 levels.

For each case it times the whole `rustystats fit --format json` process (best of `--repeat`)
with its peak resident memory and, with `--glum`, glum's
`GeneralizedLinearRegressor(alpha=0, drop_first=True).fit` on the in-memory pandas frame in
the same run, and prints the ratio (glum's time / ours; above 1 means rustystats is faster)
and the largest coefficient difference. glum forms the dense p x p Hessian: past a few
thousand levels it runs out of memory or crashes, so `--glum` is for `3x1000`. rustystats keeps
a factor of 1,000 or more levels as a diagonal of X'WX when it has more levels than the model
has other columns (the `20k`, `100k` and `1M` cases). Usage, from the
repository root after `cargo build --release`:

    python3 tests/bench/bench_highcard.py --case 3x1000 --glum
    python3 tests/bench/bench_highcard.py --case 20k 100k 1M
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

# name: (rows, [levels of each factor])
CASES = {
    "3x1000": (250_000, [1000, 1000, 1000]),
    "20k": (250_000, [20_000]),
    "100k": (300_000, [100_000]),
    "1M": (1_000_000, [10] * 10 + [100_000]),
}
NUMERIC = [f"x{j}" for j in range(10)]


def make_data(n, levels, seed=7):
    rng = np.random.default_rng(seed)
    cols = {}
    eta = np.full(n, -1.5)
    for j, name in enumerate(NUMERIC):
        x = rng.standard_normal(n)
        cols[name] = x
        eta += 0.05 * (j % 5 - 2) * x
    for j, nl in enumerate(levels):
        g = rng.integers(0, nl, n)
        effect = 0.3 * rng.standard_normal(nl)
        eta += effect[g]
        labels = np.array([f"L{k}" for k in range(nl)])
        cols[f"f{j}"] = pd.Categorical(labels[g], categories=labels)
    cols["y"] = rng.poisson(np.exp(eta)).astype(float)
    return pd.DataFrame(cols)


def formula(levels):
    return "y ~ " + " + ".join(NUMERIC + [f"C(f{j})" for j in range(len(levels))])


def run_rustystats(path, levels, binary):
    """Wall time, peak resident memory (bytes) and the JSON summary of one fit."""
    args = [binary, "fit", "--data", path, "--formula", formula(levels), "--family", "poisson",
            "--format", "json"]
    with tempfile.NamedTemporaryFile(mode="r") as mem:
        timer = ["/usr/bin/time", "-f", "%M", "-o", mem.name]
        t = time.perf_counter()
        out = subprocess.run(timer + args, capture_output=True, text=True)
        dt = time.perf_counter() - t
        if out.returncode != 0:
            sys.exit(f"rustystats failed after {dt:.1f} s:\n{out.stderr}")
        peak = int(mem.read().split()[-1]) * 1024
    return dt, peak, json.loads(out.stdout)


def time_glum(df, levels):
    from glum import GeneralizedLinearRegressor
    names = NUMERIC + [f"f{j}" for j in range(len(levels))]
    m = GeneralizedLinearRegressor(family="poisson", alpha=0, drop_first=True)
    t = time.perf_counter()
    m.fit(df[names], df["y"])
    return time.perf_counter() - t, m


def coefficient_gap(summary, m):
    """Largest difference between the fits' intercepts and numeric coefficients."""
    ours = {c["name"]: c["estimate"] for c in summary["coefficients"]}
    theirs = [m.intercept_] + list(m.coef_[: len(NUMERIC)])
    return max(abs(ours[k] - v) for k, v in zip(["Intercept"] + NUMERIC, theirs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--case", nargs="+", default=list(CASES), choices=list(CASES))
    ap.add_argument("--glum", action="store_true")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--binary", default="target/release/rustystats")
    a = ap.parse_args()
    print(f"{'case':>7} {'rows':>9} {'coefs':>7} {'ours s':>7} {'peak MB':>8} {'iters':>5}"
          + (f" {'glum s':>7} {'ratio':>6} {'coef gap':>9}" if a.glum else ""), flush=True)
    for case in a.case:
        n, levels = CASES[case]
        df = make_data(n, levels)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "highcard.parquet")
            df.to_parquet(path)
            runs = [run_rustystats(path, levels, a.binary) for _ in range(a.repeat)]
        ours = min(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        s = runs[0][2]
        line = (f"{case:>7} {n:>9} {len(s['coefficients']):>7} {ours:7.2f} {peak / 2**20:8.0f}"
                f" {s.get('iterations', '-'):>5}")
        if a.glum:
            t, m = time_glum(df, levels)
            line += f" {t:7.2f} {t / ours:5.2f}x {coefficient_gap(s, m):9.1e}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
