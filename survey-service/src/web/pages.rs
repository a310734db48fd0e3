//! The survey pages: the form (empty, or again with the answers and what to fix), thank-you,
//! closed and error pages. All Dutch, short, and usable with a keyboard and without JavaScript.

use std::fmt::Write;

use super::html::{Opmaak, alineas, esc};
use crate::domain::Kanaal;
use crate::domain::antwoord::{Fout, Ingevuld, VELD_CODE};
use crate::domain::vragenlijst::{Categorie, Soort, Vraag, Vragenlijst};

/// Everything the form needs.
pub struct Formulier<'a> {
    pub lijst: &'a Vragenlijst,
    pub periode: &'a str,
    pub met_codes: bool,
    pub kanaal: Kanaal,
    pub csrf: &'a str,
    pub ingevuld: &'a Ingevuld,
    pub fouten: &'a [Fout],
    /// A short message above the form (kiosk: "your answers were saved").
    pub melding: Option<&'a str>,
}

/// Where the summary links to for a field: the first focusable control of it.
fn anker(lijst: &Vragenlijst, veld: &str) -> String {
    if veld == VELD_CODE {
        return "code".to_string();
    }
    match lijst.vraag(veld) {
        Some(v) => match v.opties().first() {
            Some((w, _)) => format!("v-{}-{w}", v.id),
            None => format!("v-{}", v.id),
        },
        None => "vragen".to_string(),
    }
}

fn fout_bij<'a>(fouten: &'a [Fout], veld: &str) -> Option<&'a Fout> {
    fouten.iter().find(|f| f.veld.as_deref() == Some(veld))
}

/// The privacy note on every form: what is and is not kept.
fn wat_we_bewaren(met_codes: bool, privacy: Option<&str>) -> String {
    let mut out = String::from(
        r#"<section class="enquete-privacy" aria-labelledby="privacy-titel">
<h2 id="privacy-titel">Wat we bewaren</h2>
<ul>
<li>We bewaren alleen je antwoorden en hoe je ze gaf: online, op school, op papier of in een gesprek.</li>
<li>We bewaren geen naam, geen e-mailadres, geen IP-adres, geen cookie en geen datum of uur bij je antwoorden.</li>
<li>Het zorgteam toont resultaten alleen voor groepen van minstens 5 mensen.</li>"#,
    );
    if met_codes {
        out.push_str(
            "\n<li>Je code zorgt ervoor dat iedereen maar één keer antwoordt. We onthouden alleen dat de code gebruikt is, niet welke antwoorden erbij horen.</li>",
        );
    }
    out.push_str("\n</ul>");
    if let Some(url) = privacy {
        let _ = write!(
            out,
            "\n<p><a href=\"{}\">Lees alles over je privacy bij deze bevraging</a></p>",
            esc(url)
        );
    }
    out.push_str("\n</section>");
    out
}

fn foutsamenvatting(out: &mut String, lijst: &Vragenlijst, fouten: &[Fout]) {
    if fouten.is_empty() {
        return;
    }
    let titel = if fouten.len() == 1 {
        "Er is 1 ding om na te kijken".to_string()
    } else {
        format!("Er zijn {} dingen om na te kijken", fouten.len())
    };
    let _ = write!(
        out,
        r#"<div class="enquete-foutsamenvatting" role="alert" aria-labelledby="fout-titel" tabindex="-1" autofocus>
<h2 id="fout-titel">{titel}</h2>
<p>Je antwoorden staan er nog. Pas aan wat hieronder staat en verstuur opnieuw.</p>
<ul>"#
    );
    for fout in fouten {
        match &fout.veld {
            Some(veld) => {
                let _ = write!(
                    out,
                    "\n<li><a href=\"#{}\">{}</a></li>",
                    esc(&anker(lijst, veld)),
                    esc(&fout.bericht)
                );
            }
            None => {
                let _ = write!(out, "\n<li>{}</li>", esc(&fout.bericht));
            }
        }
    }
    out.push_str("\n</ul>\n</div>\n");
}

