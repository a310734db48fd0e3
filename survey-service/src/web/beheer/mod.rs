//! The care team's dashboard under `/beheer/`: login, overview of periods, period and code
//! management, accounts, staff entry of paper and oral answers, results, open answers and
//! export downloads.
//!
//! Every route is declared once in [`ROUTES`], with its method, path and who may use it; the
//! router is built from that table and every route passes through one gate ([`poort`]):
//! - a route that is not public needs a valid session (else 303 to the login page) and the
//!   right role (else 403); a session of another school or of the group level (its cookie
//!   says whose it is, [`sessie`]) gets one 403 page that names nothing of this school;
//! - every POST needs a form body with a valid token bound to the session (the login form: to
//!   its purpose), and must not come from another site (else 403).
//!
//! Handlers receive the staff member as [`Aangemeld`] and the decoded form as [`Velden`], and
//! return [`Error`] with `?` for everything that did not work (one place maps it to a status
//! and a page). Pages are templates in `site/templates/beheer/` with the values of [`pages`].

pub mod aanmelden;
pub mod drempel;
pub mod error;
pub mod gebruikers;
pub mod groep;
pub mod invoer;
pub mod kiosk;
pub mod matrix;
pub mod overzicht;
pub mod pages;
pub mod papier;
pub mod resultaten;
pub mod sessie;

pub use error::Error;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};

use super::AppState;
use super::enquete::{MAX_BODY, is_formulier, lees_body, van_andere_site};
use super::herkomst::{cookie_values, set_cookie};
use crate::domain::antwoord::{self, Form, VELD_CSRF};
use crate::domain::gebruiker::Rol;
use crate::rapport::MinimumGroep;
use crate::storage::OpslagFout;
use crate::storage::gebruikers::{self as accounts, Gebruiker, SESSIE_MAX};
use drempel::Drempel;

/// The session cookie. Its path is `<basis>/beheer`, so the public pages never receive it.
pub const SESSIE_COOKIE: &str = "beheer_sessie";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methode {
    Get,
    Post,
}

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toegang {
    /// Without a session: only the login page.
    Publiek,
    /// A session with at least this role.
    Rol(Rol),
}

/// One dashboard route.
pub struct Route {
    pub methode: Methode,
    /// The path under the base path, in axum's syntax (`{vragenlijst}`).
    pub pad: &'static str,
    pub toegang: Toegang,
    handler: fn() -> MethodRouter<AppState>,
}

use Methode::{Get, Post};
use Toegang::Publiek;

const ZORGTEAM: Toegang = Toegang::Rol(Rol::Zorgteam);
const BEHEER: Toegang = Toegang::Rol(Rol::Beheer);

/// Every dashboard route. Add new ones here; nothing else registers `/beheer` paths.
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route { methode: Get, pad: "/beheer/login", toegang: Publiek, handler: || get(aanmelden::toon) },
    Route { methode: Post, pad: "/beheer/login", toegang: Publiek, handler: || post(aanmelden::meld_aan) },
    Route { methode: Post, pad: "/beheer/afmelden", toegang: ZORGTEAM, handler: || post(aanmelden::meld_af) },
    Route { methode: Get, pad: "/beheer", toegang: ZORGTEAM, handler: || get(overzicht::naar_overzicht) },
    Route { methode: Get, pad: "/beheer/", toegang: ZORGTEAM, handler: || get(overzicht::toon) },
    Route { methode: Post, pad: "/beheer/periode/open", toegang: BEHEER, handler: || post(overzicht::open) },
    Route { methode: Post, pad: "/beheer/periode/sluit", toegang: BEHEER, handler: || post(overzicht::sluit) },
    Route { methode: Post, pad: "/beheer/codes", toegang: BEHEER, handler: || post(overzicht::codes) },
    Route { methode: Post, pad: "/beheer/kiosk", toegang: ZORGTEAM, handler: || post(kiosk::aan) },
    Route { methode: Post, pad: "/beheer/kiosk/stop-alle", toegang: BEHEER, handler: || post(kiosk::stop_alle) },
    Route { methode: Get, pad: "/beheer/gebruikers", toegang: BEHEER, handler: || get(gebruikers::toon) },
    Route { methode: Post, pad: "/beheer/gebruikers/maak", toegang: BEHEER, handler: || post(gebruikers::maak) },
    Route { methode: Post, pad: "/beheer/gebruikers/verwijder", toegang: BEHEER, handler: || post(gebruikers::verwijder) },
    Route { methode: Post, pad: "/beheer/gebruikers/wachtwoord", toegang: BEHEER, handler: || post(gebruikers::wachtwoord) },
    Route { methode: Get, pad: "/beheer/invoer/{vragenlijst}/{kanaal}", toegang: ZORGTEAM, handler: || get(invoer::toon) },
    Route { methode: Post, pad: "/beheer/invoer/{vragenlijst}/{kanaal}", toegang: ZORGTEAM, handler: || post(invoer::verstuur) },
    Route { methode: Get, pad: "/beheer/papier/{vragenlijst}", toegang: ZORGTEAM, handler: || get(papier::toon) },
    Route { methode: Get, pad: "/beheer/resultaten/{vragenlijst}", toegang: ZORGTEAM, handler: || get(resultaten::toon) },
    Route { methode: Get, pad: "/beheer/resultaten/{vragenlijst}/vraag/{vraag}", toegang: ZORGTEAM, handler: || get(resultaten::vraag) },
    Route { methode: Get, pad: "/beheer/perspectieven", toegang: ZORGTEAM, handler: || get(resultaten::perspectieven) },
    Route { methode: Get, pad: "/beheer/verslag/{vragenlijst}", toegang: ZORGTEAM, handler: || get(resultaten::verslag) },
    Route { methode: Get, pad: "/beheer/open-antwoorden/{vragenlijst}", toegang: ZORGTEAM, handler: || get(resultaten::open_antwoorden) },
    Route { methode: Post, pad: "/beheer/export/{vragenlijst}", toegang: ZORGTEAM, handler: || post(resultaten::export) },
];

