//! Benchmark: durable submissions per second on PostgreSQL, against the SQLite writer in the
//! same run, at the storage level (`Opslag::bewaar`, no HTTP).
//!
//! `cargo bench -p zorgenquete --bench pg_inzendingen`
//! (env: `BENCH_SECONDEN` per engine, default 5; `BENCH_VERBINDINGEN` concurrent submitters,
//! default 64, the load shape of `benches/inzendingen.rs`; `BENCH_RONDES` how many times both
//! engines are measured, alternating, default 1; `BENCH_MAP` where the SQLite file goes,
//! default `target/bench-enquete`.)
//!
//! Why the storage level: `zorgenquete serve` does not run on PostgreSQL yet (the dashboard and
//! the CLI still take a SQLite connection), so the HTTP benchmark cannot point at it. The HTTP
//! side is the same for both engines; `benches/inzendingen.rs` measures it on SQLite.
//!
//! Each engine gets the same submissions: the `ouders` form of `content/` (14 scale answers and
//! one open answer) decoded and validated once, stored by `BENCH_VERBINDINGEN` tasks on a
//! 2-thread runtime (the service's), each storing one submission after the other as fast as the
//! writer answers, for `BENCH_SECONDEN` after one second of warm-up. PostgreSQL is a throwaway
//! server of the test harness started with `fsync = on` (its data folder in the temp folder on
//! the real disk): `bewaar` returns after `COMMIT` with `synchronous_commit = on`, so
//! acknowledged means flushed. Afterwards every engine's rows are counted on a fresh
//! connection: the count must equal the acknowledged submissions, or the benchmark exits 1.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use zorgenquete::domain::antwoord;
use zorgenquete::domain::vragenlijst::{self, Soort, Vragenlijst};
use zorgenquete::domain::{Kanaal, PeriodeNaam};
use zorgenquete::storage::opslag::{DbAdres, Opslag};
use zorgenquete::storage::schrijver::{NieuweInzending, Uitkomst};

/// mimalloc, as in the service (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Meting {
    naam: String,
    bevestigd: u64,
    fouten: u64,
    duur: Duration,
    latenties_us: Vec<u32>,
    /// Acknowledged outside the measured window (warm-up, tail): for the durability check.
    buiten: u64,
}

impl Meting {
    fn per_seconde(&self) -> f64 {
        self.bevestigd as f64 / self.duur.as_secs_f64()
    }

    fn percentiel(&self, p: f64) -> f64 {
        if self.latenties_us.is_empty() {
            return f64::NAN;
        }
        let mut v = self.latenties_us.clone();
        v.sort_unstable();
        let i = ((v.len() as f64 - 1.0) * p).round() as usize;
        v[i] as f64 / 1000.0
    }
}

fn getal(naam: &str, standaard: u64) -> u64 {
    std::env::var(naam)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(standaard)
}

/// The answers of one valid `ouders` form, as the service stores them.
fn antwoorden(lijst: &Vragenlijst) -> String {
    let mut body = String::from("periode=bench");
    for (i, v) in lijst.vragen.iter().enumerate() {
        match v.soort {
            Soort::Open { .. } if i % 2 == 0 => {
                body.push_str(&format!("&{}=Meer+tijd+voor+gesprekken%2C+graag.", v.id))
            }
            Soort::Open { .. } => {}
            _ => body.push_str(&format!("&{}={}", v.id, 1 + i % 5)),
        }
    }
    let gelezen = antwoord::lees(lijst, &antwoord::decodeer(body.as_bytes()));
    match gelezen.resultaat {
        Ok(a) => a.json,
        Err(f) => panic!("het formulier van de benchmark is ongeldig: {f:?}"),
    }
}

/// Stores submissions from `verbindingen` tasks for `duur` after `opwarmen`.
async fn belast(
    naam: String,
    opslag: &Opslag,
    json: &str,
    verbindingen: usize,
    opwarmen: Duration,
    duur: Duration,
) -> Meting {
    let meten = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut taken = Vec::new();
    for _ in 0..verbindingen {
        let (opslag, meten, stop) = (opslag.clone(), meten.clone(), stop.clone());
        let json = json.to_string();
        taken.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(100_000);
            let (mut ok, mut fout, mut buiten) = (0u64, 0u64, 0u64);
            while !stop.load(Ordering::Relaxed) {
                let inz = NieuweInzending::new("ouders", "bench", Kanaal::Online, json.clone());
                let t = Instant::now();
                let r = opslag.bewaar(inz).await;
                let us = t.elapsed().as_micros().min(u32::MAX as u128) as u32;
                let bewaard = matches!(r, Ok(Uitkomst::Bewaard));
                if meten.load(Ordering::Relaxed) {
                    if bewaard {
                        ok += 1;
                        lat.push(us);
                    } else {
                        fout += 1;
                    }
                } else if bewaard {
                    buiten += 1;
                }
            }
            (ok, fout, buiten, lat)
        }));
    }
    tokio::time::sleep(opwarmen).await;
    meten.store(true, Ordering::Relaxed);
    let start = Instant::now();
    tokio::time::sleep(duur).await;
    meten.store(false, Ordering::Relaxed);
    let gemeten = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    let mut m = Meting {
        naam,
        bevestigd: 0,
        fouten: 0,
        duur: gemeten,
        latenties_us: Vec::new(),
        buiten: 0,
    };
    for t in taken {
        let (ok, fout, buiten, lat) = t.await.expect("taak");
        m.bevestigd += ok;
        m.fouten += fout;
        m.buiten += buiten;
        m.latenties_us.extend(lat);
    }
    m
}

