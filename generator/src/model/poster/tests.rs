//! One test per validation error: the Dutch message and the line it points at.

use super::validate::{Bronnen, budget, parse};
use crate::diagnostics::{Diagnostic, Source};
use crate::model::rollen::Rollen;

const ROLLEN: &str = r##"
[[rol]]
id = "klasleerkracht"
naam = "Klasleerkracht"
wat = "De juf of meester van je kind."
bereik = "Aan de klasdeur."
kleur = "#1f6f8b"
pictogram = "leerkracht"

[[rol]]
id = "zorgcoordinator"
naam = "Zorgcoördinator"
persoon = "Juf Anouk"
wat = "Houdt het overzicht over alle hulp op school. Praat met ouders, met het CLB en met andere hulp van buiten."
bereik = "Maak een afspraak."
contact = "zorg@example.be"
kleur = "#6a3d9a"
pictogram = "zorg"
"##;

/// A valid poster; tests break one thing in it. Line numbers are noted where tests use them.
const GOOD: &str = r#"titel = "Samen zorg dragen"
ondertitel = "Zo zorgen we samen voor elk kind."

[zorg]
inleiding = "Elk kind krijgt zorg."

[[zorg.fase]]
nummer = 0
naam = "Brede basiszorg"
wat = ["Uitleg op verschillende manieren.", "We volgen elk kind op."]

[[zorg.fase]]
nummer = 1
naam = "Verhoogde zorg"
wat = ["Extra oefening."]

[[zorg.fase]]
nummer = 2
naam = "Uitbreiding van zorg"
wat = ["Het CLB kijkt mee."]

[[zorg.fase]]
nummer = 3
naam = "Een eigen leerplan"
wat = ["Eigen doelen."]

[samen]
[[samen.rol]]
id = "klasleerkracht"

[[samen.rol]]
id = "zorgcoordinator"
taak = "Houdt het overzicht."

[[ster]]
tekst = "Elk kind heeft een praatmoment."

[[sleutel]]
tekst = "Kortere brieven."
bron = { vragenlijst = "ouders", item = "zorg-info-duidelijk" }
"#;

fn rollen() -> Rollen {
    Rollen::parse(&Source::new("rollen.toml", ROLLEN)).unwrap()
}

fn bronnen() -> Bronnen {
    let mut v = Bronnen::default();
    v.lijsten.insert(
        "ouders".to_string(),
        Some(vec![(
            "zorg-info-duidelijk".to_string(),
            "De brieven zijn duidelijk.".to_string(),
        )]),
    );
    v
}

fn errors(text: &str) -> Vec<Diagnostic> {
    parse(
        &Source::new("content/data/poster.toml", text),
        &rollen(),
        &bronnen(),
    )
    .expect_err("the poster should not validate")
}

