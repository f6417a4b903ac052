//! The per-row state of an IRLS fit and the passes over the rows that update it.

use rayon::prelude::*;

use super::problem::IrlsInput;
use crate::design::{CHUNK_ROWS, TILE_ROWS};
use crate::family::Family;
use crate::link::{Link, LinkFunction};

/// What one pass over the rows finds (see [`pass_rows`]).
pub(super) struct Pass {
    /// The deviance.
    pub deviance: f64,
    /// Whether every row with a nonzero weight is in the link's and the family's range.
    pub in_range: bool,
    /// The number of rows with a positive working weight.
    pub informative: usize,
}

impl Pass {
    /// No rows yet.
    const EMPTY: Pass = Pass {
        deviance: 0.0,
        in_range: true,
        informative: 0,
    };

    /// Adds the pass of the rows that follow.
    fn add(&mut self, next: &Pass) {
        self.deviance += next.deviance;
        self.in_range &= next.in_range;
        self.informative += next.informative;
    }

    /// The passes of consecutive chunks of rows taken together (sums in chunk order).
    fn combine<'a>(parts: impl Iterator<Item = &'a Pass> + Clone) -> Pass {
        Pass {
            deviance: parts.clone().map(|p| p.deviance).sum(),
            in_range: parts.clone().all(|p| p.in_range),
            informative: parts.map(|p| p.informative).sum(),
        }
    }
}

/// The per-row vectors of one chunk of rows.
struct Rows<'a> {
    eta: &'a mut [f64],
    mu: &'a mut [f64],
    z: &'a mut [f64],
    ww: &'a mut [f64],
    wres: &'a mut [f64],
}

/// The per-row work of a pass, specialised for common family and link pairs. The generic
/// path serves every pair; the special ones give the same numbers (tested) with less work.
pub(super) enum Kernel {
    /// Any family and link.
    Generic,
    /// Poisson or quasi-Poisson with the log link: `d mu / d eta = V(mu) = mu`, so the
    /// working weight is `w mu`, and with `y log y` cached per row the unit deviance
    /// `2 (y log y - y eta - y + mu)` needs no logarithm.
    PoissonLog(Vec<f64>),
    /// Gamma (or Tweedie with p = 2) with the log link: `d mu / d eta = mu`, `V(mu) = mu^2`,
    /// so the working weight is the prior weight, exactly, at every iteration; with `log y`
    /// cached the unit deviance `-2 (log y - eta - (y - mu) / mu)` needs no logarithm.
    GammaLog(Vec<f64>),
}

impl Kernel {
    pub(super) fn new(inp: &IrlsInput<'_>) -> Kernel {
        if inp.link != Link::Log {
            return Kernel::Generic;
        }
        let cache = |f: fn(f64) -> f64| inp.y.par_iter().map(|&y| f(y)).collect();
        match inp.family {
            Family::Poisson | Family::QuasiPoisson => {
                Kernel::PoissonLog(cache(|y| if y > 0.0 { y * y.ln() } else { 0.0 }))
            }
            Family::Gamma | Family::Tweedie { var_power: 2.0 } => {
                Kernel::GammaLog(cache(|y| if y > 0.0 { y.ln() } else { 0.0 }))
            }
            _ => Kernel::Generic,
        }
    }
}

