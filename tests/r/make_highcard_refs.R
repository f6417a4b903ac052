# Reference fits for a factor with many levels (the solver keeps its levels as a diagonal of
# X'WX from 1,000 levels on), made with R (Debian r-base-core 4.2, jsonlite). Run from the
# repository root:
#   Rscript tests/r/make_highcard_refs.R
# It writes tests/fixtures/r_highcard/data.csv (synthetic data, generated here) and
# cases.json; tests/integration/highcard.rs compares against them.
#
# The data: 6,000 rows, a factor `g` of 1,100 levels (at least 3 rows each), a 4-level
# factor `a`, two numerics, an exposure; `gattr`, a number fixed within each level of `g`, and
# `region`, a factor of 12 levels nested in `g`: after `C(g)` in a formula both are linear
# combinations of its columns, so R marks them aliased (NA) in order, as our fit must.
suppressMessages(library(jsonlite))
out <- "tests/fixtures/r_highcard/"
set.seed(20261203)
n <- 6000
L <- 1100
gi <- sample(c(rep(seq_len(L), 3), sample.int(L, n - 3 * L, replace = TRUE)))
g <- sprintf("G%04d", gi)
region <- sprintf("R%02d", (gi - 1) %/% 100 + 1)
gattr <- round(sin(gi) * 2, 6)
a <- sample(c("a1", "a2", "a3", "a4"), n, replace = TRUE)
x1 <- round(rnorm(n), 6)
x2 <- round(runif(n, -1, 1), 6)
expo <- round(runif(n, 0.2, 1.5), 6)
effect <- rnorm(L, sd = 0.3)
eta <- 1.5 + 0.2 * x1 - 0.3 * x2 + effect[gi] + c(a1 = 0, a2 = 0.1, a3 = -0.2, a4 = 0.3)[a]
y <- rpois(n, expo * exp(eta))
cost <- round(rgamma(n, shape = 2, rate = 2 / exp(eta)), 6)
w <- sample(1:3, n, replace = TRUE)
d <- data.frame(y, cost, w, g, region, gattr, a, x1, x2, expo)
write.csv(d, paste0(out, "data.csv"), row.names = FALSE)
d <- read.csv(paste0(out, "data.csv"), stringsAsFactors = FALSE)

# R's glm decides aliasing with its QR at tolerance min(1e-7, epsilon / 1000): at the tight
# epsilon of the reference fits that is 1e-16, which keeps exactly dependent columns. So the
# aliased columns come from the fit with R's default control, and the reference numbers from
# glm.fit on the kept columns with epsilon 1e-13, started there (the null deviance from glm,
# which refits the intercept with the offset; glm.fit alone leaves the offset out of it).
tight <- glm.control(epsilon = 1e-13, maxit = 100)
# `start`: the Gamma fit from R's default start (the responses as means) steps out of range;
# it starts from the least-squares fit of the log response instead (the optimum does not
# depend on it).
# Newton's method on a Gamma log-link fit's log-likelihood: score X'(w (y / mu - 1)),
# observed information X' diag(w y / mu) X.
polish_gamma_log <- function(x, y, w, beta) {
  for (k in 1:4) {
    mu <- exp(drop(x %*% beta))
    score <- crossprod(x, w * (y / mu - 1))
    info <- crossprod(x * sqrt(w * y / mu))
    beta <- beta + drop(solve(info, score))
  }
  beta
}
case <- function(name, formula, r_formula, family, fam, weights = NULL, start = NULL) {
  m0 <- glm(as.formula(r_formula), family = fam, data = d, weights = weights, start = start)
  keep <- !is.na(coef(m0))
  x <- model.matrix(m0)[, keep, drop = FALSE]
  m <- glm.fit(x, m0$y, weights = m0$prior.weights, offset = m0$offset, family = fam,
               start = coef(m0)[keep], control = tight)
  stopifnot(m$converged)
  if (family == "gamma_log") {
    # Fisher scoring converges linearly with a non-canonical link, and R's deviance rule
    # stops it ~3e-7 standard errors short of the optimum even at epsilon 1e-13: polish
    # with Newton steps on the observed information (quadratic), then one scoring step
    # there gives R's numbers (its covariance from the weights at the optimum).
    beta <- polish_gamma_log(x, m0$y, m0$prior.weights, coef(m))
    m <- suppressWarnings(glm.fit(x, m0$y, weights = m0$prior.weights, family = fam,
                                  start = beta, control = glm.control(epsilon = 1e-13, maxit = 1)))
  }
  class(m) <- c("glm", "lm")
  s <- summary(m)
  co <- rep(NA, length(keep))
  se <- rep(NA, length(keep))
  co[keep] <- coef(m)
  se[keep] <- s$coefficients[, 2]
  list(name = name, formula = formula, family = family, weights = !is.null(weights),
       r_call = paste0("glm(", r_formula, ", family = ", family, ")"),
       coef_names = names(coef(m0)), coefficients = co, std_errors = se,
       aliased = unname(!keep), deviance = m$deviance, null_deviance = m0$null.deviance,
       dispersion = s$dispersion, aic = m$aic,
       df_residual = m$df.residual, nobs = sum(m$prior.weights != 0))
}
cases <- list(
  case("poisson_1100_levels",
       "y ~ x1 + C(g) + x2 + C(a) + gattr + C(region) + offset(log(expo))",
       "y ~ x1 + factor(g) + x2 + factor(a) + gattr + factor(region) + offset(log(expo))",
       "poisson", poisson()),
  case("gamma_log_1100_levels_weighted",
       "cost ~ x1 + C(g) + x2 + C(a)",
       "cost ~ x1 + factor(g) + x2 + factor(a)",
       "gamma_log", Gamma(link = "log"), weights = d$w,
       start = coef(lm(log(cost) ~ x1 + factor(g) + x2 + factor(a), data = d, weights = w)))
)
writeLines(toJSON(list(
  source = "tests/r/make_highcard_refs.R", r_version = R.version.string, cases = cases),
  auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
  paste0(out, "cases.json"))
