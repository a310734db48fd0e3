//! The survey pages: the form (empty, or again with the answers and what to fix), thank-you,
//! closed and error pages. In the form's language (`web::taal`), short, and usable with a keyboard and without JavaScript.

use std::fmt::Write;

use super::html::{Opmaak, alineas, esc};
use super::taal::{self, Teksten};
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
    /// The language of the form (`?taal=`).
    pub taal: &'static Teksten,
    /// On a kiosk device: the token of the "Kiosk stoppen" button below the form.
    pub kiosk_stop: Option<&'a str>,
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
fn wat_we_bewaren(met_codes: bool, taal: &Teksten, privacy: Option<&str>) -> String {
    let mut out = format!(
        "<section class=\"enquete-privacy\" aria-labelledby=\"privacy-titel\">\n<h2 id=\"privacy-titel\">{}</h2>\n<ul>",
        esc(taal.privacy_titel)
    );
    for punt in taal.privacy {
        let _ = write!(out, "\n<li>{}</li>", esc(punt));
    }
    if met_codes {
        let _ = write!(out, "\n<li>{}</li>", esc(taal.privacy_code));
    }
    out.push_str("\n</ul>");
    if let Some(url) = privacy {
        let _ = write!(
            out,
            "\n<p><a href=\"{}\" hreflang=\"nl\">{}</a></p>",
            esc(url),
            esc(taal.privacy_link)
        );
    }
    out.push_str("\n</section>");
    out
}

fn foutsamenvatting(out: &mut String, lijst: &Vragenlijst, fouten: &[Fout], taal: &Teksten) {
    if fouten.is_empty() {
        return;
    }
    let titel = if fouten.len() == 1 {
        taal.fout_een.to_string()
    } else {
        taal.fout_meer.replace("{n}", &fouten.len().to_string())
    };
    let _ = write!(
        out,
        r#"<div class="enquete-foutsamenvatting" role="alert" aria-labelledby="fout-titel" tabindex="-1" autofocus>
<h2 id="fout-titel">{titel}</h2>
<p>{uitleg}</p>
<ul>"#,
        uitleg = esc(taal.fout_uitleg),
    );
    for fout in fouten {
        match &fout.veld {
            Some(veld) => {
                let _ = write!(
                    out,
                    "\n<li><a href=\"#{}\">{}</a></li>",
                    esc(&anker(lijst, veld)),
                    esc(&taal.melding(fout.melding))
                );
            }
            None => {
                let _ = write!(out, "\n<li>{}</li>", esc(&taal.melding(fout.melding)));
            }
        }
    }
    out.push_str("\n</ul>\n</div>\n");
}

