//! The HTML of the results and open-answer pages. Charts are `zorgsite::render::grafiek` inline SVG
//! (CSS classes only); every chart has a table or list with the same numbers next to it. A
//! hidden cell ([`Cel::Verborgen`]) always reads [`TE_WEINIG`].

use std::fmt::Write;

use zorgsite::render::grafiek::{self, Balk, Deel, Verdeling, komma, procent};

use super::Aangemeld;
use super::paginas::{kader, kanaal_kop, token};
use crate::domain::vragenlijst::{Categorie, Vragenlijst};
use crate::rapport::export::Formaat;
use crate::rapport::open::OpenAntwoorden;
use crate::rapport::{
    Cel, Interval, ItemRapport, MinimumGroep, Rapport, Reden, TE_WEINIG, Verschil, Vrijgave,
};
use crate::web::html::{Opmaak, esc};

/// A table that scrolls on its own on a phone.
fn tabel(id: &str, caption: &str, kop: &str, rijen: &str) -> String {
    format!(
        "<div class=\"beheer-tabel\" role=\"region\" aria-labelledby=\"{id}\" tabindex=\"0\">\n<table>\n<caption id=\"{id}\">{caption}</caption>\n<thead><tr>{kop}</tr></thead>\n<tbody>\n{rijen}</tbody>\n</table>\n</div>\n"
    )
}

fn gemiddelde(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| komma(x, 1))
}

fn aandeel(x: Option<f64>) -> String {
    x.map_or("–".into(), procent)
}

/// "+0,3", "-0,2", "0,0".
fn met_teken(d: f64, decimalen: usize) -> String {
    let s = komma(d, decimalen);
    let nul = komma(0.0, decimalen);
    if s == format!("-{nul}") || s == nul {
        nul
    } else if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
}

/// "2,6 tot 4,6" (a mean) or "31 % tot 86 %" (a share).
fn interval(i: Option<Interval>, aandeel: bool) -> String {
    match i {
        Some(i) if aandeel => format!("{} tot {}", procent(i.laag), procent(i.hoog)),
        Some(i) => format!("{} tot {}", komma(i.laag, 1), komma(i.hoog, 1)),
        None => "–".into(),
    }
}

/// Why two periods were not compared, in words.
fn reden_tekst(r: Reden) -> &'static str {
    match r {
        Reden::AndereVersie => "de vraag was anders (een andere versie)",
        Reden::NietGevraagd => "de vraag werd in een van beide periodes niet gesteld",
        Reden::TeWeinig => TE_WEINIG,
        Reden::GeenSchaalantwoorden => {
            "in een van beide periodes antwoordde iedereen „weet ik niet”"
        }
        Reden::AndereVragen => "er telden andere vragen mee",
    }
}

/// How an item or category changed between two periods, in words: each difference with its
/// 95 % interval and its verdict.
pub fn verschil_tekst(v: &Verschil) -> String {
    match v {
        Verschil::NietVergelijkbaar(Reden::TeWeinig) => TE_WEINIG.into(),
        Verschil::NietVergelijkbaar(r) => format!("niet vergelijkbaar: {}", reden_tekst(*r)),
        Verschil::Vergeleken(v) => {
            let a = &v.aandeel_eens;
            let g = &v.gemiddelde;
            let punten = |x: f64| met_teken((x * 100.0).round(), 0);
            format!(
                "akkoord {} procentpunten ({} tot {}): {}; gemiddelde {} ({} tot {}): {}",
                punten(a.verschil),
                punten(a.interval.laag),
                punten(a.interval.hoog),
                a.oordeel,
                met_teken(g.verschil, 1),
                met_teken(g.interval.laag, 1),
                met_teken(g.interval.hoog, 1),
                g.oordeel
            )
        }
    }
}

/// `data-verschil` for tests and styling: vergelijkbaar, niet-vergelijkbaar or verborgen.
fn verschil_soort(v: &Verschil) -> &'static str {
    match v {
        Verschil::Vergeleken(_) => "vergelijkbaar",
        Verschil::NietVergelijkbaar(Reden::TeWeinig) => "verborgen",
        Verschil::NietVergelijkbaar(_) => "niet-vergelijkbaar",
    }
}

