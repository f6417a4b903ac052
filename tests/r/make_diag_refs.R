# Reference values for rustystats' diagnostics, made with R (Debian r-base-core 4.2, MASS,
# splines, jsonlite). Run from the repository root:
#   Rscript tests/r/make_diag_refs.R
# It writes tests/fixtures/r_diag/diagnostics.json; tests/integration/diagnostics.rs compares against it.
#
# The binned diagnostics (lift, double lift, calibration, Lorenz / Gini) are computed here
# from their documented definitions (see crate/src/diagnostics/), independently of the Rust
# code, on R's own fitted values:
#   * equal-weight bins: rows with weight > 0 sorted by the key; rows with equal keys (up to a
#     relative 1e-10) form one group; a group goes to bin floor(B * m / W) + 1 (capped at B), where m is the weight
#     before the group plus half the group's weight and W the total weight;
#   * Gini (ordered Lorenz): rows sorted by predicted rate ascending, tied rates pooled; the
#     curve joins (0, 0) and the cumulative (exposure share, actual share) after each group;
#     Gini = 1 - 2 * (area under the curve by the trapezoid rule);
#   * A/E interval: (A -/+ z sqrt(E)) / E with z = qnorm(0.975), the lower end floored at 0;
#   * calibration interval: mean actual -/+ z sqrt(sum w * phi * V(mu)) / sum w.
suppressMessages({ library(MASS); library(splines); library(jsonlite) })
dd <- "tests/fixtures/refs/data/"
rd <- function(f) read.csv(paste0(dd, f), stringsAsFactors = FALSE)
ctrl <- glm.control(epsilon = 1e-13, maxit = 500)
z <- qnorm(0.975)

resid4 <- function(fit) list(
  response = unname(residuals(fit, type = "response")),
  pearson = unname(residuals(fit, type = "pearson")),
  deviance = unname(residuals(fit, type = "deviance")),
  working = unname(residuals(fit, type = "working")))

# Tie groups: keys equal up to a relative 1e-10 of the group's smallest key are one group
# (rates computed as expected / exposure carry rounding noise). Returns a group id per row.
tie_group <- function(key) {
  u <- sort(unique(key))
  id <- integer(length(u)); g <- 0L; first <- NA
  for (i in seq_along(u)) {
    if (is.na(first) || abs(u[i] - first) > 1e-10 * max(abs(u[i]), abs(first))) {
      g <- g + 1L; first <- u[i]
    }
    id[i] <- g
  }
  id[match(key, u)]
}

equal_weight_bins <- function(key, w, B) {
  W <- sum(w[w > 0])
  bin <- rep(NA_integer_, length(key))
  grp <- tie_group(key)
  keys <- sort(unique(grp[w > 0]))
  before <- 0
  for (k in keys) {
    rows <- which(grp == k & w > 0)
    g <- sum(w[rows])
    m <- before + g / 2
    bin[rows] <- min(floor(B * m / W), B - 1) + 1
    before <- before + g
  }
  bin
}

lift_table <- function(actual, expected, exposure, B) {
  rate <- expected / exposure
  bin <- equal_weight_bins(rate, exposure, B)
  A <- sum(actual); E <- sum(expected); X <- sum(exposure)
  out <- list()
  for (b in sort(unique(bin))) {
    r <- which(bin == b)
    xa <- sum(exposure[r]); a <- sum(actual[r]); e <- sum(expected[r])
    out[[length(out) + 1]] <- list(bin = b, exposure = xa, actual = a, expected = e,
      actual_rel = (a / xa) / (A / X), expected_rel = (e / xa) / (E / X))
  }
  out
}

gini <- function(actual, pred_rate, exposure) {
  grp <- tie_group(pred_rate)
  keys <- sort(unique(grp))
  ca <- c(0, cumsum(sapply(keys, function(k) sum(actual[grp == k]))))
  cx <- c(0, cumsum(sapply(keys, function(k) sum(exposure[grp == k]))))
  x <- cx / sum(exposure); y <- ca / sum(actual)
  area <- sum(diff(x) * (head(y, -1) + tail(y, -1)) / 2)
  1 - 2 * area
}

out <- list(provenance = paste("Made by tests/r/make_diag_refs.R with", R.version.string,
  "(MASS", as.character(packageVersion("MASS")), ") on", format(Sys.Date())))

# --- Poisson claim frequency on MASS::Insurance (the CSV copy), offset log(Holders).
ins <- rd("mass_insurance.csv")
ins$District <- factor(ins$District)
ins$Group <- factor(ins$Group, levels = c("<1l", "1-1.5l", "1.5-2l", ">2l"))
ins$Age <- factor(ins$Age, levels = c("<25", "25-29", "30-35", ">35"))
f <- glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(),
         data = ins, control = ctrl)
mu <- unname(fitted(f))
one_way <- function(mu) {
  ae <- list()
  for (lv in levels(ins$Age)) {
    r <- ins$Age == lv
    A <- sum(ins$Claims[r]); E <- sum(mu[r]); X <- sum(ins$Holders[r])
    ae[[length(ae) + 1]] <- list(level = lv, exposure = X, actual = A, expected = E,
      actual_rate = A / X, expected_rate = E / X, ae = A / E,
      ae_low = max(0, (A - z * sqrt(E)) / E), ae_high = (A + z * sqrt(E)) / E)
  }
  ae
}
# A second "model" for the double lift: Age left out.
f2 <- glm(Claims ~ District + Group + offset(log(Holders)), family = poisson(), data = ins,
          control = ctrl)
