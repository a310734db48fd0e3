//! The dashboard's storage questions, asserted once and run on both engines
//! ([`crate::storage::opslag::tests::op_elke_engine`]).

use std::sync::Arc;

use crate::domain::gebruiker::{GebruikersNaam, Rol};
use crate::domain::vrijgave::MinimumGroep;
use crate::domain::{Kanaal, PeriodeNaam};
use crate::storage::audit::Gebeurtenis;
use crate::storage::opslag::Opslag;
use crate::storage::opslag::tests::op_elke_engine;
use crate::storage::schrijver::{NieuweInzending, Uitkomst};
use crate::storage::{Conflict, Geopend, OpslagFout};

fn naam(n: &str) -> GebruikersNaam {
    GebruikersNaam::parse(n).unwrap()
}

fn periode(p: &str) -> PeriodeNaam {
    PeriodeNaam::parse(p).unwrap()
}

/// The audit log as (who, what, detail), newest first.
async fn log(o: &Opslag) -> Vec<(String, String, String)> {
    o.audit_laatste(100)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.gebruiker, r.gebeurtenis, r.detail))
        .collect()
}

fn regel(wie: &str, wat: &str, detail: &str) -> (String, String, String) {
    (wie.into(), wat.into(), detail.into())
}

#[test]
fn accounts_are_made_listed_and_removed_with_their_audit_line_in_one_transaction() {
    op_elke_engine(
        "accounts_are_made_listed_and_removed_with_their_audit_line_in_one_transaction",
        |o, _| async move {
            assert!(o.gebruikers().await.unwrap().is_empty());
            o.maak_gebruiker(&naam("an"), Rol::Beheer, "h1", None)
                .await
                .unwrap();
            o.maak_gebruiker(&naam("bo"), Rol::Zorgteam, "h2", Some("an"))
                .await
                .unwrap();
            // A taken name: a conflict, and no audit line for it.
            let fout = o
                .maak_gebruiker(&naam("bo"), Rol::Beheer, "h3", Some("an"))
                .await
                .unwrap_err();
            assert!(
                matches!(fout, OpslagFout::Conflict(Conflict::GebruikerBestaatAl(ref n)) if n == "bo"),
                "{fout}"
            );
            let lijst = o.gebruikers().await.unwrap();
            let namen: Vec<_> = lijst.iter().map(|g| (g.naam.as_str(), g.rol)).collect();
            assert_eq!(namen, [("an", Rol::Beheer), ("bo", Rol::Zorgteam)]);
            assert_eq!(
                o.hash_van("bo").await.unwrap(),
                Some((Rol::Zorgteam, "h2".into()))
            );
            assert_eq!(o.hash_van("cas").await.unwrap(), None);
            assert_eq!(
                log(&o).await,
                [regel("an", "gebruiker", "maakte bo (zorgteam)")]
            );

            // The last `beheer` account stays; an unknown one is a conflict.
            let fout = o.verwijder_gebruiker("an", Some("an")).await.unwrap_err();
            assert!(
                matches!(fout, OpslagFout::Conflict(Conflict::LaatsteBeheerder(_))),
                "{fout}"
            );
            let fout = o.verwijder_gebruiker("cas", Some("an")).await.unwrap_err();
            assert!(
                matches!(
                    fout,
                    OpslagFout::Conflict(Conflict::GebruikerBestaatNiet(_))
                ),
                "{fout}"
            );
            // A new password ends the account's sessions.
            let id = o.sessie_begin("bo").await.unwrap();
            assert!(o.sessie_zoek(&id).await.unwrap().is_some());
            o.zet_wachtwoord("bo", "h9", Some("an")).await.unwrap();
            assert_eq!(o.sessie_zoek(&id).await.unwrap(), None);
            assert_eq!(o.hash_van("bo").await.unwrap().unwrap().1, "h9");
            let fout = o.zet_wachtwoord("cas", "h", None).await.unwrap_err();
            assert!(matches!(fout, OpslagFout::Conflict(_)), "{fout}");
            // Removing an account removes its sessions too.
            let id = o.sessie_begin("bo").await.unwrap();
            o.verwijder_gebruiker("bo", Some("an")).await.unwrap();
            assert_eq!(o.sessie_zoek(&id).await.unwrap(), None);
            assert_eq!(o.getal_voor_test("SELECT count(*) FROM sessie").await, 0);
            assert_eq!(o.gebruikers().await.unwrap().len(), 1);
            // Without `door` (the CLI) nothing is logged.
            o.maak_gebruiker(&naam("cas"), Rol::Beheer, "h", None)
                .await
                .unwrap();
            o.verwijder_gebruiker("cas", None).await.unwrap();
            assert_eq!(
                log(&o).await,
                [
                    regel("an", "gebruiker", "verwijderde bo"),
                    regel("bo", "aangemeld", ""),
                    regel("an", "gebruiker", "nieuw wachtwoord voor bo"),
                    regel("bo", "aangemeld", ""),
                    regel("an", "gebruiker", "maakte bo (zorgteam)"),
                ]
            );
        },
    );
}

