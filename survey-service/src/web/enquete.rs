//! Survey routes: show the form, take a submission, thank the person.

use std::net::IpAddr;
use std::pin::Pin;

use axum::Extension;
use axum::body::{Body, HttpBody};
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::render::{BEHEER_INVOER, ENQUETE_BEDANKT, ENQUETE_FORMULIER, ENQUETE_OVERZICHT};
use super::taal::Taal;
use super::verbinding::Klant;
use super::{AppState, beheer};
use crate::domain::Kanaal;
use crate::domain::antwoord::{self, Fout, Gelezen, Ingevuld, Melding, VELD_CODE};
use crate::domain::vragenlijst::Vragenlijst;
use crate::storage::schrijver::{NieuweInzending, Uitkomst};

pub mod error;
pub mod pages;

pub use error::Error;
use pages::{BedanktPage, FormInput, FormPage, OpenVragenlijst, OverzichtPage};

/// Bodies above this size are refused (413) after reading this much, to show what was sent.
/// Every questionnaire's longest legal form fits with room to spare.
pub const MAX_BODY: usize = 64 * 1024;

fn lijst<'a>(
    state: &'a AppState,
    pad: &Result<Path<String>, PathRejection>,
) -> Option<&'a Vragenlijst> {
    pad.as_ref()
        .ok()
        .and_then(|Path(id)| state.vragenlijsten.get(id))
}

/// The questionnaire in the path, or the unknown-questionnaire page in the asked language.
fn lijst_of_onbekend<'a>(
    state: &'a AppState,
    pad: &Result<Path<String>, PathRejection>,
    query: Option<&str>,
) -> Result<&'a Vragenlijst, Error> {
    lijst(state, pad).ok_or_else(|| Error::Onbekend(state.renderer.talen.kies(query)))
}

/// The form's language: `?taal=` when the questionnaire has that translation, else the
/// default language.
fn taal_van(state: &AppState, lijst: &Vragenlijst, query: Option<&str>) -> Taal {
    let talen = &state.renderer.talen;
    let gekozen = talen.kies(query);
    if lijst.talen.contains(&gekozen.code) {
        gekozen
    } else {
        talen.standaard()
    }
}

