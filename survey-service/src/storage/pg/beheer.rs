//! The dashboard's questions on PostgreSQL (issue 17): staff accounts and sessions, the audit
//! log, the kiosk key, staff-entry counts, item texts, and the staff actions that write an
//! audit line in the same transaction as what they do. The same SQL and rules as the SQLite
//! functions in `storage::{gebruikers, audit, kiosk, invoer}` and `storage::bewaar_vragen`.

use super::{
    PgOpslag, fout, maak_codes_in, periode_open_in, periode_sluit_in, poolfout, willekeurig,
};
use crate::domain::Kanaal;
use crate::domain::PeriodeNaam;
use crate::domain::code::Code;
use crate::domain::gebruiker::{GebruikersNaam, Rol};
use crate::domain::vragenlijst::Vragenlijsten;
use crate::domain::vrijgave::MinimumGroep;
use crate::storage::audit::{AuditRegel, Gebeurtenis, nu};
use crate::storage::gebruikers::{Gebruiker, SESSIE_MAX, SESSIE_STIL, sessie_hash};
use crate::storage::invoer::InvoerTelling;
use crate::storage::{Conflict, Geopend, OpslagFout, aantal};

fn rol_uit(s: &str) -> Rol {
    // The CHECK constraint allows only the two roles; anything else gets the least rights.
    Rol::parse(s).unwrap_or(Rol::Zorgteam)
}

/// One audit line, in the caller's transaction (or on a plain connection).
async fn schrijf(
    c: &impl deadpool_postgres::GenericClient,
    gebruiker: &str,
    wat: &Gebeurtenis,
) -> Result<(), OpslagFout> {
    let stmt = c
        .prepare_cached(
            "INSERT INTO audit (tijd, gebruiker, gebeurtenis, detail) VALUES ($1, $2, $3, $4)",
        )
        .await
        .map_err(fout)?;
    c.execute(&stmt, &[&nu(), &gebruiker, &wat.id(), &wat.detail()])
        .await
        .map_err(fout)?;
    Ok(())
}

// Lists are ordered `COLLATE "C"` (byte order), as SQLite's BINARY: the same order on both
// engines whatever the database's locale.

