"""Benchmark: rustystats' whole `fit` process against glum's and statsmodels' fit alone.

Generates the standard synthetic data (10 N(0,1) numeric columns + 10 categoricals of 10
levels: 101 design columns), writes parquet, times `rustystats fit` end to end (process start,
data load, fit, output) and the Python peers' fit on the same in-memory design, and prints the
ratios. Usage (from the repository root, after `cargo build --release`):

    python3 tests/bench/bench.py --rows 250000 --family poisson [--statsmodels]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd


def make_data(n, family, seed=42):
    rng = np.random.default_rng(seed)
    cols = {}
    eta = np.full(n, -1.0 if family in ("poisson", "negative_binomial", "binomial") else 1.0)
    for j in range(10):
        x = rng.standard_normal(n)
        cols[f"x{j}"] = x
        eta += 0.05 * (j % 5 - 2) * x
    for j in range(10):
        g = rng.integers(0, 10, n)
        cols[f"g{j}"] = np.array([f"L{k}" for k in range(10)])[g]
        eta += 0.03 * ((g + j) % 7 - 3)
    mu = np.exp(eta)
    if family == "poisson":
        y = rng.poisson(mu)
    elif family == "negative_binomial":
        y = rng.negative_binomial(2.0, 2.0 / (2.0 + mu))
    elif family == "binomial":
        y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    elif family == "gamma":
        y = rng.gamma(2.0, mu / 2.0)
    else:
        y = eta + rng.standard_normal(n)
    cols["y"] = y.astype(float)
    return pd.DataFrame(cols)


FORMULA = "y ~ " + " + ".join([f"x{j}" for j in range(10)] + [f"C(g{j})" for j in range(10)])


def time_rustystats(path, family, binary):
    args = [binary, "fit", "--data", path, "--formula", FORMULA, "--family", family, "--format", "json"]
    if family == "negative_binomial":
        args += ["--theta", "2"]
    t = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(out.stderr)
    return dt


def design(df):
    import pandas as pd
    x = df[[f"x{j}" for j in range(10)]]
    cats = pd.get_dummies(df[[f"g{j}" for j in range(10)]], drop_first=True, dtype=float)
    return pd.concat([x, cats], axis=1)


def time_glum(df, family):
    from glum import GeneralizedLinearRegressor
    fam = {"poisson": "poisson", "gamma": "gamma", "binomial": "binomial", "gaussian": "normal",
           "negative_binomial": "negative.binomial"}[family]
    X = df[[f"x{j}" for j in range(10)] + [f"g{j}" for j in range(10)]].copy()
    for j in range(10):
        X[f"g{j}"] = X[f"g{j}"].astype("category")
    kw = {}
    if family == "negative_binomial":
        from glum import NegativeBinomialDistribution
        fam = NegativeBinomialDistribution(theta=2.0)
    m = GeneralizedLinearRegressor(family=fam, alpha=0, drop_first=True, **kw)
    t = time.perf_counter()
    m.fit(X, df["y"])
    return time.perf_counter() - t


def time_statsmodels(df, family):
    import statsmodels.api as sm
    fam = {"poisson": sm.families.Poisson(), "gamma": sm.families.Gamma(sm.families.links.Log()),
           "binomial": sm.families.Binomial(), "gaussian": sm.families.Gaussian(),
           "negative_binomial": sm.families.NegativeBinomial(alpha=0.5)}[family]
    X = sm.add_constant(design(df).to_numpy())
    t = time.perf_counter()
    sm.GLM(df["y"].to_numpy(), X, family=fam).fit()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[250_000])
    ap.add_argument("--family", nargs="+", default=["poisson"])
    ap.add_argument("--statsmodels", action="store_true")
    ap.add_argument("--binary", default="target/release/rustystats")
    a = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    for n in a.rows:
        for fam in a.family:
            df = make_data(n, fam)
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "bench.parquet")
                df.to_parquet(path)
                ours = min(time_rustystats(path, fam, a.binary) for _ in range(3))
            glum_t = min(time_glum(df, fam) for _ in range(2))
            line = f"n={n:>8} {fam:<18} rustystats fit (process) {ours:7.3f}s  glum fit {glum_t:7.3f}s  ratio {glum_t / ours:5.2f}x"
            if a.statsmodels:
                sm_t = time_statsmodels(df, fam)
                line += f"  statsmodels {sm_t:7.2f}s  ratio {sm_t / ours:5.1f}x"
            print(line, flush=True)


if __name__ == "__main__":
    main()
