# Reference cases for penalized fits (issue #15), made with R's glmnet (Debian r-cran-glmnet
# 4.1) and polished to the exact optimum. Run from the repository root:
#   Rscript tests/r/make_glmnet_refs.R
# It writes tests/fixtures/glmnet/data.csv and tests/fixtures/glmnet/cases.json, which
# tests/integration/penalized.rs compares against.
#
# glmnet stops up to ~5e-6 from its own optimum even with thresh = 1e-14, so each answer is
# polished: Newton steps on glmnet's nonzero coefficients, signs fixed, until the gradient of
# the penalized objective is below 1e-13; then the KKT conditions of the zero coefficients are
# checked (|score_j| <= lambda * alpha * v_j). The objective, in glmnet's conventions:
#   (1 / (2 W)) sum_i w_i d_i + lambda * sum_j [alpha v_j |b_j| + (1 - alpha) / 2 u_j b_j^2]
# with W = sum w, penalty factors pf rescaled to sum to the number of columns, v_j = pf_j s_j,
# u_j = pf_j s_j^2 (s_j the column's weighted sd with divisor W when standardize = TRUE, else
# 1), and, for the Gaussian family only, u_j divided by the response's weighted sd (glmnet
# fits y / sd(y) with lambda / sd(y)).
suppressMessages({ library(glmnet); library(jsonlite) })
out <- "tests/fixtures/glmnet/"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

set.seed(20261203)
n <- 1500
d <- data.frame(
  x1 = rnorm(n), x2 = rnorm(n, sd = 3), x3 = runif(n, 0, 10),
  x4 = rnorm(n, mean = 2, sd = 0.3), x5 = rnorm(n), x6 = rexp(n),
  g = sample(c("a", "b", "c", "d", "e"), n, replace = TRUE),
  expo = runif(n, 0.2, 1), w = runif(n, 0.5, 2))
d$x5 <- d$x5 + 0.6 * d$x1  # correlated columns
gi <- match(d$g, c("a", "b", "c", "d", "e"))
eta <- 0.4 * d$x1 - 0.1 * d$x2 + 0.05 * d$x3 + c(0, 0.3, -0.2, 0.1, 0)[gi]
d$yg <- 1 + eta + rnorm(n)
d$yp <- rpois(n, d$expo * exp(-1 + eta))
d$yb <- rbinom(n, 1, plogis(-0.3 + eta))
d$fold <- sample(rep(1:5, length.out = n))  # cv.glmnet's way of drawing fold ids
write.csv(d, paste0(out, "data.csv"), row.names = FALSE)

x <- model.matrix(~ x1 + x2 + x3 + x4 + x5 + x6 + g, d)[, -1]
# Column names as rustystats writes them, in the same order.
names_rs <- c("Intercept", "x1", "x2", "x3", "x4", "x5", "x6", "g[b]", "g[c]", "g[d]", "g[e]")
formula_rs <- "~ x1 + x2 + x3 + x4 + x5 + x6 + C(g)"
p <- ncol(x)

# The polished optimum of one glmnet answer (intercept first).
polish <- function(b, y, w, off, family, lambda, alpha, v, u) {
  W <- sum(w)
  X <- cbind(1, x)
  pen_l1 <- c(0, lambda * alpha * v)
  pen_l2 <- c(0, lambda * (1 - alpha) * u)
  act <- c(TRUE, b[-1] != 0)
  s <- sign(b)
  mean_fun <- switch(family, gaussian = identity, poisson = exp, binomial = plogis)
  var_fun <- switch(family, gaussian = function(m) rep(1, length(m)), poisson = identity,
                    binomial = function(m) m * (1 - m))
  for (it in 1:100) {
    mu <- mean_fun(drop(X %*% b) + off)
    score <- drop(crossprod(X, w * (y - mu))) / W  # minus the gradient of the deviance part
    grad <- -score + pen_l1 * s + pen_l2 * b
    if (max(abs(grad[act])) < 1e-13) break
    H <- crossprod(X[, act, drop = FALSE], w * var_fun(mu) * X[, act, drop = FALSE]) / W +
      diag(pen_l2[act], sum(act))
    b[act] <- b[act] - solve(H, grad[act])
  }
  mu <- mean_fun(drop(X %*% b) + off)
  score <- drop(crossprod(X, w * (y - mu))) / W
  kkt <- max(c(0, abs(score[!act]) - pen_l1[!act]))
  stopifnot(all(sign(b[act][-1]) == s[act][-1]))
  list(b = b, gradient = max(abs((-score + pen_l1 * s + pen_l2 * b)[act])), kkt = kkt)
}

wsd <- function(z, w) { w <- w / sum(w); m <- sum(w * z); sqrt(sum(w * (z - m)^2)) }

