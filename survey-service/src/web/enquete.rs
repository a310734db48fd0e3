//! Survey routes: show the form, take a submission, thank the person.

use std::net::IpAddr;
use std::pin::Pin;

use axum::Extension;
use axum::body::{Body, HttpBody};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::csrf::{Claim, Geweigerd};
use super::herkomst::KlantAdres;
use super::taal::{self, Teksten};
use super::{AppState, html_antwoord, kiosk, pages};
use crate::domain::Kanaal;
use crate::domain::antwoord::{self, Fout, Gelezen, Ingevuld, Melding, VELD_CODE};
use crate::domain::vragenlijst::Vragenlijst;
use crate::storage::schrijver::{NieuweInzending, Uitkomst};

/// Bodies above this size are refused (413) after reading this much, to show what was sent.
/// Every questionnaire's longest legal form fits with room to spare.
pub const MAX_BODY: usize = 64 * 1024;

const STIJL: &str = include_str!("../../static/enquete.css");

pub async fn stijl() -> Response {
    let mut r = STIJL.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}

fn onbekend(state: &AppState, taal: &Teksten) -> Response {
    pagina(state, taal, &taal.onbekend, StatusCode::NOT_FOUND)
}

fn gesloten(state: &AppState, lijst: &Vragenlijst, taal: &Teksten, status: StatusCode) -> Response {
    let titel = taal
        .gesloten
        .titel
        .replace("{titel}", lijst.titel.in_taal(taal.code));
    state.bericht_in(taal, status, &titel, taal.gesloten.tekst)
}

fn pagina(state: &AppState, taal: &Teksten, p: &taal::Pagina, status: StatusCode) -> Response {
    state.bericht_in(taal, status, p.titel, p.tekst)
}

fn lijst<'a>(
    state: &'a AppState,
    pad: &Result<Path<String>, PathRejection>,
) -> Option<&'a Vragenlijst> {
    pad.as_ref()
        .ok()
        .and_then(|Path(id)| state.vragenlijsten.get(id))
}

/// The form's language: `?taal=` when the questionnaire has that translation, else Dutch.
fn taal_van(lijst: &Vragenlijst, query: Option<&str>) -> &'static Teksten {
    let gekozen = taal::kies(query);
    if lijst.talen.iter().any(|t| t == gekozen.code) {
        gekozen
    } else {
        taal::van("nl")
    }
}

/// The `code` (and `klaar`) parameters of a query string.
fn query_param(query: Option<&str>, naam: &str) -> Option<String> {
    let form = antwoord::decodeer(query?.as_bytes());
    form.velden
        .into_iter()
        .find(|(k, _)| k == naam)
        .map(|(_, v)| v)
}

pub async fn overzicht(State(state): State<AppState>) -> Response {
    let mut open = Vec::new();
    for l in state.vragenlijsten.0.values() {
        let is_open = matches!(state.open_periode(&l.id).await, Ok(Some(_)));
        open.push((l, is_open));
    }
    html_antwoord(StatusCode::OK, pages::overzicht(&state.opmaak, &open))
}

