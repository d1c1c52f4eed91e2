//! What browsers and shared caches may keep, and compression. The wasm,
//! script and style sheet carry a hash of their content in their names
//! (cargo-leptos `hash-files`), so a browser keeps them for a year and a
//! new build is new names; other static files are checked again on each
//! use; everything else (pages, API answers, CSV) may hold private data,
//! so nothing stores it. Every text and wasm answer is compressed for a
//! client that accepts it: static files from the `.br`/`.gz` siblings the
//! release build writes, the rest as it is sent.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::CompressionLayer;

/// For a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// For a static file under a fixed name: kept, but checked before use.
pub const REVALIDATE: &str = "no-cache";

/// For anything that may hold private data.
pub const PRIVATE: &str = "private, no-store";

/// Length of the hash cargo-leptos puts in a name: an MD5 digest in
/// unpadded base64url.
const HASH_LEN: usize = 22;

/// The `Cache-Control` of an answer with `status` to `path`. A failure is
/// never kept: a file asked for before a deploy finished must be found
/// once it has.
pub fn cache_control(path: &str, status: StatusCode) -> &'static str {
    let kept = status.is_success() || status == StatusCode::NOT_MODIFIED;
    if !kept || !app::request::is_static(path) || path == "/healthz" {
        PRIVATE
    } else if path.strip_prefix("/pkg/").is_some_and(content_hashed) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// Whether a file name reads `stem.HASH.ext` (or `stem.HASH.ext.br`),
/// HASH being cargo-leptos' content hash.
fn content_hashed(name: &str) -> bool {
    let name = name
        .strip_suffix(".br")
        .or_else(|| name.strip_suffix(".gz"))
        .unwrap_or(name);
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && hash.len() == HASH_LEN
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Sets the `Cache-Control` of every answer by its path, and says that a
/// kept one varies with the encoding asked for.
pub async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let policy = cache_control(&path, response.status());
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // A kept file comes in as many encodings as clients ask for: a cache
    // must tell them apart (a precompressed file's answer does not say so).
    let varies = headers
        .get_all(header::VARY)
        .iter()
        .any(|v| v.as_bytes().eq_ignore_ascii_case(b"accept-encoding"));
    if policy != PRIVATE && !varies {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Brotli or gzip, as the client's `Accept-Encoding` prefers, for any
/// answer not already encoded (a precompressed file is sent as it is).
pub fn compression() -> CompressionLayer {
    CompressionLayer::new().br(true).gzip(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_files_found_are_kept_for_a_year() {
        for hashed in [
            "/pkg/hindsight.3qG1f_Zx9kLmN0pQrStUvA.wasm",
            "/pkg/hindsight.3qG1f_Zx9kLmN0pQrStUvA.js",
            "/pkg/hindsight.AbCdEfGhIjKlMnOpQrStU-.css",
        ] {
            assert_eq!(cache_control(hashed, StatusCode::OK), IMMUTABLE, "{hashed}");
            assert_eq!(cache_control(hashed, StatusCode::NOT_MODIFIED), IMMUTABLE);
            assert_eq!(cache_control(hashed, StatusCode::NOT_FOUND), PRIVATE);
        }
        for fixed in [
            "/pkg/hindsight.wasm",
            "/pkg/hindsight.css",
            "/pkg/hindsight.short.js",
            "/pkg/.3qG1f_Zx9kLmN0pQrStUvA.js",
            "/favicon.ico",
        ] {
            assert_eq!(cache_control(fixed, StatusCode::OK), REVALIDATE, "{fixed}");
        }
        for private in [
            "/",
            "/healthz",
            "/incidents/1",
            "/api/v1/search",
            "/action-items.csv",
            "/insights.csv",
        ] {
            assert_eq!(cache_control(private, StatusCode::OK), PRIVATE, "{private}");
        }
    }
}
