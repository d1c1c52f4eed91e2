//! `hindsight`: parses the configuration and hands over to the library.

use clap::Parser;
use hindsight::cli::ExportWhat;
use hindsight::config::{Cli, Command};

/// See the workspace's `Cargo.toml`: searches allocate in tantivy's inner
/// loops, where glibc's allocator cost a tenth of their time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    hindsight::log_to_stderr();
    let mut cli = Cli::parse();
    if cli.command.is_none() {
        // No subcommand means `serve`; parse again as such so its own
        // settings (HINDSIGHT_ADDR, HINDSIGHT_TRACKER_URL) are read too.
        cli = Cli::parse_from(std::env::args_os().chain(["serve".into()]));
    }
    let db = cli.database_url.as_deref();
    let result = match cli.command.unwrap_or(Command::Serve(Default::default())) {
        Command::Serve(args) => hindsight::http::serve_forever(&cli.data_dir, db, args).await,
        Command::Import { path } => hindsight::cli::import(&cli.data_dir, db, &path).await,
        Command::Export {
            id,
            all: _,
            format,
            out,
        } => {
            // clap guarantees exactly one of --id and --all.
            let what = id.map_or(ExportWhat::All, ExportWhat::One);
            hindsight::cli::export(&cli.data_dir, db, what, format, out.as_deref()).await
        }
        Command::Demo => hindsight::cli::demo(&cli.data_dir, db).await,
        Command::Reindex => hindsight::cli::reindex(&cli.data_dir, db).await,
        Command::MigrateData { from, to } => hindsight::cli::migrate_data(&from, &to).await,
        Command::Search { text, limit, json } => {
            hindsight::cli::search(&cli.data_dir, db, &text, limit, json).await
        }
        Command::User { action } => hindsight::users::run(&cli.data_dir, db, action).await,
        Command::Integration { action } => {
            hindsight::integrations::run(&cli.data_dir, db, action).await
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