/// The only error for `text`: its message, hint and line.
fn only_error(text: &str) -> Diagnostic {
    let mut errors = errors(text);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.remove(0)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

fn replace(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    GOOD.replacen(from, to, 1)
}

#[test]
fn the_good_poster_validates_and_resolves_roles() {
    let view = parse(&Source::new("poster.toml", GOOD), &rollen(), &bronnen()).unwrap();
    assert_eq!(view.titel, "Samen zorg dragen");
    assert_eq!(
        view.zorg.fasen.iter().map(|f| f.nummer).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    assert_eq!(view.zorg.fasen[0].pictogram, "team");
    assert_eq!(view.zorg.titel.tekst, "ZORG op onze school");
    assert_eq!(view.samen.titel.tekst, "Dat doen we SAMEN");
    let zoco = &view.samen.rollen[1];
    assert_eq!(zoco.naam, "Zorgcoördinator");
    assert_eq!(zoco.taak, "Houdt het overzicht.");
    assert_eq!(zoco.bereik, "Maak een afspraak.");
    assert_eq!(zoco.contact_href.as_deref(), Some("mailto:zorg@example.be"));
    assert_eq!(view.samen.rollen[0].taak, "De juf of meester van je kind.");
    let bron = view.sleutels[0].bron.as_ref().unwrap();
    assert_eq!(bron.vraag.as_deref(), Some("De brieven zijn duidelijk."));
    assert_eq!(bron.wie, "ouders");
}

#[test]
fn phases_may_come_in_any_order_and_are_shown_0_to_3() {
    let text = replace("nummer = 0", "nummer = 9").replacen("nummer = 3", "nummer = 0", 1);
    let text = text.replacen("nummer = 9", "nummer = 3", 1);
    let view = parse(&Source::new("p.toml", text), &rollen(), &bronnen()).unwrap();
    assert_eq!(view.zorg.fasen[0].naam, "Een eigen leerplan");
    assert_eq!(view.zorg.fasen[3].naam, "Brede basiszorg");
}

#[test]
fn missing_phase_points_at_the_zorg_panel() {
    let text = replace(
        "[[zorg.fase]]\nnummer = 2\nnaam = \"Uitbreiding van zorg\"\nwat = [\"Het CLB kijkt mee.\"]\n",
        "",
    );
    let e = only_error(&text);
    assert_eq!(
        e.message,
        "fase 2 ontbreekt in het paneel ‘ZORG op onze school’"
    );
    assert_eq!((e.line, e.col), (line_of(&text, "[zorg]"), 1));
    assert!(
        e.hint.as_deref().unwrap().contains("nummer = 2"),
        "{:?}",
        e.hint
    );
    assert!(
        e.to_string()
            .starts_with("content/data/poster.toml:4:1: fout: fase 2 ontbreekt")
    );
}

#[test]
fn doubled_phase_points_at_the_second_one() {
    let text = replace("nummer = 3", "nummer = 1");
    let errors = errors(&text);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].message, "fase 1 staat er twee keer in");
    assert_eq!((errors[0].line, errors[0].col), (23, 10));
    assert_eq!(text.lines().nth(22), Some("nummer = 1"));
    assert_eq!(
        errors[1].message,
        "fase 3 ontbreekt in het paneel ‘ZORG op onze school’"
    );
}

#[test]
fn phase_number_out_of_range() {
    let text = replace("nummer = 3", "nummer = 4");
    let errors = errors(&text);
    assert_eq!(errors[0].message, "fase 4 bestaat niet");
    assert_eq!(errors[0].line, line_of(&text, "nummer = 4"));
    assert!(errors[0].hint.as_deref().unwrap().contains("0, 1, 2 of 3"));
}

#[test]
fn empty_zorg_panel() {
    let start = GOOD.find("[[zorg.fase]]").unwrap();
    let end = GOOD.find("[samen]").unwrap();
    let text = format!("{}{}", &GOOD[..start], &GOOD[end..]);
    let e = only_error(&text);
    assert_eq!(
        e.message,
        "het paneel ‘ZORG op onze school’ is leeg: er staan geen fasen in"
    );
    assert_eq!(e.line, 4);
}

#[test]
fn phase_without_text() {
    let text = replace("wat = [\"Extra oefening.\"]", "wat = []");
    let e = only_error(&text);
    assert_eq!(e.message, "fase 1 heeft geen tekst: `wat` is leeg");
    assert_eq!((e.line, e.col), (line_of(&text, "wat = []"), 7));
}

#[test]
fn empty_samen_panel() {
    let start = GOOD.find("[[samen.rol]]").unwrap();
    let end = GOOD.find("[[ster]]").unwrap();
    let text = format!("{}{}", &GOOD[..start], &GOOD[end..]);
    let e = only_error(&text);
    assert_eq!(
        e.message,
        "het paneel ‘Dat doen we SAMEN’ is leeg: er staan geen mensen of groepen in"
    );
    assert_eq!(e.line, line_of(&text, "[samen]"));
    assert!(e.hint.as_deref().unwrap().contains("[[samen.rol]]"));
}

