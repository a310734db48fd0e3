//! `zorgsite build`: the site built in memory, then written to the output folder in one swap.
//! With `--precompress`, every text file also gets its `.br` and `.gz` beside it (made in
//! parallel after the build; off by default so a plain build stays as fast).

use std::path::Path;
use std::time::Instant;

use super::error::{CliError, fouten};
use crate::diagnostics::report;
use crate::site::{BuildOptions, build};

pub fn run(options: &BuildOptions, output: &Path, precompress: bool) -> Result<(), CliError> {
    let started = Instant::now();
    let mut site = build(options).map_err(|errors| {
        CliError::content(errors, |count| {
            format!(
                "De site is niet gebouwd: {count} {}. {} bleef ongewijzigd.",
                fouten(count),
                output.display()
            )
        })
    })?;
    let pages = site.html_pages().len();
    let files = site.files.len();
    if precompress {
        site.add_precompressed();
    }
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
    let compressed = if precompress {
        format!(", plus {} gecomprimeerd", site.files.len() - files)
    } else {
        String::new()
    };
    println!(
        "Klaar: {pages} pagina's, {files} bestanden{compressed} in {} ({} ms).",
        output.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