#[test]
fn sessions_begin_expire_when_idle_or_old_and_end_at_logout() {
    op_elke_engine(
        "sessions_begin_expire_when_idle_or_old_and_end_at_logout",
        |o, _| async move {
            o.maak_gebruiker(&naam("an"), Rol::Beheer, "h", None)
                .await
                .unwrap();
            let id = o.sessie_begin("an").await.unwrap();
            assert_eq!(id.len(), 64);
            let g = o.sessie_zoek(&id).await.unwrap().unwrap();
            assert_eq!((g.naam.as_str(), g.rol), ("an", Rol::Beheer));
            // Unknown or malformed ids find nobody.
            assert_eq!(o.sessie_zoek(&"0".repeat(64)).await.unwrap(), None);
            assert_eq!(o.sessie_zoek("kort").await.unwrap(), None);
            // Only the hash is stored, never the id.
            assert_eq!(
                o.getal_voor_test("SELECT count(*) FROM sessie WHERE length(hash) = 32")
                    .await,
                1
            );

            // Idle for an hour: gone, and the row removed.
            o.sql_voor_test("UPDATE sessie SET laatst = laatst - 3600")
                .await
                .unwrap();
            assert_eq!(o.sessie_zoek(&id).await.unwrap(), None);
            assert_eq!(o.getal_voor_test("SELECT count(*) FROM sessie").await, 0);
            // Eleven hours after login: gone even when active.
            let id = o.sessie_begin("an").await.unwrap();
            o.sql_voor_test("UPDATE sessie SET begin = begin - 11 * 3600")
                .await
                .unwrap();
            assert_eq!(o.sessie_zoek(&id).await.unwrap(), None);
            // A use marks the session: an active one stays.
            let id = o.sessie_begin("an").await.unwrap();
            o.sql_voor_test("UPDATE sessie SET laatst = laatst - 600")
                .await
                .unwrap();
            assert!(o.sessie_zoek(&id).await.unwrap().is_some());
            assert_eq!(
                o.getal_voor_test("SELECT count(*) FROM sessie WHERE laatst < begin")
                    .await,
                0,
                "laatst set to now"
            );

            // Logout (a kiosk switched on: its line first), one transaction.
            let kiosk = Gebeurtenis::KioskAan {
                vragenlijst: "ouders".into(),
            };
            o.sessie_einde(&id, "an", Some(kiosk)).await.unwrap();
            assert_eq!(o.sessie_zoek(&id).await.unwrap(), None);
            let l = log(&o).await;
            assert_eq!(
                l[..2],
                [
                    regel("an", "afgemeld", ""),
                    regel(
                        "an",
                        "kiosk",
                        "kiosk aangezet voor ouders (tot het einde van de dag)"
                    ),
                ]
            );
            assert_eq!(l.iter().filter(|r| r.1 == "aangemeld").count(), 3);
        },
    );
}

