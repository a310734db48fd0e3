//! Layer 2, rendering: turns the model into HTML and template values, in memory.
//!
//! - [`markdown`]: Markdown to HTML (comrak), heading anchors, `@/` links; [`glossary`]: the
//!   first use of a glossary term explained;
//! - [`templates`]: the Tera setup with Zola's functions (`get_url`, `get_page`, `trans`, …) and
//!   the theme's components; [`context`]: the values a page or section template sees;
//! - [`stappenplan`]: flowchart layout, SVG and text version; [`grafiek`]: result charts (SVG);
//!   [`resultaten`]: the results page's values; the poster's values come validated from
//!   [`crate::model::poster`]; [`html`]: the one escaper for HTML written in Rust.
//!
//! Uses the model below; never the site build, output or commands above.

pub mod context;
pub mod glossary;
pub mod grafiek;
pub mod html;
pub mod inline;
pub mod markdown;
pub mod resultaten;
pub mod stappenplan;
pub mod templates;
