"""The editor's part in mailing an article to followers: whether the box
"mail it to subscribers" starts ticked, what the studio says of a mailing
("sent to 1,204 · 3 failed"), and the author's test mail to themselves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from blog.extensions import db
from blog.forms import ButtonForm
from blog.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    Delivery,
    Mailing,
    Role,
)
from blog.newsletter.schedule import article_mailing
from blog.newsletter.test_mail import send_test_mail
from blog.permissions import article_for_editor_or_404, require_role
from blog.studio.blueprint import bp


@dataclass(frozen=True)
class MailingSummary:
    """An article's mailing as the studio shows it."""

    planned: bool
    sent: int
    failed: int
    total: int
    finished: bool


def summary_of(mailing: Mailing | None, total: int = 0) -> MailingSummary | None:
    if mailing is None:
        return None
    return MailingSummary(
        planned=mailing.prepared_at is None,
        sent=mailing.sent_count,
        failed=mailing.failed_count,
        total=total,
        finished=mailing.finished_at is not None,
    )


def mailing_summary(article: Article | None) -> MailingSummary | None:
    if article is None or article.id is None:
        return None
    mailing = article_mailing(article.id)
    if mailing is None:
        return None
    return summary_of(mailing, delivery_totals([mailing]).get(mailing.id, 0))


def mailing_summaries(articles: Iterable[Article]) -> dict[int, MailingSummary]:
    """The mailings of a page of the studio's list: one query, and a second
    only while one of them is being sent (for its "N of T")."""
    ids = [article.id for article in articles]
    if not ids:
        return {}
    mailings = db.session.scalars(
        select(Mailing).where(Mailing.article_id.in_(ids))
    ).all()
    totals = delivery_totals(mailings)
    return {
        mailing.article_id: summary
        for mailing in mailings
        if mailing.article_id is not None
        and (summary := summary_of(mailing, totals.get(mailing.id, 0))) is not None
    }


def delivery_totals(mailings: Iterable[Mailing]) -> dict[int, int]:
    """How many deliveries each mailing being sent has (its recipients,
    fixed when it started), in one query; none asked when none is sending."""
    sending = [
        mailing.id
        for mailing in mailings
        if mailing.prepared_at is not None and mailing.finished_at is None
    ]
    if not sending:
        return {}
    rows = db.session.execute(
        select(Delivery.mailing_id, func.count(Delivery.id))
        .where(Delivery.mailing_id.in_(sending))
        .group_by(Delivery.mailing_id)
    )
    return {mailing_id: total for mailing_id, total in rows}


def mail_by_default(article: Article | None, summary: MailingSummary | None) -> bool:
    """Ticked for a new article or a draft, and for one whose mailing is
    planned; never for one that is out already (saving an old article must
    not mail it) nor scheduled with the box unticked."""
    if article is None:
        return True
    if summary is not None:
        return summary.planned
    return article.status is ArticleStatus.DRAFT


def takes_mailing(article: Article | None, summary: MailingSummary | None) -> bool:
    """Whether the editor offers the box: articles, until their mailing starts."""
    if article is not None and article.kind is ArticleKind.PAGE:
        return False
    return summary is None or summary.planned


@bp.post("/articles/<int:article_id>/test-mail")
@login_required
@require_role(Role.AUTHOR)
def test_mail(article_id: int) -> Response:
    """The article as followers will get it (its last saved text), to the
    author's own address only."""
    article = article_for_editor_or_404(article_id)
    if ButtonForm().validate_on_submit():
        send_test_mail(article, current_user)
        flash(_("A test was sent to %(address)s.", address=current_user.email))
    return redirect(url_for("studio.edit", article_id=article.id), code=303)
