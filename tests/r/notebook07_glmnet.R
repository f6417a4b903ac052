# The glmnet number notebooks/07-penalties-and-cv.ipynb checks itself against: a Poisson lasso
# on the freMTPL sample at alpha (glmnet's lambda) = 0.001, standardized, offset log(Exposure).
# Run from the repository root: Rscript tests/r/notebook07_glmnet.R
suppressMessages(library(glmnet))
d <- read.csv("notebooks/data/fremtpl_mini.csv", stringsAsFactors = FALSE)
x <- model.matrix(~ factor(Area) + factor(VehBrand) + VehPower + VehAge + DrivAge +
                    log(BonusMalus), d)[, -1]
fit <- glmnet(x, d$ClaimNb, family = "poisson", offset = log(d$Exposure), alpha = 1,
              lambda = 0.001, thresh = 1e-14, maxit = 1e7)
b <- as.numeric(coef(fit))
# Polish: Newton on the nonzero coefficients until the gradient of the penalized objective
# vanishes (glmnet stops ~1e-6 short of it).
X <- cbind(1, x); W <- nrow(X)
s <- apply(x, 2, function(z) sqrt(mean((z - mean(z))^2)))
pen <- c(0, 0.001 * s)
act <- b != 0; act[1] <- TRUE
for (it in 1:100) {
  mu <- exp(drop(X %*% b) + log(d$Exposure))
  g <- -drop(crossprod(X, d$ClaimNb - mu)) / W + pen * sign(b)
  if (max(abs(g[act])) < 1e-13) break
  H <- crossprod(X[, act], mu * X[, act]) / W
  b[act] <- b[act] - solve(H, g[act])
}
cat(sprintf("nonzero (without the intercept): %d\n", sum(b[-1] != 0)))
cat(sprintf("intercept: %.10f\n", b[1]))
cat(sprintf("log(BonusMalus): %.10f\n", b[ncol(X)]))
cat(sprintf("deviance: %.6f\n", 2 * sum(ifelse(d$ClaimNb > 0, d$ClaimNb * log(d$ClaimNb / mu), 0) - (d$ClaimNb - mu))))
