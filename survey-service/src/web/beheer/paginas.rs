//! The dashboard's HTML: server-rendered, no JavaScript, no inline styles or scripts, in the
//! same frame as the survey pages (`web::html::Opmaak`). Every text from a file, the database or
//! a form goes through [`esc`].

use std::fmt::Write;

use super::Aangemeld;
use crate::domain::Kanaal;
use crate::domain::gebruiker::Rol;
use crate::domain::vragenlijst::Vragenlijsten;
use crate::domain::vrijgave::{Aantal, MinimumGroep};
use crate::storage::PeriodeInfo;
use crate::storage::audit::{AuditRegel, tijdstip};
use crate::storage::gebruikers::Gebruiker;
use crate::storage::invoer::InvoerTelling;
use crate::storage::respons::PerKanaal;
use crate::web::html::{Opmaak, alineas, esc};

/// A hidden field with the form token.
pub(super) fn token(a: &Aangemeld) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&a.csrf)
    )
}

/// Dashboard pages: the dashboard menu (with logout) above the content.
pub(super) fn kader(o: &Opmaak, a: &Aangemeld, huidig: &str, titel: &str, inhoud: &str) -> String {
    let mut nav = String::from("<nav class=\"beheer-nav\" aria-label=\"Dashboard\">\n<ul>\n");
    let mut items = vec![("/beheer/", "Overzicht")];
    if a.rol.mag(Rol::Beheer) {
        items.push(("/beheer/gebruikers", "Gebruikers"));
    }
    for (pad, label) in items {
        let current = if pad == huidig {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = writeln!(
            nav,
            "<li><a href=\"{}\"{current}>{label}</a></li>",
            o.url(pad)
        );
    }
    let _ = write!(
        nav,
        "</ul>\n<form method=\"post\" action=\"{}\" class=\"beheer-afmelden\">{}<p>Aangemeld als <strong>{}</strong> ({}) <button type=\"submit\">Afmelden</button></p></form>\n</nav>\n",
        o.url("/beheer/afmelden"),
        token(a),
        esc(&a.naam),
        a.rol.id()
    );
    o.pagina(titel, &format!("{nav}{inhoud}"))
}

/// A problem page with a way back to the dashboard.
pub fn probleem(o: &Opmaak, titel: &str, tekst: &str) -> String {
    let inhoud = format!(
        "<h1>{}</h1>\n{}\n<p><a href=\"{}\">Terug naar het dashboard</a></p>\n",
        esc(titel),
        alineas(tekst),
        o.url("/beheer/")
    );
    o.pagina(titel, &inhoud)
}

pub fn aanmelden(o: &Opmaak, csrf: &str, naam: &str, fout: Option<&str>) -> String {
    let mut inhoud = String::from("<h1>Aanmelden voor het dashboard</h1>\n");
    if let Some(fout) = fout {
        let _ = write!(
            inhoud,
            "<div class=\"enquete-foutsamenvatting\" role=\"alert\" tabindex=\"-1\" autofocus>\n<h2>Aanmelden lukte niet</h2>\n<p>{}</p>\n</div>\n",
            esc(fout)
        );
    }
    let _ = write!(
        inhoud,
        r#"<p>Het dashboard is voor het zorgteam en de directie. Ouders en collega's die een bevraging willen invullen, vinden die <a href="{enquete}">hier</a>.</p>
<form class="beheer-formulier" method="post" action="{actie}">
<input type="hidden" name="csrf" value="{csrf}">
<p class="beheer-veld"><label for="naam">Gebruikersnaam</label>
<input type="text" id="naam" name="naam" value="{naam}" autocomplete="username" autocapitalize="none" spellcheck="false" required></p>
<p class="beheer-veld"><label for="wachtwoord">Wachtwoord</label>
<input type="password" id="wachtwoord" name="wachtwoord" autocomplete="current-password" required></p>
<p><button type="submit" class="enquete-knop">Aanmelden</button></p>
</form>
<p>Nog geen account, of wachtwoord vergeten? Vraag het aan wie het dashboard beheert.</p>
"#,
        enquete = o.url("/enquete/"),
        actie = o.url("/beheer/login"),
        csrf = esc(csrf),
        naam = esc(naam),
    );
    o.pagina("Aanmelden", &inhoud)
}

fn procent(n: i64, van: Option<u32>) -> String {
    match van {
        Some(v) if v > 0 => format!("{} %", (n * 100 + i64::from(v) / 2) / i64::from(v)),
        _ => "–".into(),
    }
}

/// How a channel is named in the table.
pub(super) fn kanaal_kop(k: Kanaal) -> &'static str {
    match k {
        Kanaal::Online => "Online",
        Kanaal::Kiosk => "Op school",
        Kanaal::Papier => "Op papier",
        Kanaal::Mondeling => "In een gesprek",
    }
}

