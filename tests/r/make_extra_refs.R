# Extra reference cases for rustystats, made with R (Debian r-base-core 4.2, MASS, statmod,
# sandwich, jsonlite). Run from the repository root:
#   Rscript tests/r/make_extra_refs.R
# It writes tests/fixtures/r_extra/cases.json. Each case has the R call, our formula and R's
# numbers; tests/integration/reference_extra.rs compares against them.
suppressMessages({ library(MASS); library(statmod); library(sandwich); library(jsonlite) })
dd <- "tests/fixtures/refs/data/"
rd <- function(f) read.csv(paste0(dd, f), stringsAsFactors = FALSE)
ctrl <- glm.control(epsilon = 1e-13, maxit = 500)

cases <- list()
add <- function(name, fit, formula, family, link, data, extra = list(), dispersion = NULL) {
  s <- summary(fit, dispersion = dispersion)
  co <- coef(fit)
  se <- rep(NA_real_, length(co)); names(se) <- names(co)
  se[rownames(s$coefficients)] <- s$coefficients[, 2]
  ll <- tryCatch(as.numeric(logLik(fit)), error = function(e) NA)
  aic <- if (is.finite(fit$aic)) fit$aic else NA
  bic <- tryCatch(BIC(fit), error = function(e) NA)
  hc <- list()
  for (t in c("HC0", "HC1", "HC2", "HC3")) {
    v <- tryCatch(sqrt(diag(vcovHC(fit, type = t))), error = function(e) NULL)
    if (!is.null(v)) hc[[t]] <- unname(v)
  }
  case <- c(list(
    name = name, data = data, formula = formula, family = family, link = link,
    r_call = paste(deparse(fit$call), collapse = " "),
    coef_names = names(co), coefficients = unname(co), std_errors = unname(se),
    aliased = unname(is.na(co)),
    deviance = fit$deviance, null_deviance = fit$null.deviance,
    pearson_chi2 = sum(residuals(fit, type = "pearson")^2),
    dispersion = s$dispersion, loglik = ll, aic = aic, bic = bic,
    df_residual = fit$df.residual, nobs = nobs(fit), converged = fit$converged,
    robust = hc), extra)
  cases[[length(cases) + 1]] <<- case
}

spector <- rd("spector.csv")
for (lk in c("probit", "cloglog")) {
  f <- glm(GRADE ~ GPA + TUCE + PSI, family = binomial(link = lk), data = spector, control = ctrl)
  add(paste0("binomial_", lk, "_spector"), f, "GRADE ~ GPA + TUCE + PSI", "binomial", lk, "spector.csv")
}

scot <- rd("scotland.csv")
f <- glm(YES ~ COUTAX + UNEMPF + MOR + ACT + GDP + AGE, family = Gamma(link = "log"), data = scot, control = ctrl)
add("gamma_log_scotland", f, "YES ~ COUTAX + UNEMPF + MOR + ACT + GDP + AGE", "gamma", "log", "scotland.csv")
f <- glm(YES ~ COUTAX + UNEMPF + ACT, family = inverse.gaussian(link = "log"), data = scot, control = ctrl)
add("inverse_gaussian_log_scotland", f, "YES ~ COUTAX + UNEMPF + ACT", "inverse_gaussian", "log", "scotland.csv")
f <- glm(YES ~ UNEMPF + ACT, family = inverse.gaussian(), data = scot, control = ctrl,
         start = c(1 / mean(scot$YES)^2, 0, 0))
add("inverse_gaussian_default_scotland", f, "YES ~ UNEMPF + ACT", "inverse_gaussian", "1/mu^2", "scotland.csv")
f <- glm(YES ~ COUTAX + UNEMPF + ACT, family = statmod::tweedie(var.power = 2.5, link.power = 0), data = scot, control = ctrl)
add("tweedie_p25_log_scotland", f, "YES ~ COUTAX + UNEMPF + ACT", "tweedie", "log", "scotland.csv", list(var_power = 2.5))

cp <- rd("cpunish.csv")
cp$w <- cp$INCOME / 10000
f <- glm(EXECUTIONS ~ PERPOVERTY + PERBLACK + SOUTH, family = gaussian(), data = cp, weights = w, control = ctrl)
add("gaussian_weighted_cpunish", f, "EXECUTIONS ~ PERPOVERTY + PERBLACK + SOUTH", "gaussian", "identity", "cpunish.csv", list(weights_expr = "INCOME / 10000"))
f <- glm(EXECUTIONS ~ INCOME + PERPOVERTY + PERBLACK + log(VC100k96) + SOUTH + DEGREE, family = quasipoisson(), data = cp, control = ctrl)
add("quasipoisson_cpunish", f, "EXECUTIONS ~ INCOME + PERPOVERTY + PERBLACK + log(VC100k96) + SOUTH + DEGREE", "quasipoisson", "log", "cpunish.csv")

