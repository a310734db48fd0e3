//! `zorgenquete gebruiker …`: staff accounts for the dashboard.
//!
//! The password is asked twice without echo on a terminal, or read as one line from stdin
//! (scripts, `echo … |`). It is never an argument, so it does not end up in the shell history.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use crate::cli::GebruikerActie;
use crate::domain::gebruiker::{self, GebruikersNaam, Rol};
use crate::storage::{self, gebruikers};

pub fn voer_uit(config: &Option<PathBuf>, actie: GebruikerActie) -> Result<(), String> {
    match actie {
        GebruikerActie::Maak { naam, rol, db } => {
            let naam = GebruikersNaam::parse(&naam)?;
            let rol = Rol::parse(&rol).ok_or_else(|| {
                format!("de rol `{rol}` bestaat niet; kies --rol beheer of --rol zorgteam")
            })?;
            let conn =
                storage::open(&crate::cli::db_pad(config, &db)?).map_err(|e| e.to_string())?;
            if gebruikers::hash_van(&conn, naam.as_str())
                .map_err(|e| e.to_string())?
                .is_some()
            {
                return Err(format!(
                    "er is al een gebruiker `{naam}`; kies een andere naam of verander het wachtwoord met `zorgenquete gebruiker wachtwoord {naam}`"
                ));
            }
            let hash = gebruiker::hash_wachtwoord(&lees_wachtwoord()?)?;
            gebruikers::maak(&conn, &naam, rol, &hash).map_err(|e| e.to_string())?;
            println!("gebruiker {naam} gemaakt met de rol {rol}; aanmelden op /beheer/login");
            Ok(())
        }
        GebruikerActie::Lijst { db } => {
            let conn =
                storage::open(&crate::cli::db_pad(config, &db)?).map_err(|e| e.to_string())?;
            let lijst = gebruikers::lijst(&conn).map_err(|e| e.to_string())?;
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
            let mut conn =
                storage::open(&crate::cli::db_pad(config, &db)?).map_err(|e| e.to_string())?;
            gebruikers::verwijder(&mut conn, &naam).map_err(|e| e.to_string())?;
            println!("gebruiker {naam} verwijderd");
            Ok(())
        }
        GebruikerActie::Wachtwoord { naam, db } => {
            let mut conn =
                storage::open(&crate::cli::db_pad(config, &db)?).map_err(|e| e.to_string())?;
            if gebruikers::hash_van(&conn, &naam)
                .map_err(|e| e.to_string())?
                .is_none()
            {
                return Err(format!(
                    "er is geen gebruiker `{naam}`; zie `zorgenquete gebruiker lijst`"
                ));
            }
            let hash = gebruiker::hash_wachtwoord(&lees_wachtwoord()?)?;
            gebruikers::zet_wachtwoord(&mut conn, &naam, &hash).map_err(|e| e.to_string())?;
            println!("nieuw wachtwoord voor {naam}; bestaande aanmeldingen zijn beëindigd");
            Ok(())
        }
    }
}

/// Asks for a new password (twice, hidden) on a terminal, or reads one line from stdin.
fn lees_wachtwoord() -> Result<String, String> {
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