pub fn overzicht(
    o: &Opmaak,
    a: &Aangemeld,
    lijsten: &Vragenlijsten,
    periodes: &[PeriodeInfo],
    per_kanaal: &PerKanaal,
    minimum: MinimumGroep,
    melding: Option<&str>,
) -> String {
    let beheer = a.rol.mag(Rol::Beheer);
    let mut inhoud = String::from("<h1>Dashboard</h1>\n");
    if let Some(m) = melding {
        let _ = writeln!(
            inhoud,
            "<div class=\"enquete-melding\" role=\"status\"><p>{}</p></div>",
            esc(m)
        );
    }
    inhoud.push_str(
        "<p>Per bevraging zie je de periodes: open of gesloten, hoeveel mensen antwoordden en hoe (online, op school, op papier of in een gesprek). Het responspercentage is het aantal antwoorden tegenover het aantal uitgenodigden.</p>\n",
    );
    for lijst in lijsten.0.values() {
        let id = &lijst.id;
        let titel = esc(lijst.titel.nl());
        let _ = write!(
            inhoud,
            "<section class=\"beheer-lijst\" aria-labelledby=\"lijst-{id}\">\n<h2 id=\"lijst-{id}\">{titel}</h2>\n"
        );
        let eigen: Vec<&PeriodeInfo> = periodes.iter().filter(|p| &p.vragenlijst == id).collect();
        if eigen.is_empty() {
            inhoud.push_str("<p>Er is nog geen periode.</p>\n");
        } else {
            let _ = write!(
                inhoud,
                "<div class=\"beheer-tabel\" role=\"region\" aria-labelledby=\"tabel-{id}\" tabindex=\"0\">\n<table>\n<caption id=\"tabel-{id}\">Periodes van {titel}</caption>\n<thead><tr><th scope=\"col\">Periode</th><th scope=\"col\">Status</th><th scope=\"col\">Uitgenodigd</th><th scope=\"col\">Antwoorden</th><th scope=\"col\">Respons</th>"
            );
            for k in Kanaal::ALLE {
                let _ = write!(inhoud, "<th scope=\"col\">{}</th>", kanaal_kop(k));
            }
            inhoud.push_str("<th scope=\"col\">Codes (gebruikt)</th></tr></thead>\n<tbody>\n");
            for p in &eigen {
                let kanalen = per_kanaal.get(&(p.vragenlijst.clone(), p.naam.clone()));
                let _ = write!(
                    inhoud,
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                    esc(&p.naam),
                    esc(&p.status(minimum)),
                    p.uitgenodigd.map_or("–".into(), |n| n.to_string()),
                    p.antwoorden,
                    procent(p.antwoorden, p.uitgenodigd)
                );
                for k in Kanaal::ALLE {
                    let n = kanalen
                        .and_then(|m| m.get(&k))
                        .copied()
                        .unwrap_or(Aantal::van(0, minimum));
                    match n.precies() {
                        Some(n) => {
                            let n = n as i64;
                            let _ = write!(inhoud, "<td>{n} ({})</td>", procent(n, p.uitgenodigd));
                        }
                        None => {
                            let _ = write!(inhoud, "<td>{n}</td>");
                        }
                    }
                }
                let _ = writeln!(
                    inhoud,
                    "<td>{}</td></tr>",
                    if p.codes > 0 {
                        format!("{} ({})", p.codes, p.codes_gebruikt)
                    } else {
                        "–".into()
                    }
                );
            }
            inhoud.push_str("</tbody>\n</table>\n</div>\n");
            let _ = writeln!(
                inhoud,
                "<p><a href=\"{}\">Resultaten van {titel} bekijken en vergelijken</a> · <a href=\"{}\">Open antwoorden lezen</a></p>",
                o.url(&format!("/beheer/resultaten/{id}")),
                o.url(&format!("/beheer/open-antwoorden/{id}")),
            );
        }
        if let Some(open) = eigen.iter().find(|p| p.open) {
            let naam = esc(&open.naam);
            let _ = writeln!(
                inhoud,
                "<p>Periode {naam} is open. Antwoorden invoeren: <a href=\"{}\">van een papieren formulier</a> of <a href=\"{}\">uit een gesprek</a>.</p>",
                o.url(&format!("/beheer/invoer/{id}/papier")),
                o.url(&format!("/beheer/invoer/{id}/mondeling")),
            );
            if open.codes == 0 {
                let _ = writeln!(
                    inhoud,
                    "<p><strong>Let op:</strong> periode {naam} heeft geen codes. Eén persoon kan dus meer dan eens antwoorden (telkens met een nieuw formulier). Wil je dat vermijden, maak dan codes en deel de brieven uit.</p>"
                );
            }
            let _ = write!(
                inhoud,
                r#"<details class="beheer-details">
<summary>Een toestel op school als kiosk gebruiken</summary>
<p>Op een kiosk (bijvoorbeeld een tablet op de oudercontactavond) antwoorden ouders na elkaar, zonder code; de antwoorden tellen als "op school". Druk op de knop <strong>op dat toestel zelf</strong>: het toont dan tot het einde van de dag het kioskformulier, en jij wordt er meteen afgemeld. Zonder deze stap toont het kioskadres gewoon het formulier voor thuis.</p>
<form method="post" action="{actie}" class="beheer-actie">{token}<input type="hidden" name="vragenlijst" value="{id}"><button type="submit">Dit toestel als kiosk voor {titel} gebruiken</button></form>
</details>
"#,
                actie = o.url("/beheer/kiosk"),
                token = token(a),
            );
            if beheer {
                let _ = writeln!(
                    inhoud,
                    "<form method=\"post\" action=\"{}\" class=\"beheer-actie\">{}<input type=\"hidden\" name=\"vragenlijst\" value=\"{id}\"><input type=\"hidden\" name=\"periode\" value=\"{naam}\"><button type=\"submit\">Periode {naam} sluiten</button></form>",
                    o.url("/beheer/periode/sluit"),
                    token(a),
                );
            }
        }
        if beheer {
            let _ = write!(
                inhoud,
                r#"<details class="beheer-details">
<summary>Een periode openen</summary>
<form method="post" action="{actie}" class="beheer-formulier">{token}
<input type="hidden" name="vragenlijst" value="{id}">
<p class="beheer-veld"><label for="periode-{id}">Naam van de periode</label>
<span class="enquete-hint" id="periode-hint-{id}">Bijvoorbeeld 2025-2026. Een gesloten periode met dezelfde naam gaat weer open.</span>
<input type="text" id="periode-{id}" name="periode" aria-describedby="periode-hint-{id}" required></p>
<p class="beheer-veld"><label for="uitgenodigd-{id}">Aantal uitgenodigden <span class="enquete-optioneel">(niet verplicht)</span></label>
<input type="text" inputmode="numeric" id="uitgenodigd-{id}" name="uitgenodigd"></p>
<p><button type="submit">Periode openen</button></p>
</form>
</details>
"#,
                actie = o.url("/beheer/periode/open"),
                token = token(a),
            );
            if !eigen.is_empty() {
                let _ = write!(
                    inhoud,
                    r#"<details class="beheer-details">
<summary>Codes en brieven maken</summary>
<p>Met codes kan iedereen maar één keer antwoorden. Je krijgt een HTML-bestand met één brief per code: open het in een browser en druk af. Deel de brieven willekeurig uit, nooit op naam.</p>
<form method="post" action="{actie}" class="beheer-formulier">{token}
<input type="hidden" name="vragenlijst" value="{id}">
<p class="beheer-veld"><label for="codes-periode-{id}">Periode</label>
<select id="codes-periode-{id}" name="periode">"#,
                    actie = o.url("/beheer/codes"),
                    token = token(a),
                );
                for p in &eigen {
                    let _ = write!(inhoud, "<option>{}</option>", esc(&p.naam));
                }
                let _ = write!(
                    inhoud,
                    r#"</select></p>
<p class="beheer-veld"><label for="codes-aantal-{id}">Aantal codes</label>
<input type="text" inputmode="numeric" id="codes-aantal-{id}" name="aantal" required></p>
<p><button type="submit">Codes en brieven maken</button></p>
</form>
</details>
"#
                );
            }
        }
        inhoud.push_str("</section>\n");
    }
    if beheer {
        let _ = write!(
            inhoud,
            r#"<section class="beheer-lijst" aria-labelledby="kiosken">
<h2 id="kiosken">Kiosken</h2>
<p>Stopt meteen elk toestel dat als kiosk werkt (bijvoorbeeld als een tablet zoek is). Ze tonen dan weer het gewone formulier; wie een toestel opnieuw als kiosk wil, zet het opnieuw aan.</p>
<form method="post" action="{}" class="beheer-actie">{}<button type="submit">Alle kiosken stoppen</button></form>
</section>
"#,
            o.url("/beheer/kiosk/stop-alle"),
            token(a),
        );
    }
    kader(o, a, "/beheer/", "Dashboard", &inhoud)
}

