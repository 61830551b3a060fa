"""The accent colour an owner chooses, checked against WCAG 2.2 contrast.

WCAG's relative luminance and contrast ratio are two short formulas; no
well-kept library does just these without pulling in a colour-science stack,
so they are written out here (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# The page backgrounds and text colours of site.css, light and dark: the
# accent is used as link text on the first and as the fill of primary buttons
# under the second (their label in the page's background colour).
LIGHT_BACKGROUND = "#fcfcfa"
DARK_BACKGROUND = "#131417"
LIGHT_SURFACE = "#f3f3ef"
DARK_SURFACE = "#1d1f23"
# WCAG AA for normal text; a focus ring (the accent too) needs only 3:1.
TEXT_CONTRAST = 4.5
# On dark pages links read better a little above the minimum.
DARK_ACCENT_CONTRAST = 6.0
DEFAULT_ACCENT = "#1f5bb8"

HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


class AccentColourError(ValueError):
    """The colour cannot be read, or is too faint to read text in. The
    message is lazy: in the site's language when the studio shows it, in
    English when the configuration is checked at start-up (no request), and
    never asked for the language while the site's settings load."""


@dataclass(frozen=True)
class Accent:
    """The accent in both colour schemes: the owner's colour on light pages,
    and the lightest step towards white that reads on dark ones."""

    light: str
    dark: str


def parse_hex(colour: str) -> tuple[int, int, int]:
    match = HEX_COLOUR.fullmatch(colour.strip())
    if match is None:
        raise AccentColourError(
            _l(
                "%(colour)s is not a colour: give six hex digits, such as #1f5bb8",
                colour=repr(colour),
            )
        )
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    red, green, blue = (int(digits[index : index + 2], 16) for index in (0, 2, 4))
    return red, green, blue


def as_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in parse_hex(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`share` of `other` mixed into `colour`, channel by channel."""
    pairs = zip(parse_hex(colour), parse_hex(other), strict=True)
    mixed = tuple(round(mine + (theirs - mine) * share) for mine, theirs in pairs)
    return as_hex((mixed[0], mixed[1], mixed[2]))


def dark_variant(colour: str) -> str:
    """The colour lightened towards white, in the smallest step that gives
    text contrast on the dark background and its surfaces (comments, code)."""
    for step in range(101):
        candidate = mix(colour, "#ffffff", step / 100)
        if (
            min(
                contrast_ratio(candidate, DARK_BACKGROUND),
                contrast_ratio(candidate, DARK_SURFACE),
            )
            >= DARK_ACCENT_CONTRAST
        ):
            return candidate
    return "#ffffff"  # pragma: no cover - white always passes


def accent_from(colour: str) -> Accent:
    """The accent for a configured colour; refuses one that links and
    button labels could not be read in, with the ratio it has."""
    light = as_hex(parse_hex(colour))
    ratio = min(
        contrast_ratio(light, LIGHT_BACKGROUND), contrast_ratio(light, LIGHT_SURFACE)
    )
    if ratio < TEXT_CONTRAST:
        raise AccentColourError(
            _l(
                "%(colour)s has a contrast of %(ratio)s:1 with the page background;"
                " links and buttons need at least %(minimum)s:1 (WCAG AA)."
                " Choose a darker colour.",
                colour=repr(colour),
                ratio=format(ratio, ".2f"),
                minimum=TEXT_CONTRAST,
            )
        )
    return Accent(light=light, dark=dark_variant(light))