#[test]
fn unknown_role_suggests_the_closest() {
    let text = replace("id = \"zorgcoordinator\"", "id = \"zorgcordinator\"");
    let e = only_error(&text);
    assert_eq!(e.message, "onbekende rol `zorgcordinator`");
    assert_eq!(e.hint.as_deref(), Some("bedoel je `zorgcoordinator`?"));
    assert_eq!((e.line, e.col), (line_of(&text, "zorgcordinator"), 6));
}

#[test]
fn doubled_role() {
    let text = replace("id = \"zorgcoordinator\"", "id = \"klasleerkracht\"");
    let e = only_error(&text);
    assert_eq!(e.message, "de rol `klasleerkracht` staat er twee keer in");
    assert_eq!(e.line, 32);
    assert_eq!(
        line_of(&text, "klasleerkracht"),
        29,
        "the first one is not the one reported"
    );
}

#[test]
fn too_long_phase_point_says_by_how_much() {
    let long = "a".repeat(budget::FASE_PUNT + 7);
    let text = replace("\"Extra oefening.\"", &format!("\"{long}\""));
    let e = only_error(&text);
    assert_eq!(
        e.message,
        format!(
            "dit punt van fase 1 is 7 tekens te lang voor de poster ({} tekens, er is plaats voor {})",
            budget::FASE_PUNT + 7,
            budget::FASE_PUNT
        )
    );
    assert_eq!((e.line, e.col), (line_of(&text, "aaaa"), 8));
    assert!(e.hint.as_deref().unwrap().contains("korter"));
}

#[test]
fn too_much_text_in_one_phase_together() {
    let point = format!("\"{}\"", "b".repeat(budget::FASE_PUNT));
    let points = vec![point; budget::FASE_TOTAAL / budget::FASE_PUNT + 1].join(", ");
    let text = replace("[\"Extra oefening.\"]", &format!("[{points}]"));
    let e = only_error(&text);
    let total = budget::FASE_PUNT * (budget::FASE_TOTAAL / budget::FASE_PUNT + 1);
    assert_eq!(
        e.message,
        format!(
            "de tekst van fase 1 (alle punten samen) is {} tekens te lang voor de poster \
             ({total} tekens, er is plaats voor {})",
            total - budget::FASE_TOTAAL,
            budget::FASE_TOTAAL
        )
    );
    assert_eq!(e.line, line_of(&text, "bbbb"));
}

#[test]
fn too_many_points_in_a_phase() {
    let points = ["\"Kort.\""; budget::FASE_PUNTEN + 1].join(", ");
    let text = replace("[\"Extra oefening.\"]", &format!("[{points}]"));
    let e = only_error(&text);
    assert_eq!(
        e.message,
        format!(
            "te veel punten in fase 1: er is plaats voor {} (er staan er {})",
            budget::FASE_PUNTEN,
            budget::FASE_PUNTEN + 1
        )
    );
    assert_eq!(e.line, line_of(&text, "Kort."));
}

#[test]
fn role_text_from_rollen_too_long_points_at_the_poster() {
    // zorgcoordinator's `wat` in rollen.toml is longer than the poster's budget.
    let text = replace("taak = \"Houdt het overzicht.\"\n", "");
    let e = only_error(&text);
    assert!(
        e.message
            .starts_with("`wat` van de rol `zorgcoordinator` (uit data/rollen.toml) is "),
        "{}",
        e.message
    );
    assert!(e.message.contains("tekens te lang voor de poster"));
    assert_eq!(e.line, line_of(&text, "id = \"zorgcoordinator\""));
    assert!(e.hint.as_deref().unwrap().contains("taak = \"…\""));
}

