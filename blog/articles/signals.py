"""What the articles package tells others, without knowing who listens.

`public_article_changed` is sent inside the write transaction that changes
what an article's feeds show (it was or becomes public), so the jobs its
receivers queue commit with the change; the feeds package connects WebSub
pings to it when its blueprint is registered.
"""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()
# Sender: the Article, flushed, its transaction not yet committed.
public_article_changed = signals.signal("public-article-changed")
