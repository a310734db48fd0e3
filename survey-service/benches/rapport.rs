//! Report and export speed, against a plain scan of the same rows measured in the same run.
//!
//! 1. The period report (`rapport::maak`, with every interval and the category scores per
//!    respondent) for 100,000 responses: goal ≤ 100 ms. Then, in a second database file, the
//!    same number of responses as two periods of 50,000 with the comparison (Newcombe, Welch,
//!    Benjamini–Hochberg).
//!    Each line gives the wall time and the process's CPU time (`rekentijd`, from getrusage,
//!    both threads of the report: the reading one and the counting one): on a machine shared
//!    with other builds compare CPU times; with two threads the wall time can be below it.
//!    `BENCH_ALLEEN_RAPPORT=1` stops after part 1 (for profiling the report alone).
//!    And the results page for that report (summary matrix sorted by change, themes, item
//!    list; the theme's template as the dashboard renders it): `samenvattingspagina`.
//! 2. The raw CSV export of 1,000,000 responses: goal ≤ 2 s, with flat memory (the peak of
//!    bytes allocated during the export is printed; it must not grow with the row count).
//!
//!     cargo bench -p zorgenquete --bench rapport

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use zorgenquete::domain::vragenlijst::{self, Soort, Vragenlijst};
use zorgenquete::domain::{Kanaal, PeriodeNaam};
use zorgenquete::rapport::export::{self, Formaat, Opdracht};
use zorgenquete::rapport::{self, Keuze};
use zorgenquete::storage::{self, schrijver::NieuweInzending, schrijver::schrijf_groep};

/// Counts live heap bytes and their peak, to show the export's memory stays flat.
struct Teller;
static LEVEND: AtomicUsize = AtomicUsize::new(0);
static PIEK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Teller {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let nu = LEVEND.fetch_add(l.size(), Ordering::Relaxed) + l.size();
        PIEK.fetch_max(nu, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LEVEND.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static ALLOC: Teller = Teller;

fn seed(conn: &mut rusqlite::Connection, lijst: &Vragenlijst, periode: &str, aantal: usize) {
    seed_met(conn, lijst, periode, aantal, 0x9e37_79b9_7f4a_7c15);
}

fn seed_met(
    conn: &mut rusqlite::Connection,
    lijst: &Vragenlijst,
    periode: &str,
    aantal: usize,
    zaad: u64,
) {
    let p = PeriodeNaam::parse(periode).unwrap();
    storage::periode_open(conn, "ouders", &p, Some(aantal as u32)).unwrap();
    let mut x: u64 = zaad;
    let mut groep = Vec::with_capacity(1024);
    for i in 0..aantal {
        let mut delen = Vec::new();
        for v in &lijst.vragen {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            match v.soort {
                Soort::Open { .. } if i % 4 == 0 => delen.push(format!(
                    "\"{}\":\"Meer uitleg over het rapport, graag.\"",
                    v.sleutel()
                )),
                Soort::Open { .. } => {}
                _ => delen.push(format!("\"{}\":{}", v.sleutel(), x % 6)),
            }
        }
        let kanaal = if i % 10 == 0 {
            Kanaal::Papier
        } else {
            Kanaal::Online
        };
        let antwoorden = format!("{{{}}}", delen.join(","));
        groep.push(NieuweInzending::new("ouders", periode, kanaal, antwoorden));
        if groep.len() == 1024 || i + 1 == aantal {
            let refs: Vec<&NieuweInzending> = groep.iter().collect();
            schrijf_groep(conn, &refs).unwrap();
            groep.clear();
        }
    }
    storage::periode_sluit(conn, "ouders", &p, Default::default()).unwrap();
}

/// Reads every row of `sql` and touches its third column (the answers' JSON) without parsing
/// it, on one thread: the floor of a one-thread report or export over the same rows.
fn kale_scan(conn: &rusqlite::Connection, sql: &str) {
    let mut stmt = conn.prepare_cached(sql).unwrap();
    let mut rijen = stmt.query([]).unwrap();
    let mut bytes = 0usize;
    while let Some(r) = rijen.next().unwrap() {
        bytes += r.get_ref(2).unwrap().as_str().unwrap().len();
    }
    assert!(bytes > 0);
}

/// CPU time of this process, all its threads (user + system). Unlike wall time it hardly grows
/// when other builds share the two cores, so it is the number to compare on a busy machine.
#[cfg(target_os = "linux")]
fn cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut r: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut r) };
    let tijd = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tijd(r.ru_utime) + tijd(r.ru_stime)
}

#[cfg(not(target_os = "linux"))]
fn cpu() -> Duration {
    Duration::ZERO
}

/// The best of `n` runs: wall time and this thread's CPU time (each its own minimum).
fn meet(n: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut wand = Duration::MAX;
    let mut rekentijd = Duration::MAX;
    for _ in 0..n {
        let (t, c) = (Instant::now(), cpu());
        f();
        rekentijd = rekentijd.min(cpu() - c);
        wand = wand.min(t.elapsed());
    }
    (wand, rekentijd)
}