/// The list of differences of one item or category, one line per compared pair.
fn verschillen(r: &Rapport, lijst: &[Verschil]) -> String {
    if lijst.is_empty() {
        return String::new();
    }
    let mut s = String::from("<ul class=\"beheer-verschil\">\n");
    for (paar, v) in r.paren.iter().zip(lijst) {
        let _ = writeln!(
            s,
            "<li data-verschil=\"{}\" data-oordeel=\"{}\">Van {} naar {}: {}</li>",
            verschil_soort(v),
            v.oordeel(),
            esc(&r.periodes[paar.van].naam),
            esc(&r.periodes[paar.naar].naam),
            verschil_tekst(v)
        );
    }
    s.push_str("</ul>\n");
    s
}

/// What the intervals mean (dashboard wording, B1).
const UITLEG_INTERVAL: &str = "<p>Bij elk percentage en elk gemiddelde staat een 95 %-interval, bijvoorbeeld „31 % tot 86 %”: het echte cijfer ligt bijna zeker tussen die twee grenzen. Met weinig antwoorden is dat interval breed.</p>\n";

/// What the verdicts mean (dashboard wording, B1).
const UITLEG_OORDEEL: &str = "<p>We schrijven pas „hoger” of „lager” als een verschil te groot is om toeval te zijn, ook nu we veel vragen tegelijk vergelijken. Anders staat er „geen duidelijk verschil”.</p>\n";

/// The form to choose periods (GET, so the address can be bookmarked).
fn periodekeuze(o: &Opmaak, lijst: &Vragenlijst, alle: &[String], gekozen: &[&str]) -> String {
    let mut s = format!(
        "<form method=\"get\" action=\"{}\" class=\"beheer-formulier\">\n<fieldset class=\"beheer-veld\"><legend>Welke periodes wil je zien?</legend>\n<span class=\"enquete-hint\">Kies er twee of meer om ze naast elkaar te zetten.</span>\n",
        o.url(&format!("/beheer/resultaten/{}", lijst.id))
    );
    for (i, p) in alle.iter().enumerate() {
        let checked = if gekozen.contains(&p.as_str()) {
            " checked"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<p><input type=\"checkbox\" id=\"periode-{i}\" name=\"periode\" value=\"{p}\"{checked}> <label for=\"periode-{i}\">{p}</label></p>",
            p = esc(p)
        );
    }
    s.push_str(
        "</fieldset>\n<p><button type=\"submit\">Toon de resultaten</button></p>\n</form>\n",
    );
    s
}

fn deelname(r: &Rapport) -> String {
    let mut kop = String::from(
        "<th scope=\"col\">Periode</th><th scope=\"col\">Uitgenodigd</th><th scope=\"col\">Antwoorden</th><th scope=\"col\">Respons</th>",
    );
    for k in crate::domain::Kanaal::ALLE {
        let _ = write!(kop, "<th scope=\"col\">{}</th>", kanaal_kop(k));
    }
    let mut rijen = String::new();
    for p in &r.periodes {
        let _ = write!(
            rijen,
            "<tr><th scope=\"row\">{}</th><td>{}</td>",
            esc(&p.naam),
            p.uitgenodigd.map_or("–".into(), |n| n.to_string())
        );
        match &p.deelname {
            Cel::Zichtbaar(d) => {
                let _ = write!(
                    rijen,
                    "<td>{}</td><td>{}</td>",
                    d.respondenten,
                    aandeel(d.respons)
                );
                for (_, n) in &d.per_kanaal {
                    match n {
                        Cel::Zichtbaar(n) => {
                            let pct = p
                                .uitgenodigd
                                .filter(|u| *u > 0)
                                .map(|u| format!(" ({})", procent(*n as f64 / f64::from(u))))
                                .unwrap_or_default();
                            let _ = write!(rijen, "<td>{n}{pct}</td>");
                        }
                        Cel::Verborgen => {
                            let _ = write!(rijen, "<td>{TE_WEINIG}</td>");
                        }
                    }
                }
            }
            Cel::Verborgen => {
                let tekst = match p.vrijgave {
                    Vrijgave::Vrijgegeven => TE_WEINIG,
                    v => v.tekst(),
                };
                let _ = write!(
                    rijen,
                    "<td colspan=\"{}\">{tekst}</td>",
                    2 + crate::domain::Kanaal::ALLE.len()
                );
            }
        }
        rijen.push_str("</tr>\n");
    }
    format!(
        "<h2 id=\"deelname\">Wie antwoordde</h2>\n<p>De respons is het aantal antwoorden tegenover het aantal uitgenodigden.</p>\n{}",
        tabel("tabel-deelname", "Deelname per periode", &kop, &rijen)
    )
}

