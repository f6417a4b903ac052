# Reference bases for rustystats::spline, made with R 4.2 (splines, stats, jsonlite).
# Run from the repository root:
#   Rscript tests/r/make_spline_refs.R
# It writes tests/fixtures/r_splines/splines.json. The file holds the x vectors used, and
# one case per R call: the arguments, the knots / Boundary.knots / poly coefs R computed,
# the basis at the training x and the basis R's predict() gives at new x (inside and
# beyond the boundary). Matrices are stored as a list of columns.
suppressMessages({ library(splines); library(jsonlite) })

d <- read.csv("tests/fixtures/refs/data/fremtpl_mini.csv", nrows = 200)
set.seed(20240611)
xs <- list(
  drivage = as.numeric(d$DrivAge),
  bonusmalus = as.numeric(d$BonusMalus),
  # uniform draws rounded to one decimal: many ties, not sorted
  unif = round(runif(150, -2, 3), 1)
)

# New points: a grid from 20% of the range below the minimum to 20% above the maximum,
# two points a whole range beyond each end,
# plus the boundary values themselves and a few interior points.
newx_for <- function(x, lo = min(x), hi = max(x)) {
  r <- hi - lo
  sort(unique(c(seq(lo - 0.2 * r, hi + 0.2 * r, length.out = 37), lo, hi,
                lo - 1e-3 * r, hi + 1e-3 * r, lo - r, hi + r,
                quantile(x, c(0.1, 0.5, 0.9), names = FALSE))))
}

# jsonlite prints at most 15 significant digits; write numbers with 17 (exact round trip)
# as verbatim JSON instead. Non-finite values become null.
vec <- function(v) {
  v <- unname(as.numeric(v))
  s <- ifelse(is.finite(v), sprintf("%.17g", v), "null")
  structure(paste0("[", paste(s, collapse = ","), "]"), class = "json")
}
cols <- function(m) lapply(seq_len(ncol(m)), function(j) vec(m[, j]))
opt <- function(v) if (is.null(v)) NA else v

cases <- list()
add_case <- function(case) cases[[length(cases) + 1L]] <<- case

spline_case <- function(kind, xname, df = NULL, knots = NULL, degree = 3L,
                        boundary = NULL, intercept = FALSE) {
  x <- xs[[xname]]
  args <- list(x = quote(x), df = df, knots = knots, intercept = intercept)
  if (kind == "bs") args$degree <- degree
  if (!is.null(boundary)) args$Boundary.knots <- boundary
  args <- args[!vapply(args, is.null, logical(1))]
  fun <- if (kind == "bs") bs else ns
  b <- suppressWarnings(do.call(fun, args))
  bk <- attr(b, "Boundary.knots")
  newx <- newx_for(x, bk[1], bk[2])
  p <- suppressWarnings(predict(b, newx))
  call <- deparse(as.call(c(as.name(kind), args)), width.cutoff = 500L)
  add_case(list(
    kind = kind, x = xname, r_call = paste(call, collapse = " "),
    df = opt(df), knots_arg = if (is.null(knots)) NA else vec(knots),
    degree = if (kind == "bs") degree else 3L,
    boundary_arg = if (is.null(boundary)) NA else vec(boundary),
    intercept = intercept,
    knots = vec(attr(b, "knots")), boundary_knots = vec(bk),
    train = cols(b), newx = vec(newx), new = cols(p)))
}

for (xn in c("drivage", "bonusmalus", "unif")) {
  for (deg in 1:3) for (df in c(3L, 4L, 5L, 7L)) spline_case("bs", xn, df = df, degree = deg)
  for (df in 1:5) spline_case("ns", xn, df = df)
}
q <- function(x, p) unname(quantile(x, p))
for (xn in names(xs)) {
  x <- xs[[xn]]
  kn <- round(q(x, c(0.3, 0.6, 0.8)), 1)
  spline_case("bs", xn, knots = kn, degree = 3L)
  spline_case("bs", xn, knots = kn[2], degree = 2L)
  spline_case("bs", xn, knots = kn, degree = 1L)
  spline_case("ns", xn, knots = kn)
  spline_case("ns", xn, knots = kn[1])
  r <- diff(range(x))
  # boundary inside the data: training points beyond it are extrapolated
  inner <- c(min(x) + 0.1 * r, max(x) - 0.1 * r)
  outer <- c(min(x) - 0.1 * r, max(x) + 0.05 * r)
  spline_case("bs", xn, df = 5L, degree = 3L, boundary = inner)
  spline_case("bs", xn, df = 4L, degree = 2L, boundary = rev(outer))
  spline_case("ns", xn, df = 4L, boundary = inner)
  spline_case("ns", xn, df = 3L, boundary = outer)
  spline_case("bs", xn, df = 6L, degree = 3L, intercept = TRUE)
  spline_case("ns", xn, df = 4L, intercept = TRUE)
  spline_case("ns", xn, df = 2L, intercept = TRUE)
  spline_case("bs", xn, df = 4L, degree = 3L, intercept = TRUE, boundary = inner)
  # an interior knot that coincides with the lower boundary knot (R allows it; a knot at
  # the upper boundary gives NaN / an error in R, and an error in rustystats)
  spline_case("bs", xn, knots = c(min(x), q(x, 0.5)), degree = 2L)
  spline_case("bs", xn, knots = c(min(x), q(x, 0.5)), degree = 3L, intercept = TRUE)
  spline_case("ns", xn, knots = c(min(x), q(x, 0.5)))
}
# bs(..., df) in the data dictionary sense for x = DrivAge with a knot list supplied
spline_case("bs", "drivage", knots = c(25, 35, 45, 55, 65), degree = 3L, boundary = c(18, 100))

for (xn in names(xs)) {
  x <- xs[[xn]]
  for (deg in 1:4) {
    pz <- poly(x, deg)
    cf <- attr(pz, "coefs")
    newx <- newx_for(x)
    pn <- predict(pz, newx)
    add_case(list(
      kind = "poly", x = xn, r_call = sprintf("poly(x, %d)", deg), degree = deg,
      alpha = vec(cf$alpha), norm2 = vec(cf$norm2),
      train = cols(pz), newx = vec(newx), new = cols(pn)))
  }
}

out <- list(
  generator = "tests/r/make_spline_refs.R",
  r_version = R.version.string,
  x = lapply(xs, vec),
  cases = cases)
dir.create("tests/fixtures/r_splines", showWarnings = FALSE, recursive = TRUE)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", null = "null",
                  json_verbatim = TRUE),
           "tests/fixtures/r_splines/splines.json")
cat(length(cases), "cases written\n")
