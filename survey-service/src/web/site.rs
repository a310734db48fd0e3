//! Serves the public site, built in memory at start-up, at `/`, through the site generator's
//! one responder ([`zorgsite::site::responder`]): the same paths, redirects, 404 page and
//! content types, compressed variants and cache headers as `zorgsite serve`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use zorgsite::site::responder::{self, Miss};

use super::AppState;
use super::enquete::Error;

/// The built site: relative path (`leidraad/index.html`) → bytes.
pub type SiteBestanden = responder::InMemorySite;

/// Fallback handler: every path that is not a survey route.
pub async fn bestand(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    // Redirects go to the public address: a proxy may have stripped the base path. Compressed
    // variants, ETags and cache headers come from the responder (the site was compressed once
    // at start-up, see `SiteBestanden::compressed`).
    match responder::respond(
        state.site.as_ref(),
        &method,
        &uri,
        &headers,
        &state.renderer.url(""),
    ) {
        Ok(antwoord) => antwoord.map(Body::from).into_response(),
        Err(Miss::MethodNotAllowed) => {
            Error::AlleenBekijken(state.renderer.talen.standaard()).into_response()
        }
        Err(Miss::NotFound) => {
            Error::NietGevonden(state.renderer.talen.standaard()).into_response()
        }
    }
}
