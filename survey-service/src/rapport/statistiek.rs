//! Uncertainty for every number the report compares: pure functions, no storage.
//!
//! - A share (e.g. the share agreeing, 4 or 5 on the scale): the 95 % **Wilson** score interval.
//! - A mean: the 95 % **t** interval, `x̄ ± t(0.975, n−1) · s/√n`.
//! - The difference of two shares between two periods: the 95 % **Newcombe hybrid score**
//!   interval (Newcombe 1998, method 10), with the **two-proportion score test** (pooled z) for
//!   its p-value.
//! - The difference of two means: the 95 % **Welch** interval with Welch–Satterthwaite degrees
//!   of freedom, with **Welch's t test** for its p-value.
//! - Many items at once: **Benjamini–Hochberg** at q = 0.05 over the p-values of one family
//!   (one measure, items or categories, one pair of periods). A difference is [`Oordeel::Hoger`]
//!   or [`Oordeel::Lager`] only when its adjusted p-value is at most q AND its (unadjusted) 95 %
//!   interval excludes 0 on that side; otherwise [`Oordeel::GeenDuidelijkVerschil`]. Intervals
//!   are never adjusted: the adjustment only changes verdicts.
//!
//! Quantiles and tail probabilities come from `statrs` (normal and Student's t); nothing here
//! is a hand-written distribution.
//!
//! # Edge cases (nothing is ever NaN)
//!
//! - **0 % or 100 %**: Wilson and Newcombe are defined there (that is why they are used). The
//!   score test with a pooled share of 0 or 1 (everyone, or no one, agrees in both periods) has
//!   no spread: the difference is exactly 0 and its p-value is 1.
//! - **No spread in a period** (everyone gave the same answer): a sample variance of 0 is not
//!   evidence that the spread is 0. Every mean computation uses `max(s², 1/n)`: `1/n` is the
//!   smallest sample variance that n integer answers can have without being all equal (one
//!   answer one point away from the rest), so the floor only ever replaces an exact 0. With it,
//!   Welch is defined even when both periods have no spread; a difference of exactly 0 then
//!   gives the interval around 0 and p = 1.
//! - **Fewer than 2 answers** on the scale (a shown cell where almost everyone said "weet ik
//!   niet"): no t interval can be computed; the interval is the whole scale (1 to 5), a mean
//!   difference gets the whole range (−4 to +4) and p = 1: "we know nothing".
//! - **No scale answers at all** (n = 0): no share, no mean, no interval ([`wilson`] and
//!   [`Groep::nieuw`] give `None`); the report says why instead of comparing.
//! - Intervals of means are clipped to the scale (1 to 5; differences −4 to +4) and intervals of
//!   shares to 0..1 (Wilson and Newcombe never leave it; the clip only removes rounding).

use statrs::distribution::{Continuous, ContinuousCDF, Normal, StudentsT};

pub use zorgsite::model::resultaten::Oordeel;

/// The false discovery rate for Benjamini–Hochberg.
pub const Q: f64 = 0.05;
/// Two-sided 95 %.
const ALFA: f64 = 0.05;
/// The answer scale.
pub const SCHAAL_LAAG: f64 = 1.0;
pub const SCHAAL_HOOG: f64 = 5.0;
/// An answer of 4 or more counts as agreeing (for a category: a respondent's mean of 4 or more).
pub const EENS_VANAF: f64 = 4.0;

/// A 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub laag: f64,
    pub hoog: f64,
}

impl Interval {
    fn binnen(laag: f64, hoog: f64, min: f64, max: f64) -> Interval {
        Interval {
            laag: laag.clamp(min, max),
            hoog: hoog.clamp(min, max),
        }
    }

    /// As written in JSON: `[laag, hoog]`.
    pub fn paar(self) -> [f64; 2] {
        [self.laag, self.hoog]
    }

    pub fn bevat_nul(self) -> bool {
        self.laag <= 0.0 && 0.0 <= self.hoog
    }
}

fn standaardnormaal() -> Normal {
    Normal::standard()
}

/// The two-sided 95 % quantile of the standard normal (1.959964…).
fn z() -> f64 {
    standaardnormaal().inverse_cdf(1.0 - ALFA / 2.0)
}

