//! The `zorgenquete` command: see `zorgenquete --help` and `cli.rs`.

/// mimalloc, as in the service (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    zorgenquete::cli::main()
}