fn themas(r: &Rapport) -> String {
    let mut kop = String::from("<th scope=\"col\">Thema</th>");
    for p in &r.periodes {
        let _ = write!(kop, "<th scope=\"col\">{}</th>", esc(&p.naam));
    }
    let mut rijen = String::new();
    let mut grafieken = String::new();
    for c in &r.categorieen {
        let _ = write!(rijen, "<tr><th scope=\"row\">{}</th>", c.categorie.kop());
        let mut balken = Vec::new();
        for (p, cel) in r.periodes.iter().zip(&c.per_periode) {
            match cel {
                Cel::Zichtbaar(s) => {
                    let _ = write!(
                        rijen,
                        "<td>gemiddelde {} ({}), {} akkoord ({}) (n = {})</td>",
                        komma(s.gemiddelde, 1),
                        interval(Some(s.gemiddelde_interval), false),
                        procent(s.aandeel_eens),
                        interval(Some(s.aandeel_eens_interval), true),
                        s.n
                    );
                    balken.push(Balk {
                        label: p.naam.clone(),
                        waarde: Some(s.aandeel_eens),
                        tekst: procent(s.aandeel_eens),
                        band: Some((s.aandeel_eens_interval.laag, s.aandeel_eens_interval.hoog)),
                    });
                }
                Cel::Verborgen => {
                    let tekst = match p.vrijgave {
                        Vrijgave::Vrijgegeven => TE_WEINIG,
                        v => v.kort(),
                    };
                    let _ = write!(rijen, "<td>{tekst}</td>");
                    balken.push(Balk {
                        label: p.naam.clone(),
                        waarde: None,
                        tekst: String::new(),
                        band: None,
                    });
                }
            }
        }
        rijen.push_str("</tr>\n");
        if !c.verschillen.is_empty() {
            let _ = write!(
                grafieken,
                "<p class=\"beheer-kleinkop\">{}: verschil met de periode ervoor</p>\n{}",
                c.categorie.kop(),
                verschillen(r, &c.verschillen)
            );
        }
        let _ = writeln!(
            grafieken,
            "<figure class=\"grafiek-blok\">{}<figcaption>{}: aandeel akkoord per periode (de cijfers staan in de tabel).</figcaption></figure>",
            grafiek::staven(
                &format!("thema-{}", c.categorie.id()),
                &format!("{}: aandeel akkoord per periode", c.categorie.kop()),
                "Hoeveel procent akkoord of helemaal akkoord was, per periode.",
                &balken
            ),
            c.categorie.kop()
        );
    }
    format!(
        "<h2 id=\"themas\">Per thema</h2>\n<p>Voor een thema krijgt elke persoon één score: het gemiddelde van zijn antwoorden op de schaalvragen van dat thema, zonder „weet ik niet”. Vragen met te weinig antwoorden tellen niet mee. Het gemiddelde gaat van 1 (helemaal niet akkoord) tot 5 (helemaal akkoord). Akkoord is het deel van de mensen met een score van 4 of meer.</p>\n{}{grafieken}",
        tabel(
            "tabel-themas",
            "Score per thema en per periode",
            &kop,
            &rijen
        )
    )
}

fn kleur(soort: &str, waarde: u8, i: usize) -> String {
    if soort == "schaal" {
        format!("g-w{}", waarde.min(5))
    } else {
        format!("g-k{}", i % 6)
    }
}

