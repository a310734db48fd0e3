//! `zorgsite build`: the site built in memory, then written to the output folder in one swap.

use std::path::Path;
use std::time::Instant;

use super::error::{CliError, fouten};
use crate::diagnostics::report;
use crate::site::{BuildOptions, build};

pub fn run(options: &BuildOptions, output: &Path) -> Result<(), CliError> {
    let started = Instant::now();
    let site = build(options).map_err(|errors| {
        CliError::content(errors, |count| {
            format!(
                "De site is niet gebouwd: {count} {}. {} bleef ongewijzigd.",
                fouten(count),
                output.display()
            )
        })
    })?;
    let built_at = started.elapsed();
    report(&site.warnings);
    site.write_to(output).map_err(|error| CliError::Write {
        path: output.to_path_buf(),
        error,
    })?;
    // Where a build spends its time, for `bench/alles.sh` and profiling.
    if std::env::var_os("ZORGSITE_TIJDEN").is_some() {
        eprintln!(
            "tijden: bouwen {:.1} ms, wegschrijven {:.1} ms",
            built_at.as_secs_f64() * 1e3,
            (started.elapsed() - built_at).as_secs_f64() * 1e3
        );
    }
    println!(
        "Klaar: {} pagina's, {} bestanden in {} ({} ms).",
        site.html_pages().len(),
        site.files.len(),
        output.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
