"""Logging in and out with sessions the server can end.

Flask-Login keeps whatever id we give it in the signed session cookie and, for
"remember me", in the remember cookie. That id is a random token whose
digest is a row of user_sessions (blog/models/session.py), so:
- logging out deletes the row: a session or remember cookie copied before
  is refused afterwards;
- a remember cookie is used once: logging in from it replaces its token with
  a new one (and a new cookie), so a stolen copy dies at the owner's next visit;
- changing or resetting the password, or deactivating the account, deletes
  every row of the account.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask, Response, current_app, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user, user_loaded_from_cookie
from sqlalchemy import delete

from blog.database import write_transaction
from blog.extensions import db, login_manager
from blog.models import User, utcnow
from blog.models.session import USER_AGENT_MAX, UserSession, token_digest
from blog.rendering import without_control_characters

# A session without "remember me" also ends when the browser closes.
SESSION_LIFETIME = timedelta(days=7)
SESSION_KEY = "_user_id"  # where Flask-Login keeps the id it loads users by


def init_app(app: Flask) -> None:
    app.after_request(keep_personal_pages_private)
    user_loaded_from_cookie.connect(rotate_remember_token, app)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """Flask-Login's loader: the account of a live session, in one query."""
    return db.session.scalar(UserSession.select_user(token, utcnow()))


def log_in(user: User, *, remember: bool = False) -> None:
    """Start a session for this browser (a new row) and give it the cookies."""
    # The account itself, never Flask-Login's current_user proxy (a view that
    # logs the current user in again passes it): stored as the logged-in
    # user, the proxy would point at itself.
    user = db.session.get(User, user.id) or user
    token = new_session(user, remember=remember)
    login_user(user, remember=remember)
    session[SESSION_KEY] = token  # what the cookies carry, not the user's id


def log_out() -> None:
    """End this browser's session on the server, then forget it here: the
    session cookie, the remember cookie and the CSRF secret all go."""
    token = session.get(SESSION_KEY)
    if token:
        with write_transaction():
            db.session.execute(
                delete(UserSession).where(
                    UserSession.token_digest == token_digest(token)
                )
            )
    logout_user()
    session.clear()


def delete_session(token: str) -> None:
    db.session.execute(
        delete(UserSession).where(UserSession.token_digest == token_digest(token))
    )


def end_sessions(user: User, *, keep_current: bool = False) -> int:
    """Delete the account's sessions (all, or all but this browser's); the
    caller's write block commits. Returns how many ended."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    current = session.get(SESSION_KEY) if keep_current else None
    if current:
        statement = statement.where(UserSession.token_digest != token_digest(current))
    return db.session.execute(statement).rowcount  # type: ignore[attr-defined, no-any-return]


def end_other_sessions(user: User) -> int:
    with write_transaction():
        return end_sessions(user, keep_current=True)


def live_sessions(user: User) -> list[UserSession]:
    return list(db.session.scalars(UserSession.select_live(user.id, utcnow())))


def current_session_digest() -> str:
    token = session.get(SESSION_KEY)
    return token_digest(token) if token else ""


def new_session(user: User, *, remember: bool) -> str:
    token = secrets.token_urlsafe(32)
    lifetime = (
        timedelta(seconds=current_app.config["REMEMBER_COOKIE_DURATION"])
        if remember
        else SESSION_LIFETIME
    )
    with write_transaction():
        db.session.add(
            UserSession(
                user_id=user.id,
                token_digest=token_digest(token),
                remembered=remember,
                # A client sends what it likes: PostgreSQL refuses NUL in text.
                user_agent=without_control_characters(request.user_agent.string)[
                    :USER_AGENT_MAX
                ],
                expires_at=utcnow() + lifetime,
            )
        )
    return token


def rotate_remember_token(app: Flask, user: User) -> None:
    """Logged in from the remember cookie: that token is spent. Its row goes,
    a new one takes its place, and Flask-Login sends the new cookie."""
    spent = session[SESSION_KEY]
    token = new_session(user, remember=True)
    with write_transaction():
        delete_session(spent)
    session[SESSION_KEY] = token
    session["_remember"] = "set"


def keep_personal_pages_private(response: Response) -> Response:
    """A page seen by someone logged in is theirs (it shows their name, their
    drafts, their forms): no shared cache or back button may keep it."""
    if session.get(SESSION_KEY):
        response.headers["Cache-Control"] = "private, no-store"
    return response


def describe_browser(user_agent: str) -> str:
    """A session's browser as its owner knows it ("Firefox on Windows"), from
    the User-Agent it logged in with; ua-parser knows the thousands of forms."""
    from ua_parser import parse  # only the account page needs its rules

    parsed = parse(user_agent or "")
    browser = parsed.user_agent.family if parsed.user_agent else ""
    system = parsed.os.family if parsed.os else ""
    if browser and browser != "Other" and system and system != "Other":
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser and browser != "Other":
        return browser
    return _("An unknown browser")
