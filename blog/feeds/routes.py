"""RSS 2.0, Atom and JSON Feed for the site, its scopes and its comments."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("feeds", __name__)
