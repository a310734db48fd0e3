//! Serves the public site, built in memory at start-up, at `/`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::AppState;

/// The built site: relative path (`leidraad/index.html`) → bytes.
#[derive(Debug, Default, Clone)]
pub struct SiteBestanden {
    bestanden: HashMap<String, Bytes>,
}

impl SiteBestanden {
    pub fn new(bestanden: impl IntoIterator<Item = (String, Vec<u8>)>) -> SiteBestanden {
        SiteBestanden {
            bestanden: bestanden
                .into_iter()
                .map(|(k, v)| (k, Bytes::from(v)))
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.bestanden.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bestanden.is_empty()
    }

    pub fn get(&self, pad: &str) -> Option<&Bytes> {
        self.bestanden.get(pad)
    }
}

fn percent_decode_pad(pad: &str) -> Option<String> {
    let bytes = pad.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let h = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn antwoord(pad: &str, inhoud: &Bytes, status: StatusCode) -> Response {
    let mut r = (status, inhoud.clone()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(zorgsite::site::output::content_type(pad)),
    );
    r
}

/// Fallback handler: every path that is not a survey route.
pub async fn bestand(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return state.bericht(
            StatusCode::METHOD_NOT_ALLOWED,
            "Dat kan hier niet",
            "Deze pagina kan je alleen bekijken.",
        );
    }
    let site = &state.site;
    let ruw = uri.path();
    let Some(pad) = percent_decode_pad(ruw) else {
        return niet_gevonden(&state);
    };
    let pad = pad.trim_start_matches('/');
    if pad.split('/').any(|deel| deel == ".." || deel == ".") || pad.contains('\\') {
        return niet_gevonden(&state);
    }
    let sleutel = if pad.is_empty() || pad.ends_with('/') {
        format!("{pad}index.html")
    } else {
        pad.to_string()
    };
    if let Some(inhoud) = site.get(&sleutel) {
        return antwoord(&sleutel, inhoud, StatusCode::OK);
    }
    if !pad.is_empty() && !pad.ends_with('/') && site.get(&format!("{pad}/index.html")).is_some() {
        return Redirect::permanent(&state.opmaak.url(&format!("{ruw}/"))).into_response();
    }
    niet_gevonden(&state)
}

fn niet_gevonden(state: &AppState) -> Response {
    match state.site.get("404.html") {
        Some(inhoud) => antwoord("404.html", inhoud, StatusCode::NOT_FOUND),
        None => state.bericht(
            StatusCode::NOT_FOUND,
            "Pagina niet gevonden",
            "Deze pagina bestaat niet (meer). Kijk het adres na of ga naar de startpagina.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode_pad("/caf%C3%A9/").as_deref(), Some("/café/"));
        assert_eq!(percent_decode_pad("/%FF"), None);
        assert_eq!(percent_decode_pad("/%4"), None);
    }
}
