//! Filling templates: the names and numbers one incident is about
//! (`Ctx`), and the log lines and alerts written from them.

use super::*;

/// The names and numbers one incident (or one query) is about: fixed for
/// the whole document, so its sentences agree with each other.
pub(super) struct Ctx {
    pub(super) svc: &'static str,
    pub(super) svc2: &'static str,
    pub(super) dep: &'static str,
    pub(super) infra: &'static str,
    pub(super) cache: &'static str,
    pub(super) team: &'static str,
    pub(super) region: &'static str,
    pub(super) provider: &'static str,
    pub(super) table: &'static str,
    pub(super) topic: &'static str,
    pub(super) flag: &'static str,
    pub(super) action_noun: &'static str,
    pub(super) ver: String,
    pub(super) prev: String,
    pub(super) host: String,
    pub(super) cluster: String,
    pub(super) node: String,
    pub(super) day: String,
    pub(super) weekday: &'static str,
    pub(super) clock: String,
    pub(super) size: i64,
    pub(super) what: String,
}

impl Ctx {
    pub(super) fn new(r: &mut Rng, start: i64) -> Ctx {
        let svc = r.pick(vocab().services);
        let mut svc2 = r.pick(vocab().services);
        while svc2 == svc {
            svc2 = r.pick(vocab().services);
        }
        let region = r.pick(vocab().regions);
        let dep = r.pick(vocab().datastores);
        let major = r.range(1, 9);
        let minor = r.range(0, 40);
        let patch = r.range(1, 12);
        let (h, mi, _) = hms(start);
        Ctx {
            svc,
            svc2,
            dep,
            infra: r.pick(vocab().infra),
            cache: r.pick(vocab().caches),
            team: r.pick(vocab().teams),
            region,
            provider: r.pick(vocab().providers),
            table: r.pick(vocab().tables),
            topic: r.pick(vocab().topics),
            flag: r.pick(vocab().flags),
            action_noun: r.pick(vocab().action_nouns),
            ver: format!("v{major}.{minor}.{patch}"),
            prev: format!("v{major}.{minor}.{}", patch - 1),
            host: format!("{dep}-{}.{region}.internal", r.range(1, 6)),
            cluster: format!(
                "k8s-{region}-{}",
                r.pick(&["prod", "prod-2", "main", "shared"])
            ),
            node: format!(
                "ip-10-{}-{}-{}",
                r.range(0, 31),
                r.range(0, 255),
                r.range(1, 254)
            ),
            day: date_of(start),
            weekday: vocab().weekdays[((start.div_euclid(86_400) + 4).rem_euclid(7)) as usize],
            clock: format!("{h:02}:{mi:02}"),
            size: r.pick(&[20, 32, 50, 64, 100, 128]),
            what: String::new(),
        }
    }

    /// Appends the value of placeholder `key`; numbers and ids are drawn
    /// afresh at each use.
    pub(super) fn put(&self, key: &str, r: &mut Rng, out: &mut String) {
        use std::fmt::Write;
        let _ = match key {
            "svc" => write!(out, "{}", self.svc),
            "svc2" => write!(out, "{}", self.svc2),
            "dep" => write!(out, "{}", self.dep),
            "infra" => write!(out, "{}", self.infra),
            "cache" => write!(out, "{}", self.cache),
            "team" => write!(out, "{}", self.team),
            "region" => write!(out, "{}", self.region),
            "provider" => write!(out, "{}", self.provider),
            "table" => write!(out, "{}", self.table),
            "topic" => write!(out, "{}", self.topic),
            "flag" => write!(out, "{}", self.flag),
            "action_noun" => write!(out, "{}", self.action_noun),
            "ver" => write!(out, "{}", self.ver),
            "prev" => write!(out, "{}", self.prev),
            "host" => write!(out, "{}", self.host),
            "cluster" => write!(out, "{}", self.cluster),
            "node" => write!(out, "{}", self.node),
            "day" => write!(out, "{}", self.day),
            "weekday" => write!(out, "{}", self.weekday),
            "clock" => write!(out, "{}", self.clock),
            "size" => write!(out, "{}", self.size),
            "what" => write!(out, "{}", self.what),
            "n" => write!(out, "{}", r.range(2, 40)),
            "n2" => write!(out, "{}", r.range(40, 900)),
            "big" => write!(out, "{}", r.range(1_000, 999_999)),
            "pct" => write!(out, "{}", r.range(5, 99)),
            "ms" => write!(out, "{}", r.range(120, 30_000)),
            "sec" => write!(out, "{}", r.range(2, 90)),
            "mins" => write!(out, "{}", r.range(4, 240)),
            "gb" => write!(out, "{}", r.range(2, 900)),
            "users" => write!(out, "{}", r.range(2, 400) * 250),
            "requests" => write!(out, "{}", r.range(1_000, 2_000_000)),
            "ip" => write!(
                out,
                "10.{}.{}.{}",
                r.range(0, 31),
                r.range(0, 255),
                r.range(1, 254)
            ),
            "port" => write!(out, "{}", r.range(1_024, 65_000)),
            "pid" => write!(out, "{}", r.range(300, 99_999)),
            "req" => write!(out, "{}", r.hex(12)),
            "uuid" => write!(
                out,
                "{}-{}-4{}-a{}-{}",
                r.hex(8),
                r.hex(4),
                r.hex(3),
                r.hex(3),
                r.hex(12)
            ),
            "sha" => write!(out, "{}", r.hex(7)),
            "hex4" => write!(out, "{}", r.hex(4)),
            "hex8" => write!(out, "{}", r.hex(8)),
            "pod" => write!(out, "{}-{}-{}", self.svc, r.hex(9), r.hex(5)),
            "effect" => write!(out, "{}", r.pick(vocab().effects)),
            "period" => write!(out, "{}", r.pick(vocab().periods)),
            "user_action" => write!(out, "{}", r.pick(vocab().user_actions)),
            other => write!(out, "{{{other}}}"),
        };
    }

