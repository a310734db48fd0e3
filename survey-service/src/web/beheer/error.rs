//! The dashboard's error pages: one type for everything a dashboard request can run into, so
//! handlers use `?`, and one place that maps each to its status code and its texts.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::gebruiker::{MAX_WACHTWOORD, MIN_WACHTWOORD, Ongeldig};
use crate::storage::{Conflict, OpslagFout};
use crate::web::render::{BEHEER_FOUT, Renderer};

/// Why a dashboard request did not do what was asked. The page is `beheer/fout.html`, worded
/// by `beheer.fout.<soort>` (or `beheer.conflict.<soort>`) of `content/teksten/nl.toml`.
///
/// As with the survey's errors, [`IntoResponse`] leaves the error in the response's
/// extensions and `web::bewaak` renders it ([`Error::render`]), since only the state reaches
/// the theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Storage: a conflict with what is stored, or a database that cannot be used (503).
    Opslag(OpslagFout),
    /// The role is too low for this page (403).
    GeenToegang,
    /// A session of another school, or of the group level at a school and the other way round
    /// (403). Its page names nothing of the school asked for (`super::sessie`).
    AndereSchool,
    /// A form without a valid token, or from another site (403).
    Verlopen,
    /// A POST that is not a form (415).
    GeenFormulier,
    /// The connection broke while sending (400).
    Verbroken,
    /// A body over the limit (413).
    TeVeelTekst,
    /// A questionnaire that does not exist: named in a form (400) or in the address (404).
    OnbekendeVragenlijst { in_adres: bool },
    /// Not a valid period name (400).
    OngeldigePeriodeNaam,
    /// Not a number of invited people (400).
    OngeldigAantalUitgenodigd,
    /// Not a number of codes between 1 and 10000 (400).
    OngeldigAantalCodes,
    /// Letters need the public address of the surveys, which `config.toml` lacks (409).
    GeenEnqueteUrl,
    /// Staff entry for a channel that is not paper or conversation (404).
    OnbekendeInvoer,
    /// Staff entry without an open period (409).
    GeenOpenPeriode,
    /// A period the questionnaire does not have (400).
    OnbekendePeriode(String),
    /// An item the questionnaire's report does not have, in the address (404).
    OnbekendeVraag,
    /// The same period twice as the pair to compare (400).
    ZelfdePeriode(String),
    /// A download without a kind of file (400).
    GeenFormaat,
    /// Open answers asked outside the raw download (400).
    OpenAlleenRuw,
    /// A user name or password that cannot be used (400).
    Ongeldig(Ongeldig),
    /// No role chosen for a new account (400).
    GeenRol,
    /// Too many password hashes at once: nothing was done, try again in a minute (503).
    TeDruk,
}

impl From<OpslagFout> for Error {
    fn from(e: OpslagFout) -> Self {
        Error::Opslag(e)
    }
}

impl From<Ongeldig> for Error {
    fn from(e: Ongeldig) -> Self {
        Error::Ongeldig(e)
    }
}

/// The values of `beheer/fout.html`: which texts, and what fills their placeholders.
#[derive(Debug, Default, Serialize)]
pub struct FoutPage<'a> {
    /// `beheer.fout.<soort>` or `beheer.conflict.<soort>`, with `.titel` and `.tekst`.
    pub sleutel: &'static str,
    pub naam: Option<&'a str>,
    pub vragenlijst: Option<&'a str>,
    pub periode: Option<&'a str>,
    pub open: Option<&'a str>,
    pub n: Option<usize>,
    pub min: Option<usize>,
    pub max: Option<usize>,
    /// The way on is this dashboard's login page, not its overview.
    pub aanmelden: bool,
}

