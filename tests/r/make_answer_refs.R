# Reference cases for results that used to be silently wrong (issue #20), made with R (Debian
# r-base-core 4.2, MASS, sandwich, splines, jsonlite). Run from the repository root:
#   Rscript tests/r/make_answer_refs.R
# It writes tests/fixtures/r_answers/cases.json and the small data sets next to it;
# tests/integration/answers.rs compares against them (the cluster-count rule itself is unit-tested
# in crate/src/inference/robust.rs, where a cluster score sum can be made exactly 0).
suppressMessages({ library(MASS); library(sandwich); library(splines); library(jsonlite) })
out <- "tests/fixtures/r_answers/"
dd <- "tests/fixtures/refs/data/"
ctrl <- glm.control(epsilon = 1e-13, maxit = 500)
# R's warnings of a call, and its value.
warned <- function(expr) {
  w <- character(0)
  v <- withCallingHandlers(expr, warning = function(c) {
    w <<- c(w, conditionMessage(c)); invokeRestart("muffleWarning")
  })
  list(value = v, warnings = unique(w))
}
num <- function(x) if (is.finite(x)) x else as.character(x)  # Inf / -Inf as text in JSON
lik <- function(f) list(coefficients = unname(coef(f)), deviance = f$deviance,
                        loglik = num(as.numeric(logLik(f))), aic = num(AIC(f)), bic = num(BIC(f)))
cases <- list()

# 1. Log-likelihood and AIC with a response that is not a whole number.
fre <- read.csv(paste0(dd, "fremtpl_mini.csv"), stringsAsFactors = FALSE)
fre$rate <- fre$ClaimNb / fre$Exposure
r <- warned(glm(rate ~ Area + log(BonusMalus), family = poisson(), data = fre,
                weights = Exposure, control = ctrl))
cases$poisson_rate <- c(list(
  r_call = "glm(ClaimNb / Exposure ~ Area + log(BonusMalus), family = poisson(), weights = Exposure)",
  data = "fremtpl_mini.csv", formula = "ClaimNb / Exposure ~ C(Area) + log(BonusMalus)",
  weights = "Exposure", r_warning = r$warnings[1]), lik(r$value))
r <- warned(glm(rate ~ Area + log(BonusMalus), family = negative.binomial(2), data = fre,
                weights = Exposure, control = ctrl))
cases$negbin_fixed_rate <- c(list(
  r_call = "glm(ClaimNb / Exposure ~ Area + log(BonusMalus), family = negative.binomial(2), weights = Exposure)",
  data = "fremtpl_mini.csv", formula = "ClaimNb / Exposure ~ C(Area) + log(BonusMalus)",
  weights = "Exposure", theta = 2, r_warnings = length(r$warnings)), lik(r$value))
r <- warned(glm.nb(rate ~ Area + log(BonusMalus), data = fre, weights = Exposure,
                   control = ctrl))
cases$negbin_ml_rate <- c(list(
  r_call = "glm.nb(ClaimNb / Exposure ~ Area + log(BonusMalus), weights = Exposure)",
  note = "glm.nb's warnings come from its initial Poisson fit (dpois); its own likelihood uses lgamma",
  data = "fremtpl_mini.csv", formula = "ClaimNb / Exposure ~ C(Area) + log(BonusMalus)",
  weights = "Exposure", theta_ml = r$value$theta), lik(r$value))
star <- read.csv(paste0(dd, "star98.csv"), stringsAsFactors = FALSE)
star$w <- star$NTOTAL + 0.5
r <- warned(glm(PROP ~ LOWINC + PERASIAN, family = binomial(), data = star, weights = w,
                control = ctrl))
cases$binomial_noninteger <- c(list(
  r_call = "glm(PROP ~ LOWINC + PERASIAN, family = binomial(), weights = NTOTAL + 0.5)",
  data = "star98.csv", formula = "PROP ~ LOWINC + PERASIAN", weights = "NTOTAL + 0.5",
  r_warning = r$warnings[1]), lik(r$value))

# 2. Cluster-robust covariance: G counts every cluster (sandwich::vcovCL, type HC1).
cl <- data.frame(y = c(1, 3, 2, 5, 0, 0), g = c("a", "a", "b", "b", "c", "c"),
                 x = c(0.5, 1.2, 2.1, 0.3, 1.7, 2.4), cl = c("a", "a", "b", "b", "c", "c"))
