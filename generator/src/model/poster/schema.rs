//! The file format of `data/poster.toml`, exactly as written (with positions for errors).
//!
//! ```toml
//! titel = "Samen zorg dragen"                  # optional, this is the default
//! ondertitel = "Zo zorgen we samen voor elk kind."
//! schooljaar = "2025-2026"                     # optional
//!
//! [zorg]                                       # panel "ZORG op onze school"
//! inleiding = "…"                              # optional
//!
//! [[zorg.fase]]                                # four times: nummer 0, 1, 2 and 3
//! nummer = 0
//! naam = "Brede basiszorg"
//! kort = "Voor elk kind"                       # optional
//! pictogram = "team"                           # optional, an icon from site/static/icons/
//! wat = ["…", "…"]                             # what the school does in this phase
//!
//! [samen]                                      # panel "Dat doen we SAMEN"
//! [[samen.rol]]
//! id = "klasleerkracht"                        # a role from data/rollen.toml
//! taak = "…"                                   # optional: shorter than `wat` in rollen.toml
//! bereik = "…"                                 # optional: shorter than `bereik` there
//!
//! [[ster]]                                     # what our care is strong in (1–5)
//! tekst = "…"
//!
//! [[sleutel]]                                  # what we will work on (1–5)
//! tekst = "…"
//! waarom = "…"                                 # optional
//! bron = { vragenlijst = "ouders", item = "zorg-info-duidelijk" }   # optional
//! ```

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPoster {
    #[serde(default)]
    pub titel: Option<Spanned<String>>,
    #[serde(default)]
    pub ondertitel: Option<Spanned<String>>,
    #[serde(default)]
    pub schooljaar: Option<Spanned<String>>,
    pub zorg: RawZorg,
    pub samen: RawSamen,
    #[serde(default)]
    pub ster: Vec<RawSter>,
    #[serde(default)]
    pub sleutel: Vec<RawSleutel>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawZorg {
    #[serde(default)]
    pub titel: Option<Spanned<String>>,
    #[serde(default)]
    pub inleiding: Option<Spanned<String>>,
    #[serde(default)]
    pub fase: Vec<RawFase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFase {
    pub nummer: Spanned<i64>,
    pub naam: Spanned<String>,
    #[serde(default)]
    pub kort: Option<Spanned<String>>,
    #[serde(default)]
    pub pictogram: Option<Spanned<String>>,
    pub wat: Spanned<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSamen {
    #[serde(default)]
    pub titel: Option<Spanned<String>>,
    #[serde(default)]
    pub inleiding: Option<Spanned<String>>,
    #[serde(default)]
    pub rol: Vec<RawWie>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWie {
    pub id: Spanned<String>,
    #[serde(default)]
    pub taak: Option<Spanned<String>>,
    #[serde(default)]
    pub bereik: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSter {
    pub tekst: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSleutel {
    pub tekst: Spanned<String>,
    #[serde(default)]
    pub waarom: Option<Spanned<String>>,
    #[serde(default)]
    pub bron: Option<RawBron>,
}

/// The survey item that motivated a key: `bron = { vragenlijst = "ouders", item = "…" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBron {
    pub vragenlijst: Spanned<String>,
    pub item: Spanned<String>,
}
