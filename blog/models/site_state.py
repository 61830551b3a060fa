"""One row of site-wide state: the version of everything readers can see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Integer, Table, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from blog.models.base import Base

STATE_ROW_ID = 1


class SiteState(Base):
    """content_version goes up in the same transaction as every change to what
    anonymous readers see, so a page cached under one version is never served
    after that change commits, on any worker or host."""

    __tablename__ = "site_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    content_version: Mapped[int] = mapped_column(default=0)


@event.listens_for(SiteState.__table__, "after_create")
def insert_state_row(target: Table, connection: Connection, **_kw: Any) -> None:
    """create_all (tests) gets the row the migration inserts."""
    connection.execute(insert(target).values(id=STATE_ROW_ID, content_version=0))
