//! mimalloc's settings for the service (the allocator itself is chosen in `main.rs`).
//!
//! With its defaults, mimalloc keeps memory that was freed at start-up: every school's site is
//! built and compressed on worker threads, and what those threads freed stays committed (and
//! resident) until the same thread allocates again more than a second later (`purge_delay`,
//! 1000 ms in mimalloc 3), which an idle worker never does; and its arenas are committed
//! eagerly on Linux, so a purge only marks pages reusable instead of giving them back. With
//! 50 schools that was about 300 MB of the 720 MB resident (issue 17, `bench/geheugen.sh`).
//! Purging at once and committing on demand give freed memory back to the kernel.

/// `mi_option_arena_eager_commit` in mimalloc 3's `mi_option_e` (not named by the Rust binding).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (not named by the Rust binding).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets mimalloc's options; call first thing in `main`, before anything allocates (the first
/// allocation makes the arena, with the commit setting of that moment). Allocates nothing.
pub fn configure() {
    // SAFETY: sets two of mimalloc's integer options; no pointers involved.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}