mu2 <- unname(fitted(f2))
ratio <- mu / mu2
dbin <- equal_weight_bins(ratio, ins$Holders, 5)
dl <- list()
X <- sum(ins$Holders)
for (b in sort(unique(dbin))) {
  r <- which(dbin == b)
  xa <- sum(ins$Holders[r])
  dl[[length(dl) + 1]] <- list(bin = b, exposure = xa,
    actual_rel = (sum(ins$Claims[r]) / xa) / (sum(ins$Claims) / X),
    a_rel = (sum(mu[r]) / xa) / (sum(mu) / X),
    b_rel = (sum(mu2[r]) / xa) / (sum(mu2) / X))
}
# Calibration: bins of mu weighted by the prior weights (1), Poisson variance mu (phi = 1).
cbin <- equal_weight_bins(mu, rep(1, length(mu)), 8)
cal <- list()
for (b in sort(unique(cbin))) {
  r <- which(cbin == b)
  n <- length(r); ma <- mean(ins$Claims[r]); mp <- mean(mu[r])
  se <- sqrt(sum(mu[r])) / n
  cal[[length(cal) + 1]] <- list(bin = b, weight = n, mean_predicted = mp, mean_actual = ma,
    ae = ma / mp, low = ma - z * se, high = ma + z * se)
}
rate <- mu / ins$Holders
qq <- qqnorm(residuals(f, type = "deviance"), plot.it = FALSE)
dres <- residuals(f, type = "deviance")
qy <- quantile(dres, c(0.25, 0.75), names = FALSE); qx <- qnorm(c(0.25, 0.75))
slope <- diff(qy) / diff(qx)
tied <- round(rate, 2)
out$insurance <- list(
  data = "mass_insurance.csv",
  r_call = paste(deparse(f$call), collapse = " "),
  formula = "Claims ~ C(District) + C(Group, ref=\"<1l\") + C(Age, ref=\"<25\")",
  formula_b = "Claims ~ C(District) + C(Group, ref=\"<1l\")",
  exposure = "Holders",
  mu = mu, mu_b = mu2, deviance = f$deviance,
  pearson_chi2 = sum(residuals(f, type = "pearson")^2),
  residuals = resid4(f),
  one_way_age = one_way(mu),
  one_way_age_b = one_way(mu2),
  lift_10 = lift_table(ins$Claims, mu, ins$Holders, 10),
  double_lift_5 = dl,
  calibration_8 = cal,
  gini = gini(ins$Claims, rate, ins$Holders),
  tied_rate = tied,
  # The key as the Rust code forms it (expected / exposure), so the ties are the same.
  gini_tied = gini(ins$Claims, tied * ins$Holders / ins$Holders, ins$Holders),
  lift_tied_4 = lift_table(ins$Claims, tied * ins$Holders, ins$Holders, 4),
  qq_theoretical = qq$x, qq_line = list(intercept = qy[1] - slope * qx[1], slope = slope))

# --- Prior weights (Poisson) and a Gamma model: residuals of all kinds.
insw <- ins; insw$w <- as.numeric(insw$District)
fw <- glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(),
          data = insw, weights = w, control = ctrl)
out$insurance_weighted <- list(data = "mass_insurance.csv", weights_expr = "District",
  r_call = paste(deparse(fw$call), collapse = " "), deviance = fw$deviance,
  residuals = resid4(fw))
scot <- rd("scotland.csv")
fg <- glm(YES ~ COUTAX + UNEMPF + ACT, family = Gamma(link = "log"), data = scot, control = ctrl)
out$gamma_scotland <- list(data = "scotland.csv", formula = "YES ~ COUTAX + UNEMPF + ACT",
  r_call = paste(deparse(fg$call), collapse = " "), deviance = fg$deviance,
  residuals = resid4(fg))

# --- Partial effect of a natural spline: the ns() columns times their coefficients on a
# grid over the training range, with sqrt(diag(B V B')) as the standard error.
fs <- glm(YES ~ ns(COUTAX, df = 3) + UNEMPF, family = Gamma(link = "log"), data = scot,
          control = ctrl)
grid <- seq(min(scot$COUTAX), max(scot$COUTAX), length.out = 7)
B <- predict(ns(scot$COUTAX, df = 3), grid)
cols <- 2:4
V <- vcov(fs)[cols, cols]
out$partial_ns <- list(data = "scotland.csv", formula = "YES ~ ns(COUTAX, df=3) + UNEMPF",
  r_call = paste(deparse(fs$call), collapse = " "), grid = grid,
  fit = as.vector(B %*% coef(fs)[cols]), se = sqrt(rowSums((B %*% V) * B)))

out$ppoints <- list(n5 = ppoints(5), n64 = ppoints(64), n11 = ppoints(11))

dir.create("tests/fixtures/r_diag", showWarnings = FALSE, recursive = TRUE)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "tests/fixtures/r_diag/diagnostics.json")
