//! What a benchmark run records besides timings: the machine it ran on,
//! the data folder's size, the process's memory, and percentiles.

use hindsight::startup::{DB_FILE, INDEX_DIR};
use std::fmt::Write as _;
use std::path::Path;

/// Disk and memory at one moment.
pub(crate) struct Snapshot {
    pub(crate) index_bytes: u64,
    pub(crate) segments: usize,
    pub(crate) db_bytes: u64,
    pub(crate) rss_kb: u64,
    pub(crate) hwm_kb: u64,
}

impl Snapshot {
    pub(crate) fn take(data: &Path) -> Snapshot {
        let index = data.join(INDEX_DIR);
        let (rss_kb, hwm_kb) = memory();
        let db_bytes = ["", "-wal", "-shm"]
            .iter()
            .filter_map(|suffix| std::fs::metadata(data.join(format!("{DB_FILE}{suffix}"))).ok())
            .map(|m| m.len())
            .sum();
        Snapshot {
            index_bytes: dir_size(&index),
            segments: segments(&index),
            db_bytes,
            rss_kb,
            hwm_kb,
        }
    }
}

/// VmRSS and VmHWM of this process, in kB (0 where /proc is missing).
pub(crate) fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

pub(crate) fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Segments in the index's last commit (tantivy's meta.json).
pub(crate) fn segments(index: &Path) -> usize {
    std::fs::read_to_string(index.join("meta.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["segments"].as_array().map(Vec::len))
        .unwrap_or(0)
}

/// CPUs, CPU model and memory, for the report's header.
pub(crate) fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    format!(
        "Machine: {cpus} CPUs ({model}), {mem_gib:.1} GiB RAM; release build: {}; load average at start: {}",
        if cfg!(debug_assertions) { "no" } else { "yes" },
        load_average()
    )
}

/// The 1, 5 and 15 minute load averages: other work on the machine skews
/// every figure here.
pub(crate) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

pub(crate) fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[rank.min(v.len() - 1)]
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// One markdown table row of request timings: count, p50, p99 and max.
pub fn timing_row(w: &mut String, what: &str, times: &[f64]) {
    use std::fmt::Write as _;
    let _ = writeln!(
        w,
        "| {what} | {} | {:.1} | {:.1} | {:.1} |",
        times.len(),
        percentile(times, 0.5),
        percentile(times, 0.99),
        percentile(times, 1.0),
    );
}
