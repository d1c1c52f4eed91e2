//! How answers travel: compressed as the client asks (brotli, gzip or not
//! at all), and kept by browsers and shared caches only where that is
//! safe (content-hashed static files for a year, pages never).

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use std::io::Read;

/// The names a release build gives its files (cargo-leptos `hash-files`).
const WASM: &str = "/pkg/hindsight.3qG1f_Zx9kLmN0pQrStUvA.wasm";
const JS: &str = "/pkg/hindsight.Wm9kQ2xZ7yTa8bVc1dEf3g.js";
const CSS: &str = "/pkg/hindsight.Hc4Nn6Lm2Kp0Jq8Rs5Tu7v.css";

/// An app whose site folder holds a wasm, script and style sheet under
/// hashed names, plus the favicon under its fixed one.
async fn app_with_site() -> common::TestApp {
    let mut app = common::app().await;
    let site = app.dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    // Compressible like the real ones: code and text repeat themselves.
    let wasm: Vec<u8> = (0..200_000u32).map(|i| (i % 251 % 17) as u8).collect();
    let js = "export function run(module) { return init(module); }\n".repeat(400);
    let css = ".topbar { display: flex; gap: 1rem; }\n".repeat(400);
    std::fs::write(site.join(&WASM[1..]), &wasm).unwrap();
    std::fs::write(site.join(&JS[1..]), js).unwrap();
    std::fs::write(site.join(&CSS[1..]), css).unwrap();
    std::fs::write(site.join("favicon.ico"), vec![0u8; 4096]).unwrap();
    app.state.leptos_options.site_root = site.to_str().unwrap().into();
    app.router = hindsight::http::router(app.state.clone());
    app
}

/// What the client gets for `uri` when it accepts `accept`.
struct Answer {
    reply: common::Reply,
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.reply.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn encoding(&self) -> Option<&str> {
        self.header(header::CONTENT_ENCODING)
    }

    fn cache(&self) -> Option<&str> {
        self.header(header::CACHE_CONTROL)
    }

    /// The body as the client reads it once decoded.
    fn decoded(&self) -> Vec<u8> {
        let body = &self.reply.bytes[..];
        let mut out = Vec::new();
        match self.encoding() {
            None => out.extend_from_slice(body),
            Some("gzip") => {
                flate2::read::GzDecoder::new(body)
                    .read_to_end(&mut out)
                    .unwrap();
            }
            Some("br") => {
                brotli_decompressor::Decompressor::new(body, 4096)
                    .read_to_end(&mut out)
                    .unwrap();
            }
            Some(other) => panic!("unexpected encoding {other}"),
        }
        out
    }
}

async fn fetch(app: &common::TestApp, uri: &str, accept: Option<&str>) -> Answer {
    let mut request = Request::get(uri);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    Answer {
        reply: app.send(request.body(Body::empty()).unwrap()).await,
    }
}

#[tokio::test]
async fn static_files_and_pages_are_compressed_as_the_client_prefers() {
    let app = app_with_site().await;
    for uri in [
        WASM,
        JS,
        CSS,
        "/",
        "/search?q=timeout",
        "/api/v1/action-items",
    ] {
        let plain = fetch(&app, uri, None).await;
        assert_eq!(plain.reply.status, StatusCode::OK, "{uri}");
        assert_eq!(plain.encoding(), None, "{uri}: not asked for");
        for (accept, expected) in [
            ("br", "br"),
            ("gzip", "gzip"),
            ("gzip, deflate, br", "br"),
            ("br;q=0.5, gzip;q=1.0", "gzip"),
        ] {
            let packed = fetch(&app, uri, Some(accept)).await;
            assert_eq!(packed.reply.status, StatusCode::OK, "{uri} {accept}");
            assert_eq!(packed.encoding(), Some(expected), "{uri} {accept}");
            assert!(
                packed
                    .header(header::VARY)
                    .is_some_and(|v| v.contains("accept-encoding")),
                "{uri}: {:?}",
                packed.reply.headers
            );
            assert!(
                packed.reply.bytes.len() < plain.reply.bytes.len(),
                "{uri} {accept}"
            );
            let decoded = packed.decoded();
            if uri.starts_with("/pkg/") {
                assert!(
                    decoded == plain.reply.bytes,
                    "{uri} {accept}: decoded differs"
                );
            } else {
                // A page differs from one render to the next (its nonce,
                // what streamed in time); it must still be whole.
                let text = String::from_utf8(decoded).unwrap();
                let whole = text.starts_with("<!DOCTYPE html>") && text.contains("</html>")
                    || serde_json::from_str::<serde_json::Value>(&text).is_ok();
                assert!(whole, "{uri} {accept}: {text}");
            }
        }
        let identity = fetch(&app, uri, Some("identity")).await;
        assert_eq!(identity.encoding(), None, "{uri}");
    }
}

#[tokio::test]
async fn hashed_files_are_kept_a_year_and_private_answers_never() {
    let app = app_with_site().await;
    for uri in [WASM, JS, CSS] {
        for accept in [None, Some("br"), Some("gzip")] {
            let answer = fetch(&app, uri, accept).await;
            assert_eq!(
                answer.cache(),
                Some("public, max-age=31536000, immutable"),
                "{uri} {accept:?}"
            );
            assert_eq!(
                answer.header(header::VARY),
                Some("accept-encoding"),
                "{uri} {accept:?}"
            );
        }
    }
    let favicon = fetch(&app, "/favicon.ico", Some("br")).await;
    assert_eq!(favicon.reply.status, StatusCode::OK);
    assert_eq!(favicon.cache(), Some("no-cache"));
    for uri in [
        "/",
        "/search?q=timeout",
        "/action-items",
        "/api/v1/action-items",
        "/action-items.csv",
        "/healthz",
        "/no-such-page",
        "/pkg/hindsight.NoSuchFileAtAllHere000.js",
    ] {
        let answer = fetch(&app, uri, Some("br")).await;
        assert_eq!(
            answer.cache(),
            Some("private, no-store"),
            "{uri} ({})",
            answer.reply.status
        );
    }
}
