"""Finding an imported blog's images: in a local copy of its uploads folder
(--media-dir), or over HTTP from its own site (--site-url), and nowhere
else. An image address on another host, a file:// or javascript: address,
or a path that climbs out of the folder is never read: it is reported."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Callable, Sequence
from http.client import HTTPException
from pathlib import Path
from urllib.error import URLError
from urllib.parse import unquote, urljoin, urlsplit

FETCH_TIMEOUT = 10  # seconds
# WordPress names its smaller copies photo-300x200.jpg; the original is photo.jpg.
RESIZED_COPY = re.compile(r"-\d+x\d+(?=\.\w+$)")


class MissingImage(Exception):
    """The image could not be found where the importer may look; the
    message says where it looked or why it would not."""


Fetch = Callable[[str], bytes]


def same_site(url: str, site_url: str) -> bool:
    """Whether url is on site_url's host and port (http or https). An
    address with a user part (http://site@elsewhere/), an encoded or odd
    host, or a port that is no number is no address of the site."""
    address, site = urlsplit(url), urlsplit(site_url)
    if address.scheme not in ("http", "https") or "@" in address.netloc:
        return False
    if "%" in address.netloc or "\\" in address.netloc:
        return False
    try:
        return (address.hostname, address.port or default_port(address.scheme)) == (
            site.hostname,
            site.port or default_port(site.scheme),
        )
    except ValueError:  # a port that is no number
        return False


def default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


class MediaFolder:
    """A copy of the old blog's uploads: the image at
    <site>/<prefix>/2024/05/photo.jpg is <root>/2024/05/photo.jpg."""

    def __init__(self, root: Path, site_url: str, prefix: str, max_bytes: int) -> None:
        self.root = root.resolve()
        self.site_url = site_url
        self.prefix = "/" + prefix.strip("/") + "/"
        self.max_bytes = max_bytes

    def __call__(self, url: str) -> bytes:
        path = unquote(urlsplit(url).path)
        if not same_site(url, self.site_url) or not path.startswith(self.prefix):
            raise MissingImage(f"{url} is not in the site's {self.prefix} folder")
        relative = path.removeprefix(self.prefix)
        # The original first: its copies are made here, and the page's
        # photo-300x200.jpg and the cover's photo.jpg become one image; the
        # copy the page names when the original is larger than uploads may be.
        too_large = ""
        for candidate in dict.fromkeys([RESIZED_COPY.sub("", relative), relative]):
            file = (self.root / candidate).resolve()
            if not file.is_relative_to(self.root):
                raise MissingImage(f"{url} points outside the media folder")
            if file.is_file() and file.stat().st_size > self.max_bytes:
                too_large = f"{candidate} is larger than the upload limit"
            elif file.is_file():
                return file.read_bytes()
        raise MissingImage(too_large or f"{url} is not in {self.root}")


class SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same site."""

    def __init__(self, site_url: str) -> None:
        self.site_url = site_url

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def] # noqa: ANN001, ANN201
        target = urljoin(req.full_url, newurl)
        if not same_site(target, self.site_url):
            raise MissingImage(f"{req.full_url} redirects off the site, to {target}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class SiteFetcher:
    """GET from the old blog's own site, at most max_bytes, never off it."""

    def __init__(self, site_url: str, max_bytes: int) -> None:
        self.site_url = site_url
        self.max_bytes = max_bytes
        self.opener = urllib.request.build_opener(SameSiteRedirects(site_url))

    def __call__(self, url: str) -> bytes:
        if not same_site(url, self.site_url):
            raise MissingImage(f"{url} is not on {self.site_url}: not fetched")
        try:
            # Only http(s) on the site we were told: checked just above.
            with self.opener.open(url, timeout=FETCH_TIMEOUT) as answer:  # nosec B310 # noqa: S310
                data: bytes = answer.read(self.max_bytes + 1)
        except (URLError, OSError, ValueError, HTTPException) as error:
            raise MissingImage(f"{url} could not be fetched: {error}") from error
        if len(data) > self.max_bytes:
            raise MissingImage(f"{url} is larger than the upload limit")
        return data


class FirstFound:
    """Each way of finding an image in turn; the reasons of all when none
    has it."""

    def __init__(self, fetchers: Sequence[Fetch]) -> None:
        self.fetchers = fetchers

    def __call__(self, url: str) -> bytes:
        reasons = []
        for fetch in self.fetchers:
            try:
                return fetch(url)
            except MissingImage as error:
                reasons.append(str(error))
        raise MissingImage(
            "; ".join(reasons) or f"{url}: no media folder or site given"
        )