    /// `template` with its placeholders filled.
    pub(super) fn fill(&self, template: &str, r: &mut Rng) -> String {
        let mut out = String::with_capacity(template.len() + 48);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            self.put(&after[..close], r, &mut out);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// One of `templates`, filled.
    pub(super) fn any(&self, templates: &[&str], r: &mut Rng) -> String {
        let t = r.pick(templates);
        self.fill(t, r)
    }
}

pub(super) fn person(r: &mut Rng) -> String {
    format!("{} {}", r.pick(vocab().first), r.pick(vocab().last))
}

pub(super) fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// How a batch of log lines is formatted.
#[derive(Clone, Copy)]
pub(super) enum LogStyle {
    /// `2025-03-14T09:32:15.208Z ERROR svc [req=..] msg`
    Plain,
    /// `Mar 14 09:32:15 ip-10-0-3-17 svc[2211]: ERROR msg`
    Syslog,
    /// One JSON object per line.
    Json,
    /// `level=error ts=... msg="..."`
    Logfmt,
}

pub(super) const STYLES: &[LogStyle] = &[
    LogStyle::Plain,
    LogStyle::Syslog,
    LogStyle::Json,
    LogStyle::Logfmt,
];

pub(super) fn log_line(
    style: LogStyle,
    c: &Ctx,
    r: &mut Rng,
    ms: i64,
    svc: &str,
    pid: i64,
    (level, template): (&str, &str),
) -> String {
    let msg = c.fill(template, r);
    match style {
        LogStyle::Plain => format!(
            "{} {:<5} {svc} [req={}] {msg}",
            iso_ms(ms),
            level,
            r.hex(12)
        ),
        LogStyle::Syslog => format!(
            "{} {} {svc}[{pid}]: {level} {msg}",
            syslog_time(ms / 1000),
            c.node
        ),
        LogStyle::Json => {
            let escaped = msg.replace('\\', "\\\\").replace('"', "\\\"");
            let ip = c.fill("{ip}", r);
            format!(
                "{{\"ts\":\"{}\",\"level\":\"{}\",\"service\":\"{svc}\",\"request_id\":\"{}\",\"client_ip\":\"{ip}\",\"msg\":\"{escaped}\"}}",
                iso_ms(ms),
                level.to_ascii_lowercase(),
                c.fill("{uuid}", r)
            )
        }
        LogStyle::Logfmt => {
            let escaped = msg.replace('"', "\\\"");
            format!(
                "level={} ts={} svc={svc} trace_id={} msg=\"{escaped}\"",
                level.to_ascii_lowercase(),
                iso_ms(ms),
                r.hex(16)
            )
        }
    }
}

/// A few log lines of `mode` around `start_ms`.
pub(super) fn log_excerpt(m: &Mode, c: &Ctx, r: &mut Rng, start_ms: i64, lines: usize) -> String {
    let style = r.pick(STYLES);
    let pid = r.range(300, 99_999);
    let svc = if r.chance(0.7) { c.svc } else { c.svc2 };
    let mut at = start_ms;
    let mut out = Vec::with_capacity(lines);
    for _ in 0..lines {
        at += r.range(3, 2_500);
        let line = if r.chance(0.8) {
            r.pick(m.logs)
        } else {
            r.pick(vocab().noise_logs)
        };
        out.push(log_line(style, c, r, at, svc, pid, line));
    }
    out.join("\n")
}

/// An alert as a pager or chat channel shows it, without log lines.
pub(super) fn alert_text(
    m: &Mode,
    (name, desc): (&str, &str),
    c: &Ctx,
    r: &mut Rng,
    at_ms: i64,
) -> String {
    let desc = c.fill(desc, r);
    match r.below(4) {
        0 => {
            let pod = c.fill("{pod}", r);
            let inst = c.fill("{ip}:{port}", r);
            let symptom = c.any(m.symptoms, r);
            format!(
                "[FIRING:{}] {name} ({svc} {region} critical)\nLabels: alertname={name} service={svc} severity=critical env=production pod={pod} instance={inst}\nSummary: {desc}\nDescription: {symptom}\nStarted: {}",
                r.range(1, 12),
                iso_ms(at_ms),
                svc = c.svc,
                region = c.region,
            )
        }
        1 => format!(
            "[PagerDuty] #{} TRIGGERED  {}  {}  {name}\n    {desc}\n    urgency=high service={} region={} escalation=primary-{}",
            r.range(10_000, 99_999),
            iso_ms(at_ms),
            c.svc,
            c.svc,
            c.region,
            c.team
        ),
        2 => {
            let symptom = c.any(m.symptoms, r);
            format!(
                "[Triggered on {host}] {name}\n{desc}\n{symptom}\nenv:production service:{svc} region:{region}\n@pagerduty-{team} @slack-{team}-alerts\nTriggered at {}",
                iso(at_ms / 1000),
                host = c.node,
                svc = c.svc,
                region = c.region,
                team = c.team
            )
        }
        _ => format!(
            "Opsgenie alert P1: {name} on {svc}\nMessage: {desc}\nTags: env=prod, region={region}, team={team}\nSource: Grafana ({}), first seen {}",
            c.cluster,
            iso(at_ms / 1000),
            svc = c.svc,
            region = c.region,
            team = c.team
        ),
    }
}
