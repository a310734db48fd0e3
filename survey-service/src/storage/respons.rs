//! Response counts per period and channel, for the dashboard's overview (counts only, no
//! answers; the report itself lives in `rapport`).

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::OpslagFout;
use crate::domain::Kanaal;

/// (questionnaire, period) → channel → number of responses.
pub type PerKanaal = BTreeMap<(String, String), BTreeMap<Kanaal, i64>>;

pub fn per_kanaal(conn: &Connection) -> Result<PerKanaal, OpslagFout> {
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
            uit.entry((lijst, periode)).or_default().insert(k, n);
        }
    }
    Ok(uit)
}
