//! The dashboard's questions on either engine (issue 17): accounts and sessions, the audit
//! log, the kiosk key, staff-entry counts, item texts, and the staff actions whose audit line
//! must be written in the same transaction as the action (`…_door`). SQLite arms run the
//! `storage::{gebruikers, audit, kiosk, invoer}` functions in one `IMMEDIATE` transaction on
//! the [`SqliteOpslag`]'s connection; PostgreSQL arms are in `storage::pg::beheer`.

use std::sync::Arc;

use rusqlite::{Connection, TransactionBehavior};

use super::{Opslag, SqliteOpslag};
use crate::domain::PeriodeNaam;
use crate::domain::code::Code;
use crate::domain::gebruiker::{GebruikersNaam, Rol};
use crate::domain::vragenlijst::Vragenlijsten;
use crate::domain::vrijgave::MinimumGroep;
use crate::storage::audit::{self, AuditRegel, Gebeurtenis};
use crate::storage::gebruikers::{self, Gebruiker};
use crate::storage::invoer::{self, InvoerTelling};
use crate::storage::{self as opslag, Geopend, OpslagFout};

impl SqliteOpslag {
    /// Runs `f` in one `IMMEDIATE` transaction on a blocking thread; commits when it succeeds.
    async fn in_transactie<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, OpslagFout> + Send + 'static,
    ) -> Result<T, OpslagFout> {
        self.met(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let uit = f(&tx)?;
            tx.commit()?;
            Ok(uit)
        })
        .await
    }
}

