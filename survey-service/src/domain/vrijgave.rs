//! The release rules: when the answers of a period may be seen at all, and how small a group may
//! be shown. Storage applies [`mag_vrijgeven`] when a period closes; reports and exports read
//! only periods whose state is [`Vrijgave::Vrijgegeven`] and hide every smaller group with
//! [`MinimumGroep`] and [`Cel`].
//!
//! **Why only closed periods.** While a period is open, every new response changes the numbers.
//! Someone who looks before and after one parent answered (at the kiosk, after a conversation)
//! would see exactly that parent's answers as the difference. So nothing of a period's answers
//! is shown while it is open; counts of responses stay live (they tell nothing about answers).
//!
//! **Re-opening.** A closed period whose results were shown may be opened again. Its results
//! are then shown again only once at least the minimum group of responses more than at the last
//! release has come in, so no two states that anyone could see differ by fewer than that many
//! responses. A release at which fewer than [`MinimumGroep::STANDAARD`] responses existed
//! showed nothing (every cell is hidden under any legal minimum), so it does not hold back the
//! next one.

/// The smallest group whose results may be shown: 5 by default, configurable upwards only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MinimumGroep(u32);

impl MinimumGroep {
    /// The legal floor and the default.
    pub const STANDAARD: MinimumGroep = MinimumGroep(5);

    /// Refuses anything below 5.
    pub fn nieuw(n: u32) -> Result<MinimumGroep, String> {
        if n < Self::STANDAARD.0 {
            Err(format!(
                "minimum_groep is {n}, maar mag nooit kleiner zijn dan {}: zo blijft niemand herkenbaar",
                Self::STANDAARD.0
            ))
        } else {
            Ok(MinimumGroep(n))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Whether a group of `n` may be shown.
    pub fn toont(self, n: u64) -> bool {
        n >= u64::from(self.0)
    }

    /// Shows `waarde` only when `n` reaches the minimum.
    pub fn cel<T>(self, n: u64, waarde: impl FnOnce() -> T) -> Cel<T> {
        if self.toont(n) {
            Cel::Zichtbaar(waarde())
        } else {
            Cel::Verborgen
        }
    }
}

impl Default for MinimumGroep {
    fn default() -> Self {
        Self::STANDAARD
    }
}

/// A result that is either shown, or hidden because too few people answered. A hidden cell
/// holds nothing: not even how many answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Cel<T> {
    Verborgen,
    Zichtbaar(T),
}

impl<T> Cel<T> {
    pub fn zichtbaar(&self) -> Option<&T> {
        match self {
            Cel::Zichtbaar(t) => Some(t),
            Cel::Verborgen => None,
        }
    }

    pub fn is_verborgen(&self) -> bool {
        matches!(self, Cel::Verborgen)
    }
}

/// A live count of responses as the dashboard may show it: exact from the minimum group up,
/// otherwise only "minder dan 5" (also for 0, so the first answer of a channel does not stand
/// out either).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aantal {
    Precies(u64),
    MinderDan(u32),
}

impl Aantal {
    pub fn van(n: u64, minimum: MinimumGroep) -> Aantal {
        if minimum.toont(n) {
            Aantal::Precies(n)
        } else {
            Aantal::MinderDan(minimum.get())
        }
    }

    pub fn precies(self) -> Option<u64> {
        match self {
            Aantal::Precies(n) => Some(n),
            Aantal::MinderDan(_) => None,
        }
    }
}

impl std::fmt::Display for Aantal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Aantal::Precies(n) => write!(f, "{n}"),
            Aantal::MinderDan(m) => write!(f, "minder dan {m}"),
        }
    }
}

/// Whether the answers of a period may be seen. Deliberately without numbers: it is part of
/// every report, and a report must not change when one response comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vrijgave {
    /// Closed, and its answers are the ones released at the last close.
    Vrijgegeven,
    /// Open: results after it closes.
    NogOpen,
    /// Closed again after a re-opening, with fewer new responses than the minimum group since
    /// the last release: hidden until more come in (open it again to collect them).
    WachtOpMeer,
}

impl Vrijgave {
    /// The state of a period: `open`, its `antwoorden` now, and `vrijgegeven`, the number of
    /// responses at its last release.
    pub fn van(open: bool, antwoorden: u64, vrijgegeven: Option<u64>) -> Vrijgave {
        match (open, vrijgegeven) {
            (true, _) => Vrijgave::NogOpen,
            (false, Some(r)) if r == antwoorden => Vrijgave::Vrijgegeven,
            (false, _) => Vrijgave::WachtOpMeer,
        }
    }

    /// The short Dutch sentence in files and on the command line (the dashboard's texts are
    /// `beheer.vrijgave.*` in `content/teksten/nl.toml`).
    pub fn tekst(self) -> &'static str {
        match self {
            Vrijgave::Vrijgegeven => "vrijgegeven",
            Vrijgave::NogOpen => NOG_OPEN,
            Vrijgave::WachtOpMeer => WACHT_OP_MEER,
        }
    }
}

