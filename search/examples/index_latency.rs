//! Search latency on an existing index folder, for tuning the query path
//! without rebuilding the server: opens the index read-only, runs each query
//! of a file (one per line; lines starting with `/` are taken as search URLs
//! and their `q` parameter is decoded) the way the search page asks (a page
//! of 10, 3 patterns), and prints p50, p90 and p99. `INDEX_LATENCY_HIDE=N`
//! searches as someone who may not see N of the postmortems.
//!
//! ```sh
//! hindsight-bench bench --docs 10000 --keep /tmp/bench   # writes the index and a query file
//! cargo run --release -p kb-search --example index_latency -- \
//!     /tmp/bench/index /tmp/bench/bench-alert-queries.txt
//! ```

use std::path::PathBuf;
use std::time::Instant;

use kb_search::{Mode, SearchIndex, SearchRequest};

/// The server's allocator, so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), Some(queries)) = (args.next(), args.next()) else {
        eprintln!("usage: index_latency INDEX_DIR QUERY_FILE");
        std::process::exit(2);
    };
    let index = SearchIndex::open(&PathBuf::from(dir), Mode::ReadOnly)?.index;
    let queries: Vec<String> = std::fs::read_to_string(queries)?
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| match line.strip_prefix('/') {
            Some(url) => query_param(url),
            None => line.to_string(),
        })
        .collect();
    // INDEX_LATENCY_HIDE=N searches as a caller who may not see N
    // postmortems (ids 1000, 2000, ...: the synthetic folders number them
    // from 1), to time what hiding private postmortems costs.
    let hide: u32 = std::env::var("INDEX_LATENCY_HIDE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let exclude: Vec<i64> = (1..=hide).map(|k| i64::from(k) * 1000).collect();
    let run = |text: &str| {
        index.search_with(&SearchRequest {
            patterns: 3,
            exclude: &exclude,
            ..SearchRequest::new(text, 10)
        })
    };
    for query in &queries {
        run(query)?;
    }
    let mut took = Vec::with_capacity(queries.len());
    for query in &queries {
        let started = Instant::now();
        run(query)?;
        took.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    took.sort_by(f64::total_cmp);
    let at = |p: f64| took[((took.len() - 1) as f64 * p).round() as usize];
    println!(
        "{} documents, {} queries: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        index.num_docs(),
        took.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
    Ok(())
}

/// The percent-decoded `q` parameter of a search URL.
fn query_param(url: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("q="))
        .unwrap_or("");
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
