//! Every HTML page the service sends is a template of the theme: `site/templates/enquete/`
//! (survey pages, in the page's language, on `layouts/enquete.html`) and
//! `site/templates/beheer/` (the dashboard, Dutch, on `layouts/beheer.html`). They are
//! rendered with the site's own Tera setup ([`Templates`], from the build at start-up): the
//! same functions (`trans`, `get_url`, …), texts (`content/teksten/`) and autoescaping.
//!
//! A handler builds a page context (a `…Page` struct, `Serialize`) and calls
//! [`Renderer::html`] with a template name; the layout's values (`lang`, `richting`, `basis`,
//! `school`, `home`, `privacy`, `taalkeuze`) are added here, the page's own under `pagina`.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use zorgsite::diagnostics::Diagnostic;
pub use zorgsite::render::context::Taalkeuze;
use zorgsite::render::templates::Templates;

use super::html_response;
use super::taal::{Taal, Talen};

/// Every template the service renders: checked at start-up, so a theme without one of them
/// never starts rather than failing on a parent's request.
pub const SJABLONEN: &[&str] = &[
    ENQUETE_FORMULIER,
    ENQUETE_EENVOUDIG,
    ENQUETE_BEDANKT,
    ENQUETE_FOUT,
    ENQUETE_OVERZICHT,
    ENQUETE_PROGRAMMAFOUT,
    ENQUETE_KIOSK_GESTOPT,
    BEHEER_AANMELDEN,
    BEHEER_OVERZICHT,
    BEHEER_GEBRUIKERS,
    BEHEER_INVOER,
    BEHEER_RESULTATEN,
    BEHEER_VERSLAG,
    BEHEER_PERSPECTIEVEN,
    BEHEER_VRAAG,
    BEHEER_OPEN_ANTWOORDEN,
    BEHEER_FOUT,
    BEHEER_BRIEVEN,
    BEHEER_PAPIER,
    BEHEER_GROEP,
];

pub const ENQUETE_FORMULIER: &str = "enquete/formulier.html";
pub const ENQUETE_EENVOUDIG: &str = "enquete/eenvoudig.html";
pub const ENQUETE_BEDANKT: &str = "enquete/bedankt.html";
pub const ENQUETE_FOUT: &str = "enquete/fout.html";
pub const ENQUETE_OVERZICHT: &str = "enquete/overzicht.html";
pub const ENQUETE_PROGRAMMAFOUT: &str = "enquete/500.html";
pub const ENQUETE_KIOSK_GESTOPT: &str = "enquete/kiosk-gestopt.html";
pub const BEHEER_AANMELDEN: &str = "beheer/aanmelden.html";
/// The group dashboard (`web::beheer::groep`).
pub const BEHEER_GROEP: &str = "beheer/groep.html";
pub const BEHEER_OVERZICHT: &str = "beheer/overzicht.html";
pub const BEHEER_GEBRUIKERS: &str = "beheer/gebruikers.html";
pub const BEHEER_INVOER: &str = "beheer/invoer.html";
pub const BEHEER_RESULTATEN: &str = "beheer/resultaten.html";
pub const BEHEER_VERSLAG: &str = "beheer/verslag.html";
pub const BEHEER_PERSPECTIEVEN: &str = "beheer/perspectieven.html";
pub const BEHEER_VRAAG: &str = "beheer/vraag.html";
pub const BEHEER_OPEN_ANTWOORDEN: &str = "beheer/open-antwoorden.html";
pub const BEHEER_FOUT: &str = "beheer/fout.html";
pub const BEHEER_BRIEVEN: &str = "beheer/brieven.html";
pub const BEHEER_PAPIER: &str = "beheer/papier.html";

/// What the layouts read, around the page's own values.
#[derive(Serialize)]
struct Context<'a, P: Serialize> {
    lang: &'a str,
    richting: &'a str,
    basis: &'a str,
    school: &'a str,
    /// The site's home page in the page's language.
    home: String,
    /// The privacy page, when the site has one.
    privacy: Option<&'a str>,
    /// The questionnaire's languages (survey pages about one questionnaire), else empty.
    taalkeuze: &'a [Taalkeuze<'a>],
    pagina: &'a P,
}

/// The theme's templates and what every page shows of the school.
pub struct Renderer {
    templates: Templates,
    /// The school's languages (the one list: `[languages]` in `config.toml`).
    pub talen: Talen,
    /// Path prefix when the service lives under a sub-path (`/zorg`); empty at the root.
    pub basis: String,
    /// The school's name (`[school] naam`, else `title`).
    pub school: String,
    /// The privacy page (`<basis>/privacy/`), when the site has one.
    pub privacy: Option<String>,
    /// The 500 page, rendered at start-up so that a panic never has to render.
    programmafout: Arc<str>,
}

