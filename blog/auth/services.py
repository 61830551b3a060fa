"""Accounts: creating users, finding authors, loading the logged-in user."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError

from blog.errors import Conflict, InvalidInput
from blog.extensions import db, login_manager
from blog.models import Role, User, utcnow
from blog.slugs import make_slug, unique_slug

PASSWORD_MIN = 10
# Imported authors get an address that can never receive mail (RFC 2606).
IMPORTED_AUTHOR_DOMAIN = "authors.invalid"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: one primary-key get, only when a session has a user."""
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def check_password_rules(password: str, email: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(f"A password needs at least {PASSWORD_MIN} characters.")
    if password.strip().lower() == email.strip().lower():
        raise InvalidInput("The password must not be the email address.")


def create_user(
    *, email: str, display_name: str, role: Role, password: str | None
) -> User:
    """A new account; password None leaves it without a usable password."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise InvalidInput(f"{email!r} is not an email address.")
    if password is not None:
        check_password_rules(password, email)
    if db.session.scalar(User.select_by_email(email)) is not None:
        raise Conflict(f"An account for {email} exists already.")
    user = new_user(email=email, display_name=display_name, role=role)
    if password is not None:
        user.set_password(password)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(f"An account for {email} exists already.") from error
    return user


def new_user(*, email: str, display_name: str, role: Role) -> User:
    """Add a user to the session (the caller commits)."""
    display_name = display_name.strip() or email.split("@")[0]
    user = User(
        email=email,
        display_name=display_name,
        slug=unique_slug(display_name, User.slug),
        role=role,
    )
    db.session.add(user)
    return user


def find_or_add_author(display_name: str) -> User:
    """The account an imported article is credited to, by name. One is added
    with the author role and no usable password if none exists; a reader of
    that name is made an author. The caller commits."""
    slug = make_slug(display_name)
    user = db.session.scalar(
        db.select(User).where(
            (User.slug == slug)
            | (db.func.lower(User.display_name) == display_name.lower())
        )
    )
    if user is None:
        email = f"{slug}@{IMPORTED_AUTHOR_DOMAIN}"
        return new_user(email=email, display_name=display_name, role=Role.AUTHOR)
    if not user.has_role(Role.AUTHOR):
        user.role = Role.AUTHOR
    return user


def authenticate(*, email: str, password: str) -> User:
    """The active user with this email and password; one message for every
    failure, so it does not tell which accounts exist."""
    user = db.session.scalar(User.select_by_email(email))
    if user is None or not user.check_password(password) or not user.is_active:
        raise InvalidInput("The email or password is not right.")
    user.last_login_at = utcnow()
    db.session.commit()
    return user
