//! The diagnostics as [`Table`]s: `table()` and `Display` for every result.

use std::fmt;

use super::{num, Table};
use crate::diagnostics::{
    Calibration, DoubleLift, Lift, Lorenz, OneWay, PartialEffect, PartialEffectKind, ResidualPlot,
};

/// Four significant-ish decimals for ratios and shares.
fn ratio(x: f64) -> String {
    if x.is_nan() {
        "NA".into()
    } else {
        format!("{x:.4}")
    }
}

/// Totals: integers without decimals, others with up to two.
fn total(x: f64) -> String {
    if x.is_nan() {
        "NA".into()
    } else if x == x.round() && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn level_pct(conf_level: f64) -> String {
    format!("{}%", num_trim(conf_level * 100.0))
}

fn num_trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `Display` prints the table (a notebook shows it through the display layer).
macro_rules! shown_as_table {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.table())
            }
        }
    )*};
}

shown_as_table!(
    OneWay,
    Lift,
    DoubleLift,
    Lorenz,
    Calibration,
    ResidualPlot,
    PartialEffect
);

impl OneWay {
    /// The one-way table: exposure, actual, expected, rates, A/E and its interval.
    pub fn table(&self) -> Table {
        let ci = level_pct(self.conf_level);
        let mut t = Table::new(
            format!("Actual vs expected by {}", self.variable),
            vec![
                self.variable.clone(),
                "exposure".into(),
                "actual".into(),
                "expected".into(),
                "actual rate".into(),
                "expected rate".into(),
                "A/E".into(),
                format!("A/E {ci} low"),
                format!("A/E {ci} high"),
            ],
        )
        .text_columns(1);
        for r in &self.rows {
            t.push_row(vec![
                r.level.clone(),
                total(r.exposure),
                total(r.actual),
                total(r.expected),
                num(r.actual_rate),
                num(r.expected_rate),
                ratio(r.ae_ratio),
                ratio(r.ae_low),
                ratio(r.ae_high),
            ]);
        }
        t.push_note(format!(
            "A/E interval: A/E ± z·√E/E (actual total Poisson-like with variance estimated by \
             the expected), {ci} level."
        ));
        t
    }
}

impl Lift {
    /// The lift table by bin.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            "Lift by predicted rate (bins of equal exposure)",
            headers(&[
                "bin",
                "rate from",
                "rate to",
                "exposure",
                "actual",
                "expected",
                "actual rate",
                "expected rate",
                "actual rel.",
                "expected rel.",
            ]),
        );
        for b in &self.bins {
            t.push_row(vec![
                b.bin.to_string(),
                num(b.rate_low),
                num(b.rate_high),
                total(b.exposure),
                total(b.actual),
                total(b.expected),
                num(b.actual_rate),
                num(b.expected_rate),
                ratio(b.actual_relative),
                ratio(b.expected_relative),
            ]);
        }
        t.push_note(format!(
            "Relative = rate / overall rate (actual {}, expected {}). Top-to-bottom lift: {}.",
            num(self.actual_rate),
            num(self.expected_rate),
            ratio(self.top_to_bottom())
        ));
        t
    }
}

impl DoubleLift {
    /// The double-lift table by bin.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!(
                "Double lift: {} vs {} (bins of {} / {})",
                self.name_a, self.name_b, self.name_a, self.name_b
            ),
            vec![
                "bin".into(),
                "ratio from".into(),
                "ratio to".into(),
                "exposure".into(),
                "actual".into(),
                "actual rel.".into(),
                format!("{} rel.", self.name_a),
                format!("{} rel.", self.name_b),
            ],
        );
        for b in &self.bins {
            t.push_row(vec![
                b.bin.to_string(),
                ratio(b.ratio_low),
                ratio(b.ratio_high),
                total(b.exposure),
                total(b.actual),
                ratio(b.actual_relative),
                ratio(b.a_relative),
                ratio(b.b_relative),
            ]);
        }
        t.push_note("Relative = rate in the bin / overall rate; the model closer to actual wins.");
        t
    }
}