fn vraag_html(out: &mut String, nummer: usize, v: &Vraag, f: &Formulier<'_>) {
    let taal = f.taal;
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
            esc(u.in_taal(taal.code))
        )
    });
    let foutmelding = fout.map_or(String::new(), |f| {
        format!(
            "<p class=\"enquete-fout\" id=\"fout-{}\"><span class=\"visually-hidden\">{}: </span>{}</p>",
            v.id,
            esc(taal.fout_woord),
            esc(&taal.melding(f.melding))
        )
    });
    let ingevuld = f.ingevuld.get(&v.id).unwrap_or("");
    let optioneel = if v.verplicht {
        String::new()
    } else {
        format!(
            " <span class=\"enquete-optioneel\">{}</span>",
            esc(taal.niet_verplicht)
        )
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
{uitleg}<p class="enquete-hint" id="hint-{id}">{hint}</p>
{foutmelding}<textarea id="v-{id}" name="{id}" rows="5" aria-describedby="hint-{id}{extra}"{invalid}>{waarde}</textarea>
</div>
"#,
                id = v.id,
                tekst = esc(v.tekst.in_taal(taal.code)),
                hint = esc(&taal.max_tekens.replace("{n}", &max_tekens.to_string())),
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
                tekst = esc(v.tekst.in_taal(taal.code)),
            );
            for (i, (waarde, label)) in v.opties().into_iter().enumerate() {
                let label = match &v.soort {
                    Soort::Schaal => taal.schaal[i].to_string(),
                    Soort::JaNee => taal.janee[i].to_string(),
                    Soort::Keuze(opties) => opties[i].in_taal(taal.code).to_string(),
                    Soort::Open { .. } => label,
                };
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
    let taal = f.taal;
    let mut out = String::with_capacity(16 * 1024);
    if lijst.talen.len() > 1 {
        let _ = write!(
            out,
            "<nav class=\"taalkeuze\" aria-label=\"{}\"><ul>",
            esc(taal.taalkeuze)
        );
        for code in &lijst.talen {
            let t = taal::van(code);
            if t.code == taal.code {
                let _ = write!(
                    out,
                    "<li lang=\"{c}\" dir=\"{d}\"><span aria-current=\"true\">{n}</span></li>",
                    c = t.code,
                    d = t.dir(),
                    n = esc(t.naam)
                );
            } else {
                let url = match f.kanaal {
                    Kanaal::Kiosk => o.url(&format!("/enquete/{}/kiosk", lijst.id)),
                    _ => o.url(&format!("/enquete/{}", lijst.id)),
                };
                let query = t.query(true);
                let _ = write!(
                    out,
                    "<li lang=\"{c}\" dir=\"{d}\"><a href=\"{url}{query}\" hreflang=\"{c}\">{n}</a></li>",
                    c = t.code,
                    d = t.dir(),
                    n = esc(t.naam)
                );
            }
        }
        out.push_str("</ul></nav>\n");
    }
    if let Some(melding) = f.melding {
        let _ = writeln!(
            out,
            "<div class=\"enquete-melding\" role=\"status\"><p>{}</p></div>",
            esc(melding)
        );
    }
    let _ = writeln!(out, "<h1>{}</h1>", esc(lijst.titel.in_taal(taal.code)));
    foutsamenvatting(&mut out, lijst, f.fouten, taal);
    let _ = write!(
        out,
        "<div class=\"enquete-intro\">{}</div>\n{}\n",
        alineas(lijst.intro.in_taal(taal.code)),
        wat_we_bewaren(f.met_codes, taal, o.privacy.as_deref())
    );
    // The language travels in the address, never in the answers.
    let query = taal.query(true);
    let actie = match f.kanaal {
        Kanaal::Online => o.url(&format!("/enquete/{}{query}", lijst.id)),
        Kanaal::Kiosk => o.url(&format!("/enquete/{}/kiosk{query}", lijst.id)),
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
<label class="enquete-vraagtekst" for="code">{label}{optioneel}</label>
<p class="enquete-hint" id="code-hint">{hint}</p>
{foutmelding}<input type="text" id="code" name="code" value="{waarde}" autocomplete="off" autocapitalize="characters" spellcheck="false" aria-describedby="code-hint{fout_id}"{invalid}>
</div>
"#,
            fout_klasse = if fout.is_some() {
                " enquete-vraag-fout"
            } else {
                ""
            },
            label = esc(taal.code_label),
            hint = esc(taal.code_hint),
            optioneel = if verplicht {
                String::new()
            } else {
                format!(" <span class=\"enquete-optioneel\">{}</span>", esc(taal.niet_verplicht))
            },
            foutmelding = fout.map_or(String::new(), |f| format!(
                "<p class=\"enquete-fout\" id=\"fout-code\"><span class=\"visually-hidden\">{}: </span>{}</p>\n",
                esc(taal.fout_woord),
                esc(&taal.melding(f.melding))
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
            kop = esc(taal.categorie(categorie))
        );
        for v in vragen {
            nummer += 1;
            vraag_html(&mut out, nummer, v, f);
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "<p><button type=\"submit\" class=\"enquete-knop\">{}</button></p>\n</form>\n",
        esc(taal.versturen)
    );
    if let Some(token) = f.kiosk_stop {
        // For the school's staff, so in Dutch whatever the form's language.
        let _ = write!(
            out,
            r#"<details class="enquete-kiosk" lang="nl" dir="ltr">
<summary>Voor de school: kiosk stoppen</summary>
<p>Dit toestel is tot het einde van de dag een kiosk: ouders antwoorden hier na elkaar, zonder code. Met deze knop wordt het weer het gewone formulier.</p>
<form method="post" action="{actie}"><input type="hidden" name="csrf" value="{token}"><button type="submit">Kiosk stoppen</button></form>
</details>
"#,
            actie = o.url(&format!("/enquete/{}/kiosk/stop", lijst.id)),
            token = esc(token),
        );
    }
    let titel = if f.fouten.is_empty() {
        lijst.titel.in_taal(taal.code).to_string()
    } else {
        format!("{}: {}", taal.fout_woord, lijst.titel.in_taal(taal.code))
    };
    o.pagina_in(taal, &titel, &out)
}

/// After an online answer.
pub fn bedankt(o: &Opmaak, lijst: &Vragenlijst, taal: &Teksten) -> String {
    let home = o.url(&taal.home());
    let inhoud = format!(
        r#"<h1>{titel}</h1>
<div class="enquete-melding" role="status"><p>{bewaard}</p></div>
<h2>{kop}</h2>
{tekst}
<p><a href="{home}">{terug}</a></p>
"#,
        titel = esc(taal.bedankt_titel),
        bewaard = esc(taal.bedankt_bewaard),
        kop = esc(taal.bedankt_kop),
        tekst = alineas(lijst.bedankt.in_taal(taal.code)),
        terug = esc(taal.terug),
    );
    o.pagina_in(taal, taal.bedankt_titel, &inhoud)
}

/// A simple page with a heading and a few paragraphs (closed, not found, errors), in a language.
pub fn bericht(o: &Opmaak, taal: &Teksten, titel: &str, tekst: &str) -> String {
    let inhoud = format!(
        "<h1>{}</h1>\n{}\n<p><a href=\"{}\">{}</a></p>\n",
        esc(titel),
        alineas(tekst),
        o.url(&taal.home()),
        esc(taal.terug)
    );
    o.pagina_in(taal, titel, &inhoud)
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