impl PgOpslag {
    /// Adds an account (and, with `door`, the audit line) in one transaction.
    pub async fn maak_gebruiker(
        &self,
        naam: &GebruikersNaam,
        rol: Rol,
        hash: &str,
        door: Option<&str>,
    ) -> Result<(), OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let n = tx
            .execute(
                "INSERT INTO gebruiker (naam, rol, hash) VALUES ($1, $2, $3)
                 ON CONFLICT (naam) DO NOTHING",
                &[&naam.as_str(), &rol.id(), &hash],
            )
            .await
            .map_err(fout)?;
        if n == 0 {
            return Err(Conflict::GebruikerBestaatAl(naam.to_string()).into());
        }
        if let Some(door) = door {
            let wat = Gebeurtenis::GebruikerGemaakt {
                naam: naam.to_string(),
                rol,
            };
            schrijf(&tx, door, &wat).await?;
        }
        tx.commit().await.map_err(fout)
    }

    pub async fn gebruikers(&self) -> Result<Vec<Gebruiker>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        let rijen = client
            .query(
                "SELECT naam, rol FROM gebruiker ORDER BY naam COLLATE \"C\"",
                &[],
            )
            .await
            .map_err(fout)?;
        Ok(rijen
            .iter()
            .map(|r| Gebruiker {
                naam: r.get(0),
                rol: rol_uit(r.get(1)),
            })
            .collect())
    }

    /// Removes an account and its sessions; never the last `beheer` account. The lock on the
    /// `beheer` rows makes two removals at once wait for each other.
    pub async fn verwijder_gebruiker(
        &self,
        naam: &str,
        door: Option<&str>,
    ) -> Result<(), OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let rol: Option<String> = tx
            .query_opt(
                "SELECT rol FROM gebruiker WHERE naam = $1 FOR UPDATE",
                &[&naam],
            )
            .await
            .map_err(fout)?
            .map(|r| r.get(0));
        let Some(rol) = rol else {
            return Err(Conflict::GebruikerBestaatNiet(naam.to_string()).into());
        };
        if rol_uit(&rol) == Rol::Beheer {
            let beheerders = tx
                .query(
                    "SELECT naam FROM gebruiker WHERE rol = 'beheer' FOR UPDATE",
                    &[],
                )
                .await
                .map_err(fout)?
                .len();
            if beheerders <= 1 {
                return Err(Conflict::LaatsteBeheerder(naam.to_string()).into());
            }
        }
        tx.execute("DELETE FROM sessie WHERE gebruiker = $1", &[&naam])
            .await
            .map_err(fout)?;
        tx.execute("DELETE FROM gebruiker WHERE naam = $1", &[&naam])
            .await
            .map_err(fout)?;
        if let Some(door) = door {
            let wat = Gebeurtenis::GebruikerVerwijderd {
                naam: naam.to_string(),
            };
            schrijf(&tx, door, &wat).await?;
        }
        tx.commit().await.map_err(fout)
    }

    /// Sets a new password hash and ends the account's sessions.
    pub async fn zet_wachtwoord(
        &self,
        naam: &str,
        hash: &str,
        door: Option<&str>,
    ) -> Result<(), OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let n = tx
            .execute(
                "UPDATE gebruiker SET hash = $2 WHERE naam = $1",
                &[&naam, &hash],
            )
            .await
            .map_err(fout)?;
        if n == 0 {
            return Err(Conflict::GebruikerBestaatNiet(naam.to_string()).into());
        }
        tx.execute("DELETE FROM sessie WHERE gebruiker = $1", &[&naam])
            .await
            .map_err(fout)?;
        if let Some(door) = door {
            let wat = Gebeurtenis::NieuwWachtwoord {
                naam: naam.to_string(),
            };
            schrijf(&tx, door, &wat).await?;
        }
        tx.commit().await.map_err(fout)
    }

    pub async fn hash_van(&self, naam: &str) -> Result<Option<(Rol, String)>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        let stmt = client
            .prepare_cached("SELECT rol, hash FROM gebruiker WHERE naam = $1")
            .await
            .map_err(fout)?;
        Ok(client
            .query_opt(&stmt, &[&naam])
            .await
            .map_err(fout)?
            .map(|r| (rol_uit(r.get(0)), r.get(1))))
    }

    /// Starts a session and writes `Aangemeld` in the same transaction; returns the id for
    /// the cookie (64 hex characters; only its SHA-256 is stored).
    pub async fn sessie_begin(&self, naam: &str) -> Result<String, OpslagFout> {
        let bytes = willekeurig::<32>()?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let t = nu();
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        // Old sessions of everyone are cleaned up now and then, here.
        tx.execute(
            "DELETE FROM sessie WHERE laatst < $1 OR begin < $2",
            &[
                &(t - SESSIE_STIL.as_secs() as i64),
                &(t - SESSIE_MAX.as_secs() as i64),
            ],
        )
        .await
        .map_err(fout)?;
        tx.execute(
            "INSERT INTO sessie (hash, gebruiker, begin, laatst) VALUES ($1, $2, $3, $3)",
            &[&&sessie_hash(&id)[..], &naam, &t],
        )
        .await
        .map_err(fout)?;
        schrijf(&tx, naam, &Gebeurtenis::Aangemeld).await?;
        tx.commit().await.map_err(fout)?;
        Ok(id)
    }

    /// The staff member behind a session id while the session is valid; marks it as used now.
    /// An expired session is removed.
    pub async fn sessie_zoek(&self, id: &str) -> Result<Option<Gebruiker>, OpslagFout> {
        if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = sessie_hash(id);
        let t = nu();
        let client = self.pool.get().await.map_err(poolfout)?;
        let stmt = client
            .prepare_cached(
                "SELECT s.gebruiker, g.rol, s.begin, s.laatst FROM sessie s
                 JOIN gebruiker g ON g.naam = s.gebruiker WHERE s.hash = $1",
            )
            .await
            .map_err(fout)?;
        let Some(rij) = client.query_opt(&stmt, &[&&hash[..]]).await.map_err(fout)? else {
            return Ok(None);
        };
        let (naam, rol, begin, laatst): (String, String, i64, i64) =
            (rij.get(0), rij.get(1), rij.get(2), rij.get(3));
        if t - laatst > SESSIE_STIL.as_secs() as i64 || t - begin > SESSIE_MAX.as_secs() as i64 {
            client
                .execute("DELETE FROM sessie WHERE hash = $1", &[&&hash[..]])
                .await
                .map_err(fout)?;
            return Ok(None);
        }
        if t != laatst {
            let stmt = client
                .prepare_cached("UPDATE sessie SET laatst = $2 WHERE hash = $1")
                .await
                .map_err(fout)?;
            client
                .execute(&stmt, &[&&hash[..], &t])
                .await
                .map_err(fout)?;
        }
        Ok(Some(Gebruiker {
            naam,
            rol: rol_uit(&rol),
        }))
    }

    /// Ends a session: the audit line `vooraf` (if any), the session removed, `Afgemeld`, in
    /// one transaction.
    pub async fn sessie_einde(
        &self,
        id: &str,
        naam: &str,
        vooraf: Option<&Gebeurtenis>,
    ) -> Result<(), OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        if let Some(wat) = vooraf {
            schrijf(&tx, naam, wat).await?;
        }
        tx.execute(
            "DELETE FROM sessie WHERE hash = $1",
            &[&&sessie_hash(id)[..]],
        )
        .await
        .map_err(fout)?;
        schrijf(&tx, naam, &Gebeurtenis::Afgemeld).await?;
        tx.commit().await.map_err(fout)
    }

    /// Adds a line to the audit log.
    pub async fn audit(&self, gebruiker: &str, wat: &Gebeurtenis) -> Result<(), OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        schrijf(&client, gebruiker, wat).await
    }

    /// The most recent audit lines, newest first.
    pub async fn audit_laatste(&self, aantal: u32) -> Result<Vec<AuditRegel>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        let rijen = client
            .query(
                "SELECT tijd, gebruiker, gebeurtenis, detail FROM audit ORDER BY id DESC LIMIT $1",
                &[&i64::from(aantal)],
            )
            .await
            .map_err(fout)?;
        Ok(rijen
            .iter()
            .map(|r| AuditRegel {
                tijd: r.get(0),
                gebruiker: r.get(1),
                gebeurtenis: r.get(2),
                detail: r.get(3),
            })
            .collect())
    }

    /// The kiosk key (the row `kiosk` of `geheim`), drawn from the OS on first use. Two
    /// services starting at once agree on one key (`DO NOTHING`, then read).
    pub async fn kiosk_sleutel(&self) -> Result<Vec<u8>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        super::eenmalig_geheim(&client, "kiosk").await
    }

    /// A new kiosk key ("alle kiosken stoppen"), with the audit line, in one transaction.
    pub async fn vernieuw_kiosk_sleutel(&self, door: &str) -> Result<Vec<u8>, OpslagFout> {
        let nieuw = willekeurig::<32>()?;
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        tx.execute(
            "INSERT INTO geheim (naam, waarde) VALUES ('kiosk', $1)
             ON CONFLICT (naam) DO UPDATE SET waarde = excluded.waarde",
            &[&&nieuw[..]],
        )
        .await
        .map_err(fout)?;
        schrijf(&tx, door, &Gebeurtenis::KioskenGestopt).await?;
        tx.commit().await.map_err(fout)?;
        Ok(nieuw.to_vec())
    }

    /// Every staff-entry count, as [`crate::storage::invoer::tellingen`].
    pub async fn invoer_tellingen(&self) -> Result<Vec<InvoerTelling>, OpslagFout> {
        let client = self.pool.get().await.map_err(poolfout)?;
        let rijen = client
            .query(
                r#"SELECT gebruiker, vragenlijst, periode, kanaal, aantal FROM invoer
                 ORDER BY vragenlijst COLLATE "C", periode COLLATE "C", gebruiker COLLATE "C",
                   kanaal COLLATE "C""#,
                &[],
            )
            .await
            .map_err(fout)?;
        Ok(rijen
            .iter()
            .filter_map(|r| {
                Some(InvoerTelling {
                    gebruiker: r.get(0),
                    vragenlijst: r.get(1),
                    periode: r.get(2),
                    kanaal: Kanaal::parse(r.get(3))?,
                    aantal: aantal(r.get(4)),
                })
            })
            .collect())
    }

    /// The item texts and versions, as [`crate::storage::bewaar_vragen`] (warnings for a text
    /// changed without a new version), in one transaction.
    pub async fn bewaar_vragen(&self, lijsten: &Vragenlijsten) -> Result<Vec<String>, OpslagFout> {
        let mut waarschuwingen = Vec::new();
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let select = tx
            .prepare("SELECT tekst FROM vraag WHERE vragenlijst = $1 AND id = $2 AND versie = $3")
            .await
            .map_err(fout)?;
        let upsert = tx
            .prepare(
                "INSERT INTO vraag (vragenlijst, id, versie, categorie, soort, tekst)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (vragenlijst, id, versie) DO UPDATE SET categorie = excluded.categorie,
                   soort = excluded.soort, tekst = excluded.tekst",
            )
            .await
            .map_err(fout)?;
        for lijst in lijsten.0.values() {
            for v in &lijst.vragen {
                let versie = i32::try_from(v.versie).unwrap_or(i32::MAX);
                let oud: Option<String> = tx
                    .query_opt(&select, &[&lijst.id, &v.id, &versie])
                    .await
                    .map_err(fout)?
                    .map(|r| r.get(0));
                if let Some(oud) = oud
                    && oud != v.tekst.nl()
                {
                    waarschuwingen.push(format!(
                        "de tekst van vraag `{}` in {}.toml veranderde, maar de versie ({}) niet; verandert de betekenis, verhoog dan `versie`",
                        v.id, lijst.id, v.versie
                    ));
                }
                tx.execute(
                    &upsert,
                    &[
                        &lijst.id,
                        &v.id,
                        &versie,
                        &v.categorie.id(),
                        &v.soort.id(),
                        &v.tekst.nl(),
                    ],
                )
                .await
                .map_err(fout)?;
            }
        }
        tx.commit().await.map_err(fout)?;
        Ok(waarschuwingen)
    }

    /// Opens a period and writes the audit line, in one transaction.
    pub async fn periode_open_door(
        &self,
        door: &str,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        uitgenodigd: Option<u32>,
    ) -> Result<Geopend, OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let geopend = match periode_open_in(&tx, vragenlijst, periode, uitgenodigd).await {
            Ok(g) => g,
            Err(e) => {
                drop(tx);
                return Err(self.met_open_naam(e, vragenlijst).await);
            }
        };
        let wat = Gebeurtenis::PeriodeGeopend {
            vragenlijst: vragenlijst.to_string(),
            periode: periode.to_string(),
            heropend: geopend == Geopend::Heropend,
        };
        schrijf(&tx, door, &wat).await?;
        tx.commit().await.map_err(fout)?;
        Ok(geopend)
    }

    /// Closes a period and writes the audit line, in one transaction.
    pub async fn periode_sluit_door(
        &self,
        door: &str,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        minimum: MinimumGroep,
    ) -> Result<u64, OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let nog = periode_sluit_in(&tx, vragenlijst, periode, minimum).await?;
        let wat = Gebeurtenis::PeriodeGesloten {
            vragenlijst: vragenlijst.to_string(),
            periode: periode.to_string(),
        };
        schrijf(&tx, door, &wat).await?;
        tx.commit().await.map_err(fout)?;
        Ok(nog)
    }

    /// Makes codes and writes the audit line, in one transaction.
    pub async fn maak_codes_door(
        &self,
        door: &str,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        aantal: u32,
    ) -> Result<Vec<Code>, OpslagFout> {
        let mut client = self.pool.get().await.map_err(poolfout)?;
        let tx = client.transaction().await.map_err(fout)?;
        let codes = maak_codes_in(&tx, &self.geheim, vragenlijst, periode, aantal).await?;
        let wat = Gebeurtenis::Codes {
            vragenlijst: vragenlijst.to_string(),
            periode: periode.to_string(),
            aantal: codes.len(),
        };
        schrijf(&tx, door, &wat).await?;
        tx.commit().await.map_err(fout)?;
        Ok(codes)
    }
}