ins <- rd("mass_insurance.csv")
ins0 <- ins
ins0$Age <- factor(ins0$Age, levels = c("<25", "25-29", "30-35", ">35"))
ins$District <- factor(ins$District)
ins$Group <- factor(ins$Group, levels = c("<1l", "1-1.5l", "1.5-2l", ">2l"))
ins$Age <- factor(ins$Age, levels = c("<25", "25-29", "30-35", ">35"))
ins$w <- as.numeric(ins$District)
f <- glm(Claims ~ log(Holders) + Age + I(2 * log(Holders)), family = poisson(), data = ins0, control = ctrl)
add("poisson_aliased_insurance", f, "Claims ~ log(Holders) + C(Age, ref=\"<25\") + I(2 * log(Holders))", "poisson", "log", "mass_insurance.csv")
f <- glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(), data = ins, weights = w, control = ctrl)
add("poisson_weighted_offset_insurance", f,
    "Claims ~ C(District) + C(Group, ref=\"<1l\") + C(Age, ref=\"<25\") + offset(log(Holders))",
    "poisson", "log", "mass_insurance.csv", list(weights_expr = "District"))
f <- glm(cbind(Claims, Holders - Claims) ~ District + Group + Age, family = binomial(link = "cloglog"), data = ins, control = ctrl)
add("binomial_cloglog_cbind_insurance", f,
    "cbind(Claims, Holders - Claims) ~ C(District) + C(Group, ref=\"<1l\") + C(Age, ref=\"<25\")",
    "binomial", "cloglog", "mass_insurance.csv")

quine <- rd("mass_quine.csv")
f <- glm(Days ~ Eth + Sex + Age + Lrn, family = negative.binomial(2), data = quine, control = ctrl)
# Fixed theta: dispersion 1 (glm.nb's and statsmodels' convention; plain summary.glm would
# estimate it because it does not know the family).
add("negbin_fixed_theta2_quine", f, "Days ~ Eth + Sex + Age + Lrn", "negative_binomial", "log", "mass_quine.csv",
    list(theta = 2), dispersion = 1)
f <- glm.nb(Days ~ Eth * Lrn + Age, data = quine, control = ctrl)
add("negbin_ml_interaction_quine", f, "Days ~ Eth * Lrn + Age", "negative_binomial", "log", "mass_quine.csv",
    list(theta_ml = f$theta, theta_se = f$SE.theta, theta = "ml"))
f <- glm(Days ~ Eth + Sex + Age + Lrn, family = poisson(link = "sqrt"), data = quine, control = ctrl)
add("poisson_sqrt_quine", f, "Days ~ Eth + Sex + Age + Lrn", "poisson", "sqrt", "mass_quine.csv")

fre <- rd("fremtpl_mini.csv")
f <- glm(ClaimNb ~ Area + VehAge + DrivAge + log(BonusMalus) + VehBrand + offset(log(Exposure)), family = poisson(), data = fre, control = ctrl)
add("poisson_offset_fremtpl", f, "ClaimNb ~ Area + VehAge + DrivAge + log(BonusMalus) + VehBrand + offset(log(Exposure))",
    "poisson", "log", "fremtpl_mini.csv")
f <- glm(ClaimNb ~ Area + VehAge + DrivAge + log(BonusMalus) + VehBrand, family = poisson(), data = fre, weights = Exposure, control = ctrl)
# Rate model: y = ClaimNb / Exposure with weights Exposure gives the same coefficients.
fre$rate <- fre$ClaimNb / fre$Exposure
f <- glm(rate ~ Area + VehAge + DrivAge + log(BonusMalus) + VehBrand, family = quasipoisson(), data = fre, weights = Exposure, control = ctrl)
add("quasipoisson_rate_weights_fremtpl", f, "ClaimNb / Exposure ~ Area + VehAge + DrivAge + log(BonusMalus) + VehBrand",
    "quasipoisson", "log", "fremtpl_mini.csv", list(weights_expr = "Exposure"))


