//! `zorgenquete verhuis`: moves one school's SQLite file into its PostgreSQL schema.
//!
//! Everything that makes the school's data the same data goes along: periods (with their
//! release counts), responses with their random ids, codes (hashes, used or not), week counters,
//! item texts, staff accounts, the staff audit log (in its order; new ids), staff-entry counts
//! and the `geheim` rows (the secret, so form tokens and code hashes stay valid, and the kiosk
//! key). Staff sessions do not: everyone logs in again. One transaction: the target has all of
//! it or nothing; a target schema that holds anything already is refused.
//!
//! Then it checks: row counts per table, and for every questionnaire the report (all periods;
//! only released ones carry numbers) and every export format, computed by the same code from
//! the file and from the schema, must be equal (the raw export row for row, as its order is
//! new on every export).

use std::path::Path;

use rusqlite::Connection;

use super::opslag::Opslag;
use super::pg::{PgOpslag, fout};
use super::{OpslagFout, RijBron, vrijgave};
use crate::domain::vragenlijst::Vragenlijsten;
use crate::domain::vrijgave::MinimumGroep;
use crate::rapport::export::{self, Formaat, Opdracht};
use crate::rapport::{self, Keuze};

/// The tables that are copied and counted, in copy order (foreign keys first).
pub const TABELLEN: [&str; 9] = [
    "geheim",
    "periode",
    "inzending",
    "code",
    "teller",
    "vraag",
    "gebruiker",
    "audit",
    "invoer",
];

/// Rows per `INSERT … SELECT FROM unnest(…)` of responses.
const STAPEL: usize = 5_000;

/// What was moved and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verslag {
    /// Rows per table (equal in the file and the schema).
    pub tabellen: Vec<(&'static str, i64)>,
    /// Questionnaires whose report and exports were compared.
    pub vragenlijsten: Vec<String>,
    /// Exports compared (formats × questionnaires).
    pub exports: usize,
}

/// A `periode` row: vragenlijst, naam, open, uitgenodigd, met_codes, vrijgegeven, inzendingen.
type PeriodeRij = (String, String, bool, Option<i64>, bool, Option<i64>, i64);

/// Everything read from the file, in memory (a school's file: at most a few hundred MB).
#[derive(Default)]
struct Inhoud {
    geheim: Vec<(String, Vec<u8>)>,
    periode: Vec<PeriodeRij>,
    inzending: Vec<(i64, String, String, String, String)>,
    code: Vec<(Vec<u8>, String, String, bool)>,
    teller: Vec<(String, String, String, i64)>,
    vraag: Vec<(String, String, i64, String, String, String)>,
    gebruiker: Vec<(String, String, String)>,
    audit: Vec<(i64, String, String, String)>,
    invoer: Vec<(String, String, String, String, i64)>,
}