/// Shown for a period that is still open.
pub const NOG_OPEN: &str = "nog open: resultaten na het sluiten";
/// Shown for a period closed again with too few new responses since its results were shown.
pub const WACHT_OP_MEER: &str =
    "heropend: resultaten pas als er genoeg nieuwe antwoorden zijn sinds de vorige keer";

/// Whether closing a period with `antwoorden` responses releases its answers, given the count
/// at its previous release (`None`: never released).
pub fn mag_vrijgeven(vorige: Option<u64>, antwoorden: u64, minimum: MinimumGroep) -> bool {
    match vorige {
        None => true,
        // Nothing of a release below the legal floor could ever be seen.
        Some(r) if r < u64::from(MinimumGroep::STANDAARD.get()) => true,
        Some(r) => antwoorden >= r + u64::from(minimum.get()),
    }
}

/// How many more responses a period needs before its next close releases it (0: it will be
/// released at the next close, or already is).
pub fn nog_nodig(vorige: Option<u64>, antwoorden: u64, minimum: MinimumGroep) -> u64 {
    if mag_vrijgeven(vorige, antwoorden, minimum) {
        return 0;
    }
    let r = vorige.unwrap_or(0);
    (r + u64::from(minimum.get())).saturating_sub(antwoorden)
}

/// The name a merged channel gets in the raw export.
pub const OVERIG: &str = "overig";

/// Which channels of a period are merged into [`OVERIG`] in the raw export, given the number of
/// responses per channel: every channel with fewer than the minimum group; and while the merged
/// group itself is still smaller than that (one answer "in een gesprek" and nothing else small),
/// the smallest other channels too. So every channel name in the export stands for at least the
/// minimum group, and `overig` too (when the period reaches it).
pub fn samen_te_voegen<const N: usize>(aantallen: &[u64; N], minimum: MinimumGroep) -> [bool; N] {
    let mut samen = [false; N];
    let mut som = 0;
    for (k, &n) in aantallen.iter().enumerate() {
        if n > 0 && !minimum.toont(n) {
            samen[k] = true;
            som += n;
        }
    }
    while som > 0 && !minimum.toont(som) {
        let kleinste = (0..N)
            .filter(|&k| !samen[k] && aantallen[k] > 0)
            .min_by_key(|&k| aantallen[k]);
        let Some(k) = kleinste else { break };
        samen[k] = true;
        som += aantallen[k];
    }
    samen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_is_never_below_five() {
        assert!(MinimumGroep::nieuw(4).is_err());
        assert_eq!(MinimumGroep::nieuw(8).unwrap().get(), 8);
        assert_eq!(MinimumGroep::default().get(), 5);
        assert_eq!(MinimumGroep::STANDAARD.cel(4, || 1), Cel::Verborgen);
        assert_eq!(MinimumGroep::STANDAARD.cel(5, || 1), Cel::Zichtbaar(1));
    }

    #[test]
    fn a_period_is_released_only_when_closed_at_its_released_count() {
        assert_eq!(Vrijgave::van(true, 10, Some(10)), Vrijgave::NogOpen);
        assert_eq!(Vrijgave::van(false, 10, Some(10)), Vrijgave::Vrijgegeven);
        assert_eq!(Vrijgave::van(false, 12, Some(10)), Vrijgave::WachtOpMeer);
        assert_eq!(Vrijgave::van(false, 3, None), Vrijgave::WachtOpMeer);
    }

    #[test]
    fn a_reopened_period_needs_the_minimum_group_of_new_responses() {
        let min = MinimumGroep::STANDAARD;
        assert!(mag_vrijgeven(None, 1, min));
        assert!(mag_vrijgeven(Some(3), 4, min), "3 showed nothing");
        assert!(!mag_vrijgeven(Some(10), 14, min));
        assert!(mag_vrijgeven(Some(10), 15, min));
        assert_eq!(nog_nodig(Some(10), 12, min), 3);
        assert_eq!(nog_nodig(Some(10), 15, min), 0);
        assert_eq!(nog_nodig(None, 0, min), 0);
        let acht = MinimumGroep::nieuw(8).unwrap();
        assert!(!mag_vrijgeven(Some(10), 17, acht));
        assert_eq!(nog_nodig(Some(10), 17, acht), 1);
    }

    #[test]
    fn small_channels_are_merged_until_the_merged_group_is_large_enough() {
        let min = MinimumGroep::STANDAARD;
        assert_eq!(samen_te_voegen(&[20, 6, 0, 0], min), [false; 4]);
        assert_eq!(
            samen_te_voegen(&[20, 6, 3, 2], min),
            [false, false, true, true]
        );
        // One answer in a conversation: the smallest large channel joins it.
        assert_eq!(
            samen_te_voegen(&[20, 6, 0, 1], min),
            [false, true, false, true]
        );
        // Everything small: all merged.
        assert_eq!(samen_te_voegen(&[1, 1, 1, 1], min), [true; 4]);
        assert_eq!(
            samen_te_voegen(&[9, 0, 0, 4], min),
            [true, false, false, true]
        );
    }
}