impl Error {
    /// One of every error (with example values): for the start-up check of their texts and
    /// for the tests that walk them all.
    pub(crate) fn elke_soort() -> Vec<Error> {
        let c = |c: Conflict| Error::Opslag(OpslagFout::Conflict(c));
        vec![
            Error::Opslag(OpslagFout::Databank("x".into())),
            Error::Opslag(OpslagFout::Geweigerd("x".into())),
            c(Conflict::AnderePeriodeOpen {
                vragenlijst: "ouders".into(),
                open: "2025-2026".into(),
            }),
            c(Conflict::PeriodeBestaatNiet {
                vragenlijst: "ouders".into(),
                periode: "2025-2026".into(),
            }),
            c(Conflict::GebruikerBestaatAl("an".into())),
            c(Conflict::GebruikerBestaatNiet("an".into())),
            c(Conflict::LaatsteBeheerder("an".into())),
            Error::GeenToegang,
            Error::AndereSchool,
            Error::Verlopen,
            Error::GeenFormulier,
            Error::Verbroken,
            Error::TeVeelTekst,
            Error::OnbekendeVragenlijst { in_adres: true },
            Error::OnbekendeVragenlijst { in_adres: false },
            Error::OngeldigePeriodeNaam,
            Error::OngeldigAantalUitgenodigd,
            Error::OngeldigAantalCodes,
            Error::GeenEnqueteUrl,
            Error::OnbekendeInvoer,
            Error::GeenOpenPeriode,
            Error::OnbekendePeriode("1999-2000".into()),
            Error::ZelfdePeriode("2025-2026".into()),
            Error::OnbekendeVraag,
            Error::GeenFormaat,
            Error::OpenAlleenRuw,
            Error::Ongeldig(Ongeldig::Naam("X".into())),
            Error::Ongeldig(Ongeldig::WachtwoordTeKort(3)),
            Error::Ongeldig(Ongeldig::WachtwoordTeLang),
            Error::GeenRol,
            Error::TeDruk,
        ]
    }

