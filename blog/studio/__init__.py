"""The studio blueprint: articles, revisions, uploads, moderation, accounts."""

from blog.studio.routes import bp

__all__ = ["bp"]
