"""Every GET endpoint says whether the page cache may answer it, and why not.

A new page is either declared public (`@public_page`, `@public_feed`) and so
cached and invalidated like every other, or declared exempt with a reason
(`@not_cached`, `exempt_blueprint`). These tests walk the URL map, so a
forgotten declaration fails here, not in front of a reader.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from blog.cache import exempt_blueprint, not_cached, public_page
from blog.cache.rules import cacheable_endpoints, rule_for
from tests.factories import make_article
from tests.public_pages import add_small_site, public_urls


def undeclared_get_endpoints(app: Flask) -> list[str]:
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or ()) and rule_for(app, rule.endpoint) is None
        }
    )


def test_every_get_endpoint_declares_whether_it_is_cached(app) -> None:
    assert undeclared_get_endpoints(app) == []


def test_every_exemption_gives_its_reason(app) -> None:
    for endpoint in app.view_functions:
        rule = rule_for(app, endpoint)
        if rule is not None and not rule.cacheable:
            assert len(rule.reason) > 10, endpoint


def test_a_new_page_without_a_declaration_is_caught(app_factory) -> None:
    bp = Blueprint("extra", __name__)

    @bp.get("/colophon")
    def colophon() -> str:
        return "How this site is made"

    app = app_factory()
    app.register_blueprint(bp)
    assert undeclared_get_endpoints(app) == ["extra.colophon"]


def test_declared_pages_are_cached_and_exempt_ones_are_not(app_factory) -> None:
    public_bp, private_bp = Blueprint("open", __name__), Blueprint("closed", __name__)

    @public_bp.get("/colophon")
    @public_page
    def colophon() -> str:
        return "How this site is made"

    @public_bp.get("/now")
    @not_cached("shows the time")
    def now() -> str:
        return "now"

    @private_bp.get("/closed/one")
    def one() -> str:
        return "one"

    exempt_blueprint(private_bp, "a members' area")
    app = app_factory()
    app.register_blueprint(public_bp)
    app.register_blueprint(private_bp)
    assert undeclared_get_endpoints(app) == []
    assert "open.colophon" in cacheable_endpoints(app)
    assert "open.now" not in cacheable_endpoints(app)
    assert rule_for(app, "closed.one").reason == "a members' area"


def test_nothing_behind_a_login_is_cacheable(app) -> None:
    personal = ("auth.", "studio.", "comments.")
    assert [e for e in cacheable_endpoints(app) if e.startswith(personal)] == []


def test_no_public_page_sets_a_cookie(app) -> None:
    """A public page that set one would never be stored, and would give
    every anonymous reader a cookie."""
    add_small_site(app)
    client = app.test_client()
    answered = [client.get(url) for url in public_urls(app)]
    pages = [page for page in answered if page.status_code == 200]
    assert len(pages) >= len(cacheable_endpoints(app))
    assert [page.request.path for page in pages if "Set-Cookie" in page.headers] == []


def test_a_private_page_is_never_served_from_the_page_cache(app, client) -> None:
    with app.app_context():
        make_article(slug="held")
    first = client.get("/healthz")
    assert first.status_code == 200
    assert "ETag" not in first.headers  # the middleware gave it no validator
    assert client.get("/articles/held").headers["Cache-Control"] == "no-cache"
