//! `zorgsite`: build, check or preview the school's care site. All work happens in the library
//! (`zorgsite::cmd`); this file parses the arguments and prints a failure once.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zorgsite::cmd::{self, CliError};
use zorgsite::site::BuildOptions;

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
        /// Schrijf naast elk tekstbestand ook een gecomprimeerde versie (.br en .gz), voor een
        /// webserver die die zelf kiest (Caddy: `file_server { precompressed br gzip }`).
        #[arg(long)]
        precompress: bool,
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
        /// De poster in deze taal (bv. ar); zonder: de standaardtaal van de site.
        #[arg(long)]
        taal: Option<String>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            error.print();
            ExitCode::from(error.exit_code())
        }
    }
}

fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Build {
            dirs,
            output,
            base_url,
            precompress,
        } => {
            let mut options = dirs.options();
            options.base_url = base_url;
            cmd::build::run(&options, &output, precompress)
        }
        Command::Serve { dirs, port } => cmd::serve::serve(dirs.options(), port),
        Command::Check { dirs } => cmd::check::run(&dirs.options()),
        Command::Poster { dirs, pdf, taal } => {
            let printed = cmd::poster_pdf::write_pdf(&dirs.options(), &pdf, taal.as_deref())?;
            println!(
                "Klaar: de poster ({}) staat in {} ({} kB, gemaakt met {}).",
                printed.page,
                pdf.display(),
                printed.bytes.div_ceil(1024),
                printed.browser.display()
            );
            Ok(())
        }
    }
}
