//! Login throttling, in memory: per client address (someone trying many names or passwords
//! from one place) and per account name *at* that address (someone guessing one account),
//! both with growing waits. There is no overall limit: nothing an outsider does from their own
//! address(es) delays a staff member who logs in from another one.
//!
//! An attempt is counted when it starts, before the password is checked, so parallel guesses
//! cannot all slip through while the first are still being checked; a correct login takes its
//! own count back. The first [`VRIJE_POGINGEN_NAAM`] attempts for a name (and
//! [`VRIJE_POGINGEN_ADRES`] for an address) cost nothing; after that every further attempt must
//! wait, twice as long each time (30 s, 1 min, 2 min, … at most 15 min). A count is forgotten
//! after [`VERGEET_NA`] without attempts. A name that does not exist counts alike, so the answer
//! never tells which names exist.
//!
//! Client addresses come from `web::herkomst::KlantAdres` (the proxy's view behind a trusted
//! proxy), are keyed like the rate limit (IPv6 per /64), live only in these maps and are never
//! logged or stored.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::web::begrenzer::sleutel as adres_sleutel;

pub const VRIJE_POGINGEN_NAAM: u32 = 5;
pub const VRIJE_POGINGEN_ADRES: u32 = 20;
pub const EERSTE_WACHTTIJD: Duration = Duration::from_secs(30);
pub const LANGSTE_WACHTTIJD: Duration = Duration::from_secs(15 * 60);
/// A count without attempts for this long starts afresh.
pub const VERGEET_NA: Duration = Duration::from_secs(60 * 60);
/// Entries remembered at most per map (a flood of made-up names or addresses cannot fill the
/// memory). Beyond it the quiet ones are forgotten first; in a flood of distinct addresses the
/// map is cleared (failing open rather than using more memory; the argon2 queue still caps the
/// rate of guesses).
const MAX_TELLERS: usize = 20_000;

#[derive(Debug, Clone, Copy)]
struct Teller {
    pogingen: u32,
    wacht_tot: Option<Instant>,
    laatst: Instant,
}

impl Teller {
    fn nieuw(nu: Instant) -> Teller {
        Teller {
            pogingen: 0,
            wacht_tot: None,
            laatst: nu,
        }
    }

    fn wacht(&self, nu: Instant) -> Option<Duration> {
        self.wacht_tot.filter(|t| *t > nu).map(|t| t - nu)
    }

    /// Counts one attempt; from the `vrij`-th on, the next one must wait.
    fn tel(&mut self, vrij: u32, nu: Instant) {
        if nu.saturating_duration_since(self.laatst) > VERGEET_NA {
            *self = Teller::nieuw(nu);
        }
        self.pogingen += 1;
        self.laatst = nu;
        if self.pogingen >= vrij {
            let stappen = (self.pogingen - vrij).min(10);
            let wacht = (EERSTE_WACHTTIJD * 2u32.pow(stappen)).min(LANGSTE_WACHTTIJD);
            self.wacht_tot = Some(nu + wacht);
        }
    }

    /// Takes one attempt back (it was correct, or never checked).
    fn terug(&mut self, vrij: u32) {
        self.pogingen = self.pogingen.saturating_sub(1);
        if self.pogingen < vrij {
            self.wacht_tot = None;
        }
    }
}

fn maak_ruimte<K: Eq + std::hash::Hash>(map: &mut HashMap<K, Teller>, nu: Instant) {
    if map.len() < MAX_TELLERS {
        return;
    }
    map.retain(|_, t| {
        t.wacht(nu).is_some() && nu.saturating_duration_since(t.laatst) <= VERGEET_NA
    });
    if map.len() >= MAX_TELLERS {
        map.clear();
    }
}

#[derive(Debug, Default)]
pub struct Drempel {
    per_adres: HashMap<IpAddr, Teller>,
    per_naam: HashMap<(String, IpAddr), Teller>,
}

