"""Writing an import's comments: threaded under the parent they had, signed
by the account (a signed-in writer on the old blog) or the guest's name."""

from __future__ import annotations

from blog.comments.services import recount_comments
from blog.extensions import db
from blog.models import Article, Comment, User
from blog.models.user import DISPLAY_NAME_MAX, EMAIL_MAX
from blog.moving.ledger import Ledger
from blog.moving.records import Bundle, CommentRecord, Report
from blog.rendering import render_comment, without_control_characters


def parents_first(records: list[CommentRecord]) -> list[CommentRecord]:
    """Every comment after its parent (oldest first otherwise), whatever
    order the export lists them in."""
    by_key = {record.key: record for record in records}
    ordered: list[CommentRecord] = []
    placed: set[str] = set()
    for record in sorted(records, key=lambda item: item.created_at):
        chain = []
        while record.key not in placed:
            chain.append(record)
            placed.add(record.key)
            parent = by_key.get(record.parent_key or "")
            if parent is None:
                break
            record = parent
        ordered.extend(reversed(chain))
    return ordered


def write_comments(
    bundle: Bundle,
    articles: dict[str, Article],
    people: dict[str, User],
    ledger: Ledger,
    report: Report,
) -> None:
    written: dict[str, Comment] = {}
    for record in parents_first(bundle.comments):
        name = f"comment {record.key}"
        article = articles.get(record.post_key)
        if article is None:
            report.add("comment", name, "failed", "its post was not imported")
            continue
        comment, result = write_comment(record, article, people, written, ledger)
        written[record.key] = comment
        reason = ""
        if record.parent_key and comment.parent_id is None:
            reason = "its parent was not imported: shown as a comment on the article"
        report.add("comment", name, result, reason)
    db.session.flush()
    recount_comments({comment.article_id for comment in written.values()})


def write_comment(
    record: CommentRecord,
    article: Article,
    people: dict[str, User],
    written: dict[str, Comment],
    ledger: Ledger,
) -> tuple[Comment, str]:
    known = ledger.local_id("comment", record.key)
    comment = db.session.get(Comment, known) if known else None
    body = without_control_characters(record.body_markdown).strip() or "…"
    if comment is not None:
        if (comment.body_markdown, comment.status) == (body, record.status):
            return comment, "unchanged"
        comment.body_markdown, comment.body_html = body, render_comment(body)
        comment.status = record.status
        return comment, "updated"
    author = people.get(record.author_key or "")
    parent = written.get(record.parent_key or "")
    comment = Comment(
        article=article,
        author=author,
        parent=parent,
        guest_name=None if author else guest_name(record),
        guest_email=None if author else record.guest_email[:EMAIL_MAX] or None,
        body_markdown=body,
        body_html=render_comment(body),
        status=record.status,
        created_at=record.created_at,
        edited_at=record.edited_at,
    )
    db.session.add(comment)
    db.session.flush()
    ledger.remember("comment", record.key, comment.id)
    return comment, "created"


def guest_name(record: CommentRecord) -> str:
    name = without_control_characters(record.guest_name).strip()
    return (name or "Anonymous")[:DISPLAY_NAME_MAX]