/// The two-sided 95 % quantile of Student's t with `df` degrees of freedom (df ≥ 1, may be
/// fractional).
///
/// statrs's `inverse_cdf` loses precision for very large df (at df = 10⁷ it gives 1.8266
/// where the quantile is 1.95996; already 1e-7 off at df = 10⁵, which Welch reaches with
/// 100,000 respondents), while its `cdf` stays accurate. So the start value (statrs's inverse
/// for df ≤ 1000, the normal quantile above) is polished with Newton steps on statrs's own
/// `cdf` and `pdf`: root-finding, not a hand-written distribution.
fn t_kwantiel(df: f64) -> f64 {
    let doel = 1.0 - ALFA / 2.0;
    let Ok(t) = StudentsT::new(0.0, 1.0, df) else {
        // Only for df ≤ 0 or NaN, which the callers never pass: be wide rather than wrong.
        return f64::INFINITY;
    };
    let mut x = if df <= 1000.0 {
        t.inverse_cdf(doel)
    } else {
        z()
    };
    for _ in 0..20 {
        let stap = (t.cdf(x) - doel) / t.pdf(x);
        if !stap.is_finite() {
            break;
        }
        x -= stap;
        if stap.abs() < 1e-14 * x.abs() {
            break;
        }
    }
    x
}

/// Two-sided p-value of a t statistic.
fn t_p(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => (2.0 * d.sf(t.abs())).min(1.0),
        Err(_) => 1.0,
    }
}

/// The 95 % Wilson score interval for `x` of `n`; `None` when n = 0.
pub fn wilson(x: u64, n: u64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let (x, n) = (x.min(n) as f64, n as f64);
    let z = z();
    let z2 = z * z;
    let p = x / n;
    let midden = (x + z2 / 2.0) / (n + z2);
    let half = z * n.sqrt() / (n + z2) * (p * (1.0 - p) + z2 / (4.0 * n)).sqrt();
    Some(Interval::binnen(midden - half, midden + half, 0.0, 1.0))
}

/// One group of scale scores (an item's answers 1–5, or a category's scores per respondent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Groep {
    /// Number of scores.
    pub n: u64,
    /// Scores of 4 or more (the share agreeing is `eens / n`).
    pub eens: u64,
    pub gemiddelde: f64,
    /// Sample variance (divisor n − 1; 0 when n < 2), before the floor of [`Groep::spreiding`].
    pub variantie: f64,
}

impl Groep {
    /// From the count, the number agreeing, the sum and the sum of squares; `None` when n = 0.
    pub fn nieuw(n: u64, eens: u64, som: f64, kwadraten: f64) -> Option<Groep> {
        if n == 0 {
            return None;
        }
        let nf = n as f64;
        let gemiddelde = som / nf;
        let variantie = if n < 2 {
            0.0
        } else {
            ((kwadraten - som * gemiddelde) / (nf - 1.0)).max(0.0)
        };
        Some(Groep {
            n,
            eens: eens.min(n),
            gemiddelde,
            variantie,
        })
    }

    /// From counts per answer value (index 1..=5; index 0, "weet ik niet", is left out).
    pub fn uit_aantallen(aantallen: &[u64]) -> Option<Groep> {
        let (mut n, mut eens, mut som, mut kwadraten) = (0u64, 0u64, 0.0, 0.0);
        for w in 1..=5usize {
            let c = aantallen.get(w).copied().unwrap_or(0);
            n += c;
            if w as f64 >= EENS_VANAF {
                eens += c;
            }
            som += (w as u64 * c) as f64;
            kwadraten += (w as u64 * w as u64 * c) as f64;
        }
        Groep::nieuw(n, eens, som, kwadraten)
    }

    pub fn aandeel_eens(&self) -> f64 {
        self.eens as f64 / self.n as f64
    }

    /// The variance used for intervals and tests: at least `1/n` (see the module docs).
    pub fn spreiding(&self) -> f64 {
        self.variantie.max(1.0 / self.n as f64)
    }

