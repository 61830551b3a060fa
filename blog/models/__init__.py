"""Every model, imported here so Alembic and the app see one registry."""

from blog.models.article import Article, ArticleKind, ArticleStatus
from blog.models.autosave import Autosave
from blog.models.base import Base, utcnow
from blog.models.comment import Comment, CommentStatus
from blog.models.history import ArticleRedirect, Revision
from blog.models.imports import ImportedItem, LegacyAddress, LegacyTarget
from blog.models.job import Job, JobState
from blog.models.navigation import MenuItem, MenuTarget
from blog.models.profile import AuthorProfile
from blog.models.session import UserSession
from blog.models.settings import SiteSettings
from blog.models.site_state import SiteState
from blog.models.subscription import (
    Delivery,
    DeliveryState,
    Frequency,
    Mailing,
    MailingKind,
    Subscriber,
    SubscriberState,
)
from blog.models.taxonomy import Category, Tag, article_tags
from blog.models.upload import Upload
from blog.models.user import AnonymousReader, Role, User

__all__ = [
    "AnonymousReader",
    "Article",
    "ArticleKind",
    "ArticleRedirect",
    "ArticleStatus",
    "AuthorProfile",
    "Autosave",
    "Base",
    "Category",
    "Comment",
    "CommentStatus",
    "Delivery",
    "DeliveryState",
    "Frequency",
    "ImportedItem",
    "Job",
    "JobState",
    "LegacyAddress",
    "LegacyTarget",
    "Mailing",
    "MailingKind",
    "MenuItem",
    "MenuTarget",
    "Revision",
    "Role",
    "SiteSettings",
    "SiteState",
    "Subscriber",
    "SubscriberState",
    "Tag",
    "Upload",
    "User",
    "UserSession",
    "article_tags",
    "utcnow",
]
