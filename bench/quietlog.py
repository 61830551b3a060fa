"""A gunicorn logger that writes no access lines (error lines unchanged).

The reference WordPress runs with nginx's access_log off; the repository's
gunicorn.conf.py logs every request to stdout and has no switch to stop it, so
the bench passes this class with --logger-class to measure the same work.
"""

from __future__ import annotations

from gunicorn.glogging import Logger


class NoAccessLog(Logger):
    """gunicorn's own logger with access() doing nothing."""

    def access(self, *_args: object, **_kwargs: object) -> None:
        """Drop the access line: nothing is formatted or written."""
