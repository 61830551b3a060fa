"""HTTP helpers shared by views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, url_for


def safe_next_url(target: str | None, fallback_endpoint: str = "articles.index") -> str:
    """The target if it is a path on this site, else the fallback page.

    Browsers treat "//host", "/\\host" and "\\\\host" as other sites, and a scheme
    ("javascript:", "https:") leaves the site too: all are refused.
    """
    fallback = url_for(fallback_endpoint)
    if not target or not target.startswith("/") or "\\" in target:
        return fallback
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return fallback
    return target


def absolute_url(endpoint: str, **values: object) -> str:
    """An absolute link for mail and feeds: on BLOG_SITE_URL when set (the
    canonical address), else on the host the request came to."""
    site_url = current_app.config["SITE_URL"]
    if site_url:
        return site_url + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
