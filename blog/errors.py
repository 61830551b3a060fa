"""User-facing errors and the app-wide handlers that render every error page."""

from __future__ import annotations

import logging

from flask import (
    Flask,
    Response,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    TooManyRequests,
)
from werkzeug.wrappers import Response as BaseResponse

from blog.extensions import db
from blog.requestlog import current_request_id, loggable

log = logging.getLogger(__name__)

PAGES_WITH_TEMPLATES = {400, 403, 404, 405, 413, 429, 500}
# Werkzeug's names of the statuses the generic page may show, in the site's
# language (the JSON body keeps werkzeug's: programs read it).
STATUS_NAMES = {
    "Unauthorized": _l("Unauthorized"),
    "Not Acceptable": _l("Not Acceptable"),
    "Conflict": _l("Conflict"),
    "Gone": _l("Gone"),
    "Length Required": _l("Length Required"),
    "Unsupported Media Type": _l("Unsupported Media Type"),
    "Unprocessable Entity": _l("Unprocessable Entity"),
    "Not Implemented": _l("Not Implemented"),
    "Service Unavailable": _l("Service Unavailable"),
}


class BlogError(Exception):
    """A refusal with a message a user can act on, and its HTTP status."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(BlogError):
    status_code = 400


class PermissionDenied(BlogError):
    status_code = 403


class Conflict(BlogError):
    status_code = 409


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(BlogError, handle_blog_error)
    app.register_error_handler(Exception, handle_unexpected_error)


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path == "/healthz" or best == "application/json"


def render_error(
    status: int, title: str, detail: str | None
) -> tuple[Response | str, int]:
    """The error page for this status; detail is a message specific to this
    refusal, shown under the page's general explanation."""
    reference = current_request_id()
    if wants_json():
        body = jsonify(
            error=title, message=detail or title, status=status, reference=reference
        )
        return body, status
    template = f"errors/{status if status in PAGES_WITH_TEMPLATES else 'generic'}.html"
    shown_title = str(STATUS_NAMES.get(title, title))
    page = render_template(
        template, status=status, title=shown_title, detail=detail, reference=reference
    )
    return page, status


def handle_http_error(error: HTTPException) -> BaseResponse:
    if error.code is None or error.code < 400 or error.response is not None:
        # A redirect, or an error that carries its own page (e.g. a comment
        # refused by the rate limit, shown with the typed text kept).
        return error.get_response()
    if error.code == 404 and request.method in ("GET", "HEAD"):
        moved = old_address_moved()
        if moved is not None:
            return moved
    response = make_response(
        render_error(error.code, error.name, specific_description(error))
    )
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if isinstance(error, TooManyRequests) and error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def old_address_moved() -> BaseResponse | None:
    """A 301 when the address is one an imported blog had."""
    from blog.articles.legacy import legacy_destination  # imports this module

    destination = legacy_destination(request.path, request.query_string.decode())
    return None if destination is None else redirect(destination, code=301)


def specific_description(error: HTTPException) -> str | None:
    """The description given to abort(), not werkzeug's stock text."""
    if error.description == type(error).description:
        return None
    if error.code == 429:  # Flask-Limiter's description is the bare limit
        return _("The limit is %(limit)s.", limit=error.description)
    return error.description


def handle_blog_error(error: BlogError) -> tuple[Response | str, int]:
    return render_error(error.status_code, _("Sorry"), error.message)


def handle_unexpected_error(error: Exception) -> tuple[Response | str, int]:
    """Roll back, log the traceback with the request's id, and show a plain
    page with only that id: the reference a reader can quote to the owner."""
    db.session.rollback()
    request_id = current_request_id()
    log.exception(
        "unhandled error %s on %s %s",
        request_id,
        request.method,
        loggable(request.path),
    )
    return render_error(500, InternalServerError().name, None)
