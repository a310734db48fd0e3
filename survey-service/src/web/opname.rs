//! The school's own recordings for read-aloud, served at
//! `<basis>/enquete/<vragenlijst>/audio/<vraag>.<taal>.<hash>.<ext>`.
//!
//! They are found and checked by `zorgsite::model::opname` (the same errors `zorgsite check`
//! reports refuse the start) and kept in memory, like the site: a recording is a few kB to a
//! few hundred kB, read once at start-up, so what is served is exactly what was checked (a file
//! swapped on disk later is not served unchecked) and no request touches the disk.
//!
//! The address carries the first 10 hex digits of the content's SHA-256, so the file can be
//! cached for a year (`immutable`): a new recording gets a new address at the next start, and
//! the survey pages (`no-store`) always name the current one. `Range` is answered with 206
//! (Safari on iPhones asks for `bytes=0-1` before it plays an `<audio>`), `If-None-Match` with
//! 304. Requests are logged like every other (method, route pattern, status): never which item
//! or language was played.

use std::collections::HashMap;
use std::ops::Bound;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use headers::{ContentRange, ETag, HeaderMapExt, IfNoneMatch, IfRange, Range};
use serde::Serialize;
use sha2::{Digest, Sha256};
use zorgsite::model::opname::Opname;

use super::AppState;
use super::enquete::Error;

/// What a survey page needs to play a recording: its address and its `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpnameLink {
    pub src: String,
    pub soort: &'static str,
}

/// One recording as served.
#[derive(Debug)]
struct Bestand {
    inhoud: Bytes,
    content_type: &'static str,
    etag: ETag,
}

/// Every recording of the school, by questionnaire.
#[derive(Debug, Default)]
pub struct Opnames {
    /// (questionnaire, file name in the address) → the file.
    bestanden: HashMap<(String, String), Bestand>,
    /// (questionnaire, item, language) → file name in the address.
    per_vraag: HashMap<(String, String, String), String>,
}

impl Opnames {
    pub fn new(opnames: Vec<Opname>) -> Opnames {
        let mut o = Opnames::default();
        for opname in opnames {
            let hash: String = Sha256::digest(&opname.inhoud)
                .iter()
                .take(5)
                .map(|b| format!("{b:02x}"))
                .collect();
            let naam = format!(
                "{}.{}.{hash}.{}",
                opname.vraag,
                opname.taal,
                opname.formaat.extensie()
            );
            let etag = format!("\"{hash}\"")
                .parse()
                .expect("hex digits in quotes are a valid ETag");
            o.per_vraag.insert(
                (opname.vragenlijst.clone(), opname.vraag, opname.taal),
                naam.clone(),
            );
            o.bestanden.insert(
                (opname.vragenlijst, naam),
                Bestand {
                    inhoud: Bytes::from(opname.inhoud),
                    content_type: opname.formaat.content_type(),
                    etag,
                },
            );
        }
        o
    }

    pub fn len(&self) -> usize {
        self.bestanden.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bestanden.is_empty()
    }

    /// The recording of an item in a language, if the school made one; `basis` is the
    /// service's base path.
    pub fn link(
        &self,
        basis: &str,
        vragenlijst: &str,
        vraag: &str,
        taal: &str,
    ) -> Option<OpnameLink> {
        let sleutel = (vragenlijst.to_string(), vraag.to_string(), taal.to_string());
        let naam = self.per_vraag.get(&sleutel)?;
        let bestand = self
            .bestanden
            .get(&(vragenlijst.to_string(), naam.clone()))?;
        Some(OpnameLink {
            src: format!("{basis}/enquete/{vragenlijst}/audio/{naam}"),
            soort: bestand.content_type,
        })
    }
}

