"""The article page, as the article view and the comment views both render it."""

from __future__ import annotations

from typing import Any

from flask import render_template

from blog.models import Article


def render_article_page(
    article: Article, *, status: int = 200, **context: Any
) -> tuple[str, int]:
    """Render articles/detail.html for this article. The comment views call it
    too, to show a refused comment with its message and text."""
    return render_template("articles/detail.html", article=article, **context), status