pub fn gebruikers(
    o: &Opmaak,
    a: &Aangemeld,
    lijst: &[Gebruiker],
    log: &[AuditRegel],
    invoer: &[InvoerTelling],
) -> String {
    let mut inhoud = String::from(
        "<h1>Gebruikers</h1>\n<p>Wie de rol <strong>beheer</strong> heeft, opent en sluit periodes, maakt codes en beheert gebruikers. Wie de rol <strong>zorgteam</strong> heeft, leest de resultaten en voert antwoorden op papier in.</p>\n",
    );
    inhoud.push_str("<div class=\"beheer-tabel\" role=\"region\" aria-labelledby=\"tabel-gebruikers\" tabindex=\"0\">\n<table>\n<caption id=\"tabel-gebruikers\">Alle gebruikers</caption>\n<thead><tr><th scope=\"col\">Naam</th><th scope=\"col\">Rol</th><th scope=\"col\">Verwijderen</th></tr></thead>\n<tbody>\n");
    for g in lijst {
        let naam = esc(&g.naam);
        let _ = writeln!(
            inhoud,
            "<tr><th scope=\"row\">{naam}</th><td>{}</td><td><form method=\"post\" action=\"{}\">{}<input type=\"hidden\" name=\"naam\" value=\"{naam}\"><button type=\"submit\">{naam} verwijderen</button></form></td></tr>",
            g.rol.id(),
            o.url("/beheer/gebruikers/verwijder"),
            token(a),
        );
    }
    inhoud.push_str("</tbody>\n</table>\n</div>\n");
    let _ = write!(
        inhoud,
        r#"<h2>Een gebruiker toevoegen</h2>
<form method="post" action="{maak}" class="beheer-formulier">{token}
<p class="beheer-veld"><label for="nieuw-naam">Gebruikersnaam</label>
<span class="enquete-hint" id="nieuw-naam-hint">Kleine letters, cijfers, punten of koppeltekens, bijvoorbeeld an.peeters.</span>
<input type="text" id="nieuw-naam" name="naam" aria-describedby="nieuw-naam-hint" autocomplete="off" autocapitalize="none" spellcheck="false" required></p>
<fieldset class="beheer-veld"><legend>Rol</legend>
"#,
        maak = o.url("/beheer/gebruikers/maak"),
        token = token(a),
    );
    for (i, rol) in Rol::ALLE.into_iter().rev().enumerate() {
        let checked = if i == 0 { " checked" } else { "" };
        let _ = writeln!(
            inhoud,
            "<p><input type=\"radio\" id=\"rol-{r}\" name=\"rol\" value=\"{r}\"{checked}> <label for=\"rol-{r}\">{}</label></p>",
            rol.uitleg(),
            r = rol.id()
        );
    }
    let _ = write!(
        inhoud,
        r#"</fieldset>
<p class="beheer-veld"><label for="nieuw-wachtwoord">Wachtwoord</label>
<span class="enquete-hint" id="nieuw-wachtwoord-hint">Minstens 10 tekens. Geef het persoonlijk door, niet per mail.</span>
<input type="password" id="nieuw-wachtwoord" name="wachtwoord" aria-describedby="nieuw-wachtwoord-hint" autocomplete="new-password" required></p>
<p><button type="submit">Gebruiker toevoegen</button></p>
</form>
<h2>Een nieuw wachtwoord geven</h2>
<p>De persoon wordt dan overal afgemeld.</p>
<form method="post" action="{actie}" class="beheer-formulier">{token}
<p class="beheer-veld"><label for="ww-naam">Gebruiker</label>
<select id="ww-naam" name="naam">"#,
        actie = o.url("/beheer/gebruikers/wachtwoord"),
        token = token(a),
    );
    for g in lijst {
        let _ = write!(inhoud, "<option>{}</option>", esc(&g.naam));
    }
    inhoud.push_str(
        r#"</select></p>
<p class="beheer-veld"><label for="ww-wachtwoord">Nieuw wachtwoord</label>
<input type="password" id="ww-wachtwoord" name="wachtwoord" autocomplete="new-password" required></p>
<p><button type="submit">Wachtwoord instellen</button></p>
</form>
<h2>Logboek</h2>
<p>Wie zich aanmeldde (of het probeerde) en wie wat deed of downloadde. Het logboek gaat over medewerkers, nooit over wie antwoordde.</p>
"#,
    );
    if log.is_empty() {
        inhoud.push_str("<p>Nog niets.</p>\n");
    } else {
        inhoud.push_str("<div class=\"beheer-tabel\" role=\"region\" aria-labelledby=\"tabel-log\" tabindex=\"0\">\n<table>\n<caption id=\"tabel-log\">De laatste gebeurtenissen</caption>\n<thead><tr><th scope=\"col\">Tijd</th><th scope=\"col\">Wie</th><th scope=\"col\">Wat</th><th scope=\"col\">Details</th></tr></thead>\n<tbody>\n");
        for r in log {
            let _ = writeln!(
                inhoud,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                tijdstip(r.tijd),
                esc(&r.gebruiker),
                esc(&r.gebeurtenis),
                esc(&r.detail)
            );
        }
        inhoud.push_str("</tbody>\n</table>\n</div>\n");
    }
    inhoud.push_str("<h2>Ingevoerde antwoorden</h2>\n<p>Hoeveel antwoorden elke medewerker zelf invoerde, van een papieren formulier of uit een gesprek. We bewaren alleen het aantal: niet wanneer, en niet welk antwoord. Komen de antwoorden van een periode grotendeels van één medewerker, vraag dan hoe dat kwam.</p>\n");
    if invoer.is_empty() {
        inhoud.push_str("<p>Nog niemand voerde antwoorden in.</p>\n");
    } else {
        inhoud.push_str("<div class=\"beheer-tabel\" role=\"region\" aria-labelledby=\"tabel-invoer\" tabindex=\"0\">\n<table>\n<caption id=\"tabel-invoer\">Ingevoerde antwoorden per medewerker</caption>\n<thead><tr><th scope=\"col\">Bevraging</th><th scope=\"col\">Periode</th><th scope=\"col\">Wie</th><th scope=\"col\">Hoe</th><th scope=\"col\">Aantal</th></tr></thead>\n<tbody>\n");
        for t in invoer {
            let _ = writeln!(
                inhoud,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&t.vragenlijst),
                esc(&t.periode),
                esc(&t.gebruiker),
                kanaal_kop(t.kanaal),
                t.aantal
            );
        }
        inhoud.push_str("</tbody>\n</table>\n</div>\n");
    }
    kader(o, a, "/beheer/gebruikers", "Gebruikers", &inhoud)
}
