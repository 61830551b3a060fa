"""The header and footer menus the owner arranges in the studio."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Select, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from blog.models.article import Article
from blog.models.base import Base
from blog.models.public import PublicContent
from blog.models.taxonomy import Category, Tag
from blog.models.user import enum_column

LABEL_MAX = 60
URL_MAX = 500
MENUS = ("header", "footer")


class MenuTarget(enum.StrEnum):
    """What a menu item links to: a row (page, category, tag), one of the
    site's own pages, or any address."""

    PAGE = "page"
    CATEGORY = "category"
    TAG = "tag"
    HOME = "home"
    ARCHIVE = "archive"
    SEARCH = "search"
    SUBSCRIBE = "subscribe"
    URL = "url"


class MenuItem(PublicContent, Base):
    """One link of a menu. A page, category or tag is linked by its row, so
    a new slug or name shows at once, and the item goes with the row."""

    __tablename__ = "menu_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    menu: Mapped[str] = mapped_column(String(16), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # Empty: the target's own name (the page's title, the category's name).
    label: Mapped[str] = mapped_column(String(LABEL_MAX), default="")
    target: Mapped[MenuTarget] = mapped_column(enum_column(MenuTarget, "menu_target"))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE")
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE")
    )
    tag_id: Mapped[int | None] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE")
    )
    url: Mapped[str] = mapped_column(String(URL_MAX), default="")

    article: Mapped[Article | None] = relationship()
    category: Mapped[Category | None] = relationship()
    tag: Mapped[Tag | None] = relationship()

    @classmethod
    def select_menu(cls, menu: str) -> Select[MenuItem]:
        return cls.select_menus().where(cls.menu == menu)

    @classmethod
    def select_menus(cls) -> Select[MenuItem]:
        """Every menu's items, each menu in order, with what they link."""
        return (
            select(cls)
            .options(
                # A page's title and whether it is public, not its body.
                joinedload(cls.article).load_only(
                    Article.title,
                    Article.slug,
                    Article.kind,
                    Article.status,
                    Article.published_at,
                ),
                joinedload(cls.category),
                joinedload(cls.tag),
            )
            .order_by(cls.menu, cls.position, cls.id)
        )
