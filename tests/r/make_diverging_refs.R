# Reference cases for coefficients with no finite estimate (a factor level without events,
# a binomial level with every response 0 or 1), made with R (Debian r-base-core 4.2,
# jsonlite). Run from the repository root:
#   Rscript tests/r/make_diverging_refs.R
# It writes tests/fixtures/r_diverging/cases.json (and the synthetic binomial data next to
# it); tests/integration/reference_extra.rs compares against them.
#
# R's glm stops on its deviance rule with such a coefficient near -17 or so and calls the fit
# converged. As that coefficient goes to infinity the rows of its level stop counting, so the
# other coefficients tend to the fit without those rows: `limit` is that fit, run to
# epsilon 1e-14.
suppressMessages(library(jsonlite))
out <- "tests/fixtures/r_diverging/"
cases <- list()
# compare: our column names whose coefficients are compared with the limit fit's `limit_names`
# (all the others when NULL); contrasts: our column pairs whose difference is compared with a
# coefficient of the limit fit, c(ours, our base, limit name).
add <- function(name, data, rows, formula, r_formula, family, dropped, dropped_rows, diverging,
                signs, compare = NULL, limit_names = NULL, contrasts = list()) {
  d <- read.csv(data, stringsAsFactors = FALSE)
  if (!is.null(rows)) d <- d[rows, ]
  fam <- if (family == "poisson") poisson() else binomial()
  full <- glm(as.formula(r_formula), family = fam, data = d)
  keep <- !(dropped_rows(d))
  limit <- glm(as.formula(r_formula), family = fam, data = d[keep, ],
               control = glm.control(epsilon = 1e-14, maxit = 100))
  s <- summary(limit)
  pick <- if (is.null(limit_names)) names(coef(limit)) else limit_names
  cases[[length(cases) + 1]] <<- list(
    name = name, data = basename(data), rows = if (is.null(rows)) NULL else range(rows),
    formula = formula, family = family, r_call = paste0("glm(", r_formula, ", family = ", family, ")"),
    r_converged = full$converged, r_iterations = full$iter,
    r_coefficients = as.list(coef(full)),
    diverging = diverging, signs = signs,
    compare = compare, limit_coef_names = pick, limit_coefficients = unname(coef(limit)[pick]),
    limit_std_errors = unname(s$coefficients[pick, 2]), limit_deviance = deviance(limit),
    contrasts = lapply(contrasts, function(k) list(k[1], k[2], unname(coef(limit)[k[3]]))),
    limit_rows = sum(keep))
}

# 200 rows of the freMTPL sample: Area B (10 policies) has no claim.
add("poisson_level_without_claims", "tests/fixtures/refs/data/fremtpl_mini.csv", 1:200,
    "ClaimNb ~ C(Area) + log(BonusMalus) + DrivAge + offset(log(Exposure))",
    "ClaimNb ~ factor(Area) + log(BonusMalus) + DrivAge + offset(log(Exposure))",
    "poisson", "B", function(d) d$Area == "B", list("Area[B]"), list(-1))

# The same rows with Area B, which has no claim, as the reference level: the intercept runs to
# -inf and the other Area levels to +inf together. Their differences (contrasts with level A)
# and the other coefficients tend to the fit without Area B, whose reference level is A.
add("poisson_reference_level_without_claims", "tests/fixtures/refs/data/fremtpl_mini.csv", 1:200,
    'ClaimNb ~ C(Area, levels=["B", "A", "C", "D", "E"]) + log(BonusMalus) + DrivAge + offset(log(Exposure))',
    "ClaimNb ~ factor(Area, levels = c('B', 'A', 'C', 'D', 'E')) + log(BonusMalus) + DrivAge + offset(log(Exposure))",
    "poisson", "B", function(d) d$Area == "B", list("Area"), list(-1),
    compare = list("log(BonusMalus)", "DrivAge"), limit_names = c("log(BonusMalus)", "DrivAge"),
    contrasts = list(c("Area[C]", "Area[A]", "factor(Area, levels = c(\"B\", \"A\", \"C\", \"D\", \"E\"))C"),
                     c("Area[E]", "Area[A]", "factor(Area, levels = c(\"B\", \"A\", \"C\", \"D\", \"E\"))E")))

# Synthetic binomial data: level c has every response 0, level d every response 1.
set.seed(20261124)
n <- 120
g <- rep(c("a", "b", "c", "d"), times = c(50, 40, 16, 14))
x <- round(rnorm(n), 4)
p <- plogis(-0.3 + 0.8 * x + ifelse(g == "b", 0.7, 0))
y <- rbinom(n, 1, p)
y[g == "c"] <- 0
y[g == "d"] <- 1
write.csv(data.frame(y = y, g = g, x = x), paste0(out, "binomial_levels.csv"), row.names = FALSE)
add("binomial_levels_all_0_and_all_1", paste0(out, "binomial_levels.csv"), NULL,
    "y ~ C(g) + x", "y ~ factor(g) + x", "binomial", c("c", "d"),
    function(d) d$g %in% c("c", "d"), list("g[c]", "g[d]"), list(-1, 1))

provenance <- paste("R", paste(R.version$major, R.version$minor, sep = "."),
                    "glm (default control) and the limit fit with epsilon 1e-14")
writeLines(toJSON(list(provenance = provenance, cases = cases), auto_unbox = TRUE,
                  digits = NA, pretty = TRUE, null = "null"), paste0(out, "cases.json"))
