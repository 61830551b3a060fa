"""An author's profile: shown under their articles, on their page, in
JSON-LD and in the feeds; saved from the studio.

The photo is an upload's square copies, served from our own origin; an
author without one gets their initials, drawn by the page itself (an inline
SVG): no Gravatar, no request to anyone else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from blog.database import write_transaction
from blog.errors import InvalidInput
from blog.extensions import db
from blog.http import absolute_url
from blog.models import AuthorProfile, Upload, User, utcnow
from blog.models.profile import BIO_MAX, LINKS_MAX, URL_MAX
from blog.rendering import plain_text_of, render_comment

# How many colours an initials avatar is drawn in: its name picks one, so two
# authors side by side are told apart. Each carries white text at 4.5:1.
INITIALS_COLOURS = 6


@dataclass(frozen=True)
class ProfileLink:
    href: str
    label: str


@dataclass(frozen=True)
class AuthorCard:
    """What a template, a feed or JSON-LD is given of an author."""

    name: str
    slug: str
    initials: str
    colour: int  # 0 .. INITIALS_COLOURS - 1
    bio_html: Markup = Markup("")
    bio_text: str = ""
    links: tuple[ProfileLink, ...] = ()
    # Square copies' paths by size; none when they have no photo.
    avatar_paths: dict[int, str] = field(default_factory=dict)

    @property
    def page_path(self) -> str:
        return url_for("articles.by_author", slug=self.slug)

    @property
    def page_url(self) -> str:
        return absolute_url("articles.by_author", slug=self.slug)

    def avatar_srcset(self, size: int) -> str:
        """`srcset` for an avatar shown at `size` CSS pixels, "" without one."""
        one, two = self.avatar_paths.get(size), self.avatar_paths.get(size * 2)
        if not one:
            return ""
        return f"{one} 1x, {two} 2x" if two else f"{one} 1x"

    def avatar_url(self, size: int) -> str:
        path = self.avatar_paths.get(size)
        return str(current_app.config["SITE_URL"]) + path if path else ""

    def as_person(self) -> dict[str, Any]:
        """schema.org Person, for JSON-LD."""
        person: dict[str, Any] = {
            "@type": "Person",
            "name": self.name,
            "url": self.page_url,
        }
        if self.avatar_paths:
            person["image"] = self.avatar_url(max(self.avatar_paths))
        if self.bio_text:
            person["description"] = self.bio_text
        if self.links:
            person["sameAs"] = [link.href for link in self.links]
        return person


def author_card(user: User) -> AuthorCard:
    """The author as readers see them (one query for the profile and its
    photo, when not loaded yet)."""
    profile = user.profile
    card = AuthorCard(
        name=user.display_name,
        slug=user.slug,
        initials=initials_of(user.display_name),
        colour=colour_of(user.slug),
    )
    if profile is None:
        return card
    return AuthorCard(
        name=card.name,
        slug=card.slug,
        initials=card.initials,
        colour=card.colour,
        # Sanitised when it was saved (save_profile).
        bio_html=Markup(profile.bio_html),  # nosec B704 # noqa: S704
        bio_text=profile.bio_text,
        links=tuple(links_of(profile)),
        avatar_paths=avatar_paths(profile.avatar),
    )


def initials_of(name: str) -> str:
    """The first letter of the first and last words: "Ada King" → "AK"."""
    words = [word for word in name.split() if word[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def colour_of(slug: str) -> int:
    return hashlib.sha256(slug.encode()).digest()[0] % INITIALS_COLOURS


def avatar_paths(upload: Upload | None) -> dict[int, str]:
    if upload is None:
        return {}
    return {
        size: url_for("site.upload", filename=upload.square_filename(size))
        for size in upload.square_sizes
    }


def links_of(profile: AuthorProfile) -> list[ProfileLink]:
    """The website first, then the other profiles, each named by its host."""
    addresses = [profile.website] if profile.website else []
    return [
        ProfileLink(address, host_label(address))
        for address in [*addresses, *profile.links]
    ]


def host_label(address: str) -> str:
    parts = urlsplit(address)
    host = (parts.hostname or address).removeprefix("www.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" if len(path) <= 24 else host


# Saving -------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileChanges:
    bio: str
    website: str
    links: list[str]
    # The new photo; None keeps the current one unless remove_avatar.
    avatar: Upload | None = None
    remove_avatar: bool = False


def checked_changes(changes: ProfileChanges) -> ProfileChanges:
    """The changes as they will be stored, or InvalidInput saying what is
    wrong: checked before the photo is stored, so a refused link leaves no
    image behind."""
    if len(changes.bio) > BIO_MAX:
        raise InvalidInput(
            _(
                "A bio may be at most %(limit)s characters; this one has %(length)s.",
                limit=BIO_MAX,
                length=len(changes.bio),
            )
        )
    website = web_address(changes.website) if changes.website.strip() else ""
    links = list(
        dict.fromkeys(web_address(line) for line in changes.links if line.strip())
    )
    if len(links) > LINKS_MAX:
        raise InvalidInput(_("Give at most %(limit)s other profiles.", limit=LINKS_MAX))
    return ProfileChanges(
        changes.bio.strip(), website, links, changes.avatar, changes.remove_avatar
    )


def web_address(text: str) -> str:
    """An http(s) address as given, or InvalidInput: a profile link must open
    a web page, never run a script (javascript:) or reach into the reader's
    machine (file:)."""
    address = text.strip()
    parts = urlsplit(address)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or len(address) > URL_MAX
        or any(character.isspace() or ord(character) < 32 for character in address)
    ):
        shown = address if len(address) <= 60 else address[:57] + "…"
        raise InvalidInput(
            _(
                "“%(address)s” is not a web address: give one starting with "
                "https:// (at most %(limit)s characters).",
                address=shown,
                limit=URL_MAX,
            )
        )
    return address


def save_profile(user: User, changes: ProfileChanges) -> AuthorProfile:
    """Store the author's profile. Moves the content version: their pages and
    feeds show it at once."""
    changes = checked_changes(changes)
    with write_transaction():
        return apply_changes(user, changes)


def apply_changes(user: User, changes: ProfileChanges) -> AuthorProfile:
    """Write checked changes in the caller's write transaction."""
    bio_html = render_comment(changes.bio) if changes.bio else ""
    # Lock the profile's row only: PostgreSQL locks no row of the outer join
    # that loads its photo.
    profile = db.session.get(
        AuthorProfile, user.id, with_for_update={"of": AuthorProfile}
    )
    if profile is None:
        profile = AuthorProfile(user_id=user.id)
        db.session.add(profile)
    profile.bio_markdown = changes.bio
    profile.bio_html = bio_html
    profile.bio_text = plain_text_of(bio_html)
    profile.website = changes.website
    profile.links = changes.links
    if changes.remove_avatar:
        profile.avatar = None
    elif changes.avatar is not None:
        profile.avatar = changes.avatar
    profile.updated_at = utcnow()
    return profile