#[test]
fn too_long_star_and_key() {
    let text = replace(
        "\"Elk kind heeft een praatmoment.\"",
        &format!("\"{}\"", "s".repeat(budget::STER + 1)),
    );
    let e = only_error(&text);
    assert!(
        e.message
            .starts_with("de tekst van deze ster is 1 teken te lang voor de poster"),
        "{}",
        e.message
    );
    assert_eq!(e.line, line_of(&text, "ssss"));

    let text = replace(
        "\"Kortere brieven.\"",
        &format!("\"{}\"", "k".repeat(budget::SLEUTEL + 3)),
    );
    let e = only_error(&text);
    assert!(
        e.message
            .starts_with("de tekst van deze sleutel is 3 tekens te lang voor de poster"),
        "{}",
        e.message
    );
    assert_eq!(e.line, line_of(&text, "kkkk"));
}

#[test]
fn no_stars_and_no_keys() {
    let start = GOOD.find("[[ster]]").unwrap();
    let end = GOOD.find("[[sleutel]]").unwrap();
    let text = format!("{}{}", &GOOD[..start], &GOOD[end..]);
    let e = only_error(&text);
    assert_eq!(e.message, "er staan geen sterren op de poster");
    assert_eq!(e.line, text.trim_end().lines().count());

    let text = &GOOD[..GOOD.find("[[sleutel]]").unwrap()];
    let e = only_error(text);
    assert_eq!(e.message, "er staan geen sleutels op de poster");
    assert_eq!(e.line, line_of(text, "tekst = \"Elk kind"));
}

#[test]
fn too_many_stars() {
    let extra = "[[ster]]\ntekst = \"Nog een ster.\"\n\n".repeat(budget::STERREN);
    let text = replace("[[sleutel]]", &format!("{extra}[[sleutel]]"));
    let e = only_error(&text);
    assert_eq!(
        e.message,
        format!(
            "te veel sterren: er is plaats voor {} (er staan er {})",
            budget::STERREN,
            budget::STERREN + 1
        )
    );
    // The sixth star: the first five fit.
    let sixth = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("tekst = \"Nog een ster"))
        .nth(budget::STERREN - 1)
        .unwrap()
        .0
        + 1;
    assert_eq!(e.line, sixth);
}

#[test]
fn empty_text() {
    let text = replace("naam = \"Verhoogde zorg\"", "naam = \"  \"");
    let e = only_error(&text);
    assert_eq!(e.message, "de naam van de fase is leeg");
    assert_eq!(e.line, line_of(&text, "naam = \"  \""));
}

#[test]
fn unknown_questionnaire_and_item() {
    let text = replace("vragenlijst = \"ouders\"", "vragenlijst = \"ouder\"");
    let e = only_error(&text);
    assert_eq!(e.message, "de vragenlijst `ouder` bestaat niet");
    assert_eq!(e.hint.as_deref(), Some("bedoel je `ouders`?"));
    assert_eq!((e.line, e.col), (line_of(&text, "bron ="), 24));

    let text = replace(
        "item = \"zorg-info-duidelijk\"",
        "item = \"zorg-info-duidelik\"",
    );
    let e = only_error(&text);
    assert_eq!(
        e.message,
        "de vragenlijst `ouders` heeft geen vraag `zorg-info-duidelik`"
    );
    assert_eq!(e.hint.as_deref(), Some("bedoel je `zorg-info-duidelijk`?"));
    assert_eq!(e.line, line_of(&text, "bron ="));
}

#[test]
fn bron_shape_only_without_questionnaires() {
    let text = replace("item = \"zorg-info-duidelijk\"", "item = \"iets-anders\"");
    let view = parse(&Source::new("p.toml", text), &rollen(), &Bronnen::default()).unwrap();
    let bron = view.sleutels[0].bron.as_ref().unwrap();
    assert_eq!(
        (bron.item.as_str(), bron.vraag.as_deref()),
        ("iets-anders", None)
    );

    let text = replace("item = \"zorg-info-duidelijk\"", "item = \"Vraag 3\"");
    let errors = parse(
        &Source::new("p.toml", text.as_str()),
        &rollen(),
        &Bronnen::default(),
    )
    .unwrap_err();
    assert_eq!(errors[0].message, "ongeldige id van een vraag `Vraag 3`");
    assert_eq!(errors[0].line, line_of(&text, "bron ="));
}

