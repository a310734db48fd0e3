//! Benchmark: the group report over 50 schools × 10 periods × 200 responses (issue 17: goal
//! ≤ 300 ms), against the report of the same 100,000 responses in one school's file, measured
//! in the same run.
//!
//!     cargo bench -p zorgenquete --bench groep
//!
//! Every school has its own SQLite file, as on a group service; the group report counts every
//! school (`rapport::groep::tel`) and builds the group's report from the merged counts
//! (`Groepstelling::rapport`). Best of 5 runs each.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use zorgenquete::domain::vragenlijst::{self, Soort, Vragenlijst};
use zorgenquete::domain::{Kanaal, PeriodeNaam};
use zorgenquete::rapport::groep::{self, SchoolBron};
use zorgenquete::rapport::{self, Keuze, MinimumGroep};
use zorgenquete::storage::{self, schrijver::NieuweInzending, schrijver::schrijf_groep};

const SCHOLEN: usize = 50;
const PERIODES: usize = 10;
const PER_PERIODE: usize = 200;

/// `aantal` responses with pseudo-random answers in a new, then closed, period.
fn seed(
    conn: &mut rusqlite::Connection,
    lijst: &Vragenlijst,
    periode: &str,
    aantal: usize,
    x: &mut u64,
) {
    let p = PeriodeNaam::parse(periode).unwrap();
    storage::periode_open(conn, "ouders", &p, Some(aantal as u32)).unwrap();
    let mut groep = Vec::with_capacity(aantal);
    for _ in 0..aantal {
        let mut delen = Vec::new();
        for v in &lijst.vragen {
            *x ^= *x << 13;
            *x ^= *x >> 7;
            *x ^= *x << 17;
            if !matches!(v.soort, Soort::Open { .. }) {
                delen.push(format!("\"{}\":{}", v.sleutel(), *x % 6));
            }
        }
        let antwoorden = format!("{{{}}}", delen.join(","));
        groep.push(NieuweInzending::new(
            "ouders",
            periode,
            Kanaal::Online,
            antwoorden,
        ));
    }
    let refs: Vec<&NieuweInzending> = groep.iter().collect();
    schrijf_groep(conn, &refs).unwrap();
    storage::periode_sluit(conn, "ouders", &p, Default::default()).unwrap();
}

fn beste(n: usize, mut f: impl FnMut()) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content");
    let lijsten = vragenlijst::laad(&root).unwrap();
    let lijst = lijsten.get("ouders").unwrap().clone();
    let map = std::env::temp_dir().join(format!("zorgenquete-bench-groep-{}", std::process::id()));
    std::fs::create_dir_all(&map).unwrap();
    let periodes: Vec<String> = (0..PERIODES)
        .map(|i| format!("{}-{}", 2016 + i, 2017 + i))
        .collect();

    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut alles = storage::open(&map.join("alles.sqlite")).unwrap();
    storage::bewaar_vragen(&alles, &lijsten).unwrap();
    let mut scholen = Vec::new();
    for s in 0..SCHOLEN {
        let conn = storage::open(&map.join(format!("school{s}.sqlite"))).unwrap();
        storage::bewaar_vragen(&conn, &lijsten).unwrap();
        scholen.push(conn);
    }
    for periode in &periodes {
        for conn in scholen.iter_mut() {
            seed(conn, &lijst, periode, PER_PERIODE, &mut x);
        }
        seed(&mut alles, &lijst, periode, SCHOLEN * PER_PERIODE, &mut x);
    }

    let mut n = 0;
    let groep_tijd = beste(5, || {
        // One read transaction per school, as the dashboard holds them.
        let momenten: Vec<_> = scholen
            .iter()
            .map(|c| c.unchecked_transaction().unwrap())
            .collect();
        let mut conns: Vec<&rusqlite::Connection> = momenten.iter().map(|t| &**t).collect();
        let mut bronnen: Vec<SchoolBron<'_>> = conns
            .iter_mut()
            .map(|bron| SchoolBron {
                bron,
                lijst: &lijst,
            })
            .collect();
        let g = groep::tel(&mut bronnen, MinimumGroep::STANDAARD).unwrap();
        let r = g.rapport(|_| true);
        n = r.periodes.len();
    });
    assert_eq!(n, PERIODES);
    let een_tijd = beste(5, || {
        let r = rapport::maak(&alles, &lijst, &Keuze::default()).unwrap();
        n = r.periodes.len();
    });
    assert_eq!(n, PERIODES);
    println!(
        "groepsrapport, {SCHOLEN} scholen × {PERIODES} periodes × {PER_PERIODE} antwoorden: {:.1} ms (doel ≤ 300 ms); dezelfde {} antwoorden in één bestand: {:.1} ms; verhouding {:.2}×",
        groep_tijd.as_secs_f64() * 1000.0,
        SCHOLEN * PERIODES * PER_PERIODE,
        een_tijd.as_secs_f64() * 1000.0,
        groep_tijd.as_secs_f64() / een_tijd.as_secs_f64()
    );
    drop(scholen);
    drop(alles);
    let _ = std::fs::remove_dir_all(&map);
}