fn vraag_html(out: &mut String, nummer: usize, v: &Vraag, f: &Formulier<'_>) {
    let fout = fout_bij(f.fouten, &v.id);
    let mut beschreven = Vec::new();
    if v.uitleg.is_some() {
        beschreven.push(format!("uitleg-{}", v.id));
    }
    if fout.is_some() {
        beschreven.push(format!("fout-{}", v.id));
    }
    let describedby = if beschreven.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{}\"", beschreven.join(" "))
    };
    let klasse = if fout.is_some() {
        "enquete-vraag enquete-vraag-fout"
    } else {
        "enquete-vraag"
    };
    let uitleg = v.uitleg.as_ref().map_or(String::new(), |u| {
        format!(
            "<p class=\"enquete-uitleg\" id=\"uitleg-{}\">{}</p>",
            v.id,
            esc(u.nl())
        )
    });
    let foutmelding = fout.map_or(String::new(), |f| {
        format!(
            "<p class=\"enquete-fout\" id=\"fout-{}\"><span class=\"visually-hidden\">Fout: </span>{}</p>",
            v.id,
            esc(&f.bericht)
        )
    });
    let ingevuld = f.ingevuld.get(&v.id).unwrap_or("");
    let optioneel = if v.verplicht {
        ""
    } else {
        " <span class=\"enquete-optioneel\">(niet verplicht)</span>"
    };
    match &v.soort {
        Soort::Open { max_tekens } => {
            let invalid = if fout.is_some() {
                " aria-invalid=\"true\""
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<div class="{klasse}">
<label class="enquete-vraagtekst" for="v-{id}"><span class="enquete-nummer">{nummer}.</span> {tekst}{optioneel}</label>
{uitleg}<p class="enquete-hint" id="hint-{id}">Maximaal {max_tekens} tekens. Noem liever geen namen.</p>
{foutmelding}<textarea id="v-{id}" name="{id}" rows="5" aria-describedby="hint-{id}{extra}"{invalid}>{waarde}</textarea>
</div>
"#,
                id = v.id,
                tekst = esc(v.tekst.nl()),
                extra = beschreven
                    .iter()
                    .map(|b| format!(" {b}"))
                    .collect::<String>(),
                waarde = esc(ingevuld),
            );
        }
        _ => {
            let invalid = if fout.is_some() {
                " aria-invalid=\"true\""
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<fieldset class="{klasse}" id="v-{id}"{describedby}>
<legend class="enquete-vraagtekst"><span class="enquete-nummer">{nummer}.</span> {tekst}{optioneel}</legend>
{uitleg}{foutmelding}<ul class="enquete-keuzes">"#,
                id = v.id,
                tekst = esc(v.tekst.nl()),
            );
            for (waarde, label) in v.opties() {
                let checked = if ingevuld == waarde.to_string() {
                    " checked"
                } else {
                    ""
                };
                let apart = if waarde == 0 {
                    " class=\"enquete-weetniet\""
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    "\n<li{apart}><input type=\"radio\" id=\"v-{id}-{waarde}\" name=\"{id}\" value=\"{waarde}\"{checked}{invalid}><label for=\"v-{id}-{waarde}\">{label}</label></li>",
                    id = v.id,
                    label = esc(&label),
                );
            }
            out.push_str("\n</ul>\n</fieldset>\n");
        }
    }
}