    /// The 95 % Wilson interval of the share agreeing.
    pub fn aandeel_interval(&self) -> Interval {
        wilson(self.eens, self.n).expect("a group has n ≥ 1")
    }

    /// The 95 % t interval of the mean, clipped to the scale; the whole scale when n < 2.
    pub fn gemiddelde_interval(&self) -> Interval {
        if self.n < 2 {
            return Interval {
                laag: SCHAAL_LAAG,
                hoog: SCHAAL_HOOG,
            };
        }
        let n = self.n as f64;
        let half = t_kwantiel(n - 1.0) * (self.spreiding() / n).sqrt();
        Interval::binnen(
            self.gemiddelde - half,
            self.gemiddelde + half,
            SCHAAL_LAAG,
            SCHAAL_HOOG,
        )
    }
}

/// A difference (`naar − van`) with its unadjusted 95 % interval and the p-value of the
/// matching test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verschil {
    pub verschil: f64,
    pub interval: Interval,
    pub p: f64,
}

/// Newcombe's hybrid score interval (method 10) for `x2/n2 − x1/n1`; `None` if a group is empty.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<Interval> {
    let (a, b) = (wilson(x1, n1)?, wilson(x2, n2)?);
    let p1 = x1.min(n1) as f64 / n1 as f64;
    let p2 = x2.min(n2) as f64 / n2 as f64;
    let d = p2 - p1;
    let laag = d - ((p2 - b.laag).powi(2) + (a.hoog - p1).powi(2)).sqrt();
    let hoog = d + ((b.hoog - p2).powi(2) + (p1 - a.laag).powi(2)).sqrt();
    Some(Interval::binnen(laag, hoog, -1.0, 1.0))
}

/// The two-proportion score test (pooled z, the same as Pearson's χ² without continuity
/// correction): the two-sided p-value for `x1/n1` against `x2/n2`. 1 when the pooled share is 0
/// or 1 (no spread: the difference is exactly 0); `None` if a group is empty.
pub fn score_test(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (x1, n1, x2, n2) = (x1.min(n1) as f64, n1 as f64, x2.min(n2) as f64, n2 as f64);
    let p = (x1 + x2) / (n1 + n2);
    let se = (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se <= 0.0 {
        return Some(1.0);
    }
    let z = (x2 / n2 - x1 / n1) / se;
    Some((2.0 * standaardnormaal().sf(z.abs())).min(1.0))
}

/// The difference of the shares agreeing (`naar − van`): Newcombe interval, score-test p.
pub fn verschil_aandeel(van: &Groep, naar: &Groep) -> Verschil {
    Verschil {
        verschil: naar.aandeel_eens() - van.aandeel_eens(),
        interval: newcombe(van.eens, van.n, naar.eens, naar.n).expect("groups have n ≥ 1"),
        p: score_test(van.eens, van.n, naar.eens, naar.n).expect("groups have n ≥ 1"),
    }
}

/// The difference of the means (`naar − van`): Welch interval (Welch–Satterthwaite degrees of
/// freedom) and Welch's t test, with the variance floor of [`Groep::spreiding`]. With fewer
/// than 2 scores in a group: the whole range −4..+4 and p = 1.
pub fn verschil_gemiddelde(van: &Groep, naar: &Groep) -> Verschil {
    let d = naar.gemiddelde - van.gemiddelde;
    let bereik = SCHAAL_HOOG - SCHAAL_LAAG;
    if van.n < 2 || naar.n < 2 {
        return Verschil {
            verschil: d,
            interval: Interval {
                laag: -bereik,
                hoog: bereik,
            },
            p: 1.0,
        };
    }
    let v1 = van.spreiding() / van.n as f64;
    let v2 = naar.spreiding() / naar.n as f64;
    let se = (v1 + v2).sqrt();
    let df = (v1 + v2).powi(2) / (v1 * v1 / (van.n as f64 - 1.0) + v2 * v2 / (naar.n as f64 - 1.0));
    let half = t_kwantiel(df) * se;
    Verschil {
        verschil: d,
        interval: Interval::binnen(d - half, d + half, -bereik, bereik),
        p: t_p(d / se, df),
    }
}

/// Benjamini–Hochberg adjusted p-values (as R's `p.adjust(p, "BH")`), in the input order.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut volgorde: Vec<usize> = (0..m).collect();
    volgorde.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut aangepast = vec![1.0; m];
    let mut kleinste: f64 = 1.0;
    for (rang, &i) in volgorde.iter().enumerate().rev() {
        let q = p[i] * m as f64 / (rang + 1) as f64;
        kleinste = kleinste.min(q);
        aangepast[i] = kleinste.min(1.0);
    }
    aangepast
}