fn gesloten(lijst: &Vragenlijst, taal: &Taal, bij_versturen: bool) -> Error {
    Error::Gesloten {
        titel: lijst.titel.in_taal(&taal.code).to_string(),
        taal: taal.clone(),
        bij_versturen,
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

/// `/enquete/`: the questionnaires that are open now, in the asked language.
pub async fn overzicht(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let r = &state.renderer;
    let taal = r.talen.kies(query.as_deref());
    let mut open = Vec::new();
    for l in state.vragenlijsten.0.values() {
        if matches!(state.open_periode(&l.id).await, Ok(Some(_))) {
            let taal = taal_van(&state, l, query.as_deref());
            open.push(OpenVragenlijst {
                titel: l.titel.in_taal(&taal.code).to_string(),
                url: r.url(&format!("/enquete/{}{}", l.id, taal.query(&r.talen, true))),
            });
        }
    }
    r.html(
        StatusCode::OK,
        ENQUETE_OVERZICHT,
        &taal,
        &[],
        &OverzichtPage { open },
    )
}

pub async fn toon_online(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    toon(state, pad, query, Kanaal::Online).await
}

pub async fn toon_kiosk(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    toon(state, pad, query, Kanaal::Kiosk).await
}

async fn toon(
    state: AppState,
    pad: Result<Path<String>, PathRejection>,
    query: Option<String>,
    kanaal: Kanaal,
) -> Result<Response, Error> {
    let lijst = lijst_of_onbekend(&state, &pad, query.as_deref())?;
    let taal = taal_van(&state, lijst, query.as_deref());
    let periode = match state.open_periode(&lijst.id).await {
        Ok(Some(p)) => p,
        Ok(None) => return Err(gesloten(lijst, &taal, false)),
        Err(e) => {
            tracing::error!(fout = %e, "open periode niet leesbaar");
            return Err(Error::Onbeschikbaar(taal));
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
    let berichten = if kanaal == Kanaal::Kiosk && query_param(query.as_deref(), "klaar").is_some() {
        vec!["enquete.kiosk_bewaard"]
    } else {
        Vec::new()
    };
    let csrf = state.sleutel.maak(&lijst.id);
    let input = FormInput {
        lijst,
        periode: &periode.naam,
        met_codes: periode.met_codes,
        kanaal,
        csrf: &csrf,
        ingevuld: &ingevuld,
        fouten: &[],
        berichten,
        taal: &taal,
    };
    Ok(formulier(&state, &input, None, StatusCode::OK))
}

/// The form page: the public form (online or kiosk, with the questionnaire's language
/// switcher) or staff entry on the dashboard (`menu` set, `beheer/invoer.html`).
pub(crate) fn formulier(
    state: &AppState,
    input: &FormInput<'_>,
    menu: Option<&beheer::pages::Menu>,
    status: StatusCode,
) -> Response {
    let r = &state.renderer;
    let id = &input.lijst.id;
    // The language travels in the address, never in the answers.
    let query = input.taal.query(&r.talen, true);
    let pad = match input.kanaal {
        Kanaal::Online => format!("/enquete/{id}"),
        Kanaal::Kiosk => format!("/enquete/{id}/kiosk"),
        k @ (Kanaal::Papier | Kanaal::Mondeling) => format!("/beheer/invoer/{id}/{}", k.id()),
    };
    match input.kanaal {
        Kanaal::Online | Kanaal::Kiosk => {
            let page = FormPage::new(input, r.url(&format!("{pad}{query}")));
            let keuze = pages::taalkeuze(input.lijst, &r.talen, &r.basis, &pad, input.taal);
            r.html(status, ENQUETE_FORMULIER, input.taal, &keuze, &page)
        }
        Kanaal::Papier | Kanaal::Mondeling => {
            let page = beheer::pages::Dashboard {
                menu,
                pagina: FormPage::new(input, r.url(&pad)),
            };
            r.html(status, BEHEER_INVOER, input.taal, &[], &page)
        }
    }
}

/// `/enquete/ouders/` (as people type it) → `/enquete/ouders`, keeping a `?code=` and the
/// language.
pub async fn zonder_slash(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let lijst = lijst_of_onbekend(&state, &pad, query.as_deref())?;
    let talen = &state.renderer.talen;
    let taal = taal_van(&state, lijst, query.as_deref());
    let query = match query_param(query.as_deref(), VELD_CODE)
        .and_then(|c| crate::domain::code::Code::parse(&c))
    {
        Some(c) => format!("?code={}{}", c.leesbaar(), taal.query(talen, false)),
        None => taal.query(talen, true),
    };
    Ok(
        Redirect::permanent(&state.renderer.url(&format!("/enquete/{}{query}", lijst.id)))
            .into_response(),
    )
}

pub async fn bedankt(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let lijst = lijst_of_onbekend(&state, &pad, query.as_deref())?;
    let taal = taal_van(&state, lijst, query.as_deref());
    let r = &state.renderer;
    let keuze = pages::taalkeuze(
        lijst,
        &r.talen,
        &r.basis,
        &format!("/enquete/{}/bedankt", lijst.id),
        &taal,
    );
    let page = BedanktPage {
        bedankt: lijst.bedankt.in_taal(&taal.code),
    };
    Ok(r.html(StatusCode::OK, ENQUETE_BEDANKT, &taal, &keuze, &page))
}

pub async fn verstuur_online(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    peer: Option<Extension<ConnectInfo<Klant>>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Error> {
    let ip = peer.map(|Extension(ConnectInfo(k))| k.ip());
    verstuur(state, pad, ip, query, headers, body, Kanaal::Online).await
}

pub async fn verstuur_kiosk(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    peer: Option<Extension<ConnectInfo<Klant>>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Error> {
    let ip = peer.map(|Extension(ConnectInfo(k))| k.ip());
    verstuur(state, pad, ip, query, headers, body, Kanaal::Kiosk).await
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

async fn verstuur(
    state: AppState,
    pad: Result<Path<String>, PathRejection>,
    ip: Option<IpAddr>,
    query: Option<String>,
    headers: HeaderMap,
    body: Body,
    kanaal: Kanaal,
) -> Result<Response, Error> {
    let lijst = lijst_of_onbekend(&state, &pad, query.as_deref())?;
    let taal = taal_van(&state, lijst, query.as_deref());
    if van_andere_site(&headers) {
        return Err(Error::AndereSite(taal));
    }
    let mut status = StatusCode::BAD_REQUEST;
    let mut extra: Vec<Fout> = Vec::new();
    let (bytes, te_groot) = if is_formulier(&headers) {
        lees_body(body, MAX_BODY)
            .await
            .map_err(|()| Error::Verbroken(taal.clone()))?
    } else {
        status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        extra.push(Fout::algemeen(Melding::GeenFormulier));
        (Vec::new(), false)
    };
    let mut form = antwoord::decodeer(&bytes);
    if te_groot {
        // The last field may be cut off in the middle; drop it rather than show half of it.
        form.velden.pop();
        status = StatusCode::PAYLOAD_TOO_LARGE;
        extra.push(Fout::algemeen(Melding::TeGroot));
    }
    let gelezen = antwoord::lees(lijst, &form);
    let token_ok = gelezen
        .csrf
        .as_deref()
        .is_some_and(|t| state.sleutel.geldig(t, &lijst.id));
    if !token_ok && extra.is_empty() {
        status = StatusCode::FORBIDDEN;
        extra.push(Fout::algemeen(Melding::Verlopen));
    }
    let r = &state.renderer;
    let doel = Bestemming {
        kanaal,
        csrf: state.sleutel.maak(&lijst.id),
        klaar: match kanaal {
            Kanaal::Kiosk => r.url(&format!(
                "/enquete/{}/kiosk?klaar=1{}",
                lijst.id,
                taal.query(&r.talen, false)
            )),
            _ => r.url(&format!(
                "/enquete/{}/bedankt{}",
                lijst.id,
                taal.query(&r.talen, true)
            )),
        },
        taal,
        menu: None,
    };
    // Too many submissions from this address: nothing is stored, the answers are shown again.
    if let (Some(begrenzer), Some(ip)) = (&state.limiet_inzendingen, ip)
        && !begrenzer.toegestaan(ip)
    {
        let fout = [Fout::algemeen(Melding::TeVeel)];
        let mut r = opnieuw(
            &state,
            lijst,
            &doel,
            &gelezen.ingevuld,
            &fout,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await?;
        let wacht = begrenzer.wachttijd().as_secs().to_string();
        if let Ok(v) = HeaderValue::from_str(&wacht) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(r);
    }
    bewaar(&state, lijst, &doel, gelezen, extra, status).await
}

/// What differs between the public form and staff entry of paper and oral answers: the
/// channel, the token for the form when it is shown again, and where to go once saved.
pub(crate) struct Bestemming {
    pub kanaal: Kanaal,
    pub csrf: String,
    pub klaar: String,
    /// The form's language (the dashboard's staff entry is Dutch).
    pub taal: Taal,
    /// Staff entry: the dashboard's menu around the form.
    pub menu: Option<beheer::pages::Menu>,
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
) -> Result<Response, Error> {
    let kanaal = doel.kanaal;
    let periode = gelezen.periode.clone().unwrap_or_default();

    let fouten: Vec<Fout> = match &gelezen.resultaat {
        Ok(_) if extra.is_empty() => Vec::new(),
        Ok(_) => extra,
        Err(f) => extra.into_iter().chain(f.iter().cloned()).collect(),
    };
    if !fouten.is_empty() {
        return opnieuw(state, lijst, doel, &gelezen.ingevuld, &fouten, status).await;
    }
    let Ok(antwoorden) = gelezen.resultaat else {
        return opnieuw(state, lijst, doel, &gelezen.ingevuld, &fouten, status).await;
    };

    let inzending = NieuweInzending {
        vragenlijst: lijst.id.clone(),
        periode,
        kanaal,
        code: gelezen.code.as_ref().map(|c| c.hash(&state.geheim)),
        antwoorden: antwoorden.json,
    };
    let (fout, status) = match state.schrijver.bewaar(inzending).await {
        Ok(Uitkomst::Bewaard) => return Ok(Redirect::to(&doel.klaar).into_response()),
        Ok(Uitkomst::PeriodeDicht) => return Err(gesloten(lijst, &doel.taal, true)),
        Ok(Uitkomst::CodeNodig) => (
            Fout::bij(VELD_CODE, Melding::CodeNodig),
            StatusCode::BAD_REQUEST,
        ),
        Ok(Uitkomst::CodeOngeldig) => (
            Fout::bij(VELD_CODE, Melding::CodeOngeldig),
            StatusCode::FORBIDDEN,
        ),
        Err(e) => {
            tracing::error!(fout = %e, "inzending niet bewaard");
            (
                Fout::algemeen(Melding::NietBewaard),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    };
    opnieuw(state, lijst, doel, &gelezen.ingevuld, &[fout], status).await
}

/// Shows the form again with the person's answers and what to fix.
async fn opnieuw(
    state: &AppState,
    lijst: &Vragenlijst,
    doel: &Bestemming,
    ingevuld: &Ingevuld,
    fouten: &[Fout],
    status: StatusCode,
) -> Result<Response, Error> {
    let periode = match state.open_periode(&lijst.id).await {
        Ok(Some(p)) => p,
        Ok(None) => return Err(gesloten(lijst, &doel.taal, true)),
        // The database cannot be read either: still give the answers back.
        Err(_) => crate::storage::OpenPeriode {
            naam: String::new(),
            met_codes: ingevuld.get(VELD_CODE).is_some(),
        },
    };
    let input = FormInput {
        lijst,
        periode: &periode.naam,
        met_codes: periode.met_codes,
        kanaal: doel.kanaal,
        csrf: &doel.csrf,
        ingevuld,
        fouten,
        berichten: Vec::new(),
        taal: &doel.taal,
    };
    Ok(formulier(state, &input, doel.menu.as_ref(), status))
}