impl Drempel {
    /// Counts an attempt for `naam` from `adres` before its password is checked. `Err`: refused
    /// now (not counted), with how long to wait.
    pub fn probeer(&mut self, naam: &str, adres: IpAddr, nu: Instant) -> Result<(), Duration> {
        let adres = adres_sleutel(adres);
        let sleutel = (naam.to_string(), adres);
        let wacht = [
            self.per_adres.get(&adres).and_then(|t| t.wacht(nu)),
            self.per_naam.get(&sleutel).and_then(|t| t.wacht(nu)),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(w) = wacht {
            return Err(w);
        }
        maak_ruimte(&mut self.per_adres, nu);
        maak_ruimte(&mut self.per_naam, nu);
        self.per_adres
            .entry(adres)
            .or_insert_with(|| Teller::nieuw(nu))
            .tel(VRIJE_POGINGEN_ADRES, nu);
        self.per_naam
            .entry(sleutel)
            .or_insert_with(|| Teller::nieuw(nu))
            .tel(VRIJE_POGINGEN_NAAM, nu);
        Ok(())
    }

    /// A correct login: the name starts afresh at this address, and the address gets this
    /// attempt back (earlier failures from it still count).
    pub fn gelukt(&mut self, naam: &str, adres: IpAddr) {
        let adres = adres_sleutel(adres);
        self.per_naam.remove(&(naam.to_string(), adres));
        if let Some(t) = self.per_adres.get_mut(&adres) {
            t.terug(VRIJE_POGINGEN_ADRES);
        }
    }

    /// The attempt was never checked (the service was too busy): it does not count.
    pub fn niet_gecontroleerd(&mut self, naam: &str, adres: IpAddr) {
        let adres = adres_sleutel(adres);
        if let Some(t) = self.per_naam.get_mut(&(naam.to_string(), adres)) {
            t.terug(VRIJE_POGINGEN_NAAM);
        }
        if let Some(t) = self.per_adres.get_mut(&adres) {
            t.terug(VRIJE_POGINGEN_ADRES);
        }
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
    use crate::web::test_support::ip;

    #[test]
    fn per_name_waits_grow_and_reset_on_success() {
        let mut d = Drempel::default();
        let t0 = Instant::now();
        let a = ip("192.0.2.1");
        for _ in 0..VRIJE_POGINGEN_NAAM - 1 {
            assert_eq!(d.probeer("an", a, t0), Ok(()));
        }
        // The fifth attempt is counted before its password is checked: a sixth sent in
        // parallel already waits.
        assert_eq!(d.probeer("an", a, t0), Ok(()));
        assert_eq!(d.probeer("an", a, t0), Err(EERSTE_WACHTTIJD));
        assert_eq!(
            d.probeer("bo", a, t0),
            Ok(()),
            "other names are not affected"
        );
        let later = t0 + EERSTE_WACHTTIJD;
        assert_eq!(d.probeer("an", a, later), Ok(()));
        assert_eq!(d.probeer("an", a, later), Err(EERSTE_WACHTTIJD * 2));
        d.gelukt("an", a);
        assert_eq!(d.probeer("an", a, later), Ok(()));
    }

    #[test]
    fn one_address_cannot_delay_a_name_at_another_address() {
        let mut d = Drempel::default();
        let t0 = Instant::now();
        let aanvaller = ip("203.0.113.66");
        let mut geweigerd = 0;
        for i in 0..200 {
            if d.probeer(&format!("naam{i}"), aanvaller, t0).is_err() {
                geweigerd += 1;
            }
            if d.probeer("an", aanvaller, t0).is_err() {
                geweigerd += 1;
            }
        }
        // From one address, only the free attempts went through.
        assert_eq!(400 - geweigerd, VRIJE_POGINGEN_ADRES);
        assert!(d.probeer("an", aanvaller, t0).is_err());
        // The real staff member, from another address, is not delayed at all.
        assert_eq!(d.probeer("an", ip("198.51.100.7"), t0), Ok(()));
        // IPv6 neighbours in the same /64 share a count.
        let v6 = ip("2001:db8:1:2::1");
        for i in 0..VRIJE_POGINGEN_ADRES {
            let _ = d.probeer(&format!("x{i}"), v6, t0);
        }
        assert!(d.probeer("z", ip("2001:db8:1:2::99"), t0).is_err());
        assert_eq!(d.probeer("z", ip("2001:db8:1:3::1"), t0), Ok(()));
    }

    #[test]
    fn unchecked_attempts_and_quiet_hours_are_forgotten() {
        let mut d = Drempel::default();
        let t0 = Instant::now();
        let a = ip("192.0.2.9");
        for _ in 0..VRIJE_POGINGEN_NAAM {
            assert_eq!(d.probeer("an", a, t0), Ok(()));
            d.niet_gecontroleerd("an", a);
        }
        assert_eq!(
            d.probeer("an", a, t0),
            Ok(()),
            "never checked, never counted"
        );
        for _ in 0..VRIJE_POGINGEN_NAAM {
            let _ = d.probeer("bo", a, t0);
        }
        assert!(d.probeer("bo", a, t0).is_err());
        let na_uur = t0 + VERGEET_NA + LANGSTE_WACHTTIJD;
        assert_eq!(d.probeer("bo", a, na_uur), Ok(()));
        assert_eq!(d.probeer("bo", a, na_uur), Ok(()), "counting starts afresh");
    }

    #[test]
    fn waits_in_seconds_then_whole_minutes() {
        assert_eq!(wachttijd(Duration::from_secs(30)), ("seconden", 30));
        assert_eq!(wachttijd(Duration::from_secs(60)), ("minuut", 1));
        assert_eq!(wachttijd(Duration::from_secs(61)), ("minuten", 2));
    }
}