/// The verdict: hoger/lager only when the adjusted test rejects at [`Q`] and the unadjusted
/// interval excludes 0 in that direction.
pub fn oordeel(verschil: &Verschil, p_aangepast: f64) -> Oordeel {
    if p_aangepast > Q {
        Oordeel::GeenDuidelijkVerschil
    } else if verschil.interval.laag > 0.0 && verschil.verschil > 0.0 {
        Oordeel::Hoger
    } else if verschil.interval.hoog < 0.0 && verschil.verschil < 0.0 {
        Oordeel::Lager
    } else {
        Oordeel::GeenDuidelijkVerschil
    }
}

/// Verdicts for one family of differences (Benjamini–Hochberg over all of them), in order,
/// with the adjusted p-values.
pub fn oordelen(verschillen: &[Verschil]) -> Vec<(Oordeel, f64)> {
    let p: Vec<f64> = verschillen.iter().map(|v| v.p).collect();
    benjamini_hochberg(&p)
        .into_iter()
        .zip(verschillen)
        .map(|(q, v)| (oordeel(v, q), q))
        .collect()
}

#[cfg(test)]
mod tests {
    //! Reference values, each computed independently of this code:
    //!
    //! - Newcombe (1998), "Interval estimation for the difference between independent
    //!   proportions: comparison of eleven methods", Statistics in Medicine 17:873–890, Table II,
    //!   method 10 (the same numbers come out of statsmodels, below).
    //! - Python 3 with scipy 1.17.1 and statsmodels 0.15.0 (`pip install scipy statsmodels`),
    //!   with the exact command next to each number.

    use super::*;

