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
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_service::Service;

/// Which router serves which host or prefix.
struct Dispatch {
    /// The group's base path (`/zorg`), empty at the root.
    basis: String,
    /// Which proxies may name the host the client asked for (the group's `vertrouwde_proxies`).
    beleid: Arc<super::herkomst::Beleid>,
    hosts: HashMap<String, usize>,
    prefixes: HashMap<String, usize>,
    routers: Vec<Router>,
}

/// One school for [`router`]: its id, its host names (empty: found by `/<id>/`) and its router.
pub struct SchoolRouter {
    pub id: String,
    pub hosts: Vec<String>,
    pub router: Router,
}

/// The page for an address that belongs to no school: the same for every unknown host and
/// path, so it tells nothing about which schools exist.
pub const NOT_FOUND_PAGE: &str = "<!doctype html>\n<html lang=\"nl\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Pagina niet gevonden</title></head>\n<body>\n<main>\n<h1>Deze pagina bestaat niet</h1>\n<p>Controleer het adres dat je van de school kreeg, of vraag het aan de school.</p>\n</main>\n</body>\n</html>\n";

/// The router of a group: `gedeeld` are the group's shared settings (its base path and trusted
/// proxies), `scholen` every school's router.
pub fn router(gedeeld: &crate::instellingen::Instellingen, scholen: Vec<SchoolRouter>) -> Router {
    Router::new()
        .fallback(dispatch)
        .with_state(Arc::new(Dispatch::new(gedeeld, scholen)))
}

impl Dispatch {
    fn new(gedeeld: &crate::instellingen::Instellingen, scholen: Vec<SchoolRouter>) -> Dispatch {
        let mut wissel = Dispatch {
            basis: gedeeld.basis.clone(),
            beleid: super::herkomst::Beleid::new(gedeeld),
            hosts: HashMap::new(),
            prefixes: HashMap::new(),
            routers: Vec::new(),
        };
        for (i, s) in scholen.into_iter().enumerate() {
            if s.hosts.is_empty() {
                wissel.prefixes.insert(s.id, i);
            } else {
                for h in s.hosts {
                    wissel.hosts.insert(h, i);
                }
            }
            wissel.routers.push(s.router);
        }
        wissel
    }

    fn find(&self, req: &Request) -> Option<usize> {
        let host = self
            .beleid
            .requested_host(super::herkomst::peer(req), req.headers())
            .map(|h| without_port(&h));
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
        self.prefixes.get(id).copied()
    }
}

/// `School.be:8443` → `school.be`; `[::1]:80` → `[::1]`.
fn without_port(host: &str) -> String {
    let host = host.trim();
    let naam = match host.strip_prefix('[') {
        Some(rest) => &host[..rest.find(']').map_or(host.len(), |i| i + 2)],
        None => host.split(':').next().unwrap_or(host),
    };
    naam.to_ascii_lowercase()
}

async fn dispatch(State(wissel): State<Arc<Dispatch>>, req: Request) -> Response {
    match wissel.find(&req) {
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
            let r = super::html_response(StatusCode::NOT_FOUND, NOT_FOUND_PAGE.to_string());
            zorgsite::site::beveiliging::voeg_toe(r.into_response()).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wissel(publieke_url: &str, proxies: &[&str]) -> Dispatch {
        let mut inst = crate::instellingen::Instellingen::default();
        inst.zet_publieke_url(Some(
            crate::instellingen::PubliekeUrl::parse(publieke_url).unwrap(),
        ));
        inst.vertrouwde_proxies = proxies.iter().map(|p| p.parse().unwrap()).collect();
        let ingang = |id: &str, hosts: &[&str]| SchoolRouter {
            id: id.to_string(),
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            router: Router::new(),
        };
        Dispatch::new(
            &inst,
            vec![
                ingang("a", &[]),
                ingang("b", &[]),
                ingang("c", &["zorg.c.be"]),
            ],
        )
    }

    fn verzoek(pad: &str, koppen: &[(&str, &str)], peer: &str) -> Request {
        let mut b = Request::builder().uri(pad);
        for (k, v) in koppen {
            b = b.header(*k, *v);
        }
        let mut req = b.body(axum::body::Body::empty()).unwrap();
        let adres: std::net::SocketAddr = format!("{peer}:4711").parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(adres));
        req
    }

    #[test]
    fn a_school_is_found_by_host_or_by_prefix_under_the_group_path() {
        let w = wissel("https://groep.be/zorg", &["127.0.0.1/32"]);
        let kies =
            |pad: &str, koppen: &[(&str, &str)], peer: &str| w.find(&verzoek(pad, koppen, peer));
        assert_eq!(kies("/zorg/a/enquete/ouders", &[], "192.0.2.1"), Some(0));
        assert_eq!(kies("/zorg/b", &[], "192.0.2.1"), Some(1));
        assert_eq!(
            kies("/zorg/b/", &[("host", "groep.be")], "192.0.2.1"),
            Some(1)
        );
        // Outside the group's path, or a prefix that only starts like an id: nobody.
        for pad in ["/a/", "/zorga/", "/zorg/", "/zorg/ab/", "/zorg/c/", "/"] {
            assert_eq!(kies(pad, &[], "192.0.2.1"), None, "{pad}");
        }
        // By host, with any path and port.
        assert_eq!(
            kies("/", &[("host", "Zorg.C.be:443")], "192.0.2.1"),
            Some(2)
        );
        assert_eq!(
            kies("/zorg/a/", &[("host", "zorg.c.be")], "192.0.2.1"),
            Some(2)
        );
        // A trusted proxy may name the host; anyone else may not.
        let doorgegeven = [
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "zorg.c.be"),
        ];
        assert_eq!(kies("/", &doorgegeven, "127.0.0.1"), Some(2));
        assert_eq!(kies("/", &doorgegeven, "192.0.2.1"), None);
    }

    #[test]
    fn hosts_lose_their_port_and_case() {
        assert_eq!(without_port("Zorg.School.be:8443"), "zorg.school.be");
        assert_eq!(without_port("school.be"), "school.be");
        assert_eq!(without_port("[::1]:8080"), "[::1]");
    }
}
