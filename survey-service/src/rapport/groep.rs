//! Group reports: one questionnaire over the schools of a scholengroep.
//!
//! Nothing here computes a statistic. Every school's released answers are counted with the
//! same slots (the union of the item versions the schools know) and the same periods (the union
//! of their names); a group's counts are those counts added up
//! ([`super::lezen::Telling::voeg_samen`]), and the report is built from them by the school
//! report's own [`super::bouw`]: the same suppression per cell, intervals and verdicts.
//!
//! The closed-period rule holds per school: a period is read only where that school released
//! it ([`crate::storage::vrijgave::PeriodeStaat::vrijgegeven`]); elsewhere its counts stay
//! zero, so a period that is still open at one school adds nothing of that school to the group.

#[cfg(test)]
use rusqlite::Connection;

use super::lezen::{self, Telling};
use super::{
    MinimumGroep, Paar, PeriodeKop, Rapport, Sleutels, VraagVersie, Vrijgave, bouw, slot_namen,
    vraag_versies,
};
use crate::domain::vragenlijst::Vragenlijst;
use crate::storage::vrijgave::Vrijgegeven;
use crate::storage::{OpslagFout, RijBron};

/// One school's questionnaire and database, to count.
pub struct SchoolBron<'a> {
    /// One snapshot of the school's storage, either engine.
    pub bron: &'a mut dyn RijBron,
    pub lijst: &'a Vragenlijst,
}

/// Every school's counts of one questionnaire, aligned: the same periods and slots.
pub struct Groepstelling {
    /// The questionnaire of the first school that has it (titles, item texts, options).
    lijst: Vragenlijst,
    versies: Vec<VraagVersie>,
    /// Per school: its periods (aligned with the union of names) and its counts.
    scholen: Vec<(Vec<PeriodeKop>, Telling)>,
    minimum: MinimumGroep,
}

