"""An article's discussion as nested nodes, ready for the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from blog.extensions import db
from blog.models import Article, Comment, CommentStatus, utcnow
from blog.permissions import (
    Viewer,
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_moderate_article,
    can_read_comment,
)

# Threads nest this deep; a reply to a comment at this depth is shown beside
# it, saying whom it answers.
MAX_DEPTH = 4


@dataclass
class CommentNode:
    comment: Comment
    # False: the comment is not shown, only a placeholder that holds its replies.
    is_readable: bool
    depth: int = 1
    # The comment answered and its author's name, when the reply is shown
    # beside that comment rather than under it.
    replying_to: Comment | None = None
    replying_to_name: str = ""
    can_reply: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_moderate: bool = False
    children: list[CommentNode] = field(default_factory=list)
    holder: CommentNode | None = None

    @property
    def is_pending(self) -> bool:
        return self.comment.status is CommentStatus.PENDING

    @property
    def author_name(self) -> str:
        return self.comment.author_name

    @property
    def placeholder(self) -> str:
        if self.comment.status is CommentStatus.DELETED:
            return _("comment deleted")
        return _("comment removed by a moderator")


@dataclass
class Thread:
    roots: list[CommentNode]
    nodes: dict[int, CommentNode]

    @property
    def shown_count(self) -> int:
        """The comments this viewer reads (placeholders aside)."""
        return sum(node.is_readable for node in self.nodes.values())

    @property
    def waiting_count(self) -> int:
        """Of those, the ones awaiting moderation (their own, or a
        moderator's queue)."""
        return sum(node.is_readable and node.is_pending for node in self.nodes.values())

    def repliable(self, comment_id: int | None) -> CommentNode | None:
        node = self.nodes.get(comment_id) if comment_id is not None else None
        return node if node is not None and node.can_reply else None


def build_thread(article: Article, viewer: Viewer) -> Thread:
    """Everything of the discussion this viewer may see, from one query:
    replies nested under their comments, oldest first, to MAX_DEPTH."""
    is_moderator = can_moderate_article(viewer, article)
    viewer_id = viewer.account_id
    comments = db.session.scalars(
        Comment.select_thread(
            article.id, viewer_id=viewer_id, with_pending=is_moderator
        )
    ).all()
    may_comment, now = can_comment(viewer, article), utcnow()
    nodes = {
        comment.id: make_node(comment, viewer, is_moderator, may_comment, now)
        for comment in comments
    }
    # A parent is older than its replies, so in id order it is placed first.
    for comment_id in sorted(nodes):
        place(nodes[comment_id], nodes)
    roots: list[CommentNode] = []
    for comment in comments:  # oldest first, and so is every list of replies
        node = nodes[comment.id]
        (node.holder.children if node.holder else roots).append(node)
    return Thread(roots=roots, nodes=nodes)


def make_node(
    comment: Comment,
    viewer: Viewer,
    is_moderator: bool,
    may_comment: bool,
    now: datetime,
) -> CommentNode:
    # Hidden, spam and deleted comments reach the page only as ancestors.
    readable = comment.status in (
        CommentStatus.VISIBLE,
        CommentStatus.PENDING,
    ) and can_read_comment(viewer, comment, is_moderator=is_moderator)
    return CommentNode(
        comment=comment,
        is_readable=readable,
        can_reply=readable and may_comment and comment.status is CommentStatus.VISIBLE,
        can_edit=readable and can_edit_comment(viewer, comment, now),
        can_delete=readable
        and can_delete_comment(viewer, comment, is_moderator=is_moderator),
        can_moderate=readable and is_moderator,
    )


def place(node: CommentNode, nodes: dict[int, CommentNode]) -> None:
    """Set the node's depth and the node whose replies list holds it."""
    parent = nodes.get(node.comment.parent_id or 0)
    if parent is None:
        return
    if parent.depth < MAX_DEPTH:
        node.holder, node.depth = parent, parent.depth + 1
    else:
        node.holder, node.depth = parent.holder, MAX_DEPTH
        node.replying_to = parent.comment
        node.replying_to_name = author_name(parent)


def author_name(node: CommentNode) -> str:
    if not node.is_readable:
        return _("an earlier comment")
    return node.comment.author_name