#[test]
fn the_audit_log_reads_back_newest_first_and_limited() {
    op_elke_engine(
        "the_audit_log_reads_back_newest_first_and_limited",
        |o, _| async move {
            o.audit("(onbekend)", &Gebeurtenis::AanmeldenMislukt)
                .await
                .unwrap();
            let export = Gebeurtenis::Export {
                vragenlijst: "ouders".into(),
                formaat: "csv",
                periodes: vec!["2024-2025".into()],
                open_antwoorden: true,
            };
            o.audit("an", &export).await.unwrap();
            o.audit(
                "(kiosk)",
                &Gebeurtenis::KioskGestopt {
                    vragenlijst: "ouders".into(),
                },
            )
            .await
            .unwrap();
            let l = o.audit_laatste(2).await.unwrap();
            assert_eq!(l.len(), 2);
            assert_eq!(l[0].gebruiker, "(kiosk)");
            assert_eq!(
                (l[1].gebeurtenis.as_str(), l[1].detail.as_str()),
                (
                    "export",
                    "ouders csv periodes 2024-2025 met open antwoorden"
                )
            );
            let nu = crate::storage::audit::nu();
            assert!(l.iter().all(|r| (nu - r.tijd).abs() < 600), "{l:?}");
            assert_eq!(o.audit_laatste(10).await.unwrap().len(), 3);
        },
    );
}

#[test]
fn the_kiosk_key_is_made_once_and_replaced_with_an_audit_line() {
    op_elke_engine(
        "the_kiosk_key_is_made_once_and_replaced_with_an_audit_line",
        |o, _| async move {
            let a = o.kiosk_sleutel().await.unwrap();
            assert_eq!(a.len(), 32);
            assert_eq!(o.kiosk_sleutel().await.unwrap(), a);
            assert_ne!(a, o.geheim(), "not the form secret");
            let b = o.vernieuw_kiosk_sleutel("an").await.unwrap();
            assert_eq!(b.len(), 32);
            assert_ne!(a, b);
            assert_eq!(o.kiosk_sleutel().await.unwrap(), b);
            assert_eq!(
                log(&o).await,
                [regel("an", "kiosk", "alle kiosken gestopt")]
            );
        },
    );
}

#[test]
fn staff_entry_is_counted_per_person_period_and_channel() {
    op_elke_engine(
        "staff_entry_is_counted_per_person_period_and_channel",
        |o, _| async move {
            assert!(o.invoer_tellingen().await.unwrap().is_empty());
            o.periode_open("ouders", &periode("2025-2026"), None)
                .await
                .unwrap();
            let typ = |kanaal, wie: Option<&str>| NieuweInzending {
                invoerder: wie.map(str::to_string),
                ..NieuweInzending::new("ouders", "2025-2026", kanaal, "{}".into())
            };
            for (kanaal, wie) in [
                (Kanaal::Papier, Some("an")),
                (Kanaal::Papier, Some("an")),
                (Kanaal::Mondeling, Some("an")),
                (Kanaal::Papier, Some("bo")),
                (Kanaal::Online, None),
            ] {
                assert!(matches!(
                    o.bewaar(typ(kanaal, wie)).await.unwrap(),
                    Uitkomst::Bewaard
                ));
            }
            let t: Vec<_> = o
                .invoer_tellingen()
                .await
                .unwrap()
                .into_iter()
                .map(|t| (t.gebruiker, t.periode, t.kanaal, t.aantal))
                .collect();
            let p = || "2025-2026".to_string();
            assert_eq!(
                t,
                [
                    ("an".to_string(), p(), Kanaal::Mondeling, 1),
                    ("an".to_string(), p(), Kanaal::Papier, 2),
                    ("bo".to_string(), p(), Kanaal::Papier, 1),
                ]
            );
        },
    );
}

