//! Staff entry of paper and oral answers, audited as counts: who typed in how many answers of
//! which channel for which period. The writer bumps a count in the same transaction as the
//! answer it stores (`schrijver`); nothing ties a count to a response, and no time is kept, so
//! the log cannot date a paper form or a conversation.
//!
//! Why: a staff member could type in answers of their own, for example four paper forms in a
//! period with one real answer, so that it reaches the minimum group and that one parent's
//! answers show. The counts make that visible to `beheer` on the users page: a period whose
//! responses come mostly from one person's typing deserves a question.

use rusqlite::Connection;

use super::OpslagFout;
use crate::domain::Kanaal;

/// How many answers of one channel one staff member typed in for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoerTelling {
    pub gebruiker: String,
    pub vragenlijst: String,
    pub periode: String,
    pub kanaal: Kanaal,
    pub aantal: u64,
}

/// Every count, by questionnaire, period, staff member and channel.
pub fn tellingen(conn: &Connection) -> Result<Vec<InvoerTelling>, OpslagFout> {
    let mut stmt = conn.prepare_cached(
        "SELECT gebruiker, vragenlijst, periode, kanaal, aantal FROM invoer
         ORDER BY vragenlijst, periode, gebruiker, kanaal",
    )?;
    let rijen = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut uit = Vec::new();
    for rij in rijen {
        let (gebruiker, vragenlijst, periode, kanaal, aantal) = rij?;
        if let Some(kanaal) = Kanaal::parse(&kanaal) {
            uit.push(InvoerTelling {
                gebruiker,
                vragenlijst,
                periode,
                kanaal,
                aantal: super::aantal(aantal),
            });
        }
    }
    Ok(uit)
}
