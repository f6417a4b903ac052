# Reference fits for formula features (splines, interactions, reference levels, I(), offsets,
# cbind, glm.nb with interactions), made with R (Debian r-base-core 4.2, splines, MASS,
# jsonlite). Run from the repository root:
#   Rscript tests/r/make_formula_refs.R
# It writes tests/fixtures/r_formula/cases.json; tests/integration/formula_reference.rs reads it.
suppressMessages({ library(MASS); library(splines); library(jsonlite) })
dd <- "tests/fixtures/refs/data/"
rd <- function(f) read.csv(paste0(dd, f), stringsAsFactors = FALSE)
ctrl <- glm.control(epsilon = 1e-13, maxit = 500)
cases <- list()
add <- function(name, fit, formula, family, link, data, extra = list()) {
  s <- summary(fit)
  co <- coef(fit)
  se <- rep(NA_real_, length(co)); names(se) <- names(co)
  se[rownames(s$coefficients)] <- s$coefficients[, 2]
  cases[[length(cases) + 1]] <<- c(list(
    name = name, data = data, formula = formula, family = family, link = link,
    r_call = paste(deparse(fit$call, width.cutoff = 500), collapse = " "),
    r_formula = paste(deparse(formula(fit), width.cutoff = 500), collapse = " "),
    coef_names_r = names(co), coefficients = unname(co), std_errors = unname(se),
    deviance = fit$deviance, null_deviance = fit$null.deviance,
    aic = if (is.finite(fit$aic)) fit$aic else NA, df_residual = fit$df.residual,
    converged = fit$converged), extra)
}

fre <- rd("fremtpl_mini.csv")
fre$Area <- factor(fre$Area)
fre$AreaC <- relevel(fre$Area, ref = "C")
off <- "offset(log(Exposure))"
pf <- function(rhs) as.formula(paste("ClaimNb ~", rhs, "+", off))
ours <- function(rhs) paste("ClaimNb ~", rhs, "+", off)

for (sp in list(c("bs(DrivAge, df=5)", "bs(DrivAge, df = 5)"),
                c("bs(DrivAge, df=4, degree=2)", "bs(DrivAge, df = 4, degree = 2)"),
                c("bs(DrivAge, df=6, degree=1)", "bs(DrivAge, df = 6, degree = 1)"),
                c("bs(DrivAge, knots=[30, 50, 70])", "bs(DrivAge, knots = c(30, 50, 70))"),
                c("ns(DrivAge, df=4)", "ns(DrivAge, df = 4)"),
                c("ns(VehAge, knots=[2, 8, 15])", "ns(VehAge, knots = c(2, 8, 15))"),
                c("poly(DrivAge, 3)", "poly(DrivAge, 3)"))) {
  f <- glm(pf(paste("Area +", sp[2])), family = poisson(), data = fre, control = ctrl)
  add(paste0("spline_", gsub("[^a-z0-9]+", "_", tolower(sp[1]))), f, ours(paste("Area +", sp[1])), "poisson", "log", "fremtpl_mini.csv")
}

f <- glm(pf("AreaC + VehAge"), family = poisson(), data = fre, control = ctrl)
add("ref_level_area_c", f, ours("C(Area, ref=\"C\") + VehAge"), "poisson", "log", "fremtpl_mini.csv")
f <- glm(pf("Area * VehAge"), family = poisson(), data = fre, control = ctrl)
add("cat_times_num", f, ours("Area * VehAge"), "poisson", "log", "fremtpl_mini.csv")
f <- glm(pf("Area:VehAge"), family = poisson(), data = fre, control = ctrl)
add("cat_num_interaction_no_main", f, ours("Area:VehAge"), "poisson", "log", "fremtpl_mini.csv")
f <- glm(pf("VehAge * DrivAge"), family = poisson(), data = fre, control = ctrl)
add("num_times_num", f, ours("VehAge * DrivAge"), "poisson", "log", "fremtpl_mini.csv")
f <- glm(pf("VehAge + I(VehAge^2) + I(DrivAge/10 - 4)"), family = poisson(), data = fre, control = ctrl)
add("identity_functions", f, ours("VehAge + I(VehAge^2) + I(DrivAge/10 - 4)"), "poisson", "log", "fremtpl_mini.csv")
f <- glm(pf("Area + log(BonusMalus) + exp(-VehAge/10) + sqrt(DrivAge)"), family = poisson(), data = fre, control = ctrl)
add("transforms", f, ours("Area + log(BonusMalus) + exp(-VehAge/10) + sqrt(DrivAge)"), "poisson", "log", "fremtpl_mini.csv")
f <- glm(pf("Area + bs(DrivAge, df = 4):VehAge"), family = poisson(), data = fre, control = ctrl)
add("spline_times_num", f, ours("Area + bs(DrivAge, df=4):VehAge"), "poisson", "log", "fremtpl_mini.csv")
f <- glm(pf("Area - 1 + VehAge"), family = poisson(), data = fre, control = ctrl)
add("no_intercept", f, ours("Area - 1 + VehAge"), "poisson", "log", "fremtpl_mini.csv")