#[test]
fn staff_actions_on_periods_and_codes_write_their_audit_line_or_nothing() {
    op_elke_engine(
        "staff_actions_on_periods_and_codes_write_their_audit_line_or_nothing",
        |o, _| async move {
            let p1 = periode("2025-2026");
            let p2 = periode("2026-2027");
            assert_eq!(
                o.periode_open_door("an", "ouders", &p1, Some(40))
                    .await
                    .unwrap(),
                Geopend::Nieuw
            );
            // Another period of the same questionnaire: refused, and not logged.
            let fout = o
                .periode_open_door("an", "ouders", &p2, None)
                .await
                .unwrap_err();
            assert!(
                matches!(fout, OpslagFout::Conflict(Conflict::AnderePeriodeOpen { ref open, .. }) if open == "2025-2026"),
                "{fout}"
            );
            let codes = o.maak_codes_door("an", "ouders", &p1, 3).await.unwrap();
            assert_eq!(codes.len(), 3);
            let fout = o.maak_codes_door("an", "ouders", &p2, 3).await.unwrap_err();
            assert!(matches!(fout, OpslagFout::Conflict(_)), "{fout}");
            assert_eq!(o.getal_voor_test("SELECT count(*) FROM code").await, 3);
            assert_eq!(
                o.periode_sluit_door("an", "ouders", &p1, MinimumGroep::STANDAARD)
                    .await
                    .unwrap(),
                0
            );
            assert!(
                o.periode_sluit_door("an", "ouders", &p2, MinimumGroep::STANDAARD)
                    .await
                    .is_err()
            );
            assert_eq!(
                o.periode_open_door("bo", "ouders", &p1, None)
                    .await
                    .unwrap(),
                Geopend::Heropend
            );
            let info = o.periodes().await.unwrap();
            assert_eq!(info.len(), 1);
            assert!(info[0].open);
            assert_eq!(info[0].uitgenodigd, Some(40), "kept on reopening");
            assert_eq!(info[0].codes, 3);
            assert_eq!(
                log(&o).await,
                [
                    regel("bo", "periode", "periode 2025-2026 van ouders is weer open"),
                    regel("an", "periode", "periode 2025-2026 van ouders is gesloten"),
                    regel("an", "codes", "3 codes voor ouders 2025-2026"),
                    regel("an", "periode", "periode 2025-2026 van ouders is open"),
                ]
            );
        },
    );
}

#[test]
fn item_texts_are_kept_and_a_changed_text_without_a_new_version_warns() {
    op_elke_engine(
        "item_texts_are_kept_and_a_changed_text_without_a_new_version_warns",
        |o, _| async move {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
            let lijsten = Arc::new(crate::domain::vragenlijst::laad(&root).unwrap());
            let vragen: usize = lijsten.0.values().map(|l| l.vragen.len()).sum();
            assert!(vragen > 0);
            assert!(o.bewaar_vragen(lijsten.clone()).await.unwrap().is_empty());
            assert_eq!(
                o.getal_voor_test("SELECT count(*) FROM vraag").await,
                vragen as i64
            );
            // Someone changed a text but not its version.
            let lijst = lijsten.0.get("ouders").unwrap();
            let v = &lijst.vragen[0];
            o.sql_voor_test(&format!(
                "UPDATE vraag SET tekst = 'iets anders' WHERE vragenlijst = 'ouders' AND id = '{}'",
                v.id
            ))
            .await
            .unwrap();
            let w = o.bewaar_vragen(lijsten.clone()).await.unwrap();
            assert_eq!(w.len(), 1, "{w:?}");
            assert!(
                w[0].contains(&format!("vraag `{}` in ouders.toml", v.id)),
                "{w:?}"
            );
            // The current text is stored again: no warning the next time.
            assert!(o.bewaar_vragen(lijsten).await.unwrap().is_empty());
        },
    );
}
