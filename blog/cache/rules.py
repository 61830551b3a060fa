"""Which GET endpoints the page cache may answer, declared where the view is.

A view readers see alike, whoever they are, is decorated `@public_page` (or
`@public_feed`): an anonymous GET of it is rendered once per content version
and then answered from the cache. Any other GET endpoint says why it is not
cached, with `@not_cached("reason")` on the view or `exempt_blueprint(bp,
"reason")` for a blueprint that is all private (the studio). The URL-map test
(tests/test_cache_rules.py) fails on a GET endpoint that does neither, so a
new page cannot be forgotten by the cache, nor cached by accident.

A public page must not depend on anything but its URL and the content
version: no cookie, no user, no time other than the next scheduled article.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, Flask

View = TypeVar("View", bound=Callable[..., Any])
RULE = "cache_rule"  # the attribute views and blueprints carry


@dataclass(frozen=True)
class CacheRule:
    cacheable: bool
    reason: str


PUBLIC = CacheRule(True, "the same for every anonymous reader")
# Endpoints Flask itself adds.
BUILT_IN = {"static": CacheRule(False, "files, sent with their own validators")}


def public_page(view: View) -> View:
    """An HTML page every anonymous reader sees alike."""
    setattr(view, RULE, PUBLIC)
    return view


def public_feed(view: View) -> View:
    """A feed (or other document for machines) every anonymous reader sees
    alike."""
    setattr(view, RULE, PUBLIC)
    return view


def not_cached(reason: str) -> Callable[[View], View]:
    """A GET endpoint the page cache leaves alone, and why."""

    def decorate(view: View) -> View:
        setattr(view, RULE, CacheRule(False, reason))
        return view

    return decorate


def exempt_blueprint(blueprint: Blueprint, reason: str) -> None:
    """Every endpoint of this blueprint is left alone by the page cache."""
    setattr(blueprint, RULE, CacheRule(False, reason))


def rule_for(app: Flask, endpoint: str) -> CacheRule | None:
    """The endpoint's declared rule, or None when it declares none."""
    rule: CacheRule | None = getattr(app.view_functions.get(endpoint), RULE, None)
    if rule is not None:
        return rule
    blueprint = app.blueprints.get(endpoint.rpartition(".")[0])
    return getattr(blueprint, RULE, None) or BUILT_IN.get(endpoint)


def cacheable_endpoints(app: Flask) -> frozenset[str]:
    return frozenset(
        endpoint
        for endpoint in app.view_functions
        if (rule := rule_for(app, endpoint)) is not None and rule.cacheable
    )