/// Password hashes checked or made at the same time, at most. Argon2 is slow on purpose (and
/// uses 19 MiB each): a login flood queues here instead of taking every core.
pub const ARGON2_TEGELIJK: usize = 2;
/// How long a login waits for its turn before the page says "te druk".
pub const ARGON2_WACHT: std::time::Duration = std::time::Duration::from_secs(10);

/// The argon2 queue was full for [`ARGON2_WACHT`] (or the task failed): nothing was checked.
#[derive(Debug)]
pub struct TeDruk;

/// The dashboard's share of the state.
pub struct BeheerStaat {
    pub drempel: Mutex<Drempel>,
    /// Turns for argon2 (see [`ARGON2_TEGELIJK`]); no database work is done while one is held.
    argon2: Arc<tokio::sync::Semaphore>,
    /// The public address is https: cookies get `Secure`.
    pub https: bool,
    /// The public address of the surveys, for the letters with codes.
    pub enquete_url: Option<String>,
    /// Results of smaller groups are hidden on every page and in every download.
    pub minimum: MinimumGroep,
    /// Every account of this database has this role, whatever its `rol` column says: the
    /// group's file (`storage::groep`), `None` for a school.
    pub vaste_rol: Option<Rol>,
    /// Whose sessions this dashboard issues ([`sessie`]): the school's id in a group, `groep`
    /// for the group level, `None` for a service of one school.
    pub eigenaar: Option<String>,
}

impl BeheerStaat {
    pub fn new(https: bool, enquete_url: Option<String>, minimum: MinimumGroep) -> BeheerStaat {
        BeheerStaat {
            drempel: Mutex::new(Drempel::default()),
            argon2: Arc::new(tokio::sync::Semaphore::new(ARGON2_TEGELIJK)),
            https,
            enquete_url,
            minimum,
            vaste_rol: None,
            eigenaar: None,
        }
    }

    /// Runs a password hash (check or new) on a blocking thread when it gets a turn, without
    /// any lock held.
    pub async fn met_argon2<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, TeDruk> {
        let beurt = tokio::time::timeout(ARGON2_WACHT, self.argon2.clone().acquire_owned())
            .await
            .map_err(|_| TeDruk)?
            .map_err(|_| TeDruk)?;
        let uit = tokio::task::spawn_blocking(move || {
            let uit = f();
            drop(beurt);
            uit
        })
        .await
        .map_err(|_| TeDruk)?;
        Ok(uit)
    }
}

/// The logged-in staff member, for handlers.
#[derive(Debug, Clone)]
pub struct Aangemeld {
    pub naam: String,
    pub rol: Rol,
    /// A fresh token for the forms on the page.
    pub csrf: String,
    /// The session's secret, without its owner (for logout and form tokens; never logged or
    /// shown).
    sessie: String,
}

/// The decoded body of a POST that passed the gate.
#[derive(Debug, Clone)]
pub struct Velden(pub Form);

impl Velden {
    pub fn get(&self, naam: &str) -> Option<&str> {
        self.0
            .velden
            .iter()
            .find(|(k, _)| k == naam)
            .map(|(_, v)| v.as_str())
    }
}

/// The router for every route in [`ROUTES`], each behind the gate.
pub fn router(state: &AppState) -> Router<AppState> {
    let mut r = Router::new();
    for route in ROUTES {
        let poort = middleware::from_fn_with_state((state.clone(), route.toegang), poort);
        r = r.route(route.pad, (route.handler)().layer(poort));
    }
    r
}

fn sessie_uit_cookie(headers: &HeaderMap) -> Option<String> {
    cookie_values(headers, SESSIE_COOKIE)
        .next()
        .map(str::to_string)
}