#[cfg(test)]
mod tests {
    use crate::storage::pg::PgOpslag;

    /// The runbook's "a role per school": a role without CREATE on the database, owning the
    /// schema the IT partner made for its school, runs that school and cannot read another.
    #[test]
    fn a_role_per_school_runs_its_own_schema_only() {
        let Some(server) = e2e::postgres::server("a_role_per_school_runs_its_own_schema_only")
        else {
            return;
        };
        let db = server.databank();
        let naam = db.naam().to_string();
        db.sql(&format!(
            "CREATE ROLE zorg_rol_a LOGIN; REVOKE ALL ON DATABASE \"{naam}\" FROM PUBLIC;
             GRANT CONNECT ON DATABASE \"{naam}\" TO zorg_rol_a;
             CREATE SCHEMA \"school_a\" AUTHORIZATION zorg_rol_a;"
        ));
        let url_a = db.url().replacen("postgres@", "zorg_rol_a@", 1);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            // School b's schema, made by the owner of the database.
            let b = PgOpslag::open(&db.url(), Some("b")).await.unwrap();
            b.maak_gebruiker(
                &crate::domain::gebruiker::GebruikersNaam::parse("bo").unwrap(),
                crate::domain::gebruiker::Rol::Beheer,
                "h",
                None,
            )
            .await
            .unwrap();
            // School a with its own role: migrated, claimed, working.
            let a = PgOpslag::open(&url_a, Some("a")).await.unwrap();
            a.audit("an", &crate::storage::audit::Gebeurtenis::Aangemeld)
                .await
                .unwrap();
            assert_eq!(a.audit_laatste(5).await.unwrap().len(), 1);
            // The role cannot open b's schema, nor make a schema of its own.
            let fout = match PgOpslag::open(&url_a, Some("b")).await {
                Ok(_) => panic!("role a opened school b"),
                Err(e) => e.to_string(),
            };
            assert!(
                fout.contains("`zorg_rol_a` mag het schema `school_b` niet gebruiken"),
                "{fout}"
            );
            let fout = match PgOpslag::open(&url_a, Some("c")).await {
                Ok(_) => panic!("role a made a schema"),
                Err(e) => e.to_string(),
            };
            assert!(fout.contains("42501"), "permission denied: {fout}");
        });
        assert_eq!(db.getal("SELECT count(*) FROM \"school_a\".audit"), 1);
        assert_eq!(
            db.sql("SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'school_a'")
                .trim(),
            "zorg_rol_a"
        );
    }
}
