//! The `meldcode` binary: parses the command line and hands over to the library.

use clap::Parser;

/// mimalloc instead of the system allocator: a page allocates many small strings (rows, JSON,
/// HTML), and glibc's malloc took an eighth of the server's time in the benchmark's profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = meldcode::cli::Cli::parse();
    match meldcode::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One clear line, in Dutch, for whoever typed the command.
            eprintln!("meldcode: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