write.csv(cl, paste0(out, "cluster.csv"), row.names = FALSE, quote = FALSE)
f <- glm(y ~ g + x, family = poisson(), data = cl, control = glm.control(epsilon = 1e-14, maxit = 100))
cases$cluster_level_without_events <- list(
  r_call = "glm(y ~ g + x, family = poisson()); vcovCL(f, cluster = ~ cl, type = 'HC1')",
  data = "cluster.csv", formula = "y ~ C(g) + x", cluster = "cl",
  coef_names = names(coef(f)), coefficients = unname(coef(f)),
  cluster_std_errors = unname(sqrt(diag(vcovCL(f, cluster = ~ cl, type = "HC1")))),
  estfun_cluster_sums = unname(rowsum(estfun(f), cl$cl)[, "x"]))
# A singleton cluster and a cluster of zero-weight rows: sandwich counts zero-weight rows in
# its n (bread and meat), which scales the result; rustystats treats them as not observed,
# i.e. as the fit without them (whose vcovCL is the reference).
cz <- data.frame(y = c(1, 3, 2, 5, 0, 4, 2, 3, 1), x = c(0.5, 1.2, 2.1, 0.3, 1.7, 2.4, 1.1, 0.9, 1.4),
                 cl = c("a", "a", "b", "b", "c", "c", "d", "e", "e"), w = c(1, 1, 1, 1, 1, 1, 1, 0, 0))
write.csv(cz, paste0(out, "cluster_weights.csv"), row.names = FALSE, quote = FALSE)
fw <- glm(y ~ x, family = poisson(), data = cz, weights = w, control = ctrl)
fd <- glm(y ~ x, family = poisson(), data = cz[cz$w > 0, ], control = ctrl)
cases$cluster_singleton_and_zero_weight <- list(
  r_call = "vcovCL(glm(y ~ x, poisson, data = cz[cz$w > 0, ]), cluster = ~ cl, type = 'HC1')",
  data = "cluster_weights.csv", formula = "y ~ x", cluster = "cl", weights = "w",
  cluster_std_errors = unname(sqrt(diag(vcovCL(fd, cluster = ~ cl, type = "HC1")))),
  sandwich_with_zero_weight_rows = unname(sqrt(diag(vcovCL(fw, cluster = ~ cl, type = "HC1")))))

# 4. HC2 / HC3 with a row of leverage 1 (the only row of level c).
hd <- data.frame(y = c(2, 0, 3, 1, 5, 2, 4, 3), x = c(0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5),
                 g = c("a", "b", "a", "b", "b", "a", "b", "c"))
write.csv(hd, paste0(out, "leverage_one.csv"), row.names = FALSE, quote = FALSE)
f <- glm(y ~ x + g, family = poisson(), data = hd, control = ctrl)
r3 <- warned(sqrt(diag(vcovHC(f, type = "HC3"))))
cases$hc3_leverage_one <- list(
  r_call = "vcovHC(glm(y ~ x + g, family = poisson()), type = 'HC0' / 'HC3')",
  data = "leverage_one.csv", formula = "y ~ x + C(g)", hat = unname(hatvalues(f)),
  hc0_std_errors = unname(sqrt(diag(vcovHC(f, type = "HC0")))),
  hc3_std_errors = unname(ifelse(is.nan(r3$value), "NaN", r3$value)), r_warning = r3$warnings[1])

# 3. Prediction beyond a spline's boundary knots.
f <- glm(ClaimNb ~ bs(DrivAge, df = 5) + offset(log(Exposure)), family = poisson(), data = fre, control = ctrl)
new <- data.frame(DrivAge = c(30, 120, 60, 17), Exposure = 1)
rb <- warned(predict(f, new, type = "response"))
g <- glm(ClaimNb ~ ns(DrivAge, df = 4) + offset(log(Exposure)), family = poisson(), data = fre, control = ctrl)
rn <- warned(predict(g, new, type = "response"))
cases$spline_extrapolation <- list(
  r_call = "predict(glm(ClaimNb ~ bs(DrivAge, df = 5) + offset(log(Exposure)), poisson), newdata)",
  data = "fremtpl_mini.csv", new_drivage = new$DrivAge, boundary = range(fre$DrivAge),
  bs_formula = "ClaimNb ~ bs(DrivAge, df=5)", bs_predictions = unname(rb$value), bs_warning = rb$warnings[1],
  ns_formula = "ClaimNb ~ ns(DrivAge, df=4)", ns_predictions = unname(rn$value), ns_warnings = length(rn$warnings))

writeLines(toJSON(list(
  provenance = paste("Made by tests/r/make_answer_refs.R with", R.version.string,
                     "MASS", as.character(packageVersion("MASS")),
                     "sandwich", as.character(packageVersion("sandwich"))),
  cases = cases), auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
  paste0(out, "cases.json"))
cat("wrote", length(cases), "cases\n")