#[test]
fn bron_with_unknown_field_is_a_located_toml_error() {
    let text = replace(
        "item = \"zorg-info-duidelijk\"",
        "vraag = \"zorg-info-duidelijk\"",
    );
    let e = only_error(&text);
    assert_eq!(e.message, "onbekend veld `vraag`");
    assert_eq!(e.line, line_of(&text, "bron ="));
}

#[test]
fn typo_in_a_field_name() {
    let text = replace("naam = \"Verhoogde zorg\"", "nam = \"Verhoogde zorg\"");
    let e = only_error(&text);
    assert_eq!(e.message, "onbekend veld `nam`");
    assert_eq!(e.hint.as_deref(), Some("bedoel je `naam`?"));
    assert_eq!(e.line, 14);
}

#[test]
fn several_problems_are_reported_together() {
    let text = replace("id = \"zorgcoordinator\"", "id = \"bakker\"").replacen(
        "nummer = 3",
        "nummer = 2",
        1,
    );
    let errors = errors(&text);
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "fase 2 staat er twee keer in",
            "fase 3 ontbreekt in het paneel ‘ZORG op onze school’",
            "onbekende rol `bakker`"
        ]
    );
    assert!(
        errors[2]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("kies een rol uit data/rollen.toml: klasleerkracht, zorgcoordinator")
    );
}

#[test]
fn too_many_roles() {
    let extra: String = (0..budget::ROLLEN)
        .map(|i| {
            let id = if i % 2 == 0 {
                "klasleerkracht"
            } else {
                "zorgcoordinator"
            };
            format!("[[samen.rol]]\nid = \"{id}\"\ntaak = \"Kort.\"\n\n")
        })
        .collect();
    let text = replace("[[ster]]", &format!("{extra}[[ster]]"));
    let errors = errors(&text);
    assert_eq!(
        errors[0].message,
        format!(
            "te veel rollen in het paneel ‘Dat doen we SAMEN’: er is plaats voor {} (er staan er {})",
            budget::ROLLEN,
            budget::ROLLEN + 2
        )
    );
    // The first role that does not fit.
    let first_extra = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("id = "))
        .nth(budget::ROLLEN)
        .unwrap()
        .0
        + 1;
    assert_eq!(errors[0].line, first_extra);
}

#[test]
fn too_many_keys() {
    let extra = "[[sleutel]]\ntekst = \"Nog een sleutel.\"\n\n".repeat(budget::SLEUTELS);
    let text = format!("{GOOD}\n{extra}");
    let e = only_error(&text);
    assert_eq!(
        e.message,
        format!(
            "te veel sleutels: er is plaats voor {} (er staan er {})",
            budget::SLEUTELS,
            budget::SLEUTELS + 1
        )
    );
    assert_eq!(e.line, text.trim_end().lines().count());
}

#[test]
fn bad_pictogram_name() {
    let text = replace(
        "naam = \"Verhoogde zorg\"",
        "naam = \"Verhoogde zorg\"\npictogram = \"Leerkracht.svg\"",
    );
    let e = only_error(&text);
    assert_eq!(
        e.message,
        "ongeldige naam van een pictogram `Leerkracht.svg`"
    );
    assert_eq!(e.line, line_of(&text, "pictogram ="));
    assert!(e.hint.as_deref().unwrap().contains("site/static/icons/"));
}

#[test]
fn empty_optional_text() {
    let text = replace("inleiding = \"Elk kind krijgt zorg.\"", "inleiding = \"\"");
    let e = only_error(&text);
    assert_eq!(e.message, "de inleiding is leeg");
    assert_eq!(
        e.hint.as_deref(),
        Some("schrijf een tekst, of laat de hele regel weg")
    );
    assert_eq!(e.line, 5);
}