impl Opslag {
    /// Every account, by name.
    pub async fn gebruikers(&self) -> Result<Vec<Gebruiker>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => s.met(|c| gebruikers::lijst(c)).await,
            Opslag::Postgres(p) => p.gebruikers().await,
        }
    }

    /// Adds an account; with `door` (a staff member on the dashboard) also the audit line, in
    /// the same transaction. A taken name is a conflict.
    pub async fn maak_gebruiker(
        &self,
        naam: &GebruikersNaam,
        rol: Rol,
        hash: &str,
        door: Option<&str>,
    ) -> Result<(), OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (naam, hash, door) = (naam.clone(), hash.to_string(), door.map(str::to_string));
                s.in_transactie(move |c| {
                    gebruikers::maak(c, &naam, rol, &hash)?;
                    if let Some(door) = door {
                        let wat = Gebeurtenis::GebruikerGemaakt {
                            naam: naam.to_string(),
                            rol,
                        };
                        audit::schrijf(c, &door, &wat)?;
                    }
                    Ok(())
                })
                .await
            }
            Opslag::Postgres(p) => p.maak_gebruiker(naam, rol, hash, door).await,
        }
    }

    /// Removes an account and its sessions (never the last `beheer`), with the audit line.
    pub async fn verwijder_gebruiker(
        &self,
        naam: &str,
        door: Option<&str>,
    ) -> Result<(), OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (naam, door) = (naam.to_string(), door.map(str::to_string));
                s.in_transactie(move |c| {
                    gebruikers::verwijder_in(c, &naam)?;
                    if let Some(door) = door {
                        audit::schrijf(c, &door, &Gebeurtenis::GebruikerVerwijderd { naam })?;
                    }
                    Ok(())
                })
                .await
            }
            Opslag::Postgres(p) => p.verwijder_gebruiker(naam, door).await,
        }
    }

    /// A new password hash; ends the account's sessions. With the audit line.
    pub async fn zet_wachtwoord(
        &self,
        naam: &str,
        hash: &str,
        door: Option<&str>,
    ) -> Result<(), OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (naam, hash, door) =
                    (naam.to_string(), hash.to_string(), door.map(str::to_string));
                s.in_transactie(move |c| {
                    gebruikers::zet_wachtwoord_in(c, &naam, &hash)?;
                    if let Some(door) = door {
                        audit::schrijf(c, &door, &Gebeurtenis::NieuwWachtwoord { naam })?;
                    }
                    Ok(())
                })
                .await
            }
            Opslag::Postgres(p) => p.zet_wachtwoord(naam, hash, door).await,
        }
    }

    /// The role and password hash of an account, if it exists.
    pub async fn hash_van(&self, naam: &str) -> Result<Option<(Rol, String)>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let naam = naam.to_string();
                s.met(move |c| gebruikers::hash_van(c, &naam)).await
            }
            Opslag::Postgres(p) => p.hash_van(naam).await,
        }
    }

    /// Starts a session for `naam` and writes `Aangemeld`, in one transaction; returns the id
    /// for the cookie.
    pub async fn sessie_begin(&self, naam: &str) -> Result<String, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let naam = naam.to_string();
                s.in_transactie(move |c| {
                    let id = gebruikers::sessie_begin(c, &naam)?;
                    audit::schrijf(c, &naam, &Gebeurtenis::Aangemeld)?;
                    Ok(id)
                })
                .await
            }
            Opslag::Postgres(p) => p.sessie_begin(naam).await,
        }
    }

    /// The staff member behind a valid session id (marked as used now); `None` for an unknown
    /// or expired one (an expired one is removed).
    pub async fn sessie_zoek(&self, id: &str) -> Result<Option<Gebruiker>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let id = id.to_string();
                s.met(move |c| gebruikers::sessie_zoek(c, &id)).await
            }
            Opslag::Postgres(p) => p.sessie_zoek(id).await,
        }
    }

    /// Ends the session `id` of `naam`: the audit line `vooraf` (if any), the session removed,
    /// and `Afgemeld`, in one transaction.
    pub async fn sessie_einde(
        &self,
        id: &str,
        naam: &str,
        vooraf: Option<Gebeurtenis>,
    ) -> Result<(), OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (id, naam) = (id.to_string(), naam.to_string());
                s.in_transactie(move |c| {
                    if let Some(wat) = &vooraf {
                        audit::schrijf(c, &naam, wat)?;
                    }
                    gebruikers::sessie_einde(c, &id)?;
                    audit::schrijf(c, &naam, &Gebeurtenis::Afgemeld)
                })
                .await
            }
            Opslag::Postgres(p) => p.sessie_einde(id, naam, vooraf.as_ref()).await,
        }
    }

    /// Adds a line to the audit log (`gebruiker`: a known staff name, `(onbekend)` or
    /// `(kiosk)`; never what a stranger typed).
    pub async fn audit(&self, gebruiker: &str, wat: &Gebeurtenis) -> Result<(), OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (gebruiker, wat) = (gebruiker.to_string(), wat.clone());
                s.met(move |c| audit::schrijf(c, &gebruiker, &wat)).await
            }
            Opslag::Postgres(p) => p.audit(gebruiker, wat).await,
        }
    }

    /// The most recent audit lines, newest first.
    pub async fn audit_laatste(&self, aantal: u32) -> Result<Vec<AuditRegel>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => s.met(move |c| audit::laatste(c, aantal)).await,
            Opslag::Postgres(p) => p.audit_laatste(aantal).await,
        }
    }

    /// The kiosk key; made on first use.
    pub async fn kiosk_sleutel(&self) -> Result<Vec<u8>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => s.met(|c| opslag::kiosk::sleutel(c)).await,
            Opslag::Postgres(p) => p.kiosk_sleutel().await,
        }
    }

    /// A new kiosk key (every kiosk stops), with the audit line `KioskenGestopt` by `door`.
    pub async fn vernieuw_kiosk_sleutel(&self, door: &str) -> Result<Vec<u8>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let door = door.to_string();
                s.in_transactie(move |c| {
                    let sleutel = opslag::kiosk::vernieuw(c)?;
                    audit::schrijf(c, &door, &Gebeurtenis::KioskenGestopt)?;
                    Ok(sleutel)
                })
                .await
            }
            Opslag::Postgres(p) => p.vernieuw_kiosk_sleutel(door).await,
        }
    }

    /// How many paper and oral answers each staff member typed in, per period and channel.
    pub async fn invoer_tellingen(&self) -> Result<Vec<InvoerTelling>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => s.met(|c| invoer::tellingen(c)).await,
            Opslag::Postgres(p) => p.invoer_tellingen().await,
        }
    }

    /// Keeps the item texts and versions; warnings for a text changed without a new version.
    pub async fn bewaar_vragen(
        &self,
        lijsten: Arc<Vragenlijsten>,
    ) -> Result<Vec<String>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                s.in_transactie(move |c| opslag::bewaar_vragen(c, &lijsten))
                    .await
            }
            Opslag::Postgres(p) => p.bewaar_vragen(&lijsten).await,
        }
    }

    /// Opens a period (as [`Opslag::periode_open`]) and writes the audit line by `door`, in
    /// one transaction.
    pub async fn periode_open_door(
        &self,
        door: &str,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        uitgenodigd: Option<u32>,
    ) -> Result<Geopend, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (door, v, p) = (door.to_string(), vragenlijst.to_string(), periode.clone());
                s.in_transactie(move |c| {
                    let geopend = opslag::periode_open_in(c, &v, &p, uitgenodigd)?;
                    let wat = Gebeurtenis::PeriodeGeopend {
                        vragenlijst: v,
                        periode: p.to_string(),
                        heropend: geopend == Geopend::Heropend,
                    };
                    audit::schrijf(c, &door, &wat)?;
                    Ok(geopend)
                })
                .await
            }
            Opslag::Postgres(pg) => {
                pg.periode_open_door(door, vragenlijst, periode, uitgenodigd)
                    .await
            }
        }
    }

    /// Closes a period (as [`Opslag::periode_sluit`]) and writes the audit line by `door`, in
    /// one transaction.
    pub async fn periode_sluit_door(
        &self,
        door: &str,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        minimum: MinimumGroep,
    ) -> Result<u64, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (door, v, p) = (door.to_string(), vragenlijst.to_string(), periode.clone());
                s.in_transactie(move |c| {
                    let nog = opslag::periode_sluit_in(c, &v, &p, minimum)?;
                    let wat = Gebeurtenis::PeriodeGesloten {
                        vragenlijst: v,
                        periode: p.to_string(),
                    };
                    audit::schrijf(c, &door, &wat)?;
                    Ok(nog)
                })
                .await
            }
            Opslag::Postgres(pg) => {
                pg.periode_sluit_door(door, vragenlijst, periode, minimum)
                    .await
            }
        }
    }

    /// Makes codes (as [`Opslag::maak_codes`]) and writes the audit line by `door`, in one
    /// transaction.
    pub async fn maak_codes_door(
        &self,
        door: &str,
        vragenlijst: &str,
        periode: &PeriodeNaam,
        aantal: u32,
    ) -> Result<Vec<Code>, OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let (door, v, p) = (door.to_string(), vragenlijst.to_string(), periode.clone());
                s.in_transactie(move |c| {
                    let codes = opslag::maak_codes_in(c, &v, &p, aantal)?;
                    let wat = Gebeurtenis::Codes {
                        vragenlijst: v,
                        periode: p.to_string(),
                        aantal: codes.len(),
                    };
                    audit::schrijf(c, &door, &wat)?;
                    Ok(codes)
                })
                .await
            }
            Opslag::Postgres(pg) => pg.maak_codes_door(door, vragenlijst, periode, aantal).await,
        }
    }

    /// Runs raw SQL on the engine (tests: ageing a session, counting rows).
    #[cfg(test)]
    pub(crate) async fn sql_voor_test(&self, sql: &str) -> Result<(), OpslagFout> {
        match self {
            Opslag::Sqlite(s) => {
                let sql = sql.to_string();
                s.met(move |c| Ok(c.execute_batch(&sql)?)).await
            }
            Opslag::Postgres(p) => {
                let client = p.pool().get().await.map_err(crate::storage::pg::poolfout)?;
                client
                    .batch_execute(sql)
                    .await
                    .map_err(crate::storage::pg::fout)
            }
        }
    }

    /// One number from raw SQL (tests).
    #[cfg(test)]
    pub(crate) async fn getal_voor_test(&self, sql: &str) -> i64 {
        match self {
            Opslag::Sqlite(s) => {
                let sql = sql.to_string();
                s.met(move |c| Ok(c.query_row(&sql, [], |r| r.get::<_, i64>(0))?))
                    .await
                    .unwrap()
            }
            Opslag::Postgres(p) => {
                let client = p.pool().get().await.unwrap();
                client.query_one(sql, &[]).await.unwrap().get::<_, i64>(0)
            }
        }
    }
}

#[cfg(test)]
mod tests;