fn item(r: &Rapport, it: &ItemRapport) -> String {
    let id = esc(&it.id);
    let mut s = format!(
        "<section class=\"beheer-item\" id=\"item-{id}\" aria-labelledby=\"item-{id}-kop\">\n<h4 id=\"item-{id}-kop\">{}</h4>\n<p class=\"enquete-hint\">Vraag {id}, versie {}</p>\n",
        esc(&it.tekst),
        it.versie
    );
    // The chart: one stacked bar per period.
    let rijen: Vec<Verdeling> = r
        .periodes
        .iter()
        .zip(&it.per_periode)
        .map(|(p, cel)| Verdeling {
            label: p.naam.clone(),
            delen: cel.cijfers.zichtbaar().map(|c| {
                it.opties
                    .iter()
                    .zip(&c.verdeling)
                    .enumerate()
                    .map(|(i, ((w, _), n))| Deel {
                        aantal: *n,
                        klasse: kleur(it.soort, *w, i),
                    })
                    .collect()
            }),
        })
        .collect();
    let _ = writeln!(
        s,
        "<figure class=\"grafiek-blok\">{}</figure>",
        grafiek::verdeling(
            &format!("verdeling-{id}"),
            &format!("Verdeling van de antwoorden: {}", it.tekst),
            "Eén balk per periode; de aantallen staan in de tabel eronder.",
            &rijen
        )
    );
    // The table with the same numbers.
    let mut kop = String::from("<th scope=\"col\">Antwoord</th>");
    for (p, cel) in r.periodes.iter().zip(&it.per_periode) {
        let versie = cel
            .versie
            .map(|v| format!(" (versie {v})"))
            .unwrap_or_default();
        let _ = write!(kop, "<th scope=\"col\">{}{versie}</th>", esc(&p.naam));
    }
    let niet = |p: &crate::rapport::PeriodeRapport, cel: &crate::rapport::ItemCel| {
        if p.vrijgave != Vrijgave::Vrijgegeven {
            p.vrijgave.kort()
        } else if cel.versie.is_none() {
            "niet gevraagd"
        } else {
            TE_WEINIG
        }
    };
    let mut tbody = String::new();
    for (o, (_, label)) in it.opties.iter().enumerate() {
        let _ = write!(tbody, "<tr><th scope=\"row\">{}</th>", esc(label));
        for (p, cel) in r.periodes.iter().zip(&it.per_periode) {
            match cel.cijfers.zichtbaar() {
                Some(c) => {
                    let n = c.verdeling[o];
                    let pct = if c.n > 0 {
                        procent(n as f64 / c.n as f64)
                    } else {
                        "–".into()
                    };
                    let _ = write!(tbody, "<td>{n} ({pct})</td>");
                }
                None => {
                    let _ = write!(tbody, "<td>{}</td>", niet(p, cel));
                }
            }
        }
        tbody.push_str("</tr>\n");
    }
    let mut rij = |titel: &str, waarde: &dyn Fn(&crate::rapport::Cijfers) -> String| {
        let _ = write!(
            tbody,
            "<tr class=\"beheer-som\"><th scope=\"row\">{titel}</th>"
        );
        for (p, cel) in r.periodes.iter().zip(&it.per_periode) {
            match cel.cijfers.zichtbaar() {
                Some(c) => {
                    let _ = write!(tbody, "<td>{}</td>", waarde(c));
                }
                None => {
                    let _ = write!(tbody, "<td>{}</td>", niet(p, cel));
                }
            }
        }
        tbody.push_str("</tr>\n");
    };
    rij("Aantal antwoorden", &|c| c.n.to_string());
    if it.soort == "schaal" {
        rij("Gemiddelde (1 tot 5)", &|c| gemiddelde(c.gemiddelde));
        rij("Gemiddelde: 95 %-interval", &|c| {
            interval(c.gemiddelde_interval, false)
        });
        rij("Akkoord", &|c| aandeel(c.aandeel_eens));
        rij("Akkoord: 95 %-interval", &|c| {
            interval(c.aandeel_eens_interval, true)
        });
    }
    s.push_str(&tabel(
        &format!("tabel-{id}"),
        &format!("Antwoorden op „{}”", esc(&it.tekst)),
        &kop,
        &tbody,
    ));
    // Period comparison.
    if r.periodes.len() >= 2 {
        if !it.verschillen.is_empty() {
            s.push_str("<p class=\"beheer-kleinkop\">Verschil met de periode ervoor</p>\n");
            s.push_str(&verschillen(r, &it.verschillen));
        }
        if it.soort == "schaal" {
            let trend = it.trend();
            let balken: Vec<Balk> = trend
                .iter()
                .map(|t| Balk {
                    label: r.periodes[t.periode].naam.clone(),
                    waarde: t.aandeel_eens,
                    tekst: aandeel(t.aandeel_eens),
                    band: t.aandeel_eens_interval.map(|i| (i.laag, i.hoog)),
                })
                .collect();
            let mut uitleg = String::from("Aandeel akkoord over de gekozen periodes.");
            for t in trend.iter().filter(|t| t.breuk) {
                let _ = write!(
                    uitleg,
                    " Vanaf {} is de vraag veranderd: niet vergelijkbaar met de periodes ervoor.",
                    r.periodes[t.periode].naam
                );
            }
            let _ = writeln!(
                s,
                "<figure class=\"grafiek-blok\">{}<figcaption>Verloop: {}</figcaption></figure>",
                grafiek::staven(
                    &format!("trend-{id}"),
                    &format!("Verloop van het aandeel akkoord: {}", it.tekst),
                    &uitleg,
                    &balken
                ),
                esc(&uitleg)
            );
        }
    }
    s.push_str("</section>\n");
    s
}

