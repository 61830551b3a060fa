"""WebSub: tell the hub named by BLOG_WEBSUB_HUB that feeds changed, so it
pushes them to subscribers at once instead of waiting for their next poll."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import Future
from urllib.error import URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from flask import current_app

from blog.background import run_in_background
from blog.feeds.links import FEED_FILES
from blog.http import absolute_url
from blog.models import Article

log = logging.getLogger(__name__)

PING_TIMEOUT_SECONDS = 5


def ping_websub(urls: Iterable[str]) -> bool:
    """Send the hub a publish notification for these feed URLs. True when the
    hub accepted it; False when no hub is set or the ping failed, which is
    logged and never raised: publishing must not depend on the hub.
    Call it after the commit, so the hub fetches the new feeds."""
    hub = str(current_app.config.get("WEBSUB_HUB") or "")
    return ping_hub(hub, list(dict.fromkeys(urls)))


def ping_hub(hub: str, topics: list[str]) -> bool:
    """The ping itself; needs no app, so it can run in the background."""
    if not hub or not topics:
        return False
    if urlsplit(hub).scheme not in ("http", "https"):
        log.warning("WebSub hub %r is not an http(s) URL; not pinging", hub)
        return False
    # Hubs (websub.rocks, Superfeedr, Google's) take hub.url once per topic.
    body = urlencode([("hub.mode", "publish")] + [("hub.url", url) for url in topics])
    request = Request(hub, data=body.encode(), method="POST")  # noqa: S310 - http(s) checked above
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urlopen(request, timeout=PING_TIMEOUT_SECONDS) as response:  # nosec B310 # noqa: S310
            accepted = 200 <= response.status < 300
    except (URLError, OSError, ValueError) as error:
        log.warning("WebSub ping to %s failed: %s", hub, error)
        return False
    if not accepted:
        log.warning("WebSub hub %s answered %s", hub, response.status)
    return accepted


def feed_urls_for(article: Article) -> list[str]:
    """Every feed an article appears in: the site's and its category's, tags'
    and author's, in each format. Needs a request or SERVER_NAME for URLs."""
    scopes = [("author", article.author.slug)]
    if article.category is not None:
        scopes.append(("category", article.category.slug))
    scopes += [("tag", tag.slug) for tag in article.tags]
    urls = []
    for format_name in FEED_FILES:
        urls.append(absolute_url("feeds.site", format_name=format_name))
        urls += [
            absolute_url("feeds.scoped", kind=kind, slug=slug, format_name=format_name)
            for kind, slug in scopes
        ]
    return urls


def announce(article: Article) -> Future[bool] | None:
    """Ping the hub, in the background, about every feed this article is in;
    None when there is no hub (or no URL can be built here: logged). Never
    raises, and never holds up the request that changed the article."""
    hub = str(current_app.config.get("WEBSUB_HUB") or "")
    if not hub:
        return None
    try:
        urls = feed_urls_for(article)
    except RuntimeError as error:
        log.warning("WebSub: cannot build feed URLs here: %s", error)
        return None
    return run_in_background(ping_hub, hub, list(dict.fromkeys(urls)))