/// Counts the questionnaire at every school (in the order given). Each school's source is one
/// snapshot of its own (the caller holds it: a read transaction on SQLite, a
/// [`crate::storage::pg::Moment`] on PostgreSQL), so its release states and answers belong to
/// the same moment.
pub fn tel(
    scholen: &mut [SchoolBron<'_>],
    minimum: MinimumGroep,
) -> Result<Groepstelling, OpslagFout> {
    let Some(eerste) = scholen.first().map(|s| s.lijst) else {
        return Err(OpslagFout::Geweigerd(
            "geen enkele school heeft deze vragenlijst".into(),
        ));
    };
    let id = &eerste.id;
    let mut versies: Vec<VraagVersie> = Vec::new();
    let mut namen: Vec<String> = Vec::new();
    for s in scholen.iter_mut() {
        for v in vraag_versies(s.bron, s.lijst)? {
            if !versies.iter().any(|w| w.id == v.id && w.versie == v.versie) {
                versies.push(v);
            }
        }
        for p in s.bron.staten(id)? {
            if !namen.iter().any(|n| n == p.naam()) {
                namen.push(p.naam().to_string());
            }
        }
    }
    namen.sort();
    let slots: Vec<&VraagVersie> = versies.iter().filter(|v| v.soort != "open").collect();
    let sleutels_namen = slot_namen(&slots);
    let sleutels = Sleutels::new(sleutels_namen.iter().map(String::as_str));
    let schaal: Vec<bool> = slots.iter().map(|v| v.soort == "schaal").collect();
    let mut per_school = Vec::with_capacity(scholen.len());
    for s in scholen.iter_mut() {
        per_school.push({
            let staten = s.bron.staten(id)?;
            let mut koppen = Vec::with_capacity(namen.len());
            let mut te_lezen: Vec<Option<Vrijgegeven>> = Vec::with_capacity(namen.len());
            for naam in &namen {
                match staten.iter().find(|p| p.naam() == naam) {
                    Some(p) => {
                        koppen.push(PeriodeKop::from(p));
                        te_lezen.push(p.vrijgegeven());
                    }
                    // The school never had this period: nothing to read, nothing to show.
                    None => {
                        koppen.push(PeriodeKop {
                            naam: naam.clone(),
                            uitgenodigd: None,
                            vrijgave: Vrijgave::NogOpen,
                        });
                        te_lezen.push(None);
                    }
                }
            }
            let telling = lezen::tel_uit(s.bron, id, &te_lezen, &sleutels, &schaal)?;
            (koppen, telling)
        });
    }
    drop(sleutels);
    Ok(Groepstelling {
        lijst: eerste.clone(),
        versies,
        scholen: per_school,
        minimum,
    })
}

impl Groepstelling {
    /// The periods (names) of the report, in name order.
    pub fn periodes(&self) -> Vec<&str> {
        self.scholen
            .first()
            .map(|(k, _)| k.iter().map(|k| k.naam.as_str()).collect())
            .unwrap_or_default()
    }

    /// The report of the schools for which `welke(i)` holds (i in the order given to
    /// [`tel`]), their counts merged: one school (`|i| i == s`), the whole group (`|_| true`),
    /// or the rest of the group beside school `s` (`|i| i != s`). A period counts as released
    /// when at least one of them released it; only theirs is in it.
    pub fn rapport(&self, welke: impl Fn(usize) -> bool) -> Rapport {
        let nummers: Vec<usize> = (0..self.scholen.len()).filter(|&i| welke(i)).collect();
        let gekozen: Vec<&(Vec<PeriodeKop>, Telling)> =
            nummers.iter().map(|&i| &self.scholen[i]).collect();
        let slots: Vec<&VraagVersie> = self.versies.iter().filter(|v| v.soort != "open").collect();
        let periodes = self.periodes();
        let telling = Telling::voeg_samen(
            gekozen.iter().map(|(_, t)| t),
            periodes.len(),
            slots.len(),
            |k, p| self.heeft_resultaten(nummers[k], p),
        );
        let koppen: Vec<PeriodeKop> = periodes
            .iter()
            .enumerate()
            .map(|(p, naam)| {
                let vrij: Vec<&PeriodeKop> = gekozen
                    .iter()
                    .map(|(k, _)| &k[p])
                    .filter(|k| k.vrijgave == Vrijgave::Vrijgegeven)
                    .collect();
                let vrijgave = if vrij.is_empty() {
                    // Not released by any of them: the strictest state any of them has.
                    if gekozen
                        .iter()
                        .any(|(k, _)| k[p].vrijgave == Vrijgave::WachtOpMeer)
                    {
                        Vrijgave::WachtOpMeer
                    } else {
                        Vrijgave::NogOpen
                    }
                } else {
                    Vrijgave::Vrijgegeven
                };
                PeriodeKop {
                    naam: naam.to_string(),
                    // Invited counts add up only when every school that counts gave one.
                    uitgenodigd: if vrij.is_empty() {
                        None
                    } else {
                        vrij.iter().map(|k| k.uitgenodigd).sum()
                    },
                    vrijgave,
                }
            })
            .collect();
        let vrij: Vec<usize> = (0..koppen.len())
            .filter(|&p| koppen[p].vrijgave == Vrijgave::Vrijgegeven)
            .collect();
        let paren = vrij
            .windows(2)
            .map(|w| Paar {
                van: w[0],
                naar: w[1],
            })
            .collect();
        bouw(&self.lijst, &koppen, paren, &slots, &telling, self.minimum)
    }

    /// Whether school `i` has results of its own in period `p`: released there, with at least
    /// the minimum group of respondents. Only then do its answers go into a merge: a school
    /// closing a period with 3 answers must not move the group's (or the rest's) numbers by
    /// those 3, or comparing the page before and after would give them away.
    fn heeft_resultaten(&self, i: usize, p: usize) -> bool {
        let (koppen, telling) = &self.scholen[i];
        koppen[p].vrijgave == Vrijgave::Vrijgegeven
            && self.minimum.toont(telling.periodes[p].respondenten)
    }

    /// How many of the schools for which `welke(i)` holds have results of their own in
    /// period `p` (see [`Self::heeft_resultaten`]).
    pub fn scholen_met_resultaten(&self, p: usize, welke: impl Fn(usize) -> bool) -> usize {
        (0..self.scholen.len())
            .filter(|&i| welke(i) && self.heeft_resultaten(i, p))
            .count()
    }
}

/// At least this many other schools, each with results of its own, before a school may see
/// itself beside the rest of the group: with fewer, the rest could be one school, or one school
/// plus a known small one, and a school could work out another school's numbers.
pub const MINIMUM_ANDERE_SCHOLEN: usize = 3;

/// The rest of the group beside school `s` in period `p`, or why it is not shown (a Dutch
/// sentence for the results page).
pub fn naast_de_rest(g: &Groepstelling, s: usize, p: usize) -> Result<Rapport, String> {
    let andere = g.scholen_met_resultaten(p, |i| i != s);
    if andere < MINIMUM_ANDERE_SCHOLEN {
        return Err(format!(
            "De vergelijking met de rest van de scholengroep wordt niet getoond: daarvoor zijn minstens {MINIMUM_ANDERE_SCHOLEN} andere scholen met eigen resultaten in deze periode nodig (nu {andere}), zodat niemand de cijfers van één andere school kan afleiden."
        ));
    }
    Ok(g.rapport(|i| i != s))
}

/// The group count of `scholen`, each with `lijst` (for the tests of both modules below).
#[cfg(test)]
fn tel_alle(scholen: &[Connection], lijst: &Vragenlijst, min: MinimumGroep) -> Groepstelling {
    let momenten: Vec<rusqlite::Transaction<'_>> = scholen
        .iter()
        .map(|c| c.unchecked_transaction().unwrap())
        .collect();
    let mut conns: Vec<&Connection> = momenten.iter().map(|t| &**t).collect();
    let mut bronnen: Vec<SchoolBron<'_>> = conns
        .iter_mut()
        .map(|bron| SchoolBron { bron, lijst })
        .collect();
    tel(&mut bronnen, min).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PeriodeNaam;
    use crate::domain::vragenlijst::{self, Vragenlijsten};
    use crate::storage::{migraties, periode_open, periode_sluit};

    const PERIODE: &str = "2025-2026";

    fn lijsten() -> Vragenlijsten {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        vragenlijst::laad(&root).unwrap()
    }

    fn school() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migraties::voer_uit(&mut conn).unwrap();
        let p = PeriodeNaam::parse(PERIODE).unwrap();
        periode_open(&mut conn, "ouders", &p, None).unwrap();
        conn
    }

    /// `n` responses, the i-th answering three scale items of the `zorgbeleid` category.
    fn antwoorden(conns: &[&Connection], n: usize, zaad: usize) {
        for i in 0..n {
            let w = |k: usize| 1 + (i * 7 + zaad * 3 + k) % 6;
            // 6 is "weet ik niet" (0) here, so every value occurs.
            let json = format!(
                r#"{{"zorg-aanspreekpunt@1":{},"zorg-zorgcoordinator@1":{},"zorg-info-duidelijk@1":{}}}"#,
                w(0) % 6,
                w(1) % 6,
                w(2) % 6
            );
            let kanaal = ["online", "papier"][i % 2];
            for conn in conns {
                conn.execute(
                    "INSERT INTO inzending (vragenlijst, periode, kanaal, antwoorden) VALUES ('ouders', ?1, ?2, ?3)",
                    rusqlite::params![PERIODE, kanaal, json],
                )
                .unwrap();
            }
        }
    }

    fn sluit(conn: &mut Connection) {
        let p = PeriodeNaam::parse(PERIODE).unwrap();
        periode_sluit(conn, "ouders", &p, MinimumGroep::STANDAARD).unwrap();
    }

    #[test]
    fn the_group_report_is_the_report_of_all_released_answers_together() {
        let lijsten = lijsten();
        let lijst = lijsten.0.get("ouders").unwrap();
        let min = MinimumGroep::STANDAARD;
        let mut scholen: Vec<Connection> = (0..4).map(|_| school()).collect();
        let mut alles = school();
        // Schools 0..3 answer (6, 9 and 4: below the minimum group on its own, so it counts
        // nowhere beyond its own page); school 3 answers too but keeps its period open.
        for (s, n) in [6usize, 9, 4, 7].into_iter().enumerate() {
            if s < 2 {
                antwoorden(&[&scholen[s], &alles], n, s);
            } else {
                antwoorden(&[&scholen[s]], n, s);
            }
        }
        for conn in scholen.iter_mut().take(3) {
            sluit(conn);
        }
        sluit(&mut alles);
        let g = tel_alle(&scholen, lijst, min);
        let keuze = super::super::Keuze {
            minimum: min,
            ..Default::default()
        };
        let verwacht = super::super::maak(&alles, lijst, &keuze).unwrap();
        let groep = g.rapport(|_| true);
        assert_eq!(
            groep, verwacht,
            "the group is every answer of a school with results of its own, once"
        );
        let deelname = groep.periodes[0].deelname.zichtbaar().unwrap();
        assert_eq!(
            deelname.respondenten,
            6 + 9,
            "nothing of the open period, nothing of the school with 4"
        );
        // Each school with results alone is its own report; the small one is hidden.
        for (s, conn) in scholen.iter().enumerate().take(2) {
            let eigen = super::super::maak(conn, lijst, &keuze).unwrap();
            assert_eq!(g.rapport(|i| i == s), eigen, "school {s}");
        }
        assert!(g.rapport(|i| i == 2).periodes[0].deelname.is_verborgen());
        assert!(g.rapport(|i| i == 3).periodes[0].deelname.is_verborgen());

        // Beside the rest: school 0 has two others with results (1; 2 is too small, 3 open).
        assert_eq!(g.scholen_met_resultaten(0, |i| i != 0), 1);
        let nee = naast_de_rest(&g, 0, 0).unwrap_err();
        assert!(nee.contains("minstens 3 andere scholen"), "{nee}");
        assert!(nee.contains("(nu 1)"), "{nee}");
        // School 3 closes and school 2 gets one more answer: still two others with results
        // of their own for school 0 (1 and 3; 2 has 5 now but 4 released)…
        sluit(&mut scholen[3]);
        let g = tel_alle(&scholen, lijst, min);
        assert_eq!(g.scholen_met_resultaten(0, |i| i != 0), 2);
        assert!(
            naast_de_rest(&g, 0, 0).is_err(),
            "2 other schools are not enough"
        );
        // …a fifth school with results makes three others: the rest is shown, and it is the
        // other schools merged, never one of them.
        let mut vijfde = school();
        antwoorden(&[&vijfde], 5, 4);
        sluit(&mut vijfde);
        scholen.push(vijfde);
        let g = tel_alle(&scholen, lijst, min);
        assert_eq!(g.scholen_met_resultaten(0, |i| i != 0), 3);
        let rest = naast_de_rest(&g, 0, 0).unwrap();
        let n = rest.periodes[0].deelname.zichtbaar().unwrap().respondenten;
        assert_eq!(n, 9 + 7 + 5, "school 2 (4 answers released) counts nowhere");
        // A cell of the rest below the minimum group stays hidden: the fifth school's
        // answers alone would be 5, the rest of school 1 merged never shows fewer.
        for item in &rest.items {
            if let Some(c) = item.per_periode[0].cijfers.zichtbaar() {
                assert!(c.n >= 5, "{}", item.id);
            }
        }
    }
}

