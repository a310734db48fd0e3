//! `zorgenquete gebruiker …`: staff accounts for the dashboard.
//!
//! The password is asked twice without echo on a terminal, or read as one line from stdin
//! (scripts, `echo … |`). It is never an argument, so it does not end up in the shell history.

use std::io::{BufRead, IsTerminal};

use crate::cli::{Error, GebruikerActie};
use crate::domain::gebruiker::{self, GebruikersNaam, Rol};
use crate::storage::{self, Conflict, OpslagFout};

/// Runs `actie` on the accounts of the school (`--school`, or the only one), or with `groep` on
/// the group's accounts (`storage::groep`; the same tables, hashing and rules), through the
/// storage interface (a SQLite file or a PostgreSQL schema).
pub(crate) fn voer_uit(
    config: &crate::cli::ConfigSource,
    groep: bool,
    actie: GebruikerActie,
) -> Result<(), Error> {
    use crate::cli::{groep_instellingen, met_opslag, school_instellingen};
    if groep && config.school.is_some() {
        return Err("--groep en --school gaan niet samen: een account van de scholengroep hoort bij geen enkele school".into());
    }
    let inst = |db: &crate::cli::DbArg| {
        if groep {
            groep_instellingen(config, db)
        } else {
            school_instellingen(config, db)
        }
    };
    match actie {
        GebruikerActie::Maak { naam, rol, db } => {
            let naam = GebruikersNaam::parse(&naam)?;
            let rol = match (groep, rol) {
                (true, None) => storage::groep::ROL_IN_KOLOM,
                (true, Some(_)) => {
                    return Err(
                        "een account van de scholengroep heeft altijd de rol groep; laat --rol weg"
                            .into(),
                    );
                }
                (false, None) => {
                    return Err("zeg welke rol: --rol beheer of --rol zorgteam (of --groep voor een account van de scholengroep)".into());
                }
                (false, Some(rol)) => Rol::parse(&rol).ok_or_else(|| {
                    format!("de rol `{rol}` bestaat niet; kies --rol beheer of --rol zorgteam")
                })?,
            };
            let naam2 = naam.clone();
            met_opslag(&inst(&db)?, |o| async move {
                let naam = naam2;
                if o.hash_van(naam.as_str()).await?.is_some() {
                    return Err(
                        OpslagFout::from(Conflict::GebruikerBestaatAl(naam.to_string())).into(),
                    );
                }
                let hash = gebruiker::hash_wachtwoord(&lees_wachtwoord()?)?;
                o.maak_gebruiker(&naam, rol, &hash, None).await?;
                Ok(())
            })?;
            if groep {
                println!(
                    "gebruiker {naam} gemaakt met de rol {}; aanmelden op <adres van de groep>/groep/beheer/login",
                    storage::groep::ROL
                );
            } else {
                println!("gebruiker {naam} gemaakt met de rol {rol}; aanmelden op /beheer/login");
            }
            Ok(())
        }
        GebruikerActie::Lijst { db } => {
            let lijst = met_opslag(&inst(&db)?, |o| async move { Ok(o.gebruikers().await?) })?;
            if lijst.is_empty() {
                println!(
                    "Er zijn nog geen gebruikers. Maak de eerste met `zorgenquete gebruiker maak <naam> --rol beheer`."
                );
            }
            for g in lijst {
                let rol = if groep { storage::groep::ROL } else { g.rol };
                println!("{:<40} {rol}", g.naam);
            }
            Ok(())
        }
        GebruikerActie::Verwijder { naam, db } => {
            let n = naam.clone();
            met_opslag(&inst(&db)?, |o| async move {
                Ok(o.verwijder_gebruiker(&n, None).await?)
            })?;
            println!("gebruiker {naam} verwijderd");
            Ok(())
        }
        GebruikerActie::Wachtwoord { naam, db } => {
            let n = naam.clone();
            met_opslag(&inst(&db)?, |o| async move {
                if o.hash_van(&n).await?.is_none() {
                    return Err(OpslagFout::from(Conflict::GebruikerBestaatNiet(n)).into());
                }
                let hash = gebruiker::hash_wachtwoord(&lees_wachtwoord()?)?;
                o.zet_wachtwoord(&n, &hash, None).await?;
                Ok(())
            })?;
            println!("nieuw wachtwoord voor {naam}; bestaande aanmeldingen zijn beëindigd");
            Ok(())
        }
    }
}

/// Asks for a new password (twice, hidden) on a terminal, or reads one line from stdin.
fn lees_wachtwoord() -> Result<String, Error> {
    let wachtwoord = if std::io::stdin().is_terminal() {
        let een = rpassword::prompt_password("Nieuw wachtwoord: ")
            .map_err(|e| format!("kan het wachtwoord niet lezen ({e})"))?;
        let twee = rpassword::prompt_password("Nog eens: ")
            .map_err(|e| format!("kan het wachtwoord niet lezen ({e})"))?;
        if een != twee {
            return Err("de twee wachtwoorden zijn niet gelijk; probeer opnieuw".into());
        }
        een
    } else {
        let mut regel = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut regel)
            .map_err(|e| format!("kan het wachtwoord niet lezen van stdin ({e})"))?;
        regel.trim_end_matches(['\r', '\n']).to_string()
    };
    gebruiker::controleer_nieuw_wachtwoord(&wachtwoord)?;
    Ok(wachtwoord)
}
