//! Logging to stderr with nothing personal in it.
//!
//! No timestamps (the service manager adds them if wanted; our lines never describe a single
//! submission at info level), no peer addresses, headers or query strings: see
//! `web::log_verzoek`. The level comes from `ZORGENQUETE_LOG` (error, warn, info, debug).

use tracing::level_filters::LevelFilter;

pub fn init() {
    let niveau = match std::env::var("ZORGENQUETE_LOG").as_deref() {
        Ok("error") => LevelFilter::ERROR,
        Ok("warn") => LevelFilter::WARN,
        Ok("debug") => LevelFilter::DEBUG,
        Ok("trace") => LevelFilter::TRACE,
        _ => LevelFilter::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .without_time()
        .with_target(false)
        .with_ansi(false)
        .with_max_level(niveau)
        .with_writer(std::io::stderr)
        .try_init();
}