fn downloads(o: &Opmaak, a: &Aangemeld, r: &Rapport) -> String {
    let id = esc(&r.vragenlijst);
    let mut s = format!(
        "<h2 id=\"downloaden\">Downloaden</h2>\n<p>Je downloadt de cijfers van de gekozen periodes. Ook in de bestanden blijven kleine groepen verborgen. Elke download komt in het logboek, met je naam.</p>\n<form method=\"post\" action=\"{}\" class=\"beheer-formulier\">{}\n",
        o.url(&format!("/beheer/export/{}", r.vragenlijst)),
        token(a)
    );
    for p in &r.periodes {
        let _ = writeln!(
            s,
            "<input type=\"hidden\" name=\"periode\" value=\"{}\">",
            esc(&p.naam)
        );
    }
    s.push_str("<fieldset class=\"beheer-veld\"><legend>Soort bestand</legend>\n");
    for (f, uitleg) in [
        (
            Formaat::CsvNl,
            "Voor Excel in het Nederlands (CSV met puntkomma's)",
        ),
        (
            Formaat::Xlsx,
            "Excel-werkboek: één blad per periode en een blad om te vergelijken",
        ),
        (Formaat::Csv, "CSV met komma's (voor andere programma's)"),
        (Formaat::Json, "Samenvatting voor de website (JSON)"),
        (
            Formaat::Ruw,
            "Ruwe antwoorden: één rij per ingevuld formulier, zonder namen of tijden (CSV)",
        ),
    ] {
        let checked = if f == Formaat::CsvNl { " checked" } else { "" };
        let _ = writeln!(
            s,
            "<p><input type=\"radio\" id=\"formaat-{f}-{id}\" name=\"formaat\" value=\"{f}\"{checked}> <label for=\"formaat-{f}-{id}\">{uitleg}</label></p>",
            f = f.id()
        );
    }
    let _ = write!(
        s,
        "</fieldset>\n<p class=\"beheer-veld\"><input type=\"checkbox\" id=\"open-{id}\" name=\"open\" value=\"ja\" aria-describedby=\"open-hint-{id}\"> <label for=\"open-{id}\">Open antwoorden meenemen</label>\n<span class=\"enquete-hint\" id=\"open-hint-{id}\">Alleen bij de ruwe antwoorden. Open antwoorden kunnen namen bevatten: bewaar het bestand veilig en publiceer het nooit.</span></p>\n<p><button type=\"submit\">Downloaden</button></p>\n</form>\n"
    );
    s
}

/// A note for the periods whose results wait (open, or re-opened with too few new responses).
fn wachtend(r: &Rapport) -> String {
    let mut s = String::new();
    for v in [Vrijgave::NogOpen, Vrijgave::WachtOpMeer] {
        let namen: Vec<String> = r
            .periodes
            .iter()
            .filter(|p| p.vrijgave == v)
            .map(|p| esc(&p.naam).to_string())
            .collect();
        if let (false, Some(uitleg)) = (namen.is_empty(), v.uitleg()) {
            let _ = writeln!(
                s,
                "<div class=\"beheer-let-op\" role=\"note\"><p><strong>Periode {}: {}.</strong> {uitleg}</p></div>",
                namen.join(", "),
                v.tekst()
            );
        }
    }
    s
}

