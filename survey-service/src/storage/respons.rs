//! Response counts per period and channel, for the dashboard's overview (counts only, no
//! answers; the report itself lives in `rapport`).

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::{OpslagFout, aantal};
use crate::domain::Kanaal;
use crate::domain::vrijgave::{Aantal, MinimumGroep};

/// (questionnaire, period) → channel → number of responses.
pub type PerKanaal = BTreeMap<(String, String), BTreeMap<Kanaal, Aantal>>;

/// Live counts per channel; a channel below the minimum group (0 included) reads "minder dan
/// 5", so the one answer given in a conversation is not pointed out.
pub fn per_kanaal(conn: &Connection, minimum: MinimumGroep) -> Result<PerKanaal, OpslagFout> {
    let mut stmt = conn.prepare_cached(
        "SELECT vragenlijst, periode, kanaal, count(*) FROM inzending GROUP BY 1, 2, 3",
    )?;
    let mut uit = PerKanaal::new();
    let rijen = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for rij in rijen {
        let (lijst, periode, kanaal, n) = rij?;
        if let Some(k) = Kanaal::parse(&kanaal) {
            uit.entry((lijst, periode))
                .or_insert_with(|| {
                    Kanaal::ALLE
                        .iter()
                        .map(|k| (*k, Aantal::van(0, minimum)))
                        .collect()
                })
                .insert(k, Aantal::van(aantal(n), minimum));
        }
    }
    Ok(uit)
}
