"""The request log: one line per request, an id on every response, and a
500 that the owner can find in the log from the reference a reader quotes."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask

from blog.models import Role
from blog.requestlog import RequestLog

REQUEST_ID = re.compile(r"[0-9a-f]{16}")


def exploding_app(app: Flask) -> Flask:
    @app.get("/explode")
    def explode() -> str:
        raise RuntimeError("secret internals")

    return app


@pytest.mark.parametrize(
    "path", ["/", "/", "/feed.xml", "/no/such/page", "/static/site.css", "/studio"]
)
def test_every_response_carries_a_request_id(client, path: str) -> None:
    response = client.get(path)
    response.close()

    assert REQUEST_ID.fullmatch(response.headers["X-Request-ID"])


def test_each_request_gets_its_own_id(client) -> None:
    ids = {client.get("/").headers["X-Request-ID"] for _ in range(5)}

    assert len(ids) == 5


def test_one_log_line_per_request_with_method_path_status_duration_and_id(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="blog.requests")

    response = client.get("/no/such/page")
    response.close()  # the line is written when the server closes the body

    lines = [r.getMessage() for r in caplog.records if r.name == "blog.requests"]
    request_id = response.headers["X-Request-ID"]
    assert len(lines) == 1
    assert re.fullmatch(
        rf"GET /no/such/page 404 \d+\.\dms id={request_id}", lines[0]
    ), lines


def test_a_forced_500_logs_its_traceback_with_the_id_the_reader_sees(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    response = exploding_app(app).test_client().get("/explode")

    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert f"Reference: <code>{request_id}</code>" in response.text
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert request_id in record.getMessage()
    assert "/explode" in record.getMessage()
    assert record.exc_info is not None
    assert "secret internals" in caplog.text  # the traceback is in the log


def test_an_error_outside_flask_still_gets_an_id_a_log_and_no_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(environ, start_response):  # noqa: ANN001, ANN202
        raise RuntimeError("secret internals")

    statuses: list[tuple[str, list]] = []
    body = RequestLog(broken, enabled=True, trust_proxy_id=False)(
        {"REQUEST_METHOD": "GET", "PATH_INFO": "/"},
        lambda status, headers, exc_info=None: statuses.append((status, headers)),
    )

    text = b"".join(body).decode()
    status, headers = statuses[-1]
    request_id = dict(headers)["X-Request-ID"]
    assert status.startswith("500")
    assert request_id in text
    assert "secret internals" not in text
    assert request_id in caplog.text and "secret internals" in caplog.text


def test_a_request_id_from_a_trusted_proxy_is_kept_if_it_is_plain(
    app_factory,
) -> None:
    behind_proxy = app_factory(PROXY_COUNT=1).test_client()
    direct = app_factory().test_client()

    kept = behind_proxy.get("/", headers={"X-Request-ID": "edge-4f2a9c01"})
    injected = behind_proxy.get("/", headers={"X-Request-ID": "x FAKE=line 200"})
    ignored = direct.get("/", headers={"X-Request-ID": "edge-4f2a9c01"})

    assert kept.headers["X-Request-ID"] == "edge-4f2a9c01"
    assert REQUEST_ID.fullmatch(injected.headers["X-Request-ID"])
    assert REQUEST_ID.fullmatch(ignored.headers["X-Request-ID"])


def test_logged_in_pages_carry_an_id_too(client_as) -> None:
    admin, _ = client_as(Role.ADMIN)

    assert REQUEST_ID.fullmatch(admin.get("/studio/").headers["X-Request-ID"])


def test_a_path_cannot_forge_a_log_line(
    client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="blog.requests")

    client.get("/x%0a2026-12-03 INFO blog.requests: GET / 200%00").close()

    [line] = [r.getMessage() for r in caplog.records if r.name == "blog.requests"]
    assert "\n" not in line and "\x00" not in line
    assert "/x\\x0a2026-12-03" in line