/// The form page.
pub fn formulier(o: &Opmaak, f: &Formulier<'_>) -> String {
    let lijst = f.lijst;
    let mut out = String::with_capacity(16 * 1024);
    if let Some(melding) = f.melding {
        let _ = writeln!(
            out,
            "<div class=\"enquete-melding\" role=\"status\"><p>{}</p></div>",
            esc(melding)
        );
    }
    let _ = writeln!(out, "<h1>{}</h1>", esc(lijst.titel.nl()));
    foutsamenvatting(&mut out, lijst, f.fouten);
    let _ = write!(
        out,
        "<div class=\"enquete-intro\">{}</div>\n{}\n",
        alineas(lijst.intro.nl()),
        wat_we_bewaren(f.met_codes, o.privacy.as_deref())
    );
    let actie = match f.kanaal {
        Kanaal::Online => o.url(&format!("/enquete/{}", lijst.id)),
        Kanaal::Kiosk => o.url(&format!("/enquete/{}/kiosk", lijst.id)),
        // Staff entry on the dashboard (`web::beheer::invoer`).
        k @ (Kanaal::Papier | Kanaal::Mondeling) => {
            o.url(&format!("/beheer/invoer/{}/{}", lijst.id, k.id()))
        }
    };
    let _ = write!(
        out,
        r#"<form class="enquete-formulier" id="vragen" method="post" action="{actie}" autocomplete="off">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="periode" value="{periode}">
"#,
        csrf = esc(f.csrf),
        periode = esc(f.periode),
    );
    if f.met_codes || f.ingevuld.get(VELD_CODE).is_some_and(|c| !c.is_empty()) {
        let fout = fout_bij(f.fouten, VELD_CODE);
        let verplicht = f.met_codes && f.kanaal == Kanaal::Online;
        let _ = write!(
            out,
            r#"<div class="enquete-vraag enquete-code{fout_klasse}">
<label class="enquete-vraagtekst" for="code">Je code{optioneel}</label>
<p class="enquete-hint" id="code-hint">De code staat op de brief die je van school kreeg, bijvoorbeeld ABCD-EFGH.</p>
{foutmelding}<input type="text" id="code" name="code" value="{waarde}" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="code-hint{fout_id}"{invalid}>
</div>
"#,
            fout_klasse = if fout.is_some() {
                " enquete-vraag-fout"
            } else {
                ""
            },
            optioneel = if verplicht {
                ""
            } else {
                " <span class=\"enquete-optioneel\">(niet verplicht)</span>"
            },
            foutmelding = fout.map_or(String::new(), |f| format!(
                "<p class=\"enquete-fout\" id=\"fout-code\"><span class=\"visually-hidden\">Fout: </span>{}</p>\n",
                esc(&f.bericht)
            )),
            waarde = esc(f.ingevuld.get(VELD_CODE).unwrap_or("")),
            fout_id = if fout.is_some() { " fout-code" } else { "" },
            invalid = if fout.is_some() {
                " aria-invalid=\"true\""
            } else {
                ""
            },
        );
    }
    let mut nummer = 0;
    for categorie in Categorie::ALLE {
        let vragen: Vec<&Vraag> = lijst
            .vragen
            .iter()
            .filter(|v| v.categorie == categorie)
            .collect();
        if vragen.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<section class=\"enquete-categorie\" aria-labelledby=\"cat-{id}\">\n<h2 id=\"cat-{id}\">{kop}</h2>\n",
            id = categorie.id(),
            kop = categorie.kop()
        );
        for v in vragen {
            nummer += 1;
            vraag_html(&mut out, nummer, v, f);
        }
        out.push_str("</section>\n");
    }
    out.push_str(
        "<p><button type=\"submit\" class=\"enquete-knop\">Antwoorden versturen</button></p>\n</form>\n",
    );
    let titel = if f.fouten.is_empty() {
        lijst.titel.nl().to_string()
    } else {
        format!("Fout: {}", lijst.titel.nl())
    };
    o.pagina(&titel, &out)
}

/// After an online answer.
pub fn bedankt(o: &Opmaak, lijst: &Vragenlijst) -> String {
    let inhoud = format!(
        r#"<h1>Bedankt voor je antwoorden!</h1>
<div class="enquete-melding" role="status"><p>Je antwoorden zijn goed bewaard.</p></div>
<h2>Wat gebeurt er nu?</h2>
{tekst}
<p><a href="{home}">Terug naar de website</a></p>
"#,
        tekst = alineas(lijst.bedankt.nl()),
        home = o.url("/"),
    );
    o.pagina("Bedankt", &inhoud)
}

/// A simple page with a heading and a few paragraphs (closed, not found, errors).
pub fn bericht(o: &Opmaak, titel: &str, tekst: &str) -> String {
    let inhoud = format!(
        "<h1>{}</h1>\n{}\n<p><a href=\"{}\">Naar de website</a></p>\n",
        esc(titel),
        alineas(tekst),
        o.url("/")
    );
    o.pagina(titel, &inhoud)
}

/// `/enquete/`: the questionnaires that are open now.
pub fn overzicht(o: &Opmaak, open: &[(&Vragenlijst, bool)]) -> String {
    let mut inhoud = String::from("<h1>Bevragingen</h1>\n");
    let open_nu: Vec<&Vragenlijst> = open.iter().filter(|(_, o)| *o).map(|(l, _)| *l).collect();
    if open_nu.is_empty() {
        inhoud.push_str("<p>Er loopt nu geen bevraging. Bedankt voor je interesse!</p>\n");
    } else {
        inhoud.push_str("<p>Deze bevragingen lopen nu:</p>\n<ul>\n");
        for l in open_nu {
            let _ = writeln!(
                inhoud,
                "<li><a href=\"{}\">{}</a></li>",
                o.url(&format!("/enquete/{}", l.id)),
                esc(l.titel.nl())
            );
        }
        inhoud.push_str("</ul>\n");
    }
    o.pagina("Bevragingen", &inhoud)
}
