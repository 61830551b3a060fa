"""Writing an import's people, categories, tags and old addresses."""

from __future__ import annotations

from blog.articles.legacy import has_control_characters, normal_path
from blog.auth.services import IMPORTED_AUTHOR_DOMAIN, new_user
from blog.authors.profiles import ProfileChanges, apply_changes, checked_changes
from blog.errors import BlogError
from blog.extensions import db
from blog.models import Category, LegacyAddress, LegacyTarget, Role, Tag, User
from blog.models.imports import PATH_MAX
from blog.models.taxonomy import NAME_MAX
from blog.models.user import DISPLAY_NAME_MAX
from blog.moving.ledger import Ledger
from blog.moving.records import PersonRecord, Report, TermRecord
from blog.slugs import make_slug, unique_slug


def write_person(person: PersonRecord, ledger: Ledger, report: Report) -> User:
    """The account for an old blog's author: the one an earlier import made,
    else the author here with that e-mail, else a new author account with no
    usable password (a password reset gives them one)."""
    name = person.display_name.strip()[:DISPLAY_NAME_MAX] or person.email
    known = ledger.local_id("person", person.key)
    user = db.session.get(User, known) if known else None
    if user is not None:
        report.add("author", name, "unchanged")
        return user
    holder = (
        db.session.scalar(User.select_by_email(person.email)) if person.email else None
    )
    if holder is not None and holder.has_role(Role.AUTHOR):
        report.add("author", name, "matched", f"the account {holder.email}")
        user = holder
    else:
        email = person.email if holder is None and person.email else None
        if email is None:
            # A reader here has this e-mail (or there is none): reading rights
            # are never turned into an author's. Their posts go to a new account.
            email = f"{unique_slug(name, User.slug)}@{IMPORTED_AUTHOR_DOMAIN}"
            reason = "e-mail held by a reader here" if holder else "no e-mail"
            report.add("author", name, "created", f"{reason}: as {email}")
        else:
            report.add("author", name, "created")
        user = new_user(email=email, display_name=name, role=Role.AUTHOR)
        if person.slug and not db.session.scalar(User.select_by_slug(person.slug)):
            user.slug = make_slug(person.slug, 100)
        if person.created_at:
            user.created_at = person.created_at
        user.active = person.active  # a locked account on the old blog stays so
        db.session.flush()
        write_profile(user, person, report)
    ledger.remember("person", person.key, user.id)
    return user


def write_profile(user: User, person: PersonRecord, report: Report) -> None:
    """A new author's bio and website, as their profile shows them; one
    the profile cannot hold is named, and the account made without it."""
    if not (person.bio.strip() or person.website.strip()):
        return
    changes = ProfileChanges(bio=person.bio, website=person.website, links=[])
    try:
        apply_changes(user, checked_changes(changes))
    except BlogError as error:
        report.add("author", user.display_name, "created", f"profile left out: {error}")


def write_term(term: TermRecord, ledger: Ledger, report: Report) -> Category | Tag:
    model: type[Category] | type[Tag] = Category if term.kind == "category" else Tag
    name = term.name.strip()[:NAME_MAX] or term.slug
    known = ledger.local_id(term.kind, term.key)
    row = term_row(term.kind, known) if known else None
    if row is None:
        slug = make_slug(term.slug or name, NAME_MAX)
        row = db.session.scalar(model.select_by_slug(slug))
        if row is None:
            row = model(name=name, slug=unique_slug(slug, model.slug, NAME_MAX))
            db.session.add(row)
            db.session.flush()
            report.add(term.kind, name, "created")
        else:
            report.add(term.kind, name, "matched", f"the {term.kind} {row.slug}")
    elif row.name != name:
        row.name = name
        report.add(term.kind, name, "updated")
    else:
        report.add(term.kind, name, "unchanged")
    ledger.remember(term.kind, term.key, row.id)
    return row


def term_row(kind: str, row_id: int) -> Category | Tag | None:
    if kind == "category":
        return db.session.get(Category, row_id)
    return db.session.get(Tag, row_id)


def keep_address(
    path: str,
    source: str,
    *,
    target: LegacyTarget,
    target_id: int | None = None,
    target_path: str = "",
) -> bool:
    """Store (or point again) an old address; blog/articles/legacy.py
    answers it with a 301. False for one no request can name: too long, or
    holding a control character (WordPress's %00)."""
    path = normal_path(path)
    if len(path) >= PATH_MAX or has_control_characters(path):
        return False
    if path in ("/", ""):
        return True  # the old home page is our home page
    address = db.session.scalar(LegacyAddress.select_by_path(path))
    if address is None:
        address = LegacyAddress(path=path, source=source)
        db.session.add(address)
    address.target, address.target_id = target, target_id
    address.target_path = target_path
    return True