cases <- list()
add_case <- function(name, family, alpha, standardize, pf = rep(1, p), weighted = FALSE,
                     cv = FALSE) {
  y <- switch(family, gaussian = d$yg, poisson = d$yp, binomial = d$yb)
  off <- if (family == "poisson") log(d$expo) else rep(0, n)
  w <- if (weighted) d$w else rep(1, n)
  args <- list(x = x, y = y, family = family, alpha = alpha, standardize = standardize,
               penalty.factor = pf, weights = w, thresh = 1e-14, maxit = 1e7)
  if (family == "poisson") args$offset <- off
  path <- do.call(glmnet, args)
  lambdas <- path$lambda[c(5, 20, 45)]
  fit <- do.call(glmnet, c(args, list(lambda = lambdas)))
  pfs <- pf * p / sum(pf)
  s <- if (standardize) apply(x, 2, wsd, w = w) else rep(1, p)
  v <- pfs * s
  u <- pfs * s^2
  if (family == "gaussian") u <- u / wsd(y, w)
  fits <- lapply(seq_along(lambdas), function(k) {
    raw <- as.numeric(coef(fit)[, k])
    pol <- polish(raw, y, w, off, family, lambdas[k], alpha, v, u)
    list(alpha = lambdas[k], glmnet = raw, polished = pol$b, gradient = pol$gradient,
         kkt = pol$kkt)
  })
  cvres <- NULL
  if (cv) {
    # cv.glmnet with the fold ids and the full data's alphas; its answers are glmnet's own (not
    # polished), so cv_mean carries glmnet's ~1e-6 stopping error.
    cvf <- do.call(cv.glmnet, c(args, list(lambda = path$lambda, foldid = d$fold,
                                           grouped = TRUE)))
    cvres <- list(alphas = cvf$lambda, cv_mean = cvf$cvm, cv_se = cvf$cvsd,
                  alpha_min = cvf$lambda.min, alpha_1se = cvf$lambda.1se)
  }
  cases[[name]] <<- list(
    cv = cvres,
    family = family, l1_ratio = alpha, standardize = standardize,
    response = switch(family, gaussian = "yg", poisson = "yp", binomial = "yb"),
    offset = if (family == "poisson") "log(expo)" else NULL,
    weights = if (weighted) "w" else NULL,
    formula = paste0(switch(family, gaussian = "yg", poisson = "yp", binomial = "yb"), " ",
                     formula_rs),
    penalty_factors = pf,  # one per column of x (the design without the intercept)
    names = names_rs, fits = fits,
    # glmnet's default path (it may stop before 100 alphas); fits are at its 5th, 20th, 45th.
    path_alphas = path$lambda, path_at = c(5, 20, 45),
    r_call = paste0("glmnet(x, y, family = '", family, "', alpha = ", alpha,
                    ", standardize = ", standardize, if (weighted) ", weights = w" else "",
                    if (family == "poisson") ", offset = log(expo)" else "",
                    ", penalty.factor = pf, lambda = <3 values of the default path>, ",
                    "thresh = 1e-14), then polished"))
}

for (fam in c("gaussian", "poisson", "binomial")) {
  for (a in c(1, 0.5, 0)) {
    for (st in c(TRUE, FALSE)) {
      add_case(sprintf("%s_l1_%s_%s", fam, a, if (st) "std" else "raw"), fam, a, st,
               cv = (a == 1 && st) || (a == 0.5 && !st))
    }
  }
}
# A penalty factor of 0 (x3 unpenalized), uneven factors (rescaled by glmnet), weights.
pf <- c(1, 1, 0, 2, 1, 1, 0.5, 0.5, 0.5, 0.5)
add_case("poisson_factors", "poisson", 1, TRUE, pf = pf)
add_case("gaussian_factors", "gaussian", 0.5, TRUE, pf = pf)
add_case("binomial_factors_weights", "binomial", 0.5, TRUE, pf = pf, weighted = TRUE)
add_case("poisson_weights_ridge", "poisson", 0, TRUE, weighted = TRUE, cv = TRUE)

writeLines(toJSON(list(
  provenance = paste0("R ", R.version$major, ".", R.version$minor, ", glmnet ",
                      packageVersion("glmnet"), "; tests/r/make_glmnet_refs.R"),
  cases = cases), digits = NA, auto_unbox = TRUE, pretty = TRUE),
  paste0(out, "cases.json"))
worst <- max(unlist(lapply(cases, function(cs) sapply(cs$fits, function(f) max(f$gradient, f$kkt)))))
cat("cases:", length(cases), " worst gradient / KKT violation:", worst, "\n")
dev <- max(unlist(lapply(cases, function(cs) sapply(cs$fits, function(f)
  max(abs(f$glmnet - f$polished) / pmax(abs(f$polished), 1e-3))))))
cat("largest glmnet - polished (relative):", dev, "\n")