star <- rd("star98.csv")
f <- glm(PROP ~ LOWINC + PERASIAN + PERBLACK + PERHISP + PCTCHRT, family = binomial(), data = star, weights = NTOTAL, control = ctrl)
add("binomial_proportion_weights_star98", f, "PROP ~ LOWINC + PERASIAN + PERBLACK + PERHISP + PCTCHRT", "binomial", "logit", "star98.csv", list(weights_expr = "NTOTAL"))
f <- glm(PROP ~ LOWINC + PERASIAN + PERBLACK + PERHISP + PCTCHRT, family = quasibinomial(), data = star, weights = NTOTAL, control = ctrl)
add("quasibinomial_star98", f, "PROP ~ LOWINC + PERASIAN + PERBLACK + PERHISP + PCTCHRT", "quasibinomial", "logit", "star98.csv", list(weights_expr = "NTOTAL"))
f <- glm(YES ~ COUTAX + UNEMPF + ACT, family = gaussian(link = "log"), data = scot, control = ctrl)
add("gaussian_log_scotland", f, "YES ~ COUTAX + UNEMPF + ACT", "gaussian", "log", "scotland.csv")
f <- glm(YES ~ COUTAX + UNEMPF + ACT, family = Gamma(link = "identity"), data = scot, control = ctrl)
add("gamma_identity_scotland", f, "YES ~ COUTAX + UNEMPF + ACT", "gamma", "identity", "scotland.csv")

# Tests between nested fits and on sets of coefficients.
tests <- list()
big <- glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson(), data = ins, control = ctrl)
small <- glm(Claims ~ District + Age + offset(log(Holders)), family = poisson(), data = ins, control = ctrl)
a <- anova(small, big, test = "Chisq")
grp <- c("Group1-1.5l", "Group1.5-2l", "Group>2l")
b <- coef(big)[grp]; V <- vcov(big)[grp, grp]
w <- as.numeric(t(b) %*% solve(V, b))
cl <- sqrt(diag(vcovCL(big, cluster = ~ District, type = "HC1")))
tests$poisson_insurance <- list(
  data = "mass_insurance.csv", family = "poisson", link = "log",
  big = "Claims ~ C(District) + C(Group, ref=\"<1l\") + C(Age, ref=\"<25\") + offset(log(Holders))",
  small = "Claims ~ C(District) + C(Age, ref=\"<25\") + offset(log(Holders))",
  lr_statistic = a$Deviance[2], lr_df = a$Df[2], lr_p = a[["Pr(>Chi)"]][2],
  wald_names = c("Group[1-1.5l]", "Group[1.5-2l]", "Group[>2l]"),
  wald_statistic = w, wald_df = 3, wald_p = pchisq(w, 3, lower.tail = FALSE),
  cluster_column = "District", cluster_std_errors = unname(cl),
  r_calls = "anova(small, big, test = 'Chisq'); t(b) %*% solve(vcov[grp, grp], b); sandwich::vcovCL(big, cluster = ~ District, type = 'HC1')")
bigg <- glm(YES ~ COUTAX + UNEMPF + MOR + ACT + GDP + AGE, family = Gamma(link = "log"), data = scot, control = ctrl)
smallg <- glm(YES ~ COUTAX + UNEMPF + ACT, family = Gamma(link = "log"), data = scot, control = ctrl)
a <- anova(smallg, bigg, test = "F")
nm <- c("MOR", "GDP", "AGE")
b <- coef(bigg)[nm]; V <- vcov(bigg)[nm, nm]
w <- as.numeric(t(b) %*% solve(V, b))
tests$gamma_scotland <- list(
  data = "scotland.csv", family = "gamma", link = "log",
  big = "YES ~ COUTAX + UNEMPF + MOR + ACT + GDP + AGE", small = "YES ~ COUTAX + UNEMPF + ACT",
  lr_statistic = a$F[2], lr_df = a$Df[2], lr_df_denom = a[["Resid. Df"]][2], lr_p = a[["Pr(>F)"]][2],
  wald_names = nm, wald_statistic = w / 3, wald_df = 3, wald_df_denom = bigg$df.residual,
  wald_p = pf(w / 3, 3, bigg$df.residual, lower.tail = FALSE),
  r_calls = "anova(small, big, test = 'F'); F = t(b) %*% solve(vcov[nm, nm], b) / 3 on (3, df.residual)")

dir.create("tests/fixtures/r_extra", showWarnings = FALSE, recursive = TRUE)
writeLines(toJSON(list(
  provenance = paste("Made by tests/r/make_extra_refs.R with", R.version.string,
                     "MASS", as.character(packageVersion("MASS")),
                     "statmod", as.character(packageVersion("statmod")),
                     "sandwich", as.character(packageVersion("sandwich"))),
  control = "glm.control(epsilon = 1e-13, maxit = 500)",
  cases = cases, tests = tests), auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
  "tests/fixtures/r_extra/cases.json")
cat("wrote", length(cases), "cases\n")