/// The `Set-Cookie` value for a new session with the store's secret `id` (the cookie names
/// this dashboard as its owner, [`sessie::waarde`]), or (`None`) one that removes it.
pub fn sessie_cookie(state: &AppState, id: Option<&str>) -> HeaderValue {
    let (waarde, max_age) = match id {
        Some(id) => (
            sessie::waarde(state.beheer.eigenaar.as_deref(), id),
            SESSIE_MAX.as_secs(),
        ),
        None => (String::new(), 0),
    };
    let pad = state.renderer.url("/beheer");
    set_cookie(SESSIE_COOKIE, &waarde, &pad, max_age, state.beheer.https)
}

/// A dashboard page (200, Dutch) with the menu of the staff member `a`; `huidig` is the menu
/// entry of this page (`overzicht`, `gebruikers`, or empty).
pub fn pagina<P: serde::Serialize>(
    state: &AppState,
    a: &Aangemeld,
    huidig: &'static str,
    template: &str,
    pagina: P,
) -> Response {
    let r = &state.renderer;
    let menu = pages::Menu::van(a, huidig);
    let page = pages::Dashboard {
        menu: Some(&menu),
        pagina,
    };
    r.html(StatusCode::OK, template, &r.talen.standaard(), &[], &page)
}

/// 303 to a dashboard path (under the base path), never cached.
pub fn naar(state: &AppState, pad: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&state.renderer.url(pad)) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The gate in front of every dashboard route (see the module documentation).
pub(crate) async fn poort(
    State((state, toegang)): State<(AppState, Toegang)>,
    req: Request,
    next: Next,
) -> Response {
    match door_de_poort(&state, toegang, req).await {
        Ok(req) => next.run(req).await,
        Err(Gesloten::NaarAanmelden) => naar(&state, "/beheer/login"),
        Err(Gesloten::Fout(e)) => e.into_response(),
    }
}

/// Why the gate stays shut.
enum Gesloten {
    /// No (valid) session: to the login page, keeping nothing of the request.
    NaarAanmelden,
    Fout(Error),
}

impl From<Error> for Gesloten {
    fn from(e: Error) -> Self {
        Gesloten::Fout(e)
    }
}

impl From<OpslagFout> for Gesloten {
    fn from(e: OpslagFout) -> Self {
        Gesloten::Fout(e.into())
    }
}

async fn door_de_poort(
    state: &AppState,
    toegang: Toegang,
    req: Request,
) -> Result<Request, Gesloten> {
    let (mut parts, body) = req.into_parts();
    let aangemeld = match toegang {
        Toegang::Publiek => None,
        Toegang::Rol(nodig) => {
            let cookie = sessie_uit_cookie(&parts.headers).ok_or(Gesloten::NaarAanmelden)?;
            // Before the store and before the body: a foreign session gets the same page on
            // every route, whatever this school has or lacks.
            let id = match sessie::lees(&cookie, state.beheer.eigenaar.as_deref()) {
                sessie::Sessie::Eigen(id) => id.to_string(),
                sessie::Sessie::Vreemd => return Err(Error::AndereSchool.into()),
                sessie::Sessie::Onbekend => return Err(Gesloten::NaarAanmelden),
            };
            let gebruiker = state
                .opslag
                .sessie_zoek(&id)
                .await?
                .ok_or(Gesloten::NaarAanmelden)?;
            let Gebruiker { naam, rol } = gebruiker;
            let rol = state.beheer.vaste_rol.unwrap_or(rol);
            if !rol.mag(nodig) {
                return Err(Error::GeenToegang.into());
            }
            Some(Aangemeld {
                naam,
                rol,
                csrf: state.sleutel.voor_sessie(&accounts::sessie_kenmerk(&id)),
                sessie: id,
            })
        }
    };
    if parts.method == Method::POST {
        if van_andere_site(&parts.headers) {
            return Err(Error::Verlopen.into());
        }
        if !is_formulier(&parts.headers) {
            return Err(Error::GeenFormulier.into());
        }
        let (bytes, te_groot) = lees_body(body, MAX_BODY)
            .await
            .map_err(|()| Error::Verbroken)?;
        if te_groot {
            return Err(Error::TeVeelTekst.into());
        }
        let velden = Velden(antwoord::decodeer(&bytes));
        let token = velden.get(VELD_CSRF).unwrap_or("");
        let geldig = match &aangemeld {
            Some(a) => state
                .sleutel
                .geldig_voor_sessie(token, &accounts::sessie_kenmerk(&a.sessie)),
            None => state.sleutel.geldig_voor_aanmelden(token),
        };
        if !geldig {
            return Err(Error::Verlopen.into());
        }
        parts.extensions.insert(velden);
    }
    if let Some(a) = aangemeld {
        parts.extensions.insert(a);
    }
    Ok(Request::from_parts(parts, Body::empty()))
}
