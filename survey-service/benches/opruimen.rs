//! Benchmark: how long a submission to an open period waits while old free pages are handed
//! back, with a full `VACUUM` (one exclusive rewrite) against the incremental steps the service
//! uses (`storage::vacuum::geef_vrije_paginas_terug`).
//!
//! `cargo bench -p zorgenquete --bench opruimen`
//! (env: `BENCH_ANTWOORDEN` responses in the old period, default 20000; `BENCH_MAP` where the
//! database goes, default `target/bench-opruimen`, a real disk.)
//!
//! For each method: a database with an old closed period of `BENCH_ANTWOORDEN` responses and
//! an open period; the old period's rows are deleted (the pages go to the free list); then a
//! writer thread stores one response at a time in the open period through the real writer path
//! (`schrijf_groep`, synchronous = FULL, about one per millisecond) while the main thread hands the free pages back. The
//! database also holds a kept period of as many responses (the live data a full `VACUUM`
//! rewrites). A first run without any cleanup (1 s) gives the writer's own latencies. The
//! printed numbers: how long the cleanup took, and the longest and p99 wait of a submission
//! during it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use zorgenquete::domain::{Kanaal, PeriodeNaam};
use zorgenquete::storage::{self, schrijver::NieuweInzending, schrijver::schrijf_groep, vacuum};

fn antwoord(periode: &str, i: usize) -> NieuweInzending {
    let mut delen: Vec<String> = (0..14)
        .map(|k| format!(r#""v{k}@1":{}"#, 1 + (i + k) % 5))
        .collect();
    delen.push(format!(
        r#""idee@1":"Een open antwoord van ongeveer zestig tekens, nummer {i}""#
    ));
    let antwoorden = format!("{{{}}}", delen.join(","));
    NieuweInzending::new("ouders", periode, Kanaal::Online, antwoorden)
}

fn maak(pad: &Path, n: usize) {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", pad.display()));
    }
    let mut conn = storage::open(pad).unwrap();
    let oud = PeriodeNaam::parse("2019-2020").unwrap();
    storage::periode_open(&mut conn, "ouders", &oud, None).unwrap();
    let rijen: Vec<NieuweInzending> = (0..n).map(|i| antwoord("2019-2020", i)).collect();
    for groep in rijen.chunks(1024) {
        let refs: Vec<&NieuweInzending> = groep.iter().collect();
        schrijf_groep(&mut conn, &refs).unwrap();
    }
    storage::periode_sluit(&mut conn, "ouders", &oud, Default::default()).unwrap();
    // A period that stays: the live data a full VACUUM has to rewrite.
    let blijft = PeriodeNaam::parse("2024-2025").unwrap();
    storage::periode_open(&mut conn, "ouders", &blijft, None).unwrap();
    let rijen: Vec<NieuweInzending> = (0..n).map(|i| antwoord("2024-2025", i)).collect();
    for groep in rijen.chunks(1024) {
        let refs: Vec<&NieuweInzending> = groep.iter().collect();
        schrijf_groep(&mut conn, &refs).unwrap();
    }
    storage::periode_sluit(&mut conn, "ouders", &blijft, Default::default()).unwrap();
    let nu = PeriodeNaam::parse("2025-2026").unwrap();
    storage::periode_open(&mut conn, "ouders", &nu, None).unwrap();
    conn.execute("DELETE FROM inzending WHERE periode = '2019-2020'", [])
        .unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
}

fn meet(naam: &str, pad: &Path, opruimen: impl FnOnce(&rusqlite::Connection)) {
    let conn = storage::open(pad).unwrap();
    let vrij: i64 = conn
        .pragma_query_value(None, "freelist_count", |r| r.get(0))
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let schrijver = {
        let stop = stop.clone();
        let pad = pad.to_path_buf();
        std::thread::spawn(move || {
            let mut c = storage::open(&pad).unwrap();
            let mut wachten = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let a = antwoord("2025-2026", i);
                let begin = Instant::now();
                schrijf_groep(&mut c, &[&a]).unwrap();
                wachten.push(begin.elapsed());
                i += 1;
                // A busy parents' evening, not a flood: a submission every millisecond or so
                // (a writer that never lets go would starve any other connection).
                std::thread::sleep(Duration::from_millis(1));
            }
            wachten
        })
    };
    // Let the writer get going first.
    std::thread::sleep(Duration::from_millis(200));
    let begin = Instant::now();
    opruimen(&conn);
    let duur = begin.elapsed();
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    let mut wachten = schrijver.join().unwrap();
    wachten.sort_unstable();
    let p99 = wachten[(wachten.len() - 1) * 99 / 100];
    let max = *wachten.last().unwrap();
    println!(
        "{naam:<26} {vrij:>7} vrije pagina's  opruimen {:>8.1} ms   inzending: p99 {:>6.1} ms, langste {:>7.1} ms ({} inzendingen)",
        duur.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0,
        max.as_secs_f64() * 1000.0,
        wachten.len()
    );
}

fn main() {
    let n: usize = std::env::var("BENCH_ANTWOORDEN")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let map = std::env::var("BENCH_MAP")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-opruimen")
        });
    std::fs::create_dir_all(&map).unwrap();
    let pad = map.join("opruimen.sqlite");
    println!("{n} antwoorden in de oude periode verwijderd, {n} in een andere blijven; daarna:");
    maak(&pad, n);
    meet("niets (ter vergelijking)", &pad, |_| {
        std::thread::sleep(Duration::from_millis(1000));
    });
    maak(&pad, n);
    meet("volledige VACUUM", &pad, |c| {
        c.execute_batch("VACUUM").unwrap();
    });
    maak(&pad, n);
    meet("incrementeel (64 pagina's)", &pad, |c| {
        let s = vacuum::geef_vrije_paginas_terug(c).unwrap();
        println!(
            "  {} stappen, langste stap {:.1} ms",
            s.stappen,
            s.langste.as_secs_f64() * 1000.0
        );
    });
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", pad.display()));
    }
}
