//! A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`,
//! installed by `scripts/install-tools.sh`) delivering to a real server on
//! a loopback port: alerts posted with `amtool` open one incident with its
//! matches, Alertmanager's repeats change nothing, and resolving the
//! alerts in Alertmanager resolves the incident.

mod common;

use app::context::RequestContext;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const ALERTMANAGER: &str = "/usr/bin/prometheus-alertmanager";
const AMTOOL: &str = "/usr/bin/amtool";

/// Kills the child when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `GET http://127.0.0.1:{port}{path}`'s status and body, or `None` when
/// nothing answers.
async fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.ok()?;
    let status = answer.split(' ').nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

/// Waits until `check` holds, failing with `what` after `limit`.
async fn wait_for<F, Fut>(what: &str, limit: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Alertmanager's count of webhook notifications sent successfully.
async fn notifications(port: u16) -> f64 {
    let (_, metrics) = get(port, "/metrics").await.unwrap_or_default();
    metrics
        .lines()
        .find(|l| l.starts_with("alertmanager_notifications_total{integration=\"webhook\"}"))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0.0)
}

fn amtool(port: u16, args: &[&str]) {
    let url = format!("--alertmanager.url=http://127.0.0.1:{port}");
    let out = Command::new(AMTOOL)
        .arg("alert")
        .arg("add")
        .arg(&url)
        .args(args)
        .output()
        .expect("amtool runs");
    assert!(
        out.status.success(),
        "amtool failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn config(dir: &Path, hindsight: u16, secret: &str) -> std::path::PathBuf {
    // Short waits so the test takes seconds: the group's first
    // notification after 1 s, changes every 2 s, repeats every 3 s.
    let yaml = format!(
        "route:
  receiver: hindsight
  group_by: ['service']
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 3s
receivers:
  - name: hindsight
    webhook_configs:
      - url: http://127.0.0.1:{hindsight}/api/v1/intake/alertmanager/prod
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: {secret}
"
    );
    let path = dir.join("alertmanager.yml");
    std::fs::write(&path, yaml).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alertmanager_opens_repeats_and_resolves_one_incident() {
    assert!(
        Path::new(ALERTMANAGER).exists() && Path::new(AMTOOL).exists(),
        "Debian's prometheus-alertmanager is needed: run scripts/install-tools.sh"
    );
    let dir = tempfile::tempdir().unwrap();
    let services = hindsight::startup::open(&dir.path().join("data"), None)
        .await
        .unwrap();
    hindsight::cli::load_demo(&services).await.unwrap();
    let ctx = RequestContext::command_line();
    let secret = services
        .add_integration(
            &ctx,
            "alertmanager",
            "prod",
            None,
            None,
            &Default::default(),
        )
        .await
        .unwrap()
        .secret
        .unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = hindsight::http::app_state(services.clone(), None).unwrap();
    let server = tokio::spawn(hindsight::http::serve(
        listener,
        state,
        Default::default(),
        std::future::pending(),
    ));

    let am_port = free_port();
    let config = config(dir.path(), port, &secret);
    let log = std::fs::File::create(dir.path().join("alertmanager.log")).unwrap();
    let _alertmanager = Running(
        Command::new(ALERTMANAGER)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.path={}",
                dir.path().join("am").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{am_port}"))
            // No gossip: a lone instance on loopback only.
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("alertmanager starts"),
    );
    wait_for(
        "Alertmanager to be ready",
        Duration::from_secs(30),
        || async { matches!(get(am_port, "/-/ready").await, Some((200, _))) },
    )
    .await;

    let alert = |name: &str, summary: &str, extra: &[String]| {
        let mut args = vec![
            name.to_string(),
            "service=payment-service".to_string(),
            "severity=critical".to_string(),
            "team=payments".to_string(),
            format!("--annotation=summary={summary}"),
            "--generator-url=http://prometheus.internal:9090/graph".to_string(),
        ];
        args.extend_from_slice(extra);
        args
    };
    let timeouts = alert(
        "PaymentTimeouts",
        "payment service connection timeout to the database, checkout failing",
        &[],
    );
    let pool = alert(
        "DBPoolExhausted",
        "database connection pool exhausted, no available connections",
        &[],
    );
    for args in [&timeouts, &pool] {
        amtool(
            am_port,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }

    let ongoing = || async { services.ongoing(&ctx).await.unwrap() };
    wait_for("the incident", Duration::from_secs(30), || async {
        !ongoing().await.is_empty()
    })
    .await;
    // Both alerts may arrive in one notification or in two; either way,
    // one incident with one entry each.
    wait_for(
        "both alerts on the timeline",
        Duration::from_secs(30),
        || async {
            let id = ongoing().await[0].id;
            services
                .get(&ctx, id)
                .await
                .unwrap()
                .unwrap()
                .parts
                .timeline
                .len()
                == 2
        },
    )
    .await;
    let incidents = ongoing().await;
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let id = incidents[0].id;
    let suggestions = services.suggestions(&ctx, id).await.unwrap();
    assert!(
        !suggestions.is_empty(),
        "the demo's timeout cascade should match"
    );
    let postmortem = services.get(&ctx, id).await.unwrap().unwrap();
    assert_eq!(postmortem.services, vec!["payment-service".to_string()]);
    assert_eq!(postmortem.parts.teams, vec!["payments".to_string()]);

    // Alertmanager repeats the group every 3 s: the repeats arrive and
    // change nothing.
    let sent = notifications(am_port).await;
    wait_for("two repeats", Duration::from_secs(30), || async {
        notifications(am_port).await >= sent + 2.0
    })
    .await;
    let again = services.get(&ctx, id).await.unwrap().unwrap();
    assert_eq!(again.version, postmortem.version, "repeats changed nothing");
    assert_eq!(services.ongoing(&ctx).await.unwrap().len(), 1);

    // Resolved in Alertmanager: an end time now.
    let now = app::service::intake::timestamp(app::service::intake::now_epoch());
    let ended = format!("--end={now}");
    for args in [&timeouts, &pool] {
        let mut args = args.clone();
        args.push(ended.clone());
        amtool(
            am_port,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    wait_for(
        "the incident to resolve",
        Duration::from_secs(30),
        || async {
            let p = services.get(&ctx, id).await.unwrap().unwrap();
            p.parts.resolved_at.is_some()
        },
    )
    .await;
    assert!(services.ongoing(&ctx).await.unwrap().is_empty());
    let integrations = services.integrations().await.unwrap();
    assert_eq!(integrations[0].incidents, 1, "still one incident");
    server.abort();
}