/// One pass over a chunk of rows, the first being row `start`, at their linear predictor
/// (after adding the offset to it and computing the means from it when `from_eta`): whether
/// the fit is in the family's and link's range, the deviance, and the working response,
/// weights and residuals (computed even out of range, where they are not used: a step out
/// of range is halved, which makes a new pass).
fn pass_rows(
    inp: &IrlsInput<'_>,
    kernel: &Kernel,
    start: usize,
    from_eta: bool,
    rows: Rows<'_>,
) -> Pass {
    if let (Kernel::PoissonLog(ylogy), true) = (kernel, from_eta) {
        return poisson_log_rows(inp, ylogy, start, rows);
    }
    let (fam, link) = (inp.family, inp.link);
    let Rows {
        eta,
        mu,
        z,
        ww,
        wres: r,
    } = rows;
    let mut out = Pass::EMPTY;
    for k in 0..eta.len() {
        let i = start + k;
        let (y, w, o) = (inp.y[i], inp.weights[i], inp.offset[i]);
        if from_eta {
            eta[k] += o;
            mu[k] = link.inverse(eta[k]);
        }
        let (e, m) = (eta[k], mu[k]);
        // Under the log link d mu / d eta is mu itself (the same bits: both are
        // `exp(eta).max(EPS)`) once mu comes from eta; `exact` says the cached logs may
        // stand in for log(mu) (mu was not clamped).
        let (d, exact) = match kernel {
            Kernel::Generic if !from_eta || link != Link::Log => (link.mu_eta(e), false),
            _ if from_eta => (m, m > f64::EPSILON),
            _ => (link.mu_eta(e), false),
        };
        if w != 0.0 {
            // (The Poisson kernel from eta runs in `poisson_log_rows`.)
            let unit = match kernel {
                Kernel::GammaLog(logy) if exact => -2.0 * (logy[i] - e - (y - m) / m),
                _ => fam.unit_deviance(y, m),
            };
            out.deviance += w * unit;
            out.in_range &= link.valid_eta(e) && fam.valid_mu(m);
        }
        let v = fam.variance(m);
        if w > 0.0 && d != 0.0 && v > 0.0 && d.is_finite() {
            r[k] = (y - m) / d;
            z[k] = e - o + r[k];
            ww[k] = match kernel {
                Kernel::Generic => w * d * d / v,
                Kernel::PoissonLog(_) => w * d,
                Kernel::GammaLog(_) => w,
            };
            out.informative += 1;
        } else {
            (z[k], ww[k], r[k]) = (0.0, 0.0, 0.0);
        }
    }
    out
}

/// [`pass_rows`] of the Poisson (or quasi-Poisson) log-link kernel from the linear predictor,
/// the common case, written out: the same operations on each row as the general loop, without
/// its choices of family, link and kernel per row.
fn poisson_log_rows(inp: &IrlsInput<'_>, ylogy: &[f64], start: usize, rows: Rows<'_>) -> Pass {
    let (eta, mu, z, ww, r) = (rows.eta, rows.mu, rows.z, rows.ww, rows.wres);
    let mut out = Pass::EMPTY;
    let end = start + eta.len();
    let (y, w, o) = (
        &inp.y[start..end],
        &inp.weights[start..end],
        &inp.offset[start..end],
    );
    for k in 0..eta.len() {
        let (y, w, o) = (y[k], w[k], o[k]);
        let e = eta[k] + o;
        // The log link's inverse, as `Link::inverse`; d mu / d eta and V(mu) are mu itself.
        let m = e.exp().max(f64::EPSILON);
        (eta[k], mu[k]) = (e, m);
        if w != 0.0 {
            let unit = if m > f64::EPSILON {
                2.0 * (ylogy[start + k] - y * e - y + m)
            } else {
                inp.family.unit_deviance(y, m)
            };
            out.deviance += w * unit;
            out.in_range &= e.is_finite() && m.is_finite();
        }
        if w > 0.0 && m.is_finite() {
            r[k] = (y - m) / m;
            z[k] = e - o + r[k];
            ww[k] = w * m;
            out.informative += 1;
        } else {
            (z[k], ww[k], r[k]) = (0.0, 0.0, 0.0);
        }
    }
    out
}

pub(super) struct State {
    pub eta: Vec<f64>,
    pub mu: Vec<f64>,
    pub z: Vec<f64>,
    pub ww: Vec<f64>,
    /// The working residual `(y - mu) / (d mu / d eta)` of each row (0 where the working
    /// weight is 0): `z - (eta - offset)`.
    pub wres: Vec<f64>,
    pub wz: Vec<f64>,
    pub xtv: Vec<f64>,
    /// The score `X' W r` (`r` the working residual) at the current coefficients, every
    /// column; set by [`State::set_beta`].
    pub score: Vec<f64>,
    /// Each chunk of rows' part of the score, one row of `ncols` per chunk.
    pub parts: Vec<f64>,
    pub kernel: Kernel,
}

