"""The studio's blueprint object, on its own so every view module can attach
its routes to it without importing the others."""

from flask import Blueprint

from blog.cache import exempt_blueprint

bp = Blueprint("studio", __name__, url_prefix="/studio")
exempt_blueprint(bp, "every studio page is behind a login, for staff")
