"""The mail followers get: HTML with its CSS inlined (mail clients drop
<style> or read only inline styles; dark mode keeps its !important rules in
the <style> the clients that honour it read), a plain-text part, the
images embedded (cid:) so opening the mail asks no server anything, and the
list headers of RFC 2369 and RFC 8058.

A mailing renders once; each recipient's copy only fills in their address
and their links (the placeholders below), so 2,000 copies cost 2,000 string
replacements, not 2,000 renders.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import css_inline
from flask import current_app, render_template
from markupsafe import Markup, escape
from sqlalchemy import select

from blog.articles.uploads import uploads_folder
from blog.extensions import db
from blog.feeds.content import absolute_links
from blog.http import absolute_url
from blog.mail import InlineImage, Mail
from blog.mail_text import text_from_html
from blog.models import Article, Subscriber, Upload
from blog.site_settings import current_site
from blog.subscriptions.links import (
    MANAGE_PURPOSE,
    manage_url,
    token_for,
    unsubscribe_url,
)

ADDRESS = "__BLOG_ADDRESS__"
MANAGE_URL = "__BLOG_MANAGE_URL__"
UNSUBSCRIBE_URL = "__BLOG_UNSUBSCRIBE_URL__"
# The widest copy an image is embedded at: twice a 600 px mail column.
EMBED_WIDTH = 1200
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'\b(src|alt)="([^"]*)"', re.IGNORECASE)
INLINER = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class MailTemplate:
    """A rendered mailing, waiting for each recipient's address and links."""

    subject: str
    text: str
    html: str
    images: tuple[InlineImage, ...] = ()

    def for_subscriber(self, subscriber: Subscriber, *, test: bool = False) -> Mail:
        values = {
            ADDRESS: str(escape(subscriber.email)),
            MANAGE_URL: manage_url(subscriber),
            UNSUBSCRIBE_URL: unsubscribe_url(subscriber),
        }
        html, text = self.html, self.text
        for placeholder, value in values.items():
            html = html.replace(placeholder, value)
            text = text.replace(
                placeholder, value if placeholder != ADDRESS else subscriber.email
            )
        return Mail(
            to=subscriber.email,
            subject=self.subject,
            body=text,
            html=html,
            headers=() if test else list_headers(subscriber),
            images=self.images,
        )


def list_headers(subscriber: Subscriber) -> tuple[tuple[str, str], ...]:
    """RFC 2369's List-Id and List-Unsubscribe (an https link and a mailto),
    and RFC 8058's One-Click: a POST to the link unsubscribes at once."""
    config = current_app.config
    host = urlsplit(config["SITE_URL"]).hostname or "localhost"
    address = config["MAIL_UNSUBSCRIBE_ADDRESS"] or config["MAIL_SENDER"]
    token = token_for(subscriber, MANAGE_PURPOSE)
    mailto = f"mailto:{address}?subject={quote('unsubscribe ' + token)}"
    # A quoted phrase: no quote, and no backslash to escape its closing one.
    title = " ".join(current_site().title.replace('"', "").replace("\\", "").split())
    return (
        ("List-Id", f'"{title}" <followers.{host}>'),
        ("List-Unsubscribe", f"<{unsubscribe_url(subscriber)}>, <{mailto}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ("Precedence", "bulk"),
    )


def article_template(article: Article) -> MailTemplate:
    images = Embedder()
    cover = images.cover(article)
    article_url = absolute_url("articles.detail", slug=article.slug)
    linked_html = absolute_links(article.body_html, article_url)
    body_html = images.embed(linked_html)
    values = {
        "site": current_site(),
        "article": article,
        "article_url": article_url,
        "home_url": absolute_url("articles.index"),
        "subject": article.title,
    }
    # Sanitised on save; only its links and images were rewritten above.
    safe_body = Markup(body_html)  # nosec B704 # noqa: S704
    html = render_template(
        "mail/article.html", **values, cover=cover, body_html=safe_body
    )
    body_text = text_from_html(linked_html)
    text = render_template("mail/article.txt", **values, body_text=body_text)
    return MailTemplate(
        subject=" ".join(article.title.split()),
        text=text,
        html=INLINER.inline(html),
        images=tuple(images.parts),
    )


@dataclass(frozen=True)
class DigestEntry:
    article: Article
    url: str
    summary: str


def digest_template(articles: list[Article], subject: str) -> MailTemplate:
    entries = [
        DigestEntry(
            article=article,
            url=absolute_url("articles.detail", slug=article.slug),
            summary=article.summary,
        )
        for article in articles
    ]
    values = {
        "site": current_site(),
        "entries": entries,
        "home_url": absolute_url("articles.index"),
        "subject": subject,
    }
    return MailTemplate(
        subject=subject,
        text=render_template("mail/digest.txt", **values),
        html=INLINER.inline(render_template("mail/digest.html", **values)),
    )


class Embedder:
    """Each of the site's own images is attached and shown by its cid:; an
    image from elsewhere becomes a link named by its description, so no
    image is ever fetched when the mail is opened (no tracking, no
    third-party request)."""

    def __init__(self) -> None:
        self.parts: list[InlineImage] = []
        self.uploads_url = current_app.config["SITE_URL"] + "/uploads/"

    def embed(self, html: str) -> str:
        return IMG_TAG.sub(self.replace_tag, html)

    def replace_tag(self, match: re.Match[str]) -> str:
        attributes = {
            name.lower(): value for name, value in ATTRIBUTE.findall(match[0])
        }
        src, alt = attributes.get("src", ""), attributes.get("alt", "")
        cid = self.attach_upload(src)
        if cid is None:
            label = alt or src
            return f'<a href="{src}">[{label}]</a>' if src.startswith("http") else label
        return (
            f'<img src="cid:{cid}" alt="{alt}" style="max-width: 100%; height: auto;">'
        )

    def attach_upload(self, src: str) -> str | None:
        if not src.startswith(self.uploads_url):
            return None
        filename = src[len(self.uploads_url) :].split("?", 1)[0]
        upload = db.session.scalar(select(Upload).where(Upload.filename == filename))
        if upload is None:
            return None
        return self.attach(upload)

    def attach(self, upload: Upload) -> str | None:
        name = embedded_file(upload)
        try:
            data = (uploads_folder() / name).read_bytes()
        except OSError:
            return None
        cid = f"image{len(self.parts) + 1}.{name}"
        content_type = mimetypes.guess_type(name)[0] or upload.content_type
        self.parts.append(InlineImage(cid=cid, data=data, content_type=content_type))
        return cid

    def cover(self, article: Article) -> dict[str, object] | None:
        if article.cover is None:
            return None
        cid = self.attach(article.cover)
        if cid is None:
            return None
        return {
            "src": f"cid:{cid}",
            "alt": article.cover_description,
            "width": min(600, article.cover.width),
        }


def embedded_file(upload: Upload) -> str:
    """The largest copy in the upload's own format up to EMBED_WIDTH wide."""
    widths = [w for w in upload.variant_widths if w <= EMBED_WIDTH and w < upload.width]
    if upload.width <= EMBED_WIDTH or not widths or upload.extension == "gif":
        return upload.filename
    return upload.variant_filename(max(widths), upload.extension)
