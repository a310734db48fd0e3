//! Why a `zorgsite` command failed, as one type that `main` prints once (exit code 1; usage
//! errors are clap's, exit code 2).

use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, report};

use super::poster_pdf::PdfError;

#[derive(Debug)]
pub enum CliError {
    /// Located problems in the school's files, then one closing line (see [`CliError::content`]).
    Content {
        errors: Vec<Diagnostic>,
        closing: String,
    },
    /// `zorgsite check` found errors: the findings and the summary line.
    Check(Vec<Diagnostic>),
    /// A file or folder could not be written.
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The poster PDF could not be made (its own Dutch message; build errors come as `Content`).
    Pdf(PdfError),
    /// Anything else: one Dutch sentence, shown as `fout: …`.
    Message(String),
}

impl CliError {
    /// Prints the error to stderr (the check summary to stdout, as on success).
    pub fn print(&self) {
        match self {
            CliError::Content { errors, closing } => {
                report(errors);
                eprintln!("{closing}");
            }
            CliError::Check(findings) => print_check(findings),
            other => eprintln!("{other}"),
        }
    }

    /// Located problems and the closing line, written from the number of errors among them.
    pub fn content(errors: Vec<Diagnostic>, closing: impl FnOnce(usize) -> String) -> CliError {
        let count = errors.iter().filter(|d| d.is_error()).count();
        CliError::Content {
            closing: closing(count),
            errors,
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        1
    }
}

/// "fout" or "fouten", after a number.
pub fn fouten(count: usize) -> &'static str {
    if count == 1 { "fout" } else { "fouten" }
}

/// The findings of `zorgsite check` and its summary line.
pub fn print_check(findings: &[Diagnostic]) {
    let errors = report(findings);
    let warnings = findings.len() - errors;
    println!("Controle klaar: {errors} fouten, {warnings} waarschuwingen.");
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Content { closing, .. } => write!(f, "{closing}"),
            CliError::Check(findings) => {
                let errors = findings.iter().filter(|d| d.is_error()).count();
                write!(f, "de controle vond {errors} {}", fouten(errors))
            }
            CliError::Write { path, error } => write!(
                f,
                "{}: fout: kan de site niet wegschrijven ({error}) — controleer of de map schrijfbaar is en er genoeg schijfruimte is",
                path.display()
            ),
            CliError::Pdf(error) => write!(f, "{error}"),
            CliError::Message(message) => write!(f, "fout: {message}"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<PdfError> for CliError {
    fn from(error: PdfError) -> Self {
        match error {
            PdfError::Build(errors) => CliError::content(errors, |count| {
                format!("De poster is niet gemaakt: {count} {}.", fouten(count))
            }),
            other => CliError::Pdf(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closing_line_counts_errors_only() {
        let errors = vec![
            Diagnostic::error("a.md", "kapot"),
            Diagnostic::warning("b.md", "let op"),
        ];
        let e = CliError::content(errors, |n| {
            format!("De site is niet gebouwd: {n} {}.", fouten(n))
        });
        assert_eq!(e.to_string(), "De site is niet gebouwd: 1 fout.");
        assert_eq!(e.exit_code(), 1);
        let e = CliError::from(PdfError::Build(vec![Diagnostic::error("p.toml", "x"); 2]));
        assert_eq!(e.to_string(), "De poster is niet gemaakt: 2 fouten.");
        let e = CliError::Write {
            path: "public".into(),
            error: std::io::Error::other("vol"),
        };
        assert!(
            e.to_string()
                .starts_with("public: fout: kan de site niet wegschrijven (vol)")
        );
        assert_eq!(CliError::Message("x".into()).to_string(), "fout: x");
    }
}
