//! What people paste into the search box: alert blocks and log pastes.

use super::*;

/// One synthetic search, with the failure mode it was made from.
#[derive(Debug, Clone)]
pub struct Query {
    /// [`Mode::key`] of the failure it describes.
    pub mode: &'static str,
    /// What is pasted into the search box.
    pub text: String,
}

pub(super) fn query_ctx(r: &mut Rng) -> (usize, Ctx, i64) {
    let mode_ix = r.below(vocab().modes.len());
    let day = r.range(first_day(), last_day());
    let start = day * 86_400 + r.range(0, 86_399);
    let mut c = Ctx::new(r, start);
    c.what = c.any(vocab().modes[mode_ix].what, r);
    (mode_ix, c, start * 1000 + r.range(0, 999))
}

/// `n` alert blocks of about 500 characters: an alert as it fired, and a
/// couple of log lines under it.
pub fn alert_blocks(seed: u64, n: usize) -> Vec<Query> {
    let mut r = Rng::new(seed ^ 0xA1E7);
    (0..n)
        .map(|_| {
            let (ix, c, at) = query_ctx(&mut r);
            let m = &vocab().modes[ix];
            let alert = r.pick(m.alerts);
            let mut text = alert_text(m, alert, &c, &mut r, at);
            let lines = r.range(1, 2) as usize;
            let style = r.pick(STYLES);
            let pid = r.range(300, 99_999);
            let mut t = at;
            for _ in 0..lines {
                t += r.range(5, 900);
                let line = r.pick(m.logs);
                text.push('\n');
                text.push_str(&log_line(style, &c, &mut r, t, c.svc, pid, line));
            }
            Query { mode: m.key, text }
        })
        .collect()
}

/// `n` pastes of 50 log lines: a few distinct errors of one failure mode
/// repeated with new timestamps and ids, routine noise, one unrelated error.
pub fn log_pastes(seed: u64, n: usize) -> Vec<Query> {
    let mut r = Rng::new(seed ^ 0x1065);
    (0..n)
        .map(|_| {
            let (ix, c, at) = query_ctx(&mut r);
            let m = &vocab().modes[ix];
            let distinct = r.range(2, 3) as usize;
            let errors = r.some(m.logs, distinct);
            let noise = r.some(vocab().noise_logs, 3);
            let other = r.pick(vocab().other_errors);
            let style = r.pick(STYLES);
            let pid = r.range(300, 99_999);
            let mut t = at;
            let mut lines = Vec::with_capacity(50);
            for _ in 0..50 {
                t += r.range(1, 400);
                let roll = r.below(100);
                let line = if roll < 55 {
                    r.pick(&errors)
                } else if roll < 95 {
                    r.pick(&noise)
                } else {
                    other
                };
                lines.push(log_line(style, &c, &mut r, t, c.svc, pid, line));
            }
            Query {
                mode: m.key,
                text: lines.join("\n"),
            }
        })
        .collect()
}