    /// The status code of every error: the one place.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::Opslag(OpslagFout::Databank(_)) | Error::TeDruk => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            // Account conflicts are mistakes in the form, as before: 400, like invalid input.
            Error::Opslag(OpslagFout::Conflict(
                Conflict::GebruikerBestaatAl(_)
                | Conflict::GebruikerBestaatNiet(_)
                | Conflict::LaatsteBeheerder(_),
            )) => StatusCode::BAD_REQUEST,
            Error::Opslag(OpslagFout::Conflict(_)) => StatusCode::CONFLICT,
            Error::Opslag(OpslagFout::Geweigerd(_)) => StatusCode::BAD_REQUEST,
            Error::GeenToegang | Error::AndereSchool | Error::Verlopen => StatusCode::FORBIDDEN,
            Error::GeenFormulier => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::TeVeelTekst => StatusCode::PAYLOAD_TOO_LARGE,
            Error::OnbekendeVragenlijst { in_adres: true }
            | Error::OnbekendeInvoer
            | Error::OnbekendeVraag => StatusCode::NOT_FOUND,
            Error::GeenEnqueteUrl | Error::GeenOpenPeriode => StatusCode::CONFLICT,
            Error::Verbroken
            | Error::OnbekendeVragenlijst { in_adres: false }
            | Error::OngeldigePeriodeNaam
            | Error::OngeldigAantalUitgenodigd
            | Error::OngeldigAantalCodes
            | Error::OnbekendePeriode(_)
            | Error::ZelfdePeriode(_)
            | Error::GeenFormaat
            | Error::OpenAlleenRuw
            | Error::Ongeldig(_)
            | Error::GeenRol => StatusCode::BAD_REQUEST,
        }
    }

    /// Which texts, and their placeholders.
    pub fn pagina(&self) -> FoutPage<'_> {
        let leeg = FoutPage::default();
        match self {
            Error::Opslag(OpslagFout::Databank(_)) => FoutPage {
                sleutel: "beheer.fout.onbeschikbaar",
                ..leeg
            },
            Error::Opslag(OpslagFout::Geweigerd(_)) => FoutPage {
                sleutel: "beheer.fout.geweigerd",
                ..leeg
            },
            Error::Opslag(OpslagFout::Conflict(c)) => match c {
                Conflict::AnderePeriodeOpen { vragenlijst, open } => FoutPage {
                    sleutel: "beheer.conflict.andere_periode_open",
                    vragenlijst: Some(vragenlijst),
                    open: Some(open),
                    ..leeg
                },
                Conflict::PeriodeBestaatNiet {
                    vragenlijst,
                    periode,
                } => FoutPage {
                    sleutel: "beheer.conflict.periode_bestaat_niet",
                    vragenlijst: Some(vragenlijst),
                    periode: Some(periode),
                    ..leeg
                },
                Conflict::GebruikerBestaatAl(naam) => FoutPage {
                    sleutel: "beheer.conflict.gebruiker_bestaat_al",
                    naam: Some(naam),
                    ..leeg
                },
                Conflict::GebruikerBestaatNiet(naam) => FoutPage {
                    sleutel: "beheer.conflict.gebruiker_bestaat_niet",
                    naam: Some(naam),
                    ..leeg
                },
                Conflict::LaatsteBeheerder(naam) => FoutPage {
                    sleutel: "beheer.conflict.laatste_beheerder",
                    naam: Some(naam),
                    ..leeg
                },
            },
            Error::Ongeldig(o) => FoutPage {
                sleutel: o.sleutel(),
                naam: match o {
                    Ongeldig::Naam(n) => Some(n),
                    _ => None,
                },
                n: match o {
                    Ongeldig::WachtwoordTeKort(n) => Some(*n),
                    _ => None,
                },
                min: Some(MIN_WACHTWOORD),
                max: Some(MAX_WACHTWOORD),
                ..leeg
            },
            Error::OnbekendePeriode(naam) => FoutPage {
                sleutel: "beheer.fout.onbekende_periode",
                periode: Some(naam),
                ..leeg
            },
            Error::GeenToegang => FoutPage {
                sleutel: "beheer.fout.geen_toegang",
                ..leeg
            },
            Error::AndereSchool => FoutPage {
                sleutel: "beheer.fout.andere_school",
                aanmelden: true,
                ..leeg
            },
            Error::Verlopen => FoutPage {
                sleutel: "beheer.fout.verlopen",
                ..leeg
            },
            Error::GeenFormulier => FoutPage {
                sleutel: "beheer.fout.geen_formulier",
                ..leeg
            },
            Error::Verbroken => FoutPage {
                sleutel: "beheer.fout.verbroken",
                ..leeg
            },
            Error::TeVeelTekst => FoutPage {
                sleutel: "beheer.fout.te_veel_tekst",
                ..leeg
            },
            Error::OnbekendeVragenlijst { .. } => FoutPage {
                sleutel: "beheer.fout.onbekende_vragenlijst",
                ..leeg
            },
            Error::OngeldigePeriodeNaam => FoutPage {
                sleutel: "beheer.fout.periode_naam",
                ..leeg
            },
            Error::OngeldigAantalUitgenodigd => FoutPage {
                sleutel: "beheer.fout.aantal_uitgenodigd",
                ..leeg
            },
            Error::OngeldigAantalCodes => FoutPage {
                sleutel: "beheer.fout.aantal_codes",
                ..leeg
            },
            Error::GeenEnqueteUrl => FoutPage {
                sleutel: "beheer.fout.geen_enquete_url",
                ..leeg
            },
            Error::OnbekendeInvoer => FoutPage {
                sleutel: "beheer.fout.onbekende_invoer",
                ..leeg
            },
            Error::GeenOpenPeriode => FoutPage {
                sleutel: "beheer.fout.geen_open_periode",
                ..leeg
            },
            Error::OnbekendeVraag => FoutPage {
                sleutel: "beheer.fout.onbekende_vraag",
                ..leeg
            },
            Error::ZelfdePeriode(naam) => FoutPage {
                sleutel: "beheer.fout.zelfde_periode",
                periode: Some(naam),
                ..leeg
            },
            Error::GeenFormaat => FoutPage {
                sleutel: "beheer.fout.geen_formaat",
                ..leeg
            },
            Error::OpenAlleenRuw => FoutPage {
                sleutel: "beheer.fout.open_alleen_ruw",
                ..leeg
            },
            Error::GeenRol => FoutPage {
                sleutel: "beheer.fout.geen_rol",
                ..leeg
            },
            Error::TeDruk => FoutPage {
                sleutel: "beheer.fout.te_druk",
                ..leeg
            },
        }
    }

    /// The page (Dutch, without the dashboard menu, with a way back). The page for a
    /// foreign session does not even name the school.
    pub fn render(&self, r: &Renderer) -> Response {
        if let Error::Opslag(e @ OpslagFout::Databank(_)) = self {
            tracing::error!(fout = %e, "dashboard: databank niet bruikbaar");
        }
        let taal = r.talen.standaard();
        let pagina = super::pages::Dashboard {
            menu: None,
            pagina: self.pagina(),
        };
        if *self == Error::AndereSchool {
            return r.html_zonder_school(self.status(), BEHEER_FOUT, &taal, &pagina);
        }
        r.html(self.status(), BEHEER_FOUT, &taal, &[], &pagina)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(self);
        r
    }
}