quine <- rd("mass_quine.csv")
for (v in c("Eth", "Sex", "Age", "Lrn")) quine[[v]] <- factor(quine[[v]])
f <- glm(Days ~ Eth * Sex + Age, family = poisson(), data = quine, control = ctrl)
add("cat_times_cat", f, "Days ~ Eth * Sex + Age", "poisson", "log", "mass_quine.csv")
f <- glm(Days ~ Eth:Sex + Age, family = poisson(), data = quine, control = glm.control(epsilon = 1e-10, maxit = 500))
add("cat_cat_no_main", f, "Days ~ Eth:Sex + Age", "poisson", "log", "mass_quine.csv")
f <- glm(Days ~ Eth + Eth:Age, family = poisson(), data = quine, control = ctrl)
add("cat_nested", f, "Days ~ Eth + Eth:Age", "poisson", "log", "mass_quine.csv")
f <- glm.nb(Days ~ Eth * Sex + Age, data = quine, control = ctrl)
add("negbin_interactions", f, "Days ~ Eth * Sex + Age", "negative_binomial", "log", "mass_quine.csv",
    list(theta_ml = f$theta, theta_se = f$SE.theta, aic = f$aic))
quine$AgeF2 <- relevel(quine$Age, ref = "F2")
f <- glm.nb(Days ~ AgeF2 * Lrn, data = quine, control = ctrl)
add("negbin_ref_interaction", f, "Days ~ C(Age, ref=\"F2\") * Lrn", "negative_binomial", "log", "mass_quine.csv",
    list(theta_ml = f$theta, theta_se = f$SE.theta, aic = f$aic))

ins <- rd("mass_insurance.csv")
ins$Group <- factor(ins$Group, levels = c("<1l", "1-1.5l", "1.5-2l", ">2l"))
ins$Age <- factor(ins$Age, levels = c("<25", "25-29", "30-35", ">35"))
f <- glm(cbind(Claims, Holders - Claims) ~ Group + Age + log(Holders), family = binomial(), data = ins, control = ctrl)
add("cbind_with_expression", f,
    "cbind(Claims, Holders - Claims) ~ C(Group, levels=[\"<1l\", \"1-1.5l\", \"1.5-2l\", \">2l\"]) + C(Age, ref=\"<25\") + log(Holders)",
    "binomial", "logit", "mass_insurance.csv")
f <- glm(Claims ~ Group * Age + offset(log(Holders)) + offset(log(District)), family = poisson(), data = ins, control = ctrl)
add("two_offsets_cat_interaction", f,
    "Claims ~ C(Group, ref=\"<1l\") * C(Age, ref=\"<25\") + offset(log(Holders)) + offset(log(District))",
    "poisson", "log", "mass_insurance.csv")

# Sequential analysis of deviance (anova.glm).
anovas <- list()
adda <- function(name, fit, formula, family, link, data, test) {
  a <- anova(fit, test = test)
  anovas[[length(anovas) + 1]] <<- list(name = name, formula = formula, family = family,
    link = link, data = data, test = test, terms = rownames(a), df = a$Df, deviance = a$Deviance,
    resid_df = a[["Resid. Df"]], resid_deviance = a[["Resid. Dev"]],
    p_value = a[[ncol(a)]], statistic = if (test == "F") a$F else a$Deviance / summary(fit)$dispersion)
}
f <- glm(Claims ~ Group + Age + factor(District) + offset(log(Holders)), family = poisson(), data = ins, control = ctrl)
adda("poisson_insurance", f, "Claims ~ C(Group, ref=\"<1l\") + C(Age, ref=\"<25\") + C(District) + offset(log(Holders))",
     "poisson", "log", "mass_insurance.csv", "Chisq")
scot <- rd("scotland.csv")
f <- glm(YES ~ COUTAX + UNEMPF + MOR + ACT, family = Gamma(link = "log"), data = scot, control = ctrl)
adda("gamma_scotland", f, "YES ~ COUTAX + UNEMPF + MOR + ACT", "gamma", "log", "scotland.csv", "F")

dir.create("tests/fixtures/r_formula", showWarnings = FALSE, recursive = TRUE)
writeLines(toJSON(list(
  provenance = paste("Made by tests/r/make_formula_refs.R with", R.version.string,
                     "MASS", as.character(packageVersion("MASS"))),
  control = "glm.control(epsilon = 1e-13, maxit = 500)",
  cases = cases, anova = anovas), auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
  "tests/fixtures/r_formula/cases.json")
cat("wrote", length(cases), "cases\n")