impl Lorenz {
    /// The Gini index and deciles of the ordered Lorenz curve.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!("Ordered Lorenz curve (Gini {})", ratio(self.gini)),
            headers(&["exposure share", "actual share"]),
        );
        for target in (0..=10).map(|k| k as f64 / 10.0) {
            // The first curve point at or past the target share.
            let k = self
                .exposure_share
                .iter()
                .position(|&x| x >= target - 1e-12)
                .unwrap_or(self.exposure_share.len().saturating_sub(1));
            if let (Some(x), Some(y)) = (self.exposure_share.get(k), self.actual_share.get(k)) {
                t.push_row(vec![ratio(*x), ratio(*y)]);
            }
        }
        t.push_note(format!(
            "Gini = 1 - 2·area under the curve = {} over {} rows; 0 = random ordering, \
             positive = the model puts low-risk exposure first.",
            ratio(self.gini),
            self.rows
        ));
        t
    }
}

impl Calibration {
    /// The calibration table by bin.
    pub fn table(&self) -> Table {
        let ci = level_pct(self.conf_level);
        let mut t = Table::new(
            "Calibration by predicted value (bins of equal weight)",
            vec![
                "bin".into(),
                "rows".into(),
                "weight".into(),
                "mean predicted".into(),
                "mean actual".into(),
                "A/E".into(),
                format!("actual {ci} low"),
                format!("actual {ci} high"),
            ],
        );
        for b in &self.bins {
            t.push_row(vec![
                b.bin.to_string(),
                b.count.to_string(),
                total(b.weight),
                num(b.mean_predicted),
                num(b.mean_actual),
                ratio(b.ae_ratio),
                num(b.low),
                num(b.high),
            ]);
        }
        t.push_note("Interval: mean actual ± z·√(Σ w²·Var)/Σ w with the model's variance.");
        t
    }
}

impl ResidualPlot {
    /// R's five-number summary of the residuals.
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            format!("{} residuals", capitalise(self.kind.name())),
            headers(&["Min", "1Q", "Median", "3Q", "Max"]),
        );
        t.push_row(self.summary.iter().map(|v| num(*v)).collect());
        t.push_note(format!(
            "{} rows; QQ line: intercept {}, slope {}.",
            self.rows,
            num(self.qq.intercept),
            num(self.qq.slope)
        ));
        t
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl PartialEffect {
    /// The effect by grid value or level, with its interval.
    pub fn table(&self) -> Table {
        let ci = level_pct(self.conf_level);
        let (scale, est) = if self.relativity {
            ("relativity", "relativity")
        } else {
            ("link scale", "effect")
        };
        let cols = |first: &str| {
            vec![
                first.to_string(),
                est.to_string(),
                "std. error (link)".into(),
                format!("{ci} low"),
                format!("{ci} high"),
            ]
        };
        let title = format!("Partial effect of {} ({scale})", self.variable);
        let mut t = match &self.kind {
            PartialEffectKind::Numeric(points) => {
                let mut t = Table::new(title, cols(&self.variable));
                for p in points {
                    t.push_row(vec![
                        num(p.x),
                        num(p.fit),
                        num(p.se),
                        num(p.low),
                        num(p.high),
                    ]);
                }
                t
            }
            PartialEffectKind::Categorical(levels) => {
                let mut t = Table::new(title, cols(&self.variable)).text_columns(1);
                for l in levels {
                    t.push_row(vec![
                        l.level.clone(),
                        num(l.estimate),
                        num(l.se),
                        num(l.low),
                        num(l.high),
                    ]);
                }
                t
            }
        };
        t.push_note(format!(
            "Terms: {}. Pointwise intervals.",
            self.terms.join(", ")
        ));
        t
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{lift, lorenz, one_way_labels};

    #[test]
    fn tables_show_levels_and_notes() {
        let labels: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let t =
            one_way_labels("area", &labels, &[1.0, 2.0], &[1.5, 1.5], &[1.0, 1.0], 0.95).unwrap();
        let text = t.to_string();
        assert!(text.contains("Actual vs expected by area"));
        assert!(text.contains("A/E 95% low"));
        assert_eq!(t.table().rows.len(), 2);
        let l = lift(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], &[1.0; 3], 3).unwrap();
        assert_eq!(l.table().rows.len(), 3);
        let g = lorenz(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], &[1.0; 3]).unwrap();
        assert_eq!(g.table().rows.len(), 11);
        assert!(g.to_string().contains("Gini"));
    }
}