fn werkmap() -> PathBuf {
    let basis = std::env::var_os("BENCH_MAP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("target")
                .join("bench-enquete")
        });
    let map = basis.join(format!("pg-run-{}", std::process::id()));
    std::fs::create_dir_all(&map).expect("werkmap");
    map
}

fn main() {
    let duur = Duration::from_secs(getal("BENCH_SECONDEN", 5));
    let verbindingen = getal("BENCH_VERBINDINGEN", 64) as usize;
    let rondes = getal("BENCH_RONDES", 1).max(1);
    let opwarmen = Duration::from_secs(1);
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let lijsten = vragenlijst::laad(&content).expect("vragenlijsten");
    let json = antwoorden(lijsten.get("ouders").expect("ouders.toml"));

    let server = match e2e::postgres::Server::start(&e2e::postgres::Opties {
        fsync: true,
        ..Default::default()
    }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("PostgreSQL startte niet: {e}");
            std::process::exit(2);
        }
    };
    let pg_db = server.databank();
    let map = werkmap();
    let sqlite_pad = map.join("bench.sqlite");

    // The service's runtime: 2 workers, as on the 2-core machine.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("dienst")
        .enable_all()
        .build()
        .expect("runtime");
    let periode = PeriodeNaam::parse("bench").unwrap();
    let (sqlite, draad) = rt
        .block_on(Opslag::open(&DbAdres::Sqlite(sqlite_pad.clone()), None))
        .expect("SQLite");
    let (pg, _) = rt
        .block_on(Opslag::open(&DbAdres::Postgres(pg_db.url()), None))
        .expect("PostgreSQL");
    for o in [&sqlite, &pg] {
        rt.block_on(o.periode_open("ouders", &periode, None))
            .expect("periode");
    }

    println!(
        "zorgenquete inzendingen per engine (Opslag::bewaar, zonder HTTP): {verbindingen} gelijktijdig, {} s per meting, {rondes} ronde(s), antwoorden {} bytes JSON",
        duur.as_secs(),
        json.len()
    );
    println!(
        "SQLite: {}; PostgreSQL: {} (fsync = on, synchronous_commit = on)",
        sqlite_pad.display(),
        pg_db.url()
    );
    let mut metingen: Vec<(Meting, Meting)> = Vec::new();
    for ronde in 1..=rondes {
        let s = rt.block_on(belast(
            format!("SQLite (ronde {ronde})"),
            &sqlite,
            &json,
            verbindingen,
            opwarmen,
            duur,
        ));
        let p = rt.block_on(belast(
            format!("PostgreSQL (ronde {ronde})"),
            &pg,
            &json,
            verbindingen,
            opwarmen,
            duur,
        ));
        metingen.push((s, p));
    }

    // Stop the SQLite writer (every handle dropped, then join) before counting.
    drop(sqlite);
    draad.expect("SQLite-schrijver").join().unwrap();
    drop(pg);
    drop(rt);
    let conn = rusqlite::Connection::open(&sqlite_pad).unwrap();
    let in_sqlite: i64 = conn
        .query_row(
            "SELECT count(*) FROM inzending WHERE periode = 'bench'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    let in_pg = pg_db.getal("SELECT count(*) FROM zorgenquete.inzending WHERE periode = 'bench'");

    println!();
    println!(
        "{:<26} {:>10} {:>9} {:>9} {:>9} {:>8}",
        "", "per s", "p50 ms", "p99 ms", "max ms", "fouten"
    );
    let mut ok = true;
    for (s, p) in &metingen {
        for m in [s, p] {
            println!(
                "{:<26} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>8}",
                m.naam,
                m.per_seconde(),
                m.percentiel(0.5),
                m.percentiel(0.99),
                m.percentiel(1.0),
                m.fouten
            );
        }
        println!(
            "{:<26} {:>10.2}   (PostgreSQL / SQLite); doel PostgreSQL ≥ 2000/s: {}; p99 < 50 ms: {}",
            "verhouding",
            p.per_seconde() / s.per_seconde(),
            if p.per_seconde() >= 2000.0 {
                "ja"
            } else {
                "nee"
            },
            if p.percentiel(0.99) < 50.0 {
                "ja"
            } else {
                "nee"
            }
        );
        ok &= s.fouten == 0 && p.fouten == 0;
    }
    let bevestigd = |kies: fn(&(Meting, Meting)) -> &Meting| -> u64 {
        metingen
            .iter()
            .map(|m| kies(m).bevestigd + kies(m).buiten)
            .sum()
    };
    let (b_s, b_p) = (bevestigd(|m| &m.0), bevestigd(|m| &m.1));
    println!();
    for (engine, b, n) in [("SQLite", b_s, in_sqlite), ("PostgreSQL", b_p, in_pg)] {
        println!(
            "{engine}: bevestigd {b}, bewaard {n} → {}",
            if b == n as u64 {
                "alles bewaard"
            } else {
                "VERSCHIL!"
            }
        );
        ok &= b == n as u64;
    }
    drop(pg_db);
    drop(server);
    let _ = std::fs::remove_dir_all(&map);
    if !ok {
        std::process::exit(1);
    }
}