impl Renderer {
    /// Checks that the theme has every template the service needs and the school every text
    /// the dashboard names at run time, and renders the 500 page.
    pub fn new(
        templates: Templates,
        basis: String,
        privacy: Option<String>,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let ontbrekend: Vec<Diagnostic> = SJABLONEN
            .iter()
            .filter(|naam| !templates.contains(naam))
            .map(|naam| {
                Diagnostic::error(
                    format!("site/templates/{naam}"),
                    "dit sjabloon van de bevragingen of het dashboard ontbreekt in het thema",
                )
                .with_hint("zet het terug uit het thema van de voorbeeldschool")
            })
            .collect();
        if !ontbrekend.is_empty() {
            return Err(ontbrekend);
        }
        let teksten = crate::web::beheer::error::ontbrekende_teksten(templates.teksten());
        if !teksten.is_empty() {
            let bestand = templates
                .shared()
                .content_root
                .join(zorgsite::model::teksten::DIR)
                .join(format!("{}.toml", templates.config().default_language));
            return Err(vec![
                Diagnostic::error(
                    bestand,
                    format!(
                        "de teksten {} voor meldingen van het dashboard ontbreken",
                        teksten.join(", ")
                    ),
                )
                .with_hint(
                    "kopieer ze uit content/teksten/nl.toml van de nieuwe versie (zie \"Bijwerken\" in docs/installatie.md)",
                ),
            ]);
        }
        let config = templates.config();
        let mut r = Renderer {
            talen: Talen::uit(config),
            school: config.school_naam().to_string(),
            templates,
            basis,
            privacy,
            programmafout: Arc::from(""),
        };
        let taal = r.talen.standaard();
        let html = r
            .render(ENQUETE_PROGRAMMAFOUT, &taal, &[], &())
            .map_err(|d| vec![d])?;
        r.programmafout = Arc::from(html);
        Ok(r)
    }

    /// An absolute path under the service's base path.
    pub fn url(&self, pad: &str) -> String {
        format!("{}{pad}", self.basis)
    }

    /// Renders a page to text (for letters to download, and for tests).
    pub fn render<P: Serialize>(
        &self,
        template: &str,
        taal: &Taal,
        taalkeuze: &[Taalkeuze<'_>],
        pagina: &P,
    ) -> Result<String, Diagnostic> {
        self.render_als(&self.school, template, taal, taalkeuze, pagina)
    }

    /// [`Renderer::render`] with `school` as the school's name (empty: none).
    fn render_als<P: Serialize>(
        &self,
        school: &str,
        template: &str,
        taal: &Taal,
        taalkeuze: &[Taalkeuze<'_>],
        pagina: &P,
    ) -> Result<String, Diagnostic> {
        let context = Context {
            lang: &taal.code,
            richting: taal.richting,
            basis: &self.basis,
            school,
            home: self.talen.home(&self.basis, taal),
            privacy: self.privacy.as_deref(),
            taalkeuze,
            pagina,
        };
        self.templates.render(template, &context)
    }

    /// A page as an HTML response that is never cached. A template that fails to render
    /// (a mistake in the theme) is logged and answered with the 500 page.
    pub fn html<P: Serialize>(
        &self,
        status: StatusCode,
        template: &str,
        taal: &Taal,
        taalkeuze: &[Taalkeuze<'_>],
        pagina: &P,
    ) -> Response {
        self.antwoord(status, self.render(template, taal, taalkeuze, pagina))
    }

    /// [`Renderer::html`] for a page that must not name the school (`school` is empty): the
    /// dashboard's answer to a session of another school.
    pub fn html_zonder_school<P: Serialize>(
        &self,
        status: StatusCode,
        template: &str,
        taal: &Taal,
        pagina: &P,
    ) -> Response {
        self.antwoord(status, self.render_als("", template, taal, &[], pagina))
    }

    fn antwoord(&self, status: StatusCode, html: Result<String, Diagnostic>) -> Response {
        match html {
            Ok(html) => html_response(status, html),
            Err(d) => {
                tracing::error!(fout = %d, "een pagina kon niet gemaakt worden");
                self.programmafout()
            }
        }
    }

    /// A text of `content/teksten/` in the default language, placeholders filled: for the few
    /// words that end up inside Rust-made fragments (the SVG charts' titles). Pages word
    /// everything in their templates.
    pub fn tekst(&self, key: &str, waarden: &[(&str, &str)]) -> String {
        let teksten = self.templates.teksten();
        let tekst = teksten.get(key, &self.talen.standaard).unwrap_or(key);
        zorgsite::model::teksten::vul_in(tekst, |naam| {
            waarden
                .iter()
                .find(|(k, _)| *k == naam)
                .map(|(_, v)| v.to_string())
        })
    }

    /// The 500 page, ready-made.
    pub fn programmafout(&self) -> Response {
        html_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            self.programmafout.to_string(),
        )
    }

    /// The 500 page's text, for the panic handler.
    pub fn programmafout_html(&self) -> Arc<str> {
        self.programmafout.clone()
    }
}
