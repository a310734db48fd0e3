//! Login throttling, in memory: per account name (whether or not it exists, so the answer
//! never tells) and overall (someone trying many names).
//!
//! Per name: the first [`VRIJE_FOUTEN`] wrong passwords cost nothing; after that every further
//! attempt must wait, twice as long each time (30 s, 1 min, 2 min, … at most 15 min). A correct
//! login resets the count. Overall: when more than [`TOTAAL_MAX`] wrong passwords arrive within
//! [`TOTAAL_VENSTER`], every login waits until the window has room again.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

pub const VRIJE_FOUTEN: u32 = 5;
pub const EERSTE_WACHTTIJD: Duration = Duration::from_secs(30);
pub const LANGSTE_WACHTTIJD: Duration = Duration::from_secs(15 * 60);
pub const TOTAAL_MAX: usize = 100;
pub const TOTAAL_VENSTER: Duration = Duration::from_secs(10 * 60);
/// Names remembered at most (a flood of made-up names cannot fill the memory).
const MAX_NAMEN: usize = 10_000;

#[derive(Debug, Default)]
struct Teller {
    fouten: u32,
    wacht_tot: Option<Instant>,
    laatst: Option<Instant>,
}

#[derive(Debug)]
pub struct Drempel {
    per_naam: HashMap<String, Teller>,
    recent: VecDeque<Instant>,
    totaal_max: usize,
}

impl Default for Drempel {
    fn default() -> Self {
        Drempel::new(TOTAAL_MAX)
    }
}

impl Drempel {
    pub fn new(totaal_max: usize) -> Drempel {
        Drempel {
            per_naam: HashMap::new(),
            recent: VecDeque::new(),
            totaal_max,
        }
    }

    /// `None` when a login for `naam` may be tried now, else how long to wait.
    pub fn wacht(&mut self, naam: &str, nu: Instant) -> Option<Duration> {
        while self
            .recent
            .front()
            .is_some_and(|t| nu.duration_since(*t) > TOTAAL_VENSTER)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= self.totaal_max
            && let Some(oudste) = self.recent.front()
        {
            return Some(TOTAAL_VENSTER.saturating_sub(nu.duration_since(*oudste)));
        }
        let tot = self.per_naam.get(naam)?.wacht_tot?;
        (tot > nu).then(|| tot - nu)
    }

    /// Records a wrong password (or unknown name).
    pub fn mislukt(&mut self, naam: &str, nu: Instant) {
        self.recent.push_back(nu);
        if self.per_naam.len() >= MAX_NAMEN && !self.per_naam.contains_key(naam) {
            // Forget names that have not been tried for the longest wait.
            self.per_naam.retain(|_, t| {
                t.laatst
                    .is_some_and(|l| nu.duration_since(l) < LANGSTE_WACHTTIJD)
            });
        }
        let t = self.per_naam.entry(naam.to_string()).or_default();
        t.fouten += 1;
        t.laatst = Some(nu);
        if t.fouten >= VRIJE_FOUTEN {
            let stappen = (t.fouten - VRIJE_FOUTEN).min(10);
            let wacht = (EERSTE_WACHTTIJD * 2u32.pow(stappen)).min(LANGSTE_WACHTTIJD);
            t.wacht_tot = Some(nu + wacht);
        }
    }

    /// A correct login: the name starts afresh.
    pub fn gelukt(&mut self, naam: &str) {
        self.per_naam.remove(naam);
    }
}

/// How long to wait, rounded up: the unit (the text `beheer.wachttijd.<unit>`: seconden, minuut,
/// minuten) and the number.
pub fn wachttijd(d: Duration) -> (&'static str, u64) {
    let s = d.as_secs().max(1);
    if s < 60 {
        ("seconden", s)
    } else {
        let m = s.div_ceil(60);
        (if m == 1 { "minuut" } else { "minuten" }, m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_name_waits_grow_and_reset_on_success() {
        let mut d = Drempel::default();
        let t0 = Instant::now();
        for _ in 0..VRIJE_FOUTEN - 1 {
            assert_eq!(d.wacht("an", t0), None);
            d.mislukt("an", t0);
        }
        assert_eq!(d.wacht("an", t0), None);
        d.mislukt("an", t0);
        assert_eq!(d.wacht("an", t0), Some(EERSTE_WACHTTIJD));
        assert_eq!(d.wacht("bo", t0), None, "other names are not affected");
        let later = t0 + EERSTE_WACHTTIJD;
        assert_eq!(d.wacht("an", later), None);
        d.mislukt("an", later);
        assert_eq!(d.wacht("an", later), Some(EERSTE_WACHTTIJD * 2));
        d.gelukt("an");
        assert_eq!(d.wacht("an", later), None);
    }

    #[test]
    fn many_names_trip_the_overall_limit() {
        let mut d = Drempel::new(3);
        let t0 = Instant::now();
        for naam in ["a", "b", "c"] {
            d.mislukt(naam, t0);
        }
        assert!(d.wacht("d", t0).is_some(), "overall limit reached");
        let na = t0 + TOTAAL_VENSTER + Duration::from_secs(1);
        assert_eq!(d.wacht("d", na), None, "window passed");
    }

    #[test]
    fn waits_in_seconds_then_whole_minutes() {
        assert_eq!(wachttijd(Duration::from_secs(30)), ("seconden", 30));
        assert_eq!(wachttijd(Duration::from_secs(60)), ("minuut", 1));
        assert_eq!(wachttijd(Duration::from_secs(61)), ("minuten", 2));
    }
}
