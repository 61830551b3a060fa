"""The ceiling: a bare Flask app that answers prebuilt bytes.

Served by the same gunicorn with the same gunicorn.conf.py as the blog, it
shows the most requests a second this machine gives any Flask app: the
blog's figures are read against it. `/` is a ~20 KB HTML page (the size of
the blog's home page), `/feed.xml` an RSS document of 20 full articles of
~800 words (the shape of the blog's feed). Both are built once, at import.

    gunicorn --config gunicorn.conf.py 'bench.ceiling:app'
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from flask import Flask, Response

from bench.words import Text

PAGE_BYTES = 20_000
FEED_ITEMS = 20


def build_page(text: Text) -> bytes:
    """A complete HTML page of about PAGE_BYTES: a listing of summaries."""
    head = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Ceiling</title></head><body><main><h1>Newest articles</h1>"
    )
    parts = [head]
    while sum(map(len, parts)) < PAGE_BYTES - 200:
        parts.append(
            f'<article><h2><a href="/a">{escape(text.title())}</a></h2>'
            f"<p>{escape(text.sentences(50))}</p></article>"
        )
    parts.append("</main></body></html>")
    return "".join(parts).encode()


def build_feed(text: Text) -> bytes:
    """An RSS 2.0 document of FEED_ITEMS articles with their full text."""
    now = datetime.now(UTC).replace(microsecond=0)
    items = []
    for number in range(FEED_ITEMS):
        body = "".join(f"<p>{text.sentences(100)}</p>" for _ in range(8))
        items.append(
            f"<item><title>{escape(text.title())}</title>"
            f"<link>http://127.0.0.1/articles/{number}</link>"
            f"<guid>http://127.0.0.1/articles/{number}</guid>"
            f"<pubDate>{format_datetime(now - timedelta(days=number))}</pubDate>"
            f"<description>{escape(body)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Ceiling</title><link>http://127.0.0.1/</link>"
        "<description>The bench's ceiling feed</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def create_app() -> Flask:
    """The ceiling app: two routes, each returning bytes built at start-up."""
    text = Text(random.Random(2026))  # noqa: S311 - filler text, not security
    page, feed = build_page(text), build_feed(text)
    ceiling = Flask(__name__)

    @ceiling.get("/")
    def home() -> Response:
        return Response(page, mimetype="text/html")

    @ceiling.get("/feed.xml")
    def rss() -> Response:
        return Response(feed, mimetype="application/rss+xml")

    return ceiling


app = create_app()
