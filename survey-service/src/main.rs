//! The `zorgenquete` command: see `zorgenquete --help` and `cli.rs`.

fn main() -> std::process::ExitCode {
    zorgenquete::cli::main()
}
