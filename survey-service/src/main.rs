//! The `zorgenquete` command: see `zorgenquete --help` and `cli.rs`.

/// mimalloc, as in the service (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options are set by the loader, before Rust's runtime allocates anything: the
/// first allocation makes the arena with the commit setting of that moment, so a call at the
/// top of `main` is too late (measured: 542 MB instead of 438 MB with 50 schools; see
/// `allocator`).
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CONFIGURE_ALLOCATOR: extern "C" fn() = {
    extern "C" fn configure() {
        zorgenquete::allocator::configure();
    }
    configure
};

fn main() -> std::process::ExitCode {
    #[cfg(not(target_os = "linux"))]
    zorgenquete::allocator::configure();
    zorgenquete::cli::main()
}
