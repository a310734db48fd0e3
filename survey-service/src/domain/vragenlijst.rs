//! Questionnaires (`content/enquetes/<id>.toml` and their `<id>.<taal>.toml` translations):
//! parsed and validated once, by the content model the site generator shares
//! ([`zorgsite::model::vragenlijst`]), so the site and the service can never read one file two
//! ways. Service-only logic, such as reading a submitted form against a questionnaire, lives in
//! [`crate::domain::antwoord`].

pub use zorgsite::model::vragenlijst::*;
