//! Regenerates the example school's public summary `content/data/resultaten/ouders.json`.
//!
//! It seeds a throw-away database with made-up but realistic answers for two school years
//! (through the real storage path), then runs the real JSON exporter. Deterministic: the same
//! numbers every run.
//!
//!     cargo run -p zorgenquete --example voorbeeldresultaten

use std::path::Path;

use zorgenquete::domain::vragenlijst::{self, Soort};
use zorgenquete::domain::{Kanaal, PeriodeNaam};
use zorgenquete::rapport::Keuze;
use zorgenquete::rapport::export::{self, Formaat, Opdracht};
use zorgenquete::storage::{self, schrijver::NieuweInzending, schrijver::schrijf_groep};

/// A small deterministic generator (xorshift), so the file only changes when this code does.
struct Toeval(u64);

impl Toeval {
    fn volgende(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn onder(&mut self, n: u64) -> u64 {
        self.volgende() % n
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let lijsten = vragenlijst::laad(&root).expect("example questionnaires");
    let lijst = lijsten.get("ouders").expect("ouders.toml").clone();
    let db =
        std::env::temp_dir().join(format!("voorbeeldresultaten-{}.sqlite", std::process::id()));
    let mut conn = storage::open(&db).expect("database");
    storage::bewaar_vragen(&conn, &lijsten).expect("items");
    let mut toeval = Toeval(0x5eed_2025);
    // (period, invited, respondents, how much better than the year before)
    for (naam, uitgenodigd, aantal, beter) in
        [("2024-2025", 300, 118, 0u64), ("2025-2026", 280, 131, 1)]
    {
        let p = PeriodeNaam::parse(naam).unwrap();
        storage::periode_open(&mut conn, "ouders", &p, Some(uitgenodigd)).unwrap();
        let inzendingen: Vec<NieuweInzending> = (0..aantal)
            .map(|i| {
                let mut delen = Vec::new();
                for (v, vraag) in lijst.vragen.iter().enumerate() {
                    if matches!(vraag.soort, Soort::Open { .. }) {
                        continue;
                    }
                    // Items differ a little; most parents agree; a few do not know.
                    let r = toeval.onder(100);
                    let zwakker = (v as u64 % 4) * 4 + if v % 5 == 2 { 10 } else { 0 };
                    let w = if r < 4 {
                        0
                    } else if r < 7 + zwakker / 2 {
                        2
                    } else if r < 15 + zwakker - beter * 4 {
                        3
                    } else if r < 60 + zwakker / 2 - beter * 5 {
                        4
                    } else {
                        5
                    };
                    let w = if r < 2 { 1 } else { w };
                    delen.push(format!("\"{}\":{w}", vraag.sleutel()));
                }
                let kanaal = if i % 9 == 0 {
                    Kanaal::Papier
                } else {
                    Kanaal::Online
                };
                NieuweInzending::new("ouders", naam, kanaal, format!("{{{}}}", delen.join(",")))
            })
            .collect();
        let refs: Vec<&NieuweInzending> = inzendingen.iter().collect();
        schrijf_groep(&mut conn, &refs).unwrap();
        storage::periode_sluit(&mut conn, "ouders", &p, Default::default()).unwrap();
    }
    let uit = root.join("data/resultaten/ouders.json");
    std::fs::create_dir_all(uit.parent().unwrap()).unwrap();
    let mut bytes = Vec::new();
    export::schrijf(
        &conn,
        &lijst,
        &Opdracht {
            keuze: Keuze::default(),
            formaat: Formaat::Json,
            open_antwoorden: false,
        },
        &mut bytes,
    )
    .expect("export");
    std::fs::write(&uit, bytes).unwrap();
    drop(conn);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    println!("{} geschreven", uit.display());
}
