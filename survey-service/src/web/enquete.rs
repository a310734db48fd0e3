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
use super::render::{BEHEER_INVOER, ENQUETE_BEDANKT, ENQUETE_FORMULIER, ENQUETE_OVERZICHT};
use super::taal::Taal;
use super::{AppState, beheer, kiosk};
use crate::domain::Kanaal;
use crate::domain::antwoord::{self, Fout, Gelezen, Ingevuld, Melding, VELD_CODE};
use crate::domain::vragenlijst::Vragenlijst;
use crate::storage::schrijver::{NieuweInzending, Uitkomst};

pub mod eenvoudig;
pub mod error;
pub mod pages;

use eenvoudig::{Ga, Scherm};
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

/// `GET` on one of the four survey addresses: `/enquete/<id>` (`<false, false>`), `…/kiosk`
/// (`KIOSK`), `…/eenvoudig` (`EENVOUDIG`: the first screen of the simple mode) and
/// `…/kiosk/eenvoudig`. A kiosk address shows the kiosk form on a device that staff switched on
/// (see [`kiosk`]), the normal form everywhere else.
pub async fn show<const KIOSK: bool, const EENVOUDIG: bool>(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let kanaal = kanaal_van::<KIOSK>(&state, &pad, &headers);
    toon(state, pad, query, kanaal, EENVOUDIG).await
}