    fn dicht(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[track_caller]
    fn interval_is(i: Interval, laag: f64, hoog: f64, tol: f64) {
        assert!(
            dicht(i.laag, laag, tol) && dicht(i.hoog, hoog, tol),
            "{i:?} is not [{laag}, {hoog}] ± {tol}"
        );
    }

    #[test]
    fn quantiles_come_from_statrs_and_match_the_tables() {
        // scipy.stats.norm.ppf(0.975) = 1.959963984540054
        assert!(dicht(z(), 1.959963984540054, 1e-9));
        // scipy.stats.t.ppf(0.975, df) for df = 4, 30, 7.5, 1000, 99999, 1e7:
        //   2.7764451051977934, 2.0422724563012378, 2.333039626864974, 1.9623390808264083,
        //   1.9599877077718442, 1.959964221767205
        // (statrs's cdf is good to about 1e-8 at df = 1e7, plenty for an interval.)
        for (df, q, tol) in [
            (4.0, 2.7764451051977934, 1e-10),
            (30.0, 2.0422724563012378, 1e-10),
            (7.5, 2.333039626864974, 1e-10),
            (1000.0, 1.9623390808264083, 1e-10),
            (99_999.0, 1.9599877077718442, 1e-10),
            (1e7, 1.959964221767205, 1e-8),
        ] {
            assert!(dicht(t_kwantiel(df), q, tol), "df {df}: {}", t_kwantiel(df));
        }
        // 2 * scipy.stats.t.sf(1.96, df) for df = 100, 99999: 0.05277890136622966,
        //   0.049998563222030994
        assert!(dicht(t_p(1.96, 100.0), 0.05277890136622966, 1e-10));
        assert!(dicht(t_p(-1.96, 99_999.0), 0.049998563222030994, 1e-10));
    }

    #[test]
    fn wilson_intervals_including_0_and_100_percent() {
        // statsmodels.stats.proportion.proportion_confint(x, n, alpha=0.05, method='wilson')
        //   (36, 63) → (0.44861615, 0.68603082)
        //   (33, 45) → (0.58961162, 0.84035096)
        //   (0, 5)   → (0.0, 0.43448246)
        //   (5, 5)   → (0.56551754, 1.0)
        //   (3, 5)   → (0.23072428, 0.88237923)
        interval_is(wilson(36, 63).unwrap(), 0.44861615, 0.68603082, 1e-7);
        interval_is(wilson(33, 45).unwrap(), 0.58961162, 0.84035096, 1e-7);
        interval_is(wilson(0, 5).unwrap(), 0.0, 0.43448246, 1e-7);
        interval_is(wilson(5, 5).unwrap(), 0.56551754, 1.0, 1e-7);
        interval_is(wilson(3, 5).unwrap(), 0.23072428, 0.88237923, 1e-7);
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn newcombe_matches_the_worked_examples_of_newcombe_1998() {
        // Newcombe 1998, Table II, method 10, for p1 − p2; our function gives x2/n2 − x1/n1, so
        // the arguments are swapped. statsmodels gives the same:
        // confint_proportions_2indep(56, 70, 48, 80, method='newcomb', compare='diff')
        interval_is(newcombe(48, 80, 56, 70).unwrap(), 0.0524, 0.3339, 5e-5);
        interval_is(newcombe(3, 10, 9, 10).unwrap(), 0.1705, 0.8090, 5e-5);
        interval_is(newcombe(2, 7, 6, 7).unwrap(), 0.0582, 0.8062, 5e-5);
        interval_is(newcombe(0, 29, 5, 56).unwrap(), -0.0381, 0.1926, 5e-5);
        // 0 % in both periods, and 100 % against 0 %.
        interval_is(newcombe(0, 20, 0, 10).unwrap(), -0.1611, 0.2775, 5e-5);
        interval_is(newcombe(0, 20, 10, 10).unwrap(), 0.6791, 1.0, 5e-5);
        interval_is(newcombe(0, 10, 10, 10).unwrap(), 0.6075, 1.0, 5e-5);
    }

    #[test]
    fn the_issue_example_63_against_45_answers_may_be_chance() {
        // Issue 15: "akkoord +16 procentpunten" with 63 answers, then 45. 36/63 → 33/45.
        // confint_proportions_2indep(33, 45, 36, 63, method='newcomb', compare='diff')
        //   → (-0.02191473, 0.32480247)
        // proportions_ztest([33, 36], [45, 63]) → z = 1.72700, p = 0.08416849
        let (van, naar) = (
            Groep::nieuw(63, 36, 0.0, 0.0).unwrap(),
            Groep::nieuw(45, 33, 0.0, 0.0).unwrap(),
        );
        let v = verschil_aandeel(&van, &naar);
        assert!(dicht(v.verschil, 33.0 / 45.0 - 36.0 / 63.0, 1e-12));
        assert!(dicht(v.verschil, 0.1619, 1e-4), "+16 points");
        interval_is(v.interval, -0.02191473, 0.32480247, 1e-7);
        assert!(dicht(v.p, 0.08416849, 1e-7));
        assert_eq!(oordelen(&[v])[0].0, Oordeel::GeenDuidelijkVerschil);
    }

    #[test]
    fn score_test_p_values_and_their_edge_cases() {
        // statsmodels.stats.proportion.proportions_ztest([56, 48], [70, 80])
        //   → z = 2.65017, p = 0.00804508
        assert!(dicht(score_test(48, 80, 56, 70).unwrap(), 0.00804508, 1e-7));
        // proportions_ztest([5, 0], [5, 5]) → p = 0.00156540 (n = 5, 100 % against 0 %)
        assert!(dicht(score_test(0, 5, 5, 5).unwrap(), 0.00156540, 1e-7));
        // Everyone agrees in both periods (pooled 100 %), or no one does: no spread, p = 1.
        assert_eq!(score_test(5, 5, 7, 7), Some(1.0));
        assert_eq!(score_test(0, 5, 0, 9), Some(1.0));
        assert_eq!(score_test(0, 0, 1, 5), None);
    }

    #[test]
    fn t_interval_of_a_mean() {
        // Answers 4,4,4,5,5,2,2,3 (n = 8): mean 3.625, s² = 1.4107142857.
        // scipy.stats.t.interval(0.95, 7, loc=3.625, scale=math.sqrt(1.4107142857/8))
        //   → (2.63202874, 4.61797126)
        let g = Groep::uit_aantallen(&[0, 0, 2, 1, 3, 2]).unwrap();
        assert_eq!((g.n, g.eens), (8, 5));
        assert!(dicht(g.gemiddelde, 3.625, 1e-12));
        assert!(dicht(g.variantie, 1.4107142857, 1e-9));
        interval_is(g.gemiddelde_interval(), 2.63202874, 4.61797126, 1e-7);
        // "weet ik niet" (index 0) does not count.
        assert_eq!(Groep::uit_aantallen(&[9, 0, 2, 1, 3, 2]).unwrap().n, 8);
        assert_eq!(Groep::uit_aantallen(&[9, 0, 0, 0, 0, 0]), None);
    }

    #[test]
    fn no_spread_uses_the_floor_and_n_below_2_the_whole_scale() {
        // Five times "5": s² = 0 → floor 1/5. Clipped to the scale at the top.
        // scipy.stats.t.interval(0.95, 4, loc=5, scale=math.sqrt(0.2/5)) → (4.44471098, 5.55528902)
        let g = Groep::uit_aantallen(&[0, 0, 0, 0, 0, 5]).unwrap();
        assert_eq!(g.variantie, 0.0);
        assert!(dicht(g.spreiding(), 0.2, 1e-12));
        interval_is(g.gemiddelde_interval(), 4.44471098, 5.0, 1e-7);
        // The floor never changes a real spread: 4,4,4,4,5 has s² = 0.2 = 1/5 exactly.
        let h = Groep::uit_aantallen(&[0, 0, 0, 0, 4, 1]).unwrap();
        assert!(dicht(h.variantie, 0.2, 1e-12));
        // One answer: the whole scale.
        let een = Groep::uit_aantallen(&[0, 0, 0, 1, 0, 0]).unwrap();
        interval_is(een.gemiddelde_interval(), 1.0, 5.0, 0.0);
        let v = verschil_gemiddelde(&een, &g);
        interval_is(v.interval, -4.0, 4.0, 0.0);
        assert_eq!(v.p, 1.0);
        assert!(v.verschil.is_finite());
    }

    #[test]
    fn welch_intervals_and_p_values() {
        // Period A 4,4,4,5,5,2,2,3 (n 8); B 5,5,5,5,4,4,4,3,3 (n 9).
        // scipy.stats.ttest_ind([5,5,5,5,4,4,4,3,3], [4,4,4,5,5,2,2,3], equal_var=False)
        //   → t = 1.18617, p = 0.25780288, df = 12.39042 (res.df)
        // res.confidence_interval(0.95) → (-0.49596157, 1.69040601) around 38/9 − 29/8
        let a = Groep::uit_aantallen(&[0, 0, 2, 1, 3, 2]).unwrap();
        let b = Groep::uit_aantallen(&[0, 0, 0, 2, 3, 4]).unwrap();
        let v = verschil_gemiddelde(&a, &b);
        assert!(dicht(v.verschil, 38.0 / 9.0 - 3.625, 1e-12));
        interval_is(v.interval, -0.49596157, 1.69040601, 1e-6);
        assert!(dicht(v.p, 0.25780288, 1e-6));
    }

    #[test]
    fn welch_with_no_spread_in_one_or_both_periods() {
        // Both periods all "4": difference exactly 0, p = 1, no verdict.
        let vier5 = Groep::uit_aantallen(&[0, 0, 0, 0, 5, 0]).unwrap();
        let vier9 = Groep::uit_aantallen(&[0, 0, 0, 0, 9, 0]).unwrap();
        let v = verschil_gemiddelde(&vier5, &vier9);
        assert_eq!(v.verschil, 0.0);
        assert_eq!(v.p, 1.0);
        assert!(v.interval.bevat_nul());
        assert_eq!(oordelen(&[v])[0].0, Oordeel::GeenDuidelijkVerschil);
        // All "4" (n 5) against all "5" (n 5): floors 1/5 each.
        // scipy.stats.ttest_ind_from_stats(5, math.sqrt(.2), 5, 4, math.sqrt(.2), 5, equal_var=False)
        //   → t = 3.53553, p = 0.00766973 (df 8); interval 1 ± t.ppf(.975, 8)·sqrt(.08)
        //   = 1 ± 0.65223646
        let vijf5 = Groep::uit_aantallen(&[0, 0, 0, 0, 0, 5]).unwrap();
        let v = verschil_gemiddelde(&vier5, &vijf5);
        assert_eq!(v.verschil, 1.0);
        interval_is(v.interval, 1.0 - 0.65223646, 1.0 + 0.65223646, 1e-7);
        assert!(dicht(v.p, 0.00766973, 1e-7));
        assert_eq!(oordelen(&[v])[0].0, Oordeel::Hoger);
        // One period without spread, the other with: the floor applies to the first only.
        // ttest_ind_from_stats(3.625, math.sqrt(1.4107142857), 8, 5, math.sqrt(.2), 5,
        //   equal_var=False) → t = -2.95621, p = 0.01489568
        let a = Groep::uit_aantallen(&[0, 0, 2, 1, 3, 2]).unwrap();
        let v = verschil_gemiddelde(&vijf5, &a);
        assert!(dicht(v.p, 0.01489568, 1e-7));
        assert!(v.interval.hoog < 0.0);
    }

    #[test]
    fn benjamini_hochberg_matches_statsmodels() {
        // statsmodels.stats.multitest.multipletests([0.01, 0.04, 0.03, 0.005, 0.5],
        //   method='fdr_bh')[1] → [0.025, 0.05, 0.05, 0.025, 0.5]
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, 0.5]);
        for (a, b) in q.iter().zip([0.025, 0.05, 0.05, 0.025, 0.5]) {
            assert!(dicht(*a, b, 1e-12), "{q:?}");
        }
        assert!(benjamini_hochberg(&[]).is_empty());
        assert_eq!(benjamini_hochberg(&[1.0, 1.0]), vec![1.0, 1.0]);
    }

