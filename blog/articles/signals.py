"""What the articles package tells others, without knowing who listens.

`public_article_changed` is sent after a commit that changed what an
article's feeds show (it was or became public); the feeds package connects
WebSub pings to it when its blueprint is registered.
"""

from __future__ import annotations

from blinker import Namespace

signals = Namespace()
# Sender: the Article, committed.
public_article_changed = signals.signal("public-article-changed")
