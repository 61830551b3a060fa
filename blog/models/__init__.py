"""Every model, imported here so Alembic and the app see one registry."""

from blog.models.article import (
    Article,
    ArticleStatus,
    Category,
    Revision,
    Tag,
    article_tags,
)
from blog.models.base import Base, utcnow
from blog.models.comment import Comment, CommentStatus
from blog.models.user import AnonymousReader, Role, User

__all__ = [
    "AnonymousReader",
    "Article",
    "ArticleStatus",
    "Base",
    "Category",
    "Comment",
    "CommentStatus",
    "Revision",
    "Role",
    "Tag",
    "User",
    "article_tags",
    "utcnow",
]
