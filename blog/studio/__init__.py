from blog.studio import (  # noqa: F401 - register views
    articles,
    moderation,
    revisions,
    uploads,
)
from blog.studio.routes import bp

__all__ = ["bp"]