fn beste(n: usize, f: impl FnMut()) -> Duration {
    meet(n, f).0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let lijsten = vragenlijst::laad(&root).unwrap();
    let lijst = lijsten.get("ouders").unwrap().clone();
    let db = std::env::temp_dir().join(format!(
        "zorgenquete-bench-rapport-{}.sqlite",
        std::process::id()
    ));
    let mut conn = storage::open(&db).unwrap();
    storage::bewaar_vragen(&conn, &lijsten).unwrap();

    // 1. Period report over 100,000 responses.
    seed(&mut conn, &lijst, "2024-2025", 100_000);
    let keuze = Keuze {
        periodes: vec!["2024-2025".into()],
        ..Keuze::default()
    };
    let (scan, scan_cpu) = meet(5, || {
        kale_scan(
            &conn,
            "SELECT periode, kanaal, antwoorden FROM inzending WHERE vragenlijst = 'ouders'",
        )
    });
    let mut n = 0;
    let (rap, rap_cpu) = meet(5, || {
        let r = rapport::maak(&conn, &lijst, &keuze).unwrap();
        n = r.periodes[0].deelname.zichtbaar().unwrap().respondenten;
    });
    assert_eq!(n, 100_000);
    println!(
        "rapport, 100 000 antwoorden: {:.1} ms (doel ≤ 100 ms), rekentijd {:.1} ms; kale scan van dezelfde rijen {:.1} ms, rekentijd {:.1} ms; verhouding {:.2}× (rekentijd {:.2}×)",
        ms(rap),
        ms(rap_cpu),
        ms(scan),
        ms(scan_cpu),
        rap.as_secs_f64() / scan.as_secs_f64(),
        rap_cpu.as_secs_f64() / scan_cpu.as_secs_f64()
    );

    // 1, continued: the results page for that report, rendered as the dashboard does.
    {
        use zorgenquete::web::beheer::matrix::Sortering;
        use zorgenquete::web::beheer::pages::{Dashboard, Menu, ResultatenPage, VergelijkKeuze};
        let theme = root.join("../site");
        let (templates, _) =
            zorgsite::site::templates_only(&zorgsite::site::BuildOptions::new(&root, &theme))
                .unwrap();
        let renderer =
            zorgenquete::web::render::Renderer::new(templates, String::new(), None).unwrap();
        let rapport = rapport::maak(&conn, &lijst, &keuze).unwrap();
        let alle = vec!["2024-2025".to_string()];
        let menu = Menu {
            naam: "bench".into(),
            rol: "zorgteam",
            beheer: false,
            groep: false,
            csrf: "x".into(),
            huidig: "",
        };
        let taal = renderer.talen.standaard();
        let mut lengte = 0;
        let (tijd, rekentijd) = meet(5, || {
            let page = ResultatenPage::new(
                &renderer,
                &lijst,
                &alle,
                Some(&rapport),
                Sortering::Verandering,
                String::new(),
                VergelijkKeuze::default(),
            );
            let html = renderer
                .render(
                    zorgenquete::web::render::BEHEER_RESULTATEN,
                    &taal,
                    &[],
                    &Dashboard {
                        menu: Some(&menu),
                        pagina: page,
                    },
                )
                .unwrap();
            lengte = html.len();
        });
        assert!(lengte > 10_000);
        println!(
            "samenvattingspagina voor dat rapport: {:.1} ms, rekentijd {:.1} ms ({} KB HTML)",
            ms(tijd),
            ms(rekentijd),
            lengte / 1024
        );
    }

    // 1, continued: two periods of 50,000 with the comparison, in their own file.
    let db2 = std::env::temp_dir().join(format!(
        "zorgenquete-bench-vergelijking-{}.sqlite",
        std::process::id()
    ));
    {
        let mut conn2 = storage::open(&db2).unwrap();
        storage::bewaar_vragen(&conn2, &lijsten).unwrap();
        seed_met(
            &mut conn2,
            &lijst,
            "2024-2025",
            50_000,
            0x9e37_79b9_7f4a_7c15,
        );
        seed_met(
            &mut conn2,
            &lijst,
            "2025-2026",
            50_000,
            0x2545_f491_4f6c_dd1d,
        );
        let mut paren = 0;
        let (tijd, rekentijd) = meet(5, || {
            let r = rapport::maak(&conn2, &lijst, &Keuze::default()).unwrap();
            paren = r.paren.len();
            assert!(r.items.iter().any(|i| !i.verschillen.is_empty()));
        });
        assert_eq!(paren, 1);
        println!(
            "rapport met vergelijking, 2 × 50 000 antwoorden: {:.1} ms (doel ≤ 100 ms), rekentijd {:.1} ms",
            ms(tijd),
            ms(rekentijd)
        );
    }
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db2.display()));
    }

    if std::env::var_os("BENCH_ALLEEN_RAPPORT").is_some() {
        return;
    }
    // 2. Raw CSV export of 1,000,000 responses (100,000 above plus 900,000).
    seed(&mut conn, &lijst, "2025-2026", 900_000);
    let scan = beste(2, || {
        kale_scan(
            &conn,
            "SELECT id, kanaal, antwoorden FROM inzending WHERE vragenlijst = 'ouders'",
        )
    });
    let opdracht = Opdracht {
        keuze: Keuze::default(),
        formaat: Formaat::Ruw,
        open_antwoorden: true,
    };
    let mut piek = 0;
    let mut geschreven = 0u64;
    let ruw = beste(2, || {
        let voor = LEVEND.load(Ordering::Relaxed);
        PIEK.store(voor, Ordering::Relaxed);
        let mut uit = Teller2(0);
        export::schrijf(&conn, &lijst, &opdracht, &mut uit).unwrap();
        piek = PIEK.load(Ordering::Relaxed) - voor;
        geschreven = uit.0;
    });
    println!(
        "ruwe export, 1 000 000 antwoorden ({:.0} MB CSV): {:.2} s (doel ≤ 2 s); kale scan {:.2} s; verhouding {:.2}×; piek extra geheugen {:.1} KB",
        geschreven as f64 / 1e6,
        ruw.as_secs_f64(),
        scan.as_secs_f64(),
        ruw.as_secs_f64() / scan.as_secs_f64(),
        piek as f64 / 1024.0
    );
    drop(conn);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
}

/// A sink that counts bytes.
struct Teller2(u64);

impl std::io::Write for Teller2 {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
