"""What readers see, declared on the models themselves.

The page cache and the memos are keyed by the site's content version, which
moves with every change readers could notice (blog/cache/version.py). Which
changes those are is declared here, once, where the model is written:

- a model whose rows all appear on public pages or feeds (articles,
  comments, categories, tags) inherits `PublicContent`: adding, changing or
  deleting any of its rows moves the version;
- a model that is private but shows a few fields in public (a user's name on
  a byline) marks those columns with `info=PUBLIC`; only changes to them
  move the version, and deleting a row does (its name leaves the pages);
- everything else (revisions, uploads, redirects, the state row) moves
  nothing.

tests/test_content_version.py changes every column of every model and fails
when a public page changed but the version did not: an unmarked public field
cannot go unnoticed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import class_mapper

# Column info: this column of an otherwise private model is shown to readers.
PUBLIC: dict[str, Any] = {"public": True}


class PublicContent:
    """Mixin: every row of this model is shown to readers."""


def public_fields(model: type) -> tuple[str, ...]:
    """The attribute names of the columns marked PUBLIC on a private model."""
    return tuple(
        attribute.key
        for attribute in class_mapper(model).column_attrs
        if any(column.info.get("public") for column in attribute.columns)
    )


def is_public_model(model: type) -> bool:
    return issubclass(model, PublicContent)
