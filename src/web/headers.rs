//! Headers on every response, and Dutch pages for bare errors.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::error::error_page;
use crate::app::AppState;

/// Only our own files may load: no inline script (an injected `<script>` does not run), no plugins,
/// no `<base>` tricks, no framing (clickjacking), forms only to ourselves.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
                   object-src 'none'; frame-ancestors 'none'";

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // The health check answers machines in plain text, errors included.
    let plain = req.uri().path() == "/healthz";
    let mut res = next.run(req).await;

    // An error that some layer produced without a page of ours (a body too large, a method not
    // allowed, a malformed form) still gets a Dutch page in our layout.
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html && !plain && (res.status().is_client_error() || res.status().is_server_error()) {
        res = error_page(res.status());
    }

    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    // Stops the browser from guessing a content type (a text answer run as script).
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // No address of ours, which may name a pupil's dossier, leaks to another site.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if state.settings.https() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // Pages may show a child's data: no copy in any cache, nor in the back-forward cache of a
    // shared laptop. Only our static files say otherwise.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