/// `POST` on one of the four survey addresses (see [`show`]): a submission, or one step of the
/// simple mode. A kiosk answer only from a device that staff switched on; from anywhere else
/// the kiosk address takes answers like the normal form (codes where the period has codes,
/// `online`).
pub async fn submit<const KIOSK: bool, const EENVOUDIG: bool>(
    State(state): State<AppState>,
    pad: Result<Path<String>, PathRejection>,
    klant: Option<Extension<KlantAdres>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Error> {
    let ip = klant.map(|Extension(KlantAdres(ip))| ip);
    let kanaal = kanaal_van::<KIOSK>(&state, &pad, &headers);
    verstuur(state, pad, ip, query, headers, body, kanaal, EENVOUDIG).await
}

/// The channel of a request on a kiosk address (`KIOSK`) or a normal one.
fn kanaal_van<const KIOSK: bool>(
    state: &AppState,
    pad: &Result<Path<String>, PathRejection>,
    headers: &HeaderMap,
) -> Kanaal {
    if KIOSK {
        kiosk_of_online(state, pad, headers)
    } else {
        Kanaal::Online
    }
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

/// The empty form (`eenvoudig`: the first screen of the simple mode).
pub(crate) async fn toon(
    state: AppState,
    pad: Result<Path<String>, PathRejection>,
    query: Option<String>,
    kanaal: Kanaal,
    eenvoudig: bool,
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
    let kiosk_stop = (kanaal == Kanaal::Kiosk).then(|| state.sleutel.voor_kiosk_stop(&lijst.id));
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
        kiosk_stop: kiosk_stop.as_deref(),
    };
    if eenvoudig {
        return Ok(eenvoudig::scherm(
            &state,
            &input,
            eenvoudig::eerste_scherm(&input),
            StatusCode::OK,
        ));
    }
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
            let mut page = FormPage::new(input, r.url(&format!("{pad}{query}")), &r.basis);
            page.eenvoudig = Some(r.url(&format!("{pad}/eenvoudig{query}")));
            page.taalformulier = Some("vragen");
            page.zet_opnames(&state.opnames, &r.basis, &input.taal.code);
            let keuze = pages::taalkeuze(input.lijst, &r.talen, &r.basis, &pad, input.taal);
            r.html(status, ENQUETE_FORMULIER, input.taal, &keuze, &page)
        }
        Kanaal::Papier | Kanaal::Mondeling => {
            let mut pagina = FormPage::new(input, r.url(&pad), &r.basis);
            if input.kanaal == Kanaal::Papier {
                pagina.papier = Some(r.url(&format!("/beheer/papier/{id}")));
            }
            let page = beheer::pages::Dashboard { menu, pagina };
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
///
/// The simple mode (`eenvoudig`, one question per screen) posts every step here too: a step
/// before the last is checked the same way (junk, token valid and unused, the answers so far
/// through the one validation) but takes no token and stores nothing; it shows the next screen
/// with every answer in hidden fields. Its last step is an ordinary submission.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn verstuur(
    state: AppState,
    pad: Result<Path<String>, PathRejection>,
    ip: Option<IpAddr>,
    query: Option<String>,
    headers: HeaderMap,
    body: Body,
    kanaal: Kanaal,
    eenvoudig: bool,
) -> Result<Response, Error> {
    let lijst = lijst_of_onbekend(&state, &pad, query.as_deref())?;
    let taal = taal_van(&state, lijst, query.as_deref());
    if van_andere_site(&headers) {
        return Err(Error::AndereSite(taal));
    }
    let mut rommel: Option<(StatusCode, Melding)> = None;
    let (bytes, te_groot) = if is_formulier(&headers) {
        lees_body(body, MAX_BODY)
            .await
            .map_err(|()| Error::Verbroken(taal.clone()))?
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
    // The simple mode's navigation fields (`_stap`, `_ga`, `_antwoord`, `_taal`) leave the
    // form here; what remains is an ordinary form body.
    // On the normal form the language switcher sends `_taal`: the form comes back in that
    // language with every answer, nothing is stored.
    let stap =
        eenvoudig.then(|| eenvoudig::neem_navigatie(&mut form, lijst, &state.renderer.talen));
    let taalwissel = match &stap {
        Some(s) => match &s.ga {
            Ga::Taal(t) => Some(t.clone()),
            _ => None,
        },
        None => eenvoudig::neem_taal(&mut form, &state.renderer.talen),
    };
    let mut taal = taal;
    if let Some(t) = &taalwissel
        && lijst.talen.contains(&t.code)
    {
        taal = t.clone();
    }
    let gelezen = antwoord::lees(lijst, &form);
    let r = &state.renderer;
    let kiosk_pad = if eenvoudig {
        "kiosk/eenvoudig"
    } else {
        "kiosk"
    };
    let mut doel = Bestemming {
        kanaal,
        csrf: state.sleutel.maak(&lijst.id),
        klaar: match kanaal {
            Kanaal::Kiosk => r.url(&format!(
                "/enquete/{}/{kiosk_pad}?klaar=1{}",
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
        invoerder: None,
        menu: None,
        weergave: match &stap {
            Some(s) => Weergave::Eenvoudig(s.scherm),
            None => Weergave::Formulier,
        },
    };
    // A step of the simple mode before the last, or the language switcher: the token must be
    // valid and unused, but it is only taken by the final store.
    let tussenstap = match &stap {
        Some(s) => s.ga != Ga::Versturen,
        None => taalwissel.is_some(),
    };
    if tussenstap {
        let token = match (&rommel, gelezen.csrf.as_deref()) {
            (Some(_), _) => None,
            (None, t) => t.filter(|t| match state.sleutel.lees(t, &lijst.id) {
                None => {
                    rommel = Some((StatusCode::FORBIDDEN, Melding::Verlopen));
                    false
                }
                Some(g) if state.sleutel.is_gebruikt(&g) => {
                    rommel = Some((StatusCode::CONFLICT, Melding::AlGebruikt));
                    false
                }
                Some(_) => true,
            }),
        };
        if let (Some(token), None) = (token, &rommel) {
            doel.csrf = token.to_string();
            return Ok(match &stap {
                Some(s) => eenvoudig::volgende_stap(&state, lijst, &mut doel, gelezen, s).await,
                None => opnieuw(&state, lijst, &doel, &gelezen.ingevuld, &[], StatusCode::OK).await,
            });
        }
    }
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
            let mut r = Error::TeVeel(doel.taal).into_response();
            zet_wachttijd(&mut r, begrenzer.wachttijd());
            return Ok(r);
        }
        let extra = vec![Fout::algemeen(melding)];
        return Ok(bewaar(&state, lijst, &doel, gelezen, extra, status).await);
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
        return Ok(r);
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
    Ok(r)
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
    pub taal: Taal,
    /// Staff entry: who types it in (counted per period and channel, see `storage::invoer`).
    pub invoerder: Option<String>,
    /// Staff entry: the dashboard's menu around the form.
    pub menu: Option<beheer::pages::Menu>,
    /// The whole form on one page, or a screen of the simple mode.
    pub weergave: Weergave,
}

/// How a form is shown again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weergave {
    Formulier,
    /// The simple mode, at this screen (for errors not tied to one question).
    Eenvoudig(Scherm),
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
    let uitkomst = state.opslag.bewaar(inzending).await;
    if !matches!(uitkomst, Ok(Uitkomst::Bewaard))
        && let Some(c) = claim
    {
        c.laat_los();
    }
    let (fout, status) = match uitkomst {
        Ok(Uitkomst::Bewaard) => {
            return (Redirect::to(&doel.klaar).into_response(), Afloop::Bewaard);
        }
        Ok(Uitkomst::PeriodeDicht) => {
            return (
                gesloten(lijst, &doel.taal, true).into_response(),
                Afloop::PeriodeDicht,
            );
        }
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
    niet(opnieuw(state, lijst, doel, &gelezen.ingevuld, &[fout], status).await)
}

/// Shows the form again with the person's answers and what to fix (or, once the period has
/// closed, the closed page).
pub(crate) async fn opnieuw(
    state: &AppState,
    lijst: &Vragenlijst,
    doel: &Bestemming,
    ingevuld: &Ingevuld,
    fouten: &[Fout],
    status: StatusCode,
) -> Response {
    let periode = match state.open_periode(&lijst.id).await {
        Ok(Some(p)) => p,
        Ok(None) => return gesloten(lijst, &doel.taal, true).into_response(),
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
        kiosk_stop: None,
    };
    match doel.weergave {
        Weergave::Formulier => formulier(state, &input, doel.menu.as_ref(), status),
        Weergave::Eenvoudig(scherm) => {
            let scherm = eenvoudig::foutscherm(lijst, fouten, scherm, &input);
            eenvoudig::scherm(state, &input, scherm, status)
        }
    }
}