pub async fn toon_online(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Response {
    toon(state, pad, query, Kanaal::Online).await
}

/// The kiosk address: the kiosk form on a device that staff switched on (see [`kiosk`]), the
/// normal form everywhere else.
pub async fn toon_kiosk(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let kanaal = kiosk_of_online(&state, &pad, &headers);
    toon(state, pad, query, kanaal).await
}

/// `Kiosk` when this device carries a valid kiosk cookie for the questionnaire, else `Online`.
fn kiosk_of_online(
    state: &AppState,
    pad: &Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
) -> Kanaal {
    match pad {
        Ok(Path(id)) if kiosk::is_kiosk(state, headers, id) => Kanaal::Kiosk,
        _ => Kanaal::Online,
    }
}

async fn toon(
    state: AppState,
    pad: Result<Path<String>, PathRejection>,
    query: Option<String>,
    kanaal: Kanaal,
) -> Response {
    let Some(lijst) = lijst(&state, &pad) else {
        return onbekend(&state, taal::kies(query.as_deref()));
    };
    let taal = taal_van(lijst, query.as_deref());
    let periode = match state.open_periode(&lijst.id).await {
        Ok(Some(p)) => p,
        Ok(None) => return gesloten(&state, lijst, taal, StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::error!(fout = %e, "open periode niet leesbaar");
            return pagina(
                &state,
                taal,
                &taal.onbeschikbaar,
                StatusCode::SERVICE_UNAVAILABLE,
            );
        }
    };
    let mut ingevuld = Ingevuld::default();
    // `?code=` only pre-fills the online form (a QR code on a letter). The kiosk never takes
    // input from its address bar, so nothing of a previous person can linger there.
    if kanaal == Kanaal::Online
        && let Some(code) = query_param(query.as_deref(), VELD_CODE)
    {
        let code: String = code.chars().take(20).collect();
        ingevuld.waarden.insert(VELD_CODE.into(), code);
    }
    let melding = (kanaal == Kanaal::Kiosk && query_param(query.as_deref(), "klaar").is_some())
        .then_some(taal.kiosk_bewaard);
    let csrf = state.sleutel.maak(&lijst.id);
    let kiosk_stop = (kanaal == Kanaal::Kiosk).then(|| state.sleutel.voor_kiosk_stop(&lijst.id));
    let body = pages::formulier(
        &state.opmaak,
        &pages::Formulier {
            lijst,
            periode: &periode.naam,
            met_codes: periode.met_codes,
            kanaal,
            csrf: &csrf,
            ingevuld: &ingevuld,
            fouten: &[],
            melding,
            taal,
            kiosk_stop: kiosk_stop.as_deref(),
        },
    );
    html_antwoord(StatusCode::OK, body)
}

/// `/enquete/ouders/` (as people type it) → `/enquete/ouders`, keeping a `?code=` and the
/// language.
pub async fn zonder_slash(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(lijst) = lijst(&state, &pad) else {
        return onbekend(&state, taal::kies(query.as_deref()));
    };
    let taal = taal_van(lijst, query.as_deref());
    let query = match query_param(query.as_deref(), VELD_CODE)
        .and_then(|c| crate::domain::code::Code::parse(&c))
    {
        Some(c) => format!("?code={}{}", c.leesbaar(), taal.query(false)),
        None => taal.query(true),
    };
    Redirect::permanent(&state.opmaak.url(&format!("/enquete/{}{query}", lijst.id))).into_response()
}

pub async fn bedankt(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Response {
    match lijst(&state, &pad) {
        Some(l) => html_antwoord(
            StatusCode::OK,
            pages::bedankt(&state.opmaak, l, taal_van(l, query.as_deref())),
        ),
        None => onbekend(&state, taal::kies(query.as_deref())),
    }
}

pub async fn verstuur_online(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    klant: Option<Extension<KlantAdres>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ip = klant.map(|Extension(KlantAdres(ip))| ip);
    verstuur(state, pad, ip, query, headers, body, Kanaal::Online).await
}

/// A kiosk answer only from a device that staff switched on; from anywhere else the kiosk
/// address takes answers like the normal form (codes where the period has codes, `online`).
pub async fn verstuur_kiosk(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    klant: Option<Extension<KlantAdres>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ip = klant.map(|Extension(KlantAdres(ip))| ip);
    let kanaal = kiosk_of_online(&state, &pad, &headers);
    verstuur(state, pad, ip, query, headers, body, kanaal).await
}

/// Reads at most `max` bytes. Returns the bytes and whether the body was longer (then the rest
/// is not read; the connection is closed after the response).
pub(crate) async fn lees_body(body: Body, max: usize) -> Result<(Vec<u8>, bool), ()> {
    let mut body = body;
    let mut buf = Vec::new();
    loop {
        let frame = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            None => return Ok((buf, false)),
            Some(Err(_)) => return Err(()),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    let ruimte = max - buf.len();
                    if data.len() > ruimte {
                        buf.extend_from_slice(&data[..ruimte]);
                        return Ok((buf, true));
                    }
                    buf.extend_from_slice(&data);
                }
            }
        }
    }
}

