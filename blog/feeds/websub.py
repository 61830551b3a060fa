"""WebSub: tell the hub named by BLOG_WEBSUB_HUB that feeds changed, so it
pushes them to subscribers at once instead of waiting for their next poll."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from flask import current_app

from blog.feeds.links import FEED_FILES
from blog.http import absolute_url
from blog.jobs import (
    PermanentFailure,
    RunningJob,
    TemporaryFailure,
    enqueue,
    job_handler,
)
from blog.models import Article

log = logging.getLogger(__name__)

PING_TIMEOUT_SECONDS = 5


def ping_websub(urls: Iterable[str]) -> bool:
    """Send the hub a publish notification for these feed URLs now. True when
    the hub accepted it; False when no hub is set or the ping failed (logged)."""
    hub = str(current_app.config.get("WEBSUB_HUB") or "")
    try:
        publish_to_hub(hub, list(dict.fromkeys(urls)))
    except (TemporaryFailure, PermanentFailure) as error:
        log.warning("WebSub ping to %s failed: %s", hub, error)
        return False
    return bool(hub)


def publish_to_hub(hub: str, topics: list[str]) -> None:
    """The ping itself. Raises TemporaryFailure (the hub is down, or answered
    5xx or 429) or PermanentFailure (any other refusal)."""
    if not hub or not topics:
        return
    if urlsplit(hub).scheme not in ("http", "https"):
        raise PermanentFailure(f"WebSub hub {hub!r} is not an http(s) URL")
    # Hubs (websub.rocks, Superfeedr, Google's) take hub.url once per topic.
    body = urlencode([("hub.mode", "publish")] + [("hub.url", url) for url in topics])
    request = Request(hub, data=body.encode(), method="POST")  # noqa: S310 - http(s) checked above
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urlopen(request, timeout=PING_TIMEOUT_SECONDS) as response:  # nosec B310 # noqa: S310
            status = response.status
    except HTTPError as error:
        status = error.code
    except (URLError, OSError, ValueError) as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
    if 200 <= status < 300:
        return
    if status >= 500 or status == 429:
        raise TemporaryFailure(f"the hub answered {status}")
    raise PermanentFailure(f"the hub answered {status}")


@job_handler("websub")
def ping_job(job: RunningJob) -> None:
    publish_to_hub(str(job.payload["hub"]), [str(url) for url in job.payload["topics"]])


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


def announce(article: Article) -> bool:
    """Queue a ping to the hub about every feed this article is in, in the
    article's write transaction (the ping survives a worker killed after the
    commit); False when there is no hub, or no URL can be built here."""
    hub = str(current_app.config.get("WEBSUB_HUB") or "")
    if not hub:
        return False
    try:
        urls = feed_urls_for(article)
    except RuntimeError as error:
        log.warning("WebSub: cannot build feed URLs here: %s", error)
        return False
    payload = {"hub": hub, "topics": list(dict.fromkeys(urls))}
    return enqueue("websub", f"websub:{uuid.uuid4()}", payload)
