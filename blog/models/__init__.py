"""Every model, imported here so Alembic and the app see one registry."""

from blog.models.article import (
    Article,
    ArticleRedirect,
    ArticleStatus,
    Category,
    Revision,
    Tag,
    article_tags,
)
from blog.models.base import Base, utcnow
from blog.models.comment import Comment, CommentStatus
from blog.models.site_state import SiteState
from blog.models.upload import Upload
from blog.models.user import AnonymousReader, Role, User

__all__ = [
    "AnonymousReader",
    "Article",
    "ArticleRedirect",
    "ArticleStatus",
    "Base",
    "Category",
    "Comment",
    "CommentStatus",
    "Revision",
    "SiteState",
    "Role",
    "Tag",
    "Upload",
    "User",
    "article_tags",
    "utcnow",
]
