//! Many schools on one service: the layer in front of the schools' routers.
//!
//! Every school has its own complete router ([`super::router`]) built from its own state
//! (content, theme, templates, database, secrets, form-token key, kiosk key, sessions, rate
//! limits): nothing is shared, and no handler knows there are other schools. This layer only
//! picks the router: by the `Host` header when a school has `host` names, else by the first path
//! segment under the group's base path (`/<id>/…`; the school's router is nested at that prefix,
//! so its links, redirects, forms and cookie paths carry it). Anything else gets a plain Dutch
//! 404 page that names no school.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_service::Service;

/// Which router serves which host or prefix.
struct Wissel {
    /// The group's base path (`/zorg`), empty at the root.
    basis: String,
    hosts: HashMap<String, usize>,
    prefixen: HashMap<String, usize>,
    routers: Vec<Router>,
}

/// One school for [`router`]: its id, its host names (empty: found by `/<id>/`) and its router.
pub struct Ingang {
    pub id: String,
    pub hosts: Vec<String>,
    pub router: Router,
}

/// The page for an address that belongs to no school: the same for every unknown host and
/// path, so it tells nothing about which schools exist.
pub const NIET_GEVONDEN: &str = "<!doctype html>\n<html lang=\"nl\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Pagina niet gevonden</title></head>\n<body>\n<main>\n<h1>Deze pagina bestaat niet</h1>\n<p>Controleer het adres dat je van de school kreeg, of vraag het aan de school.</p>\n</main>\n</body>\n</html>\n";

/// The router of a group: `basis` is the group's base path, `scholen` every school's router.
pub fn router(basis: String, scholen: Vec<Ingang>) -> Router {
    let mut wissel = Wissel {
        basis,
        hosts: HashMap::new(),
        prefixen: HashMap::new(),
        routers: Vec::new(),
    };
    for (i, s) in scholen.into_iter().enumerate() {
        if s.hosts.is_empty() {
            wissel.prefixen.insert(s.id, i);
        } else {
            for h in s.hosts {
                wissel.hosts.insert(h, i);
            }
        }
        wissel.routers.push(s.router);
    }
    Router::new().fallback(kies).with_state(Arc::new(wissel))
}

impl Wissel {
    fn school(&self, req: &Request) -> Option<usize> {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(zonder_poort);
        if let Some(i) = host.and_then(|h| self.hosts.get(&h)) {
            return Some(*i);
        }
        let pad = req.uri().path();
        let rest = if self.basis.is_empty() {
            pad
        } else {
            pad.strip_prefix(self.basis.as_str())
                .filter(|r| r.starts_with('/'))?
        };
        let id = rest.trim_start_matches('/').split('/').next()?;
        self.prefixen.get(id).copied()
    }
}

/// `School.be:8443` → `school.be`; `[::1]:80` → `[::1]`.
fn zonder_poort(host: &str) -> String {
    let host = host.trim();
    let naam = match host.strip_prefix('[') {
        Some(rest) => &host[..rest.find(']').map_or(host.len(), |i| i + 2)],
        None => host.split(':').next().unwrap_or(host),
    };
    naam.to_ascii_lowercase()
}

async fn kies(State(wissel): State<Arc<Wissel>>, req: Request) -> Response {
    match wissel.school(&req) {
        Some(i) => {
            // A `Router` is always ready: `call` without `poll_ready` is what axum does too.
            let mut school = wissel.routers[i].clone();
            let r: Result<Response, Infallible> = school.call(req).await;
            match r {
                Ok(r) => r,
                Err(never) => match never {},
            }
        }
        None => {
            let r = super::html_response(StatusCode::NOT_FOUND, NIET_GEVONDEN.to_string());
            zorgsite::site::beveiliging::voeg_toe(r.into_response()).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_their_port_and_case() {
        assert_eq!(zonder_poort("Zorg.School.be:8443"), "zorg.school.be");
        assert_eq!(zonder_poort("school.be"), "school.be");
        assert_eq!(zonder_poort("[::1]:8080"), "[::1]");
    }
}
