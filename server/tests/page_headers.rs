//! A page's own headers stay its own while other requests run beside it on
//! the same thread. Leptos keeps "the current reactive owner" in a
//! thread-local that a page render sets and leaves set; a request served
//! in between (a static file, a server function) used to find the page's
//! response options through it and take the headers the page had set, so
//! the page went out with the strict policy of non-pages and none of its
//! scripts ran.

mod common;

use axum::body::Body;
use axum::http::{header, Request};
use std::future::Future;
use std::task::Poll;
use tower::ServiceExt;

#[tokio::test]
async fn a_static_file_served_during_a_page_render_leaves_the_page_policy_alone() {
    let mut app = common::app().await;
    // A site folder with one static file, as a release build has.
    let site = app.dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/app.css"), "body{}").unwrap();
    app.state.leptos_options.site_root = site.to_string_lossy().into_owned().into();
    let router = hindsight::http::router(app.state.clone());

    let mut pending_pages = 0;
    for _ in 0..20 {
        let mut page = Box::pin(
            router
                .clone()
                .oneshot(Request::get("/").body(Body::empty()).unwrap()),
        );
        // Start the page (its render waits on the database), then serve a
        // file on this same thread before it finishes.
        let first =
            std::future::poll_fn(|cx| Poll::Ready(page.as_mut().poll(cx).is_pending())).await;
        pending_pages += usize::from(first);
        let file = router
            .clone()
            .oneshot(Request::get("/pkg/app.css").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        assert_eq!(
            file.headers()[header::CONTENT_SECURITY_POLICY],
            "default-src 'none'; frame-ancestors 'none'",
            "the file took another response's policy"
        );
        let page = page.await.unwrap();
        let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(
            policy.contains("'nonce-"),
            "the page lost its policy: {policy}"
        );
    }
    // The interleaving this test is about happened.
    assert!(pending_pages > 0, "no page render was still running");
}