/// The results page. `rapport` is `None` when the questionnaire has no periods yet.
pub fn resultaten(
    o: &Opmaak,
    a: &Aangemeld,
    lijst: &Vragenlijst,
    alle: &[String],
    rapport: Option<&Rapport>,
) -> String {
    let titel = format!("Resultaten: {}", lijst.titel.nl());
    let mut inhoud = format!(
        "<h1>{}</h1>\n<p><a href=\"{}\">Open antwoorden lezen</a></p>\n",
        esc(&titel),
        o.url(&format!("/beheer/open-antwoorden/{}", lijst.id))
    );
    let Some(r) = rapport else {
        inhoud.push_str("<p>Er is nog geen periode voor deze bevraging.</p>\n");
        return kader(o, a, "", &titel, &inhoud);
    };
    let gekozen: Vec<&str> = r.periodes.iter().map(|p| p.naam.as_str()).collect();
    inhoud.push_str(&periodekeuze(o, lijst, alle, &gekozen));
    inhoud.push_str(&wachtend(r));
    let _ = writeln!(
        inhoud,
        "<p>Als minder dan {} mensen antwoordden, tonen we de cijfers niet. Dan staat er: „{TE_WEINIG}”. Zo blijft niemand herkenbaar.</p>",
        r.minimum_groep.get()
    );
    if r.onleesbaar > 0 {
        let _ = writeln!(
            inhoud,
            "<p>{} antwoorden konden niet gelezen worden en tellen niet mee.</p>",
            r.onleesbaar
        );
    }
    inhoud.push_str(UITLEG_INTERVAL);
    inhoud.push_str(&deelname(r));
    inhoud.push_str(&themas(r));
    inhoud.push_str("<h2 id=\"vragen\">Per vraag</h2>\n");
    if r.periodes.len() >= 2 {
        inhoud.push_str("<p>Onder elke vraag staat het verschil met de periode ervoor. Als een vraag veranderde, staat er „niet vergelijkbaar”: dan vergelijken we niet.</p>\n");
        inhoud.push_str(UITLEG_OORDEEL);
    }
    for c in Categorie::ALLE {
        let items: Vec<&ItemRapport> = r.items.iter().filter(|i| i.categorie == c).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(inhoud, "<h3>{}</h3>", c.kop());
        for it in items {
            inhoud.push_str(&item(r, it));
        }
    }
    inhoud.push_str(&downloads(o, a, r));
    kader(o, a, "", &titel, &inhoud)
}