    #[test]
    fn many_items_at_once_need_stronger_evidence() {
        // One share difference with p ≈ 0.008 is "hoger" alone (56/70 against 48/80) ...
        let van = Groep::nieuw(80, 48, 0.0, 0.0).unwrap();
        let naar = Groep::nieuw(70, 56, 0.0, 0.0).unwrap();
        let echt = verschil_aandeel(&van, &naar);
        assert_eq!(oordelen(&[echt])[0].0, Oordeel::Hoger);
        // ... but among 15 items that did not change (p = 1) it is 0.008 × 16 > 0.05: no verdict.
        let gelijk = verschil_aandeel(&van, &van);
        let mut familie = vec![gelijk; 15];
        familie.push(echt);
        let uit = oordelen(&familie);
        assert_eq!(uit[15].0, Oordeel::GeenDuidelijkVerschil);
        assert!(uit[15].1 > 0.05);
        // A drop is "lager".
        let terug = verschil_aandeel(&naar, &van);
        assert_eq!(oordelen(&[terug])[0].0, Oordeel::Lager);
    }

    #[test]
    fn an_interval_touching_zero_is_no_verdict_even_if_the_test_rejects() {
        let v = Verschil {
            verschil: 0.1,
            interval: Interval {
                laag: 0.0,
                hoog: 0.2,
            },
            p: 0.01,
        };
        assert_eq!(oordeel(&v, 0.01), Oordeel::GeenDuidelijkVerschil);
    }

    #[test]
    fn verdicts_serialise_as_the_dutch_words() {
        let woorden: Vec<String> = Oordeel::ALLE
            .iter()
            .map(|o| serde_json::to_string(o).unwrap())
            .collect();
        assert_eq!(
            woorden,
            [
                "\"hoger\"",
                "\"lager\"",
                "\"geen duidelijk verschil\"",
                "\"niet vergelijkbaar\""
            ]
        );
    }
}
