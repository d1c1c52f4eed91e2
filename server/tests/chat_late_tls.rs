//! A late answer over https, as it reaches a self-hosted Mattermost: the
//! client verifies the server's certificate against the machine's trusted
//! roots (`SSL_CERT_FILE` here: a CA made for the test by Debian's
//! `openssl`), and refuses a server it cannot verify. Its own process, as
//! the trusted roots are read once per process.

mod common;

use app::context::RequestContext;
use axum::http::StatusCode;
use common::chat::*;
use kb_intake::chat::Client;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl (Debian's package) is installed by scripts/install-tools.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA (`ca.pem`) and a certificate it signed for `localhost` and
/// 127.0.0.1 (`leaf.pem`, `leaf.key`).
fn certificates(dir: &Path) {
    let key = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(key);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Hindsight test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    openssl(dir, &ca);
    let mut request = vec!["req"];
    request.extend(key);
    request.extend([
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(dir, &request);
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.pem",
            "-days",
            "2",
            "-extfile",
            "leaf.ext",
        ],
    );
}

/// An https server on a loopback port with `cert` and `key`, answering
/// every request `200 ok` and handing over the request's bytes.
async fn https_receiver(cert: &Path, key: &Path) -> (u16, mpsc::UnboundedReceiver<String>) {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(key).unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (sent, got) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            // A client that refuses the certificate ends the handshake.
            let Ok(mut tls) = acceptor.accept(tcp).await else {
                continue;
            };
            let request = read_request(&mut tls).await;
            tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                .await
                .unwrap();
            tls.shutdown().await.ok();
            sent.send(request).unwrap();
        }
    });
    (port, got)
}

/// One HTTP/1.1 request: its head, and as much body as it announces.
async fn read_request(stream: &mut (impl AsyncReadExt + Unpin)) -> String {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.unwrap();
        bytes.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&bytes).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length || n == 0 {
                return text;
            }
        }
        if n == 0 {
            return text;
        }
    }
}

#[tokio::test]
async fn a_late_answer_goes_over_https_to_a_verified_server_only() {
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    // The machine's trusted roots, as rustls-native-certs reads them.
    std::env::set_var("SSL_CERT_FILE", dir.path().join("ca.pem"));
    let (port, mut got) =
        https_receiver(&dir.path().join("leaf.pem"), &dir.path().join("leaf.key")).await;
    // The same server under the CA's own certificate, which names no host:
    // verification must fail and nothing be delivered.
    let (bad_port, mut bad_got) =
        https_receiver(&dir.path().join("ca.pem"), &dir.path().join("ca.key")).await;

    let app = common::app_with(|s| s.chat_deadline = Duration::ZERO).await;
    app.create(serde_json::json!({
        "title": "Checkout timeouts after the payment deploy",
        "summary": "Payment timeouts exhausted the database connection pool.",
    }))
    .await;
    let cli = RequestContext::command_line();
    for (name, port) in [("good", port), ("bad", bad_port)] {
        app.state
            .services
            .add_chat_integration(
                &cli,
                Client::Mattermost,
                name,
                MATTERMOST_TOKEN,
                None,
                Some(&format!("https://localhost:{port}")),
            )
            .await
            .unwrap();
    }
    let token = Some("Token xr3j5x3p4pfjpe8fuqmwmh5qqa");
    for (name, port) in [("good", port), ("bad", bad_port)] {
        let url = format!("https://localhost:{port}/hooks/k3y");
        let body = form_to("maria", "search payment timeouts", &url)
            .replace("ignored-by-slack", MATTERMOST_TOKEN);
        let reply = mattermost(&app, name, token, &body).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply.body.contains("Looking into it"), "{}", reply.body);
    }

    let request = tokio::time::timeout(Duration::from_secs(30), got.recv())
        .await
        .expect("the late answer did not arrive over https")
        .unwrap();
    assert!(
        request.starts_with("POST /hooks/k3y HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{request}"
    );
    assert!(
        request.contains("Checkout timeouts after the payment deploy"),
        "{request}"
    );

    // Both answers were recorded; the unverified server got nothing.
    for _ in 0..100 {
        if recorded(&app).await.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(recorded(&app).await.len(), 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(bad_got.try_recv().is_err());
}
