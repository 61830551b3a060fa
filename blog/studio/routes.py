"""The studio: where authors, editors and admins work. Its blueprint, with the
routes of every view module attached."""

from blog.studio import (
    articles,
    drafting,
    export,
    mailing,
    moderation,
    navigation,
    profile,
    revisions,
    settings,
    subscribers,
    uploads,
    users,
)
from blog.studio.blueprint import bp

# Importing a view module is what attaches its routes to bp: a new view
# module goes in this list, or its pages answer 404.
VIEW_MODULES = (
    articles,
    drafting,
    export,
    mailing,
    moderation,
    navigation,
    profile,
    revisions,
    settings,
    subscribers,
    uploads,
    users,
)

__all__ = ["bp"]
