"""Which of our rows each item of an imported blog became (ImportedItem),
read once per kind at the start of an import and kept up to date as it
writes: a second import of the same file finds and updates them."""

from __future__ import annotations

import hashlib

from blog.extensions import db
from blog.models import ImportedItem
from blog.models.imports import SOURCE_MAX

KEY_MAX = 100


def external_id(key: str) -> str:
    """Keys longer than the column (an image's address) are kept by digest."""
    if len(key) <= KEY_MAX:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class Ledger:
    def __init__(self, source: str) -> None:
        self.source = source[:SOURCE_MAX]
        self.rows: dict[str, dict[str, ImportedItem]] = {}

    def known(self, kind: str) -> dict[str, ImportedItem]:
        if kind not in self.rows:
            items = db.session.scalars(ImportedItem.select_from(self.source, kind))
            self.rows[kind] = {item.external_id: item for item in items}
        return self.rows[kind]

    def local_id(self, kind: str, key: str) -> int | None:
        item = self.known(kind).get(external_id(key))
        return item.local_id if item else None

    def remember(self, kind: str, key: str, local_id: int) -> None:
        held = self.known(kind)
        item = held.get(external_id(key))
        if item is None:
            item = ImportedItem(
                source=self.source,
                kind=kind,
                external_id=external_id(key),
                local_id=local_id,
            )
            db.session.add(item)
            held[item.external_id] = item
        item.local_id = local_id
