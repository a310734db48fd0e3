//! Random valid flows, as TOML text, for the property tests and the benchmark
//! (`benches/stappenplan.rs` includes this file by path).

/// Role ids of the example school, used by generated flows.
pub const ROLE_IDS: [&str; 12] = [
    "klasleerkracht",
    "zorgleerkracht",
    "zorgcoordinator",
    "zorgteam",
    "directie",
    "clb",
    "ondersteuner",
    "brugfiguur",
    "ouderraad",
    "leerlingenraad",
    "ouder",
    "leerling",
];

/// A `rollen.toml` with every id of [`ROLE_IDS`], in varied colours (light ones too).
pub fn rollen_toml() -> String {
    let colours = [
        "#1f6f8b", "#2e7d32", "#6a3d9a", "#1a3a5c", "#455a64", "#ffd700", "#00bcd4", "#b3261e",
        "#f4a6c1", "#8fd14f", "#b0245a", "#8a4600",
    ];
    let names = [
        "Klasleerkracht",
        "Zorgleerkracht",
        "Zorgcoördinator",
        "Zorgteam",
        "Directeur",
        "CLB",
        "Ondersteuner",
        "Brugfiguur",
        "Ouderraad",
        "Leerlingenraad",
        "Jij, de ouder",
        "Je kind",
    ];
    let mut text = String::new();
    for ((id, naam), kleur) in ROLE_IDS.iter().zip(names).zip(colours) {
        text.push_str(&format!(
            "[[rol]]\nid = \"{id}\"\nnaam = \"{naam}\"\nwat = \"Wat {naam} doet.\"\nbereik = \"Zo bereik je {naam}.\"\nkleur = \"{kleur}\"\npictogram = \"{id}\"\n\n"
        ));
    }
    text
}

/// A small deterministic random generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const WORDS: [&str; 24] = [
    "bespreek",
    "de",
    "zorg",
    "met",
    "ouders",
    "leerling",
    "klas",
    "afspraak",
    "maak",
    "een",
    "gesprek",
    "kijk",
    "samen",
    "wat",
    "helpt",
    "zorgleerkracht",
    "ondersteuningsnetwerk",
    "verslag",
    "plan",
    "school",
    "week",
    "volgende",
    "evaluatie",
    "thuis",
];

fn sentence(rng: &mut Rng) -> String {
    let count = 2 + rng.below(12);
    let mut words: Vec<&str> = (0..count).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    words[0] = ["Bespreek", "Maak", "Kijk", "Plan", "Is"][rng.below(5)];
    format!("{}.", words.join(" "))
}

/// A valid flow of `n` steps (at least 2): a random tree from the start, ends at its leaves,
/// plus extra decision exits anywhere (loops back, shortcuts, merges). Steps appear in the
/// file in random order.
pub fn random_flow_toml(n: usize, seed: u64) -> String {
    let n = n.max(2);
    let mut rng = Rng::new(seed);
    // The start has exactly one child (step 1); later steps hang under any earlier step but 0.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    children[0].push(1);
    for j in 2..n {
        children[1 + rng.below(j - 1)].push(j);
    }
    let mut blocks: Vec<String> = Vec::with_capacity(n);
    for (i, kids) in children.iter().enumerate() {
        let mut exits: Vec<usize> = kids.clone();
        let kind = if i == 0 {
            "start"
        } else if exits.len() >= 2 {
            "beslissing"
        } else if exits.len() == 1 {
            if rng.chance(35) {
                "beslissing"
            } else {
                "actie"
            }
        } else if i == n - 1 || rng.chance(60) {
            "einde"
        } else {
            // A leaf that goes on to a later step: every step still reaches an end.
            exits.push(i + 1 + rng.below(n - i - 1));
            "actie"
        };
        if kind == "beslissing" && exits.len() < 2 {
            exits.push(rng.below(n));
        }
        let wie = ROLE_IDS[rng.below(ROLE_IDS.len())];
        let mut block = format!(
            "[[stap]]\nid = \"s{i}\"\nsoort = \"{kind}\"\ntekst = \"{}\"\nwie = \"{wie}\"\n",
            sentence(&mut rng)
        );
        if rng.chance(30) {
            block.push_str("wanneer = \"Binnen de week.\"\n");
        }
        match (kind, exits.len()) {
            ("einde", _) => {}
            ("beslissing", 2) => {
                block.push_str(&format!(
                    "ja = \"s{}\"\nnee = \"s{}\"\n",
                    exits[0], exits[1]
                ));
            }
            ("beslissing", _) => {
                let keuzes: Vec<String> = exits
                    .iter()
                    .enumerate()
                    .map(|(k, t)| format!("{{ label = \"optie {}\", naar = \"s{t}\" }}", k + 1))
                    .collect();
                block.push_str(&format!("keuzes = [{}]\n", keuzes.join(", ")));
            }
            _ => block.push_str(&format!("naar = \"s{}\"\n", exits[0])),
        }
        blocks.push(block);
    }
    // Shuffle the file order (Fisher-Yates).
    for k in (1..blocks.len()).rev() {
        let j = rng.below(k + 1);
        blocks.swap(k, j);
    }
    format!(
        "titel = \"Willekeurig stappenplan {seed}\"\nbeschrijving = \"Gegenereerd.\"\n\n{}",
        blocks.join("\n")
    )
}
