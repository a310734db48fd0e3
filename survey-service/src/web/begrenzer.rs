//! Rate limits per client address: a token bucket per client, in memory only.
//!
//! The client is the TCP peer, or behind a trusted reverse proxy the address the proxy saw
//! ([`super::herkomst::KlantAdres`]). A parents' evening sends a few hundred answers from one
//! school network (one shared IP) in an hour, so the bucket for answers is large
//! ([`Limiet::standaard`]: 300 at once, then 600 an hour); a flood from one client is cut off
//! after that. Requests that can never store anything (no or a used form token, not a form, too
//! large) take from a second, smaller bucket per client ([`Limiet::rommel`]), so junk never
//! spends the tokens of the parents behind the same address (see `web::enquete::verstuur`).
//!
//! Addresses are kept only as keys of this map: never stored, never logged, and forgotten once
//! their bucket is full again. IPv6 clients are keyed by their /64 network (one household or
//! school gets a whole /64).
//!
//! Hand-written on purpose: `governor` 0.10 (GCRA, the same arithmetic) brings `dashmap`,
//! `quanta`, `futures-timer`, `nonzero_ext` and more for these 80 lines, and has no way to give
//! a token back ([`Begrenzer::geef_terug`], used when the period turned out to be closed).
//! Usable for any route: [`Begrenzer::toegestaan`] answers whether this request may go on.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many requests one address may make: `burst` at once, then `per_uur` an hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limiet {
    pub burst: u32,
    pub per_uur: u32,
}

impl Limiet {
    /// For public survey submissions: a whole parents' evening from one network fits.
    pub const fn standaard() -> Limiet {
        Limiet {
            burst: 300,
            per_uur: 600,
        }
    }

    /// For requests that cannot store anything (junk): a tenth of [`Limiet::standaard`] at
    /// once, then the same rate. Honest parents meet this only with an expired or already sent
    /// form.
    pub const fn rommel() -> Limiet {
        Limiet {
            burst: 30,
            per_uur: 600,
        }
    }

    /// `per_uur` an hour, half of it at once; 0 means no limit.
    pub fn per_uur(per_uur: u32) -> Option<Limiet> {
        (per_uur > 0).then_some(Limiet {
            burst: (per_uur / 2).max(1),
            per_uur,
        })
    }
}

impl Default for Limiet {
    fn default() -> Self {
        Limiet::standaard()
    }
}

/// At most this many addresses are tracked; beyond it, full buckets are dropped first and, in a
/// flood of distinct addresses, the map is cleared (failing open rather than using more memory).
const MAX_ADRESSEN: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Emmer {
    tokens: f64,
    bijgevuld: Instant,
}

/// One limiter (e.g. one for submissions, one for logins). Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Begrenzer {
    limiet: Limiet,
    emmers: Mutex<HashMap<IpAddr, Emmer>>,
}