/// Whether the browser says this POST came from another site (Fetch Metadata).
pub(crate) fn van_andere_site(headers: &HeaderMap) -> bool {
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        None => false,
        Some(v) => !matches!(v, b"same-origin" | b"none"),
    }
}

pub(crate) fn is_formulier(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// Takes one public submission. The order is chosen so that nothing a stranger can send for
/// free costs the parents behind the same address anything (issue 14):
///
/// 1. unknown questionnaire (404) and posts from another site (403): answered at once;
/// 2. junk that can never be stored (not a form, too large, no or a wrong or expired token, a
///    form that was already sent): answered with the form again, answers kept, and charged to
///    the client's small junk bucket ([`AppState::limiet_rommel`]); once that is empty, a short
///    429 page without database work;
/// 3. a valid, unused token is taken ([`Claim`]) and only then one token of the client's bucket
///    for answers ([`AppState::limiet_inzendingen`]) is spent; the bucket gets it back when the
///    period turned out to be closed;
/// 4. validation and storage; the form token stays used only when the answer was stored.
async fn verstuur(
    state: AppState,
    pad: Result<Path<String>, PathRejection>,
    ip: Option<IpAddr>,
    query: Option<String>,
    headers: HeaderMap,
    body: Body,
    kanaal: Kanaal,
) -> Response {
    let Some(lijst) = lijst(&state, &pad) else {
        return onbekend(&state, taal::kies(query.as_deref()));
    };
    let taal = taal_van(lijst, query.as_deref());
    if van_andere_site(&headers) {
        return pagina(&state, taal, &taal.andere_site, StatusCode::FORBIDDEN);
    }
    let mut rommel: Option<(StatusCode, Melding)> = None;
    let (bytes, te_groot) = if is_formulier(&headers) {
        match lees_body(body, MAX_BODY).await {
            Ok(b) => b,
            Err(()) => {
                return pagina(&state, taal, &taal.verbroken, StatusCode::BAD_REQUEST);
            }
        }
    } else {
        rommel = Some((StatusCode::UNSUPPORTED_MEDIA_TYPE, Melding::GeenFormulier));
        (Vec::new(), false)
    };
    let mut form = antwoord::decodeer(&bytes);
    if te_groot {
        // The last field may be cut off in the middle; drop it rather than show half of it.
        form.velden.pop();
        rommel.get_or_insert((StatusCode::PAYLOAD_TOO_LARGE, Melding::TeGroot));
    }
    let gelezen = antwoord::lees(lijst, &form);
    let doel = Bestemming {
        kanaal,
        csrf: state.sleutel.maak(&lijst.id),
        klaar: match kanaal {
            Kanaal::Kiosk => state.opmaak.url(&format!(
                "/enquete/{}/kiosk?klaar=1{}",
                lijst.id,
                taal.query(false)
            )),
            _ => state.opmaak.url(&format!(
                "/enquete/{}/bedankt{}",
                lijst.id,
                taal.query(true)
            )),
        },
        taal,
        invoerder: None,
    };
    let claim = match (&rommel, gelezen.csrf.as_deref()) {
        (Some(_), _) => None,
        (None, token) => match token.and_then(|t| state.sleutel.lees(t, &lijst.id)) {
            None => {
                rommel = Some((StatusCode::FORBIDDEN, Melding::Verlopen));
                None
            }
            Some(geldig) => match state.sleutel.claim(geldig) {
                Ok(c) => Some(c),
                Err(Geweigerd::AlGebruikt) => {
                    rommel = Some((StatusCode::CONFLICT, Melding::AlGebruikt));
                    None
                }
                Err(Geweigerd::Vol) => {
                    rommel = Some((StatusCode::SERVICE_UNAVAILABLE, Melding::NietBewaard));
                    None
                }
            },
        },
    };
    let (Some(claim), None) = (claim, rommel) else {
        let (status, melding) = rommel.unwrap_or((StatusCode::FORBIDDEN, Melding::Verlopen));
        if let (Some(begrenzer), Some(ip)) = (&state.limiet_rommel, ip)
            && !begrenzer.toegestaan(ip)
        {
            // Someone keeps sending what can never be stored: no more pages built for it.
            let mut r = state.bericht_in(
                taal,
                StatusCode::TOO_MANY_REQUESTS,
                taal.onbeschikbaar.titel,
                taal.te_veel,
            );
            zet_wachttijd(&mut r, begrenzer.wachttijd());
            return r;
        }
        let extra = vec![Fout::algemeen(melding)];
        return bewaar(&state, lijst, &doel, gelezen, extra, status).await;
    };
    // Too many answers from this client: nothing is stored, the answers are shown again.
    if let (Some(begrenzer), Some(ip)) = (&state.limiet_inzendingen, ip)
        && !begrenzer.toegestaan(ip)
    {
        drop(claim);
        let fout = [Fout::algemeen(Melding::TeVeel)];
        let mut r = opnieuw(
            &state,
            lijst,
            &doel,
            &gelezen.ingevuld,
            &fout,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
        zet_wachttijd(&mut r, begrenzer.wachttijd());
        return r;
    }
    let (r, afloop) = bewaar_met(
        &state,
        lijst,
        &doel,
        gelezen,
        Vec::new(),
        StatusCode::BAD_REQUEST,
        Some(claim),
    )
    .await;
    if afloop == Afloop::PeriodeDicht
        && let (Some(begrenzer), Some(ip)) = (&state.limiet_inzendingen, ip)
    {
        begrenzer.geef_terug(ip);
    }
    r
}

fn zet_wachttijd(r: &mut Response, wacht: std::time::Duration) {
    if let Ok(v) = HeaderValue::from_str(&wacht.as_secs().to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
}

/// What differs between the public form and staff entry of paper and oral answers: the
/// channel, the token for the form when it is shown again, and where to go once saved.
pub(crate) struct Bestemming {
    pub kanaal: Kanaal,
    pub csrf: String,
    pub klaar: String,
    /// The form's language (the dashboard's staff entry is Dutch).
    pub taal: &'static Teksten,
    /// Staff entry: who types it in (counted per period and channel, see `storage::invoer`).
    pub invoerder: Option<String>,
}

/// What became of a submission, for the caller's bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Afloop {
    Bewaard,
    /// The period was closed (or gone) when the writer looked.
    PeriodeDicht,
    /// Shown again (form errors, code problems, storage failure): nothing stored.
    NietBewaard,
}

/// Validates and stores a read form, or shows it again with every answer and what to fix.
/// `extra` are problems found before reading (token, size), shown first with `status`.
pub(crate) async fn bewaar(
    state: &AppState,
    lijst: &Vragenlijst,
    doel: &Bestemming,
    gelezen: Gelezen,
    extra: Vec<Fout>,
    status: StatusCode,
) -> Response {
    bewaar_met(state, lijst, doel, gelezen, extra, status, None)
        .await
        .0
}

/// [`bewaar`] with the claim on a single-use form token: kept when the answer was stored (or
/// may have been: the request was abandoned while the writer had it), given back otherwise.
pub(crate) async fn bewaar_met(
    state: &AppState,
    lijst: &Vragenlijst,
    doel: &Bestemming,
    gelezen: Gelezen,
    extra: Vec<Fout>,
    status: StatusCode,
    claim: Option<Claim>,
) -> (Response, Afloop) {
    let kanaal = doel.kanaal;
    let periode = gelezen.periode.clone().unwrap_or_default();

    let fouten: Vec<Fout> = match &gelezen.resultaat {
        Ok(_) if extra.is_empty() => Vec::new(),
        Ok(_) => extra,
        Err(f) => extra.into_iter().chain(f.iter().cloned()).collect(),
    };
    let niet = |r: Response| (r, Afloop::NietBewaard);
    if !fouten.is_empty() {
        return niet(opnieuw(state, lijst, doel, &gelezen.ingevuld, &fouten, status).await);
    }
    let Ok(antwoorden) = gelezen.resultaat else {
        return niet(opnieuw(state, lijst, doel, &gelezen.ingevuld, &fouten, status).await);
    };

    let inzending = NieuweInzending {
        vragenlijst: lijst.id.clone(),
        periode,
        kanaal,
        code: gelezen.code.as_ref().map(|c| c.hash(&state.geheim)),
        antwoorden: antwoorden.json,
        invoerder: doel.invoerder.clone(),
    };
    let mut claim = claim;
    if let Some(c) = claim.as_mut() {
        c.vast();
    }
    let uitkomst = state.schrijver.bewaar(inzending).await;
    if !matches!(uitkomst, Ok(Uitkomst::Bewaard))
        && let Some(c) = claim
    {
        c.laat_los();
    }
    match uitkomst {
        Ok(Uitkomst::Bewaard) => (Redirect::to(&doel.klaar).into_response(), Afloop::Bewaard),
        Ok(Uitkomst::PeriodeDicht) => (
            gesloten(state, lijst, doel.taal, StatusCode::CONFLICT),
            Afloop::PeriodeDicht,
        ),
        Ok(Uitkomst::CodeNodig) => {
            let fout = [Fout::bij(VELD_CODE, Melding::CodeNodig)];
            niet(
                opnieuw(
                    state,
                    lijst,
                    doel,
                    &gelezen.ingevuld,
                    &fout,
                    StatusCode::BAD_REQUEST,
                )
                .await,
            )
        }
        Ok(Uitkomst::CodeOngeldig) => {
            let fout = [Fout::bij(VELD_CODE, Melding::CodeOngeldig)];
            niet(
                opnieuw(
                    state,
                    lijst,
                    doel,
                    &gelezen.ingevuld,
                    &fout,
                    StatusCode::FORBIDDEN,
                )
                .await,
            )
        }
        Err(e) => {
            tracing::error!(fout = %e, "inzending niet bewaard");
            let fout = [Fout::algemeen(Melding::NietBewaard)];
            niet(
                opnieuw(
                    state,
                    lijst,
                    doel,
                    &gelezen.ingevuld,
                    &fout,
                    StatusCode::SERVICE_UNAVAILABLE,
                )
                .await,
            )
        }
    }
}

/// Shows the form again with the person's answers and what to fix.
async fn opnieuw(
    state: &AppState,
    lijst: &Vragenlijst,
    doel: &Bestemming,
    ingevuld: &Ingevuld,
    fouten: &[Fout],
    status: StatusCode,
) -> Response {
    let periode = match state.open_periode(&lijst.id).await {
        Ok(Some(p)) => p,
        Ok(None) => return gesloten(state, lijst, doel.taal, StatusCode::CONFLICT),
        // The database cannot be read either: still give the answers back.
        Err(_) => crate::storage::OpenPeriode {
            naam: String::new(),
            met_codes: ingevuld.get(VELD_CODE).is_some(),
        },
    };
    let body = pages::formulier(
        &state.opmaak,
        &pages::Formulier {
            lijst,
            periode: &periode.naam,
            met_codes: periode.met_codes,
            kanaal: doel.kanaal,
            csrf: &doel.csrf,
            ingevuld,
            fouten,
            melding: None,
            taal: doel.taal,
            kiosk_stop: None,
        },
    );
    html_antwoord(status, body)
}
