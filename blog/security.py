"""Security headers on every response."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, current_app

# No inline script or style anywhere, nothing from another origin, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.after_request(keep_redirects_on_site)


def keep_redirects_on_site(response: Response) -> Response:
    """Werkzeug's own redirects (/studio → /studio/) are built on the request's
    Host header: anyone could make them point at another site. An absolute
    Location is moved onto BLOG_SITE_URL's scheme and host; the blog's own
    redirects are paths, and safe_next_url keeps them so."""
    location = response.headers.get("Location")
    if location is None or not location.lower().startswith(("http:", "https:", "//")):
        return response
    site = urlsplit(current_app.config["SITE_URL"])
    target = urlsplit(location)
    if (target.scheme, target.netloc) != (site.scheme, site.netloc):
        response.headers["Location"] = urlunsplit(
            (site.scheme, site.netloc, target.path, target.query, target.fragment)
        )
    return response


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["HTTPS"]:
        # Browsers that once saw the site over HTTPS never try plain HTTP again.
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response