fn lees_bestand(conn: &Connection) -> Result<Inhoud, OpslagFout> {
    use super::rows;
    let mut i = Inhoud::default();
    vrijgave::in_een_moment(conn, |c| {
        i.geheim = rows(
            c,
            "SELECT naam, waarde FROM geheim ORDER BY naam",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        i.periode = rows(
            c,
            "SELECT vragenlijst, naam, open, uitgenodigd, met_codes, vrijgegeven, inzendingen FROM periode ORDER BY vragenlijst, naam",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            },
        )?;
        i.inzending = rows(
            c,
            "SELECT id, vragenlijst, periode, kanaal, antwoorden FROM inzending ORDER BY id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        i.code = rows(
            c,
            "SELECT hash, vragenlijst, periode, gebruikt FROM code ORDER BY hash",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        i.teller = rows(
            c,
            "SELECT week, vragenlijst, periode, aantal FROM teller ORDER BY week, vragenlijst, periode",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        i.vraag = rows(
            c,
            "SELECT vragenlijst, id, versie, categorie, soort, tekst FROM vraag ORDER BY vragenlijst, id, versie",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )?;
        i.gebruiker = rows(
            c,
            "SELECT naam, rol, hash FROM gebruiker ORDER BY naam",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        i.audit = rows(
            c,
            "SELECT tijd, gebruiker, gebeurtenis, detail FROM audit ORDER BY id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        i.invoer = rows(
            c,
            "SELECT gebruiker, vragenlijst, periode, kanaal, aantal FROM invoer ORDER BY gebruiker, vragenlijst, periode, kanaal",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        Ok(())
    })?;
    Ok(i)
}

fn tellingen_bestand(conn: &Connection) -> Result<Vec<(&'static str, i64)>, OpslagFout> {
    TABELLEN
        .iter()
        .map(|t| {
            Ok((
                *t,
                conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?,
            ))
        })
        .collect()
}

async fn tellingen_schema(
    client: &tokio_postgres::Client,
) -> Result<Vec<(&'static str, i64)>, OpslagFout> {
    let mut uit = Vec::new();
    for t in TABELLEN {
        let n: i64 = client
            .query_one(&format!("SELECT count(*) FROM {t}"), &[])
            .await
            .map_err(fout)?
            .get(0);
        uit.push((t, n));
    }
    Ok(uit)
}

/// Moves the school's file `van` into `naar` (opened for the same school) and checks the
/// result. `lijsten`: the school's questionnaires (for the comparison of reports and exports).
pub async fn verhuis(
    van: &Path,
    naar: &PgOpslag,
    school: Option<&str>,
    lijsten: &Vragenlijsten,
    minimum: MinimumGroep,
) -> Result<Verslag, OpslagFout> {
    if !van.is_file() {
        return Err(OpslagFout::Geweigerd(format!(
            "er is geen SQLite-bestand {}; kijk het pad na bij --van",
            van.display()
        )));
    }
    let pad = van.to_path_buf();
    let school_id = school.map(str::to_string);
    let (inhoud, bron_tellingen) = tokio::task::spawn_blocking(move || {
        // Opened as the service opens it: brought up to the current schema first.
        let conn = super::open(&pad)?;
        if let Some(id) = &school_id
            && let Some(eigen) = super::school::owner(&conn)?
            && &eigen != id
        {
            return Err(OpslagFout::Geweigerd(format!(
                "{} hoort bij school `{eigen}`, niet bij `{id}`; kies de juiste school met --school",
                pad.display()
            )));
        }
        let inhoud = lees_bestand(&conn)?;
        Ok::<_, OpslagFout>((inhoud, tellingen_bestand(&conn)?))
    })
    .await
    .map_err(|e| OpslagFout::Databank(format!("databanktaak mislukt ({e})")))??;

    kopieer(naar, &inhoud).await?;
    drop(inhoud);

    // Check 1: rows per table.
    let client = naar
        .pool()
        .get()
        .await
        .map_err(|e| OpslagFout::Databank(format!("geen verbinding met PostgreSQL: {e}")))?;
    let doel_tellingen = tellingen_schema(&client).await?;
    drop(client);
    for ((t, a), (_, b)) in bron_tellingen.iter().zip(&doel_tellingen) {
        if a != b {
            return Err(OpslagFout::Databank(format!(
                "controle mislukt: tabel {t} heeft {a} rijen in het bestand en {b} in PostgreSQL"
            )));
        }
    }

    // Check 2: every questionnaire's report and exports, from the file and from the schema.
    let ids: Vec<String> = lijsten.ids().map(str::to_string).collect();
    let pad = van.to_path_buf();
    let (lijsten_b, ids_b) = (lijsten.clone(), ids.clone());
    let van_bestand = tokio::task::spawn_blocking(move || {
        let conn = super::open_lezer(&pad)?;
        vrijgave::in_een_moment(&conn, |c| {
            uitkomsten(&mut { c }, &lijsten_b, &ids_b, minimum)
        })
    })
    .await
    .map_err(|e| OpslagFout::Databank(format!("databanktaak mislukt ({e})")))??;
    let (lijsten_p, ids_p) = (lijsten.clone(), ids.clone());
    let van_schema = Opslag::Postgres(naar.clone())
        .lees_moment(move |b| uitkomsten(b, &lijsten_p, &ids_p, minimum))
        .await?;
    let mut exports = 0;
    for (a, b) in van_bestand.iter().zip(&van_schema) {
        if a.1 != b.1 {
            return Err(OpslagFout::Databank(format!(
                "controle mislukt: het rapport van {} verschilt tussen het bestand en PostgreSQL",
                a.0
            )));
        }
        for ((formaat, x), (_, y)) in a.2.iter().zip(&b.2) {
            if x != y {
                return Err(OpslagFout::Databank(format!(
                    "controle mislukt: de export {} van {} verschilt tussen het bestand en PostgreSQL",
                    formaat.id(),
                    a.0
                )));
            }
            exports += 1;
        }
    }
    Ok(Verslag {
        tabellen: doel_tellingen,
        vragenlijsten: ids,
        exports,
    })
}

/// Per questionnaire: the report and every export (the raw one with open answers, its rows
/// without `nr` and sorted).
type Uitkomst = (String, rapport::Rapport, Vec<(Formaat, Vec<u8>)>);

fn uitkomsten(
    bron: &mut dyn RijBron,
    lijsten: &Vragenlijsten,
    ids: &[String],
    minimum: MinimumGroep,
) -> Result<Vec<Uitkomst>, OpslagFout> {
    let keuze = Keuze {
        minimum,
        ..Keuze::default()
    };
    let mut uit = Vec::new();
    for id in ids {
        let Some(lijst) = lijsten.get(id) else {
            continue;
        };
        let r = rapport::maak_uit(bron, lijst, &keuze)?;
        let mut bestanden = Vec::new();
        for formaat in Formaat::ALLE {
            let opdracht = Opdracht {
                keuze: keuze.clone(),
                formaat,
                open_antwoorden: formaat == Formaat::Ruw,
            };
            let mut bytes = Vec::new();
            export::schrijf_uit(bron, lijst, &opdracht, &mut bytes)?;
            if formaat == Formaat::Ruw {
                bytes = ruw_gesorteerd(&bytes);
            }
            bestanden.push((formaat, bytes));
        }
        uit.push((id.clone(), r, bestanden));
    }
    Ok(uit)
}

/// The raw export's lines without their `nr` (numbered afresh, in a new random order on every
/// export), sorted.
pub fn ruw_gesorteerd(bytes: &[u8]) -> Vec<u8> {
    let tekst = String::from_utf8_lossy(bytes);
    let mut regels: Vec<&str> = tekst
        .lines()
        .skip(1)
        .map(|r| r.split_once(',').map_or(r, |(_, rest)| rest))
        .collect();
    regels.sort_unstable();
    regels.join("\n").into_bytes()
}

/// Copies everything in one transaction; refuses a schema that holds anything already.
async fn kopieer(naar: &PgOpslag, i: &Inhoud) -> Result<(), OpslagFout> {
    let mut client = naar
        .pool()
        .get()
        .await
        .map_err(|e| OpslagFout::Databank(format!("geen verbinding met PostgreSQL: {e}")))?;
    let tx = client.transaction().await.map_err(fout)?;
    // Nothing may be in the target yet (the secret and the school's claim are made when the
    // schema is opened; the secret is replaced by the file's below).
    let mut gevuld = Vec::new();
    for t in TABELLEN.iter().filter(|t| **t != "geheim") {
        let n: i64 = tx
            .query_one(&format!("SELECT count(*) FROM {t}"), &[])
            .await
            .map_err(fout)?
            .get(0);
        if n > 0 {
            gevuld.push(format!("{t} ({n})"));
        }
    }
    if !gevuld.is_empty() {
        return Err(OpslagFout::Geweigerd(format!(
            "het PostgreSQL-schema {} is niet leeg (er staat al iets in {}); verhuis alleen naar een leeg schema, er is niets gekopieerd",
            naar.schema(),
            gevuld.join(", ")
        )));
    }
    tx.execute("DELETE FROM geheim", &[]).await.map_err(fout)?;
    for (naam, waarde) in &i.geheim {
        tx.execute(
            "INSERT INTO geheim (naam, waarde) VALUES ($1, $2)",
            &[naam, waarde],
        )
        .await
        .map_err(fout)?;
    }
    let st = tx
        .prepare("INSERT INTO periode (vragenlijst, naam, open, uitgenodigd, met_codes, vrijgegeven, inzendingen) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .await
        .map_err(fout)?;
    for (v, n, open, uitgenodigd, met_codes, vrijgegeven, inzendingen) in &i.periode {
        let uitgenodigd: Option<i32> = uitgenodigd.map(|u| u.clamp(0, i32::MAX.into()) as i32);
        tx.execute(
            &st,
            &[
                v,
                n,
                open,
                &uitgenodigd,
                met_codes,
                vrijgegeven,
                inzendingen,
            ],
        )
        .await
        .map_err(fout)?;
    }
    for stapel in i.inzending.chunks(STAPEL) {
        let ids: Vec<i64> = stapel.iter().map(|r| r.0).collect();
        let lijsten: Vec<&str> = stapel.iter().map(|r| r.1.as_str()).collect();
        let periodes: Vec<&str> = stapel.iter().map(|r| r.2.as_str()).collect();
        let kanalen: Vec<&str> = stapel.iter().map(|r| r.3.as_str()).collect();
        let antwoorden: Vec<&str> = stapel.iter().map(|r| r.4.as_str()).collect();
        tx.execute(
            "INSERT INTO inzending (id, vragenlijst, periode, kanaal, antwoorden)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])",
            &[&ids, &lijsten, &periodes, &kanalen, &antwoorden],
        )
        .await
        .map_err(fout)?;
    }
    let st = tx
        .prepare("INSERT INTO code (hash, vragenlijst, periode, gebruikt) VALUES ($1, $2, $3, $4)")
        .await
        .map_err(fout)?;
    for (hash, v, p, gebruikt) in &i.code {
        tx.execute(&st, &[hash, v, p, gebruikt])
            .await
            .map_err(fout)?;
    }
    let st = tx
        .prepare("INSERT INTO teller (week, vragenlijst, periode, aantal) VALUES ($1, $2, $3, $4)")
        .await
        .map_err(fout)?;
    for (w, v, p, n) in &i.teller {
        tx.execute(&st, &[w, v, p, n]).await.map_err(fout)?;
    }
    let st = tx
        .prepare("INSERT INTO vraag (vragenlijst, id, versie, categorie, soort, tekst) VALUES ($1, $2, $3, $4, $5, $6)")
        .await
        .map_err(fout)?;
    for (v, id, versie, c, s, t) in &i.vraag {
        let versie = *versie as i32;
        tx.execute(&st, &[v, id, &versie, c, s, t])
            .await
            .map_err(fout)?;
    }
    let st = tx
        .prepare("INSERT INTO gebruiker (naam, rol, hash) VALUES ($1, $2, $3)")
        .await
        .map_err(fout)?;
    for (n, r, h) in &i.gebruiker {
        tx.execute(&st, &[n, r, h]).await.map_err(fout)?;
    }
    let st = tx
        .prepare("INSERT INTO audit (tijd, gebruiker, gebeurtenis, detail) VALUES ($1, $2, $3, $4)")
        .await
        .map_err(fout)?;
    for (t, g, e, d) in &i.audit {
        tx.execute(&st, &[t, g, e, d]).await.map_err(fout)?;
    }
    let st = tx
        .prepare("INSERT INTO invoer (gebruiker, vragenlijst, periode, kanaal, aantal) VALUES ($1, $2, $3, $4, $5)")
        .await
        .map_err(fout)?;
    for (g, v, p, k, n) in &i.invoer {
        tx.execute(&st, &[g, v, p, k, n]).await.map_err(fout)?;
    }
    tx.commit().await.map_err(fout)
}

#[cfg(test)]
mod tests;
