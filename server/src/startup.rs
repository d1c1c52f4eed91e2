//! Opening a data folder: the database first (the source of truth), then the
//! index, which is brought up to date from the database before anything
//! else happens.

use anyhow::{bail, Context};
use app::service::indexer::Indexer;
use app::service::Services;
use kb_db::Store;
use std::path::Path;
use std::sync::Arc;

/// Name of the SQLite file inside the data folder.
pub const DB_FILE: &str = "hindsight.db";
/// Name of the index folder inside the data folder.
pub const INDEX_DIR: &str = "index";

/// Opens (creating on first use) the database and index of `data_dir`.
pub async fn open(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<Services> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data folder {}", data_dir.display()))?;
    let store = match database_url {
        None => Store::open_file(&data_dir.join(DB_FILE)).await?,
        Some(url) if kb_db::Engine::of_url(url).is_some() => Store::open_url(url).await?,
        Some(url) => {
            let scheme = url.split(':').next().unwrap_or_default();
            bail!("DATABASE_URL uses {scheme:?}; Hindsight runs on sqlite: and postgres: URLs")
        }
    };
    let indexer = Indexer::open(store.clone(), &data_dir.join(INDEX_DIR))
        .await
        .context("cannot open the search index")?;
    Ok(Services {
        accounts: app::service::accounts::Accounts::new(store.clone()),
        store,
        indexer: Arc::new(indexer),
        tracker_url: None,
        public_url: None,
        chat_deadline: app::service::chat::CHAT_DEADLINE,
        insight_facts: Default::default(),
    })
}
