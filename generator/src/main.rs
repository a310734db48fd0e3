//! `zorgsite`: build, check or preview the school's care site. All work happens in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zorgsite::cmd::check;
use zorgsite::diagnostics::report;
use zorgsite::site::{BuildOptions, build};

/// Maakt de zorgwebsite van de school uit content/ (tekst) en site/ (vormgeving).
#[derive(Parser)]
#[command(name = "zorgsite", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct Dirs {
    /// Map met config.toml, de pagina's en data/.
    #[arg(long, default_value = "content")]
    root: PathBuf,
    /// Map met de vormgeving (templates/ en static/).
    #[arg(long, default_value = "site")]
    theme: PathBuf,
}

impl Dirs {
    fn options(&self) -> BuildOptions {
        BuildOptions::new(&self.root, &self.theme)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Bouw de site in de map public/ (die pas vervangen wordt als alles gelukt is).
    Build {
        #[command(flatten)]
        dirs: Dirs,
        /// Waar de site komt.
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// Een ander base_url dan in config.toml (bv. voor een testserver).
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Bekijk de site op je eigen computer; ze wordt vernieuwd zodra je een bestand bewaart.
    Serve {
        #[command(flatten)]
        dirs: Dirs,
        #[arg(long, default_value_t = 1111)]
        port: u16,
    },
    /// Controleer links, afbeeldingen, titels en leesbaarheid zonder iets te schrijven.
    Check {
        #[command(flatten)]
        dirs: Dirs,
    },
    /// Maak de poster "Samen zorg dragen" als PDF op A3 (met Chromium, Chrome of Edge).
    Poster {
        #[command(flatten)]
        dirs: Dirs,
        /// Waar de PDF komt, bv. poster.pdf.
        #[arg(long)]
        pdf: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dirs,
            output,
            base_url,
        } => {
            let mut options = dirs.options();
            options.base_url = base_url;
            let started = std::time::Instant::now();
            let built = build(&options);
            let built_at = started.elapsed();
            match built {
                Ok(site) => {
                    report(&site.warnings);
                    if let Err(e) = site.write_to(&output) {
                        eprintln!(
                            "{}: fout: kan de site niet wegschrijven ({e}) — controleer of de map schrijfbaar is en er genoeg schijfruimte is",
                            output.display()
                        );
                        return ExitCode::FAILURE;
                    }
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
                    ExitCode::SUCCESS
                }
                Err(errors) => {
                    let count = report(&errors);
                    eprintln!(
                        "De site is niet gebouwd: {count} {}. {} bleef ongewijzigd.",
                        if count == 1 { "fout" } else { "fouten" },
                        output.display()
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { dirs, port } => match zorgsite::cmd::serve::serve(dirs.options(), port) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("fout: {message}");
                ExitCode::FAILURE
            }
        },
        Command::Poster { dirs, pdf } => {
            match zorgsite::cmd::poster_pdf::write_pdf(&dirs.options(), &pdf) {
                Ok(printed) => {
                    println!(
                        "Klaar: de poster ({}) staat in {} ({} kB, gemaakt met {}).",
                        printed.page,
                        pdf.display(),
                        printed.bytes.div_ceil(1024),
                        printed.browser.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(zorgsite::cmd::poster_pdf::PdfError::Build(errors)) => {
                    let count = report(&errors);
                    eprintln!(
                        "De poster is niet gemaakt: {count} {}.",
                        if count == 1 { "fout" } else { "fouten" }
                    );
                    ExitCode::FAILURE
                }
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { dirs } => {
            let diagnostics = check::check(&dirs.options());
            let errors = report(&diagnostics);
            let warnings = diagnostics.len() - errors;
            println!("Controle klaar: {errors} fouten, {warnings} waarschuwingen.");
            if errors > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
