"""Benchmark: rustystats' whole `fit` process against glum's and statsmodels' fit alone.

Generates the standard synthetic data (10 N(0,1) numeric columns + 10 categoricals of 10
levels: 101 design columns), writes parquet, and in the same run times

- `rustystats fit` end to end (process start, parquet load, fit, JSON output), best of 3, with
  its peak resident memory;
- glum's `GeneralizedLinearRegressor.fit` on the in-memory pandas frame (categoricals as
  pandas categories, unpenalized), best of 2;
- statsmodels' `GLM.fit` on the dense design (with --statsmodels; one run, slow);

and prints the ratios (peer time / rustystats time; above 1 means rustystats is faster). The
numeric coefficients of rustystats and glum are compared as a check that both fit the same
model. Usage, from the repository root after `cargo build --release`:

    python3 tests/bench/bench.py --rows 250000 500000 --family poisson gamma [--statsmodels]

With no arguments: every size (10k, 250k, 500k, 1M) and family (gaussian, poisson,
binomial, gamma, negative_binomial with theta = 2).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

FAMILIES = ["gaussian", "poisson", "binomial", "gamma", "negative_binomial"]
SIZES = [10_000, 250_000, 500_000, 1_000_000]
NUMERIC = [f"x{j}" for j in range(10)]
CATEGORICAL = [f"g{j}" for j in range(10)]
FORMULA = "y ~ " + " + ".join(NUMERIC + [f"C({g})" for g in CATEGORICAL])


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


def run_rustystats(path, family, binary):
    """Wall time, peak resident memory (bytes; None without /usr/bin/time) and the JSON
    summary of one `rustystats fit`."""
    args = [binary, "fit", "--data", path, "--formula", FORMULA, "--family", family,
            "--format", "json"]
    if family == "negative_binomial":
        args += ["--theta", "2"]
    if family == "gamma":
        args += ["--link", "log"]  # glum's and the benchmark's link (R's default is inverse)
    with tempfile.NamedTemporaryFile(mode="r") as mem:
        # The child's own peak memory: /usr/bin/time reads it after exec (the rusage of a
        # child forked from this Python process would count Python's memory too).
        timer = ["/usr/bin/time", "-f", "%M", "-o", mem.name] if os.path.exists("/usr/bin/time") else []
        t = time.perf_counter()
        out = subprocess.run(timer + args, capture_output=True, text=True)
        dt = time.perf_counter() - t
        if out.returncode != 0:
            sys.exit(out.stderr)
        peak = int(mem.read().split()[-1]) * 1024 if timer else None
    return dt, peak, json.loads(out.stdout)


def glum_model(df, family):
    from glum import GeneralizedLinearRegressor
    fam = {"poisson": "poisson", "gamma": "gamma", "binomial": "binomial", "gaussian": "normal",
           "negative_binomial": "negative.binomial"}[family]
    if family == "negative_binomial":
        from glum import NegativeBinomialDistribution
        # glum's `theta` is the coefficient of mu^2 in the variance (statsmodels' alpha),
        # the reciprocal of R's and rustystats' theta = 2.
        fam = NegativeBinomialDistribution(theta=0.5)
    link = "log" if family == "gamma" else "auto"
    return GeneralizedLinearRegressor(family=fam, link=link, alpha=0, drop_first=True)


def glum_frame(df):
    X = df[NUMERIC + CATEGORICAL].copy()
    for g in CATEGORICAL:
        X[g] = X[g].astype("category")
    return X


def time_glum(df, family):
    X = glum_frame(df)
    m = glum_model(df, family)
    t = time.perf_counter()
    m.fit(X, df["y"])
    return time.perf_counter() - t, m


def time_statsmodels(df, family):
    import statsmodels.api as sm
    fam = {"poisson": sm.families.Poisson(), "gamma": sm.families.Gamma(sm.families.links.Log()),
           "binomial": sm.families.Binomial(), "gaussian": sm.families.Gaussian(),
           "negative_binomial": sm.families.NegativeBinomial(alpha=0.5)}[family]
    x = df[NUMERIC]
    cats = pd.get_dummies(df[CATEGORICAL], drop_first=True, dtype=float)
    X = sm.add_constant(pd.concat([x, cats], axis=1).to_numpy())
    t = time.perf_counter()
    sm.GLM(df["y"].to_numpy(), X, family=fam).fit()
    return time.perf_counter() - t


def numeric_gap(summary, glum_fit):
    """Largest difference between the two fits' intercept and numeric coefficients."""
    ours = {c["name"]: c["estimate"] for c in summary["coefficients"]}
    theirs = [glum_fit.intercept_] + list(glum_fit.coef_[:10])
    return max(abs(ours[name] - v) for name, v in zip(["Intercept"] + NUMERIC, theirs))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=SIZES)
    ap.add_argument("--family", nargs="+", default=FAMILIES)
    ap.add_argument("--statsmodels", action="store_true")
    ap.add_argument("--binary", default="target/release/rustystats")
    a = ap.parse_args()
    import glum
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()},"
          f" glum {glum.__version__}", end="")
    if a.statsmodels:
        import statsmodels
        print(f", statsmodels {statsmodels.__version__}", end="")
    print(flush=True)
    print(f"{'rows':>9} {'family':<18} {'ours s':>7} {'peak MB':>8} {'x raw':>5} {'glum s':>7}"
          f" {'ratio':>6} {'coef gap':>9}" + (f" {'statsm. s':>9} {'ratio':>6}" if a.statsmodels else ""))
    for n in a.rows:
        for fam in a.family:
            df = make_data(n, fam)
            # The raw data: 11 numbers and 10 labels a row, 8 bytes each.
            raw = n * (len(NUMERIC) + len(CATEGORICAL) + 1) * 8
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "bench.parquet")
                df.to_parquet(path)
                runs = [run_rustystats(path, fam, a.binary) for _ in range(3)]
            ours = min(r[0] for r in runs)
            peak = max((r[1] for r in runs), default=None) if runs[0][1] else None
            glum_runs = [time_glum(df, fam) for _ in range(2)]
            glum_t = min(t for t, _ in glum_runs)
            gap = numeric_gap(runs[0][2], glum_runs[0][1])
            memory = f"{peak / 2**20:8.0f} {peak / raw:5.1f}" if peak else f"{'-':>8} {'-':>5}"
            line = f"{n:>9} {fam:<18} {ours:7.3f} {memory} {glum_t:7.3f} {glum_t / ours:5.2f}x {gap:9.1e}"
            if a.statsmodels:
                sm_t = time_statsmodels(df, fam)
                line += f" {sm_t:9.2f} {sm_t / ours:5.1f}x"
            print(line, flush=True)


if __name__ == "__main__":
    main()