impl State {
    /// The state of a fit on `inp`, every vector zero.
    pub(super) fn new(inp: &IrlsInput<'_>) -> State {
        let (n, p) = (inp.x.nrows(), inp.x.ncols());
        State {
            eta: vec![0.0; n],
            mu: vec![0.0; n],
            z: vec![0.0; n],
            ww: vec![0.0; n],
            wres: vec![0.0; n],
            wz: vec![0.0; n],
            xtv: vec![0.0; p],
            score: vec![0.0; p],
            parts: Vec::new(),
            kernel: Kernel::new(inp),
        }
    }

    /// One [`pass_rows`] over all rows at the current `eta` and `mu` (the starting values).
    pub(super) fn pass(&mut self, inp: &IrlsInput<'_>) -> Pass {
        self.sweep(inp, None)
    }

    /// Moves to the coefficients `beta` in one sweep over the rows, chunk by chunk:
    /// `eta = X beta + offset` and the means, a [`pass_rows`], and the chunk's part of the
    /// score `X' W r` while its rows of `X` are still in cache. The score is summed in chunk
    /// order, as every reduction here.
    pub(super) fn set_beta(&mut self, inp: &IrlsInput<'_>, beta: &[f64]) -> Pass {
        self.sweep(inp, Some(beta))
    }

    /// [`State::pass`] without `beta`, [`State::set_beta`] with it.
    fn sweep(&mut self, inp: &IrlsInput<'_>, beta: Option<&[f64]>) -> Pass {
        let p = inp.x.ncols();
        let kernel = &self.kernel;
        // Each chunk's part of the score goes to its own row of `parts`, allocated once.
        self.parts
            .resize(inp.x.nrows().div_ceil(CHUNK_ROWS) * p.max(1), 0.0);
        let passes: Vec<Pass> = self
            .eta
            .par_chunks_mut(CHUNK_ROWS)
            .zip(self.mu.par_chunks_mut(CHUNK_ROWS))
            .zip(self.z.par_chunks_mut(CHUNK_ROWS))
            .zip(self.ww.par_chunks_mut(CHUNK_ROWS))
            .zip(self.wres.par_chunks_mut(CHUNK_ROWS))
            .zip(self.wz.par_chunks_mut(CHUNK_ROWS))
            .zip(self.parts.par_chunks_mut(p.max(1)))
            .enumerate()
            .map(|(c, ((((((eta, mu), z), ww), wres), wz), part))| {
                part.fill(0.0);
                // Tile by tile, so the rows of the design read by `X beta` are still in
                // cache for `X' W r`.
                let tiles = eta
                    .chunks_mut(TILE_ROWS)
                    .zip(mu.chunks_mut(TILE_ROWS))
                    .zip(z.chunks_mut(TILE_ROWS))
                    .zip(ww.chunks_mut(TILE_ROWS))
                    .zip(wres.chunks_mut(TILE_ROWS))
                    .zip(wz.chunks_mut(TILE_ROWS))
                    .enumerate();
                let mut pass = Pass::EMPTY;
                for (t, (((((eta, mu), z), ww), wres), wz)) in tiles {
                    let start = c * CHUNK_ROWS + t * TILE_ROWS;
                    let range = start..start + eta.len();
                    if let Some(beta) = beta {
                        inp.x.matvec_rows(beta, range.clone(), eta);
                    }
                    let rows = Rows {
                        eta,
                        mu,
                        z,
                        ww: &mut *ww,
                        wres: &mut *wres,
                    };
                    pass.add(&pass_rows(inp, kernel, start, beta.is_some(), rows));
                    if beta.is_some() {
                        for ((o, w), r) in wz.iter_mut().zip(&*ww).zip(&*wres) {
                            *o = w * r;
                        }
                        inp.x.transpose_matvec_rows(wz, range, part);
                    }
                }
                pass
            })
            .collect();
        if beta.is_some() {
            self.score.fill(0.0);
            for part in self.parts.chunks_exact(p.max(1)) {
                for (s, v) in self.score.iter_mut().zip(part) {
                    *s += v;
                }
            }
        }
        Pass::combine(passes.iter())
    }

