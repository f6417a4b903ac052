"""Benchmark: a 100-alpha Poisson lasso path with 5-fold cross-validation, rustystats' whole
`cv` process against glum's `GeneralizedLinearRegressorCV` fit alone, measured in one run;
and the path alone against R's glmnet (when R and glmnet are installed).

The data are bench.py's (10 N(0,1) numeric columns + 10 categoricals of 10 levels: 101 design
columns). Both tools solve the same problem: the lasso (l1_ratio = 1) without
standardization (glum's default `scale_predictors=False`; rustystats `--standardize false`),
100 alphas, 5 folds. Usage, from the repository root after
`cargo build --release && cargo build --release --example path`:

    python3 tests/bench/bench_penalized.py [--rows 250000] [--no-glmnet]

It prints each time and the ratios (peer time / rustystats time; above 1 means rustystats is
faster).
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from bench import CATEGORICAL, FORMULA, NUMERIC, glum_frame, make_data  # noqa: E402

def time_rustystats_cv(binary, path):
    args = [binary, "cv", "--data", path, "--formula", FORMULA, "--family", "poisson",
            "--l1-ratio", "1", "--standardize", "false", "--n-alphas", "100", "--folds", "5",
            "--seed", "1", "--quiet", "--format", "json"]
    t = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if out.returncode != 0:
        sys.exit(out.stderr)
    return dt


def time_rustystats_path(example, path):
    out = subprocess.run([example, path, FORMULA, "poisson", "1", "false"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    return float(out.stdout.split()[1])


def time_glum_cv(df):
    from glum import GeneralizedLinearRegressorCV
    X = glum_frame(df)
    m = GeneralizedLinearRegressorCV(family="poisson", l1_ratio=1, n_alphas=100, cv=5,
                                     drop_first=True)
    t = time.perf_counter()
    m.fit(X, df["y"])
    return time.perf_counter() - t


def time_glmnet_path(csv):
    """The path alone in R: glmnet on the model matrix (built before the clock starts)."""
    script = f"""
suppressMessages(library(glmnet))
d <- read.csv("{csv}", stringsAsFactors = TRUE)
x <- model.matrix(~ {' + '.join(NUMERIC + CATEGORICAL)}, d)[, -1]
t <- system.time(fit <- glmnet(x, d$y, family = "poisson", alpha = 1, nlambda = 100,
                               standardize = FALSE))[["elapsed"]]
cat(t, length(fit$lambda), "\\n")
"""
    out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    t, n = out.stdout.split()
    return float(t), f"{n} alphas"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=250_000)
    ap.add_argument("--no-glmnet", action="store_true")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = os.path.join(root, "target", "release", "rustystats")
    example = os.path.join(root, "target", "release", "examples", "path")
    df = make_data(args.rows, "poisson")
    with tempfile.TemporaryDirectory() as tmp:
        parquet = os.path.join(tmp, "data.parquet")
        df.to_parquet(parquet)
        ours_cv = time_rustystats_cv(binary, parquet)
        print(f"rustystats cv (path + 5 folds, whole process): {ours_cv:.2f} s", flush=True)
        glum_cv = time_glum_cv(df)
        print(f"glum GeneralizedLinearRegressorCV fit alone:    {glum_cv:.2f} s", flush=True)
        print(f"ratio glum / rustystats: {glum_cv / ours_cv:.2f}x", flush=True)
        if os.path.exists(example):
            ours_path = time_rustystats_path(example, parquet)
            print(f"rustystats path alone (100 alphas): {ours_path:.2f} s", flush=True)
            if not args.no_glmnet and shutil.which("Rscript"):
                csv = os.path.join(tmp, "data.csv")
                df.to_csv(csv, index=False)
                t, note = time_glmnet_path(csv)
                if t is None:
                    print(f"glmnet: not timed ({note})")
                else:
                    print(f"glmnet path alone ({note}): {t:.2f} s; ratio glmnet / "
                          f"rustystats: {t / ours_path:.2f}x")


if __name__ == "__main__":
    main()
