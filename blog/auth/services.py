"""Accounts: creating users, finding authors, loading the logged-in user."""

from __future__ import annotations

import secrets
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from blog.auth.sessions import end_sessions
from blog.database import write_transaction
from blog.errors import Conflict, InvalidInput, PermissionDenied
from blog.extensions import db
from blog.http import absolute_url
from blog.mail import send_mail
from blog.models import Article, Comment, Role, User, utcnow
from blog.site_settings import current_site
from blog.slugs import make_slug, unique_slug

PASSWORD_MIN = 10
PASSWORD_MAX = 1024
RESET_TOKEN_MAX_AGE = 60 * 60  # a reset link works for one hour
RESET_SALT = "password-reset"
# Imported authors get an address that can never receive mail (RFC 2606).
IMPORTED_AUTHOR_DOMAIN = "authors.invalid"


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def check_password_rules(password: str, email: str) -> None:
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(
            _("A password needs at least %(min)d characters.", min=PASSWORD_MIN)
        )
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(
            _("A password has at most %(max)d characters.", max=PASSWORD_MAX)
        )
    if password.strip().lower() == email.strip().lower():
        raise InvalidInput(_("The password must not be the email address."))


def create_user(
    *, email: str, display_name: str, role: Role, password: str | None
) -> User:
    """A new account; password None leaves it without a usable password."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise InvalidInput(_("%(email)s is not an email address.", email=repr(email)))
    password_hash = None
    if password is not None:
        check_password_rules(password, email)
        password_hash = generate_password_hash(password)  # slow: before the lock
    try:
        with write_transaction():
            if db.session.scalar(User.select_by_email(email)) is not None:
                raise Conflict(account_exists(email))
            user = new_user(email=email, display_name=display_name, role=role)
            user.password_hash = password_hash
    except IntegrityError as error:
        raise Conflict(account_exists(email)) from error
    return user


def account_exists(email: str) -> str:
    return _("An account for %(email)s exists already.", email=email)


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
    """The author an imported article is credited to, by name. Only accounts
    that already hold the author role (or higher) match: display names are
    chosen freely, so a reader who names themself after an author must never
    be credited, let alone promoted. Without a match, an author account with
    no usable password is added. The caller commits."""
    authors = User.select_authors_named(display_name, make_slug(display_name))
    user = db.session.scalars(authors).first()
    if user is not None:
        return user
    account_slug = unique_slug(display_name, User.slug)
    email = f"{account_slug}@{IMPORTED_AUTHOR_DOMAIN}"
    return new_user(email=email, display_name=display_name, role=Role.AUTHOR)


def authenticate(*, email: str, password: str) -> User:
    """The active user with this email and password; one message for every
    failure, and a hash computed either way, so neither the answer nor its
    timing tells which accounts exist."""
    user = db.session.scalar(User.select_by_email(email))
    if user is None or user.password_hash is None:
        check_password_hash(dummy_password_hash(), password)
        raise InvalidInput(login_refused())
    if not user.check_password(password) or not user.is_active:
        raise InvalidInput(login_refused())
    with write_transaction():
        user.last_login_at = utcnow()
    return user


def login_refused() -> str:
    return _("The email or password is not right.")


@cache
def dummy_password_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def register_user(*, email: str, display_name: str, password: str) -> User:
    """A reader account, open only while registration is."""
    if not current_site().registration_open:
        raise PermissionDenied(_("Registration is closed on this site."))
    return create_user(
        email=email, display_name=display_name, role=Role.READER, password=password
    )


def update_profile(*, user: User, display_name: str, notify_replies: bool) -> User:
    display_name = display_name.strip()
    if not display_name:
        raise InvalidInput(_("A display name cannot be empty."))
    with write_transaction():
        user.display_name = display_name
        user.notify_replies = notify_replies
    return user


def change_password(*, user: User, current_password: str, new_password: str) -> User:
    """Set a new password after checking the current one. Other sessions and
    reset links of this account stop working."""
    if not user.check_password(current_password):
        raise InvalidInput(_("The current password is not right."))
    check_password_rules(new_password, user.email)
    password_hash = generate_password_hash(new_password)
    with write_transaction():
        user.password_hash = password_hash
        end_sessions(user)  # the caller starts a new one for this browser
    return user


def delete_account(*, user: User, password: str) -> None:
    """Remove the account. Its comments stay, credited to "deleted user"; an
    author must first hand over or delete their articles."""
    if user.has_password and not user.check_password(password):
        raise InvalidInput(_("The password is not right."))
    with write_transaction():
        has_articles = db.session.scalar(Article.select_count_by_author(user.id))
        if has_articles:
            raise Conflict(
                _(
                    "Your account still has articles. Delete them, or ask an "
                    "editor to move them to another author, before deleting the "
                    "account."
                )
            )
        # Comments keep their place in threads, with no author.
        db.session.execute(Comment.update_orphan_by(user.id))
        end_sessions(user)
        db.session.delete(user)


def reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def make_reset_token(user: User) -> str:
    """A signed token naming the account and its current password, so it stops
    working once used (the password changes) or after a password change."""
    return reset_serializer().dumps([user.id, user.password_fingerprint])


def user_for_reset_token(token: str) -> User:
    try:
        user_id, fingerprint = reset_serializer().loads(
            token, max_age=RESET_TOKEN_MAX_AGE
        )
    except SignatureExpired as error:
        raise InvalidInput(
            _("This reset link has expired. Ask for a new one below.")
        ) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise InvalidInput(
            _("This reset link is not valid. Ask for a new one.")
        ) from error
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or user.password_fingerprint != fingerprint:
        raise InvalidInput(reset_link_used())
    return user


def reset_link_used() -> str:
    return _(
        "This reset link was used already, or the password has changed since it "
        "was sent. Ask for a new one."
    )


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this email; say nothing
    either way, so the form does not reveal who has an account."""
    user = db.session.scalar(User.select_by_email(email))
    if user is None or not user.active:
        return
    link = absolute_url("auth.reset_password", token=make_reset_token(user))
    # In the site's language: this runs within a request.
    send_mail(
        user.email,
        _("Reset your password on %(site)s", site=current_site().title),
        _(
            "Hello %(name)s,\n\nSomeone (we hope you) asked to reset the "
            "password of this account. Open this link within an hour to choose a "
            "new password:\n\n%(link)s\n\nThe link works once. If you did not ask "
            "for it, ignore this mail: your password stays as it is.\n",
            name=user.display_name,
            link=link,
        ),
    )


def reset_password(*, token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    check_password_rules(new_password, user.email)
    password_hash = generate_password_hash(new_password)
    fingerprint = user.password_fingerprint
    with write_transaction():
        db.session.refresh(user)  # the link works once, even for two at a time
        if user.password_fingerprint != fingerprint:
            raise InvalidInput(reset_link_used())
        user.password_hash = password_hash
        end_sessions(user)  # whoever knew the old password is logged out
    return user


def set_role(*, user: User, role: Role, by: User | None = None) -> User:
    """Change a role; an admin cannot take their own admin role away."""
    if by is not None and by.id == user.id and role is not Role.ADMIN:
        raise PermissionDenied(_("You cannot remove your own admin role."))
    with write_transaction():
        user.role = role
    return user


def set_active(*, user: User, active: bool, by: User) -> User:
    """Deactivate or reactivate an account; deactivating ends its sessions."""
    if by.id == user.id:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    with write_transaction():
        user.active = active
        if not active:
            end_sessions(user)
    return user