    /// `X' W z` over every column, at the current working weights and response: the linear
    /// term of the first iteration's model, from starting means.
    pub(super) fn xtwz(&mut self, inp: &IrlsInput<'_>) -> &[f64] {
        self.wz
            .par_iter_mut()
            .zip(self.ww.par_iter())
            .zip(self.z.par_iter())
            .for_each(|((o, w), z)| *o = w * z);
        inp.x.transpose_matvec(&self.wz, &mut self.xtv);
        &self.xtv
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::DenseDesign;

    /// A pass and the working response, weights and residuals it left.
    type Outcome = (Pass, Vec<f64>, Vec<f64>, Vec<f64>);

    /// A pass over the same rows with a special kernel and with the generic one.
    fn both(family: Family, y: &[f64], eta: &[f64]) -> [Outcome; 2] {
        let n = y.len();
        let x = DenseDesign::from_columns(vec!["Intercept".into()], vec![vec![1.0; n]]).unwrap();
        let weights: Vec<f64> = (0..n).map(|i| [1.0, 0.5, 2.0, 0.0][i % 4]).collect();
        let offset: Vec<f64> = (0..n).map(|i| 0.01 * (i % 7) as f64).collect();
        let inp = IrlsInput {
            x: &x,
            y,
            weights: &weights,
            offset: &offset,
            family,
            link: Link::Log,
        };
        [Kernel::new(&inp), Kernel::Generic].map(|kernel| {
            let (mut e, mut mu, mut z, mut ww, mut r) = (
                eta.to_vec(),
                vec![0.0; n],
                vec![0.0; n],
                vec![0.0; n],
                vec![0.0; n],
            );
            let rows = Rows {
                eta: &mut e,
                mu: &mut mu,
                z: &mut z,
                ww: &mut ww,
                wres: &mut r,
            };
            let pass = pass_rows(&inp, &kernel, 0, true, rows);
            (pass, z, ww, r)
        })
    }

    fn close(a: f64, b: f64, tol: f64, what: &str) {
        assert!(
            (a - b).abs() <= tol * b.abs().max(1e-300),
            "{what}: {a} vs {b}"
        );
    }

    #[test]
    fn special_kernels_give_the_generic_numbers() {
        let eta: Vec<f64> = (0..400).map(|i| -2.0 + 0.01 * i as f64).collect();
        let counts: Vec<f64> = (0..400).map(|i| ((i * 7) % 5) as f64).collect();
        let amounts: Vec<f64> = (0..400).map(|i| 0.1 + ((i * 13) % 11) as f64).collect();
        for (family, y) in [
            (Family::Poisson, &counts),
            (Family::QuasiPoisson, &counts),
            (Family::Gamma, &amounts),
            (Family::Tweedie { var_power: 2.0 }, &amounts),
        ] {
            let [(fast, z1, w1, r1), (generic, z2, w2, r2)] = both(family, y, &eta);
            assert!(fast.in_range && generic.in_range);
            assert_eq!(fast.informative, generic.informative);
            close(fast.deviance, generic.deviance, 1e-13, family.name());
            for i in 0..y.len() {
                close(z1[i], z2[i], 1e-14, "working response");
                close(w1[i], w2[i], 1e-14, "working weight");
                close(r1[i], r2[i], 1e-14, "working residual");
            }
        }
    }

    #[test]
    fn gamma_log_weights_are_exactly_the_prior_weights() {
        let eta: Vec<f64> = (0..100).map(|i| -3.0 + 0.07 * i as f64).collect();
        let y: Vec<f64> = (0..100).map(|i| 0.5 + (i % 9) as f64).collect();
        let [(_, _, ww, _), _] = both(Family::Gamma, &y, &eta);
        for (i, w) in ww.iter().enumerate() {
            assert_eq!(*w, [1.0, 0.5, 2.0, 0.0][i % 4]);
        }
    }
}