#[cfg(test)]
mod rand_tests {
    use super::*;
    use crate::domain::PeriodeNaam;
    use crate::domain::vragenlijst;
    use crate::storage::{migraties, periode_open, periode_sluit};

    /// A released period with `n` responses on three items, of which the first `extra` also
    /// answer `zorg-snel-opgevolgd`.
    fn school(n: usize, extra: usize) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migraties::voer_uit(&mut conn).unwrap();
        let p = PeriodeNaam::parse("2025-2026").unwrap();
        periode_open(&mut conn, "ouders", &p, None).unwrap();
        for i in 0..n {
            let snel = if i < extra {
                r#","zorg-snel-opgevolgd@1":4"#
            } else {
                ""
            };
            let json = format!(
                r#"{{"zorg-aanspreekpunt@1":5,"zorg-zorgcoordinator@1":4,"zorg-info-duidelijk@1":2{snel}}}"#
            );
            conn.execute(
                "INSERT INTO inzending (vragenlijst, periode, kanaal, antwoorden) VALUES ('ouders', '2025-2026', 'online', ?1)",
                [json],
            )
            .unwrap();
        }
        periode_sluit(&mut conn, "ouders", &p, MinimumGroep::STANDAARD).unwrap();
        conn
    }

    fn snel(r: &Rapport) -> bool {
        let item = r
            .items
            .iter()
            .find(|i| i.id == "zorg-snel-opgevolgd")
            .unwrap();
        !item.per_periode[0].cijfers.is_verborgen()
    }

    #[test]
    fn a_cell_of_the_rest_just_below_the_minimum_stays_hidden() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let lijsten = vragenlijst::laad(&root).unwrap();
        let lijst = lijsten.0.get("ouders").unwrap();
        let min = MinimumGroep::STANDAARD;
        // School 0 answers the item 5 times; the three others 2 + 2 + 0 = 4 times.
        let scholen = vec![school(6, 5), school(5, 2), school(5, 2), school(5, 0)];
        let g = tel_alle(&scholen, lijst, min);
        let rest = naast_de_rest(&g, 0, 0).unwrap();
        assert_eq!(
            rest.periodes[0].deelname.zichtbaar().unwrap().respondenten,
            15
        );
        assert!(!snel(&rest), "4 answers in the rest: hidden");
        assert!(
            snel(&g.rapport(|i| i == 0)),
            "5 at the school itself: shown"
        );
        assert!(snel(&g.rapport(|_| true)), "9 in the group: shown");
        // The items every school answered are shown for the rest.
        let item = rest
            .items
            .iter()
            .find(|i| i.id == "zorg-aanspreekpunt")
            .unwrap();
        assert!(!item.per_periode[0].cijfers.is_verborgen());
        // One more answer in the rest (2 + 2 + 1): exactly the minimum, shown.
        let scholen = vec![school(6, 5), school(5, 2), school(5, 2), school(5, 1)];
        let rest = naast_de_rest(&tel_alle(&scholen, lijst, min), 0, 0).unwrap();
        assert!(snel(&rest), "5 answers in the rest: shown");
    }

    #[test]
    fn a_school_below_the_minimum_moves_no_number_of_the_group_or_the_rest() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let lijsten = vragenlijst::laad(&root).unwrap();
        let lijst = lijsten.0.get("ouders").unwrap();
        let min = MinimumGroep::STANDAARD;
        let drie = vec![school(6, 0), school(6, 0), school(6, 0), school(5, 0)];
        // The same group after a fifth school closed its period with 3 answers.
        let vier = vec![
            school(6, 0),
            school(6, 0),
            school(6, 0),
            school(5, 0),
            school(3, 3),
        ];
        let (g3, g4) = (tel_alle(&drie, lijst, min), tel_alle(&vier, lijst, min));
        assert_eq!(
            g4.rapport(|_| true),
            g3.rapport(|_| true),
            "the group's report"
        );
        assert_eq!(
            g4.rapport(|_| true).periodes[0]
                .deelname
                .zichtbaar()
                .unwrap()
                .respondenten,
            23
        );
        assert_eq!(
            naast_de_rest(&g4, 0, 0).unwrap(),
            naast_de_rest(&g3, 0, 0).unwrap(),
            "the rest beside school 0"
        );
        // Its 3 answers to `zorg-snel-opgevolgd` are nowhere, even though nobody else gave one.
        assert!(!snel(&g4.rapport(|_| true)));
        assert_eq!(g4.scholen_met_resultaten(0, |_| true), 4);
    }
}
