//! Posting a late answer: one JSON `POST` over HTTP/1.1, with TLS for
//! `https` (rustls with the ring provider, trusting the system's
//! certificate store, so a self-hosted Mattermost behind a company CA is
//! reached as the machine's other tools reach it). No redirects followed,
//! no retries; a bounded time for the whole exchange.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Uri;
use hyper_util::rt::TokioIo;
use std::io::{Error, ErrorKind};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

/// The whole exchange, connection to status line.
const POST_TIMEOUT: Duration = Duration::from_secs(10);

/// Longest answer body read (only its status matters).
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

/// The host of `url`, for logs (its path may be a credential).
pub fn host(url: &str) -> String {
    url.parse::<Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_string))
        .unwrap_or_default()
}

/// Posts `body` as JSON to `url` (`http` or `https`) and returns the
/// response's status.
pub async fn post_json(url: &str, body: &serde_json::Value) -> std::io::Result<u16> {
    tokio::time::timeout(POST_TIMEOUT, exchange(url, body))
        .await
        .map_err(|_| Error::new(ErrorKind::TimedOut, "no answer within 10 seconds"))?
}

async fn exchange(url: &str, body: &serde_json::Value) -> std::io::Result<u16> {
    let uri: Uri = url
        .parse()
        .map_err(|e| Error::new(ErrorKind::InvalidInput, format!("not a URL: {e}")))?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(Error::new(ErrorKind::InvalidInput, "not an http(s) URL")),
    };
    let host = uri
        .host()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "a URL without a host"))?
        .to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let authority = uri
        .authority()
        .map(|a| a.as_str().to_string())
        .unwrap_or_else(|| host.clone());
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let tcp =
        TcpStream::connect((host.trim_start_matches('[').trim_end_matches(']'), port)).await?;
    let request = hyper::Request::post(path)
        .header(hyper::header::HOST, authority)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(hyper::header::USER_AGENT, "Hindsight")
        .body(Full::new(Bytes::from(body.to_string())))
        .map_err(Error::other)?;
    if https {
        let name = ServerName::try_from(host.trim_start_matches('[').trim_end_matches(']'))
            .map_err(|e| Error::new(ErrorKind::InvalidInput, e))?
            .to_owned();
        let tls = TlsConnector::from(tls_config()?).connect(name, tcp).await?;
        send(tls, request).await
    } else {
        send(tcp, request).await
    }
}

async fn send<S>(stream: S, request: hyper::Request<Full<Bytes>>) -> std::io::Result<u16>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(Error::other)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %e, "late answer connection closed");
        }
    });
    let response = sender.send_request(request).await.map_err(Error::other)?;
    let status = response.status().as_u16();
    // Read (a bounded part of) the body so the server sees the exchange
    // through; what it says is not used.
    let limited = http_body_util::Limited::new(response.into_body(), MAX_RESPONSE_BYTES);
    let _ = limited.collect().await;
    Ok(status)
}

/// The TLS settings: the system's trusted roots, read once.
fn tls_config() -> std::io::Result<Arc<ClientConfig>> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let mut roots = RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            let (added, _) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err(format!(
                    "no trusted certificates found on this machine (install ca-certificates): {:?}",
                    found.errors
                ));
            }
            let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
            ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map(|builder| {
                    Arc::new(builder.with_root_certificates(roots).with_no_client_auth())
                })
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(Error::other)
}