/// `GET /enquete/<vragenlijst>/audio/<bestand>` (and `HEAD`).
pub async fn bestand(
    State(state): State<AppState>,
    Path((vragenlijst, naam)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match state.opnames.bestanden.get(&(vragenlijst, naam)) {
        Some(b) => antwoord(b, &headers),
        None => Error::NietGevonden(state.renderer.talen.standaard()).into_response(),
    }
}

/// The full file (200), a part of it (206), 304 for a copy the browser has, 416 for a range
/// outside the file. Several ranges at once are answered with the whole file (allowed, and
/// simpler than a multipart body no browser asks for when playing audio).
fn antwoord(b: &Bestand, headers: &HeaderMap) -> Response {
    let lengte = b.inhoud.len() as u64;
    let mut r = if headers
        .typed_get::<IfNoneMatch>()
        .is_some_and(|inm| !inm.precondition_passes(&b.etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let range = headers.typed_get::<Range>().filter(|_| {
            headers
                .typed_get::<IfRange>()
                .is_none_or(|ir| !ir.is_modified(Some(&b.etag), None))
        });
        match range.map(|r| deel(&r, lengte)) {
            None | Some(Deel::Geheel) => {
                (StatusCode::OK, Body::from(b.inhoud.clone())).into_response()
            }
            Some(Deel::Stuk(van, tot)) => {
                let mut r = (
                    StatusCode::PARTIAL_CONTENT,
                    Body::from(b.inhoud.slice(van as usize..=tot as usize)),
                )
                    .into_response();
                if let Ok(cr) = ContentRange::bytes(van..=tot, lengte) {
                    r.headers_mut().typed_insert(cr);
                }
                r
            }
            Some(Deel::Buiten) => {
                let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                r.headers_mut()
                    .typed_insert(ContentRange::unsatisfied_bytes(lengte));
                r
            }
        }
    };
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(b.content_type),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.typed_insert(b.etag.clone());
    r
}

/// Which part of a file of `lengte` bytes a `Range` asks for.
#[derive(Debug, PartialEq, Eq)]
enum Deel {
    Geheel,
    /// From and to, both included.
    Stuk(u64, u64),
    Buiten,
}

fn deel(range: &Range, lengte: u64) -> Deel {
    let delen: Vec<(Bound<u64>, Bound<u64>)> = range.satisfiable_ranges(lengte).collect();
    let [(start, eind)] = delen[..] else {
        // None parsed (a unit other than bytes, nonsense) or several: the whole file.
        return if delen.is_empty() && lengte > 0 {
            Deel::Buiten
        } else {
            Deel::Geheel
        };
    };
    let van = match start {
        Bound::Included(v) => v,
        Bound::Excluded(v) => v.saturating_add(1),
        Bound::Unbounded => 0,
    };
    let laatste = lengte.saturating_sub(1);
    let tot = match eind {
        Bound::Included(t) => t.min(laatste),
        Bound::Excluded(t) => t.saturating_sub(1).min(laatste),
        Bound::Unbounded => laatste,
    };
    if lengte == 0 || van > tot {
        Deel::Buiten
    } else {
        Deel::Stuk(van, tot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(waarde: &str) -> Option<Range> {
        let mut h = HeaderMap::new();
        h.insert(header::RANGE, HeaderValue::from_str(waarde).unwrap());
        h.typed_get::<Range>()
    }

    #[test]
    fn ranges_are_clamped_to_the_file() {
        let r = |w: &str| deel(&range(w).unwrap(), 100);
        assert_eq!(r("bytes=0-1"), Deel::Stuk(0, 1));
        assert_eq!(r("bytes=0-"), Deel::Stuk(0, 99));
        assert_eq!(r("bytes=90-500"), Deel::Stuk(90, 99));
        assert_eq!(r("bytes=-10"), Deel::Stuk(90, 99));
        assert_eq!(r("bytes=100-"), Deel::Buiten);
        assert_eq!(r("bytes=50-10"), Deel::Buiten);
        assert_eq!(r("bytes=-500"), Deel::Buiten);
        assert_eq!(r("bytes=0-1, 5-6"), Deel::Geheel);
    }

    #[test]
    fn the_address_carries_the_content_hash() {
        let opname = |inhoud: &[u8]| Opname {
            vragenlijst: "ouders".into(),
            vraag: "samen-welkom".into(),
            taal: "nl".into(),
            formaat: zorgsite::model::opname::Formaat::Mp3,
            pad: "x".into(),
            inhoud: inhoud.to_vec(),
        };
        let a = Opnames::new(vec![opname(b"ID3 een")]);
        let b = Opnames::new(vec![opname(b"ID3 twee")]);
        let la = a.link("/basis", "ouders", "samen-welkom", "nl").unwrap();
        let lb = b.link("/basis", "ouders", "samen-welkom", "nl").unwrap();
        assert!(
            la.src
                .starts_with("/basis/enquete/ouders/audio/samen-welkom.nl.")
        );
        assert!(la.src.ends_with(".mp3"));
        assert_ne!(la.src, lb.src);
        assert_eq!(la.soort, "audio/mpeg");
        assert_eq!(a.link("/basis", "ouders", "samen-welkom", "ar"), None);
        assert_eq!(a.len(), 1);
    }
}