/// Texts of the dashboard's error pages (`beheer.fout.<soort>.titel`, `.tekst`) that `teksten`
/// lacks, sorted. `beheer/fout.html` names them at run time, so the theme check of the build
/// cannot see them; the service checks them at start-up instead (a school that kept an older
/// `content/teksten/nl.toml` learns it then, not from a staff member's error page).
pub fn ontbrekende_teksten(teksten: &zorgsite::model::teksten::Teksten) -> Vec<String> {
    let mut ontbrekend: Vec<String> = Error::elke_soort()
        .iter()
        .flat_map(|e| {
            let sleutel = e.pagina().sleutel;
            ["titel", "tekst"].map(|deel| format!("{sleutel}.{deel}"))
        })
        .filter(|key| !teksten.bestaat(key))
        .collect();
    ontbrekend.sort();
    ontbrekend.dedup();
    ontbrekend
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failing_database_is_503_and_a_conflict_409() {
        assert_eq!(
            Error::from(OpslagFout::Databank("schijf vol".into())).status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(
            Error::from(OpslagFout::Conflict(Conflict::AnderePeriodeOpen {
                vragenlijst: "ouders".into(),
                open: "2025-2026".into()
            }))
            .status(),
            StatusCode::CONFLICT
        );
    }

    /// The example school's renderer under the base path `/b`.
    fn renderer() -> Renderer {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let inst = crate::instellingen::Instellingen {
            root: root.join("content"),
            theme: root.join("site"),
            basis: "/b".into(),
            ..Default::default()
        };
        crate::site::renderer_zonder_site(&inst).unwrap()
    }

    async fn tekst(r: Response) -> String {
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn the_page_for_another_schools_session_names_no_school_and_leads_to_the_login() {
        let r = renderer();
        let school = "Basisschool De Linde";
        // Every other error page names the school, in its title and its header…
        let gewoon = tekst(Error::GeenToegang.render(&r)).await;
        assert!(gewoon.contains(school), "{gewoon}");
        // …this one does not, and its way on is this school's login page.
        let antwoord = Error::AndereSchool.render(&r);
        assert_eq!(antwoord.status(), StatusCode::FORBIDDEN);
        let html = tekst(antwoord).await;
        assert!(!html.contains("De Linde"), "{html}");
        assert!(
            html.contains("<title>Je bent aangemeld bij een andere school</title>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"/b/beheer/login\">"), "{html}");
        assert!(!html.contains("href=\"/b/beheer/\""), "{html}");
    }

    /// A school that kept an older `nl.toml` (without a newer error page's texts) hears it at
    /// start-up, with the file and the keys, instead of a staff member seeing a broken page.
    #[test]
    fn a_school_without_an_error_pages_texts_is_told_at_start_up() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let tmp = e2e::TempDir::new("oude-teksten");
        let content = tmp.path().join("content");
        e2e::copy_dir(&root.join("content"), &content);
        let nl = content.join("teksten/nl.toml");
        let tekst = std::fs::read_to_string(&nl).unwrap();
        let oud = tekst.replace("[beheer.fout.andere_school]", "[beheer.fout.iets_anders]");
        assert_ne!(oud, tekst);
        std::fs::write(&nl, oud).unwrap();
        let inst = crate::instellingen::Instellingen {
            root: content,
            theme: root.join("site"),
            ..Default::default()
        };
        let Err(fouten) = crate::site::renderer_zonder_site(&inst) else {
            panic!("the service started without the texts");
        };
        assert_eq!(fouten.len(), 1, "{fouten:?}");
        let fout = fouten[0].to_string();
        assert!(fout.contains("teksten/nl.toml"), "{fout}");
        assert!(
            fout.contains("beheer.fout.andere_school.tekst, beheer.fout.andere_school.titel"),
            "{fout}"
        );
        assert!(
            fout.contains("kopieer ze uit content/teksten/nl.toml"),
            "{fout}"
        );
    }

    #[test]
    fn every_error_has_its_texts_in_the_example_school() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let (config, _) = zorgsite::model::config::Config::load(&root).unwrap();
        let (teksten, _) = zorgsite::model::teksten::Teksten::load(&root, &config).unwrap();
        for e in Error::elke_soort() {
            let p = e.pagina();
            for deel in ["titel", "tekst"] {
                let key = format!("{}.{deel}", p.sleutel);
                assert!(teksten.bestaat(&key), "{e:?}: {key}");
            }
        }
    }
}