/// The open answers of one period. `gekozen` is `None` when there are no periods.
pub fn open_antwoorden(
    o: &Opmaak,
    a: &Aangemeld,
    lijst: &Vragenlijst,
    alle: &[String],
    gekozen: Option<(&str, &OpenAntwoorden)>,
    minimum: MinimumGroep,
) -> String {
    let titel = format!("Open antwoorden: {}", lijst.titel.nl());
    let mut inhoud = format!(
        "<h1>{}</h1>\n<div class=\"beheer-let-op\" role=\"note\" aria-labelledby=\"let-op\">\n<h2 id=\"let-op\">Let op: dit blijft in het zorgteam</h2>\n<p>Open antwoorden kunnen namen noemen van kinderen, ouders of collega's. Lees ze alleen in het zorgteam. Publiceer ze nooit: niet op de website, niet in een verslag en niet in een bericht aan ouders.</p>\n</div>\n<p><a href=\"{}\">Terug naar de resultaten</a></p>\n",
        esc(&titel),
        o.url(&format!("/beheer/resultaten/{}", lijst.id))
    );
    let Some((periode, open)) = gekozen else {
        inhoud.push_str("<p>Er is nog geen periode voor deze bevraging.</p>\n");
        return kader(o, a, "", &titel, &inhoud);
    };
    let _ = write!(
        inhoud,
        "<form method=\"get\" action=\"{}\" class=\"beheer-formulier\">\n<p class=\"beheer-veld\"><label for=\"open-periode\">Periode</label>\n<select id=\"open-periode\" name=\"periode\">",
        o.url(&format!("/beheer/open-antwoorden/{}", lijst.id))
    );
    for p in alle {
        let sel = if p == periode { " selected" } else { "" };
        let _ = write!(inhoud, "<option{sel}>{}</option>", esc(p));
    }
    inhoud.push_str("</select></p>\n<p><button type=\"submit\">Toon</button></p>\n</form>\n");
    let _ = writeln!(inhoud, "<h2>Periode {}</h2>", esc(periode));
    if let Some(uitleg) = open.vrijgave.uitleg() {
        let _ = writeln!(
            inhoud,
            "<div class=\"beheer-let-op\" role=\"note\"><p><strong>{}.</strong> {uitleg}</p></div>",
            open.vrijgave.tekst()
        );
        return kader(o, a, "", &titel, &inhoud);
    }
    let _ = writeln!(
        inhoud,
        "<p>Een vraag toont pas antwoorden als minstens {} mensen er iets schreven; anders staat er „{TE_WEINIG}”. De antwoorden staan telkens in een andere volgorde, en e-mailadressen en telefoonnummers zijn weggelaten.</p>",
        minimum.get()
    );
    let vragen = &open.vragen;
    if vragen.is_empty() {
        inhoud.push_str("<p>Deze bevraging heeft geen open vragen.</p>\n");
    }
    for (i, v) in vragen.iter().enumerate() {
        let _ = write!(
            inhoud,
            "<section class=\"beheer-open\" aria-labelledby=\"open-{i}\">\n<h3 id=\"open-{i}\">{}</h3>\n",
            esc(&v.tekst)
        );
        match &v.antwoorden {
            Cel::Verborgen => {
                let _ = writeln!(inhoud, "<p>{TE_WEINIG}</p>");
            }
            Cel::Zichtbaar(lijst) if lijst.is_empty() => {
                inhoud.push_str("<p>Niemand schreef hier iets.</p>\n");
            }
            Cel::Zichtbaar(lijst) => {
                let _ = writeln!(
                    inhoud,
                    "<p>{} {}</p>\n<ul class=\"beheer-open-lijst\">",
                    lijst.len(),
                    if lijst.len() == 1 {
                        "antwoord"
                    } else {
                        "antwoorden"
                    }
                );
                for t in lijst {
                    let _ = writeln!(inhoud, "<li>{}</li>", esc(t));
                }
                inhoud.push_str("</ul>\n");
            }
        }
        inhoud.push_str("</section>\n");
    }
    kader(o, a, "", &titel, &inhoud)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_have_a_sign_and_never_minus_zero() {
        assert_eq!(met_teken(0.34, 1), "+0,3");
        assert_eq!(met_teken(-0.26, 1), "-0,3");
        assert_eq!(met_teken(-0.01, 1), "0,0");
    }

    #[test]
    fn differences_are_worded_with_interval_and_verdict() {
        use crate::rapport::{Maat, Oordeel, Vergelijking};
        let maat = |verschil, laag, hoog, oordeel| Maat {
            verschil,
            interval: Interval { laag, hoog },
            p: 0.5,
            p_aangepast: 0.5,
            oordeel,
        };
        let v = Verschil::Vergeleken(Vergelijking {
            aandeel_eens: maat(0.162, -0.022, 0.325, Oordeel::GeenDuidelijkVerschil),
            gemiddelde: maat(0.5, 0.1, 0.9, Oordeel::Hoger),
        });
        assert_eq!(
            verschil_tekst(&v),
            "akkoord +16 procentpunten (-2 tot +33): geen duidelijk verschil; gemiddelde +0,5 (+0,1 tot +0,9): hoger"
        );
        assert!(
            verschil_tekst(&Verschil::NietVergelijkbaar(Reden::AndereVersie))
                .starts_with("niet vergelijkbaar")
        );
        assert_eq!(
            verschil_tekst(&Verschil::NietVergelijkbaar(Reden::TeWeinig)),
            TE_WEINIG
        );
    }
}
