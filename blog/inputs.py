"""One input policy for every request, enforced before any view runs.

Text a person types never holds a control character other than tab, line
feed and carriage return; a NUL reaching PostgreSQL is an error in the
driver ("text fields cannot contain NUL"), and split payloads ("on\\x00error")
hide in the rest. So a path with one is a page that cannot exist (404), a
query with one is refused (400), and a form's text is cleaned of them, all
before a view reads anything: no route needs to remember. Numbers that name
rows are bounded by the smallest id column (PostgreSQL's integer) in the URL
converter and in forms.
"""

from __future__ import annotations

import re

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, Map
from wtforms import Field, ValidationError

MAX_ROW_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider
# C0 controls but tab, line feed and carriage return; DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A path is a name, never text: no line breaks or tabs either.
PATH_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RowIdConverter
    app.before_request(refuse_control_characters)


class RowIdConverter(IntegerConverter):
    """<int:…> in URLs, bounded to what a database id column holds, so an
    absurd number is a 404 rather than an overflow in the database driver."""

    def __init__(self, url_map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]


def refuse_control_characters() -> None:
    if PATH_CONTROL_CHARACTERS.search(request.path):
        abort(404)
    if any(CONTROL_CHARACTERS.search(value) for value in request.args.values()):
        abort(400, refused())
    if request.method == "POST":
        clean_form_text()


def refused() -> str:
    return _(
        "The request holds a control character (such as a NUL byte) where text "
        "belongs. Nothing was changed."
    )


def clean_form_text() -> None:
    """A form's text loses its control characters before any form or view
    reads it. Refusing instead would throw away a comment pasted from a PDF
    (form feeds) for one invisible character: nothing typed is lost this
    way, and no NUL reaches the database. Removed before anything is
    rendered or sanitised, so a split payload is joined where the sanitiser
    still sees it."""
    form = request.form
    if not any(
        CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
        for key, value in form.items(multi=True)
    ):
        return
    request.form = ImmutableMultiDict(  # type: ignore[misc]
        [
            (CONTROL_CHARACTERS.sub("", key), CONTROL_CHARACTERS.sub("", value))
            for key, value in form.items(multi=True)
        ]
    )


def is_row_id(number: int) -> bool:
    return 1 <= number <= MAX_ROW_ID


def row_ids(_form: object, field: Field) -> None:
    """WTForms validator: every id in the field could name a row."""
    if not all(is_row_id(number) for number in field.data or []):
        raise ValidationError(_("That is not a comment of this site."))
