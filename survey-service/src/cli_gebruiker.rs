//! `zorgenquete gebruiker …`: staff accounts for the dashboard.
//!
//! The password is asked twice without echo on a terminal, or read as one line from stdin
//! (scripts, `echo … |`). It is never an argument, so it does not end up in the shell history.

use std::io::{BufRead, IsTerminal};

use crate::cli::{Error, GebruikerActie};
use crate::domain::gebruiker::{self, GebruikersNaam, Rol};
use crate::storage::{self, Conflict, OpslagFout, gebruikers};

pub(crate) fn voer_uit(
    config: &crate::cli::ConfigSource,
    actie: GebruikerActie,
) -> Result<(), Error> {
    match actie {
        GebruikerActie::Maak { naam, rol, db } => {
            let naam = GebruikersNaam::parse(&naam)?;
            let rol = Rol::parse(&rol).ok_or_else(|| {
                format!("de rol `{rol}` bestaat niet; kies --rol beheer of --rol zorgteam")
            })?;
            let conn = storage::open(&crate::cli::db_pad(config, &db)?)?;
            if gebruikers::hash_van(&conn, naam.as_str())?.is_some() {
                return Err(
                    OpslagFout::from(Conflict::GebruikerBestaatAl(naam.to_string())).into(),
                );
            }
            let hash = gebruiker::hash_wachtwoord(&lees_wachtwoord()?)?;
            gebruikers::maak(&conn, &naam, rol, &hash)?;
            println!("gebruiker {naam} gemaakt met de rol {rol}; aanmelden op /beheer/login");
            Ok(())
        }
        GebruikerActie::Lijst { db } => {
            let conn = storage::open(&crate::cli::db_pad(config, &db)?)?;
            let lijst = gebruikers::lijst(&conn)?;
            if lijst.is_empty() {
                println!(
                    "Er zijn nog geen gebruikers. Maak de eerste met `zorgenquete gebruiker maak <naam> --rol beheer`."
                );
            }
            for g in lijst {
                println!("{:<40} {}", g.naam, g.rol);
            }
            Ok(())
        }
        GebruikerActie::Verwijder { naam, db } => {
            let mut conn = storage::open(&crate::cli::db_pad(config, &db)?)?;
            gebruikers::verwijder(&mut conn, &naam)?;
            println!("gebruiker {naam} verwijderd");
            Ok(())
        }
        GebruikerActie::Wachtwoord { naam, db } => {
            let mut conn = storage::open(&crate::cli::db_pad(config, &db)?)?;
            if gebruikers::hash_van(&conn, &naam)?.is_none() {
                return Err(OpslagFout::from(Conflict::GebruikerBestaatNiet(naam)).into());
            }
            let hash = gebruiker::hash_wachtwoord(&lees_wachtwoord()?)?;
            gebruikers::zet_wachtwoord(&mut conn, &naam, &hash)?;
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
