"""The article page: a public part every reader is shown alike, remembered
per content version, and a personal part for this viewer.

The public part is the article's metadata in <head> and the article itself
with its neighbours. The personal part is whatever another package adds
under the article for this viewer: the comments package registers its
discussion (their own comments, the form, moderation) with
`add_personal_part` when its blueprint is registered, so this module needs
nothing of it. Anonymous readers' whole pages are cached by the middleware
instead (blog/cache/middleware.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import current_app, render_template
from flask.sansio.app import App
from markupsafe import Markup

from blog.authors.profiles import author_card
from blog.cache import remembered
from blog.extensions import db
from blog.models import Article
from blog.permissions import Viewer, current_viewer

PERSONAL_PART = "blog.article_personal_part"  # app.extensions key
# Renders what this viewer sees under the article; `state` is what the view
# that renders the page passes on (a refused comment's form and message).
PersonalPart = Callable[..., str]


def add_personal_part(app: App, render: PersonalPart) -> None:
    app.extensions[PERSONAL_PART] = render


class PublicPart(NamedTuple):
    """Our own templates' output, escaped as they were rendered."""

    head: str
    main: str


class ArticleLink(NamedTuple):
    title: str
    slug: str


@dataclass(frozen=True)
class ArticlePage:
    article: Article
    viewer: Viewer

    @classmethod
    def for_current_viewer(cls, article: Article) -> ArticlePage:
        return cls(article, current_viewer())

    def render(self, *, status: int = 200, **state: Any) -> tuple[str, int]:
        """articles/detail.html, with the personal part `state` asks for."""
        # Our own templates' output, escaped as they rendered it.
        personal_part = Markup(self.personal_part(**state))  # nosec B704 # noqa: S704
        return render_template(
            "articles/detail.html",
            article=self.article,
            public_part=self.public_part(),
            personal_part=personal_part,
        ), status

    def public_part(self) -> PublicPart:
        return remembered(f"article-public:{self.article.id}", self.render_public)

    def render_public(self) -> PublicPart:
        article = self.article
        # The page's loader leaves the body unread (tens of KB that most
        # requests never show); load its three columns in one query.
        db.session.refresh(article, ["body_markdown", "body_html", "body_text"])
        listed = article.is_published() and not article.is_page
        older, newer = neighbours(article) if listed else (None, None)
        author = author_card(article.author)
        return PublicPart(
            head=render_template("articles/_head.html", article=article, author=author),
            main=render_template(
                "articles/_main.html",
                article=article,
                author=author,
                older=older,
                newer=newer,
            ),
        )

    def personal_part(self, **state: Any) -> str:
        """The discussion; none on a page that takes no comments and has
        none (pages take none unless switched on)."""
        article = self.article
        if article.is_page and not article.comments_open and not article.comment_count:
            return ""
        render: PersonalPart | None = current_app.extensions.get(PERSONAL_PART)
        return render(article, self.viewer, **state) if render else ""


def neighbours(article: Article) -> tuple[ArticleLink | None, ...]:
    """The public articles just older and just newer than this one."""
    return tuple(
        ArticleLink(row.title, row.slug) if row else None
        for row in (
            db.session.execute(statement).first()
            for statement in Article.select_neighbours(article)
        )
    )
