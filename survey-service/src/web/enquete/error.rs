//! The survey's error pages: what a parent sees instead of the form, in the page's language.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::web::render::{ENQUETE_FOUT, Renderer};
use crate::web::taal::Taal;

/// A survey page instead of the form. Handlers return it with `?`; [`Error::status`] is the
/// one place that maps each to its status code. The page is `enquete/fout.html`, worded by
/// [`Error::sleutel`] (`enquete.fout.<soort>`, or `beheer.kiosk.…` for what only the school's
/// staff meet) of `content/teksten/<taal>.toml`.
///
/// Rendering needs the theme, which a response cannot reach: [`IntoResponse`] leaves the
/// error in the response's extensions and the service's one middleware (`web::bewaak`) renders
/// it ([`Error::render`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// No questionnaire with this id (404).
    Onbekend(Taal),
    /// The questionnaire has no open period: when the form is asked for (404), or sent (409).
    Gesloten {
        taal: Taal,
        /// The questionnaire's title in the page's language.
        titel: String,
        bij_versturen: bool,
    },
    /// The database cannot be read (503).
    Onbeschikbaar(Taal),
    /// A POST from another site (403).
    AndereSite(Taal),
    /// The connection broke while sending (400).
    Verbroken(Taal),
    /// The request took too long (408).
    TeTraag(Taal),
    /// A method other than GET or HEAD on a page of the site (405).
    AlleenBekijken(Taal),
    /// A path of the site that does not exist, when the site has no `404.html` (404).
    NietGevonden(Taal),
    /// A client that keeps sending what can never be stored (429, with `Retry-After`).
    TeVeel(Taal),
    /// "Kiosk stoppen" with a missing or expired token (403; for staff, in the default
    /// language).
    KioskVerlopen(Taal),
}

/// The values of `enquete/fout.html`.
#[derive(Debug, Serialize)]
pub struct FoutPage<'a> {
    /// Which texts: `<sleutel>.titel` and `<sleutel>.tekst`.
    pub sleutel: &'static str,
    /// The questionnaire's title, for `{titel}` in the text of a closed questionnaire.
    pub titel: Option<&'a str>,
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::Onbekend(_) | Error::NietGevonden(_) => StatusCode::NOT_FOUND,
            Error::Gesloten {
                bij_versturen: false,
                ..
            } => StatusCode::NOT_FOUND,
            Error::Gesloten {
                bij_versturen: true,
                ..
            } => StatusCode::CONFLICT,
            Error::Onbeschikbaar(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::AndereSite(_) => StatusCode::FORBIDDEN,
            Error::Verbroken(_) => StatusCode::BAD_REQUEST,
            Error::TeTraag(_) => StatusCode::REQUEST_TIMEOUT,
            Error::AlleenBekijken(_) => StatusCode::METHOD_NOT_ALLOWED,
            Error::TeVeel(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::KioskVerlopen(_) => StatusCode::FORBIDDEN,
        }
    }

    /// The texts of the page: `<sleutel>.titel` and `<sleutel>.tekst`.
    pub fn sleutel(&self) -> &'static str {
        match self {
            Error::Onbekend(_) => "enquete.fout.onbekend",
            Error::Gesloten { .. } => "enquete.fout.gesloten",
            Error::Onbeschikbaar(_) => "enquete.fout.onbeschikbaar",
            Error::AndereSite(_) => "enquete.fout.andere_site",
            Error::Verbroken(_) => "enquete.fout.verbroken",
            Error::TeTraag(_) => "enquete.fout.te_traag",
            Error::AlleenBekijken(_) => "enquete.fout.alleen_bekijken",
            Error::NietGevonden(_) => "enquete.fout.niet_gevonden",
            Error::TeVeel(_) => "enquete.fout.te_veel",
            Error::KioskVerlopen(_) => "beheer.kiosk.verlopen",
        }
    }

    pub fn taal(&self) -> &Taal {
        match self {
            Error::Onbekend(t)
            | Error::Onbeschikbaar(t)
            | Error::AndereSite(t)
            | Error::Verbroken(t)
            | Error::TeTraag(t)
            | Error::AlleenBekijken(t)
            | Error::NietGevonden(t)
            | Error::TeVeel(t)
            | Error::KioskVerlopen(t) => t,
            Error::Gesloten { taal, .. } => taal,
        }
    }

    /// The page, in the error's language.
    pub fn render(&self, r: &Renderer) -> Response {
        let titel = match self {
            Error::Gesloten { titel, .. } => Some(titel.as_str()),
            _ => None,
        };
        let pagina = FoutPage {
            sleutel: self.sleutel(),
            titel,
        };
        r.html(self.status(), ENQUETE_FOUT, self.taal(), &[], &pagina)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(self);
        r
    }
}
