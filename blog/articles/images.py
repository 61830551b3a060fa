"""An uploaded image as pages show it: its copies as srcset, its size so the
page does not move when it arrives, and the address link previews and feeds
give."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from blog.http import absolute_url
from blog.models import Upload

# The copy a browser without srcset, a link preview or a feed gets: wide
# enough for a large preview card (1200 px is what OpenGraph asks for).
SHARED_WIDTH = 1200


@dataclass(frozen=True)
class Picture:
    src: str
    width: int
    height: int
    # "url 480w, url 800w": empty when the image has no smaller copies.
    srcset: str
    webp_srcset: str


def picture_of(upload: Upload) -> Picture:
    """The <picture> of an image: WebP copies for browsers that take them,
    copies in its own format for the rest."""
    widths = upload.variant_widths
    own_widths = [] if upload.extension == "gif" else widths
    fallback = shared_width(upload)
    return Picture(
        src=url_for("site.upload", filename=upload.variant_filename(*fallback)),
        width=fallback[0],
        height=upload.variant_height(fallback[0]),
        srcset=srcset(upload, own_widths, upload.extension),
        webp_srcset=srcset(upload, widths, "webp"),
    )


def shared_width(upload: Upload) -> tuple[int, str]:
    """(width, extension) of the copy shared with link previews and feeds:
    the widest in its own format up to SHARED_WIDTH, or the image itself."""
    if upload.extension == "gif":
        return upload.width, upload.extension
    fitting = [width for width in upload.variant_widths if width <= SHARED_WIDTH]
    return (max(fitting) if fitting else upload.width), upload.extension


def srcset(upload: Upload, widths: list[int], extension: str) -> str:
    return ", ".join(
        f"{url_for('site.upload', filename=upload.variant_filename(width, extension))}"
        f" {width}w"
        for width in widths
    )


@dataclass(frozen=True)
class SharedImage:
    """The image link previews (OpenGraph, Twitter) and feeds carry."""

    url: str
    filename: str
    width: int
    height: int
    content_type: str


def shared_image_of(upload: Upload) -> SharedImage:
    width, extension = shared_width(upload)
    filename = upload.variant_filename(width, extension)
    return SharedImage(
        url=absolute_url("site.upload", filename=filename),
        filename=filename,
        width=width,
        height=upload.variant_height(width),
        content_type=upload.content_type,
    )