/// The key for an address: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64 network (one
/// home or school network). The login throttle keys on it too.
pub(crate) fn sleutel(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl Begrenzer {
    pub fn new(limiet: Limiet) -> Begrenzer {
        Begrenzer {
            limiet,
            emmers: Mutex::new(HashMap::new()),
        }
    }

    pub fn limiet(&self) -> Limiet {
        self.limiet
    }

    /// Takes one token for `ip` if there is one. `false`: the caller answers 429.
    pub fn toegestaan(&self, ip: IpAddr) -> bool {
        self.toegestaan_op(ip, Instant::now())
    }

    fn per_seconde(&self) -> f64 {
        f64::from(self.limiet.per_uur) / 3600.0
    }

    fn toegestaan_op(&self, ip: IpAddr, nu: Instant) -> bool {
        let burst = f64::from(self.limiet.burst.max(1));
        let tempo = self.per_seconde();
        let Ok(mut emmers) = self.emmers.lock() else {
            return true;
        };
        if emmers.len() >= MAX_ADRESSEN {
            let vol = |e: &Emmer| {
                e.tokens + tempo * nu.saturating_duration_since(e.bijgevuld).as_secs_f64() >= burst
            };
            emmers.retain(|_, e| !vol(e));
            if emmers.len() >= MAX_ADRESSEN {
                emmers.clear();
            }
        }
        let emmer = emmers.entry(sleutel(ip)).or_insert(Emmer {
            tokens: burst,
            bijgevuld: nu,
        });
        let verstreken = nu.saturating_duration_since(emmer.bijgevuld).as_secs_f64();
        emmer.tokens = (emmer.tokens + verstreken * tempo).min(burst);
        emmer.bijgevuld = nu;
        if emmer.tokens >= 1.0 {
            emmer.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Gives back the token of a request that turned out to cost nothing (e.g. the period had
    /// closed meanwhile); never above the burst.
    pub fn geef_terug(&self, ip: IpAddr) {
        let burst = f64::from(self.limiet.burst.max(1));
        if let Ok(mut emmers) = self.emmers.lock()
            && let Some(e) = emmers.get_mut(&sleutel(ip))
        {
            e.tokens = (e.tokens + 1.0).min(burst);
        }
    }

    /// How long until `ip` may send again (for the `Retry-After` header), at least 1 s.
    pub fn wachttijd(&self) -> Duration {
        let tempo = self.per_seconde();
        if tempo <= 0.0 {
            return Duration::from_secs(3600);
        }
        Duration::from_secs_f64((1.0 / tempo).clamp(1.0, 3600.0))
    }

    /// Number of addresses currently tracked (for tests).
    pub fn aantal_adressen(&self) -> usize {
        self.emmers.lock().map_or(0, |e| e.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::test_support::ip;

    #[test]
    fn a_burst_passes_then_the_bucket_refills_slowly() {
        let b = Begrenzer::new(Limiet {
            burst: 300,
            per_uur: 600,
        });
        let t0 = Instant::now();
        let school = ip("192.0.2.10");
        for i in 0..300 {
            assert!(b.toegestaan_op(school, t0), "request {i} of the burst");
        }
        assert!(!b.toegestaan_op(school, t0));
        // Another address is not affected.
        assert!(b.toegestaan_op(ip("192.0.2.11"), t0));
        // 600 an hour: one token every 6 s.
        assert!(!b.toegestaan_op(school, t0 + Duration::from_secs(5)));
        assert!(b.toegestaan_op(school, t0 + Duration::from_secs(7)));
        assert!(!b.toegestaan_op(school, t0 + Duration::from_secs(8)));
        // Never more than the burst, however long it was quiet.
        let later = t0 + Duration::from_secs(100_000);
        for _ in 0..300 {
            assert!(b.toegestaan_op(school, later));
        }
        assert!(!b.toegestaan_op(school, later));
        assert_eq!(b.wachttijd(), Duration::from_secs(6));
        // A token given back can be used again, once.
        let ander = ip("192.0.2.12");
        for _ in 0..300 {
            assert!(b.toegestaan_op(ander, later));
        }
        assert!(!b.toegestaan_op(ander, later));
        b.geef_terug(ander);
        assert!(b.toegestaan_op(ander, later));
        assert!(!b.toegestaan_op(ander, later));
        assert_eq!(Limiet::per_uur(600), Some(Limiet::standaard()));
        assert_eq!(Limiet::per_uur(0), None);
    }

    #[test]
    fn ipv6_clients_share_their_64_network() {
        let b = Begrenzer::new(Limiet {
            burst: 2,
            per_uur: 1,
        });
        let t0 = Instant::now();
        assert!(b.toegestaan_op(ip("2001:db8:1:2::1"), t0));
        assert!(b.toegestaan_op(ip("2001:db8:1:2::ffff"), t0));
        assert!(!b.toegestaan_op(ip("2001:db8:1:2:aaaa::1"), t0));
        assert!(b.toegestaan_op(ip("2001:db8:1:3::1"), t0));
        // IPv4-mapped IPv6 is the IPv4 address.
        assert!(b.toegestaan_op(ip("::ffff:192.0.2.1"), t0));
        assert!(b.toegestaan_op(ip("192.0.2.1"), t0));
        assert!(!b.toegestaan_op(ip("192.0.2.1"), t0));
        assert_eq!(b.aantal_adressen(), 3);
    }
}
