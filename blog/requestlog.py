"""The request log: one line per request, each with an id the client sees.

The outermost layer of the app, so that pages served by the page cache get
their id and their line too, and an error outside Flask (in the cache's own
code) is still logged with its traceback and answered with a plain 500 that
shows only the id. Flask's error handler shows the same id on its 500 page.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, request
from werkzeug.wsgi import ClosingIterator

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("blog.requests")
errors_log = logging.getLogger("blog.errors")

ENVIRON_KEY = "blog.request_id"
# An id set by a trusted proxy is kept, so one id follows the request through
# both logs; only a short plain token is, so nothing can be injected in a line.
PROXY_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
FAILURE_PAGE = (
    "<!doctype html><html lang=en><meta charset=utf-8><title>Server error</title>"
    "<h1>Something went wrong</h1><p>The error has been logged. "
    "Reference: {request_id}</p>"
)


def init_app(app: Flask) -> None:
    """Wrap the app last: nothing may sit in front of the request log."""
    app.wsgi_app = RequestLog(  # type: ignore[method-assign]
        app.wsgi_app,
        enabled=app.config["REQUEST_LOG"],
        trust_proxy_id=app.config["PROXY_COUNT"] > 0,
    )


def current_request_id() -> str:
    """This request's id, for error pages and log lines."""
    return str(request.environ.get(ENVIRON_KEY, "-"))


class RequestLog:
    def __init__(
        self, app: WSGIApplication, *, enabled: bool, trust_proxy_id: bool
    ) -> None:
        self.app = app
        self.enabled = enabled
        self.trust_proxy_id = trust_proxy_id

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        request_id = self.request_id(environ)
        environ[ENVIRON_KEY] = request_id
        started = time.perf_counter()
        statuses: list[str] = []

        def start_with_id(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
            statuses.append(status)
            headers.append(("X-Request-ID", request_id))
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start_with_id)
        except Exception:
            errors_log.exception(
                "unhandled error %s on %s %s",
                request_id,
                environ.get("REQUEST_METHOD"),
                loggable(environ.get("PATH_INFO", "")),
            )
            body = failure(start_with_id, request_id)
        if not self.enabled:
            return body

        def write_line() -> None:
            log.info(
                "%s %s %s %.1fms id=%s",
                environ.get("REQUEST_METHOD"),
                loggable(environ.get("PATH_INFO", "")),
                statuses[-1].split(" ", 1)[0] if statuses else "-",
                (time.perf_counter() - started) * 1000,
                request_id,
            )

        return ClosingIterator(body, write_line)

    def request_id(self, environ: WSGIEnvironment) -> str:
        if self.trust_proxy_id:
            offered = environ.get("HTTP_X_REQUEST_ID", "")
            if PROXY_ID.fullmatch(offered):
                return str(offered)
        return secrets.token_hex(8)


def loggable(path: str) -> str:
    """The path with control characters written as escapes: "%0a" in a URL
    must not start a forged line in the log."""
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", path)


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def failure(start_response: StartResponse, request_id: str) -> list[bytes]:
    body = FAILURE_PAGE.format(request_id=request_id).encode()
    headers = [("Content-Type", "text/html; charset=utf-8")]
    # exc_info: replaces whatever headers the failed app had begun to send.
    start_response("500 INTERNAL SERVER ERROR", headers, sys.exc_info())
    return [body]
