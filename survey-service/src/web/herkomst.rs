//! Where a request came from, as far as links and cookies need to know: the scheme (http or
//! https) and the host parents typed. Behind a reverse proxy that terminates HTTPS the service
//! sees plain HTTP from the proxy, so:
//!
//! - with `publieke_url` in `zorgenquete.toml`, that address is the truth and proxy headers are
//!   not read at all;
//! - without it, `Forwarded` (RFC 7239) or `X-Forwarded-Proto`/`X-Forwarded-Host` are believed
//!   only from a peer in `vertrouwde_proxies`, and only for scheme and host. `X-Forwarded-For`
//!   and the `for=` part of `Forwarded` are never read.
//!
//! Nothing here is stored or logged. Over HTTPS every response carries HSTS, and
//! [`Herkomst::cookie`] marks cookies `Secure`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::verbinding::Klant;
use crate::instellingen::Instellingen;

/// HSTS for one year. No `includeSubDomains`: the school's other sites may still be plain HTTP.
pub const HSTS: &str = "max-age=31536000";

/// Scheme and host of one request, in the request's extensions for handlers that need them
/// (e.g. an `Origin` check behind a proxy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Herkomst {
    pub https: bool,
    /// The host parents used (`school.be`), if known.
    pub host: Option<String>,
    /// The service's base path (`/enquete`), for cookie paths.
    pub basis: String,
}

impl Herkomst {
    /// A `Set-Cookie` value: scoped to the service's path, `HttpOnly`, `SameSite=Strict`, and
    /// `Secure` over HTTPS. `waarde` must be a cookie-safe token.
    pub fn cookie(&self, naam: &str, waarde: &str, extra: &str) -> String {
        format!(
            "{naam}={waarde}; Path={}/; HttpOnly; SameSite=Strict{}{extra}",
            self.basis,
            if self.https { "; Secure" } else { "" }
        )
    }
}

/// What the middleware needs from the settings.
#[derive(Debug, Clone)]
pub struct Beleid {
    inst: Instellingen,
}

impl Beleid {
    pub fn new(inst: &Instellingen) -> Arc<Beleid> {
        Arc::new(Beleid { inst: inst.clone() })
    }

    /// Scheme and host of a request from `peer` with `headers`.
    pub fn herkomst(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Herkomst {
        let basis = self.inst.basis.clone();
        if let Some(u) = &self.inst.publieke_url {
            return Herkomst {
                https: u.https,
                host: Some(u.host.clone()),
                basis,
            };
        }
        let eigen_host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .and_then(host_token);
        if !peer.is_some_and(|p| self.inst.vertrouwt(p)) {
            return Herkomst {
                https: false,
                host: eigen_host,
                basis,
            };
        }
        let (proto, host) = uit_proxy_headers(headers);
        Herkomst {
            https: proto.as_deref() == Some("https"),
            host: host.or(eigen_host),
            basis,
        }
    }
}

/// A host (`name[:port]`) if it looks like one; anything else is ignored.
fn host_token(v: &str) -> Option<String> {
    let v = v.trim().trim_matches('"');
    let ok = !v.is_empty()
        && v.len() <= 255
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    ok.then(|| v.to_ascii_lowercase())
}

/// `proto` and `host` from the first `Forwarded` element, else from `X-Forwarded-Proto` and
/// `X-Forwarded-Host` (first value each).
fn uit_proxy_headers(headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let tekst = |naam: &str| headers.get(naam).and_then(|v| v.to_str().ok());
    if let Some(fw) = tekst("forwarded") {
        let eerste = fw.split(',').next().unwrap_or("");
        let mut proto = None;
        let mut host = None;
        for paar in eerste.split(';') {
            if let Some((k, v)) = paar.split_once('=') {
                match k.trim().to_ascii_lowercase().as_str() {
                    "proto" => proto = Some(v.trim().trim_matches('"').to_ascii_lowercase()),
                    "host" => host = host_token(v),
                    _ => {}
                }
            }
        }
        return (proto, host);
    }
    let eerste = |naam: &str| tekst(naam).map(|v| v.split(',').next().unwrap_or("").trim());
    (
        eerste("x-forwarded-proto").map(str::to_ascii_lowercase),
        eerste("x-forwarded-host").and_then(host_token),
    )
}

/// Middleware: puts [`Herkomst`] in the request's extensions and adds HSTS over HTTPS.
pub async fn bepaal(State(beleid): State<Arc<Beleid>>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<Klant>>()
        .map(|c| c.0.ip())
        .or_else(|| {
            req.extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        });
    let herkomst = beleid.herkomst(peer, req.headers());
    let https = herkomst.https;
    req.extensions_mut().insert(herkomst);
    let mut r = next.run(req).await;
    if https {
        r.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instellingen::PubliekeUrl;

    fn headers(paren: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in paren {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn beleid(publiek: Option<&str>, proxies: &[&str]) -> Beleid {
        let mut inst = Instellingen::default();
        inst.zet_publieke_url(publiek.map(|u| PubliekeUrl::parse(u).unwrap()));
        inst.vertrouwde_proxies = proxies.iter().map(|p| p.parse().unwrap()).collect();
        Beleid { inst }
    }

    #[test]
    fn proxy_headers_count_only_from_trusted_peers() {
        let b = beleid(None, &["127.0.0.1/32"]);
        let h = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "School.be"),
        ]);
        let vertrouwd = b.herkomst(Some("127.0.0.1".parse().unwrap()), &h);
        assert!(vertrouwd.https);
        assert_eq!(vertrouwd.host.as_deref(), Some("school.be"));
        let vreemd = b.herkomst(Some("192.0.2.7".parse().unwrap()), &h);
        assert!(!vreemd.https);
        assert_eq!(vreemd.host.as_deref(), Some("127.0.0.1:8080"));
        assert!(!b.herkomst(None, &h).https);
    }

    #[test]
    fn forwarded_wins_and_bad_hosts_are_ignored() {
        let b = beleid(None, &["::1/128"]);
        let h = headers(&[
            (
                "forwarded",
                "for=192.0.2.1;proto=https;host=\"school.be\", proto=http",
            ),
            ("x-forwarded-proto", "http"),
        ]);
        let k = b.herkomst(Some("::1".parse().unwrap()), &h);
        assert_eq!((k.https, k.host.as_deref()), (true, Some("school.be")));
        let h = headers(&[("x-forwarded-host", "evil.be/<x>")]);
        assert_eq!(b.herkomst(Some("::1".parse().unwrap()), &h).host, None);
    }

    #[test]
    fn the_public_url_is_the_truth() {
        let b = beleid(Some("https://school.be/enquete"), &["127.0.0.1/32"]);
        let h = headers(&[("x-forwarded-proto", "http"), ("x-forwarded-host", "x.be")]);
        let k = b.herkomst(Some("127.0.0.1".parse().unwrap()), &h);
        assert_eq!((k.https, k.host.as_deref()), (true, Some("school.be")));
        assert_eq!(
            k.cookie("sessie", "abc", ""),
            "sessie=abc; Path=/enquete/; HttpOnly; SameSite=Strict; Secure"
        );
        let http = beleid(Some("http://localhost:8080"), &[]).herkomst(None, &h);
        assert_eq!(
            http.cookie("sessie", "abc", "; Max-Age=0"),
            "sessie=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        );
    }
}
